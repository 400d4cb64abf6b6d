#include "sqlitedialect.h"

#include "privatefiles.h"
#include "store.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

/** The schema as version 1 made it. A new database is created like this and then takes every migration below, so
 *  the migrations are run by every database, not only by old ones. Never change these statements: add a migration. */
const char *const kSchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " epoch TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " pw_salt BLOB, pw_hash BLOB, pw_iterations INTEGER NOT NULL DEFAULT 0,"
    " head INTEGER NOT NULL DEFAULT 0,"
    " snapshot_seq INTEGER NOT NULL DEFAULT 0,"
    " snapshot BLOB,"
    " log_start INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS ops ("
    " room INTEGER NOT NULL, seq INTEGER NOT NULL, client TEXT NOT NULL, cseq INTEGER NOT NULL,"
    " time INTEGER NOT NULL, author TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL,"
    " PRIMARY KEY (room, seq)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ops_by_client ON ops (room, client, cseq)",
    "CREATE TABLE IF NOT EXISTS chat ("
    " room INTEGER NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL,"
    " PRIMARY KEY (room, seq)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS clients ("
    " room INTEGER NOT NULL, client TEXT NOT NULL, max_cseq INTEGER NOT NULL, max_seq INTEGER NOT NULL,"
    " PRIMARY KEY (room, client)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1')",
};

//! Schema 5's tables: the images of each room (blobs) and the chunks of unfinished uploads (blob_parts).
const QList<const char *> kImageTables = {
    "CREATE TABLE IF NOT EXISTS blobs ("
    " room INTEGER NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (room, hash))",
    "CREATE TABLE IF NOT EXISTS blob_parts ("
    " room INTEGER NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL, offset INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY (room, hash, offset))",
};

const QList<Migration> kMigrations = {
    // Client ids are bound to a secret (its SHA-256), and the highest item number a client's own adds used is kept,
    // so nobody can take an item id its owner will use later (docs/PROTOCOL.md, "Identity" and "Item ids"). Rows
    // from version 1 get no secret: the id's next join sets it. Their max_item starts at 0 and is raised when the
    // room loads from the items on its board.
    {2,
     {"ALTER TABLE clients ADD COLUMN secret_hash BLOB",
      "ALTER TABLE clients ADD COLUMN max_item INTEGER NOT NULL DEFAULT 0"}},
    // Roles and host controls (docs/PROTOCOL.md, "Roles and host controls"): the room's default role and lock, each
    // client id's own role (NULL: the default) and ban. Direct messages: the ops and chat tables name the recipient,
    // so a catch-up gives a direct message to its two people only. Rooms from version 2 have no owner: the next
    // client id to join one becomes its owner.
    {3,
     {"ALTER TABLE rooms ADD COLUMN default_role TEXT NOT NULL DEFAULT 'editor'",
      "ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0", "ALTER TABLE clients ADD COLUMN role TEXT",
      "ALTER TABLE clients ADD COLUMN banned INTEGER NOT NULL DEFAULT 0", "ALTER TABLE ops ADD COLUMN recipient TEXT",
      "ALTER TABLE chat ADD COLUMN sender TEXT", "ALTER TABLE chat ADD COLUMN recipient TEXT"}},
    // Room names that look the same are one room (docs/PROTOCOL.md, "Value types"): each room keeps the key its
    // name normalises to. The keys of existing rooms are filled in by fillRoomKeys() after every migration.
    {4,
     {"ALTER TABLE rooms ADD COLUMN name_key TEXT",
      "CREATE UNIQUE INDEX IF NOT EXISTS rooms_by_key ON rooms (name_key)"}},
    // Images (docs/PROTOCOL.md, "Images"): each room keeps the blobs its image items name, content-addressed by their
    // SHA-256, and the chunks of uploads not finished yet, so an upload resumes where it stopped (a restart too).
    {5, kImageTables},
    // (5 is taken by images.) The board snapshot leaves the rooms row for pieces of its own: SQLite rewrites a whole
    // row on every update, and the head of a room changes at every commit, so a 64 MB snapshot in the row was written
    // again at every commit. Pieces of at most 1 MiB are written one per event-loop turn, so a compaction never holds
    // the server for long (docs/PROTOCOL.md, "Durability"); pieces of an older snapshot are deleted after the switch.
    {6,
     {"CREATE TABLE IF NOT EXISTS snapshot_pieces (room INTEGER NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL,"
      " body BLOB NOT NULL, PRIMARY KEY (room, seq, n)) WITHOUT ROWID",
      "INSERT OR IGNORE INTO snapshot_pieces (room, seq, n, body) SELECT id, snapshot_seq, 0, snapshot FROM rooms "
      "WHERE snapshot IS NOT NULL AND length(snapshot) > 0",
      "UPDATE rooms SET snapshot = NULL"}},
    // The op log and the snapshot pieces move to tables with rowids. In a WITHOUT ROWID table the whole row is the
    // b-tree's key, so every seek, scan, insert and delete next to a 210 KB stroke read the stroke's overflow pages
    // too (measured: 30 ms to list the seqs of 320 such ops, 0.4 ms with rowids; the compaction after a full board
    // was cleared held the server for up to 40 ms a turn). Here the key is a small index and the body stays in the
    // table, read only when asked for.
    {7,
     {"CREATE TABLE ops_v7 (room INTEGER NOT NULL, seq INTEGER NOT NULL, client TEXT NOT NULL, cseq INTEGER NOT NULL,"
      " time INTEGER NOT NULL, author TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL, recipient TEXT,"
      " PRIMARY KEY (room, seq))",
      "INSERT INTO ops_v7 (room, seq, client, cseq, time, author, kind, body, recipient)"
      " SELECT room, seq, client, cseq, time, author, kind, body, recipient FROM ops ORDER BY room, seq",
      "DROP TABLE ops", "ALTER TABLE ops_v7 RENAME TO ops",
      "CREATE INDEX IF NOT EXISTS ops_by_client ON ops (room, client, cseq)",
      "CREATE TABLE snapshot_pieces_v7 (room INTEGER NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL,"
      " body BLOB NOT NULL, PRIMARY KEY (room, seq, n))",
      "INSERT INTO snapshot_pieces_v7 (room, seq, n, body) SELECT room, seq, n, body FROM snapshot_pieces"
      " ORDER BY room, seq, n",
      "DROP TABLE snapshot_pieces", "ALTER TABLE snapshot_pieces_v7 RENAME TO snapshot_pieces"}},
};

} // namespace

