#include "server.h"

#include "closecodes.h"
#include "connection.h"
#include "listener.h"
#include "logging.h"
#include "passwordhash.h"
#include "protocollimits.h"
#include "room.h"
#include "store.h"
#include "tlsidentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QNetworkInterface>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#include <cmath>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::CloseCode;
using proto::ErrorCode;

namespace {

constexpr auto kHandshakeTimerName = "inkroom-handshake-timer";
//! The standard "internal error" close (1011): the server could not read or write its database. Retryable.
constexpr quint16 kInternalClose = QWebSocketProtocol::CloseCodeBadOperation;

quint16 code(CloseCode closeCode)
{
    return quint16(closeCode);
}

QString socketKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

//! The cseq of a message that claims to be an op, when it has a usable one (to reject a malformed op by cseq).
std::optional<quint64> opCseqOf(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value("type"_L1).toString() != "op"_L1)
        return std::nullopt;
    const QJsonValue cseq = object.value("cseq"_L1);
    if (!cseq.isDouble())
        return std::nullopt;
    const double value = cseq.toDouble();
    if (!(value >= 1 && value <= double(limits::MaxSequence)) || value != std::floor(value))
        return std::nullopt;
    return quint64(value);
}

/** The live message to relay: the sender's own bytes with "client" put in front, or, when that is not safe, the
 *  decoded message encoded again.
 *
 * Encoding a live message costs twice what decoding it does, and a room relays one per drawing member 30 to 60 times
 * a second. The bytes decoded as one JSON object without a "client" member (live.client is empty only then), so
 * {"client":"<id>", followed by the rest of it is valid JSON naming the sender exactly once. Only messages about as
 * small as their decoded fields qualify: a relay never carries more than a few hundred bytes of anything else.
 */
QByteArray relayedLive(const proto::Live &live, const QByteArray &bytes, const QString &client)
{
    const qsizetype budget = 512 + 48 * live.points.size() + 2 * live.id.size();
    qsizetype brace = 0;
    while (brace < bytes.size()
           && (bytes[brace] == ' ' || bytes[brace] == '\t' || bytes[brace] == '\n' || bytes[brace] == '\r'))
        ++brace;
    if (!live.client.isEmpty() || bytes.size() > budget || brace >= bytes.size() || bytes[brace] != '{') {
        proto::Live copy = live;
        copy.client = client;
        return proto::encode(copy);
    }
    const QByteArray id = client.toLatin1(); // client ids are A-Z a-z 0-9 - _ : . only
    QByteArray out;
    out.reserve(bytes.size() + id.size() + 12);
    out.append("{\"client\":\"", 11);
    out.append(id);
    out.append("\",", 2);
    out.append(bytes.constData() + brace + 1, bytes.size() - brace - 1);
    return out;
}

} // namespace

QString normaliseOrigin(const QString &origin)
{
    const QString trimmed = origin.trimmed();
    if (trimmed.compare("null"_L1, Qt::CaseInsensitive) == 0)
        return u"null"_s;
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.userInfo().isEmpty()
        || (!url.path().isEmpty() && url.path() != "/"_L1) || url.hasQuery() || url.hasFragment())
        return {};
    const QString scheme = url.scheme().toLower();
    const int defaultPort = scheme == "https"_L1 || scheme == "wss"_L1 ? 443
        : scheme == "http"_L1 || scheme == "ws"_L1                     ? 80
                                                                       : -1;
    QUrl normal;
    normal.setScheme(scheme);
    normal.setHost(url.host().toLower());
    if (url.port() != -1 && url.port() != defaultPort)
        normal.setPort(url.port());
    return normal.toString(QUrl::FullyEncoded);
}

class ServerPrivate
{
public:
    ServerPrivate(Server *server, ServerConfig serverConfig)
        : q(server)
        , config(std::move(serverConfig))
        , heartbeat(new QTimer(server))
        , flushTimer(new QTimer(server))
        , output(new OutputFlusher(server))
    {
        config.maxRoomMembers = std::clamp(config.maxRoomMembers, 1, limits::MaxMembersPerWelcome);
        config.maxConnections = std::max(config.maxConnections, 1);
        config.maxBatchOps = std::max(config.maxBatchOps, 1);
        config.pingIntervalMs = std::max(config.pingIntervalMs, 10);
        kdfPool.setMaxThreadCount(2);
        clock.start();
        flushTimer->setSingleShot(true);
        QObject::connect(flushTimer, &QTimer::timeout, q, [this] { flush(); });
        QObject::connect(heartbeat, &QTimer::timeout, q, [this] { tick(); });
    }

    Server *const q;
    ServerConfig config;
    QString dataDir;
    std::unique_ptr<QLockFile> lock;
    Store store;
    Listener *listener = nullptr;
    QWebSocketServer *webSockets = nullptr;
    QTimer *heartbeat;
    QTimer *flushTimer;
    OutputFlusher *output;
    QThreadPool kdfPool;
    QElapsedTimer clock;

