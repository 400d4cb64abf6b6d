#pragma once

#include "wshandshake.h"

#include <QObject>

#include <functional>

class QTcpSocket;

namespace inkroom::server {

/** @brief Answers a client's WebSocket opening handshake (RFC 6455, 4.2) on a freshly accepted socket.
 *
 * It reads the request and not one byte past its empty line, so frames a client sends right behind it are left for
 * the connection. A request that is not a version 13 upgrade, is longer than ws::MaxRequestBytes, or comes from a
 * browser origin the server does not allow gets an HTTP error and the socket is closed. The server's handshake timer
 * covers a client that never finishes.
 */
class WebSocketUpgrade : public QObject
{
    Q_OBJECT

public:
    //! Is a browser origin allowed (an empty one is a native client's)?
    using OriginCheck = std::function<bool(const QString &origin)>;

    //! Answer the handshake on socket (it becomes this object's parent).
    WebSocketUpgrade(QTcpSocket *socket, OriginCheck allowOrigin);

    //! Write a close frame (code, reason) and close the socket gracefully; it deletes itself once closed.
    static void closeSocket(QTcpSocket *socket, quint16 code, const QString &reason);

Q_SIGNALS:
    /** The handshake is answered: socket speaks WebSocket now (this object is gone by the time the receiver
     *  returns). Receivers take the socket over. */
    void upgraded(QTcpSocket *socket);

private:
    void onReadyRead();
    //! Answer with an HTTP error and close.
    void refuse(int status, const QString &why);

    QTcpSocket *m_socket;
    OriginCheck m_allowOrigin;
    qsizetype m_scanned = 0; //!< bytes of the socket's buffer already searched for the request's end
};

} // namespace inkroom::server