SqliteDialect::SqliteDialect(QString path, int busyTimeoutMs)
    : m_path(std::move(path))
    , m_busyTimeoutMs(busyTimeoutMs)
{ }

QString SqliteDialect::driverName() const
{
    return u"QSQLITE"_s;
}

bool SqliteDialect::prepareFiles(QString *error) const
{
    // Passwords' and secrets' hashes and everything people drew and wrote: for the server's user only.
    return files::preparePrivateDatabase(m_path, error);
}

void SqliteDialect::configure(QSqlDatabase &db) const
{
    db.setDatabaseName(m_path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(qMax(0, m_busyTimeoutMs)));
}

bool SqliteDialect::prepareSession(QSqlQuery &q, int /*lockWaitMs: the data directory's lock file*/,
                                   QString *error) const
{
    // A damaged database is not served: rooms would be missed, found empty, or made again beside their rows.
    if (m_path != ":memory:"_L1) {
        const QStringList problems = sqliteCheck(q, false);
        if (!problems.isEmpty()) {
            *error = u"the database %1 is damaged: SQLite's quick_check found: %2. It is not served. %3"_s.arg(
                m_path, problems.join(u"; "_s), recoveryAdvice());
            return false;
        }
    }
    // The WAL is checkpointed by a WalCheckpointer soon after commits; the commit that passes 16 MB of it does it
    // too, only in case that thread falls behind (a checkpoint copies what the other has not, and the WAL restarts).
    // Debian's SQLite zeroes every page a delete frees (secure_delete=1): trimming the log of a cleared 64 MB board
    // wrote 64 MB of zeros, and the next synced commit (a bystander's ack) waited for them (up to 36 ms a step).
    // FAST zeroes only what is written anyway; freed pages are reused (docs/PROTOCOL.md, "Durability").
    QStringList statements = {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                              u"PRAGMA secure_delete=FAST"_s,
                              u"PRAGMA wal_autocheckpoint=%1"_s.arg(m_path == ":memory:"_L1 ? 1000 : 4096)};
    for (const char *sql : kSchemaV1)
        statements << QString::fromLatin1(sql);
    for (const QString &sql : std::as_const(statements)) {
        if (!q.exec(sql)) {
            *error = u"cannot prepare the database %1: %2"_s.arg(m_path, q.lastError().text());
            return false;
        }
    }
    return true;
}

bool SqliteDialect::readsSynced(QSqlQuery &q) const
{
    return q.exec(u"PRAGMA synchronous"_s) && q.next() && q.value(0).toInt() == 2; // FULL
}

std::unique_ptr<WalCheckpointer> SqliteDialect::makeCheckpointer() const
{
    if (m_path == ":memory:"_L1)
        return nullptr;
    return std::make_unique<WalCheckpointer>(m_path, m_busyTimeoutMs);
}

int SqliteDialect::schemaVersion() const
{
    return Store::SchemaVersion;
}

const QList<Migration> &SqliteDialect::migrations() const
{
    return kMigrations;
}

bool SqliteDialect::finishMigrations(QSqlQuery &q, QString *error) const
{
    // Schema 6 landed before 5 did: a database a server without images took to 6 has no image tables. They are made
    // here when missing (the statements change nothing where they exist).
    for (const char *sql : kImageTables) {
        if (!q.exec(QString::fromLatin1(sql))) {
            *error = u"cannot prepare the image tables of %1: %2"_s.arg(m_path, q.lastError().text());
            q.finish();
            return false;
        }
    }
    return true;
}

QString SqliteDialect::beginStatement() const
{
    // BEGIN IMMEDIATE takes the write lock now, so a busy database fails here and not halfway through.
    return u"BEGIN IMMEDIATE"_s;
}

QString SqliteDialect::unindexedRoomCount() const
{
    return u"SELECT COUNT(*) FROM rooms NOT INDEXED WHERE name = :name OR name_key = :key"_s;
}

QStringList SqliteDialect::sqliteCheck(QSqlQuery &q, bool full)
{
    QStringList problems;
    if (!q.exec(full ? u"PRAGMA integrity_check(20)"_s : u"PRAGMA quick_check(20)"_s)) {
        problems << q.lastError().databaseText().simplified();
        q.finish();
        return problems;
    }
    while (q.next()) {
        const QString line = q.value(0).toString();
        if (line != "ok"_L1)
            problems << line.simplified();
    }
    q.finish();
    return problems;
}

QString SqliteDialect::sqliteRecoveryAdvice(const QString &path)
{
    return u"To recover: stop the server, copy its data directory somewhere safe, then run "
           "'sqlite3 %1 .recover | sqlite3 recovered.sqlite', check the result with 'inkroom-server --check "
           "--data-dir' on a directory that holds it as inkroom.sqlite, and put it in place of %1 (removing %1-wal "
           "and %1-shm). Or restore the data directory from a backup."_s.arg(path);
}

} // namespace inkroom::server
