#include "joinflow.h"

#include "closecodes.h"
#include "connection.h"
#include "logging.h"
#include "passwordhash.h"
#include "peerkey.h"
#include "room.h"
#include "rooms.h"
#include "store.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::CloseCode;
using proto::ErrorCode;

namespace {

//! The standard "internal error" close: the server could not read or write its database. Retryable.
constexpr quint16 kInternalClose = ws::CloseInternalError;

quint16 code(CloseCode closeCode)
{
    return quint16(closeCode);
}

} // namespace

JoinFlow::JoinFlow(const ServerConfig &config, Rooms &rooms, Dispatch dispatch)
    : m_config(config)
    , m_rooms(rooms)
    , m_dispatch(std::move(dispatch))
{
    m_kdfPool.setMaxThreadCount(2);
    m_clock.start();
}

JoinFlow::~JoinFlow()
{
    m_kdfPool.waitForDone();
}

void JoinFlow::begin(Connection *connection, const proto::Hello &hello)
{
    if (!m_config.joinToken.isEmpty()) {
        // Like a password: a blocked address learns nothing, and every wrong token counts against it.
        if (refuseTooManyAttempts(connection))
            return;
        if (!password::constantTimeEqual(hello.token.toUtf8(), m_config.joinToken.toUtf8())) {
            recordFailure(connection->peerAddress());
            connection->fail(ErrorCode::BadToken,
                             hello.token.isEmpty() ? u"this server needs a join token"_s : u"wrong join token"_s,
                             code(CloseCode::BadToken));
            return;
        }
    }
    connection->setHello(hello);
    connection->setState(Connection::State::Joining);
    Attempt attempt;
    attempt.connection = connection;
    attempt.peer = peerKey(connection->peerAddress());
    m_attempts.insert(connection->serial(), attempt);
    decide(connection);
}

bool JoinFlow::refuseTooManyAttempts(Connection *connection)
{
    if (!tooManyFailures(connection->peerAddress()))
        return false;
    connection->fail(ErrorCode::TooManyAttempts,
                     u"too many failed attempts (passwords, client secrets, join tokens) or new password rooms from "
                     "your address; wait a minute and try again"_s,
                     code(CloseCode::TooManyAttempts));
    return true;
}

bool JoinFlow::decideAgainAfterLostCreation(Connection *connection)
{
    const auto it = m_attempts.find(connection->serial());
    if (!m_rooms.lostCreation() || it == m_attempts.end() || it->lostCreations >= 2)
        return false;
    ++it->lostCreations;
    decide(connection); // its password (or none) decides now
    return true;
}

void JoinFlow::failToOpen(Connection *connection, const QString &why)
{
    // A room that does not fit in memory now may later (its message says why); anything else is the database's.
    if (m_rooms.refusedForMemory())
        connection->fail(ErrorCode::ServerFull, why, code(CloseCode::BoardsFull));
    else
        connection->fail(ErrorCode::Internal, u"the server cannot open this room"_s, kInternalClose);
}

