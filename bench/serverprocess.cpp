#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

namespace {
//! Does this inkroom-server have --insecure (plain ws://), i.e. does it speak TLS unless told otherwise?
bool speaksInsecureOption(const QString &program)
{
    static QHash<QString, bool> known;
    const auto it = known.constFind(program);
    if (it != known.cend())
        return *it;
    QProcess help;
    help.start(program, {u"--help"_s});
    help.waitForFinished(10000);
    const bool has = help.readAllStandardOutput().contains("--insecure");
    known.insert(program, has);
    return has;
}
} // namespace

QString serverName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::Inkroom:
        return u"inkroom"_s;
    case ServerKind::Ws:
        return u"ws"_s;
    case ServerKind::Bun:
        return u"bun"_s;
    case ServerKind::Embedded:
        return u"embedded"_s;
    }
    return {};
}

ServerProcess::~ServerProcess()
{
    stop();
}

bool ServerProcess::start(ServerKind kind, const ServerPaths &paths, const QStringList &extraArgs, bool tls,
                          QString *error)
{
    stop();
    m_kind = kind;
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/inkroom-bench-XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = u"cannot create a temporary directory"_s;
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setStandardErrorFile(m_dir->filePath(u"server.log"_s));
    QStringList args;
    QString program;
    m_frameValues.clear();
    if (speaksInkroom(kind)) {
        program = kind == ServerKind::Inkroom ? paths.inkroomServer : paths.embeddedHost;
        args = {u"--bind"_s, u"localhost"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, m_dir->filePath(u"data"_s)};
        // Plain ws:// unless the run is over TLS: a server that defaults to TLS is asked not to.
        if (!tls && speaksInsecureOption(program))
            args.append(u"--insecure"_s);
        if (kind == ServerKind::Embedded)
            args += {u"--frame-stats"_s, m_dir->filePath(u"frames.json"_s)};
    } else if (kind == ServerKind::Ws) {
        program = paths.node;
        args = {paths.wsServer, u"--port"_s, u"0"_s};
    } else {
        program = paths.bun;
        args = {paths.bunServer, u"--port"_s, u"0"_s};
    }
    if (tls) // every server takes the same two options
        args += {u"--tls-cert"_s, paths.tlsCert, u"--tls-key"_s, paths.tlsKey};
    args += extraArgs;
    m_process->start(program, args);
    if (!m_process->waitForStarted(10000)) {
        *error = u"cannot start %1: %2"_s.arg(program, m_process->errorString());
        return false;
    }
    // Every server prints "... port N ..." once it listens.
    static const QRegularExpression portLine(u"[Ll]istening on (?:port )?(?:[0-9.]+:)?(\\d+)"_s);
    QByteArray output;
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())))) {
            if (m_process->state() != QProcess::Running)
                break;
            continue;
        }
        output += m_process->readAllStandardOutput();
        const QRegularExpressionMatch match = portLine.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            // Keep reading (and dropping) stdout so the child never blocks on a full pipe.
            QObject::connect(m_process.get(), &QProcess::readyReadStandardOutput, m_process.get(),
                             [p = m_process.get()] { p->readAllStandardOutput(); });
            return true;
        }
    }
    *error = u"%1 did not say which port it listens on. Output: %2 Log: %3"_s.arg(
        program, QString::fromUtf8(output.left(2000)), logTail());
    stop();
    return false;
}

ProcSample ServerProcess::sample() const
{
    // The thread ui::RoomHost names, and this program's host too.
    return sampleProcess(pid(), m_kind == ServerKind::Embedded ? u"inkroom-host"_s : QString());
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

void ServerProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: every server closes its connections and exits
        if (!m_process->waitForFinished(8000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
    m_process.reset();
    m_port = 0;
    if (m_kind == ServerKind::Embedded && m_dir) {
        QFile file(m_dir->filePath(u"frames.json"_s));
        const QJsonObject report =
            file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
        for (const QString &phase : {u"alone"_s, u"serving"_s}) {
            const QJsonObject values = report.value(phase).toObject();
            for (auto it = values.constBegin(); it != values.constEnd(); ++it)
                m_frameValues.insert(u"ui_%1_%2"_s.arg(phase, it.key()), it.value().toDouble());
        }
    }
}

QString ServerProcess::logTail() const
{
    if (!m_dir)
        return {};
    QFile log(m_dir->filePath(u"server.log"_s));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = log.readAll();
    return QString::fromUtf8(all.right(2000));
}

} // namespace inkroom::bench
