#include "server.h"

#include "closecodes.h"
#include "connection.h"
#include "decodelane.h"
#include "joinflow.h"
#include "listener.h"
#include "liverelay.h"
#include "logging.h"
#include "memberinput.h"
#include "nodebus.h"
#include "nodepresence.h"
#include "peerkey.h"
#include "privatefiles.h"
#include "protocollimits.h"
#include "room.h"
#include "roomdirectory.h"
#include "rooms.h"
#include "serviceannouncer.h"
#include "store.h"
#include "tlsidentity.h"
#include "tlssocket.h"
#include "wsupgrade.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLockFile>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::CloseCode;
using proto::ErrorCode;

namespace {

constexpr auto kHandshakeTimerName = "inkroom-handshake-timer";

quint16 code(CloseCode closeCode)
{
    return quint16(closeCode);
}

QString socketKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

} // namespace

/** The server's own state: the listening socket and the handshakes in progress, the connections, and the parts
 *  that do the work: Rooms (the rooms and their logs), JoinFlow (hello to member) and MemberInput (a member's
 *  messages). */
class ServerPrivate
{
public:
    ServerPrivate(Server *server, ServerConfig serverConfig)
        : q(server)
        , config(clamped(std::move(serverConfig)))
        , heartbeat(new QTimer(server))
        , output(new OutputFlusher(server))
        , lane(config.offThreadDecodeBytes > 0 && !config.detached ? new DecodeLane(
                   config.offThreadDecodeBytes, config.decodeLaneBytes, QThread::idealThreadCount() - 1, server)
                                                                   : nullptr)
        , rooms(config, store, server)
        , joins(config, rooms, [this](Connection *c, const QByteArray &bytes) { members.handle(c, bytes); })
        , members(config, rooms)
        , directory(config.joinToken, rooms)
    {
        clock.start();
        QObject::connect(heartbeat, &QTimer::timeout, q, [this] { tick(); });
        rooms.setMembersChanged([this] { Q_EMIT q->memberCountChanged(rooms.memberCount()); });
        rooms.setFlushOutput([this] { output->flush(); });
    }

    static ServerConfig clamped(ServerConfig config)
    {
        config.maxRoomMembers = std::clamp(config.maxRoomMembers, 1, limits::MaxMembersPerWelcome);
        config.maxConnections = std::max(config.maxConnections, 1);
        config.maxBatchOps = std::max(config.maxBatchOps, 1);
        config.pingIntervalMs = std::max(config.pingIntervalMs, 10);
        config.maxDeferredMessages = std::max(config.maxDeferredMessages, 0);
        config.maxDeferredBytes = std::max<qint64>(config.maxDeferredBytes, 0);
        config.maxPendingHandshakesPerAddress = std::max(config.maxPendingHandshakesPerAddress, 1);
        config.maxConnectionsPerAddress = std::max(config.maxConnectionsPerAddress, 1);
        return config;
    }

    Server *const q;
    const ServerConfig config;
    QString dataDir;
    std::unique_ptr<QLockFile> lock;
    Store store;
    //! Several servers on one database: their notifications, and the timer that checks every room anyway.
    std::unique_ptr<NodeBus> bus;
    std::unique_ptr<LiveRelay> relay; //!< live traffic to and from the other servers
    std::unique_ptr<NodePresence> presence; //!< who is in which room on the other servers
    QTimer *nodeCatchUp = nullptr;
    Listener *listener = nullptr;
    QTimer *heartbeat;
    OutputFlusher *output;
    DecodeLane *lane; //!< decodes large messages off the thread (nullptr: off)
    QElapsedTimer clock;
    Rooms rooms;
    JoinFlow joins;
    MemberInput members;
    RoomDirectory directory;

    QHash<QString, QPointer<QTcpSocket>> handshaking; //!< accepted, WebSocket handshake not done
    QHash<quint64, Connection *> connections;
    QHash<QString, int> connectionsPerPeer; //!< by peerKey(): open connections, to share them out
    quint64 nextSerial = 1;
    std::optional<tls::Identity> identity; //!< the TLS identity (not insecure)
    QSet<QString> allowedOrigins; //!< normalised
    lan::ServiceAnnouncer *announcer = nullptr; //!< config.announce, once listening

    void startAnnouncing();
    //! shutdown() and closeForEveryone(): stop listening, commit, close each connection with closeOne, then finish.
    void stop(const std::function<void(Connection *)> &closeOne);

    bool started = false;
    bool shuttingDown = false;
    bool done = false;

