#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QTcpSocket;

namespace inkroom::server {

/** @brief Closes a connection with 1002 when the client sends a frame without a mask (RFC 6455, 5.1), which
 * QtWebSockets 6.4 would read as if masked with the key 0.
 *
 * Qt tells the application neither the mask bit nor where frames begin, so this follows the frame headers in the
 * bytes the socket holds, next to Qt: it is the socket's first readyRead() receiver (so it sees new bytes before
 * QWebSocket's reader does, in the same emission) and, once the WebSocket is made, also its last (so it learns how
 * much that reader took). New bytes are always appended at the end of the socket's buffer: what is there beyond
 * the bytes it had already seen is new, and only frame headers are read from it (payloads are skipped by their
 * length). Works the same over TLS: TlsSocket emits readyRead() for what it has decrypted. A client that sends
 * anything before the server has answered its handshake (RFC 6455, 4.1) cannot be followed, and is closed with
 * 1002 too.
 *
 * Knowing where frames end, it also keeps the socket from reading past the end of the frame being put together
 * (and the next header): a connection brings at most one large message into an event-loop turn.
 */
class FrameGuard : public QObject
{
    Q_OBJECT

public:
    //! Watch socket (its child); call before anything else connects to its readyRead().
    explicit FrameGuard(QTcpSocket *socket);
    //! The WebSocket handshake is done and QWebSocket reads from the socket now.
    void upgraded();
    //! It closed the connection with 1002.
    [[nodiscard]] bool hasFailed() const { return m_state == State::Failed; }

Q_SIGNALS:
    //! The client broke the framing rules; the connection is being closed with 1002 (why: in words, for the log).
    void violated(const QString &why);

private:
    enum class State {
        Handshake, //!< before the upgrade: looking for the end of the HTTP request
        Frames, //!< following frame headers
        Lost, //!< could not follow the stream any more (a nested read): no longer checking
        Failed
    };
    void onFirst(); //!< before QWebSocket's reader, in each readyRead()
    void onLast(); //!< after it
    void scanHandshake(const QByteArray &fresh);
    //! Follow fresh bytes (the last fresh of the socket's available ones); false on a violation.
    bool scanFrames(qint64 available, qint64 fresh);
    //! Close with 1002 and reason (in the close frame; at most 123 bytes), after logging why.
    void fail(const QString &why, const QByteArray &reason);
    //! Let the socket read up to the end of the frame being put together and the next header (see the .cpp).
    void limitReads(qint64 available);

    QTcpSocket *m_socket;
    State m_state = State::Handshake;
    qint64 m_known = 0; //!< bytes in the socket's buffer already seen
    bool m_inEmission = false;
    // Handshake
    QByteArray m_tail; //!< the last bytes of the request seen (to find \r\n\r\n across reads)
    bool m_requestEnded = false;
    bool m_earlyData = false; //!< bytes after the request, before the server's answer
    // Frames
    quint64 m_skip = 0; //!< payload bytes of the current frame still to come
    qint64 m_received = 0; //!< bytes seen since the upgrade
    QList<qint64> m_frameEnds; //!< where the frames whose headers were seen end (counted like m_received)
    QByteArray m_header; //!< the bytes of a frame header seen so far
};

} // namespace inkroom::server