void JoinFlow::decide(Connection *connection)
{
    const proto::Hello &hello = connection->hello();
    QString error;
    Room *room = m_rooms.find(hello.room, &error);
    if (!room && !error.isEmpty()) {
        failToOpen(connection, error);
        return;
    }
    if (room && room->standby().moved()) {
        // A member that comes back late learns where the room went, like those who were in it.
        const proto::Moved &moved = *room->standby().moved();
        connection->sendMessage(moved);
        connection->fail(ErrorCode::RoomMoved, u"The room moved to %1's computer."_s.arg(moved.name),
                         code(CloseCode::RoomMoved));
        return;
    }
    if (!room && m_config.storedRoomsOnly) {
        connection->fail(ErrorCode::NotServing,
                         u"this server does not serve room '%1' (yet): try again in a moment"_s.arg(hello.room),
                         code(CloseCode::NotServing));
        return;
    }

    if (!room) {
        if (hello.password.isEmpty()) {
            room = m_rooms.create(hello.room, {}, &error);
            if (!room && decideAgainAfterLostCreation(connection))
                return;
            if (!room) {
                connection->fail(ErrorCode::Internal, u"the server cannot create this room"_s, kInternalClose);
                return;
            }
            admit(connection, room);
            return;
        }
        // Making a password room costs a hash like checking a password does: it counts as an attempt of the address
        // (and is not forgiven), so hellos that make rooms cannot keep the hashing threads busy either.
        if (refuseTooManyAttempts(connection))
            return;
        recordFailure(connection->peerAddress());
        // The creator's password: hash it off the thread, then create the room unless somebody beat us to it.
        const QByteArray salt = password::newSalt();
        const int iterations = m_config.passwordIterations;
        const QString secret = hello.password;
        runKdf(
            connection, Stage::HashingNewPassword,
            [secret, salt, iterations] { return password::derive(secret, salt, iterations); },
            [this, salt, iterations](Connection *c, const QByteArray &hash) {
                QString failure;
                if (hash.isEmpty()) {
                    c->fail(ErrorCode::Internal, u"the server cannot hash the room's password"_s, kInternalClose);
                    return;
                }
                if (m_rooms.find(c->hello().room, &failure) || !failure.isEmpty()) {
                    decide(c); // created meanwhile (its password decides now), or it cannot be opened
                    return;
                }
                Room *created = m_rooms.create(c->hello().room, password::Hash {salt, hash, iterations}, &failure);
                if (!created && decideAgainAfterLostCreation(c))
                    return;
                if (!created) {
                    c->fail(ErrorCode::Internal, u"the server cannot create this room"_s, kInternalClose);
                    return;
                }
                created->rememberPassword(c->hello().password);
                admit(c, created);
            });
        return;
    }

    if (!room->memberByClient(hello.client) && refuseFullRoom(connection, room))
        return;
    if (!room->hasPassword()) {
        admit(connection, room);
        return;
    }
    if (hello.password.isEmpty()) {
        connection->fail(ErrorCode::WrongPassword, u"room '%1' needs a password"_s.arg(room->name()),
                         code(CloseCode::WrongPassword));
        return;
    }
    // Before any answer about the password, even a cached one: a blocked address learns nothing.
    const QHostAddress peer = connection->peerAddress();
    if (refuseTooManyAttempts(connection))
        return;
    if (room->isKnownPassword(hello.password)) {
        admit(connection, room);
        return;
    }
    // Counted now and forgiven on success, so parallel guesses count too.
    recordFailure(peer);
    const password::Hash stored = room->passwordHash();
    const QString secret = hello.password;
    runKdf(
        connection, Stage::CheckingPassword,
        [secret, stored] { return password::derive(secret, stored.salt, stored.iterations); },
        [this, stored, peer](Connection *c, const QByteArray &derived) {
            if (!password::constantTimeEqual(derived, stored.hash)) {
                qCInfo(lcRoom).noquote() << c->describe() << "gave a wrong password for" << c->hello().room;
                c->fail(ErrorCode::WrongPassword, u"wrong password for room '%1'"_s.arg(c->hello().room),
                        code(CloseCode::WrongPassword));
                return;
            }
            forgiveFailure(peer);
            QString failure;
            Room *found = m_rooms.find(c->hello().room, &failure);
            if (!found) {
                failToOpen(c, failure);
                return;
            }
            found->rememberPassword(c->hello().password);
            admit(c, found);
        });
}

