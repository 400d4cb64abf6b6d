#include "store.h"

#include "logging.h"
#include "privatefiles.h"
#include "textrules.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <iterator>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

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

//! One step of the schema: the statements that take a database from version to - 1 to version to.
struct Migration
{
    int to;
    QList<const char *> statements;
};

const Migration kMigrations[] = {
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
};

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

QVariant roleValue(const std::optional<proto::Role> &role)
{
    return role ? QVariant(proto::roleName(*role)) : QVariant(QMetaType(QMetaType::QString));
}

/** SQLite's quick_check or integrity_check: the problems it reports (at most 20), or the error that stopped it (a
 *  file too damaged to read says so here too). Empty: none. */
QStringList runCheck(QSqlQuery &q, bool full)
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

} // namespace

QString Store::recoveryAdvice(const QString &path)
{
    return u"To recover: stop the server, copy its data directory somewhere safe, then run "
           "'sqlite3 %1 .recover | sqlite3 recovered.sqlite', check the result with 'inkroom-server --check "
           "--data-dir' on a directory that holds it as inkroom.sqlite, and put it in place of %1 (removing %1-wal "
           "and %1-shm). Or restore the data directory from a backup."_s.arg(path);
}

QStringList Store::check(const QString &path, bool full, QString *error)
{
    const QString name = u"inkroom-server-check-%1"_s.arg(s_connectionCounter.fetchAndAddRelaxed(1));
    QStringList problems;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!QFileInfo::exists(path)) {
            if (error)
                *error = u"there is no database at %1"_s.arg(path);
        } else if (!db.open()) {
            if (error)
                *error = u"cannot open %1: %2"_s.arg(path, db.lastError().text());
        } else {
            QSqlQuery q(db);
            problems = runCheck(q, full);
            q = QSqlQuery();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return problems;
}

//! Prepared once, reused for every row: the hot path of a group commit.
struct Store::Queries
{
    explicit Queries(const QSqlDatabase &db)
        : insertOp(db)
        , insertChat(db)
        , upsertClient(db)
        , setHead(db)
    { }
    QSqlQuery insertOp;
    QSqlQuery insertChat;
    QSqlQuery upsertClient;
    QSqlQuery setHead;
};

Store::Store()
    : m_connectionName(u"inkroom-server-store-%1"_s.arg(s_connectionCounter.fetchAndAddRelaxed(1)))
{ }

Store::~Store()
{
    close();
}

bool Store::fail(const QString &what, const QString &error)
{
    m_lastError = what + u": "_s + error;
    qCWarning(lcStore).noquote() << m_lastError;
    return false;
}

