#include "serverapp.h"

#include "joincode.h"
#include "logging.h"
#include "protocol.h"
#include "server.h"
#include "shutdownsignals.h"
#include "store.h"
#include "storelocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QTextStream>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

struct IntOption
{
    QCommandLineOption option;
    int ServerConfig::*field;
    int min;
    int max;
};

struct SecondsOption
{
    QCommandLineOption option;
    int ServerConfig::*field;
    double min;
    double max;
};

QCommandLineOption valueOption(const QString &name, const QString &description, const QString &valueName,
                               const QString &defaultValue)
{
    return QCommandLineOption(QStringList {name}, description + u" (default: %1)"_s.arg(defaultValue), valueName,
                              defaultValue);
}

std::optional<QHostAddress> parseBind(const QString &text)
{
    const QString lower = text.trimmed().toLower();
    if (lower == "any"_L1 || lower == "*"_L1)
        return QHostAddress(QHostAddress::Any);
    if (lower == "any4"_L1 || lower == "0.0.0.0"_L1)
        return QHostAddress(QHostAddress::AnyIPv4);
    if (lower == "any6"_L1 || lower == "::"_L1)
        return QHostAddress(QHostAddress::AnyIPv6);
    if (lower == "localhost"_L1)
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress address;
    if (!address.setAddress(text.trimmed()))
        return std::nullopt;
    return address;
}

QString limitsHelp(const ServerConfig &defaults)
{
    constexpr qint64 kMiB = 1024 * 1024;
    return u"Limits (docs/PROTOCOL.md lists them all):\n"
           "  Queues: a connection keeps at most --max-output-mib of unsent output (past it: close 4009) and %1 MiB\n"
           "    (%2 messages) that arrive while its join is decided; --max-connections times that, %3 MiB per\n"
           "    connection, must fit --memory-budget-mib or the server does not start.\n"
           "  Handshakes in progress: --max-pending-handshakes (%4), of them --max-pending-handshakes-per-address\n"
           "    (%5) from one address (more are dropped at once), each given --handshake-timeout; connections from\n"
           "    one address: --max-connections-per-address (close 4005).\n"
           "  Rates per connection: --rate messages a second (bursts of --burst; past it: dropped, ops refused\n"
           "    rate_limited), and --op-kib KiB of ops a second (bursts of --op-burst-kib; past it: the op is refused\n"
           "    rate_limited and sent again later). Image uploads have --image-upload-kib of their own.\n"
           "  Password checks waiting: %6, %7 per address (more: close 4020, try again). Wrong passwords, client\n"
           "    secrets and join tokens, and new rooms with a password: %8 a minute per address (more: close 4011).\n"
           "  Boards: --max-board-mib of encoded items and --max-board-items items each (past either: the change is\n"
           "    refused, board_full), and --max-boards-mib for every board in memory together (idle rooms are\n"
           "    unloaded first; past it: board_full, or close 4021 for a join that would open a room). A room in\n"
           "    memory takes about three times its board; its log on disk is compacted once the ops since its\n"
           "    snapshot pass the board's size.\n"
           "  Memory: at most about --memory-budget-mib + 3 x --max-boards-mib + 3 x --max-board-mib + %10 MiB\n"
           "    (%9 MiB with the defaults)."_s.arg(defaults.maxDeferredBytes / kMiB)
               .arg(defaults.maxDeferredMessages)
               .arg(double(queueBytesPerConnection(defaults)) / kMiB, 0, 'f', 1)
               .arg(defaults.maxPendingHandshakes)
               .arg(defaults.maxPendingHandshakesPerAddress)
               .arg(defaults.maxPasswordChecks)
               .arg(defaults.maxPasswordChecksPerAddress)
               .arg(defaults.maxPasswordFailures)
               .arg((defaults.queueBudgetBytes + 3 * defaults.maxBoardsBytes + 3 * defaults.maxBoardBytes) / kMiB
                    + OwnMemoryMib)
               .arg(OwnMemoryMib);
}

} // namespace

QString serverVersion()
{
    return QStringLiteral(INKROOM_VERSION);
}

