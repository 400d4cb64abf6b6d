#include "listener.h"

#include "logging.h"

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

} // namespace inkroom::server