bool Store::open(const QString &path, int busyTimeoutMs, QString *error)
{
    close();
    // Passwords' and secrets' hashes and everything people drew and wrote: for the server's user only.
    if (QString fileError; !files::preparePrivateDatabase(path, &fileError)) {
        fail(u"cannot open "_s + path, fileError);
        if (error)
            *error = m_lastError;
        return false;
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(qMax(0, busyTimeoutMs)));
        if (!db.open()) {
            fail(u"cannot open "_s + path, db.lastError().text());
            if (error)
                *error = m_lastError;
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            return false;
        }
        QSqlQuery q(db);
        // A damaged database is not served: rooms would be missed, found empty, or made again beside their rows.
        if (path != ":memory:"_L1) {
            const QStringList problems = runCheck(q, false);
            if (!problems.isEmpty()) {
                fail(u"the database %1 is damaged"_s.arg(path),
                     u"SQLite's quick_check found: %1. It is not served. %2"_s.arg(problems.join(u"; "_s),
                                                                                   recoveryAdvice(path)));
                if (error)
                    *error = m_lastError;
                q = QSqlQuery();
                db.close();
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(m_connectionName);
                return false;
            }
        }
        QStringList statements = {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s};
        for (const char *sql : kSchemaV1)
            statements << QString::fromLatin1(sql);
        for (const QString &sql : std::as_const(statements)) {
            if (!q.exec(sql)) {
                fail(u"cannot prepare the database "_s + path, q.lastError().text());
                if (error)
                    *error = m_lastError;
                q = QSqlQuery();
                db.close();
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(m_connectionName);
                return false;
            }
        }
        q = QSqlQuery();
        m_queries = std::make_unique<Queries>(db);
        if (!migrate(path) || !fillRoomKeys()) {
            if (error)
                *error = m_lastError;
            m_queries.reset();
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            return false;
        }
        m_queries->insertOp.prepare(u"INSERT INTO ops (room, seq, client, cseq, time, author, kind, body, recipient) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        m_queries->insertChat.prepare(
            u"INSERT INTO chat (room, seq, body, sender, recipient) VALUES (?, ?, ?, ?, ?)"_s);
        m_queries->upsertClient.prepare(
            u"INSERT INTO clients (room, client, max_cseq, max_seq, max_item, role, banned) VALUES (?, ?, ?, ?, ?, ?, "
            u"?) "
            "ON CONFLICT (room, client) DO UPDATE SET max_cseq = excluded.max_cseq, max_seq = excluded.max_seq, "
            "max_item = excluded.max_item, role = excluded.role, banned = excluded.banned"_s);
        m_queries->setHead.prepare(u"UPDATE rooms SET head = ? WHERE id = ?"_s);
    }
    qCInfo(lcStore).noquote() << "opened" << path;
    return true;
}

bool Store::migrate(const QString &path)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    if (!q.exec(u"SELECT value FROM meta WHERE key = 'schema'"_s) || !q.next())
        return fail(u"cannot read the schema version of "_s + path, q.lastError().text());
    const QString stored = q.value(0).toString();
    q.finish();
    bool ok = false;
    const int version = stored.toInt(&ok);
    if (!ok || version < 1)
        return fail(u"cannot open "_s + path, u"its schema version '%1' is not one this server knows"_s.arg(stored));
    if (version > SchemaVersion)
        return fail(u"cannot open "_s + path,
                    u"it was written by a newer inkroom-server (schema %1; this one knows %2)"_s.arg(version).arg(
                        SchemaVersion));
    // The last migration must arrive at the version this build writes (a mistake here is the developer's).
    Q_ASSERT(std::size(kMigrations) > 0 && std::end(kMigrations)[-1].to == SchemaVersion);
    for (const Migration &migration : kMigrations) {
        if (migration.to <= version)
            continue;
        // One transaction per step: a step that fails leaves the database as it was, at the version before.
        if (!begin())
            return false;
        QStringList statements;
        for (const char *sql : migration.statements)
            statements << QString::fromLatin1(sql);
        statements << u"UPDATE meta SET value = '%1' WHERE key = 'schema'"_s.arg(migration.to);
        for (const QString &sql : std::as_const(statements)) {
            if (!q.exec(sql)) {
                const QString error = q.lastError().text();
                q.finish();
                rollback();
                return fail(u"cannot migrate %1 to schema %2"_s.arg(path).arg(migration.to), error);
            }
        }
        if (!commit())
            return false;
        qCInfo(lcStore).noquote() << u"migrated %1 to schema %2"_s.arg(path).arg(migration.to);
    }
    return true;
}

bool Store::fillRoomKeys()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    if (!q.exec(u"SELECT id, name FROM rooms WHERE name_key IS NULL ORDER BY id"_s))
        return fail(u"cannot read the rooms"_s, q.lastError().text());
    QList<std::pair<qint64, QString>> rooms;
    while (q.next())
        rooms.append({q.value(0).toLongLong(), q.value(1).toString()});
    q.finish();
    if (rooms.isEmpty())
        return true;
    if (!begin())
        return false;
    QSqlQuery update(db);
    update.prepare(u"UPDATE rooms SET name_key = :key WHERE id = :id AND NOT EXISTS "
                   "(SELECT 1 FROM rooms WHERE name_key = :key)"_s);
    for (const auto &[id, name] : std::as_const(rooms)) {
        update.bindValue(u":key"_s, text::roomKey(name));
        update.bindValue(u":id"_s, id);
        if (!update.exec()) {
            const QString error = update.lastError().text();
            rollback();
            return fail(u"cannot give the rooms their keys"_s, error);
        }
        if (update.numRowsAffected() == 0) {
            qCWarning(lcStore).noquote() << u"room '%1' looks the same as an older room; it is found by its exact "
                                            "name only"_s.arg(name);
        }
    }
    update.finish();
    return commit();
}