void JoinFlow::admit(Connection *connection, Room *room)
{
    if (connection->isClosing())
        return;
    const proto::Hello &hello = connection->hello();

    // Several servers on one database: what the others committed first, so identity, bans and the catch-up are current.
    if (QString error; !m_rooms.catchUp(room, &error)) {
        connection->fail(ErrorCode::Internal, error, kInternalClose);
        return;
    }

    // The secret, only now (after the token and the password): a client id the room knows must prove it is its own.
    const QByteArray secretHash = QCryptographicHash::hash(hello.secret.toUtf8(), QCryptographicHash::Sha256);
    const RoomClients::Identity identity = room->identify(hello.client, secretHash);
    if (identity != RoomClients::Identity::New) {
        // Like a password: a blocked address learns nothing about the secret, and a wrong one counts against it.
        if (refuseTooManyAttempts(connection))
            return;
        if (identity == RoomClients::Identity::Mismatch) {
            // The member connected with this id, if any, is not disturbed.
            refuseSecret(connection, room);
            return;
        }
    }

    if (room->controls().isBanned(hello.client)) {
        qCInfo(lcRoom).noquote() << connection->describe() << "is banned from" << room->name();
        connection->fail(ErrorCode::Banned, u"an owner of room '%1' banned you from it"_s.arg(room->name()),
                         code(CloseCode::Banned));
        return;
    }

    if (!room->memberByClient(hello.client) && refuseFullRoom(connection, room))
        return;
    if (identity != RoomClients::Identity::New) {
        enter(connection, room);
        return;
    }
    // A new client id's secret is on disk before its welcome, so nobody can take the id over after a restart. Every
    // new id of this turn shares the transaction (and its sync): registerWaiting() at the turn's end.
    const auto it = m_attempts.find(connection->serial());
    if (it == m_attempts.end())
        return;
    it->stage = Stage::Registering;
    it->secretHash = secretHash;
    m_registering.append(connection->serial());
    if (!m_registerPosted) {
        m_registerPosted = true;
        QMetaObject::invokeMethod(
            &m_poster,
            [this] {
                m_registerPosted = false;
                registerWaiting();
            },
            Qt::QueuedConnection);
    }
}

void JoinFlow::refuseSecret(Connection *connection, const Room *room)
{
    recordFailure(connection->peerAddress());
    qCInfo(lcRoom).noquote() << connection->describe() << "gave another secret for a client id of" << room->name();
    connection->fail(
        ErrorCode::BadSecret,
        u"client id '%1' belongs to another installation in room '%2'"_s.arg(connection->hello().client, room->name()),
        code(CloseCode::BadSecret));
}

bool JoinFlow::refuseFullRoom(Connection *connection, Room *room)
{
    const QString &client = connection->hello().client;
    // The room's members on every server count (as far as this one has heard of them).
    if (room->members().size() + room->remoteMemberCount(client) < m_config.maxRoomMembers)
        return false;
    connection->fail(ErrorCode::RoomFull,
                     u"room '%1' has %2 members, as many as it allows"_s.arg(room->name()).arg(m_config.maxRoomMembers),
                     code(CloseCode::RoomFull));
    return true;
}

void JoinFlow::registerWaiting()
{
    // No Room pointers are kept across the loops: finding one room may unload another, idle one (its joiners are
    // not members yet) to make room for a board.
    struct Waiting
    {
        QPointer<Connection> connection;
        qint64 roomId = 0;
        QByteArray secretHash;
        ClientRecord stored;
    };
    QList<Waiting> waiting;
    for (const quint64 serial : std::exchange(m_registering, {})) {
        const auto it = m_attempts.find(serial);
        if (it == m_attempts.end() || it->stage != Stage::Registering || !it->connection || it->connection->isClosing())
            continue;
        it->stage = Stage::Deciding;
        // Found again: a room may have been unloaded (and is read again) since its joiner got here.
        QString failure;
        const Room *room = m_rooms.find(it->connection->hello().room, &failure);
        if (!room) {
            failToOpen(it->connection, failure);
            continue;
        }
        waiting.append(Waiting {it->connection, room->id(), it->secretHash, {}});
    }
    if (waiting.isEmpty())
        return;

    // Everything that arrived before the joins is committed first, so each catch-up ends exactly at head.
    m_rooms.commit();
    Store &store = m_rooms.store();
    bool stored = store.begin();
    for (Waiting &one : waiting) {
        stored =
            stored && store.registerClient(one.roomId, one.connection->hello().client, one.secretHash, &one.stored);
    }
    if (stored)
        stored = store.commit();
    else
        store.rollback();

    for (const Waiting &one : std::as_const(waiting)) {
        Connection *connection = one.connection;
        if (!connection || connection->isClosing())
            continue; // its row stays: an id registered, as if it had left right after its welcome
        if (!stored) {
            connection->fail(ErrorCode::Internal, u"the server cannot store this client id"_s, kInternalClose);
            continue;
        }
        // Each room is found right before its joiner enters (and becomes a member, so that it stays loaded).
        QString failure;
        Room *room = m_rooms.find(connection->hello().room, &failure);
        if (!room) {
            failToOpen(connection, failure);
            continue;
        }
        if (room->id() != one.roomId) {
            connection->fail(ErrorCode::Internal, u"room '%1' changed while you joined; join again"_s.arg(room->name()),
                             kInternalClose);
            continue;
        }
        if (!room->adoptClient(connection->hello().client, one.secretHash, one.stored)) {
            // Registered first with another secret: in this batch, or through another server of the database.
            refuseSecret(connection, room);
            continue;
        }
        enter(connection, room);
    }
}

