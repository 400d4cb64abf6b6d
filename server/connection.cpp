#include "connection.h"

#include "closecodes.h"
#include "listener.h"
#include "logging.h"
#include "protocollimits.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
//! Messages at least this large (snapshot chunks) skip the turn's buffer: written at once, without a copy.
constexpr qsizetype kDirectWriteBytes = 64 * 1024;
//! Messages of one connection decoded by workers at a time: enough to keep a worker busy while the rest is read.
constexpr int kMaxJobs = 4;
//! What may wait behind them (smaller messages, or larger ones when the lane is full), in bytes and messages; past
//! either, the connection's oldest message is finished on the server's thread.
constexpr qint64 kMaxWaitingBytes = LaneWaitingBytes;
constexpr int kMaxWaiting = 256;
} // namespace

void OutputFlusher::schedule(Connection *connection)
{
    m_pending.append(connection);
    if (!m_posted) {
        m_posted = true;
        QMetaObject::invokeMethod(this, &OutputFlusher::flush, Qt::QueuedConnection);
    }
}

void OutputFlusher::cancel(Connection *connection)
{
    m_pending.removeAll(connection);
}

void OutputFlusher::flush()
{
    m_posted = false;
    const QList<Connection *> pending = std::exchange(m_pending, {});
    for (Connection *connection : pending)
        connection->flushOutput();
}

Connection::Connection(quint64 serial, QWebSocket *socket, QTcpSocket *transport, OutputFlusher *flusher,
                       const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_serial(serial)
    , m_socket(socket)
    , m_transport(transport)
    , m_flusher(flusher)
    , m_plainTransport(transport && !transport->inherits("QSslSocket")) // TLS must go through the socket
    , m_config(config)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_rateLimiter(config.ratePerSecond, config.rateBurst, config.rateMaxExcess)
    , m_opBytes(opBytesPerSecond(config), double(opBurstBytes(config)))
    , m_historyBucket(config.historyPerSecond, config.historyBurst)
    , m_allowance(config.maxOutputBytes)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxClientMessageBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxClientMessageBytes));
    m_lastSeen.start();

    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::onMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onMessage(text.toUtf8()); });
    // Any frame or pong is a sign of life, even when a large message is still arriving.
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::textFrameReceived, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::drop);

    m_helloTimer.setSingleShot(true);
    connect(&m_helloTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcNet).noquote() << describe() << "sent no hello in time";
        closeWith(quint16(proto::CloseCode::HandshakeTimeout), u"no hello in time"_s);
    });
    m_helloTimer.start(m_config.handshakeTimeoutMs);

    m_abortTimer.setSingleShot(true);
    connect(&m_abortTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });

    cursorThrottle.timer.setSingleShot(true);
    viewThrottle.timer.setSingleShot(true);
}

Connection::~Connection()
{
    if (m_flusher)
        m_flusher->cancel(this);
    dropIncoming();
    if (m_lane)
        m_lane->forget(m_serial);
    // The socket is our child; make sure nothing it emits while dying reaches us.
    m_socket->disconnect(this);
}

void Connection::drop()
{
    m_helloTimer.stop();
    m_abortTimer.stop();
    cursorThrottle.timer.stop();
    viewThrottle.timer.stop();
    if (m_state != State::Closing) {
        m_state = State::Closing;
        Q_EMIT closing(this);
    }
    Q_EMIT gone(this);
}

void Connection::detach(const QHostAddress &address, std::function<void(const QByteArray &)> sink)
{
    m_peerAddress = address;
    m_peerPort = 0;
    m_sink = std::move(sink);
    m_transport.clear();
}

void Connection::setState(State state)
{
    if (m_state == State::Closing || state == State::Closing)
        return;
    m_state = state;
    if (state != State::AwaitingHello)
        m_helloTimer.stop();
}

QString Connection::describe() const
{
    QString text = u'#' + QString::number(m_serial) + u' ';
    if (m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol)
        text += u'[' + m_peerAddress.toString() + u']';
    else
        text += m_peerAddress.toString();
    text += u':' + QString::number(m_peerPort);
    if (!m_member.client.isEmpty())
        text += u' ' + m_member.client;
    return text;
}

void Connection::setHello(const proto::Hello &hello)
{
    m_hello = hello;
    m_member = proto::Member {hello.client, hello.name, hello.colour, false, std::nullopt, hello.serve};
}

void Connection::setProfile(const QString &name, proto::Colour colour)
{
    m_member.name = name;
    m_member.colour = colour;
}

