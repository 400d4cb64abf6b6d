#include "runner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace inkroom::bench;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"inkroom-bench"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Load generator for inkroom-server (and the ws and Bun reference relays): fan-out latency and throughput, "
        u"idle "
        "connections, a stalled reader, a late joiner and a catch-up. Loopback only. See docs/BENCHMARKS.md."_s);
    parser.addHelpOption();
    const QCommandLineOption smoke(u"smoke"_s, u"Every scenario for about a second with tiny sizes (ctest)."_s);
    const QCommandLineOption scenarios(
        u"scenarios"_s,
        u"Comma-separated: fanout, one-to-many, idle, stalled, late-join, catch-up, standby-ack, fanout-nodes "
        "(default: all; fanout-nodes only with --pg-store)."_s,
        u"list"_s);
    const QCommandLineOption servers(
        u"servers"_s,
        u"Comma-separated: inkroom, ws, bun, embedded (inkroom's server inside a GUI process, as the app hosts it) (default: inkroom,ws,bun)."_s,
        u"list"_s, u"inkroom,ws,bun"_s);
    const QCommandLineOption repeat(u"repeat"_s, u"Runs of each scenario (medians are reported)."_s, u"n"_s, u"1"_s);
    const QCommandLineOption transport(u"transport"_s, u"Client transport: lean or qt (QWebSocket)."_s, u"name"_s,
                                       u"lean"_s);
    const QCommandLineOption security(u"security"_s,
                                      u"Comma-separated: plain (ws://), tls (wss://, one certificate made with "
                                      "openssl for every server) (default: plain)."_s,
                                      u"list"_s, u"plain"_s);
    const QCommandLineOption threads(u"threads"_s, u"Client threads."_s, u"n"_s, u"1"_s);
    const QCommandLineOption warmup(u"warmup"_s, u"Seconds of traffic before measuring."_s, u"s"_s, u"2"_s);
    const QCommandLineOption duration(u"duration"_s, u"Seconds measured per run."_s, u"s"_s, u"5"_s);
    const QCommandLineOption sweep(u"sweep"_s, u"Room sizes of the fan-out runs."_s, u"list"_s,
                                   u"10,20,30,40,50,75,100,110,125,150,175,200"_s);
    const QCommandLineOption rate(u"rate"_s, u"Stroke updates per second per drawing client."_s, u"hz"_s, u"60"_s);
    const QCommandLineOption inkroomServer(u"inkroom-server"_s, u"The inkroom-server executable."_s, u"path"_s,
                                           QStringLiteral(INKROOM_SERVER_EXE));
    const QCommandLineOption embeddedHost(u"embedded-host"_s,
                                          u"The server as the app hosts it (bench/embedded), for --servers embedded."_s,
                                          u"path"_s, QStringLiteral(INKROOM_EMBEDDED_HOST));
    const QCommandLineOption wsServer(u"ws-server"_s, u"The reference server script."_s, u"path"_s,
                                      QStringLiteral(INKROOM_WS_SERVER));
    const QCommandLineOption node(u"node"_s, u"The node executable."_s, u"path"_s, u"node"_s);
    const QCommandLineOption bunServer(u"bun-server"_s, u"The Bun reference relay's script."_s, u"path"_s,
                                       QStringLiteral(INKROOM_BUN_SERVER));
    const QCommandLineOption bun(u"bun"_s, u"The bun executable (default: npm's, next to the script)."_s, u"path"_s);
    const QCommandLineOption pgStore(u"pg-store"_s,
                                     u"fanout-nodes: a PostgreSQL database (libpq URI) that --nodes inkroom-servers "
                                     "share, each room's members spread over them."_s,
                                     u"url"_s);
    const QCommandLineOption nodes(u"nodes"_s, u"fanout-nodes: how many inkroom-servers (default: 2)."_s, u"n"_s,
                                   u"2"_s);
    const QCommandLineOption json(u"json"_s, u"Write every run as JSON here."_s, u"file"_s);
    const QCommandLineOption markdown(u"markdown"_s, u"Write the summary tables here."_s, u"file"_s);
    parser.addOptions({smoke,     scenarios, servers, repeat, transport,     security, threads,
                       warmup,    duration,  sweep,   rate,   inkroomServer, wsServer, node,
                       bunServer, bun,       pgStore, nodes,  json,          markdown, embeddedHost});
    parser.process(app);

    QTextStream err(stderr);
    BenchOptions options;
    options.smoke = parser.isSet(smoke);
    if (parser.isSet(scenarios))
        options.scenarios = parser.value(scenarios).split(u',', Qt::SkipEmptyParts);
    options.servers.clear();
    for (const QString &name : parser.value(servers).split(u',', Qt::SkipEmptyParts)) {
        if (name == "inkroom"_L1) {
            options.servers.append(ServerKind::Inkroom);
        } else if (name == "ws"_L1) {
            options.servers.append(ServerKind::Ws);
        } else if (name == "bun"_L1) {
            options.servers.append(ServerKind::Bun);
        } else if (name == "embedded"_L1) {
            options.servers.append(ServerKind::Embedded);
        } else {
            err << "inkroom-bench: unknown server '" << name << "'\n";
            return 2;
        }
    }
    options.repeat = std::max(1, parser.value(repeat).toInt());
    if (parser.value(transport) == "qt"_L1)
        options.transport = BenchSocket::Transport::Qt;
    else if (parser.value(transport) != "lean"_L1) {
        err << "inkroom-bench: --transport is lean or qt\n";
        return 2;
    }
    options.security.clear();
    for (const QString &name : parser.value(security).split(u',', Qt::SkipEmptyParts)) {
        if (name != "plain"_L1 && name != "tls"_L1) {
            err << "inkroom-bench: --security is plain, tls or plain,tls\n";
            return 2;
        }
        options.security.append(name == "tls"_L1);
    }
    if (options.security.isEmpty())
        options.security.append(false);
    options.threads = std::clamp(parser.value(threads).toInt(), 1, 16);
    options.warmupSeconds = std::clamp(parser.value(warmup).toDouble(), 0.0, 60.0);
    options.measureSeconds = std::clamp(parser.value(duration).toDouble(), 0.1, 600.0);
    options.rateHz = std::clamp(parser.value(rate).toDouble(), 0.1, 1000.0);
    options.pgStore = parser.value(pgStore);
    options.nodes = std::clamp(parser.value(nodes).toInt(), 2, 16);
    options.sweep.clear();
    for (const QString &n : parser.value(sweep).split(u',', Qt::SkipEmptyParts))
        options.sweep.append(std::clamp(n.toInt(), 2, 1000));
    options.paths.inkroomServer = parser.value(inkroomServer);
    options.paths.embeddedHost = parser.value(embeddedHost);
    options.paths.wsServer = parser.value(wsServer);
    options.paths.node = parser.value(node);
    options.paths.bunServer = parser.value(bunServer);
    options.paths.bun = parser.isSet(bun)
        ? parser.value(bun)
        : QFileInfo(options.paths.bunServer).absolutePath() + u"/node_modules/.bin/bun"_s;
    options.jsonPath = parser.value(json);
    options.markdownPath = parser.value(markdown);

    if (options.servers.contains(ServerKind::Ws)) {
        const QFileInfo script(options.paths.wsServer);
        if (!QFileInfo::exists(script.absolutePath() + u"/node_modules/ws/package.json"_s)) {
            err << "inkroom-bench: the ws reference is not installed (run 'npm ci' in " << script.absolutePath()
                << "); skipping it\n";
            options.servers.removeAll(ServerKind::Ws);
        }
    }
    if (options.servers.contains(ServerKind::Bun) && !QFileInfo(options.paths.bun).isExecutable()) {
        err << "inkroom-bench: bun is not installed (run 'npm ci' in "
            << QFileInfo(options.paths.bunServer).absolutePath() << ", or give --bun); skipping it\n";
        options.servers.removeAll(ServerKind::Bun);
    }
    if (options.servers.isEmpty()) {
        err << "inkroom-bench: no server to measure\n";
        return 2;
    }

    Runner runner(options);
    return runner.run() ? 0 : 1;
}
