#pragma once

#include "storedialect.h"

namespace inkroom::server {

/** @brief The embedded store: one SQLite file, WAL with synchronous=FULL (a commit is on disk when it returns).
 *
 * Its schema is versioned from 1 (the first server) to Store::SchemaVersion; every database, a new one too, starts
 * at 1 and takes every migration. Other servers are kept out by the data directory's lock file (Server::start()).
 */
class SqliteDialect final : public StoreDialect
{
public:
    SqliteDialect(QString path, int busyTimeoutMs);

    [[nodiscard]] QString driverName() const override;
    [[nodiscard]] QString describe() const override { return m_path; }
    bool prepareFiles(QString *error) const override;
    void configure(QSqlDatabase &db) const override;
    bool prepareSession(QSqlQuery &q, int lockWaitMs, QString *error) const override;
    [[nodiscard]] int schemaVersion() const override;
    [[nodiscard]] const QList<Migration> &migrations() const override;
    bool finishMigrations(QSqlQuery &q, QString *error) const override;
    [[nodiscard]] QString beginStatement() const override;
    [[nodiscard]] QString migrationLockStatement() const override { return {}; }
    [[nodiscard]] QString unindexedRoomCount() const override;
    [[nodiscard]] bool connectionLost(QSqlDatabase &) const override { return false; }
    [[nodiscard]] QString recoveryAdvice() const override { return sqliteRecoveryAdvice(m_path); }
    [[nodiscard]] std::unique_ptr<WalCheckpointer> makeCheckpointer() const override;
    //! Its WAL is one file: a later synced commit syncs what an unsynced one wrote before it.
    [[nodiscard]] QString unsyncedBefore() const override { return QStringLiteral("PRAGMA synchronous=NORMAL"); }
    [[nodiscard]] QString syncedAgain() const override { return QStringLiteral("PRAGMA synchronous=FULL"); }
    [[nodiscard]] bool readsSynced(QSqlQuery &q) const override;

    /** SQLite's quick_check or integrity_check (full): the problems it reports (at most 20), or the error that
     *  stopped it. Empty: none. */
    [[nodiscard]] static QStringList sqliteCheck(QSqlQuery &q, bool full);
    //! How an operator recovers the damaged database at path.
    [[nodiscard]] static QString sqliteRecoveryAdvice(const QString &path);

private:
    QString m_path;
    int m_busyTimeoutMs;
};

} // namespace inkroom::server
