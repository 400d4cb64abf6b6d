#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace inkroom::server {

/** @brief Where the rooms are stored: what `inkroom-server --store URL` names.
 *
 * `sqlite:PATH` is one SQLite file (the default: inkroom.sqlite in the data directory). A libpq URI
 * (`postgresql://user:password@host:port/db?param=value`, also `postgres://`) names a PostgreSQL database; the
 * query may carry host (a socket directory), port, user, password, dbname and the connection settings listed in
 * kPostgresOptions. A password may come from the URI, PGPASSWORD or ~/.pgpass (libpq reads those itself); it is
 * never shown: describe() leaves it out.
 */
struct StoreLocation
{
    enum class Kind {
        Sqlite,
        Postgres
    };
    Kind kind = Kind::Sqlite;
    QString path; //!< Sqlite: the database file (":memory:" for a database in memory)
    // ---- Postgres: libpq's connection parameters; empty (port: 0) means libpq's default ----
    QString host; //!< a host name, an address, or a directory that holds the server's unix socket
    int port = 0;
    QString dbname;
    QString user;
    QString password;
    QStringList options; //!< further libpq parameters, "key=value" each (sslmode, connect_timeout, ...)

    //! The SQLite file at path.
    [[nodiscard]] static StoreLocation sqlite(const QString &path);
    //! Parse a --store value; nullopt with *error saying what is wrong.
    [[nodiscard]] static std::optional<StoreLocation> parse(const QString &text, QString *error);
    //! For logs and messages: the file, or the URI without its password.
    [[nodiscard]] QString describe() const;
};

} // namespace inkroom::server
