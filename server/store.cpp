#include "store.h"

#include "logging.h"
#include "sqlitedialect.h"
#include "storedialect.h"
#include "textrules.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

QAtomicInteger<quint64> s_connectionCounter;

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

QVariant roleValue(const std::optional<proto::Role> &role)
{
    return role ? QVariant(proto::roleName(*role)) : QVariant(QMetaType(QMetaType::QString));
}

} // namespace

QString Store::recoveryAdvice(const QString &path)
{
    return SqliteDialect::sqliteRecoveryAdvice(path);
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
            problems = SqliteDialect::sqliteCheck(q, full);
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
        : insertChat(db)
        , upsertClient(db)
        , setHead(db)
        , claimHead(db)
        , notifyHead(db)
    {
        for (QSqlQuery &q : insertOps)
            q = QSqlQuery(db);
    }
    //! INSERT INTO ops of kOpRowsPerInsert[i] rows at once: a group commit costs a few round trips, not one per op.
    std::array<QSqlQuery, std::size(kOpRowsPerInsert)> insertOps;
    QSqlQuery insertChat;
    QSqlQuery upsertClient;
    QSqlQuery setHead;
    QSqlQuery claimHead; //!< shared database only
    QSqlQuery notifyHead; //!< shared database only
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
    if (m_dialect && !m_lost && m_queries) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (m_dialect->connectionLost(db)) {
            // Nothing more is read or written until usable() has connected again.
            m_lost = true;
            m_reconnectTimer.invalidate();
            m_lastError += u" (the connection to %1 is lost; reconnecting)"_s.arg(m_dialect->describe());
        }
    }
    // Another server's commit first is part of sharing a database (the room catches up and commits again).
    if (m_conflict)
        qCDebug(lcStore).noquote() << m_lastError;
    else
        qCWarning(lcStore).noquote() << m_lastError;
    return false;
}

bool Store::failQuery(const QString &what, const QSqlError &error)
{
    m_conflict = m_dialect && m_dialect->isConflict(error);
    return fail(what, error.text());
}

bool Store::isShared() const
{
    return m_dialect && m_dialect->isShared();
}

bool Store::open(const QString &path, int busyTimeoutMs, QString *error)
{
    return open(StoreLocation::sqlite(path), busyTimeoutMs, error);
}

bool Store::open(const StoreLocation &location, int busyTimeoutMs, QString *error)
{
    close();
    m_dialect = StoreDialect::create(location, busyTimeoutMs);
    m_lost = false;
    m_reconnectIntervalMs = kReconnectIntervalMs;
    if (!connectDatabase(kOpenLockWaitMs)) {
        if (error)
            *error = m_lastError;
        m_dialect.reset();
        m_lost = false;
        return false;
    }
    qCInfo(lcStore).noquote() << "opened" << m_dialect->describe();
    return true;
}

