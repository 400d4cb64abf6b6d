#include "tcpproxy.h"

#include <QTcpSocket>

namespace inkroom::bench {

TcpProxy::TcpProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

bool TcpProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpProxy::cut()
{
    m_refusing = true;
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->abort();
    }
    m_sockets.clear();
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        if (m_refusing) {
            client->abort();
            client->deleteLater();
            continue;
        }
        auto *upstream = new QTcpSocket(client);
        client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const auto pipe = [](QTcpSocket *from, QTcpSocket *to) {
            QObject::connect(from, &QTcpSocket::readyRead, to, [from, to] {
                if (to->state() == QAbstractSocket::ConnectedState)
                    to->write(from->readAll());
            });
        };
        pipe(client, upstream);
        pipe(upstream, client);
        connect(upstream, &QTcpSocket::connected, client, [client, upstream] {
            upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (client->bytesAvailable() > 0)
                upstream->write(client->readAll());
        });
        const auto close = [client, upstream] {
            client->abort();
            upstream->abort();
            client->deleteLater();
        };
        connect(client, &QTcpSocket::disconnected, this, close);
        connect(upstream, &QTcpSocket::disconnected, this, close);
        connect(upstream, &QTcpSocket::errorOccurred, this, close);
        m_sockets.append(client);
        m_sockets.append(upstream);
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }
}

} // namespace inkroom::bench
