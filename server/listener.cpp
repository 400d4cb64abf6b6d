#include "listener.h"

#include "logging.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace inkroom::server {

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
    return new QTcpSocket();
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