    QHash<QString, QPointer<QTcpSocket>> handshaking; //!< accepted, WebSocket handshake not done
    QHash<quint64, Connection *> connections;
    quint64 nextSerial = 1;
    std::unordered_map<QString, std::unique_ptr<Room>> rooms;
    QSet<Room *> dirty;
    QHash<QString, QList<qint64>> passwordFailures; //!< per peer address: when (clock ms)
    std::optional<tls::Identity> identity; //!< the TLS identity (not insecure)
    QSet<QString> allowedOrigins; //!< normalised

    bool started = false;
    bool shuttingDown = false;
    bool done = false;

    // ---- accepting ----
    void onSocketReady(QTcpSocket *socket);
    void onNewWebSockets();
    void adopt(QWebSocket *socket);
    Connection *addConnection(QWebSocket *socket, QTcpSocket *transport);
    bool isOriginAllowed(const QString &origin) const;

    // ---- messages ----
    void onMessage(Connection *connection, const QByteArray &bytes, bool counted);
    void handleBeforeJoin(Connection *connection, const proto::DecodeResult &result);
    void handleJoined(Connection *connection, const QByteArray &bytes, const proto::DecodeResult &result);
    void relayCursor(Connection *connection, proto::Cursor cursor);
    void sendPendingCursor(Connection *connection);

    // ---- joining ----
    void beginJoin(Connection *connection, const proto::Hello &hello);
    void continueJoin(Connection *connection);
    void completeJoin(Connection *connection, Room *room);
    Room *findRoom(const QString &name, QString *error);
    Room *createRoom(const QString &name, const password::Hash &password, QString *error);
    void runKdf(Connection *connection, std::function<QByteArray()> work,
                std::function<void(Connection *, const QByteArray &)> then);
    bool tooManyFailures(const QHostAddress &address);
    void recordFailure(const QHostAddress &address);
    void forgiveFailure(const QHostAddress &address);

    // ---- the log ----
    void scheduleFlush(Room *room);
    void flush();
    void compactLater(const QString &roomName);

    // ---- leaving and housekeeping ----
    void onClosing(Connection *connection);
    void onGone(Connection *connection);
    void tick();
    void finish();
    void teardown();
};

// ------------------------------------------------------------------------------------------------ accepting

void ServerPrivate::onSocketReady(QTcpSocket *socket)
{
    if (shuttingDown || handshaking.size() >= config.maxPendingHandshakes) {
        qCWarning(lcNet) << "dropping a connection from" << socket->peerAddress().toString()
                         << (shuttingDown ? "while shutting down" : "(too many handshakes in progress)");
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->setParent(q);
    const QString key = socketKey(socket->peerAddress(), socket->peerPort());
    handshaking.insert(key, socket);
    QObject::connect(socket, &QObject::destroyed, q, [this, key] {
        // While destroyed() is emitted, the QPointer to this socket already reads null: a null entry is this socket's
        // (a socket that took the key since would not be null). Comparing with the socket never matched, so sockets
        // that died in the handshake kept their slots until none were left for anybody.
        const auto it = handshaking.find(key);
        if (it != handshaking.end() && it->isNull())
            handshaking.erase(it);
    });
    // QWebSocketServer::handleConnection() has no handshake timeout of its own, and 6.4.2 may leave a socket
    // whose handshake failed open: whatever has not become a WebSocket in time is aborted.
    auto *timer = new QTimer(socket);
    timer->setObjectName(QLatin1StringView(kHandshakeTimerName));
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, socket, [socket] {
        qCInfo(lcNet) << "no WebSocket handshake in time from" << socket->peerAddress().toString();
        socket->abort();
        socket->deleteLater();
    });
    timer->start(config.handshakeTimeoutMs);
    qCDebug(lcNet) << "accepted" << key;
    webSockets->handleConnection(socket);
}

void ServerPrivate::onNewWebSockets()
{
    while (QWebSocket *socket = webSockets->nextPendingConnection())
        adopt(socket);
}

void ServerPrivate::adopt(QWebSocket *socket)
{
    const QString key = socketKey(socket->peerAddress(), socket->peerPort());
    QPointer<QTcpSocket> raw = handshaking.take(key);
    if (raw)
        delete raw->findChild<QTimer *>(QLatin1StringView(kHandshakeTimerName));
    if (shuttingDown) {
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"the server is shutting down"_s);
        socket->deleteLater();
        return;
    }

    Connection *connection = addConnection(socket, raw.data());
    if (raw) {
        raw->setParent(connection);
        // handleConnection() connected the socket's disconnected() to the QWebSocketServer, to delete it, and 6.4
        // never takes that connection back: every open socket stays one more sender of the QWebSocketServer, and
        // each handshake looks itself up in that list (QObject::sender()), so opening n connections cost O(n^2).
        // The socket is the connection's child now and goes with it.
        QObject::disconnect(raw.data(), nullptr, webSockets, nullptr);
    }
    if (connections.size() > config.maxConnections) {
        connection->fail(
            ErrorCode::ServerFull,
            u"the server has %1 connections, as many as it allows; try again later"_s.arg(config.maxConnections),
            code(CloseCode::ServerFull));
    }
    Q_EMIT q->connectionCountChanged(int(connections.size()));
}