void Store::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    m_queries.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Store::isOpen() const
{
    return m_queries != nullptr;
}

std::optional<RoomRecord> Store::findRoom(const QString &name, bool *ok)
{
    *ok = false;
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    // The exact name first: a room that looks like an older one (see fillRoomKeys()) is found by it.
    const QString key = text::roomKey(name);
    q.prepare(u"SELECT id, name, epoch, pw_salt, pw_hash, pw_iterations, head, snapshot_seq, NULL, log_start, "
              "default_role, locked, name_key FROM rooms WHERE name = :name OR name_key = :key "
              "ORDER BY name = :name DESC LIMIT 1"_s);
    q.bindValue(u":name"_s, name);
    q.bindValue(u":key"_s, key);
    if (!q.exec()) {
        fail(u"cannot read room"_s, q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) {
        // Not in the name index: make sure it is not in the table either, read without the index. A damaged index
        // once served a room empty under a new epoch and gave it a second row, orphaning everything it held.
        q.finish();
        QSqlQuery scan(QSqlDatabase::database(m_connectionName, false));
        scan.prepare(u"SELECT COUNT(*) FROM rooms NOT INDEXED WHERE name = :name OR name_key = :key"_s);
        scan.bindValue(u":name"_s, name);
        scan.bindValue(u":key"_s, key);
        if (!scan.exec() || !scan.next()) {
            fail(u"cannot read room"_s, scan.lastError().text());
            return std::nullopt;
        }
        if (scan.value(0).toLongLong() > 0) {
            fail(u"the database is damaged"_s,
                 u"room '%1' is in the rooms table but missing from its name index; it is not served. Run "
                 "'inkroom-server --check'. %2"_s.arg(name, recoveryAdvice(u"inkroom.sqlite"_s)));
            return std::nullopt;
        }
        *ok = true;
        return std::nullopt;
    }
    *ok = true;
    RoomRecord r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1).toString();
    r.epoch = q.value(2).toString();
    r.passwordSalt = q.value(3).toByteArray();
    r.passwordHash = q.value(4).toByteArray();
    r.passwordIterations = q.value(5).toInt();
    r.head = q.value(6).toULongLong();
    r.snapshotSeq = q.value(7).toULongLong();
    r.snapshot = q.value(8).toByteArray();
    r.logStart = q.value(9).toULongLong();
    r.defaultRole = proto::roleFromName(q.value(10).toString()).value_or(proto::Role::Editor);
    r.locked = q.value(11).toInt() != 0;
    r.nameKey = q.value(12).toString();
    q.finish();
    if (r.snapshotSeq > 0 && !readSnapshot(r.id, r.snapshotSeq, &r.snapshot)) {
        *ok = false;
        return std::nullopt;
    }
    return r;
}

bool Store::readSnapshot(qint64 room, quint64 seq, QByteArray *out)
{
    out->clear();
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT n, body FROM snapshot_pieces WHERE room = ? AND seq = ? ORDER BY n"_s);
    q.addBindValue(room);
    q.addBindValue(qint64(seq));
    if (!q.exec())
        return fail(u"cannot read the snapshot"_s, q.lastError().text());
    qint64 expected = 0;
    while (q.next()) {
        if (q.value(0).toLongLong() != expected++) {
            return fail(u"the database is damaged"_s,
                        u"a piece of the snapshot of room %1 at seq %2 is missing. %3"_s.arg(room).arg(seq).arg(
                            recoveryAdvice(u"inkroom.sqlite"_s)));
        }
        out->append(q.value(1).toByteArray());
    }
    if (expected == 0) {
        return fail(
            u"the database is damaged"_s,
            u"room %1 has no snapshot at seq %2. %3"_s.arg(room).arg(seq).arg(recoveryAdvice(u"inkroom.sqlite"_s)));
    }
    return true;
}

