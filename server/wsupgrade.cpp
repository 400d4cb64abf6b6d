#include "wsupgrade.h"

#include "logging.h"
#include "outframe.h"

#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
//! After a refusal or a close frame, how long the peer has to close its side before the socket is aborted.
constexpr int kCloseGraceMs = 2000;

//! Close socket once what was written to it has gone, or abort it after the grace; it is deleted either way.
void closeGracefully(QTcpSocket *socket)
{
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kCloseGraceMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->disconnectFromHost();
}
} // namespace

WebSocketUpgrade::WebSocketUpgrade(QTcpSocket *socket, OriginCheck allowOrigin)
    : QObject(socket)
    , m_socket(socket)
    , m_allowOrigin(std::move(allowOrigin))
{
    connect(m_socket, &QIODevice::readyRead, this, &WebSocketUpgrade::onReadyRead);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &WebSocketUpgrade::onReadyRead, Qt::QueuedConnection);
}

void WebSocketUpgrade::closeSocket(QTcpSocket *socket, quint16 code, const QString &reason)
{
    socket->write(OutFrame::close(code, reason).bytes());
    closeGracefully(socket);
}

void WebSocketUpgrade::onReadyRead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= m_scanned)
        return;
    // Look for the request's end in what is new (and the three bytes before it), without taking anything yet.
    const qint64 window = std::min<qint64>(available, ws::MaxRequestBytes + 4);
    const QByteArray seen = m_socket->peek(window);
    const qsizetype from = std::max<qsizetype>(0, m_scanned - 3);
    const qsizetype end = ws::requestEnd(QByteArrayView(seen).sliced(from));
    m_scanned = seen.size();
    if (end < 0) {
        if (seen.size() > ws::MaxRequestBytes) {
            const ws::RequestVerdict tooLong = ws::parseUpgradeRequest(seen); // 431, whatever else is in it
            refuse(tooLong.status, tooLong.why);
        }
        return;
    }
    const QByteArray head = m_socket->read(from + end);
    const ws::RequestVerdict verdict = ws::parseUpgradeRequest(head);
    if (!verdict.request) {
        refuse(verdict.status, verdict.why);
        return;
    }
    if (!m_allowOrigin(verdict.request->origin)) {
        qCInfo(lcNet).noquote() << "refused a handshake from origin" << verdict.request->origin;
        refuse(403, u"this server does not accept connections from the origin %1"_s.arg(verdict.request->origin));
        return;
    }
    m_socket->write(ws::switchingProtocols(verdict.request->key));
    disconnect(m_socket, nullptr, this, nullptr);
    QTcpSocket *socket = m_socket;
    setParent(nullptr);
    Q_EMIT upgraded(socket);
    delete this;
}

void WebSocketUpgrade::refuse(int status, const QString &why)
{
    qCInfo(lcNet).noquote() << "a WebSocket handshake from" << m_socket->peerAddress().toString() << "failed:" << status
                            << why;
    disconnect(m_socket, nullptr, this, nullptr);
    // What the client sent is read away, so closing with it unread does not reset the connection before the client
    // has read the answer.
    m_socket->skip(m_socket->bytesAvailable());
    m_socket->write(ws::refusal(status, why));
    closeGracefully(m_socket);
    deleteLater();
}

} // namespace inkroom::server