Connection *ServerPrivate::addConnection(QWebSocket *socket, QTcpSocket *transport)
{
    auto *connection = new Connection(nextSerial++, socket, transport, output, config, q);
    QObject::connect(connection, &Connection::messageReceived, q,
                     [this](Connection *c, const QByteArray &bytes) { onMessage(c, bytes, false); });
    QObject::connect(connection, &Connection::closing, q, [this](Connection *c) { onClosing(c); });
    QObject::connect(connection, &Connection::gone, q, [this](Connection *c) { onGone(c); });
    QObject::connect(&connection->cursorTimer, &QTimer::timeout, connection,
                     [this, connection] { sendPendingCursor(connection); });
    connections.insert(connection->serial(), connection);
    qCInfo(lcNet).noquote() << connection->describe() << "connected;" << connections.size() << "connections";
    return connection;
}

bool ServerPrivate::isOriginAllowed(const QString &origin) const
{
    // No Origin header: not a browser (browsers always send one on WebSocket handshakes).
    if (origin.isEmpty())
        return true;
    const QString normal = normaliseOrigin(origin);
    return !normal.isEmpty() && allowedOrigins.contains(normal);
}

// ------------------------------------------------------------------------------------------------ messages

void ServerPrivate::onMessage(Connection *connection, const QByteArray &bytes, bool counted)
{
    if (connection->isClosing())
        return;
    if (!counted) {
        switch (connection->takeToken(clock.elapsed())) {
        case RateLimiter::Verdict::Allow:
            break;
        case RateLimiter::Verdict::FirstExcess:
            qCInfo(lcNet).noquote() << connection->describe() << "is over the rate limit";
            connection->sendMessage(proto::Error {
                ErrorCode::RateLimited,
                u"too many messages: at most %1 a second (bursts of %2); messages over the limit are dropped, and "
                "a connection that keeps going is closed"_s.arg(config.ratePerSecond)
                    .arg(config.rateBurst),
                QString(), false});
            [[fallthrough]];
        case RateLimiter::Verdict::Excess:
            // Every op gets exactly one answer, even one that is dropped.
            if (connection->state() == Connection::State::Joined && connection->room()) {
                if (const auto cseq = opCseqOf(bytes)) {
                    connection->room()->reply(connection,
                                              proto::encode(proto::Reject {*cseq, ErrorCode::RateLimited,
                                                                           u"dropped: over the rate limit"_s, true}));
                }
            }
            return;
        case RateLimiter::Verdict::Close:
            qCWarning(lcNet).noquote() << connection->describe() << "kept going over the rate limit; closing";
            connection->fail(ErrorCode::RateLimited, u"too many messages for too long"_s, code(CloseCode::Policy));
            return;
        }
    }

    switch (connection->state()) {
    case Connection::State::AwaitingHello:
        handleBeforeJoin(connection, proto::decode(bytes, limits::MaxClientMessageBytes));
        return;
    case Connection::State::Authenticating:
        if (!connection->defer(bytes))
            qCWarning(lcNet).noquote() << connection->describe() << "sent too much before its join finished";
        return;
    case Connection::State::Joined:
        handleJoined(connection, bytes, proto::decode(bytes, limits::MaxClientMessageBytes));
        return;
    case Connection::State::Closing:
        return;
    }
}

void ServerPrivate::handleBeforeJoin(Connection *connection, const proto::DecodeResult &result)
{
    if (!result.ok()) {
        const proto::DecodeError &error = result.error();
        if (error.code == ErrorCode::UnsupportedVersion) {
            connection->fail(ErrorCode::UnsupportedVersion, error.message, code(CloseCode::UnsupportedVersion));
        } else {
            connection->fail(error.code, u"the first message must be a valid hello: "_s + error.message,
                             code(CloseCode::BadHello), error.field);
        }
        return;
    }
    if (proto::typeOf(result.message()) != proto::MessageType::Hello) {
        connection->sendMessage(proto::Error {ErrorCode::NotJoined, u"send hello first"_s, u"type"_s, false});
        return;
    }
    beginJoin(connection, std::get<proto::Hello>(result.message()));
}

void ServerPrivate::handleJoined(Connection *connection, const QByteArray &bytes, const proto::DecodeResult &result)
{
    Room *room = connection->room();
    if (!room)
        return;
    if (!result.ok()) {
        const proto::DecodeError &error = result.error();
        qCDebug(lcNet).noquote() << connection->describe() << "sent a bad message:" << error.message;
        connection->sendMessage(error.toError());
        if (const auto cseq = opCseqOf(bytes))
            room->reply(connection, proto::encode(proto::Reject {*cseq, error.code, error.message}));
        return;
    }
    const proto::Message &message = result.message();
    switch (proto::typeOf(message)) {
    case proto::MessageType::Hello:
        connection->sendMessage(proto::Error {ErrorCode::AlreadyJoined,
                                              u"this connection has already joined room '%1'"_s.arg(room->name()),
                                              u"type"_s, false});
        return;
    case proto::MessageType::Op:
        room->submit(connection, std::get<proto::Op>(message));
        scheduleFlush(room);
        return;
    case proto::MessageType::Profile: {
        const auto &profile = std::get<proto::Profile>(message);
        connection->setProfile(profile.name, profile.colour);
        room->memberChanged();
        room->broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Updated, connection->member()}));
        return;
    }
    case proto::MessageType::Cursor:
        relayCursor(connection, std::get<proto::Cursor>(message));
        return;
    case proto::MessageType::Typing: {
        const bool active = std::get<proto::Typing>(message).active;
        connection->setTyping(active);
        room->memberChanged();
        room->broadcast(proto::encode(proto::Typing {connection->clientId(), active}), connection);
        return;
    }
    case proto::MessageType::Live:
        room->broadcastVolatile(relayedLive(std::get<proto::Live>(message), bytes, connection->clientId()), connection);
        return;
    case proto::MessageType::Error:
        qCDebug(lcNet).noquote() << connection->describe()
                                 << "reported an error:" << std::get<proto::Error>(message).message;
        return;
    default:
        connection->sendMessage(proto::Error {ErrorCode::UnexpectedMessage,
                                              u"'%1' is a message the server sends, not one it accepts"_s.arg(
                                                  proto::messageTypeName(proto::typeOf(message))),
                                              u"type"_s, false});
        return;
    }
}