std::optional<quint64> opCseqOf(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value("type"_L1).toString() != "op"_L1)
        return std::nullopt;
    const QJsonValue cseq = object.value("cseq"_L1);
    if (!cseq.isDouble())
        return std::nullopt;
    const double value = cseq.toDouble();
    if (!(value >= 1 && value < double(limits::MaxSequence)) || value != std::floor(value))
        return std::nullopt;
    return quint64(value);
}

bool Connection::holdsBack(quint64 cseq)
{
    if (!m_heldAt)
        return false;
    if (cseq > *m_heldAt)
        return true;
    m_heldAt.reset();
    return false;
}

void Connection::hold(quint64 cseq)
{
    m_heldAt = m_heldAt ? std::min(*m_heldAt, cseq) : cseq;
}

void Connection::refuse(const proto::Reject &reject)
{
    if (reject.retry)
        hold(reject.cseq);
    sendMessage(reject);
}

void Connection::onMessage(const QByteArray &bytes)
{
    m_lastSeen.restart();
    if (m_state == State::Closing)
        return;
    // A large message goes to a worker and keeps its place: what this connection sends after it waits for it.
    if (m_lane && m_jobs < kMaxJobs && m_lane->takes(bytes.size())) {
        m_incoming.append(Incoming {bytes, m_lane->start(this, bytes)});
        ++m_jobs;
        return;
    }
    if (m_incoming.isEmpty()) {
        Q_EMIT messageReceived(this, bytes, nullptr);
        return;
    }
    m_incoming.append(Incoming {bytes, nullptr});
    m_waitingBytes += bytes.size();
    // What is decoded already goes on now; past the bound, this connection's oldest message is finished here.
    handOn(m_waitingBytes > kMaxWaitingBytes || m_incoming.size() - m_jobs > kMaxWaiting);
}

void Connection::handOn(bool wait)
{
    if (m_handingOn)
        return; // a message handed on below led here: the loop goes on with what arrived meanwhile
    m_handingOn = true;
    while (!m_incoming.isEmpty() && m_state != State::Closing) {
        const std::shared_ptr<DecodeJob> job = m_incoming.constFirst().job;
        if (job && !job->isDone()) {
            if (!wait || (m_waitingBytes <= kMaxWaitingBytes && m_incoming.size() - m_jobs <= kMaxWaiting))
                break;
            job->finish();
        }
        const Incoming next = m_incoming.takeFirst();
        forgetIncoming(next);
        Q_EMIT messageReceived(this, next.bytes, next.job ? &next.job->result() : nullptr);
    }
    if (m_state == State::Closing)
        dropIncoming();
    m_handingOn = false;
}

void Connection::forgetIncoming(const Incoming &incoming)
{
    if (incoming.job) {
        --m_jobs;
        incoming.job->abandon(); // nothing if a worker took it (or it is done)
    } else {
        m_waitingBytes -= incoming.bytes.size();
    }
}

void Connection::dropIncoming()
{
    const QList<Incoming> dropped = std::exchange(m_incoming, {});
    for (const Incoming &incoming : dropped)
        forgetIncoming(incoming);
}

void Connection::queueBinary(const QByteArray &payload)
{
    if (m_sink) {
        m_sink(payload);
        return;
    }
    if (!m_transport || !m_flusher) {
        m_socket->sendBinaryMessage(payload);
        return;
    }
    // A final, unmasked binary frame (RFC 6455 5.2): the server's frames are the same bytes for every recipient.
    char header[10];
    qsizetype headerSize = 2;
    const auto size = quint64(payload.size());
    header[0] = char(0x82);
    if (size < 126) {
        header[1] = char(size);
    } else if (size <= 0xffff) {
        header[1] = char(126);
        header[2] = char(size >> 8);
        header[3] = char(size);
        headerSize = 4;
    } else {
        header[1] = char(127);
        for (int i = 0; i < 8; ++i)
            header[2 + i] = char(size >> (8 * (7 - i)));
        headerSize = 10;
    }
    if (payload.size() >= kDirectWriteBytes) {
        flushOutput(); // what was queued goes first
        if (writeDirect(header, headerSize) == headerSize) {
            const qsizetype sent = writeDirect(payload.constData(), payload.size());
            if (sent < payload.size())
                m_transport->write(payload.mid(sent)); // shared with the socket's buffer, not copied
            return;
        }
        m_transport->write(header, headerSize);
        m_transport->write(payload);
        flushTransport();
        return;
    }
    if (m_out.isEmpty())
        m_flusher->schedule(this);
    m_out.append(header, headerSize);
    m_out.append(payload);
}

