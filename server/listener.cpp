#include "listener.h"

#include "logging.h"
#include "serverconfig.h"
#include "tlssocket.h"

#include <QNetworkInterface>
#include <QTcpSocket>

#include <algorithm>
#include <memory>

#if defined(Q_OS_LINUX)
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#endif

namespace inkroom::server {

namespace {

//! A socket's read buffer until its WebSocket handshake is answered: the longest request and then some.
constexpr qint64 kHandshakeReadBytes = 64 * 1024;

/** A plain TCP socket that hands what it is given to the kernel at once while nothing waits in its buffer.
 *
 * QAbstractSocket appends every write to its buffer and writes it at the next write notification; the buffer
 * allocates a 32 KiB chunk for the first write (the handshake's reply, 130 bytes) and keeps it for the socket's
 * life. That chunk was the largest thing an idle connection held. The server's own frames already go to the kernel
 * directly (Connection::writeDirect); this does the same for what Qt writes itself (the handshake's reply, pings,
 * pongs, close frames). What the kernel does not take now goes through the buffer as before, so nothing can
 * overtake anything.
 */
class DirectTcpSocket final : public QTcpSocket
{
public:
    using QTcpSocket::QTcpSocket;

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
#if defined(Q_OS_LINUX)
        if (size > 0 && bytesToWrite() == 0 && state() == QAbstractSocket::ConnectedState) {
            // What the kernel does not take (full, or failed) goes to the buffer; Qt meets any error itself.
            const qint64 done = sendNow(socketDescriptor(), data, size);
            if (done == size)
                return size;
            const qint64 buffered = QTcpSocket::writeData(data + done, size - done);
            return buffered < 0 ? (done > 0 ? done : buffered) : done + buffered;
        }
#endif
        return QTcpSocket::writeData(data, size);
    }
};

} // namespace

qint64 sendNow(qintptr descriptor, const char *data, qint64 size)
{
#if defined(Q_OS_LINUX)
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::send(int(descriptor), data + done, size_t(size - done), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            done += n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;
    }
    return done;
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(data);
    Q_UNUSED(size);
    return 0;
#endif
}

qint64 sendVectorNow(qintptr descriptor, const iovec *vectors, int count)
{
#if defined(Q_OS_LINUX)
    msghdr message {};
    message.msg_iov = const_cast<iovec *>(vectors);
    message.msg_iovlen = size_t(count);
    for (;;) {
        const ssize_t n = ::sendmsg(int(descriptor), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return 0;
    }
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(vectors);
    Q_UNUSED(count);
    return 0;
#endif
}

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{ }

void Listener::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = takeConnection(descriptor);
    if (!socket)
        return;
    // What one connection brings into an event-loop turn is bounded: nothing more is read until that is taken, and
    // TCP slows the sender meanwhile, so a client that floods the server takes a slice of each turn. Until the
    // handshake is answered, a little more than the longest request; then the Connection sets it frame by frame.
    socket->setReadBufferSize(kHandshakeReadBytes);
    prepareSocket(socket);
}

QTcpSocket *Listener::takeConnection(qintptr descriptor)
{
    auto *socket = new DirectTcpSocket();
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcNet) << "cannot take an accepted socket:" << socket->errorString();
        delete socket;
        return nullptr;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    return socket;
}

void Listener::prepareSocket(QTcpSocket *socket)
{
    // A wss:// client at a plain ws:// server opens with a TLS record (0x16), which the WebSocket handshake would
    // wait on until its timeout. Answer it at once with a fatal TLS alert (protocol_version), which the client's TLS
    // reports as such, and close: the client learns in a moment that this server does not speak TLS.
    auto check = std::make_shared<QMetaObject::Connection>();
    *check = connect(socket, &QTcpSocket::readyRead, socket, [socket, check] {
        QObject::disconnect(*check);
        char first = 0;
        if (socket->peek(&first, 1) != 1 || first != '\x16')
            return;
        qCInfo(lcNet).noquote() << socket->peerAddress().toString()
                                << "began a TLS handshake with a server that speaks plain ws://";
        static constexpr char kProtocolVersionAlert[] = {'\x15', '\x03', '\x01', '\x00', '\x02', '\x02', '\x46'};
        socket->write(kProtocolVersionAlert, sizeof kProtocolVersionAlert);
        socket->flush();
        // Its handshake slot is freed at once, as for a failed TLS handshake on a TLS server.
        socket->abort();
        socket->deleteLater();
    });
    Q_EMIT socketReady(socket);
}

