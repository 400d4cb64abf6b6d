#include "listener.h"

#include "logging.h"

#include <QSslSocket>
#include <QTcpSocket>

#if defined(Q_OS_LINUX)
#include <sys/socket.h>

#include <cerrno>
#endif

namespace inkroom::server {

namespace {

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

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{ }

void Listener::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = createSocket();
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcNet) << "cannot take an accepted socket:" << socket->errorString();
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    prepareSocket(socket);
}

QTcpSocket *Listener::createSocket()
{
    return new DirectTcpSocket();
}

void Listener::prepareSocket(QTcpSocket *socket)
{
    Q_EMIT socketReady(socket);
}

TlsListener::TlsListener(const QSslConfiguration &configuration, QObject *parent)
    : Listener(parent)
    , m_configuration(configuration)
{ }

QTcpSocket *TlsListener::createSocket()
{
    auto *socket = new QSslSocket();
    socket->setSslConfiguration(m_configuration);
    return socket;
}

void TlsListener::prepareSocket(QTcpSocket *socket)
{
    auto *ssl = static_cast<QSslSocket *>(socket);
    // Before the handshake has finished, any error ends the connection (a plain ws:// client, a port scanner, a
    // client that refuses the certificate): free its slot now instead of at the handshake timeout.
    connect(ssl, &QSslSocket::errorOccurred, ssl, [ssl](QAbstractSocket::SocketError error) {
        if (ssl->isEncrypted())
            return;
        qCInfo(lcNet).noquote() << "TLS handshake with" << ssl->peerAddress().toString() << "failed:" << error
                                << ssl->errorString();
        ssl->abort();
        ssl->deleteLater();
    });
    ssl->startServerEncryption();
    Q_EMIT socketReady(socket);
}

} // namespace inkroom::server
