#pragma once

#include "protocol.h"
#include "serverconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace inkroom::server {

class Connection;
class Room;
class Rooms;

/** @brief Where a hello becomes a member: everything between a connection's hello and its welcome.
 *
 * In order: the join token, the room (loaded, or created by this hello), room full, the room's password (checked off
 * the server's thread: PBKDF2 is slow on purpose), the client id's secret, replacing the id's old connection, and then
 * the join itself: the pending ops are committed, a new id's secret is stored, the welcome and catch-up are sent, and
 * the messages that arrived meanwhile are handled in order. The new ids that reach that point in one event-loop turn
 * are stored in one transaction (one sync for a whole class joining at once), each before its own welcome.
 *
 * Each connection between hello and welcome has one Attempt with one explicit Stage. Failed passwords, secrets and join
 * tokens, and rooms made with a password, are counted per peer address (too_many_attempts). Password hashes wait in a
 * queue bounded per address and overall (past either: server_busy, close 4020), and a hash whose connection has left
 * is skipped. Lives on the server's thread.
 */
class JoinFlow
{
public:
    //! How a joined member's message is handled (a deferred message is handed to it after the join).
    using Dispatch = std::function<void(Connection *, const QByteArray &)>;

    JoinFlow(const ServerConfig &config, Rooms &rooms, Dispatch dispatch);
    ~JoinFlow();
    JoinFlow(const JoinFlow &) = delete;
    JoinFlow &operator=(const JoinFlow &) = delete;

    //! A hello arrived on a connection awaiting one: start deciding (the connection is Joining from now on).
    void begin(Connection *connection, const proto::Hello &hello);
    /** A message arrived while the join is being decided: kept, and handled after the join in order. Past the cap
     *  (maxDeferredMessages, maxDeferredBytes) an op is refused with server_busy in its place and anything else is
     *  dropped; a connection that sends as many again is closed (1008). */
    void defer(Connection *connection, const QByteArray &bytes);
    //! An op the rate limit dropped while the join is being decided: refused in its place after the join.
    void deferRefusal(Connection *connection, const proto::Reject &reject);
    //! The connection is closing: its join ends here.
    void forget(Connection *connection);
    //! Forget failed attempts older than the window (the heartbeat calls it).
    void expireFailures();
    //! Wait for the password checks running off the thread (their answers still arrive as posted calls).
    void waitForChecks();
    //! The server is stopping: drop the checks that have not started, and wait for the running ones.
    void stopChecks();
    //! Password hashes queued or running for connections that are still there.
    [[nodiscard]] int checksInProgress() const { return m_checks; }

private:
    enum class Stage {
        Deciding, //!< on the server's thread, between two steps
        HashingNewPassword, //!< the hello creates a password room: its password is being hashed
        CheckingPassword, //!< the room's password is being derived from the hello's, to compare
        Registering //!< a new client id: its secret is stored with the others of this turn, then it enters
    };
    //! A message kept until the join, or the refusal of an op in its place.
    struct Deferred
    {
        QByteArray bytes;
        std::optional<proto::Reject> refusal;
    };
    struct Attempt
    {
        QPointer<Connection> connection;
        Stage stage = Stage::Deciding;
        QList<Deferred> deferred;
        qsizetype messages = 0;
        qsizetype refusals = 0;
        qint64 bytes = 0;
        //! Set while a hash for this attempt is queued or running; the hash is skipped when it is set to true.
        std::shared_ptr<std::atomic_bool> cancelled;
        QString peer; //!< peerKey() of the connection
        QByteArray secretHash; //!< Registering: the hash of the new id's secret
        int lostCreations = 0; //!< another server of the database created the room first (decided again)
    };
    //! The room could not be created because another server of the database just did: decide again (at most twice).
    bool decideAgainAfterLostCreation(Connection *connection);

    //! Find or create the room and check the password; then admit().
    void decide(Connection *connection);
    //! The room could not be opened: too large for the boards' memory now (server_full, close 4021) or the database.
    void failToOpen(Connection *connection, const QString &why);
    //! The password matched (or there is none): check the secret; a known id enters now, a new one is registered.
    void admit(Connection *connection, Room *room);
    //! Store the secrets of the new ids waiting (one transaction); each that is its own enters, in arrival order.
    void registerWaiting();
    //! Replace the id's old connection, welcome, and hand on what arrived meanwhile.
    void enter(Connection *connection, Room *room);
    //! The client id is registered with another secret: refused (bad_secret), and counted against the address.
    void refuseSecret(Connection *connection, const Room *room);
    //! Room full (counting its members on other servers) for a client id that is not a member yet: refused.
    bool refuseFullRoom(Connection *connection, Room *room);
    //! A refusal in place of an op that cannot be kept; false when the connection was closed instead.
    bool deferRefusalOrClose(Connection *connection, Attempt &attempt, const proto::Reject &reject);
    //! Derive off the thread; then(connection, result) runs on the server's thread if the attempt is still there.
    void runKdf(Connection *connection, Stage stage, std::function<QByteArray()> work,
                std::function<void(Connection *, const QByteArray &)> then);
    //! The attempt's hash is no longer wanted (answered, or its connection left): skip it if it has not run.
    void releaseCheck(Attempt &attempt);
    //! Refuse a join whose token, password or room creation may not be tried now from this address (4011).
    bool refuseTooManyAttempts(Connection *connection);
    bool tooManyFailures(const QHostAddress &address);
    void recordFailure(const QHostAddress &address);
    void forgiveFailure(const QHostAddress &address);

    const ServerConfig &m_config;
    Rooms &m_rooms;
    Dispatch m_dispatch;
    QHash<quint64, Attempt> m_attempts; //!< by connection serial
    QHash<QString, QList<qint64>> m_failures; //!< per peerKey(): when (m_clock ms)
    QHash<QString, int> m_checksPerPeer; //!< hashes queued or running, per peerKey()
    int m_checks = 0; //!< hashes queued or running
    QElapsedTimer m_clock;
    QThreadPool m_kdfPool;
    QList<quint64> m_registering; //!< serials of the attempts in Stage::Registering, in arrival order
    QObject m_poster; //!< context of the posted registerWaiting() (the end of this turn)
    bool m_registerPosted = false;
    //! The context of the KDF's answers: destroyed with the JoinFlow, so an answer never reaches a dead one.
    QObject m_context;
};

} // namespace inkroom::server