void ServerPrivate::relayCursor(Connection *connection, proto::Cursor cursor)
{
    cursor.client = connection->clientId();
    const qint64 interval = 1000 / std::max(1, config.cursorHz);
    const qint64 now = clock.elapsed();
    if (!connection->cursorTimer.isActive()
        && (connection->lastCursorMs < 0 || now - connection->lastCursorMs >= interval)) {
        connection->lastCursorMs = now;
        connection->room()->broadcastVolatile(proto::encode(cursor), connection);
        return;
    }
    // Too soon: keep only the latest position and send it when the interval is up.
    connection->pendingCursor = proto::encode(cursor);
    if (!connection->cursorTimer.isActive())
        connection->cursorTimer.start(int(std::max<qint64>(0, interval - (now - connection->lastCursorMs))));
}

void ServerPrivate::sendPendingCursor(Connection *connection)
{
    if (connection->state() != Connection::State::Joined || !connection->room() || connection->pendingCursor.isEmpty())
        return;
    connection->lastCursorMs = clock.elapsed();
    connection->room()->broadcastVolatile(std::exchange(connection->pendingCursor, {}), connection);
}

// ------------------------------------------------------------------------------------------------ joining

void ServerPrivate::beginJoin(Connection *connection, const proto::Hello &hello)
{
    if (!config.joinToken.isEmpty() && !password::constantTimeEqual(hello.token.toUtf8(), config.joinToken.toUtf8())) {
        connection->fail(ErrorCode::BadToken,
                         hello.token.isEmpty() ? u"this server needs a join token"_s : u"wrong join token"_s,
                         code(CloseCode::BadToken));
        return;
    }
    connection->setHello(hello);
    connection->setState(Connection::State::Authenticating);
    continueJoin(connection);
}

void ServerPrivate::continueJoin(Connection *connection)
{
    const proto::Hello &hello = connection->hello();
    QString error;
    Room *room = findRoom(hello.room, &error);
    if (!room && !error.isEmpty()) {
        connection->fail(ErrorCode::Internal, u"the server cannot open this room"_s, kInternalClose);
        return;
    }

    if (!room) {
        if (hello.password.isEmpty()) {
            room = createRoom(hello.room, {}, &error);
            if (!room) {
                connection->fail(ErrorCode::Internal, u"the server cannot create this room"_s, kInternalClose);
                return;
            }
            completeJoin(connection, room);
            return;
        }
        // The creator's password: hash it off the thread, then create the room unless somebody beat us to it.
        const QByteArray salt = password::newSalt();
        const int iterations = config.passwordIterations;
        const QString secret = hello.password;
        runKdf(
            connection, [secret, salt, iterations] { return password::derive(secret, salt, iterations); },
            [this, salt, iterations](Connection *c, const QByteArray &hash) {
                QString failure;
                if (findRoom(c->hello().room, &failure) || !failure.isEmpty() || hash.isEmpty()) {
                    continueJoin(c);
                    return;
                }
                Room *created = createRoom(c->hello().room, password::Hash {salt, hash, iterations}, &failure);
                if (!created) {
                    c->fail(ErrorCode::Internal, u"the server cannot create this room"_s, kInternalClose);
                    return;
                }
                created->rememberPassword(c->hello().password);
                completeJoin(c, created);
            });
        return;
    }

    if (room->members().size() >= config.maxRoomMembers && !room->memberByClient(hello.client)) {
        connection->fail(
            ErrorCode::RoomFull,
            u"room '%1' has %2 members, as many as it allows"_s.arg(room->name()).arg(config.maxRoomMembers),
            code(CloseCode::RoomFull));
        return;
    }
    if (!room->hasPassword()) {
        completeJoin(connection, room);
        return;
    }
    if (hello.password.isEmpty()) {
        connection->fail(ErrorCode::WrongPassword, u"room '%1' needs a password"_s.arg(room->name()),
                         code(CloseCode::WrongPassword));
        return;
    }
    // Before any answer about the password, even a cached one: a blocked address learns nothing.
    const QHostAddress peer = connection->peerAddress();
    if (tooManyFailures(peer)) {
        connection->fail(ErrorCode::TooManyAttempts,
                         u"too many wrong passwords from your address; wait a minute and try again"_s,
                         code(CloseCode::TooManyAttempts));
        return;
    }
    if (room->isKnownPassword(hello.password)) {
        completeJoin(connection, room);
        return;
    }
    // Counted now and forgiven on success, so parallel guesses count too.
    recordFailure(peer);
    const password::Hash stored = room->passwordHash();
    const QString secret = hello.password;
    runKdf(
        connection, [secret, stored] { return password::derive(secret, stored.salt, stored.iterations); },
        [this, stored, peer](Connection *c, const QByteArray &derived) {
            if (!password::constantTimeEqual(derived, stored.hash)) {
                qCInfo(lcRoom).noquote() << c->describe() << "gave a wrong password for" << c->hello().room;
                c->fail(ErrorCode::WrongPassword, u"wrong password for room '%1'"_s.arg(c->hello().room),
                        code(CloseCode::WrongPassword));
                return;
            }
            forgiveFailure(peer);
            QString failure;
            Room *found = findRoom(c->hello().room, &failure);
            if (!found) {
                c->fail(ErrorCode::Internal, u"the server cannot open this room"_s, kInternalClose);
                return;
            }
            found->rememberPassword(c->hello().password);
            completeJoin(c, found);
        });
}

