#include "postgresfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::test {

namespace {

//! The newest installed PostgreSQL's bin directory (Debian keeps them in /usr/lib/postgresql/<version>/bin).
QString findBinDirectory()
{
    QDir versions(u"/usr/lib/postgresql"_s);
    QStringList entries = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::sort(entries.begin(), entries.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : std::as_const(entries)) {
        const QString bin = versions.filePath(version + u"/bin"_s);
        if (QFileInfo(bin + u"/pg_ctl"_s).isExecutable())
            return bin;
    }
    const QString onPath = QStandardPaths::findExecutable(u"pg_ctl"_s);
    return onPath.isEmpty() ? QString() : QFileInfo(onPath).canonicalPath();
}

bool giveTo(const QString &path, const struct passwd *owner)
{
    return ::chown(QFile::encodeName(path).constData(), owner->pw_uid, owner->pw_gid) == 0;
}

} // namespace

PostgresServer::PostgresServer()
    : m_dir(QDir::tempPath() + u"/inkroom-pg-XXXXXX"_s)
{ }

PostgresServer::~PostgresServer()
{
    if (m_running)
        stop(true);
}

QString PostgresServer::tool(const QString &name) const
{
    return m_bin + u'/' + name;
}

bool PostgresServer::run(const QString &program, const QStringList &arguments, bool asPostgres, QString *output,
                         int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir.path());
    if (asPostgres && m_asPostgres)
        process.start(u"runuser"_s, QStringList {u"-u"_s, u"postgres"_s, u"--"_s, program} + arguments);
    else
        process.start(program, arguments);
    const bool finished = process.waitForStarted() && process.waitForFinished(timeoutMs);
    if (output)
        *output = QString::fromLocal8Bit(process.readAll());
    if (!finished) {
        process.kill();
        process.waitForFinished();
        if (output)
            *output += u"\n(%1 did not finish in time)"_s.arg(program);
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool PostgresServer::start(QString *why)
{
    const auto failed = [why](const QString &reason) {
        *why = u"cannot start a private PostgreSQL: "_s + reason;
        return false;
    };
    if (!m_dir.isValid())
        return failed(u"no temporary directory"_s);
    m_bin = findBinDirectory();
    if (m_bin.isEmpty())
        return failed(u"PostgreSQL's server is not installed (Debian: apt-get install postgresql libqt6sql6-psql; "
                      "scripts/dev.sh installs them)"_s);
    const QString data = m_dir.filePath(u"data"_s);
    const QString sockets = m_dir.filePath(u"sock"_s);
    const QString logs = m_dir.filePath(u"log"_s);
    for (const QString &path : {data, sockets, logs}) {
        if (!QDir().mkpath(path))
            return failed(u"cannot make "_s + path);
    }
    // initdb refuses to run as root: then the server runs as the postgres user, in directories it owns.
    m_asPostgres = ::geteuid() == 0;
    if (m_asPostgres) {
        const struct passwd *postgres = ::getpwnam("postgres");
        if (!postgres)
            return failed(u"running as root, and there is no postgres user to run it as (the postgresql package "
                          "makes it)"_s);
        QFile::setPermissions(m_dir.path(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                  | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                  | QFileDevice::ExeOther);
        for (const QString &path : {data, sockets, logs}) {
            if (!giveTo(path, postgres))
                return failed(u"cannot give "_s + path + u" to the postgres user"_s);
        }
    }
    QString output;
    if (!run(tool(u"initdb"_s),
             {u"-D"_s, data, u"-A"_s, u"trust"_s, u"-U"_s, u"inkroom"_s, u"-E"_s, u"UTF8"_s, u"--locale=C"_s,
              u"--no-sync"_s},
             true, &output))
        return failed(u"initdb failed: "_s + output);
    // The watchdog: once this process is gone (a crash included), the server is stopped and its files removed.
    QProcess watchdog;
    watchdog.setProgram(u"/bin/sh"_s);
    const QString stopCommand = (m_asPostgres ? u"runuser -u postgres -- "_s : QString()) + tool(u"pg_ctl"_s)
        + u" -D "_s + data + u" -m immediate stop";
    watchdog.setArguments({u"-c"_s,
                           u"while kill -0 %1 2>/dev/null; do sleep 1; done; %2; rm -rf %3"_s.arg(
                               QString::number(QCoreApplication::applicationPid()), stopCommand, m_dir.path())});
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    if (!watchdog.startDetached())
        return failed(u"cannot start the watchdog"_s);
    if (!restart(why))
        return false;
    return true;
}

bool PostgresServer::restart(QString *why)
{
    QString output;
    // No TCP at all: a unix socket in our own directory. fsync off: the tests crash the server process, never the
    // machine, and what the server wrote survives a process crash in the page cache.
    const QString options =
        u"-c listen_addresses='' -k %1 -c fsync=off -c max_connections=40"_s.arg(m_dir.filePath(u"sock"_s));
    m_running = run(tool(u"pg_ctl"_s),
                    {u"-D"_s, m_dir.filePath(u"data"_s), u"-w"_s, u"-t"_s, u"60"_s, u"-l"_s,
                     m_dir.filePath(u"log/postgresql.log"_s), u"-o"_s, options, u"start"_s},
                    true, &output, 90000);
    if (!m_running && why)
        *why = u"pg_ctl start failed: %1\n%2"_s.arg(output, log());
    return m_running;
}

bool PostgresServer::stop(bool immediate, QString *why)
{
    QString output;
    const bool stopped =
        run(tool(u"pg_ctl"_s),
            {u"-D"_s, m_dir.filePath(u"data"_s), u"-w"_s, u"-m"_s, immediate ? u"immediate"_s : u"fast"_s, u"stop"_s},
            true, &output);
    if (stopped)
        m_running = false;
    else if (why)
        *why = u"pg_ctl stop failed: "_s + output;
    return stopped;
}

QString PostgresServer::createDatabase(QString *why)
{
    const QString name = u"inkroom_%1"_s.arg(++m_databases);
    QString output;
    if (!run(tool(u"createdb"_s), {u"-h"_s, m_dir.filePath(u"sock"_s), u"-U"_s, u"inkroom"_s, name}, false, &output)) {
        if (why)
            *why = u"createdb failed: "_s + output;
        return {};
    }
    return url(name);
}

QString PostgresServer::url(const QString &database) const
{
    return u"postgresql:///%1?host=%2&user=inkroom"_s.arg(database, m_dir.filePath(u"sock"_s));
}

bool PostgresServer::psql(const QString &database, const QString &sql, QString *output)
{
    return run(tool(u"psql"_s),
               {u"-h"_s, m_dir.filePath(u"sock"_s), u"-U"_s, u"inkroom"_s, u"-d"_s, database, u"-X"_s, u"-A"_s, u"-t"_s,
                u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-c"_s, sql},
               false, output);
}

QString PostgresServer::log() const
{
    QFile file(m_dir.filePath(u"log/postgresql.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QString();
}

} // namespace inkroom::test