void Connection::flushOutput()
{
    if (m_out.isEmpty())
        return;
    if (m_transport) {
        const qsizetype sent = writeDirect(m_out.constData(), m_out.size());
        if (sent < m_out.size()) {
            m_transport->write(m_out.constData() + sent, m_out.size() - sent);
            flushTransport();
        }
    }
    m_out.clear();
}

void Connection::flushTransport()
{
    // Hand it to the kernel now rather than at the socket's next write notification. Not over TLS: there a flush
    // also decrypts what has arrived and emits readyRead() inside the message being handled (so the FrameGuard
    // could not follow the frames); QSslSocket flushes at the next event-loop turn by itself.
    if (m_plainTransport)
        m_transport->flush();
}

qsizetype Connection::writeDirect(const char *data, qsizetype size)
{
#if defined(Q_OS_LINUX)
    // Straight to the kernel while Qt's own buffer for the socket is empty (so nothing can overtake anything):
    // QAbstractSocket would register a write notifier for every write and drop it after the flush, and the glib
    // event dispatcher finds notifiers with linear searches, which made 5,000 connections slow to serve.
    if (!m_plainTransport || !m_transport || m_transport->bytesToWrite() > 0
        || m_transport->state() != QAbstractSocket::ConnectedState)
        return 0;
    // What the kernel does not take now (full, or failed) waits in Qt's buffer; Qt meets any error and reports it.
    return sendNow(m_transport->socketDescriptor(), data, size);
#else
    Q_UNUSED(data);
    Q_UNUSED(size);
    return 0;
#endif
}

qint64 Connection::unsent() const
{
    return m_out.size() + m_socket->bytesToWrite();
}

void Connection::send(const QByteArray &bytes)
{
    if (m_state == State::Closing)
        return;
    if (!m_inCatchUp) {
        // Refused before it is queued: what waits for a client never passes its cap (but one message always fits).
        const qint64 unsent = this->unsent();
        if (unsent <= m_config.maxOutputBytes)
            m_allowance = m_config.maxOutputBytes;
        if (unsent > 0 && unsent + bytes.size() > m_allowance) {
            qCWarning(lcNet).noquote() << describe() << "stopped reading:" << unsent << "bytes unsent; dropping it";
            closeWith(quint16(proto::CloseCode::SlowConsumer), u"too far behind: unsent output passed the cap"_s);
            return;
        }
    }
    queueBinary(bytes);
}

bool Connection::sendVolatile(const QByteArray &bytes)
{
    if (m_state == State::Closing || unsent() > m_config.volatileDropBytes)
        return false;
    queueBinary(bytes);
    return true;
}

void Connection::endCatchUp()
{
    m_inCatchUp = false;
    m_allowance = m_config.maxOutputBytes + unsent();
}

void Connection::checkOutput()
{
    if (m_state == State::Closing)
        return;
    const qint64 unsent = this->unsent();
    if (unsent <= m_config.maxOutputBytes) {
        m_allowance = m_config.maxOutputBytes;
        return;
    }
    if (unsent > m_allowance) {
        qCWarning(lcNet).noquote() << describe() << "stopped reading:" << unsent << "bytes unsent; dropping it";
        closeWith(quint16(proto::CloseCode::SlowConsumer), u"too far behind: unsent output passed the cap"_s);
    }
}

void Connection::ping()
{
    if (m_state != State::Closing)
        m_socket->ping();
}

void Connection::fail(proto::ErrorCode code, const QString &message, quint16 closeCode, const QString &field)
{
    if (m_state == State::Closing)
        return;
    qCInfo(lcNet).noquote() << describe() << "closing with" << closeCode << proto::errorCodeName(code) << message;
    queueBinary(proto::encode(proto::Error {code, message, field, true}));
    closeWith(closeCode, message);
}

void Connection::closeWith(quint16 code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    m_helloTimer.stop();
    cursorThrottle.timer.stop();
    cursorThrottle.pending.clear();
    viewThrottle.timer.stop();
    viewThrottle.pending.clear();
    // A close reason must fit a control frame (125 bytes with the code).
    const QString shortReason = QString::fromUtf8(reason.toUtf8().left(100));
    QTimer::singleShot(0, this, [this, code, shortReason] {
        Q_EMIT closing(this);
        m_abortTimer.start(m_config.closeGraceMs);
        flushOutput(); // everything sent before the close goes out before it
        if (m_sink) {
            m_abortTimer.stop();
            Q_EMIT gone(this);
            return;
        }
        m_socket->close(QWebSocketProtocol::CloseCode(code), shortReason);
    });
}

} // namespace inkroom::server