void ServerPrivate::completeJoin(Connection *connection, Room *room)
{
    if (connection->isClosing())
        return;
    Connection *previous = room->memberByClient(connection->clientId());
    if (!previous && room->members().size() >= config.maxRoomMembers) {
        connection->fail(
            ErrorCode::RoomFull,
            u"room '%1' has %2 members, as many as it allows"_s.arg(room->name()).arg(config.maxRoomMembers),
            code(CloseCode::RoomFull));
        return;
    }
    if (previous) {
        qCInfo(lcRoom).noquote() << previous->describe() << "is replaced by" << connection->describe();
        previous->fail(ErrorCode::Replaced, u"this client id connected again; this connection is closed"_s,
                       code(CloseCode::Replaced));
        room->removeMember(previous);
        previous->setRoom(nullptr);
    }
    // Everything that arrived before the join is committed first, so the catch-up ends exactly at head.
    flush();
    connection->setState(Connection::State::Joined);
    connection->setRoom(room);
    room->sendJoin(connection, connection->hello().resume, store);
    room->addMember(connection);
    room->broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Joined, connection->member()}), connection);

    const QList<QByteArray> deferred = connection->takeDeferred();
    for (const QByteArray &bytes : deferred) {
        if (connection->isClosing())
            break;
        onMessage(connection, bytes, true);
    }
}

Room *ServerPrivate::findRoom(const QString &name, QString *error)
{
    error->clear();
    const auto it = rooms.find(name);
    if (it != rooms.end())
        return it->second.get();
    std::unique_ptr<Room> room = Room::load(store, name, config, error);
    if (!room) {
        if (!error->isEmpty())
            qCWarning(lcRoom).noquote() << "cannot load room" << name << ":" << *error;
        return nullptr;
    }
    Room *raw = room.get();
    rooms.emplace(name, std::move(room));
    return raw;
}

Room *ServerPrivate::createRoom(const QString &name, const password::Hash &password, QString *error)
{
    std::unique_ptr<Room> room = Room::create(store, name, password, config, error);
    if (!room) {
        qCWarning(lcRoom).noquote() << "cannot create room" << name << ":" << *error;
        return nullptr;
    }
    Room *raw = room.get();
    rooms.emplace(name, std::move(room));
    return raw;
}

void ServerPrivate::runKdf(Connection *connection, std::function<QByteArray()> work,
                           std::function<void(Connection *, const QByteArray &)> then)
{
    const quint64 serial = connection->serial();
    kdfPool.start([this, serial, work = std::move(work), then = std::move(then)] {
        const QByteArray result = work();
        // Back on the server's thread; the connection may be gone by now.
        QMetaObject::invokeMethod(
            q,
            [this, serial, result, then] {
                Connection *c = connections.value(serial);
                if (c && !c->isClosing())
                    then(c, result);
            },
            Qt::QueuedConnection);
    });
}

bool ServerPrivate::tooManyFailures(const QHostAddress &address)
{
    QList<qint64> &times = passwordFailures[address.toString()];
    const qint64 now = clock.elapsed();
    times.removeIf([this, now](qint64 t) { return now - t >= config.passwordFailureWindowMs; });
    return times.size() >= config.maxPasswordFailures;
}

void ServerPrivate::recordFailure(const QHostAddress &address)
{
    passwordFailures[address.toString()].append(clock.elapsed());
}

void ServerPrivate::forgiveFailure(const QHostAddress &address)
{
    const auto it = passwordFailures.find(address.toString());
    if (it != passwordFailures.end() && !it->isEmpty())
        it->removeLast();
}

// ------------------------------------------------------------------------------------------------ the log

void ServerPrivate::scheduleFlush(Room *room)
{
    if (!room->hasPending())
        return;
    dirty.insert(room);
    if (room->pendingOps() >= config.maxBatchOps)
        flush();
    else if (!flushTimer->isActive())
        flushTimer->start(0);
}