std::optional<ServerConfig> configFromArguments(const QStringList &arguments, bool *verbose, QString *error,
                                                bool *checkOnly)
{
    const ServerConfig defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The Inkroom server: shared whiteboards and chat for the local network.\n"
        "Rooms are created when somebody first joins them. Stop it with Ctrl+C (SIGINT) or SIGTERM.\n\n"_s
        + limitsHelp(defaults));
    parser.addHelpOption();
    parser.addVersionOption();

    const QCommandLineOption bind = valueOption(
        u"bind"_s, u"Address to listen on: any, any4, any6, localhost or an IP address"_s, u"address"_s, u"any"_s);
    const QCommandLineOption port =
        valueOption(u"port"_s, u"TCP port; 0 picks a free one"_s, u"port"_s, QString::number(DefaultPort));
    const QCommandLineOption dataDir(QStringList {u"data-dir"_s},
                                     u"Where rooms are stored (default: %1)"_s.arg(Server::defaultDataDir()), u"dir"_s);
    const QCommandLineOption store(
        QStringList {u"store"_s},
        u"Where rooms are stored: sqlite:PATH (an SQLite file) or a PostgreSQL URI, "
        "postgresql://user@host:port/database or postgresql:///database?host=/socket/dir&user=name (a password "
        "may come from the URI, PGPASSWORD or ~/.pgpass; it is never shown). Several inkroom-server nodes may share "
        "one "
        "PostgreSQL store: each serves any room, and members of one room may be on different nodes. Default: "
        "sqlite:<data dir>/inkroom.sqlite"_s,
        u"url"_s);
    const QCommandLineOption joinToken(QStringList {u"token"_s, u"join-token"_s},
                                       u"A token every client must send to join (default: none)"_s, u"token"_s);
    const QCommandLineOption tlsCert(QStringList {u"tls-cert"_s},
                                     u"The server's TLS certificate, PEM (intermediates may follow it); with "
                                     "--tls-key. Default: a self-signed certificate made on first start and kept "
                                     "in the data directory"_s,
                                     u"file"_s);
    const QCommandLineOption tlsKey(QStringList {u"tls-key"_s}, u"The private key of --tls-cert, PEM, unencrypted"_s,
                                    u"file"_s);
    const QCommandLineOption insecure(QStringList {u"insecure"_s},
                                      u"Speak plain ws:// without TLS (for debugging with generic WebSocket tools): "
                                      "anyone on the network can read and change what is sent"_s);
    const QCommandLineOption allowOrigin(QStringList {u"allow-origin"_s},
                                         u"A web page origin (scheme://host[:port]) whose scripts may connect; "
                                         "repeat for more. Browsers' other origins are refused; native clients "
                                         "send none and are not affected (default: none)"_s,
                                         u"origin"_s);
    const QCommandLineOption rate = valueOption(u"rate"_s, u"Messages per second a connection may send"_s, u"n"_s,
                                                QString::number(defaults.ratePerSecond));
    const QCommandLineOption maxOutput =
        valueOption(u"max-output-mib"_s, u"Unsent output (MiB) past which a client that stopped reading is dropped"_s,
                    u"n"_s, QString::number(defaults.maxOutputBytes / (1024 * 1024)));
    const QCommandLineOption name(QStringList {u"name"_s},
                                  u"The name the server is announced by on the local network, e.g. \"Room 214 "
                                  "projector\" (default: this computer's host name)"_s,
                                  u"name"_s);
    const QCommandLineOption noAnnounce(QStringList {u"no-announce"_s},
                                        u"Do not announce the server on the local network (DNS-SD / mDNS, "
                                        "_inkroom._tcp); people then join with its address"_s);
    const QCommandLineOption maxBoard = valueOption(
        u"max-board-mib"_s, u"A board's size (MiB of encoded items) past which changes that add to it are refused"_s,
        u"n"_s, QString::number(defaults.maxBoardBytes / (1024 * 1024)));
    const QCommandLineOption maxBoards = valueOption(
        u"max-boards-mib"_s,
        u"Every room's board in memory together (MiB of encoded items, as --max-board-mib counts one): idle rooms "
        "are unloaded to make room, and past it changes that add to a board are refused and rooms that do not fit "
        "are not opened (close 4021)"_s,
        u"n"_s, QString::number(defaults.maxBoardsBytes / (1024 * 1024)));
    const QCommandLineOption memoryBudget =
        valueOption(u"memory-budget-mib"_s, u"Memory (MiB) every connection's queues may take together"_s, u"n"_s,
                    QString::number(defaults.queueBudgetBytes / (1024 * 1024)));
    const QCommandLineOption verboseOption(QStringList {u"verbose"_s}, u"Log what the server does"_s);
    const QCommandLineOption check(QStringList {u"check"_s},
                                   u"Check the SQLite database (SQLite's integrity_check) and exit: 0 when "
                                   "it is sound, 1 when it is damaged, with how to recover. Safe while a server "
                                   "runs on it. (Every start runs the quicker quick_check, and refuses a damaged "
                                   "database.)"_s);

    QList<IntOption> ints = {
        {valueOption(u"max-connections"_s, u"Connections the server accepts"_s, u"n"_s,
                     QString::number(defaults.maxConnections)),
         &ServerConfig::maxConnections, 1, 100000},
        {valueOption(u"max-connections-per-address"_s, u"Connections the server accepts from one address"_s, u"n"_s,
                     QString::number(defaults.maxConnectionsPerAddress)),
         &ServerConfig::maxConnectionsPerAddress, 1, 100000},
        {valueOption(u"max-pending-handshakes"_s, u"Connections still in their WebSocket handshake"_s, u"n"_s,
                     QString::number(defaults.maxPendingHandshakes)),
         &ServerConfig::maxPendingHandshakes, 1, 100000},
        {valueOption(u"max-pending-handshakes-per-address"_s,
                     u"Connections from one address still in their WebSocket handshake"_s, u"n"_s,
                     QString::number(defaults.maxPendingHandshakesPerAddress)),
         &ServerConfig::maxPendingHandshakesPerAddress, 1, 100000},
        {valueOption(u"max-room-members"_s, u"Members per room"_s, u"n"_s, QString::number(defaults.maxRoomMembers)),
         &ServerConfig::maxRoomMembers, 1, 1000},
        {valueOption(u"max-board-items"_s, u"Items per board"_s, u"n"_s, QString::number(defaults.maxBoardItems)),
         &ServerConfig::maxBoardItems, 1, 10000000},
        {valueOption(u"max-room-image-mib"_s,
                     u"Image bytes (MiB) a room may keep, stored and half uploaded together (fixed: an image has at "
                     "most 10 MiB, 4096 pixels a side and 16 megapixels; a connection uploads two at once)"_s,
                     u"n"_s, QString::number(defaults.maxRoomImageMib)),
         &ServerConfig::maxRoomImageMib, 0, 1024 * 1024},
        {valueOption(u"image-upload-kib"_s, u"Image bytes (KiB) a connection may upload a second"_s, u"n"_s,
                     QString::number(defaults.imageUploadKibPerSecond)),
         &ServerConfig::imageUploadKibPerSecond, 64, 1024 * 1024},
        {valueOption(u"burst"_s, u"Messages a connection may send at once"_s, u"n"_s,
                     QString::number(defaults.rateBurst)),
         &ServerConfig::rateBurst, 1, 1000000},
        {valueOption(u"op-kib"_s,
                     u"KiB of ops (changes and chat, as sent) a connection may send a second; an op past it is "
                     "refused for the moment (rate_limited) and sent again"_s,
                     u"n"_s, QString::number(defaults.opKibPerSecond)),
         &ServerConfig::opKibPerSecond, 16, 1 << 30},
        {valueOption(u"op-burst-kib"_s,
                     u"KiB of ops a connection may send at once (at least 1024: the largest message)"_s, u"n"_s,
                     QString::number(defaults.opBurstKib)),
         &ServerConfig::opBurstKib, int(limits::MaxClientMessageBytes / 1024), 1 << 30},
        {valueOption(u"compact-every"_s, u"Write a board snapshot every this many ops"_s, u"n"_s,
                     QString::number(defaults.compactEvery)),
         &ServerConfig::compactEvery, 1, 10000000},
        {valueOption(u"retain-ops"_s, u"Ops kept behind the snapshot for resuming clients"_s, u"n"_s,
                     QString::number(defaults.retainOps)),
         &ServerConfig::retainOps, 0, 10000000},
        {valueOption(u"chat-history"_s, u"Chat messages a late joiner receives"_s, u"n"_s,
                     QString::number(defaults.chatHistory)),
         &ServerConfig::chatHistory, 0, 100000},
    };
    QList<SecondsOption> seconds = {
        {valueOption(u"handshake-timeout"_s, u"Seconds to connect and send hello"_s, u"s"_s,
                     QString::number(defaults.handshakeTimeoutMs / 1000.0)),
         &ServerConfig::handshakeTimeoutMs, 0.05, 3600},
        {valueOption(u"ping-interval"_s, u"Seconds between heartbeat pings"_s, u"s"_s,
                     QString::number(defaults.pingIntervalMs / 1000.0)),
         &ServerConfig::pingIntervalMs, 0.05, 3600},
        {valueOption(u"heartbeat-timeout"_s, u"Seconds of silence after which a connection is dropped"_s, u"s"_s,
                     QString::number(defaults.heartbeatTimeoutMs / 1000.0)),
         &ServerConfig::heartbeatTimeoutMs, 0.1, 3600},
    };

    parser.addOptions(
        {bind, port, dataDir, store, name, noAnnounce, joinToken, tlsCert, tlsKey, insecure, allowOrigin});
    for (const IntOption &option : std::as_const(ints))
        parser.addOption(option.option);
    parser.addOptions({rate, maxOutput, maxBoard, maxBoards, memoryBudget});
    for (const SecondsOption &option : std::as_const(seconds))
        parser.addOption(option.option);
    parser.addOption(verboseOption);
    parser.addOption(check);

    parser.process(arguments); // exits for --help, --version and unknown options
    if (!parser.positionalArguments().isEmpty()) {
        *error = u"unexpected argument: %1"_s.arg(parser.positionalArguments().constFirst());
        return std::nullopt;
    }

    ServerConfig config;
    *verbose = parser.isSet(verboseOption);
    if (checkOnly)
        *checkOnly = parser.isSet(check);
    const auto address = parseBind(parser.value(bind));
    if (!address) {
        *error = u"--bind: '%1' is not an address"_s.arg(parser.value(bind));
        return std::nullopt;
    }
    config.bind = *address;
    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        *error = u"--port: '%1' is not a port number"_s.arg(parser.value(port));
        return std::nullopt;
    }
    config.port = quint16(portValue);
    if (parser.isSet(dataDir))
        config.dataDir = parser.value(dataDir);
    if (parser.isSet(store)) {
        config.store = parser.value(store);
        QString storeError;
        if (!StoreLocation::parse(config.store, &storeError)) {
            *error = u"--store: "_s + storeError;
            return std::nullopt;
        }
    }
    if (parser.isSet(joinToken))
        config.joinToken = parser.value(joinToken);
    config.announce = !parser.isSet(noAnnounce);
    config.displayName = parser.value(name).trimmed();
    if (parser.isSet(name) && !proto::isValidDisplayName(config.displayName.left(limits::MaxNameLength))) {
        *error = u"--name: '%1' is not a name (letters, no control characters)"_s.arg(parser.value(name));
        return std::nullopt;
    }
    config.insecure = parser.isSet(insecure);
    config.tlsCertFile = parser.value(tlsCert);
    config.tlsKeyFile = parser.value(tlsKey);
    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        *error = u"--tls-cert and --tls-key go together"_s;
        return std::nullopt;
    }
    if (config.insecure && !config.tlsCertFile.isEmpty()) {
        *error = u"--insecure turns TLS off: it does not go with --tls-cert and --tls-key"_s;
        return std::nullopt;
    }
    config.allowedOrigins = parser.values(allowOrigin);
    for (const QString &origin : std::as_const(config.allowedOrigins)) {
        if (normaliseOrigin(origin).isEmpty()) {
            *error =
                u"--allow-origin: '%1' is not an origin like https://example.org or http://host:8080"_s.arg(origin);
            return std::nullopt;
        }
    }

    for (const IntOption &option : std::as_const(ints)) {
        const QString text = parser.value(option.option);
        const int value = text.toInt(&ok);
        if (!ok || value < option.min || value > option.max) {
            *error = u"--%1: '%2' is not a whole number from %3 to %4"_s.arg(option.option.names().constFirst(), text)
                         .arg(option.min)
                         .arg(option.max);
            return std::nullopt;
        }
        config.*option.field = value;
    }
    for (const SecondsOption &option : std::as_const(seconds)) {
        const QString text = parser.value(option.option);
        const double value = text.toDouble(&ok);
        if (!ok || !(value >= option.min && value <= option.max)) {
            *error =
                u"--%1: '%2' is not a number of seconds from %3 to %4"_s.arg(option.option.names().constFirst(), text)
                    .arg(option.min)
                    .arg(option.max);
            return std::nullopt;
        }
        config.*option.field = int(std::lround(value * 1000));
    }
    const double rateValue = parser.value(rate).toDouble(&ok);
    if (!ok || !(rateValue >= 1 && rateValue <= 1e6)) {
        *error = u"--rate: '%1' is not a number from 1 to 1000000"_s.arg(parser.value(rate));
        return std::nullopt;
    }
    config.ratePerSecond = rateValue;
    config.rateMaxExcess = config.rateBurst;
    const int outputMib = parser.value(maxOutput).toInt(&ok);
    if (!ok || outputMib < 1 || outputMib > 4096) {
        *error = u"--max-output-mib: '%1' is not a whole number from 1 to 4096"_s.arg(parser.value(maxOutput));
        return std::nullopt;
    }
    config.maxOutputBytes = qint64(outputMib) * 1024 * 1024;
    config.volatileDropBytes = std::min(config.volatileDropBytes, config.maxOutputBytes / 4);
    const int boardMib = parser.value(maxBoard).toInt(&ok);
    if (!ok || boardMib < 1 || boardMib > 4096) {
        *error = u"--max-board-mib: '%1' is not a whole number from 1 to 4096"_s.arg(parser.value(maxBoard));
        return std::nullopt;
    }
    config.maxBoardBytes = qint64(boardMib) * 1024 * 1024;
    const int boardsMib = parser.value(maxBoards).toInt(&ok);
    if (!ok || boardsMib < 1 || boardsMib > 65536) {
        *error = u"--max-boards-mib: '%1' is not a whole number from 1 to 65536"_s.arg(parser.value(maxBoards));
        return std::nullopt;
    }
    config.maxBoardsBytes = qint64(boardsMib) * 1024 * 1024;
    const int budgetMib = parser.value(memoryBudget).toInt(&ok);
    if (!ok || budgetMib < 16 || budgetMib > 1024 * 1024) {
        *error =
            u"--memory-budget-mib: '%1' is not a whole number from 16 to 1048576"_s.arg(parser.value(memoryBudget));
        return std::nullopt;
    }
    config.queueBudgetBytes = qint64(budgetMib) * 1024 * 1024;
    if (!queuesFitBudget(config, error))
        return std::nullopt;
    if (config.heartbeatTimeoutMs <= config.pingIntervalMs) {
        *error = u"--heartbeat-timeout must be longer than --ping-interval"_s;
        return std::nullopt;
    }
    return config;
}