std::optional<QString> Store::storedRoomName(const QString &name, bool *ok)
{
    *ok = false;
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT name FROM rooms WHERE name = :name OR name_key = :key ORDER BY name = :name DESC LIMIT 1"_s);
    q.bindValue(u":name"_s, name);
    q.bindValue(u":key"_s, text::roomKey(name));
    if (!q.exec()) {
        fail(u"cannot read room"_s, q.lastError().text());
        return std::nullopt;
    }
    *ok = true;
    return q.next() ? std::optional<QString>(q.value(0).toString()) : std::nullopt;
}

QStringList Store::roomNames(int max, bool *ok)
{
    *ok = false;
    if (!isOpen())
        return {};
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT name FROM rooms ORDER BY name LIMIT :max"_s);
    q.bindValue(u":max"_s, std::max(max, 0));
    if (!q.exec()) {
        fail(u"cannot list rooms"_s, q.lastError().text());
        return {};
    }
    QStringList names;
    while (q.next())
        names.append(q.value(0).toString());
    *ok = true;
    return names;
}

bool Store::insertRoom(RoomRecord *record)
{
    if (!isOpen())
        return fail(u"cannot create room"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    record->nameKey = text::roomKey(record->name);
    q.prepare(u"INSERT INTO rooms (name, epoch, created, pw_salt, pw_hash, pw_iterations, name_key) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(record->name);
    q.addBindValue(record->epoch);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(record->passwordSalt.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : record->passwordSalt);
    q.addBindValue(record->passwordHash.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : record->passwordHash);
    q.addBindValue(record->passwordIterations);
    q.addBindValue(record->nameKey);
    if (!q.exec())
        return fail(u"cannot create room"_s, q.lastError().text());
    record->id = q.lastInsertId().toLongLong();
    return true;
}

bool Store::visitOpsAfter(qint64 room, quint64 after, const std::function<bool(quint64, const QByteArray &)> &visit)
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT seq, body FROM ops WHERE room = ? AND seq > ? ORDER BY seq"_s);
    q.addBindValue(room);
    q.addBindValue(qint64(after));
    if (!q.exec())
        return fail(u"cannot read the log"_s, q.lastError().text());
    while (q.next()) {
        if (!visit(q.value(0).toULongLong(), q.value(1).toByteArray()))
            break;
    }
    return true;
}

bool Store::visitLogAfter(qint64 room, quint64 after, const std::function<bool(const LoggedOp &)> &visit)
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT seq, client, recipient, body FROM ops WHERE room = ? AND seq > ? ORDER BY seq"_s);
    q.addBindValue(room);
    q.addBindValue(qint64(after));
    if (!q.exec())
        return fail(u"cannot read the log"_s, q.lastError().text());
    while (q.next()) {
        const LoggedOp op {q.value(0).toULongLong(), q.value(1).toString(), q.value(2).toString(),
                           q.value(3).toByteArray()};
        if (!visit(op))
            break;
    }
    return true;
}

bool Store::snapshotOf(qint64 room, quint64 *seq, QByteArray *snapshot)
{
    if (!isOpen())
        return fail(u"cannot read the snapshot"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT snapshot_seq FROM rooms WHERE id = ?"_s);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot read the snapshot"_s, q.lastError().text());
    if (!q.next())
        return fail(u"cannot read the snapshot"_s, u"room %1 is not stored"_s.arg(room));
    *seq = q.value(0).toULongLong();
    snapshot->clear();
    return *seq == 0 || readSnapshot(room, *seq, snapshot);
}