void ServerPrivate::flush()
{
    flushTimer->stop();
    if (dirty.isEmpty())
        return;
    const QSet<Room *> batch = std::exchange(dirty, {});
    bool hasOps = false;
    for (Room *room : batch)
        hasOps = hasOps || room->pendingOps() > 0;
    bool committed = true;
    if (hasOps) {
        // One transaction and one fsync for every room's ops: the group commit.
        committed = store.begin();
        for (Room *room : batch)
            committed = committed && room->writePending(store);
        committed = committed && store.commit();
        if (!committed) {
            store.rollback();
            qCWarning(lcStore).noquote() << "a commit failed; rejecting its ops:" << store.lastError();
        }
    }
    for (Room *room : batch) {
        room->finishCommit(committed);
        if (committed && room->needsCompaction())
            compactLater(room->name());
    }
}

void ServerPrivate::compactLater(const QString &roomName)
{
    // After the acks have left: compaction encodes the whole board.
    QTimer::singleShot(0, q, [this, roomName] {
        const auto it = rooms.find(roomName);
        if (it != rooms.end() && it->second->needsCompaction() && store.isOpen())
            it->second->compact(store);
    });
}

// ------------------------------------------------------------------------------------------------ leaving

void ServerPrivate::onClosing(Connection *connection)
{
    if (Room *room = connection->room()) {
        connection->setRoom(nullptr);
        if (room->removeMember(connection))
            qCInfo(lcRoom).noquote() << connection->describe() << "left" << room->name();
    }
}

void ServerPrivate::onGone(Connection *connection)
{
    onClosing(connection);
    if (connections.remove(connection->serial())) {
        qCInfo(lcNet).noquote() << connection->describe() << "disconnected;" << connections.size() << "connections";
        connection->deleteLater();
        Q_EMIT q->connectionCountChanged(int(connections.size()));
    }
    if (shuttingDown && connections.isEmpty())
        QTimer::singleShot(0, q, [this] { finish(); });
}

void ServerPrivate::tick()
{
    const QList<Connection *> all = connections.values();
    for (Connection *connection : all) {
        if (connection->isClosing())
            continue;
        if (connection->idleMs() > config.heartbeatTimeoutMs) {
            qCInfo(lcNet).noquote() << connection->describe() << "showed no sign of life for" << connection->idleMs()
                                    << "ms";
            connection->closeWith(code(CloseCode::HeartbeatTimeout), u"no sign of life in time"_s);
            continue;
        }
        connection->ping();
        connection->checkOutput();
    }

    for (auto it = rooms.begin(); it != rooms.end();) {
        Room *room = it->second.get();
        if (room->isIdle() && !dirty.contains(room) && room->idleMs() >= config.roomUnloadDelayMs) {
            qCInfo(lcRoom).noquote() << "unloading room" << room->name();
            it = rooms.erase(it);
        } else {
            ++it;
        }
    }

    const qint64 now = clock.elapsed();
    for (auto it = passwordFailures.begin(); it != passwordFailures.end();) {
        it->removeIf([this, now](qint64 t) { return now - t >= config.passwordFailureWindowMs; });
        it = it->isEmpty() ? passwordFailures.erase(it) : std::next(it);
    }
}

void ServerPrivate::finish()
{
    if (done)
        return;
    done = true;
    teardown();
    qCInfo(lcServer) << "stopped";
    Q_EMIT q->finished();
}

void ServerPrivate::teardown()
{
    heartbeat->stop();
    flushTimer->stop();
    kdfPool.waitForDone();
    if (store.isOpen())
        flush();
    if (listener)
        listener->close();
    for (const QPointer<QTcpSocket> &socket : std::as_const(handshaking)) {
        if (socket) {
            QObject::disconnect(socket, nullptr, q, nullptr);
            socket->abort();
        }
    }
    handshaking.clear();
    const QList<Connection *> remaining = connections.values();
    connections.clear();
    for (Connection *connection : remaining) {
        QObject::disconnect(connection, nullptr, q, nullptr);
        delete connection;
    }
    rooms.clear();
    dirty.clear();
    store.close();
    if (lock)
        lock->unlock();
}

// ------------------------------------------------------------------------------------------------ Server

Server::Server(ServerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ServerPrivate>(this, std::move(config)))
{ }

Server::~Server()
{
    if (d->started && !d->done) {
        d->done = true;
        d->teardown();
    }
    d->kdfPool.waitForDone();
}

