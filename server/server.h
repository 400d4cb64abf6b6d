#pragma once

#include "serverconfig.h"

#include <QList>
#include <QObject>
#include <QUrl>

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
 * QUrl url = server.localUrl();  // ws://127.0.0.1:<port>
 * ...
 * server.shutdown();             // or just destroy it
 * @endcode
 *
 * The data directory holds one SQLite database (inkroom.sqlite) and a lock file: only one server uses a data
 * directory at a time. Destroying a Server without shutdown() commits what is pending and drops every connection.
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
    //! ws://ADDRESS:PORT for every address people can use to join: LAN addresses first, loopback last.
    [[nodiscard]] QList<QUrl> joinUrls() const;
    //! A URL for a client on this machine (loopback, or the bound address).
    [[nodiscard]] QUrl localUrl() const;
    [[nodiscard]] const ServerConfig &config() const;
    //! The data directory in use (after start()).
    [[nodiscard]] QString dataDir() const;

    //! Open WebSocket connections, in any state.
    [[nodiscard]] int connectionCount() const;
    //! Rooms in memory.
    [[nodiscard]] int loadedRoomCount() const;

    //! The platform's default data directory: GenericDataLocation/inkroom-server.
    [[nodiscard]] static QString defaultDataDir();

public Q_SLOTS:
    /** Stop: stop listening, commit what is pending, close every connection with 1001, wait for them (at most
     *  closeGraceMs), close the database, then emit finished(). Safe to call twice. */
    void shutdown();

Q_SIGNALS:
    //! After shutdown(): everything is closed and flushed.
    void finished();
    void connectionCountChanged(int count);

private:
    friend class ServerPrivate;
    std::unique_ptr<ServerPrivate> d;
};

} // namespace inkroom::server
