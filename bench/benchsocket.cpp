#include "benchsocket.h"

#include "tlssocket.h"
#include <QCryptographicHash>
#include <QRandomGenerator>

#include <QSocketNotifier>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

namespace {
constexpr qsizetype kReadChunk = 256 * 1024;
constexpr qsizetype kMaxHandshake = 16 * 1024;
constexpr qint64 kMaxMessage = 64 * 1024 * 1024;

enum Opcode {
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10
};
} // namespace

BenchSocket::BenchSocket(Transport transport, int index, SocketOwner *owner, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_index(index)
    , m_owner(owner)
    , m_maskState(QRandomGenerator::global()->generate() | 1u)
{ }

BenchSocket::~BenchSocket()
{
    if (m_connecting >= 0)
        ::close(m_connecting);
    if (m_tcp)
        m_tcp->disconnect(this);
    if (m_ws)
        m_ws->disconnect(this);
}

void BenchSocket::open(const Endpoint &endpoint, const QString &path)
{
    if (m_transport == Transport::Qt) {
        m_ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_ws->setMaxAllowedIncomingMessageSize(quint64(kMaxMessage));
        m_ws->setMaxAllowedIncomingFrameSize(quint64(kMaxMessage));
        connect(m_ws, &QWebSocket::connected, this, [this] {
            m_open = true;
            m_owner->socketOpened(this);
        });
        connect(m_ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
            ++m_received;
            m_owner->socketMessage(this, bytes);
        });
        connect(m_ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            ++m_received;
            const QByteArray bytes = text.toUtf8();
            m_owner->socketMessage(this, bytes);
        });
        connect(m_ws, &QWebSocket::disconnected, this, &BenchSocket::closed);
        QUrl url;
        url.setScheme(endpoint.tls ? u"wss"_s : u"ws"_s);
        url.setHost(endpoint.host);
        url.setPort(endpoint.port);
        url.setPath(path);
        if (endpoint.tls) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
            m_ws->setSslConfiguration(tls);
        }
        m_ws->open(url);
        return;
    }

    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    m_key = nonce.toBase64();
    if (endpoint.tls) {
        openTls(endpoint, path);
        return;
    }
    m_tcp = new QTcpSocket(this);
    connect(m_tcp, &QTcpSocket::connected, this, &BenchSocket::onLeanConnected);
    watchTransport();
    m_tcp->setProperty("inkroom-path", path);
    m_tcp->connectToHost(endpoint.host, endpoint.port);
}

void BenchSocket::watchTransport()
{
    connect(m_tcp, &QTcpSocket::readyRead, this, &BenchSocket::onLeanReadyRead);
    connect(m_tcp, &QTcpSocket::disconnected, this, &BenchSocket::closed);
    connect(m_tcp, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_tcp->state() == QAbstractSocket::UnconnectedState)
            closed();
    });
}

void BenchSocket::openTls(const Endpoint &endpoint, const QString &path)
{
    // One client context for every connection of the run (SSL_CTX is shared between threads by design).
    static const std::shared_ptr<server::TlsContext> context = server::TlsContext::makeUncheckedClient();
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(endpoint.port);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const bool made = context && fd >= 0
        && ::inet_pton(AF_INET, endpoint.host.toLatin1().constData(), &address.sin_addr) == 1
        && (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0 || errno == EINPROGRESS);
    if (!made) {
        qWarning("inkroom-bench: cannot open a TLS connection to %s:%d", qPrintable(endpoint.host), endpoint.port);
        if (fd >= 0)
            ::close(fd);
        QTimer::singleShot(0, this, &BenchSocket::closed);
        return;
    }
    m_connecting = fd;
    auto *connecting = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    connect(connecting, &QSocketNotifier::activated, this, [this, connecting, path] {
        // Off before the TlsSocket makes its own notifiers for the descriptor.
        connecting->setEnabled(false);
        connecting->deleteLater();
        const int descriptor = std::exchange(m_connecting, -1);
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            ::close(descriptor);
            closed();
            return;
        }
        auto *tls = new server::TlsSocket(context, this);
        m_tcp = tls;
        m_tcp->setProperty("inkroom-path", path);
        connect(tls, &server::TlsSocket::encrypted, this, &BenchSocket::onLeanConnected);
        watchTransport();
        if (!tls->start(descriptor, server::TlsSocket::Role::Client))
            closed();
    });
}

void BenchSocket::onLeanConnected()
{
    m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QByteArray path = m_tcp->property("inkroom-path").toString().toUtf8();
    QByteArray request = "GET " + (path.isEmpty() ? QByteArray("/") : path) + " HTTP/1.1\r\n";
    request +=
        "Host: " + m_tcp->peerAddress().toString().toLatin1() + ':' + QByteArray::number(m_tcp->peerPort()) + "\r\n";
    request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    request += "Sec-WebSocket-Key: " + m_key + "\r\n\r\n";
    m_tcp->write(request);
    m_tcp->flush();
}

