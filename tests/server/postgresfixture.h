#pragma once

//! A private PostgreSQL for the tests: made in a temporary directory, listening on a unix socket only (no TCP),
//! stopped and removed at the end (also when the test crashes: a watchdog process stops it once the test is gone).

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace inkroom::test {

class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    /** initdb and start it; false, with *why saying what is missing or what failed (the packages postgresql and
     *  libqt6sql6-psql, the postgres user when run as root). */
    bool start(QString *why);
    //! Stop it: immediate is a crash (no checkpoint; the next start replays its WAL), otherwise a fast shutdown.
    bool stop(bool immediate, QString *why = nullptr);
    //! Start it again on the same data after stop().
    bool restart(QString *why = nullptr);
    //! A new, empty database; returns its libpq URI (postgresql:///NAME?host=SOCKDIR&user=inkroom), empty on failure.
    QString createDatabase(QString *why = nullptr);
    //! The URI of a database of this server.
    [[nodiscard]] QString url(const QString &database) const;
    //! Run SQL in a database with psql (for looking at what the server stored, as an administrator would).
    bool psql(const QString &database, const QString &sql, QString *output);
    //! The server's log so far.
    [[nodiscard]] QString log() const;

private:
    bool run(const QString &program, const QStringList &arguments, bool asPostgres, QString *output,
             int timeoutMs = 60000);
    [[nodiscard]] QString tool(const QString &name) const;

    QTemporaryDir m_dir;
    QString m_bin; //!< PostgreSQL's bin directory (initdb, pg_ctl, createdb, psql)
    bool m_asPostgres = false; //!< running as root: initdb and pg_ctl run as the postgres user
    bool m_running = false;
    int m_databases = 0;
};

} // namespace inkroom::test