TlsListener::TlsListener(std::shared_ptr<TlsContext> context, QObject *parent)
    : Listener(parent)
    , m_context(std::move(context))
{ }

QTcpSocket *TlsListener::takeConnection(qintptr descriptor)
{
    auto *socket = new TlsSocket(m_context);
    if (!socket->start(descriptor)) {
        qCWarning(lcNet) << "cannot take an accepted socket for TLS";
        delete socket;
        return nullptr;
    }
    return socket;
}

void TlsListener::prepareSocket(QTcpSocket *socket)
{
    auto *tls = static_cast<TlsSocket *>(socket);
    // Before the handshake has finished, any error ends the connection (a plain ws:// client, a port scanner, a
    // client that refuses the certificate): free its slot now instead of at the handshake timeout.
    connect(tls, &QAbstractSocket::errorOccurred, tls, [tls](QAbstractSocket::SocketError error) {
        if (tls->isEncrypted())
            return;
        qCInfo(lcNet).noquote() << "TLS handshake with" << tls->peerAddress().toString() << "failed:" << error
                                << tls->errorString();
        tls->abort();
        tls->deleteLater();
    });
    Q_EMIT socketReady(socket);
}

QList<QUrl> joinUrlsFor(const QHostAddress &bind, quint16 listening, const QString &scheme)
{
    if (!listening)
        return {};
    const auto urlFor = [listening, &scheme](const QHostAddress &address) -> QUrl {
        QUrl url;
        url.setScheme(scheme);
        url.setHost(address.toString());
        url.setPort(listening);
        return url;
    };
    const bool anyV4 = bind == QHostAddress(QHostAddress::AnyIPv4);
    const bool any = bind == QHostAddress(QHostAddress::Any) || bind == QHostAddress(QHostAddress::AnyIPv6);
    if (!any && !anyV4)
        return {urlFor(bind)};

    QList<QUrl> v4;
    QList<QUrl> v6;
    QList<QUrl> loopback;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning))
            continue;
        const QList<QNetworkAddressEntry> entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress address = entry.ip();
            const bool isV4 = address.protocol() == QAbstractSocket::IPv4Protocol;
            if (!isV4 && (anyV4 || address.protocol() != QAbstractSocket::IPv6Protocol))
                continue;
            if (address.isLoopback()) {
                if (isV4 ? address == QHostAddress(QHostAddress::LocalHost)
                         : address == QHostAddress(QHostAddress::LocalHostIPv6))
                    loopback.append(urlFor(address));
            } else if (isV4) {
                v4.append(urlFor(address));
            } else if (!address.isLinkLocal()) {
                // Link-local IPv6 addresses need a scope that URLs cannot carry.
                v6.append(urlFor(address));
            }
        }
    }
    std::sort(loopback.begin(), loopback.end(),
              [](const QUrl &a, const QUrl &b) { return a.host().size() > b.host().size(); });
    return v4 + v6 + loopback;
}

QUrl localUrlFor(const QHostAddress &bind, quint16 port, const QString &scheme)
{
    QHostAddress host = bind;
    if (bind == QHostAddress(QHostAddress::Any) || bind == QHostAddress(QHostAddress::AnyIPv4))
        host = QHostAddress(QHostAddress::LocalHost);
    else if (bind == QHostAddress(QHostAddress::AnyIPv6))
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host.toString());
    url.setPort(port);
    return url;
}

} // namespace inkroom::server