bool BenchSocket::parseHandshake()
{
    const QByteArrayView in = QByteArrayView(m_in).sliced(m_inStart);
    const qsizetype end = in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (in.size() > kMaxHandshake)
            abort();
        return false;
    }
    const QByteArray head = in.first(end).toByteArray().toLower();
    const QByteArray accept =
        QCryptographicHash::hash(QByteArray(m_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
            .toBase64();
    if (!head.startsWith("http/1.1 101") || !head.contains(QByteArray("sec-websocket-accept: " + accept.toLower()))) {
        qWarning("inkroom-bench: WebSocket handshake refused: %s", head.left(200).constData());
        abort();
        return false;
    }
    m_inStart += end + 4;
    m_handshakeDone = true;
    m_open = true;
    m_owner->socketOpened(this);
    return true;
}

void BenchSocket::onLeanReadyRead()
{
    if (m_stalled || m_closed)
        return;
    for (;;) {
        const qint64 available = m_tcp->bytesAvailable();
        if (available <= 0)
            break;
        const qsizetype used = m_in.size();
        const qsizetype want = qsizetype(std::min<qint64>(available, kReadChunk));
        m_in.resize(used + want);
        const qint64 got = m_tcp->read(m_in.data() + used, want);
        m_in.resize(used + std::max<qint64>(got, 0));
        if (got <= 0)
            break;
        if (!m_handshakeDone && !parseHandshake())
            continue;
        parseFrames();
        if (m_closed || m_stalled)
            return;
    }
}

void BenchSocket::parseFrames()
{
    const auto *data = reinterpret_cast<const uchar *>(m_in.constData());
    const qsizetype size = m_in.size();
    qsizetype at = m_inStart;
    while (size - at >= 2 && !m_closed) {
        const uchar b0 = data[at];
        const uchar b1 = data[at + 1];
        const int opcode = b0 & 0x0f;
        const bool fin = b0 & 0x80;
        const bool masked = b1 & 0x80;
        quint64 length = b1 & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (size - at < 4)
                break;
            length = (quint64(data[at + 2]) << 8) | data[at + 3];
            header = 4;
        } else if (length == 127) {
            if (size - at < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | data[at + 2 + i];
            header = 10;
        }
        if (length > quint64(kMaxMessage)) {
            abort();
            return;
        }
        const qsizetype maskBytes = masked ? 4 : 0;
        if (size - at < header + maskBytes + qsizetype(length))
            break;
        char *payload = m_in.data() + at + header + maskBytes;
        if (masked) {
            const char *key = m_in.constData() + at + header;
            for (quint64 i = 0; i < length; ++i)
                payload[i] = char(payload[i] ^ key[i % 4]);
        }
        const QByteArrayView body(payload, qsizetype(length));
        at += header + maskBytes + qsizetype(length);

        switch (opcode) {
        case Text:
        case Binary:
            if (fin) {
                ++m_received;
                m_owner->socketMessage(this, body);
            } else {
                m_fragments = body.toByteArray();
                m_fragmentOpcode = opcode;
            }
            break;
        case Continuation:
            m_fragments.append(body);
            if (fin) {
                ++m_received;
                const QByteArray whole = std::exchange(m_fragments, {});
                m_owner->socketMessage(this, whole);
            }
            break;
        case Ping:
            sendFrame(Pong, body);
            break;
        case Close:
            sendFrame(Close, body.first(std::min<qsizetype>(body.size(), 2)));
            m_tcp->flush();
            m_tcp->disconnectFromHost();
            closed();
            break;
        default:
            break;
        }
        if (m_stalled)
            break;
    }
    if (m_closed)
        return;
    // Keep the unparsed tail at the front; most reads end on a frame boundary, so this is usually free.
    if (at == size) {
        m_in.resize(0);
        m_inStart = 0;
    } else if (at > 0) {
        m_in.remove(0, at);
        m_inStart = 0;
    }
}

void BenchSocket::sendFrame(int opcode, QByteArrayView payload)
{
    if (!m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    const qsizetype length = payload.size();
    m_frame.resize(14 + length);
    auto *out = reinterpret_cast<uchar *>(m_frame.data());
    qsizetype n = 0;
    out[n++] = uchar(0x80 | opcode);
    if (length < 126) {
        out[n++] = uchar(0x80 | length);
    } else if (length < 65536) {
        out[n++] = 0x80 | 126;
        out[n++] = uchar(length >> 8);
        out[n++] = uchar(length);
    } else {
        out[n++] = 0x80 | 127;
        for (int i = 7; i >= 0; --i)
            out[n++] = uchar(quint64(length) >> (8 * i));
    }
    // xorshift32: masks need not be strong here, only present (RFC 6455 requires client frames to be masked).
    m_maskState ^= m_maskState << 13;
    m_maskState ^= m_maskState >> 17;
    m_maskState ^= m_maskState << 5;
    uchar key[4];
    std::memcpy(key, &m_maskState, 4);
    std::memcpy(out + n, key, 4);
    n += 4;
    const auto *in = reinterpret_cast<const uchar *>(payload.data());
    for (qsizetype i = 0; i < length; ++i)
        out[n + i] = in[i] ^ key[i & 3];
    n += length;
    m_tcp->write(m_frame.constData(), n);
}

void BenchSocket::send(QByteArrayView payload)
{
    if (!m_open || m_closed)
        return;
    if (m_ws) {
        m_ws->sendBinaryMessage(QByteArray::fromRawData(payload.data(), payload.size()));
        m_ws->flush();
        return;
    }
    sendFrame(Binary, payload);
    m_tcp->flush();
}

void BenchSocket::stall()
{
    m_stalled = true;
    if (m_tcp) {
        // A full read buffer makes Qt stop reading from the kernel: the receive window closes and the server's
        // output to us backs up, exactly as when an application hangs.
        m_tcp->setReadBufferSize(1);
        disconnect(m_tcp, &QTcpSocket::readyRead, this, &BenchSocket::onLeanReadyRead);
    }
}

void BenchSocket::abort()
{
    if (m_ws)
        m_ws->abort();
    if (m_tcp)
        m_tcp->abort();
    closed();
}

void BenchSocket::closed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_open = false;
    m_owner->socketClosed(this);
}

} // namespace inkroom::bench
