#include "cliclient.h"

#include "historyfetcher.h"

#include "addressrotation.h"
#include "boardexport.h"
#include "clicommands.h"
#include "clidiscovery.h"
#include "eventjson.h"
#include "fingerprint.h"
#include "session.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTimer>

#include <cerrno>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

//! A pleasant colour picked from the name, so that bots keep theirs across runs.
QColor colourForName(const QString &name)
{
    static const quint32 palette[] = {0xffe53935, 0xff8e24aa, 0xff3949ab, 0xff1e88e5, 0xff00897b,
                                      0xff43a047, 0xfff4511e, 0xff6d4c41, 0xffd81b60, 0xff5e35b1};
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256);
    return QColor::fromRgba(palette[quint8(hash.at(0)) % std::size(palette)]);
}

void writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

std::optional<CliClient::Options> CliClient::parse(const QStringList &arguments, int *exitCode, QString *out,
                                                   QString *err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Inkroom command-line client: joins a room from a terminal or a script.\n\n"
        "Each line on standard input is sent as a chat message; /quit or the end of\n"
        "input waits (see below). Room commands (owners; /dm for everybody): /role NAME\n"
        "owner|editor|viewer, /guests viewer|editor, /lock, /unlock, /kick NAME, /ban\n"
        "NAME, /rollback NAME N, /summon, /release; for everybody: /dm NAME TEXT,\n"
        "/follow NAME, /unfollow, /view X Y W H, /laser X Y [X Y ...] (NAME: a display\n"
        "name, \"in quotes\" when it has spaces, or a client id); editors: /image PATH X Y\n"
        "puts a PNG, JPEG or WebP file on the board, centred at X, Y (uploaded before\n"
        "its op); /stroke X Y X Y [...] draws a pen stroke through those points. /quit\n"
        "or the end of\n"
        "input waits until every queued change is acknowledged, then exits. Every event\n"
        "is printed on standard output as one JSON object per line with a \"type\" field\n"
        "(state, welcome, chat, op, presence, typing, queued, saved, ack, deferred,\n"
        "reject, error, snapshot, synced, reset, problem, summon, following; with\n"
        "--volatile also cursor, live, view and laser).\n\n"
        "Servers speak wss:// (TLS). The first time a server is seen, its certificate\n"
        "must be vouched for: --fingerprint with the SHA-256 fingerprint inkroom-server\n"
        "prints, or --accept-new-certificate to trust whatever it presents (and pin it\n"
        "in the known servers file for later runs). A certificate from a trusted CA that\n"
        "matches the host needs neither. A changed certificate is always refused.\n\n"
        "A room served by several server nodes (on one database) is given each\n"
        "address with its own --server, in order: when the link to one ends, the next\n"
        "is tried at once, and only after all of them failed does it wait before the\n"
        "next round. Unsent changes go wherever the room answers. Each node's\n"
        "certificate is trusted on its own (--accept-new-certificate, or the known\n"
        "servers file); --fingerprint is for a single --server.\n\n"
        "With --export FILE it writes the room's board to FILE once it has caught up\n"
        "and exits; the format is FILE's extension: .png, .svg or .pdf. The file is\n"
        "written whole or not at all.\n\n"
        "With --replay it prints the room's whole history as the server keeps it, one\n"
        "JSON line each with \"type\":\"history\", and exits: first \"kind\":\"snapshot\",\n"
        "the board the history starts from (\"seq\", \"items\"; empty at seq 0), then one\n"
        "line per op in seq order with its seq, kind, client, author and time (ms since\n"
        "1970) and what it did. Direct messages appear only when you are one of their two\n"
        "people.\n\n"
        "Exit status: 0 done; 3 done, but the room refused some of the input for good\n"
        "(each refusal is on standard error); 1 a failure retrying cannot fix (the reason\n"
        "is on standard error); 2 bad arguments."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version."_s);
    const QCommandLineOption server(
        {u"s"_s, u"server"_s},
        u"The server, wss://HOST:PORT (ws:// for one started with --insecure). Repeat it for a room served "
        "by several nodes (up to 8, all ws:// or all wss://)."_s,
        u"url"_s);
    const QCommandLineOption room({u"r"_s, u"room"_s}, u"The room to join."_s, u"room"_s);
    const QCommandLineOption name({u"n"_s, u"name"_s}, u"Your display name."_s, u"name"_s);
    const QCommandLineOption password({u"p"_s, u"password"_s},
                                      u"The room's password (or set INKROOM_PASSWORD; a new room gets it)."_s,
                                      u"password"_s);
    const QCommandLineOption colour(u"colour"_s, u"Your colour, #rrggbb (default: one picked from the name)."_s,
                                    u"colour"_s);
    const QCommandLineOption token(u"token"_s, u"The server's join token, when it has one."_s, u"token"_s);
    const QCommandLineOption stateDir(u"state-dir"_s,
                                      u"Where the outbox journal lives, so unsent messages survive a restart "
                                      "(default: the user's data directory)."_s,
                                      u"dir"_s);
    const QCommandLineOption ephemeral(u"ephemeral"_s, u"Keep no journal: unsent messages die with the process."_s);
    const QCommandLineOption volatileEvents(u"volatile"_s,
                                            u"Also print cursor, live stroke, view and laser pointer events."_s);
    const QCommandLineOption fingerprint(u"fingerprint"_s,
                                         u"The SHA-256 fingerprint the server's certificate must have (as "
                                         "inkroom-server prints it; colons optional). Any other certificate is "
                                         "refused."_s,
                                         u"sha256"_s);
    const QCommandLineOption acceptNew(u"accept-new-certificate"_s,
                                       u"Trust the certificate of a server seen for the first time, and remember "
                                       "it. A server whose certificate changed is still refused."_s);
    const QCommandLineOption knownServers(u"known-servers"_s,
                                          u"The file of trusted servers' fingerprints (default: in the user's data "
                                          "directory)."_s,
                                          u"file"_s);
    const QCommandLineOption timeout(u"timeout"_s,
                                     u"After /quit or the end of input, give up waiting for acknowledgements after "
                                     "this many seconds and exit 1 (what is unsent stays in the journal). Default: "
                                     "wait as long as it takes."_s,
                                     u"seconds"_s);
    const QCommandLineOption discover(u"discover"_s,
                                      u"Do not join: list the Inkroom servers on this network (DNS-SD) and their "
                                      "open rooms as JSON lines, for --timeout seconds (default 5), then exit: 0, or "
                                      "4 when no mDNS responder answered."_s);
    const QCommandLineOption exportFile(u"export"_s,
                                        u"Write the room's board to this file once caught up, and exit: .png, .svg or "
                                        ".pdf (vector, one page). Standard input is not read; no journal is kept "
                                        "unless --state-dir is given; --name defaults to \"Export\"."_s,
                                        u"file"_s);
    const QCommandLineOption replay(u"replay"_s,
                                    u"Print the room's whole history (the server's log) as JSON lines, and exit. "
                                    "Nothing else is printed; standard input is not read; no journal is kept unless "
                                    "--state-dir is given; --name defaults to \"Replay\"."_s);
    parser.addOptions({help, version, server, room, name, password, colour, token, stateDir, ephemeral, volatileEvents,
                       timeout, fingerprint, acceptNew, knownServers, exportFile, discover, replay});

    if (!parser.parse(arguments)) {
        *err = parser.errorText() + u"\n"_s;
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        *out = parser.helpText();
        *exitCode = ExitOk;
        return std::nullopt;
    }
    if (parser.isSet(version)) {
        *out = u"inkroom-cli "_s + QStringLiteral(INKROOM_VERSION) + u'\n';
        *exitCode = ExitOk;
        return std::nullopt;
    }
    if (parser.isSet(discover)) {
        Options options;
        options.discover = true;
        options.token = parser.value(token);
        bool ok = true;
        if (parser.isSet(timeout))
            options.discoverSeconds = parser.value(timeout).toDouble(&ok);
        if (!ok || !(options.discoverSeconds >= 0 && options.discoverSeconds <= 86400)) {
            *err = u"--timeout must be a number of seconds\n"_s;
            *exitCode = ExitUsage;
            return std::nullopt;
        }
        return options;
    }
    QStringList missing;
    for (const auto *option : {&server, &room, &name}) {
        if (!parser.isSet(*option) && !(option == &name && (parser.isSet(exportFile) || parser.isSet(replay))))
            missing << u"--"_s + option->names().constLast();
    }
    if (!missing.isEmpty()) {
        *err = u"missing %1 (see --help)\n"_s.arg(missing.join(u", "_s));
        *exitCode = ExitUsage;
        return std::nullopt;
    }

    Options options;
    for (const QString &value : parser.values(server)) {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1) || url.host().isEmpty()) {
            *err = u"--server must look like wss://HOST:PORT (or ws://HOST:PORT), not \"%1\"\n"_s.arg(value);
            *exitCode = ExitUsage;
            return std::nullopt;
        }
        if (!options.servers.isEmpty() && url.scheme() != options.servers.first().scheme()) {
            *err = u"every --server of one room must be ws:// or every one wss://\n"_s;
            *exitCode = ExitUsage;
            return std::nullopt;
        }
        options.servers.append(url);
    }
    if (options.servers.size() > MaxRoomAddresses) {
        *err = u"at most %1 --server addresses for one room\n"_s.arg(MaxRoomAddresses);
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    options.room = parser.value(room);
    if (parser.isSet(exportFile) && parser.isSet(replay)) {
        *err = u"--export and --replay cannot be used together\n"_s;
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    options.replay = parser.isSet(replay);
    options.name = parser.isSet(name) ? parser.value(name) : options.replay ? u"Replay"_s : u"Export"_s;
    options.password = parser.isSet(password) ? parser.value(password) : qEnvironmentVariable("INKROOM_PASSWORD");
    options.token = parser.value(token);
    options.colour = parser.isSet(colour) ? QColor::fromString(parser.value(colour)) : colourForName(options.name);
    if (!options.colour.isValid()) {
        *err = u"--colour must look like #rrggbb\n"_s;
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    if (parser.isSet(exportFile)) {
        options.exportPath = parser.value(exportFile);
        if (!render::exporting::formatForPath(options.exportPath)) {
            *err = u"--export: cannot tell the format of \"%1\" from its extension (use .png, .svg or .pdf)\n"_s.arg(
                options.exportPath);
            *exitCode = ExitUsage;
            return std::nullopt;
        }
    }
    if (!parser.isSet(ephemeral) && ((options.exportPath.isEmpty() && !options.replay) || parser.isSet(stateDir))) {
        options.stateDirectory = parser.isSet(stateDir)
            ? parser.value(stateDir)
            : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/journal"_s;
    }
    options.volatileEvents = parser.isSet(volatileEvents);
    options.acceptNewCertificate = parser.isSet(acceptNew);
    if (parser.isSet(fingerprint)) {
        options.fingerprint = proto::normaliseFingerprint(parser.value(fingerprint));
        if (options.fingerprint.isEmpty()) {
            *err = u"--fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional\n"_s;
            *exitCode = ExitUsage;
            return std::nullopt;
        }
    }
    if (parser.isSet(fingerprint) && options.servers.size() > 1) {
        *err = u"--fingerprint names one server's certificate: give one --server with it (each node of a room has "
               "its own certificate; use --accept-new-certificate or the known servers file)\n"_s;
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    if ((parser.isSet(fingerprint) || options.acceptNewCertificate) && options.servers.first().scheme() != "wss"_L1) {
        *err = u"--fingerprint and --accept-new-certificate are for wss:// servers\n"_s;
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    options.knownServersFile = parser.isSet(knownServers)
        ? parser.value(knownServers)
        : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/known-servers.json"_s;
    if (parser.isSet(timeout)) {
        bool ok = false;
        options.quitTimeoutSeconds = parser.value(timeout).toDouble(&ok);
        if (!ok || options.quitTimeoutSeconds < 0) {
            *err = u"--timeout must be a number of seconds\n"_s;
            *exitCode = ExitUsage;
            return std::nullopt;
        }
    }
    return options;
}

CliClient::CliClient(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_session(new Session(this))
{
    Session *s = m_session;
    connect(s, &Session::stateChanged, this, [this] {
        print(events::state(*m_session));
        if (m_session->state() == Session::Failed) {
            printError(m_session->reason());
            m_done = true;
            Q_EMIT finished(ExitFailed);
            return;
        }
        QMetaObject::invokeMethod(this, &CliClient::checkDone, Qt::QueuedConnection);
    });
    // Checked on the next turn of the event loop: never leave the room from inside the session's own signal.
    connect(s, &Session::pendingCountChanged, this, &CliClient::checkDone, Qt::QueuedConnection);
    connect(s, &Session::clientIdChanged, this, [this] {
        if (!m_session->clientId().isEmpty())
            print(QJsonObject {{"type"_L1, "identity"_L1}, {"client"_L1, m_session->clientId()}});
    });
    connect(s, &Session::welcomed, this, [this](const proto::Welcome &w) { print(events::welcome(w)); });
    connect(s, &Session::synced, this, [this](quint64 head) {
        const Session::CatchUpStats &c = m_session->lastCatchUp();
        print(QJsonObject {
            {"type"_L1, "synced"_L1}, {"head"_L1, double(head)}, {"snapshot"_L1, c.snapshot}, {"ops"_L1, c.ops}});
        m_synced = true;
        runWaitingLines();
        if (!m_options.exportPath.isEmpty()) {
            // The board's pictures are fetched first, so the export shows them (the timeout still applies).
            if (m_session->imageTransfers() == 0)
                QMetaObject::invokeMethod(this, &CliClient::exportBoard, Qt::QueuedConnection);
            else
                connect(m_session, &Session::imageTransfersChanged, this, [this] {
                    if (m_session->imageTransfers() == 0)
                        QMetaObject::invokeMethod(this, &CliClient::exportBoard, Qt::QueuedConnection);
                });
        }
        if (m_options.replay)
            QMetaObject::invokeMethod(this, &CliClient::startReplay, Qt::QueuedConnection);
    });
    connect(s, &Session::snapshotApplied, this, [this](quint64 seq, int items) {
        print(QJsonObject {{"type"_L1, "snapshot"_L1}, {"seq"_L1, double(seq)}, {"items"_L1, items}});
    });
    connect(s, &Session::roomReset, this, [this](const QString &epoch) {
        print(QJsonObject {{"type"_L1, "reset"_L1}, {"epoch"_L1, epoch}});
    });
    connect(s, &Session::opApplied, this, [this](const proto::Op &op, bool own) { print(events::op(op, own)); });
    connect(s, &Session::acknowledged, this, [this](quint64 cseq, quint64 seq) {
        print(QJsonObject {{"type"_L1, "ack"_L1}, {"cseq"_L1, double(cseq)}, {"seq"_L1, double(seq)}});
    });
    connect(s, &Session::changeRejected, this,
            [this](quint64 cseq, const QString &kind, const QString &code, const QString &message) {
                ++m_refused;
                print(QJsonObject {{"type"_L1, "reject"_L1},
                                   {"cseq"_L1, double(cseq)},
                                   {"kind"_L1, kind},
                                   {"code"_L1, code},
                                   {"message"_L1, message}});
                const QString latest = m_session->refusals()->latest();
                printError(latest.isEmpty() ? u"refused: %1 (%2)"_s.arg(message, code) : latest);
            });
    // Each line's number in the outbox, so scripts can follow it to its ack (or its refusal).
    connect(s, &Session::changeQueued, this, [this](const proto::Op &op) {
        QJsonObject queued {
            {"type"_L1, "queued"_L1}, {"cseq"_L1, double(op.cseq)}, {"kind"_L1, proto::opKindName(op.kind)}};
        if (op.kind == proto::OpKind::Chat)
            queued.insert("text"_L1, op.text);
        print(queued);
    });
    connect(s, &Session::changeDeferred, this, [this](quint64 cseq, const QString &code) {
        print(QJsonObject {{"type"_L1, "deferred"_L1}, {"cseq"_L1, double(cseq)}, {"code"_L1, code}});
    });
    connect(s, &Session::serverError, this, [this](const QString &code, const QString &message, bool fatal) {
        print(QJsonObject {{"type"_L1, "error"_L1}, {"code"_L1, code}, {"message"_L1, message}, {"fatal"_L1, fatal}});
        printError(u"server error: %1 (%2)"_s.arg(message, code));
    });
    connect(s, &Session::roomMoved, this, [this](const QUrl &url) {
        print(QJsonObject {{"type"_L1, "moved"_L1}, {"url"_L1, url.toString()}});
    });
    connect(s, &Session::presenceEvent, this, [this](const proto::Presence &p) { print(events::presence(p)); });
    connect(s, &Session::typingReceived, this, [this](const QString &client, bool active) {
        print(QJsonObject {{"type"_L1, "typing"_L1}, {"client"_L1, client}, {"active"_L1, active}});
    });
    connect(s, &Session::outboxSaved, this, [this](quint64 cseq) {
        print(QJsonObject {{"type"_L1, "saved"_L1}, {"cseq"_L1, double(cseq)}});
    });
    connect(s, &Session::problem, this, [this](const QString &message) {
        print(QJsonObject {{"type"_L1, "problem"_L1}, {"message"_L1, message}});
        printError(message);
    });
    connect(s, &Session::trustRequested, this, [this](const QString &server, const QString &fingerprint) {
        print(QJsonObject {{"type"_L1, "certificate"_L1},
                           {"server"_L1, server},
                           {"fingerprint"_L1, fingerprint},
                           {"trusted"_L1, m_options.acceptNewCertificate}});
        if (!m_options.acceptNewCertificate) {
            printError(u"%1 is a server this client has not seen before; its certificate's SHA-256 fingerprint is "
                       "%2. If whoever runs it confirms that fingerprint (inkroom-server prints it when it starts), "
                       "run again with --fingerprint %2 (or --accept-new-certificate to trust and remember it)."_s.arg(
                           server, fingerprint));
        }
        // Never from inside the session's own signal.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_options.acceptNewCertificate)
                    m_session->trustCertificate();
                else
                    m_session->rejectCertificate();
            },
            Qt::QueuedConnection);
    });
    connect(s, &Session::summonReceived, this, [this](const proto::Summon &m) { print(events::summon(m)); });
    // Whom this client follows, whenever that changes (a summon, /follow, the presenter leaving).
    connect(s->following(), &Following::changed, this, [this] {
        const Following *f = m_session->following();
        print(QJsonObject {{"type"_L1, "following"_L1},
                           {"active"_L1, f->active()},
                           {"client"_L1, f->presenterId()},
                           {"name"_L1, f->presenterName()},
                           {"summoned"_L1, f->summoned()},
                           {"notice"_L1, f->notice()}});
    });
    if (m_options.volatileEvents) {
        connect(s, &Session::cursorReceived, this, [this](const proto::Cursor &c) { print(events::cursor(c)); });
        connect(s, &Session::liveReceived, this, [this](const proto::Live &l) { print(events::live(l)); });
        connect(s, &Session::viewReceived, this, [this](const proto::View &v) { print(events::view(v)); });
        connect(s, &Session::laserReceived, this, [this](const proto::Laser &l) { print(events::laser(l)); });
    }
}

CliClient::~CliClient() = default;

void CliClient::start()
{
    m_session->setStateDirectory(m_options.stateDirectory);
    m_session->setToken(m_options.token);
    m_session->setKnownServersFile(m_options.knownServersFile);
    m_session->setExpectedFingerprint(m_options.fingerprint);
    m_session->join(m_options.servers, m_options.room, m_options.name, m_options.colour, m_options.password);
    if (m_done || !m_options.exportPath.isEmpty() || m_options.replay)
        return;
    // Standard input through the event loop: a pipe, a terminal or a file, never blocking.
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, &CliClient::readInput);
}

void CliClient::print(const QJsonObject &event)
{
    if (m_options.replay)
        return; // the history only: a script reads nothing else
    writeOut(events::line(event));
}

void CliClient::printError(const QString &text)
{
    const QByteArray bytes = u"inkroom-cli: "_s.toUtf8() + text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliClient::readInput()
{
    char chunk[65536];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return;
        printError(u"cannot read standard input: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))));
    }
    if (n > 0) {
        m_buffer.append(chunk, qsizetype(n));
        qsizetype newline;
        while ((newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            handleLine(QString::fromUtf8(line));
            if (m_quitRequested)
                return;
        }
        return;
    }
    // End of input: a last line without a newline still counts.
    if (!m_buffer.isEmpty()) {
        const QByteArray line = m_buffer;
        m_buffer.clear();
        handleLine(QString::fromUtf8(line));
    }
    requestQuit();
}

void CliClient::handleLine(QString line)
{
    if (line.endsWith(u'\r'))
        line.chop(1);
    if (line == "/quit"_L1) {
        requestQuit();
        return;
    }
    if (line.trimmed().isEmpty())
        return;
    QString error;
    const std::optional<CliCommand> command = parseCliCommand(line, &error);
    if (!error.isEmpty()) {
        ++m_refused;
        printError(error);
        return;
    }
    // A command that names somebody waits for the room's member list, and every line after it waits behind it.
    if (!m_waiting.isEmpty() || (command && needsMembers(*command) && !m_synced)) {
        m_waiting.append(line);
        return;
    }
    if (command) {
        if (!runCliCommand(*m_session, *command, &error)) {
            ++m_refused;
            printError(u"%1: %2"_s.arg(line.left(60), error));
        }
        return;
    }
    if (!m_session->sendChat(line)) {
        ++m_refused;
        printError(u"not sent (too long or not valid text): %1"_s.arg(line.left(60)));
        return;
    }
}

void CliClient::runWaitingLines()
{
    const QStringList lines = std::exchange(m_waiting, {});
    for (const QString &line : lines)
        handleLine(line);
    checkDone();
}

void CliClient::requestQuit()
{
    if (m_stdin) {
        m_stdin->setEnabled(false);
        m_stdin->deleteLater();
        m_stdin = nullptr;
    }
    if (!m_quitRequested && m_options.quitTimeoutSeconds >= 0) {
        QTimer::singleShot(int(m_options.quitTimeoutSeconds * 1000), this, [this] {
            if (m_done)
                return;
            printError(u"gave up after %1 s with %2 unacknowledged (kept in the journal for the next run)"_s
                           .arg(m_options.quitTimeoutSeconds)
                           .arg(m_session->pendingCount()));
            m_done = true;
            Q_EMIT finished(ExitFailed);
        });
    }
    m_quitRequested = true;
    checkDone();
}

void CliClient::checkDone()
{
    if (m_done || !m_quitRequested || !m_waiting.isEmpty())
        return;
    // Everything queued is acknowledged (and the history on join has been printed): done.
    if (m_session->state() == Session::Online && m_session->pendingCount() == 0) {
        m_done = true;
        m_session->leave();
        Q_EMIT finished(m_refused > 0 ? ExitRefused : ExitOk);
    }
}

void CliClient::exportBoard()
{
    if (m_done)
        return;
    m_done = true;
    const QList<proto::Item> items = m_session->board()->orderedItems();
    render::exporting::Options options;
    options.format = *render::exporting::formatForPath(m_options.exportPath);
    options.title = m_options.room;
    const QString error = render::exporting::exportItems(items, m_options.exportPath, options);
    m_session->leave();
    if (!error.isEmpty()) {
        printError(error);
        Q_EMIT finished(ExitFailed);
        return;
    }
    print(QJsonObject {{"type"_L1, "exported"_L1},
                       {"path"_L1, m_options.exportPath},
                       {"format"_L1, render::exporting::formatName(options.format)},
                       {"items"_L1, int(items.size())}});
    Q_EMIT finished(ExitOk);
}

void CliClient::startReplay()
{
    if (m_history || m_done)
        return; // once: a reconnect's synced finds the fetch going on by itself
    m_history = new HistoryFetcher(this);
    m_history->setSession(m_session);
    connect(m_history, &HistoryFetcher::baseFetched, this, [](quint64 seq, const QList<proto::Item> &items) {
        writeOut(events::line(events::historySnapshot(seq, items)));
    });
    connect(m_history, &HistoryFetcher::opsFetched, this, [](const QList<proto::Op> &ops) {
        QByteArray lines;
        for (const proto::Op &op : ops)
            lines += events::line(events::historyOp(op));
        writeOut(lines);
    });
    connect(m_history, &HistoryFetcher::caughtUp, this, [this] {
        if (m_done)
            return;
        m_done = true;
        m_session->leave();
        Q_EMIT finished(ExitOk);
    });
    connect(m_history, &HistoryFetcher::failed, this, [this](const QString &why) {
        if (m_done)
            return;
        m_done = true;
        printError(u"the history could not be read: %1"_s.arg(why));
        m_session->leave();
        Q_EMIT finished(ExitFailed);
    });
    m_history->start();
}

bool CliClient::needsFonts(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--export" || argument.startsWith("--export="))
            return true;
    }
    return false;
}

int runCli(QCoreApplication &app)
{
    int exitCode = 0;
    QString out;
    QString err;
    const auto options = CliClient::parse(app.arguments(), &exitCode, &out, &err);
    if (!options) {
        writeOut(out.toUtf8());
        std::fputs(err.toLocal8Bit().constData(), stderr);
        return exitCode;
    }
    if (options->discover) {
        CliDiscovery discovery(int(options->discoverSeconds * 1000), options->token);
        QObject::connect(
            &discovery, &CliDiscovery::finished, &app, [&app](int code) { app.exit(code); }, Qt::QueuedConnection);
        discovery.start();
        return app.exec();
    }
    CliClient client(*options);
    QObject::connect(
        &client, &CliClient::finished, &app, [&app](int code) { app.exit(code); }, Qt::QueuedConnection);
    client.start();
    return app.exec();
}

} // namespace inkroom::client
