#pragma once

#include "decodelane.h"
#include "frameoutput.h"
#include "outframe.h"
#include "protocol.h"
#include "ratelimiter.h"
#include "serverconfig.h"
#include "tokenbucket.h"
#include "wsframereader.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace inkroom::server {

class Connection;
class Room;
class TlsSocket;

/** The cseq of a message that claims to be an op, when it has a usable one: to answer an op that is dropped (rate
 *  limit, deferral cap) or malformed without trusting anything else in it. */
[[nodiscard]] std::optional<quint64> opCseqOf(const QByteArray &bytes);

/** @brief Writes what connections queued during one event-loop turn: one write and one send() per connection per
 * turn.
 *
 * A room of 150 drawing at 60 Hz is 1.3 million deliveries a second: connections append ready-made frames, shared
 * with the other recipients, to their FrameOutput and this flushes them all once per turn, from a posted call
 * (posted events run at the sockets' priority, so input cannot starve the flush as it can a zero timer).
 */
class OutputFlusher : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    //! Flush connection at the end of this turn (call once per turn, when its buffer stops being empty).
    void schedule(Connection *connection);
    //! Forget connection (it is being destroyed).
    void cancel(Connection *connection);
    //! Write every scheduled connection's frames now.
    void flush();

private:
    QList<Connection *> m_pending;
    bool m_posted = false;
};

/** @brief One client's WebSocket, as the server sees it: state, identity, and the protections that belong to a
 * single connection (hello timeout, output cap, rate limit, heartbeat bookkeeping, close-then-abort).
 *
 * It speaks WebSocket on the socket itself: a ws::FrameReader puts the client's messages together (and refuses what
 * breaks RFC 6455), and a FrameOutput writes the frames queued in a turn together; pings, pongs and the close
 * handshake go among them, in order. No QWebSocket: its objects, buffers and signal connections cost a third of an
 * idle connection, and every message passed through two more copies and signals.
 *
 * The Server decides what messages mean; a Connection carries them. Every close the server starts goes through
 * closeWith(): it happens at the next event-loop turn (so a broadcast loop is never disturbed), the peer gets
 * closeGraceMs to finish, then the socket is aborted.
 */
class Connection : public QObject
{
    Q_OBJECT

public:
    enum class State {
        AwaitingHello, //!< upgraded; the first message must be a hello
        Joining, //!< hello received; the JoinFlow is deciding (a password may be checked off the thread)
        Joined, //!< a member of room()
        Closing //!< on the way out; sends nothing more
    };

    /** transport: the socket the WebSocket handshake was answered on (plain TCP or a TlsSocket; the connection
     *  takes it over and reads its frames once start() is called). Without one, detach() must follow. */
    Connection(quint64 serial, QTcpSocket *transport, OutputFlusher *flusher, const ServerConfig &config,
               QObject *parent = nullptr);
    ~Connection() override;

    [[nodiscard]] quint64 serial() const { return m_serial; }
    [[nodiscard]] State state() const { return m_state; }
    //! Move between the open states (closeWith() is the only way to Closing).
    void setState(State state);
    [[nodiscard]] bool isClosing() const { return m_state == State::Closing; }
    //! Read the frames that arrived already, then as they come (call once the receivers are connected).
    void start();
    [[nodiscard]] QHostAddress peerAddress() const { return m_peerAddress; }
    //! "#12 192.168.1.7:50512 client-0001" for logs.
    [[nodiscard]] QString describe() const;

    // ---- who, once the hello has arrived ----
    [[nodiscard]] const proto::Hello &hello() const { return m_hello; }
    void setHello(const proto::Hello &hello);
    [[nodiscard]] const QString &clientId() const { return m_member.client; }
    [[nodiscard]] const proto::Member &member() const { return m_member; }
    void setProfile(const QString &name, proto::Colour colour);
    void setTyping(bool typing) { m_member.typing = typing; }
    //! The role an owner gave this member's client id (none: the room's default), as welcomes and presence show it.
    void setRole(std::optional<proto::Role> role) { m_member.role = role; }
    [[nodiscard]] Room *room() const { return m_room; }
    void setRoom(Room *room) { m_room = room; }

    // ---- the order of answers (docs/PROTOCOL.md, "Answers to ops") ----
    /** Should the op with this cseq be refused with held_back? After a transient refusal of cseq c, every later op
     *  with a higher cseq is, so a resent op is never overtaken by a later one of the same client; an op with cseq c
     *  or lower ends that (and is handled as usual). */
    [[nodiscard]] bool holdsBack(quint64 cseq);
    //! The op with this cseq got a transient refusal: hold back later ones (at the lowest such cseq).
    void hold(quint64 cseq);
    //! Send a refusal now and hold back when it is transient (use Room::reply() once joined, to keep the order).
    void refuse(const proto::Reject &reject);

    // ---- input ----
    //! Large messages are decoded by lane's workers (nullptr: all on the server's thread). Call once, at the start.
    void setDecodeLane(DecodeLane *lane) { m_lane = lane; }
    /** Hand on the messages whose turn has come, in the order they arrived (the DecodeLane calls it when a worker is
     *  done with one); with wait, first finish what the workers do for this connection until it waits within its
     *  bound. */
    void handOn(bool wait = false);
    [[nodiscard]] RateLimiter::Verdict takeToken(qint64 nowMs) { return m_rateLimiter.take(nowMs); }
    //! May an op of this many bytes be handled now (the byte rate of ops)? Takes them when it may.
    [[nodiscard]] bool takeOpBytes(qint64 nowMs, qint64 bytes) { return m_opBytes.tryTake(nowMs, double(bytes)); }
    //! May a history request be answered now (its own, slower bucket: each answer reads the log)?
    [[nodiscard]] bool takeHistoryToken(qint64 nowMs) { return m_historyBucket.tryTake(nowMs); }
    //! Milliseconds since the last message, frame or pong from the peer.
    [[nodiscard]] qint64 idleMs() const { return m_lastSeen.elapsed(); }