void JoinFlow::enter(Connection *connection, Room *room)
{
    const proto::Hello &hello = connection->hello();
    Connection *previous = room->memberByClient(hello.client);
    // Checked again: the room may have filled while this id was being registered.
    if (!previous && refuseFullRoom(connection, room))
        return;
    if (previous) {
        qCInfo(lcRoom).noquote() << previous->describe() << "is replaced by" << connection->describe();
        previous->fail(ErrorCode::Replaced, u"this client id connected again; this connection is closed"_s,
                       code(CloseCode::Replaced));
        room->removeMember(previous);
        previous->setRoom(nullptr);
    }
    // Everything that arrived before the join is committed first, so the catch-up ends exactly at head.
    m_rooms.commit();
    // The first client id of a room owns it (a room from a database before roles: the first to join after).
    if (!room->claimOwnershipIfNone(hello.client)) {
        connection->fail(ErrorCode::Internal, u"the server cannot store the room's owner"_s, kInternalClose);
        return;
    }
    connection->setRole(room->controls().ownRole(hello.client));

    // Two people are never shown as one: a second "Ann" in Ann's colour is shown as "Ann (2)".
    connection->setProfile(room->distinctName(connection, hello.name, hello.colour), hello.colour);
    const Attempt attempt = m_attempts.take(connection->serial());
    connection->setState(Connection::State::Joined);
    connection->setRoom(room);
    room->sendJoin(connection, hello.resume);
    room->addMember(connection);
    room->broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Joined, connection->member()}), connection);

    // What arrived meanwhile, in order: messages as a member's, refusals in place of the ops they stand for.
    for (const Deferred &deferred : attempt.deferred) {
        if (connection->isClosing())
            break;
        if (deferred.refusal)
            room->reply(connection, *deferred.refusal);
        else
            m_dispatch(connection, deferred.bytes);
    }
}

void JoinFlow::defer(Connection *connection, const QByteArray &bytes)
{
    const auto it = m_attempts.find(connection->serial());
    if (it == m_attempts.end())
        return;
    Attempt &attempt = *it;
    if (attempt.messages < m_config.maxDeferredMessages && attempt.bytes + bytes.size() <= m_config.maxDeferredBytes) {
        attempt.deferred.append(Deferred {bytes, std::nullopt});
        ++attempt.messages;
        attempt.bytes += bytes.size();
        return;
    }
    if (attempt.refusals == 0)
        qCWarning(lcNet).noquote() << connection->describe() << "sent too much before its join finished";
    // Past the cap an op is refused in its place; volatile messages are dropped, as when a client is behind.
    if (const std::optional<quint64> cseq = opCseqOf(bytes)) {
        deferRefusalOrClose(connection, attempt,
                            proto::Reject {*cseq, ErrorCode::ServerBusy,
                                           u"the server keeps at most %1 messages (%2 bytes) that arrive before the "
                                           "join completes; send it again"_s.arg(m_config.maxDeferredMessages)
                                               .arg(m_config.maxDeferredBytes),
                                           true});
    }
}

void JoinFlow::deferRefusal(Connection *connection, const proto::Reject &reject)
{
    const auto it = m_attempts.find(connection->serial());
    if (it != m_attempts.end())
        deferRefusalOrClose(connection, *it, reject);
}

bool JoinFlow::deferRefusalOrClose(Connection *connection, Attempt &attempt, const proto::Reject &reject)
{
    // A refusal kept for later takes a few dozen bytes, but a connection that keeps sending while its join waits
    // would grow the list without end: as many refusals as the cap on messages, then it is closed instead.
    if (attempt.refusals >= m_config.maxDeferredMessages) {
        connection->fail(ErrorCode::ServerBusy, u"too many messages before the join completed"_s,
                         code(CloseCode::Policy));
        return false;
    }
    ++attempt.refusals;
    attempt.deferred.append(Deferred {QByteArray(), reject});
    return true;
}

