#pragma once

#include "roomseed.h"
#include "serverconfig.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

namespace inkroom::server {

class ServerPrivate;

/** @brief The Inkroom server: rooms, the ordered durable log, resume, volatile relay and protection.
 *
 * Lives entirely on the thread it was created on (no globals; its database connection is its own), so the desktop
 * app may run one on a worker QThread and a test may run several in one process. Typical in-process use, as in the
 * tests:
 *
 * @code
 * QTemporaryDir dir;
 * ServerConfig config;
 * config.bind = QHostAddress::LocalHost;
 * config.port = 0;               // any free port
 * config.dataDir = dir.path();
 * Server server(config);
 * QString error;
 * if (!server.start(&error)) ...
 * QUrl url = server.localUrl();  // wss://127.0.0.1:<port> (ws:// with config.insecure)
 * ...
 * server.shutdown();             // or just destroy it
 * @endcode
 *
 * The data directory holds one SQLite database (inkroom.sqlite), a lock file, and (unless given other files or
 * insecure) the server's TLS key and self-signed certificate in tls/: only one server uses a data directory at a
 * time. Destroying a Server without shutdown() commits what is pending and drops every connection.
 */
class Server : public QObject
{
    Q_OBJECT

public:
    explicit Server(ServerConfig config = {}, QObject *parent = nullptr);
    ~Server() override;

    //! Open the data directory and listen. On failure returns false and says why in *error.
    bool start(QString *error = nullptr);
    [[nodiscard]] bool isListening() const;
    //! The port listened on (useful with port 0); 0 before start().
    [[nodiscard]] quint16 port() const;
    //! wss://ADDRESS:PORT (ws:// when insecure) for every address people can use to join: LAN addresses first,
    //! loopback last.
    [[nodiscard]] QList<QUrl> joinUrls() const;
    //! A URL for a client on this machine (loopback, or the bound address).
    [[nodiscard]] QUrl localUrl() const;
    [[nodiscard]] const ServerConfig &config() const;
    //! The data directory in use (after start()).
    [[nodiscard]] QString dataDir() const;
    //! Where rooms are stored (the SQLite file or the PostgreSQL URI without its password), after start().
    [[nodiscard]] QString storeDescription() const;

    // ---- TLS (after start()) ----
    //! Speaks wss:// (false: insecure, plain ws://).
    [[nodiscard]] bool isSecure() const;
    //! The SHA-256 fingerprint of the certificate clients see, "AB:CD:..."; empty when insecure.
    [[nodiscard]] QString certificateFingerprint() const;
    [[nodiscard]] QSslCertificate certificate() const;
    //! The certificate's file; empty when insecure.
    [[nodiscard]] QString certificatePath() const;

    // ---- the local network (config().announce) ----
    //! The DNS-SD name the server is announced by (after conflict renaming); empty while it is not announced.
    [[nodiscard]] QString announcedName() const;
    /** Asked to announce and announcing (or waiting for the responder to take the announcement). A server of stored
     *  rooms only (a standby) starts once it serves a room: after a seedRoom() that succeeded. */
    [[nodiscard]] bool announcing() const;
    //! Why it is not announced although asked to be (no mDNS responder, a failure), in plain words; else empty.
    [[nodiscard]] QString announcementProblem() const;

    //! Open WebSocket connections, in any state.
    [[nodiscard]] int connectionCount() const;
    //! Rooms in memory.
    [[nodiscard]] int loadedRoomCount() const;
    //! Password hashes queued or running for joins still waiting for them.
    [[nodiscard]] int passwordChecksInProgress() const;
    //! The names of the rooms stored in the data directory, by name, at most max of them (after start()).
    [[nodiscard]] QStringList storedRoomNames(int max) const;
    //! People in the rooms (members of every room in memory together).
    [[nodiscard]] int memberCount() const;
    /** Keep this room open while nobody is in it: listed by list_rooms and kept in memory. For the app, whose host
     *  leaves the room it serves in the background. Empty: none. */
    void keepOpen(const QString &room);

    /** Store a room taken over from another server (its standby's copy), so the next hello for it opens it. False,
     *  with *error, when the store refuses it (another room of that name is stored here, a database failure). */
    bool seedRoom(const proto::RoomSeed &seed, QString *error);

    //! The platform's default data directory: GenericDataLocation/inkroom-server.
    [[nodiscard]] static QString defaultDataDir();

    // ---- connections without sockets (a detached server: fuzzing; see ServerConfig::detached) ----
    /** A connection as if a client had connected from peer; everything the server sends it goes to sink, one
     *  message at a time. Returns its id. */
    quint64 attachConnection(const QHostAddress &peer, std::function<void(const QByteArray &)> sink);
    //! The connection received bytes as one message.
    void deliver(quint64 connection, const QByteArray &bytes);
    //! The client went away (its socket closed).
    void detachConnection(quint64 connection);
    //! The connection is open (not closed by the server or detached).
    [[nodiscard]] bool hasConnection(quint64 connection) const;
    //! Finish what the messages so far started: password checks, commits, closes, queued output, compaction.
    void settle();
    /** Does every room in memory match what loading it from the database gives (head, board)? On a mismatch
     *  returns false and says where in *problem. Commits what is pending first. */
    bool checkConsistency(QString *problem);

public Q_SLOTS:
    /** Stop: stop listening, commit what is pending, close every connection with 1001, wait for them (at most
     *  closeGraceMs), close the database, then emit finished(). Safe to call twice. */
    void shutdown();
    /** Close the rooms for everyone and stop: like shutdown(), but every connection is told in plain words who closed
     *  the room (a fatal room_closed error, "Ann closed the room.") and closed with 4030, so no client reconnects.
     *  closedBy: the host's display name (empty: "The host"). */
    void closeForEveryone(const QString &closedBy);

Q_SIGNALS:
    //! After shutdown(): everything is closed and flushed.
    void finished();
    void connectionCountChanged(int count);
    //! announcedName() or announcementProblem() changed.
    void announcementChanged();
    //! Somebody joined or left a room: memberCount() is now count.
    void memberCountChanged(int count);

private:
    friend class ServerPrivate;
    std::unique_ptr<ServerPrivate> d;
};

} // namespace inkroom::server