bool Store::chatHistory(qint64 room, int count, QList<ChatRecord> *out)
{
    out->clear();
    if (!isOpen() || count <= 0)
        return isOpen();
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT body, sender, recipient FROM chat WHERE room = ? ORDER BY seq DESC LIMIT ?"_s);
    q.addBindValue(room);
    q.addBindValue(count);
    if (!q.exec())
        return fail(u"cannot read chat"_s, q.lastError().text());
    while (q.next())
        out->prepend(ChatRecord {q.value(1).toString(), q.value(2).toString(), q.value(0).toByteArray()});
    return true;
}

bool Store::clients(qint64 room, QHash<QString, ClientRecord> *out)
{
    out->clear();
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT client, max_cseq, max_seq, max_item, secret_hash, role, banned FROM clients WHERE room = ?"_s);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot read clients"_s, q.lastError().text());
    while (q.next()) {
        out->insert(q.value(0).toString(),
                    ClientRecord {q.value(1).toULongLong(), q.value(2).toULongLong(), q.value(3).toULongLong(),
                                  q.value(4).toByteArray(),
                                  q.value(5).isNull() ? std::nullopt : proto::roleFromName(q.value(5).toString()),
                                  q.value(6).toInt() != 0});
    }
    return true;
}

std::optional<StoredOp> Store::findOp(qint64 room, const QString &client, quint64 cseq, bool *ok)
{
    *ok = false;
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    // ops_by_client (room, client, cseq) finds it without a scan.
    q.prepare(u"SELECT seq, time, body FROM ops WHERE room = ? AND client = ? AND cseq = ? ORDER BY seq LIMIT 1"_s);
    q.addBindValue(room);
    q.addBindValue(client);
    q.addBindValue(qint64(cseq));
    if (!q.exec()) {
        fail(u"cannot read the log"_s, q.lastError().text());
        return std::nullopt;
    }
    *ok = true;
    if (!q.next())
        return std::nullopt;
    return StoredOp {q.value(0).toULongLong(), q.value(1).toLongLong(), q.value(2).toByteArray()};
}

bool Store::registerClient(qint64 room, const QString &client, const QByteArray &secretHash)
{
    if (!isOpen())
        return fail(u"cannot store client"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"INSERT INTO clients (room, client, max_cseq, max_seq, max_item, secret_hash) VALUES (?, ?, 0, 0, 0, ?) "
              "ON CONFLICT (room, client) DO UPDATE SET secret_hash = excluded.secret_hash "
              "WHERE clients.secret_hash IS NULL"_s);
    q.addBindValue(room);
    q.addBindValue(client);
    q.addBindValue(secretHash);
    if (!q.exec())
        return fail(u"cannot store client"_s, q.lastError().text());
    return true;
}

bool Store::makeOwner(qint64 room, const QString &client)
{
    if (!isOpen())
        return fail(u"cannot store client"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"UPDATE clients SET role = 'owner' WHERE room = ? AND client = ?"_s);
    q.addBindValue(room);
    q.addBindValue(client);
    if (!q.exec())
        return fail(u"cannot store the room's owner"_s, q.lastError().text());
    return true;
}

bool Store::setRoomControls(qint64 room, proto::Role defaultRole, bool locked)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"UPDATE rooms SET default_role = ?, locked = ? WHERE id = ?"_s);
    q.addBindValue(proto::roleName(defaultRole));
    q.addBindValue(locked ? 1 : 0);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot store the room's controls"_s, q.lastError().text());
    return true;
}

bool Store::begin()
{
    if (!isOpen())
        return fail(u"cannot begin"_s, u"the database is closed"_s);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // BEGIN IMMEDIATE takes the write lock now, so a busy database fails here and not halfway through.
    QSqlQuery q(db);
    if (!q.exec(u"BEGIN IMMEDIATE"_s))
        return fail(u"cannot begin a transaction"_s, q.lastError().text());
    return true;
}