bool Store::connectDatabase(int lockWaitMs)
{
    const QString where = m_dialect->describe();
    if (QString fileError; !m_dialect->prepareFiles(&fileError))
        return fail(u"cannot open "_s + where, fileError);
    QSqlDatabase db = QSqlDatabase::addDatabase(m_dialect->driverName(), m_connectionName);
    if (!db.isValid()) {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return fail(u"cannot open "_s + where,
                    u"Qt's %1 driver is not installed (Debian: %2)"_s.arg(
                        m_dialect->driverName(),
                        m_dialect->driverName() == "QPSQL"_L1 ? u"libqt6sql6-psql"_s : u"libqt6sql6-sqlite"_s));
    }
    m_dialect->configure(db);
    //! Leaves the connection closed, with *m_lastError set to why (already logged when why is empty).
    const auto giveUp = [&](const QString &why) {
        const QString error = why.isEmpty() ? m_lastError : why;
        m_queries.reset();
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        m_lastError = error;
        if (!why.isEmpty())
            qCWarning(lcStore).noquote() << m_lastError;
        return false;
    };
    if (!db.open())
        return giveUp(u"cannot open %1: %2"_s.arg(where, db.lastError().text()));
    {
        QSqlQuery q(db);
        QString error;
        const bool prepared = m_dialect->prepareSession(q, lockWaitMs, &error);
        q = QSqlQuery();
        if (!prepared)
            return giveUp(error);
    }
    m_queries = std::make_unique<Queries>(db);
    if (!migrate() || !fillRoomKeys())
        return giveUp(QString());
    for (size_t i = 0; i < std::size(kOpRowsPerInsert); ++i) {
        QStringList rows;
        for (int row = 0; row < kOpRowsPerInsert[i]; ++row)
            rows << u"(?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
        m_queries->insertOps[i].prepare(
            u"INSERT INTO ops (room, seq, client, cseq, time, author, kind, body, recipient) VALUES "_s
            + rows.join(u", "_s));
    }
    m_queries->insertChat.prepare(u"INSERT INTO chat (room, seq, body, sender, recipient) VALUES (?, ?, ?, ?, ?)"_s);
    m_queries->upsertClient.prepare(
        u"INSERT INTO clients (room, client, max_cseq, max_seq, max_item, role, banned) VALUES (?, ?, ?, ?, ?, ?, "
        u"?) "
        "ON CONFLICT (room, client) DO UPDATE SET max_cseq = excluded.max_cseq, max_seq = excluded.max_seq, "
        "max_item = excluded.max_item, role = excluded.role, banned = excluded.banned"_s);
    m_queries->setHead.prepare(u"UPDATE rooms SET head = ? WHERE id = ?"_s);
    if (m_dialect->isShared()) {
        // A no-op update that takes the row's lock: commits to one room queue up behind each other here, and one that
        // finds the head moved on (another server committed first) changes no row.
        m_queries->claimHead.prepare(u"UPDATE rooms SET head = head WHERE id = ? AND head = ?"_s);
        m_queries->notifyHead.prepare(m_dialect->headNotifyStatement());
    }
    m_checkpointer = m_dialect->makeCheckpointer();
    return true;
}

void Store::disconnectDatabase()
{
    m_checkpointer.reset();
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    m_queries.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Store::usable()
{
    if (!m_dialect)
        return false;
    if (!m_lost) {
        // A read within a transaction sees the ops written before it (a rollback reads the log it is part of).
        return m_queries != nullptr && flushRows();
    }
    // Never within a transaction: what it wrote went with the connection, and the rest must not go to another.
    if (m_inTransaction)
        return false;
    // An unreachable database must not cost every request a connect timeout: the attempts come at most once a
    // second, then less often while it stays away (up to kMaxReconnectIntervalMs apart).
    if (m_reconnectTimer.isValid() && m_reconnectTimer.elapsed() < m_reconnectIntervalMs)
        return false;
    m_reconnectTimer.start();
    disconnectDatabase();
    m_lost = false;
    if (!connectDatabase(kReconnectLockWaitMs)) {
        m_lost = true;
        m_reconnectIntervalMs = std::min(m_reconnectIntervalMs * 2, kMaxReconnectIntervalMs);
        return false;
    }
    m_reconnectIntervalMs = kReconnectIntervalMs;
    qCWarning(lcStore).noquote() << "reconnected to" << m_dialect->describe();
    return true;
}

bool Store::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QString where = m_dialect->describe();
    const int target = m_dialect->schemaVersion();
    const QList<Migration> &migrations = m_dialect->migrations();
    // The last migration must arrive at the version this build writes (a mistake here is the developer's).
    Q_ASSERT(!migrations.isEmpty() && migrations.constLast().to == target);
    QSqlQuery q(db);
    const auto readVersion = [&](int *version) {
        if (!q.exec(u"SELECT value FROM meta WHERE key = 'schema'"_s) || !q.next())
            return fail(u"cannot read the schema version of "_s + where, q.lastError().text());
        const QString stored = q.value(0).toString();
        q.finish();
        bool ok = false;
        *version = stored.toInt(&ok);
        const int oldest = migrations.constFirst().to - 1;
        if (!ok || *version < oldest)
            return fail(u"cannot open "_s + where,
                        u"its schema version '%1' is not one this server knows"_s.arg(stored));
        if (*version > target)
            return fail(
                u"cannot open "_s + where,
                u"it was written by a newer inkroom-server (schema %1; this one knows %2)"_s.arg(*version).arg(target));
        return true;
    };
    int version = 0;
    if (!readVersion(&version))
        return false;
    for (const Migration &migration : migrations) {
        if (migration.to <= version)
            continue;
        // One transaction per step: a step that fails leaves the database as it was, at the version before. The
        // version is read again under the migration lock: another server may have taken the step meanwhile.
        if (!beginTransaction())
            return false;
        if (const QString lock = m_dialect->migrationLockStatement(); !lock.isEmpty() && !q.exec(lock)) {
            const QString error = q.lastError().text();
            q.finish();
            rollback();
            return fail(u"cannot lock %1 to migrate it"_s.arg(where), error);
        }
        q.finish();
        if (!readVersion(&version)) {
            rollback();
            return false;
        }
        if (migration.to <= version) {
            rollback();
            continue;
        }
        QStringList statements;
        for (const char *sql : migration.statements)
            statements << QString::fromLatin1(sql);
        statements << u"UPDATE meta SET value = '%1' WHERE key = 'schema'"_s.arg(migration.to);
        for (const QString &sql : std::as_const(statements)) {
            if (!q.exec(sql)) {
                const QString error = q.lastError().text();
                q.finish();
                rollback();
                return fail(u"cannot migrate %1 to schema %2"_s.arg(where).arg(migration.to), error);
            }
        }
        if (!commit())
            return false;
        version = migration.to;
        qCInfo(lcStore).noquote() << u"migrated %1 to schema %2"_s.arg(where).arg(migration.to);
    }
    if (QString error; !m_dialect->finishMigrations(q, &error))
        return fail(u"cannot open "_s + where, error);
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
    if (!beginTransaction())
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
    m_unsynced = false; // a new connection syncs its commits
    disconnectDatabase();
    m_dialect.reset();
    m_lost = false;
    m_inTransaction = false;
}