void JoinFlow::forget(Connection *connection)
{
    const auto it = m_attempts.find(connection->serial());
    if (it == m_attempts.end())
        return;
    releaseCheck(*it);
    m_attempts.erase(it);
}

void JoinFlow::waitForChecks()
{
    m_kdfPool.waitForDone();
}

void JoinFlow::stopChecks()
{
    for (Attempt &attempt : m_attempts)
        releaseCheck(attempt);
    m_kdfPool.waitForDone();
}

void JoinFlow::releaseCheck(Attempt &attempt)
{
    if (!attempt.cancelled)
        return;
    attempt.cancelled->store(true);
    attempt.cancelled.reset();
    --m_checks;
    const auto it = m_checksPerPeer.find(attempt.peer);
    if (it != m_checksPerPeer.end() && --*it <= 0)
        m_checksPerPeer.erase(it);
}

void JoinFlow::runKdf(Connection *connection, Stage stage, std::function<QByteArray()> work,
                      std::function<void(Connection *, const QByteArray &)> then)
{
    const quint64 serial = connection->serial();
    const auto it = m_attempts.find(serial);
    if (it == m_attempts.end())
        return;
    // The hashing threads are shared: each address gets a few places in their queue, and the queue has an end.
    if (m_checks >= m_config.maxPasswordChecks
        || m_checksPerPeer.value(it->peer) >= m_config.maxPasswordChecksPerAddress) {
        const bool mine = m_checks < m_config.maxPasswordChecks;
        qCInfo(lcNet).noquote() << connection->describe() << "refused: too many password checks waiting"
                                << (mine ? "from its address" : "");
        forgiveFailure(connection->peerAddress()); // not tried, so not counted
        connection->fail(
            ErrorCode::ServerBusy,
            mine ? u"your address has %1 passwords being checked already; try again in a moment"_s.arg(
                m_config.maxPasswordChecksPerAddress)
                 : u"the server is busy checking %1 passwords; try again in a moment"_s.arg(m_config.maxPasswordChecks),
            code(CloseCode::Busy));
        return;
    }
    it->stage = stage;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    it->cancelled = cancelled;
    ++m_checks;
    ++m_checksPerPeer[it->peer];
    m_kdfPool.start([this, serial, stage, cancelled, work = std::move(work), then = std::move(then)] {
        // Nobody waits for it any more (the connection left, or the server is stopping): skip the work.
        if (cancelled->load())
            return;
        const QByteArray result = work();
        // Back on the server's thread; the connection may be gone by now.
        QMetaObject::invokeMethod(
            &m_context,
            [this, serial, stage, cancelled, result, then] {
                const auto attempt = m_attempts.find(serial);
                if (cancelled->load() || attempt == m_attempts.end() || attempt->stage != stage || !attempt->connection
                    || attempt->connection->isClosing())
                    return;
                releaseCheck(*attempt);
                attempt->stage = Stage::Deciding;
                then(attempt->connection.data(), result);
            },
            Qt::QueuedConnection);
    });
}

bool JoinFlow::tooManyFailures(const QHostAddress &address)
{
    QList<qint64> &times = m_failures[peerKey(address)];
    const qint64 now = m_clock.elapsed();
    times.removeIf([this, now](qint64 t) { return now - t >= m_config.passwordFailureWindowMs; });
    return times.size() >= m_config.maxPasswordFailures;
}

void JoinFlow::recordFailure(const QHostAddress &address)
{
    m_failures[peerKey(address)].append(m_clock.elapsed());
}

void JoinFlow::forgiveFailure(const QHostAddress &address)
{
    const auto it = m_failures.find(peerKey(address));
    if (it != m_failures.end() && !it->isEmpty())
        it->removeLast();
}

void JoinFlow::expireFailures()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        it->removeIf([this, now](qint64 t) { return now - t >= m_config.passwordFailureWindowMs; });
        it = it->isEmpty() ? m_failures.erase(it) : std::next(it);
    }
}

} // namespace inkroom::server