bool Store::commit()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(u"COMMIT"_s))
        return fail(u"cannot commit"_s, q.lastError().text());
    return true;
}

void Store::rollback()
{
    if (!isOpen())
        return;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.exec(u"ROLLBACK"_s);
}

bool Store::insertOp(qint64 room, const proto::Op &op, const QByteArray &body)
{
    QSqlQuery &q = m_queries->insertOp;
    q.bindValue(0, room);
    q.bindValue(1, qint64(op.seq));
    q.bindValue(2, op.client);
    q.bindValue(3, qint64(op.cseq));
    q.bindValue(4, op.time);
    q.bindValue(5, op.author);
    q.bindValue(6, proto::opKindName(op.kind));
    q.bindValue(7, body);
    q.bindValue(8, nullableText(op.kind == proto::OpKind::Direct ? op.target : QString()));
    if (!q.exec())
        return fail(u"cannot store op"_s, q.lastError().text());
    if (proto::isMessageOp(op.kind)) {
        QSqlQuery &c = m_queries->insertChat;
        c.bindValue(0, room);
        c.bindValue(1, qint64(op.seq));
        c.bindValue(2, body);
        c.bindValue(3, op.client);
        c.bindValue(4, nullableText(op.kind == proto::OpKind::Direct ? op.target : QString()));
        if (!c.exec())
            return fail(u"cannot store chat"_s, c.lastError().text());
    }
    return true;
}

bool Store::upsertClient(qint64 room, const QString &client, const ClientRecord &record)
{
    QSqlQuery &q = m_queries->upsertClient;
    q.bindValue(0, room);
    q.bindValue(1, client);
    q.bindValue(2, qint64(record.maxCseq));
    q.bindValue(3, qint64(record.maxSeq));
    q.bindValue(4, qint64(record.maxItem));
    q.bindValue(5, roleValue(record.role));
    q.bindValue(6, record.banned ? 1 : 0);
    if (!q.exec())
        return fail(u"cannot store client"_s, q.lastError().text());
    return true;
}

bool Store::setHead(qint64 room, quint64 head)
{
    QSqlQuery &q = m_queries->setHead;
    q.bindValue(0, qint64(head));
    q.bindValue(1, room);
    if (!q.exec())
        return fail(u"cannot store head"_s, q.lastError().text());
    return true;
}

bool Store::writeSnapshotPiece(qint64 room, quint64 seq, int n, const QByteArray &piece)
{
    if (!begin())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    bool ok = true;
    if (n == 0) {
        // What an earlier attempt at the same seq left (a failed write, a stop in the middle) goes first.
        q.prepare(u"DELETE FROM snapshot_pieces WHERE room = ? AND seq = ?"_s);
        q.addBindValue(room);
        q.addBindValue(qint64(seq));
        ok = q.exec();
    }
    if (ok) {
        q.prepare(u"INSERT OR REPLACE INTO snapshot_pieces (room, seq, n, body) VALUES (?, ?, ?, ?)"_s);
        q.addBindValue(room);
        q.addBindValue(qint64(seq));
        q.addBindValue(n);
        q.addBindValue(piece);
        ok = q.exec();
    }
    if (!ok) {
        const QString error = q.lastError().text();
        q = QSqlQuery();
        rollback();
        return fail(u"cannot write a snapshot piece"_s, error);
    }
    return commit();
}

bool Store::switchSnapshot(qint64 room, quint64 snapshotSeq, quint64 logStart, int chatKeep)
{
    if (!begin())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"UPDATE rooms SET snapshot_seq = ?, snapshot = NULL, log_start = ? WHERE id = ?"_s);
    q.addBindValue(qint64(snapshotSeq));
    q.addBindValue(qint64(logStart));
    q.addBindValue(room);
    bool ok = q.exec();
    if (ok) {
        q.prepare(u"DELETE FROM chat WHERE room = ? AND seq < (SELECT COALESCE(MIN(seq), 0) FROM "
                  "(SELECT seq FROM chat WHERE room = ? ORDER BY seq DESC LIMIT ?))"_s);
        q.addBindValue(room);
        q.addBindValue(room);
        q.addBindValue(qMax(1, chatKeep));
        ok = q.exec();
    }
    if (!ok) {
        const QString error = q.lastError().text();
        q = QSqlQuery();
        rollback();
        return fail(u"cannot switch to the new snapshot"_s, error);
    }
    return commit();
}