bool Store::isOpen() const
{
    return m_queries != nullptr && !m_lost;
}

QString Store::describe() const
{
    return m_dialect ? m_dialect->describe() : QString();
}

bool Store::insertRoom(RoomRecord *record)
{
    if (!usable())
        return fail(u"cannot create room"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    record->nameKey = text::roomKey(record->name);
    q.prepare(u"INSERT INTO rooms (name, epoch, created, pw_salt, pw_hash, pw_iterations, name_key) "
              "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"_s);
    q.addBindValue(record->name);
    q.addBindValue(record->epoch);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(record->passwordSalt.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : record->passwordSalt);
    q.addBindValue(record->passwordHash.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : record->passwordHash);
    q.addBindValue(record->passwordIterations);
    q.addBindValue(record->nameKey);
    m_conflict = false;
    if (!q.exec() || !q.next())
        return failQuery(u"cannot create room"_s, q.lastError()); // a conflict: another server made it first
    record->id = q.value(0).toLongLong();
    return true;
}

bool Store::registerClient(qint64 room, const QString &client, const QByteArray &secretHash, ClientRecord *stored)
{
    if (!usable())
        return fail(u"cannot store client"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // The row keeps a hash it has (another server may have registered the id first) and says what it holds.
    q.prepare(u"INSERT INTO clients (room, client, max_cseq, max_seq, max_item, secret_hash) VALUES (?, ?, 0, 0, 0, ?) "
              "ON CONFLICT (room, client) DO UPDATE SET secret_hash = COALESCE(clients.secret_hash, "
              "excluded.secret_hash) RETURNING secret_hash, role, banned, max_cseq, max_seq, max_item"_s);
    q.addBindValue(room);
    q.addBindValue(client);
    q.addBindValue(secretHash);
    if (!q.exec() || !q.next())
        return fail(u"cannot store client"_s, q.lastError().text());
    if (stored) {
        stored->secretHash = q.value(0).toByteArray();
        stored->role = q.value(1).isNull() ? std::nullopt : proto::roleFromName(q.value(1).toString());
        stored->banned = q.value(2).toInt() != 0;
        stored->maxCseq = q.value(3).toULongLong();
        stored->maxSeq = q.value(4).toULongLong();
        stored->maxItem = q.value(5).toULongLong();
    }
    q.finish();
    return true;
}

bool Store::makeOwner(qint64 room, const QString &client, bool *made)
{
    if (!usable())
        return fail(u"cannot store client"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // Only while nobody owns the room: two servers' first joiners must not both become its owner.
    q.prepare(u"UPDATE clients SET role = 'owner' WHERE room = ? AND client = ? AND NOT EXISTS "
              "(SELECT 1 FROM clients WHERE room = ? AND role = 'owner')"_s);
    q.addBindValue(room);
    q.addBindValue(client);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot store the room's owner"_s, q.lastError().text());
    if (made)
        *made = q.numRowsAffected() > 0;
    return true;
}

bool Store::roomHeads(const QList<qint64> &rooms, QHash<qint64, quint64> *out)
{
    out->clear();
    if (rooms.isEmpty())
        return true;
    if (!usable())
        return fail(u"cannot read the rooms' heads"_s, u"the database is not reachable"_s);
    QStringList ids;
    for (qint64 id : rooms)
        ids << QString::number(id); // numbers, never text from outside
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, head FROM rooms WHERE id IN (%1)"_s.arg(ids.join(u','))))
        return fail(u"cannot read the rooms' heads"_s, q.lastError().text());
    while (q.next())
        out->insert(q.value(0).toLongLong(), q.value(1).toULongLong());
    return true;
}

bool Store::setRoomControls(qint64 room, proto::Role defaultRole, bool locked)
{
    if (!flushRows())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"UPDATE rooms SET default_role = ?, locked = ? WHERE id = ?"_s);
    q.addBindValue(proto::roleName(defaultRole));
    q.addBindValue(locked ? 1 : 0);
    q.addBindValue(room);
    if (!q.exec())
        return failQuery(u"cannot store the room's controls"_s, q.lastError());
    return true;
}

bool Store::begin()
{
    if (!usable())
        return fail(u"cannot begin"_s, m_lost ? u"the database is not reachable"_s : u"the database is closed"_s);
    if (!syncAgain())
        return false;
    return beginTransaction();
}

bool Store::beginUnsynced()
{
    if (!usable())
        return fail(u"cannot begin"_s, m_lost ? u"the database is not reachable"_s : u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (const QString before = m_dialect->unsyncedBefore(); !before.isEmpty()) {
        m_unsynced = true; // until syncAgain() has worked
        if (!q.exec(before))
            return fail(u"cannot begin a transaction"_s, q.lastError().text());
    }
    if (!beginTransaction())
        return false;
    if (const QString inside = m_dialect->unsyncedInside(); !inside.isEmpty() && !q.exec(inside)) {
        const QString error = q.lastError().text();
        q = QSqlQuery();
        rollback();
        return fail(u"cannot begin a transaction"_s, error);
    }
    return true;
}

bool Store::syncAgain()
{
    if (!m_unsynced)
        return true;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(m_dialect->syncedAgain()))
        return fail(u"cannot sync commits again"_s, q.lastError().text());
    m_unsynced = false;
    return true;
}

bool Store::commitsAreSynced()
{
    if (!usable())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    return m_dialect->readsSynced(q);
}

bool Store::beginTransaction()
{
    m_conflict = false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(m_dialect->beginStatement()))
        return fail(u"cannot begin a transaction"_s, q.lastError().text());
    m_inTransaction = true;
    return true;
}

bool Store::commit()
{
    if (!m_inTransaction || m_lost) {
        m_inTransaction = false;
        return fail(u"cannot commit"_s, u"the transaction was lost with the connection"_s);
    }
    if (!flushRows())
        return false;
    m_inTransaction = false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(u"COMMIT"_s))
        return failQuery(u"cannot commit"_s, q.lastError());
    if (m_checkpointer)
        m_checkpointer->wrote();
    return syncAgain();
}