int checkDatabase(const ServerConfig &config, QTextStream &out)
{
    const QString dataDir = QDir::cleanPath(config.dataDir.isEmpty() ? Server::defaultDataDir() : config.dataDir);
    QString error;
    const std::optional<StoreLocation> location = config.store.isEmpty()
        ? StoreLocation::sqlite(dataDir + u"/inkroom.sqlite"_s)
        : StoreLocation::parse(config.store, &error);
    if (location && location->kind != StoreLocation::Kind::Sqlite)
        error = u"--check checks an SQLite store; PostgreSQL checks its own (see its amcheck module)"_s;
    if (!location || !error.isEmpty()) {
        out << "inkroom-server: " << error << Qt::endl;
        return 1;
    }
    const QString path = location->path;
    const QStringList problems = Store::check(path, true, &error);
    if (!error.isEmpty()) {
        out << "inkroom-server: " << error << Qt::endl;
        return 1;
    }
    if (problems.isEmpty()) {
        out << path << ": sound (SQLite's integrity_check found nothing wrong)." << Qt::endl;
        return 0;
    }
    out << path << " is DAMAGED. SQLite's integrity_check found:\n";
    for (const QString &problem : problems)
        out << "  " << problem << '\n';
    out << Store::recoveryAdvice(path) << Qt::endl;
    return 1;
}