bool Store::trimStep(qint64 room, quint64 snapshotSeq, quint64 logStart, qint64 maxBytes, bool *more)
{
    *more = false;
    if (!begin())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    bool ok = true;
    qint64 bytes = 0;
    // Pieces of older snapshots, a few at a time.
    q.prepare(u"SELECT seq, n, length(body) FROM snapshot_pieces WHERE room = ? AND seq < ? ORDER BY seq, n "
              "LIMIT 64"_s);
    q.addBindValue(room);
    q.addBindValue(qint64(snapshotSeq));
    QList<std::pair<qint64, qint64>> pieces;
    if ((ok = q.exec())) {
        while (q.next() && bytes < maxBytes) {
            pieces.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
            bytes += q.value(2).toLongLong();
        }
        *more = q.next() || bytes >= maxBytes;
    }
    q.finish();
    QSqlQuery remove(db);
    for (const auto &[seq, n] : std::as_const(pieces)) {
        if (!ok)
            break;
        remove.prepare(u"DELETE FROM snapshot_pieces WHERE room = ? AND seq = ? AND n = ?"_s);
        remove.addBindValue(room);
        remove.addBindValue(seq);
        remove.addBindValue(n);
        ok = remove.exec();
    }
    // Then the ops before the log's start, oldest first, up to what is left of maxBytes.
    if (ok && bytes < maxBytes) {
        q.prepare(u"SELECT seq, length(body) FROM ops WHERE room = ? AND seq <= ? ORDER BY seq LIMIT 1000"_s);
        q.addBindValue(room);
        q.addBindValue(qint64(logStart));
        qint64 upTo = -1;
        if ((ok = q.exec())) {
            bool cut = false;
            while (q.next()) {
                if (bytes >= maxBytes) {
                    cut = true;
                    break;
                }
                upTo = q.value(0).toLongLong();
                bytes += q.value(1).toLongLong();
            }
            *more = *more || cut || bytes >= maxBytes;
        }
        q.finish();
        if (ok && upTo >= 0) {
            remove.prepare(u"DELETE FROM ops WHERE room = ? AND seq <= ?"_s);
            remove.addBindValue(room);
            remove.addBindValue(upTo);
            ok = remove.exec();
        }
    }
    if (!ok) {
        const QString error = remove.lastError().text() + q.lastError().text();
        q = QSqlQuery();
        remove = QSqlQuery();
        rollback();
        return fail(u"cannot trim the log"_s, error);
    }
    return commit();
}

std::optional<quint64> Store::retainedLogStart(qint64 room, quint64 logStart, quint64 head, quint64 maxOps,
                                               qint64 maxBytes)
{
    quint64 start = std::max(logStart, head > maxOps ? head - maxOps : 0);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT seq, length(body) FROM ops WHERE room = ? AND seq > ? AND seq <= ? ORDER BY seq DESC"_s);
    q.addBindValue(room);
    q.addBindValue(qint64(start));
    q.addBindValue(qint64(head));
    if (!q.exec()) {
        fail(u"cannot read the log"_s, q.lastError().text());
        return std::nullopt;
    }
    qint64 bytes = 0;
    while (q.next()) {
        bytes += q.value(1).toLongLong();
        if (bytes > maxBytes) {
            // This op would take the retained log past its bytes: it and everything before it go.
            start = std::max(start, q.value(0).toULongLong());
            break;
        }
    }
    return start;
}

} // namespace inkroom::server