void Store::rollback()
{
    m_inTransaction = false;
    m_opRows.clear();
    m_chatRows.clear();
    if (!isOpen())
        return;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.exec(u"ROLLBACK"_s);
    q = QSqlQuery();
    syncAgain();
}

bool Store::insertOp(qint64 room, const proto::Op &op, const QByteArray &body)
{
    if (!m_inTransaction)
        return fail(u"cannot store op"_s, u"not within a transaction"_s);
    const QVariant recipient = nullableText(op.kind == proto::OpKind::Direct ? op.target : QString());
    m_opRows.append(QVariantList {room, qint64(op.seq), op.client, qint64(op.cseq), op.time, op.author,
                                  proto::opKindName(op.kind), body, recipient});
    if (proto::isMessageOp(op.kind))
        m_chatRows.append(QVariantList {room, qint64(op.seq), body, op.client, recipient});
    return m_opRows.size() < kOpRowsPerInsert[0] * 4 || flushRows();
}

bool Store::flushRows()
{
    if (m_opRows.isEmpty() && m_chatRows.isEmpty())
        return true;
    const QList<QVariantList> ops = std::exchange(m_opRows, {});
    const QList<QVariantList> chat = std::exchange(m_chatRows, {});
    qsizetype next = 0;
    while (next < ops.size()) {
        // The largest statement that fits what is left (the last one is a single row).
        size_t i = 0;
        while (kOpRowsPerInsert[i] > ops.size() - next)
            ++i;
        QSqlQuery &q = m_queries->insertOps[i];
        int column = 0;
        for (int row = 0; row < kOpRowsPerInsert[i]; ++row) {
            for (const QVariant &value : ops.at(next + row))
                q.bindValue(column++, value);
        }
        if (!q.exec())
            return failQuery(u"cannot store op"_s, q.lastError());
        next += kOpRowsPerInsert[i];
    }
    QSqlQuery &c = m_queries->insertChat;
    for (const QVariantList &row : chat) {
        for (int column = 0; column < row.size(); ++column)
            c.bindValue(column, row.at(column));
        if (!c.exec())
            return failQuery(u"cannot store chat"_s, c.lastError());
    }
    return true;
}

