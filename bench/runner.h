#pragma once

#include "benchsocket.h"
#include "clientpool.h"
#include "serverprocess.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace inkroom::bench {

struct BenchOptions
{
    ServerPaths paths;
    QList<ServerKind> servers {ServerKind::Inkroom, ServerKind::Ws, ServerKind::Bun};
    //! Plain ws:// (false), wss:// (true), or both, in this order within every repeat.
    QList<bool> security {false};
    QStringList scenarios;
    BenchSocket::Transport transport = BenchSocket::Transport::Lean;
    int threads = 1;
    int repeat = 1;
    bool smoke = false;
    double warmupSeconds = 2;
    double measureSeconds = 5;
    double drainSeconds = 1;
    QList<int> sweep {10, 20, 30, 40, 50, 75, 100, 110, 125, 150, 175, 200};
    int receivers = 999; //!< one-to-many: with the sender, a room of 1,000 (the protocol's limit)
    int idleConnections = 5000;
    int lateStrokes = 10000;
    int latePoints = 100;
    int catchUpOps = 10000;
    int standbyAckOps = 1200; //!< ops the standby-ack scenario times, in each of its two rooms
    double rateHz = 60;
    //! fanout-nodes: the PostgreSQL store (libpq URI) that `nodes` inkroom-servers share; empty: that scenario is off.
    QString pgStore;
    int nodes = 2;
    QString jsonPath;
    QString markdownPath;
};

//! One run of one scenario against one server.
struct RunResult
{
    QString scenario; //!< e.g. "fanout-100x60"
    ServerKind server = ServerKind::Inkroom;
    bool tls = false; //!< over wss://
    int repeat = 0;
    QString load; //!< load averages when the run started
    bool ok = true;
    QString note;
    QMap<QString, double> values;
    [[nodiscard]] QJsonObject toJson() const;
};

/** @brief Runs the scenarios: starts a server per run, drives clients, samples the server, keeps the results.
 *
 * The conductor runs on the main thread; the clients run on their own thread(s) (ClientPool), except in the
 * join scenarios, where the real client core (client::Session) runs on the main thread so its timing is the
 * application's own.
 */
class Runner
{
public:
    explicit Runner(BenchOptions options);
    //! Run everything asked for; returns false if a run failed outright.
    bool run();
    [[nodiscard]] const QList<RunResult> &results() const { return m_results; }

private:
    //! One room of clients; with nodes > 1, inkroom-servers on m_options.pgStore, the members spread over them.
    RunResult fanout(ServerKind server, int clients, int senders, double rateHz, const QString &name, int nodes = 1);
    RunResult idle(ServerKind server);
    RunResult stalled(ServerKind server);
    RunResult lateJoin(ServerKind server);
    RunResult catchUp(ServerKind server);
    //! Ack latency of one member's ops, without and with a standby in its room (standbyack.h).
    RunResult standbyAck(ServerKind server);

    //! Every scenario asked for against one server, in this run's security; false if one failed outright.
    bool runScenarios(ServerKind server);
    bool wantScenario(const QString &name) const;
    //! Starts server as this run's security asks; on failure fills result and returns false.
    bool startServer(ServerProcess &server, ServerKind kind, const QStringList &args, RunResult &result);
    //! Where the clients of this run connect: the server's (or a proxy's) port, over TLS when the run is.
    [[nodiscard]] Endpoint endpoint(quint16 port) const { return Endpoint {QStringLiteral("127.0.0.1"), port, m_tls}; }
    //! Makes the certificate every server gets in wss:// runs; false (and says why) when openssl cannot.
    bool makeCertificate();
    void record(RunResult result);
    void printSummary() const;
    void writeFiles() const;

    BenchOptions m_options;
    QList<RunResult> m_results;
    int m_repeat = 0;
    bool m_tls = false; //!< the runs now are over wss://
    std::unique_ptr<QTemporaryDir> m_certDir;
    QString m_fingerprint; //!< of the certificate, for the real client core, which pins it
    int m_runCounter = 0;
};

//! Keep the main thread's event loop running until predicate() holds or timeoutMs pass. True if it held.
bool waitFor(const std::function<bool()> &predicate, int timeoutMs);
//! Keep the event loop running until the monotonic clock reaches micros.
void waitUntilMicros(quint64 micros);

} // namespace inkroom::bench