bool Server::start(QString *error)
{
    const auto failWith = [this, error](const QString &message) {
        qCWarning(lcServer).noquote() << message;
        if (error)
            *error = message;
        d->store.close();
        if (d->lock)
            d->lock->unlock();
        return false;
    };
    if (d->started)
        return failWith(u"the server is already started"_s);

    d->allowedOrigins.clear();
    for (const QString &origin : std::as_const(d->config.allowedOrigins)) {
        const QString normal = normaliseOrigin(origin);
        if (normal.isEmpty())
            return failWith(u"'%1' is not an origin (scheme://host or scheme://host:port)"_s.arg(origin));
        d->allowedOrigins.insert(normal);
    }

    if (d->config.detached) {
        QString storeError;
        if (!d->store.open(u":memory:"_s, d->config.busyTimeoutMs, &storeError))
            return failWith(storeError);
        d->started = true;
        return true;
    }

    d->dataDir = QDir::cleanPath(d->config.dataDir.isEmpty() ? defaultDataDir() : d->config.dataDir);
    if (!QDir().mkpath(d->dataDir))
        return failWith(u"cannot create the data directory %1"_s.arg(d->dataDir));
    d->lock = std::make_unique<QLockFile>(d->dataDir + u"/inkroom-server.lock"_s);
    d->lock->setStaleLockTime(0); // stale only when its process is gone
    if (!d->lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        d->lock->getLockInfo(&pid, &host, &app);
        return failWith(u"the data directory %1 is in use by another server (process %2)"_s.arg(d->dataDir).arg(pid));
    }

    QSslConfiguration tlsConfiguration;
    if (!d->config.insecure) {
        if (!QSslSocket::supportsSsl())
            return failWith(u"TLS is not available (Qt's OpenSSL backend did not load); use --insecure for plain "
                            "ws://"_s);
        if (d->config.tlsCertFile.isEmpty() != d->config.tlsKeyFile.isEmpty())
            return failWith(u"give both a certificate and its private key, or neither"_s);
        QString tlsError;
        d->identity = d->config.tlsCertFile.isEmpty()
            ? tls::loadOrGenerate(d->dataDir + u"/tls"_s, &tlsError)
            : tls::load(d->config.tlsCertFile, d->config.tlsKeyFile, &tlsError);
        if (!d->identity)
            return failWith(tlsError);
        tlsConfiguration = QSslConfiguration::defaultConfiguration();
        tlsConfiguration.setLocalCertificateChain(QList<QSslCertificate> {d->identity->certificate}
                                                  + d->identity->chain);
        tlsConfiguration.setPrivateKey(d->identity->key);
        tlsConfiguration.setPeerVerifyMode(QSslSocket::VerifyNone);
        tlsConfiguration.setProtocol(QSsl::TlsV1_2OrLater);
        if (d->identity->generated)
            qCInfo(lcServer).noquote() << "made a new key and self-signed certificate in" << d->dataDir + u"/tls"_s;
    }

    QString storeError;
    if (!d->store.open(d->dataDir + u"/inkroom.sqlite"_s, d->config.busyTimeoutMs, &storeError))
        return failWith(storeError);

    d->webSockets = new QWebSocketServer(
        u"inkroom-server"_s, d->identity ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
    connect(d->webSockets, &QWebSocketServer::newConnection, this, [this] { d->onNewWebSockets(); });
    connect(d->webSockets, &QWebSocketServer::serverError, this, [this](QWebSocketProtocol::CloseCode closeCode) {
        qCInfo(lcNet) << "a WebSocket handshake failed:" << closeCode << d->webSockets->errorString();
    });
    // Browsers send Origin and let any web page open a WebSocket anywhere: only listed origins may connect.
    connect(d->webSockets, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                const bool allowed = d->isOriginAllowed(authenticator->origin());
                if (!allowed)
                    qCInfo(lcNet).noquote() << "refused a handshake from origin" << authenticator->origin();
                authenticator->setAllowed(allowed);
            });

    d->listener = d->identity ? new TlsListener(tlsConfiguration, this) : new Listener(this);
    connect(d->listener, &Listener::socketReady, this, [this](QTcpSocket *socket) { d->onSocketReady(socket); });
    if (!d->listener->listen(d->config.bind, d->config.port)) {
        const QString message = u"cannot listen on %1 port %2: %3"_s.arg(d->config.bind.toString())
                                    .arg(d->config.port)
                                    .arg(d->listener->errorString());
        delete d->listener;
        d->listener = nullptr;
        delete d->webSockets;
        d->webSockets = nullptr;
        return failWith(message);
    }
    d->heartbeat->start(d->config.pingIntervalMs);
    d->started = true;
    qCInfo(lcServer).noquote() << u"listening on port %1 (%2), data in %3"_s.arg(port()).arg(
        d->identity ? u"wss"_s : u"ws, insecure"_s, d->dataDir);
    if (d->identity)
        qCInfo(lcServer).noquote() << "certificate fingerprint (SHA-256):" << d->identity->fingerprint();
    return true;
}

bool Server::isSecure() const
{
    return d->identity.has_value();
}

QString Server::certificateFingerprint() const
{
    return d->identity ? d->identity->fingerprint() : QString();
}

QSslCertificate Server::certificate() const
{
    return d->identity ? d->identity->certificate : QSslCertificate();
}

QString Server::certificatePath() const
{
    return d->identity ? d->identity->certificatePath : QString();
}

bool Server::isListening() const
{
    return d->listener && d->listener->isListening();
}

quint16 Server::port() const
{
    return d->listener ? d->listener->serverPort() : 0;
}

const ServerConfig &Server::config() const
{
    return d->config;
}

QString Server::dataDir() const
{
    return d->dataDir;
}

int Server::connectionCount() const
{
    return int(d->connections.size());
}