    // ---- accepting ----
    void onSocketReady(QTcpSocket *socket);
    //! The WebSocket handshake on socket is answered: it becomes a connection.
    void adopt(QTcpSocket *socket);
    Connection *addConnection(QTcpSocket *transport);
    void countPeer(const QHostAddress &address, int delta);
    bool isOriginAllowed(const QString &origin) const;

    // ---- messages ----
    //! decoded: what the DecodeLane made of bytes, or nullptr.
    void onMessage(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded = nullptr);
    //! The rate limit: true when the message may be handled; a dropped op is refused in its place.
    bool admitByRate(Connection *connection, const QByteArray &bytes);
    void handleBeforeJoin(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded);

    // ---- leaving and housekeeping ----
    void onClosing(Connection *connection);
    void onGone(Connection *connection);
    void tick();
    void finish();
    void teardown();
    //! A shared store: hear the other servers' commits (and check every room now and then: notifications may be lost).
    void startNodeBus(const StoreLocation &location);
};

// ------------------------------------------------------------------------------------------------ accepting

void ServerPrivate::onSocketReady(QTcpSocket *socket)
{
    // Each address gets a share of the handshake slots: one that never finishes its handshakes holds a few of them
    // for the handshake timeout, and everybody else still gets in.
    const QString peer = peerKey(socket->peerAddress());
    const auto fromPeer = std::count_if(handshaking.keyBegin(), handshaking.keyEnd(), [&peer](const QString &key) {
        return key.startsWith(peer) && key.at(peer.size()) == u'|';
    });
    if (shuttingDown || handshaking.size() >= config.maxPendingHandshakes
        || fromPeer >= config.maxPendingHandshakesPerAddress) {
        qCWarning(lcNet) << "dropping a connection from" << socket->peerAddress().toString()
                         << (shuttingDown ? "while shutting down"
                                 : handshaking.size() >= config.maxPendingHandshakes
                                 ? "(too many handshakes in progress)"
                                 : "(too many handshakes in "
                                   "progress from its address)");
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->setParent(q);
    const QString key = peer + u'|' + socketKey(socket->peerAddress(), socket->peerPort());
    handshaking.insert(key, socket);
    QObject::connect(socket, &QObject::destroyed, q, [this, key] {
        // While destroyed() is emitted, the QPointer to this socket already reads null: a null entry is this socket's
        // (a socket that took the key since would not be null). Comparing with the socket never matched, so sockets
        // that died in the handshake kept their slots until none were left for anybody.
        const auto it = handshaking.find(key);
        if (it != handshaking.end() && it->isNull())
            handshaking.erase(it);
    });
    // Whatever has not become a WebSocket in time is aborted (a TLS handshake that never ends too).
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
    auto *upgrade = new WebSocketUpgrade(socket, [this](const QString &origin) { return isOriginAllowed(origin); });
    QObject::connect(upgrade, &WebSocketUpgrade::upgraded, q, [this](QTcpSocket *upgraded) { adopt(upgraded); });
}

void ServerPrivate::adopt(QTcpSocket *socket)
{
    handshaking.remove(peerKey(socket->peerAddress()) + u'|' + socketKey(socket->peerAddress(), socket->peerPort()));
    delete socket->findChild<QTimer *>(QLatin1StringView(kHandshakeTimerName), Qt::FindDirectChildrenOnly);
    QObject::disconnect(socket, &QObject::destroyed, q, nullptr);
    if (shuttingDown) {
        socket->setParent(nullptr);
        WebSocketUpgrade::closeSocket(socket, code(CloseCode::GoingAway), u"the server is shutting down"_s);
        return;
    }

    Connection *connection = addConnection(socket);
    if (connections.size() > config.maxConnections) {
        connection->fail(
            ErrorCode::ServerFull,
            u"the server has %1 connections, as many as it allows; try again later"_s.arg(config.maxConnections),
            code(CloseCode::ServerFull));
    } else if (connectionsPerPeer.value(peerKey(connection->peerAddress())) > config.maxConnectionsPerAddress) {
        connection->fail(ErrorCode::ServerFull,
                         u"your address has %1 connections, as many as the server allows for one address"_s.arg(
                             config.maxConnectionsPerAddress),
                         code(CloseCode::ServerFull));
    }
    connection->start();
    Q_EMIT q->connectionCountChanged(int(connections.size()));
}

Connection *ServerPrivate::addConnection(QTcpSocket *transport)
{
    auto *connection = new Connection(nextSerial++, transport, output, config, q);
    connection->setDecodeLane(lane);
    QObject::connect(connection, &Connection::messageReceived, q,
                     [this](Connection *c, const QByteArray &bytes, const DecodedMessage *decoded) {
                         onMessage(c, bytes, decoded);
                     });
    QObject::connect(connection, &Connection::closing, q, [this](Connection *c) { onClosing(c); });
    QObject::connect(connection, &Connection::gone, q, [this](Connection *c) { onGone(c); });
    QObject::connect(&connection->cursorThrottle.timer, &QTimer::timeout, connection,
                     [this, connection] { members.sendPending(connection, connection->cursorThrottle); });
    QObject::connect(&connection->viewThrottle.timer, &QTimer::timeout, connection,
                     [this, connection] { members.sendPending(connection, connection->viewThrottle); });
    connections.insert(connection->serial(), connection);
    countPeer(connection->peerAddress(), +1);
    qCInfo(lcNet).noquote() << connection->describe() << "connected;" << connections.size() << "connections";
    return connection;
}

void ServerPrivate::countPeer(const QHostAddress &address, int delta)
{
    const auto it = connectionsPerPeer.insert(peerKey(address), connectionsPerPeer.value(peerKey(address)) + delta);
    if (*it <= 0)
        connectionsPerPeer.erase(it);
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

void ServerPrivate::onMessage(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded)
{
    if (connection->isClosing() || !admitByRate(connection, bytes))
        return;
    switch (connection->state()) {
    case Connection::State::AwaitingHello:
        handleBeforeJoin(connection, bytes, decoded);
        return;
    case Connection::State::Joining:
        joins.defer(connection, bytes); // decoded again after the join (what a worker made of it is not kept)
        return;
    case Connection::State::Joined:
        members.handle(connection, bytes, decoded);
        return;
    case Connection::State::Closing:
        return;
    }
}

bool ServerPrivate::admitByRate(Connection *connection, const QByteArray &bytes)
{
    switch (connection->takeToken(clock.elapsed())) {
    case RateLimiter::Verdict::Allow:
        return true;
    case RateLimiter::Verdict::FirstExcess:
        qCInfo(lcNet).noquote() << connection->describe() << "is over the rate limit";
        connection->sendMessage(proto::Error {
            ErrorCode::RateLimited,
            u"too many messages: at most %1 a second (bursts of %2); messages over the limit are dropped, and a "
            "connection that keeps going is closed"_s.arg(config.ratePerSecond)
                .arg(config.rateBurst),
            QString(), false});
        [[fallthrough]];
    case RateLimiter::Verdict::Excess:
        // Every op gets exactly one answer, a dropped one too: rate_limited, in its place among the answers.
        if (const auto cseq = opCseqOf(bytes)) {
            const proto::Reject reject {*cseq, ErrorCode::RateLimited, u"dropped: over the rate limit"_s, true};
            if (connection->state() == Connection::State::Joining) {
                joins.deferRefusal(connection, reject);
            } else if (Room *room = connection->room(); room && connection->state() == Connection::State::Joined) {
                room->reply(connection, reject);
                rooms.scheduleCommit(room);
            } else {
                connection->refuse(reject);
            }
        }
        return false;
    case RateLimiter::Verdict::Close:
        qCWarning(lcNet).noquote() << connection->describe() << "kept going over the rate limit; closing";
        connection->fail(ErrorCode::RateLimited, u"too many messages for too long"_s, code(CloseCode::Policy));
        return false;
    }
    return false;
}

void ServerPrivate::handleBeforeJoin(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded)
{
    const proto::DecodeResult result = decoded ? decoded->result : proto::decode(bytes, limits::MaxClientMessageBytes);
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
    if (proto::typeOf(result.message()) == proto::MessageType::Hello) {
        joins.begin(connection, std::get<proto::Hello>(result.message()));
        return;
    }
    if (const auto *list = std::get_if<proto::ListRooms>(&result.message())) {
        directory.answer(connection, *list, clock.elapsed());
        return;
    }
    if (std::holds_alternative<proto::History>(result.message())) {
        // Answered like every history request, with one page: here its refusal. Only members read a room's history.
        connection->send(RoomHistory::refusal(ErrorCode::NotJoined,
                                              u"only a room's members may read its history: "
                                              "send hello first"_s,
                                              false, 0));
        return;
    }
    connection->sendMessage(proto::Error {ErrorCode::NotJoined, u"send hello first"_s, u"type"_s, false});
    // An op gets its answer too, so the client can settle it.
    if (const auto *op = std::get_if<proto::Op>(&result.message())) {
        connection->refuse(connection->holdsBack(op->cseq)
                               ? heldBack(op->cseq)
                               : proto::Reject {op->cseq, ErrorCode::NotJoined, u"send hello first"_s});
    }
}

// ------------------------------------------------------------------------------------------------ leaving

void ServerPrivate::onClosing(Connection *connection)
{
    joins.forget(connection);
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
        countPeer(connection->peerAddress(), -1);
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

    rooms.unloadIdle();
    joins.expireFailures();
    directory.expire(clock.elapsed());
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

void ServerPrivate::startAnnouncing()
{
    if (!config.announce || config.bind.isLoopback())
        return;
    const QString name =
        config.displayName.trimmed().isEmpty() ? QSysInfo::machineHostName() : config.displayName.trimmed();
    announcer = new lan::ServiceAnnouncer(q);
    QObject::connect(announcer, &lan::ServiceAnnouncer::stateChanged, q, [this] {
        qCInfo(lcServer).noquote() << "DNS-SD:" << announcer->state() << announcer->announcedName()
                                   << announcer->reason();
        Q_EMIT q->announcementChanged();
    });
    announcer->announce(name, q->port(),
                        lan::Announcement {name, proto::ProtocolVersion, identity.has_value(),
                                           identity ? identity->fingerprint() : QString(),
                                           !config.joinToken.isEmpty()});
}

void ServerPrivate::startNodeBus(const StoreLocation &location)
{
    bus = std::make_unique<NodeBus>(location);
    bus->dropHeads(config.dropHeadNotifications);
    QObject::connect(bus.get(), &NodeBus::headReached, q,
                     [this](qint64 room, quint64 head) { rooms.headReached(room, head); });
    QObject::connect(bus.get(), &NodeBus::resumed, q, [this] { rooms.catchUpAll(); });
    relay = std::make_unique<LiveRelay>(
        *bus, config.nodeLiveBatchMs, [this](qint64 room, const QByteArray &bytes) { rooms.deliverLive(room, bytes); });
    rooms.setLiveOut([this](qint64 room, const QByteArray &bytes) {
        if (relay)
            relay->queue(room, bytes);
    });
    presence = std::make_unique<NodePresence>(
        *bus, config.nodeHeartbeatMs, config.nodeLeaseMs, config.maxRoomMembers,
        [this] { return rooms.localMembers(); },
        [this](qint64 room, const std::optional<proto::Member> &before, const std::optional<proto::Member> &now) {
            rooms.remoteChanged(room, before, now);
        });
    rooms.setNodePresence(presence.get());
    if (QString error; !bus->start(&error))
        qCWarning(lcServer).noquote() << "not hearing the other servers yet (trying again):" << error;
    if (config.nodeCatchUpMs > 0) {
        nodeCatchUp = new QTimer(q);
        QObject::connect(nodeCatchUp, &QTimer::timeout, q, [this] { rooms.catchUpAll(); });
        nodeCatchUp->start(config.nodeCatchUpMs);
    }
}

void ServerPrivate::teardown()
{
    if (nodeCatchUp)
        nodeCatchUp->stop();
    rooms.setNodePresence(nullptr);
    presence.reset();
    relay.reset();
    bus.reset();
    // Withdrawn first: browsers drop the server before its connections close.
    delete std::exchange(announcer, nullptr);
    heartbeat->stop();
    joins.stopChecks();
    if (store.isOpen())
        rooms.commit();
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
    connectionsPerPeer.clear();
    for (Connection *connection : remaining) {
        QObject::disconnect(connection, nullptr, q, nullptr);
        delete connection;
    }
    rooms.clear();
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
    d->joins.stopChecks();
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
    if (QString budgetError; !queuesFitBudget(d->config, &budgetError))
        return failWith(budgetError);

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
    QString locationError;
    const std::optional<StoreLocation> location = d->config.store.isEmpty()
        ? StoreLocation::sqlite(d->dataDir + u"/inkroom.sqlite"_s)
        : StoreLocation::parse(d->config.store, &locationError);
    if (!location)
        return failWith(u"--store: "_s + locationError);
    bool widened = false;
    if (!files::makePrivateDirectory(d->dataDir, &widened))
        return failWith(u"cannot create the data directory %1"_s.arg(d->dataDir));
    if (widened)
        qCWarning(lcServer).noquote() << "the data directory" << d->dataDir
                                      << "may be entered by other users; its files are private (0600), but "
                                         "'chmod 700' it to hide their names too";
    d->lock = std::make_unique<QLockFile>(d->dataDir + u"/inkroom-server.lock"_s);
    d->lock->setStaleLockTime(0); // stale only when its process is gone
    if (!d->lock->tryLock(0)) {
        // Only a lock that names a live process means another server. A directory this user cannot write (read-only,
        // another owner, a full disk) fails to make the lock file, and a lock file that names no process is not a
        // server's: both say what they are.
        qint64 pid = 0;
        QString host;
        QString app;
        const bool held =
            d->lock->error() == QLockFile::LockFailedError && d->lock->getLockInfo(&pid, &host, &app) && pid > 0;
        if (held)
            return failWith(
                u"the data directory %1 is in use by another server (process %2)"_s.arg(d->dataDir).arg(pid));
        return failWith(
            u"cannot write in the data directory %1 (%2): check that this user may write there and that "
            "its disk has room"_s.arg(d->dataDir,
                                      d->lock->error() == QLockFile::PermissionError
                                          ? u"permission denied or read-only"_s
                                          : u"its lock file %1 cannot be made or read"_s.arg(d->lock->fileName())));
    }

    std::shared_ptr<TlsContext> tlsContext;
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
        tlsContext = TlsContext::make(d->identity->serverConfiguration(), &tlsError);
        if (!tlsContext)
            return failWith(tlsError);
        if (d->identity->generated)
            qCInfo(lcServer).noquote() << "made a new key and self-signed certificate in" << d->dataDir + u"/tls"_s;
    }

    QString storeError;
    if (!d->store.open(*location, d->config.busyTimeoutMs, &storeError))
        return failWith(storeError);
    if (d->store.isShared())
        d->startNodeBus(*location);

    d->listener = d->identity ? new TlsListener(tlsContext, this) : new Listener(this);
    connect(d->listener, &Listener::socketReady, this, [this](QTcpSocket *socket) { d->onSocketReady(socket); });
    if (!d->listener->listen(d->config.bind, d->config.port)) {
        const QString message = u"cannot listen on %1 port %2: %3"_s.arg(d->config.bind.toString())
                                    .arg(d->config.port)
                                    .arg(d->listener->errorString());
        delete d->listener;
        d->listener = nullptr;
        return failWith(message);
    }
    d->heartbeat->start(d->config.pingIntervalMs);
    d->started = true;
    // A server waiting to take a room over has nothing to offer yet: it is announced once it serves one (seedRoom()),
    // never as an empty entry under "On this network".
    if (!d->config.storedRoomsOnly)
        d->startAnnouncing();
    qCInfo(lcServer).noquote() << u"listening on port %1 (%2), data in %3, rooms in %4"_s.arg(port()).arg(
        d->identity ? u"wss"_s : u"ws, insecure"_s, d->dataDir, d->store.describe());
    if (d->identity)
        qCInfo(lcServer).noquote() << "certificate fingerprint (SHA-256):" << d->identity->fingerprint();
    return true;
}

bool Server::announcing() const
{
    return d->announcer != nullptr;
}

QString Server::announcedName() const
{
    return d->announcer ? d->announcer->announcedName() : QString();
}

QString Server::announcementProblem() const
{
    if (!d->announcer)
        return {};
    switch (d->announcer->state()) {
    case lan::ServiceAnnouncer::State::WaitingForResponder:
    case lan::ServiceAnnouncer::State::Failed:
        return d->announcer->reason();
    default:
        return {};
    }
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

QString Server::storeDescription() const
{
    return d->store.describe();
}

int Server::connectionCount() const
{
    return int(d->connections.size());
}

int Server::loadedRoomCount() const
{
    return d->rooms.count();
}

int Server::passwordChecksInProgress() const
{
    return d->joins.checksInProgress();
}

QString Server::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/inkroom-server"_s;
}

QList<QUrl> Server::joinUrls() const
{
    return joinUrlsFor(d->config.bind, port(), isSecure() ? u"wss"_s : u"ws"_s);
}

QUrl Server::localUrl() const
{
    return localUrlFor(d->config.bind, port(), isSecure() ? u"wss"_s : u"ws"_s);
}

quint64 Server::attachConnection(const QHostAddress &peer, std::function<void(const QByteArray &)> sink)
{
    Connection *connection = d->addConnection(nullptr);
    d->countPeer(connection->peerAddress(), -1);
    connection->detach(peer, std::move(sink));
    d->countPeer(peer, +1);
    return connection->serial();
}

void Server::deliver(quint64 connection, const QByteArray &bytes)
{
    if (Connection *c = d->connections.value(connection))
        d->onMessage(c, bytes);
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
        d->joins.waitForChecks();
        QCoreApplication::sendPostedEvents();
        d->rooms.commit();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

bool Server::checkConsistency(QString *problem)
{
    return d->rooms.checkConsistency(problem);
}

QStringList Server::storedRoomNames(int max) const
{
    bool ok = false;
    return d->store.roomNames(max, &ok);
}

int Server::memberCount() const
{
    return d->rooms.memberCount();
}

void Server::keepOpen(const QString &room)
{
    d->rooms.keepOpen(room);
}

bool Server::seedRoom(const proto::RoomSeed &seed, QString *error)
{
    QString why;
    // A copy of the room in memory (from an earlier takeover) would hide the stored one: only an idle one is replaced.
    if (!d->store.seedRoom(seed, &why)) {
        qCWarning(lcServer).noquote() << u"cannot take room '%1' over: %2"_s.arg(seed.room, why);
        if (error)
            *error = why;
        return false;
    }
    // The pictures the copy holds, each written and checked as an upload is (a bad one is left out, not trusted).
    qsizetype images = 0;
    if (!seed.blobs.isEmpty()) {
        bool ok = false;
        const std::optional<RoomRecord> room = d->store.findRoom(seed.room, &ok);
        for (auto it = seed.blobs.cbegin(); room && it != seed.blobs.cend(); ++it) {
            const QByteArray &bytes = it.value();
            bool written = !bytes.isEmpty() && bytes.size() <= limits::MaxBlobBytes;
            for (qint64 offset = 0; written && offset < bytes.size(); offset += limits::MaxBlobChunkBytes)
                written = d->store.putBlobPart(room->id, it.key(), bytes.size(), offset,
                                               bytes.mid(offset, limits::MaxBlobChunkBytes));
            QString bad;
            if (written && d->store.finishBlob(room->id, it.key(), bytes.size(), &bad) && bad.isEmpty())
                ++images;
            else
                qCWarning(lcServer).noquote() << u"room '%1': image %2 of the copy left out: %3"_s.arg(
                    seed.room, it.key(), bad.isEmpty() ? d->store.lastError() : bad);
        }
    }
    qCInfo(lcServer).noquote() << u"took room '%1' over at seq %2 (%3 items, %4 client ids, %5 images)"_s.arg(seed.room)
                                      .arg(seed.head)
                                      .arg(seed.items.size())
                                      .arg(seed.clients.size())
                                      .arg(images);
    if (!d->announcer)
        d->startAnnouncing(); // it serves a room now: people on the network may see it
    return true;
}

void Server::shutdown()
{
    d->stop([](Connection *connection) {
        connection->closeWith(code(CloseCode::GoingAway), u"the server is shutting down"_s);
    });
}

void Server::closeForEveryone(const QString &closedBy)
{
    const QString who = closedBy.trimmed();
    const QString message = who.isEmpty() ? tr("The host closed the room.") : tr("%1 closed the room.").arg(who);
    qCInfo(lcServer).noquote() << "closing the rooms for everyone:" << message;
    d->stop([message](Connection *connection) {
        connection->fail(proto::ErrorCode::RoomClosed, message, code(CloseCode::RoomClosed));
    });
}

void ServerPrivate::stop(const std::function<void(Connection *)> &closeOne)
{
    if (!started || done) {
        if (!done) {
            done = true;
            QTimer::singleShot(0, q, &Server::finished);
        }
        return;
    }
    if (shuttingDown)
        return;
    shuttingDown = true;
    qCInfo(lcServer) << "shutting down";
    delete std::exchange(announcer, nullptr); // off the network first
    heartbeat->stop();
    if (listener)
        listener->close();
    rooms.commit();
    for (const QPointer<QTcpSocket> &socket : std::as_const(handshaking)) {
        if (socket)
            socket->abort();
    }
    const QList<Connection *> all = connections.values();
    for (Connection *connection : all)
        closeOne(connection);
    if (connections.isEmpty())
        QTimer::singleShot(0, q, [this] { finish(); });
    else
        QTimer::singleShot(config.closeGraceMs + 500, q, [this] { finish(); });
}

} // namespace inkroom::server
