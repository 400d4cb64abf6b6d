#pragma once

#include "server.h"

#include <QTemporaryDir>
#include <QUrl>

#include <functional>
#include <memory>

namespace inkroom::test {

//! Settings that keep tests quick: loopback, plain ws://, cheap password hashing, short grace.
[[nodiscard]] server::ServerConfig fastServerConfig(const QString &dataDir);

/** @brief The real server, in-process, in a temporary data directory that outlives restarts.
 *
 * restart() stops the server and starts another on the same data directory and (by default) the same port, as
 * a server that was shut down and started again would be. wipe() deletes the data: the next start is a new epoch.
 */
class ServerFixture
{
public:
    explicit ServerFixture(std::function<void(server::ServerConfig &)> tweak = {});
    ~ServerFixture();

    bool start(quint16 port = 0);
    //! Stop, as a clean shutdown does (commits, closes connections with 1001).
    void stop();
    //! Drop the server without shutdown(): connections die, pending commits are written by its destructor.
    void kill();
    bool restart(bool samePort = true);
    //! Delete the server's data (the server must be stopped): its rooms come back with new epochs.
    void wipe();

    [[nodiscard]] bool isRunning() const { return m_server != nullptr; }
    [[nodiscard]] server::Server *server() const { return m_server.get(); }
    [[nodiscard]] quint16 port() const { return m_port; }
    //! ws://127.0.0.1:PORT, or wss:// when the tweak turned TLS on.
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::function<void(server::ServerConfig &)> m_tweak;
    std::unique_ptr<server::Server> m_server;
    quint16 m_port = 0;
};

} // namespace inkroom::test