int Server::loadedRoomCount() const
{
    return int(d->rooms.size());
}

QString Server::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/inkroom-server"_s;
}

QList<QUrl> Server::joinUrls() const
{
    const quint16 listening = port();
    if (!listening)
        return {};
    const QString scheme = isSecure() ? u"wss"_s : u"ws"_s;
    const auto urlFor = [listening, &scheme](const QHostAddress &address) -> QUrl {
        QUrl url;
        url.setScheme(scheme);
        url.setHost(address.toString());
        url.setPort(listening);
        return url;
    };
    const QHostAddress bind = d->config.bind;
    const bool anyV4 = bind == QHostAddress(QHostAddress::AnyIPv4);
    const bool any = bind == QHostAddress(QHostAddress::Any) || bind == QHostAddress(QHostAddress::AnyIPv6);
    if (!any && !anyV4)
        return {urlFor(bind)};

    QList<QUrl> v4;
    QList<QUrl> v6;
    QList<QUrl> loopback;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning))
            continue;
        const QList<QNetworkAddressEntry> entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress address = entry.ip();
            const bool isV4 = address.protocol() == QAbstractSocket::IPv4Protocol;
            if (!isV4 && (anyV4 || address.protocol() != QAbstractSocket::IPv6Protocol))
                continue;
            if (address.isLoopback()) {
                if (isV4 ? address == QHostAddress(QHostAddress::LocalHost)
                         : address == QHostAddress(QHostAddress::LocalHostIPv6))
                    loopback.append(urlFor(address));
            } else if (isV4) {
                v4.append(urlFor(address));
            } else if (!address.isLinkLocal()) {
                // Link-local IPv6 addresses need a scope that URLs cannot carry.
                v6.append(urlFor(address));
            }
        }
    }
    std::sort(loopback.begin(), loopback.end(),
              [](const QUrl &a, const QUrl &b) { return a.host().size() > b.host().size(); });
    return v4 + v6 + loopback;
}

QUrl Server::localUrl() const
{
    const QHostAddress bind = d->config.bind;
    QHostAddress host = bind;
    if (bind == QHostAddress(QHostAddress::Any) || bind == QHostAddress(QHostAddress::AnyIPv4))
        host = QHostAddress(QHostAddress::LocalHost);
    else if (bind == QHostAddress(QHostAddress::AnyIPv6))
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(isSecure() ? u"wss"_s : u"ws"_s);
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

quint64 Server::attachConnection(const QHostAddress &peer, std::function<void(const QByteArray &)> sink)
{
    Connection *connection = d->addConnection(new QWebSocket(), nullptr);
    connection->detach(peer, std::move(sink));
    return connection->serial();
}

void Server::deliver(quint64 connection, const QByteArray &bytes)
{
    if (Connection *c = d->connections.value(connection))
        d->onMessage(c, bytes, false);
}

void Server::detachConnection(quint64 connection)
{
    if (Connection *c = d->connections.value(connection))
        c->drop();
}

bool Server::hasConnection(quint64 connection) const
{
    const Connection *c = d->connections.value(connection);
    return c && !c->isClosing();
}

void Server::settle()
{
    // A few rounds: a password check's answer queues a join, a join queues output, a commit queues a compaction.
    for (int round = 0; round < 4; ++round) {
        d->kdfPool.waitForDone();
        QCoreApplication::sendPostedEvents();
        d->flush();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

bool Server::checkConsistency(QString *problem)
{
    d->flush();
    for (const auto &[name, room] : d->rooms) {
        QString error;
        const std::unique_ptr<Room> stored = Room::load(d->store, name, d->config, &error);
        if (!stored) {
            *problem = u"room '%1' does not load: %2"_s.arg(name, error);
            return false;
        }
        if (stored->head() != room->head()) {
            *problem = u"room '%1': head %2 in memory, %3 stored"_s.arg(name).arg(room->head()).arg(stored->head());
            return false;
        }
        if (!(stored->board() == room->board())) {
            *problem = u"room '%1': the board in memory (%2 items) is not the stored one (%3 items)"_s.arg(name)
                           .arg(room->board().size())
                           .arg(stored->board().size());
            return false;
        }
    }
    return true;
}

void Server::shutdown()
{
    if (!d->started || d->done) {
        if (!d->done) {
            d->done = true;
            QTimer::singleShot(0, this, &Server::finished);
        }
        return;
    }
    if (d->shuttingDown)
        return;
    d->shuttingDown = true;
    qCInfo(lcServer) << "shutting down";
    d->heartbeat->stop();
    if (d->listener)
        d->listener->close();
    d->flush();
    for (const QPointer<QTcpSocket> &socket : std::as_const(d->handshaking)) {
        if (socket)
            socket->abort();
    }
    const QList<Connection *> all = d->connections.values();
    for (Connection *connection : all)
        connection->closeWith(code(CloseCode::GoingAway), u"the server is shutting down"_s);
    if (d->connections.isEmpty())
        QTimer::singleShot(0, this, [this] { d->finish(); });
    else
        QTimer::singleShot(d->config.closeGraceMs + 500, this, [this] { d->finish(); });
}

} // namespace inkroom::server