    // ---- output ----
    //! Send bytes that must arrive (every durable message); drops the client if its unsent output passes the cap.
    void send(const QByteArray &bytes) { send(OutFrame::binary(bytes)); }
    //! The same for a message framed already (a broadcast frames once for every member).
    void send(const OutFrame &frame);
    void sendMessage(const proto::Message &message) { send(proto::encode(message)); }
    //! Send bytes that may be skipped (cursors, live strokes): skipped while the client is behind.
    bool sendVolatile(const QByteArray &bytes) { return sendVolatile(OutFrame::binary(bytes)); }
    bool sendVolatile(const OutFrame &frame);
    //! A catch-up is a burst the server chose to send: the cap applies on top of what it adds.
    void beginCatchUp() { m_inCatchUp = true; }
    void endCatchUp();
    //! Check the output cap now (the heartbeat does it too).
    void checkOutput();
    //! Write the frames queued this turn to the socket (the OutputFlusher calls it; so does a close).
    void flushOutput();
    //! Bytes sent but not yet taken by the kernel: queued this turn and in the socket's buffer.
    [[nodiscard]] qint64 unsent() const { return m_output.unsent(); }
    void ping();

    //! Send a fatal error (naming field, if any), then close with closeCode.
    void fail(proto::ErrorCode code, const QString &message, quint16 closeCode, const QString &field = {});
    //! Close with this code at the next event-loop turn; abort after the grace period.
    void closeWith(quint16 code, const QString &reason);

    /** No socket (a detached server): the peer is address, and everything sent goes to sink instead, one message
     *  at a time. Call right after construction. */
    void detach(const QHostAddress &address, std::function<void(const QByteArray &)> sink);
    //! The peer went away (as a socket's disconnected() says): closing, then gone.
    void drop();

    // ---- throttled volatile updates (the Server relays; the Connection keeps the state) ----
    //! One kind of update relayed at most so often: the newest one waiting goes out when the interval is up.
    struct Throttle
    {
        qint64 lastMs = -1;
        QByteArray pending;
        QTimer timer;
    };
    Throttle cursorThrottle;
    Throttle viewThrottle;
    //! The member's latest view as relayed (client set), sent to members who join later; empty: none yet.
    QByteArray lastView;

Q_SIGNALS:
    /** A whole message arrived (text or binary), and its turn came. decoded: what a DecodeLane worker made of it, or
     *  nullptr (not decoded yet). */
    void messageReceived(inkroom::server::Connection *connection, const QByteArray &bytes,
                         const inkroom::server::DecodedMessage *decoded);
    //! The connection started closing: it is no longer a member of anything.
    void closing(inkroom::server::Connection *connection);
    //! The socket is gone; the Server deletes the connection.
    void gone(inkroom::server::Connection *connection);

private:
    void onMessage(const QByteArray &bytes);
    //! Read what the transport holds: messages, control frames, violations.
    void readFrames();
    //! The peer's close frame: answer it (unless it answers ours) and close the TCP connection.
    void onPeerClose(quint16 code);
    //! Queue a control frame (pong, ping, close) among the messages, in order.
    void sendControl(const OutFrame &frame);
    //! Let the transport read up to the end of the frame being read and the next header (one large message a turn).
    void limitReads();
    //! A message waiting its turn: with the job that decodes it, or behind such a message.
    struct Incoming
    {
        QByteArray bytes;
        std::shared_ptr<DecodeJob> job;
    };
    //! It leaves the queue (handed on or dropped).
    void forgetIncoming(const Incoming &incoming);
    //! Drop every waiting message (the connection is closing: nothing it sent is handled any more).
    void dropIncoming();
    //! Queue frame for the end of this turn (or write it at once when it is large).
    void queueFrame(const OutFrame &frame);

    const quint64 m_serial;
    QPointer<QTcpSocket> m_transport;
    ws::FrameReader m_reader;
    qint64 m_readLimit = 0; //!< the transport's read buffer size as last set
    bool m_closeSent = false; //!< our close frame is written: the peer's close ends it
    bool m_closeReceived = false;
    QPointer<OutputFlusher> m_flusher;
    FrameOutput m_output;
    std::function<void(const QByteArray &)> m_sink; //!< detached: where messages go
    const ServerConfig &m_config;
    State m_state = State::AwaitingHello;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;

    proto::Hello m_hello;
    proto::Member m_member;
    Room *m_room = nullptr;
    std::optional<quint64> m_heldAt; //!< the cseq of the last transient refusal, until it is sent again

    RateLimiter m_rateLimiter;
    TokenBucket m_opBytes;
    TokenBucket m_historyBucket;
    QElapsedTimer m_lastSeen;
    QTimer m_helloTimer;
    QTimer m_abortTimer;
    qint64 m_allowance;
    bool m_inCatchUp = false;

    QPointer<DecodeLane> m_lane;
    QList<Incoming> m_incoming; //!< in arrival order; the first waits for its job
    qint64 m_waitingBytes = 0; //!< of the messages in m_incoming without a job
    int m_jobs = 0; //!< messages in m_incoming with a job
    bool m_handingOn = false;
};

} // namespace inkroom::server
