#pragma once

#include "storedialect.h"

namespace inkroom::server {

/** @brief The store on a PostgreSQL database, through Qt's QPSQL driver (libpq).
 *
 * Its schema has versions of its own, from 1 (the tables of SQLite's schema 6, with the constraints several
 * servers on one database will rely on: UNIQUE (room, seq) and UNIQUE (room, client, cseq) on the log). A commit is
 * durable as the database's synchronous_commit makes it (on by default: flushed to its WAL). Several servers (nodes)
 * may share the database: a commit claims its room's head, announces the new one (NOTIFY on kHeadChannel, in the
 * committing transaction), and one node at a time compacts a room (an advisory lock per room).
 */
class PostgresDialect final : public StoreDialect
{
public:
    explicit PostgresDialect(StoreLocation location);

    //! The schema version this build writes to PostgreSQL.
    static constexpr int SchemaVersion = 1;
    //! The NOTIFY channels of committed heads (payload "ROOM HEAD"), of the nodes' live (volatile) traffic, and of
    //! who is in which room on which node (NodePresence).
    static constexpr auto kHeadChannel = "inkroom_heads";
    static constexpr auto kLiveChannel = "inkroom_live";
    static constexpr auto kPresenceChannel = "inkroom_presence";

    [[nodiscard]] QString driverName() const override;
    [[nodiscard]] QString describe() const override { return m_location.describe(); }
    bool prepareFiles(QString *) const override { return true; }
    void configure(QSqlDatabase &db) const override;
    bool prepareSession(QSqlQuery &q, int lockWaitMs, QString *error) const override;
    [[nodiscard]] int schemaVersion() const override { return SchemaVersion; }
    [[nodiscard]] const QList<Migration> &migrations() const override;
    bool finishMigrations(QSqlQuery &, QString *) const override { return true; }
    [[nodiscard]] QString beginStatement() const override;
    //! Flushing its WAL for a later commit flushes what an earlier, asynchronous one wrote.
    [[nodiscard]] QString unsyncedInside() const override
    {
        return QStringLiteral("SET LOCAL synchronous_commit TO OFF");
    }
    [[nodiscard]] bool readsSynced(QSqlQuery &q) const override;
    [[nodiscard]] QString migrationLockStatement() const override;
    [[nodiscard]] QString unindexedRoomCount() const override;
    [[nodiscard]] bool connectionLost(QSqlDatabase &db) const override;
    [[nodiscard]] QString recoveryAdvice() const override;
    [[nodiscard]] bool isShared() const override { return true; }
    [[nodiscard]] bool isConflict(const QSqlError &error) const override;
    [[nodiscard]] QString headNotifyStatement() const override;
    [[nodiscard]] QString compactionLockStatement() const override;
    [[nodiscard]] QString compactionUnlockStatement() const override;

private:
    StoreLocation m_location;
};

} // namespace inkroom::server
