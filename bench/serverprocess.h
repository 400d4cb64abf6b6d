#pragma once

#include "procstats.h"

#include <QMap>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace inkroom::bench {

//! Which server a run measures.
enum class ServerKind {
    Inkroom, //!< inkroom-server
    Ws, //!< the common reference: bench/reference/server.js on Node's ws package
    Bun, //!< the fastest reference: bench/reference/bun-server.js, Bun's WebSocket server (uWebSockets) and pub/sub
    //! inkroom's server as the desktop app hosts it: on a thread of a GUI process (bench/embedded,
    //! inkroom-embedded-host)
    Embedded
};
[[nodiscard]] QString serverName(ServerKind kind);
//! Whether the server speaks Inkroom's protocol (the standalone or the embedded one), not only relays bytes.
[[nodiscard]] inline bool speaksInkroom(ServerKind kind)
{
    return kind == ServerKind::Inkroom || kind == ServerKind::Embedded;
}

struct ServerPaths
{
    QString inkroomServer; //!< the inkroom-server executable
    QString embeddedHost; //!< bench/embedded's inkroom-embedded-host
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
    //! The server's CPU (for the embedded one: its hosting thread's), memory and peak memory so far.
    [[nodiscard]] ProcSample sample() const;
    [[nodiscard]] ServerKind kind() const { return m_kind; }
    //! The end of the server's log, for error messages.
    [[nodiscard]] QString logTail() const;
    /** After stop(), for the embedded server: the hosting GUI thread's frame intervals, alone and while serving
     *  (ui_alone_p99_ms, ui_serving_p99_ms, ...). Empty for the others. */
    [[nodiscard]] QMap<QString, double> frameValues() const { return m_frameValues; }

private:
    ServerKind m_kind = ServerKind::Inkroom;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
    QMap<QString, double> m_frameValues;
};

} // namespace inkroom::bench