bool Store::upsertClient(qint64 room, const QString &client, const ClientRecord &record)
{
    if (!flushRows())
        return false;
    QSqlQuery &q = m_queries->upsertClient;
    q.bindValue(0, room);
    q.bindValue(1, client);
    q.bindValue(2, qint64(record.maxCseq));
    q.bindValue(3, qint64(record.maxSeq));
    q.bindValue(4, qint64(record.maxItem));
    q.bindValue(5, roleValue(record.role));
    q.bindValue(6, record.banned ? 1 : 0);
    if (!q.exec())
        return failQuery(u"cannot store client"_s, q.lastError());
    return true;
}

bool Store::claimHead(qint64 room, quint64 head)
{
    if (!m_dialect || !m_dialect->isShared())
        return true;
    if (!flushRows())
        return false;
    QSqlQuery &q = m_queries->claimHead;
    q.bindValue(0, room);
    q.bindValue(1, qint64(head));
    if (!q.exec())
        return failQuery(u"cannot claim the room's head"_s, q.lastError());
    if (q.numRowsAffected() != 1) {
        m_conflict = true;
        return fail(u"cannot claim the room's head"_s, u"another server committed to room %1 first"_s.arg(room));
    }
    return true;
}

bool Store::setHead(qint64 room, quint64 head)
{
    if (!flushRows())
        return false;
    QSqlQuery &q = m_queries->setHead;
    q.bindValue(0, qint64(head));
    q.bindValue(1, room);
    if (!q.exec())
        return failQuery(u"cannot store head"_s, q.lastError());
    if (m_dialect->isShared()) {
        QSqlQuery &notify = m_queries->notifyHead;
        notify.bindValue(0, u"%1 %2"_s.arg(room).arg(head));
        if (!notify.exec())
            return failQuery(u"cannot announce the room's head"_s, notify.lastError());
        notify.finish();
    }
    return true;
}

} // namespace inkroom::server