namespace {

//! How many stored rooms' join codes the start-up text lists at most.
constexpr int kJoinCodesShown = 20;

/** The join codes of the stored rooms (see docs/PROTOCOL.md, "Join codes"): people type one on Inkroom's start page
 *  instead of an address. identity: the certificate's fingerprint, or for a server without TLS its announced name. */
void printJoinCodes(QTextStream &out, const Server &server, const QString &identity)
{
    const QStringList rooms = server.storedRoomNames(kJoinCodesShown + 1);
    if (rooms.isEmpty()) {
        out << "Join codes: none yet (each room gets one when it is made; the next start lists it).\n";
        return;
    }
    out << "Join codes (typed on Inkroom's start page; a code finds its room on this network while somebody is in "
           "it):\n";
    for (qsizetype i = 0; i < std::min<qsizetype>(rooms.size(), kJoinCodesShown); ++i)
        out << "  " << proto::joinCode(identity, rooms.at(i)) << "  " << rooms.at(i) << '\n';
    if (rooms.size() > kJoinCodesShown)
        out << "  ... and more rooms.\n";
}

} // namespace

int runServerApp(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"inkroom-server"_s);
    QCoreApplication::setApplicationVersion(serverVersion());

    QTextStream out(stdout);
    QTextStream err(stderr);
    bool verbose = false;
    bool checkOnly = false;
    QString error;
    const std::optional<ServerConfig> config =
        configFromArguments(QCoreApplication::arguments(), &verbose, &error, &checkOnly);
    if (!config) {
        err << "inkroom-server: " << error << "\nTry 'inkroom-server --help'.\n";
        return 2;
    }
    if (checkOnly)
        return checkDatabase(*config, out);
    if (verbose)
        QLoggingCategory::setFilterRules(u"inkroom.server*.debug=true\ninkroom.server*.info=true"_s);

    Server server(*config);
    if (!server.start(&error)) {
        err << "inkroom-server: " << error << '\n';
        return 1;
    }

    out << "inkroom-server " << serverVersion() << '\n';
    out << "Data directory: " << server.dataDir() << '\n';
    out << "Rooms stored in: " << server.storeDescription() << '\n';
    if (server.isSecure()) {
        out << "TLS certificate: " << server.certificatePath() << '\n';
        out << "Certificate fingerprint (SHA-256): " << server.certificateFingerprint() << '\n';
        out << "  People joining for the first time are asked to trust this fingerprint: tell them what it is.\n";
    } else {
        out << "INSECURE: plain ws:// without TLS; anyone on the network can read and change the traffic.\n";
    }
    out << "Listening on port " << server.port() << ". People can join at:\n";
    const QList<QUrl> urls = server.joinUrls();
    for (const QUrl &url : urls) {
        const QHostAddress host(url.host());
        out << "  " << url.toString() << (host.isLoopback() ? "  (this computer only)" : "") << '\n';
    }
    // A join code names a room on an announced server: by its certificate, or (without TLS) its announced name.
    if (server.isSecure() && config->announce && !config->bind.isLoopback())
        printJoinCodes(out, server, server.certificateFingerprint());
    if (config->announce && config->bind.isLoopback())
        out << "Not announced on the local network: it listens on this computer only.\n";
    else if (!config->announce)
        out << "Not announced on the local network (--no-announce).\n";
    out << "Stop with Ctrl+C." << Qt::endl;
    // The responder answers later (or never, without one): say what happened when it does.
    QObject::connect(&server, &Server::announcementChanged, &server, [&server, &out] {
        if (!server.announcedName().isEmpty()) {
            out << "Announced on the local network as \"" << server.announcedName() << "\" (_inkroom._tcp)."
                << Qt::endl;
            if (!server.isSecure())
                printJoinCodes(out, server, server.announcedName());
            out.flush();
        } else if (!server.announcementProblem().isEmpty())
            out << "Not announced on the local network: " << server.announcementProblem()
                << ". People can still join with the addresses above." << Qt::endl;
    });

    ShutdownSignals signals;
    QObject::connect(&signals, &ShutdownSignals::received, &server, [&server, &out](int) {
        out << "Shutting down..." << Qt::endl;
        server.shutdown();
    });
    QObject::connect(&server, &Server::finished, &app, [&out] {
        out << "Stopped." << Qt::endl;
        QCoreApplication::exit(0);
    });
    return app.exec();
}

} // namespace inkroom::server
