#pragma once

#include "storelocation.h"
#include "walcheckpointer.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace inkroom::server {

//! One step of a schema: the statements that take a database from version to - 1 to version to.
struct Migration
{
    int to;
    QList<const char *> statements;
};

/** @brief What differs between the databases a Store runs on: connecting, the schema and its migrations, locking,
 *  and the few statements that are not the same in both.
 *
 * Store keeps every query both databases understand (ON CONFLICT upserts, RETURNING, LIMIT); a dialect holds the
 * rest. SqliteDialect: one file, WAL with synchronous=FULL, the data directory's lock file keeps other servers out.
 * PostgresDialect: QPSQL over libpq, shared by several servers (nodes) at once: each commit first claims the room's
 * head (a conditional UPDATE of its rooms row), so a node that is behind learns it from a conflict and catches up.
 */
class StoreDialect
{
public:
    virtual ~StoreDialect() = default;
    //! A dialect for location (SQLite's busy timeout is busyTimeoutMs).
    [[nodiscard]] static std::unique_ptr<StoreDialect> create(const StoreLocation &location, int busyTimeoutMs);

    [[nodiscard]] virtual QString driverName() const = 0;
    //! For logs and messages (never a password).
    [[nodiscard]] virtual QString describe() const = 0;
    //! Before the connection opens: SQLite makes its file private to the server's user.
    virtual bool prepareFiles(QString *error) const = 0;
    //! Tell the connection where to go and how.
    virtual void configure(QSqlDatabase &db) const = 0;
    /** Right after the connection opens: check the database, set the session up, take the lock that keeps other
     *  servers out (waiting at most lockWaitMs for it), and make sure the version table (meta, key 'schema')
     *  exists. */
    virtual bool prepareSession(QSqlQuery &q, int lockWaitMs, QString *error) const = 0;
    //! The schema version this build writes, and the steps that lead to it (in order; the last reaches it).
    [[nodiscard]] virtual int schemaVersion() const = 0;
    [[nodiscard]] virtual const QList<Migration> &migrations() const = 0;
    //! After the migrations: anything an odd history of the database calls for.
    virtual bool finishMigrations(QSqlQuery &q, QString *error) const = 0;
    //! Starts a write transaction that holds the write lock from its start.
    [[nodiscard]] virtual QString beginStatement() const = 0;
    //! Within a migration's transaction, before the version is read: keeps two servers from migrating at once.
    [[nodiscard]] virtual QString migrationLockStatement() const = 0;
    //! Counts rooms named :name or keyed :key without using the name indexes (which a damage may have hit).
    [[nodiscard]] virtual QString unindexedRoomCount() const = 0;
    //! After a failure: is the connection gone (the database server stopped or the network broke)?
    [[nodiscard]] virtual bool connectionLost(QSqlDatabase &db) const = 0;
    //! How an operator repairs a damaged database.
    [[nodiscard]] virtual QString recoveryAdvice() const = 0;

    // ---- several servers on one database (only a shared dialect) ----
    //! Several servers may use the database at once: commits claim the head, and every commit is announced.
    [[nodiscard]] virtual bool isShared() const { return false; }
    //! Did this error come from another server's commit (a key taken, a deadlock, a serialization failure)?
    [[nodiscard]] virtual bool isConflict(const QSqlError &) const { return false; }
    //! Within a commit, with one bound value (the payload "ROOM HEAD"): tells the other servers of the new head.
    [[nodiscard]] virtual QString headNotifyStatement() const { return {}; }
    /** A hold on compacting room (bound: its id) that only one server has at a time, and its release; empty: none is
     *  needed (one server). The hold answers one row, true when it was taken. */
    [[nodiscard]] virtual QString compactionLockStatement() const { return {}; }
    [[nodiscard]] virtual QString compactionUnlockStatement() const { return {}; }
    /** A transaction whose commit is not synced by itself (Store::beginUnsynced()): run before its BEGIN, inside it
     *  after BEGIN, and after its COMMIT or ROLLBACK (to sync commits again); empty: nothing. What reads the setting
     *  back: true when commits are synced. */
    [[nodiscard]] virtual QString unsyncedBefore() const { return {}; }
    [[nodiscard]] virtual QString unsyncedInside() const { return {}; }
    [[nodiscard]] virtual QString syncedAgain() const { return {}; }
    [[nodiscard]] virtual bool readsSynced(QSqlQuery &q) const = 0;
    //! What checkpoints the database's write-ahead log off the server's thread, if the dialect wants one.
    [[nodiscard]] virtual std::unique_ptr<WalCheckpointer> makeCheckpointer() const { return nullptr; }
};

} // namespace inkroom::server
