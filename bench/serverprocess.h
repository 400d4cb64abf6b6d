#pragma once

#include "procstats.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace inkroom::bench {

//! Which server a run measures.
enum class ServerKind {
    Inkroom, //!< inkroom-server
    Ws, //!< the common reference: bench/reference/server.js on Node's ws package
    Bun //!< the fastest reference: bench/reference/bun-server.js, Bun's WebSocket server (uWebSockets) and pub/sub
};
[[nodiscard]] QString serverName(ServerKind kind);

struct ServerPaths
{
    QString inkroomServer; //!< the inkroom-server executable
    QString node = QStringLiteral("node");
    QString wsServer; //!< bench/reference/server.js
    QString bun; //!< the bun executable (npm's bun package, in bench/reference/node_modules/.bin)
    QString bunServer; //!< bench/reference/bun-server.js
    //! For wss:// runs: one certificate and key (PEM) that every server is given, made by the Runner.
    QString tlsCert;
    QString tlsKey;
};

/** @brief The server under test, as a child process on a loopback port it picks itself.
 *
 * Each run gets a fresh process (so its peak RSS is the run's) and, for inkroom-server, a fresh data directory.
 * Its stderr goes to a log file in that directory.
 */
class ServerProcess
{
public:
    ServerProcess() = default;
    ~ServerProcess();

    //! Starts the server, over wss:// with paths.tlsCert when tls is set.
    bool start(ServerKind kind, const ServerPaths &paths, const QStringList &extraArgs, bool tls, QString *error);
    void stop();
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() const { return m_process ? m_process->processId() : 0; }
    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] ProcSample sample() const { return sampleProcess(pid()); }
    [[nodiscard]] ServerKind kind() const { return m_kind; }
    //! The end of the server's log, for error messages.
    [[nodiscard]] QString logTail() const;

private:
    ServerKind m_kind = ServerKind::Inkroom;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
};

} // namespace inkroom::bench
