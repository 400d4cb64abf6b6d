// The reading part of Store: rooms, their log, snapshot, chat and clients.
#include "store.h"

#include "storedialect.h"
#include "textrules.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace inkroom::server {

std::optional<RoomRecord> Store::findRoom(const QString &name, bool *ok)
{
    return findRoom(name, ok, true);
}

std::optional<RoomRecord> Store::findRoomOnce(const QString &name, bool *ok)
{
    return findRoom(name, ok, false);
}

std::optional<RoomRecord> Store::findRoom(const QString &name, bool *ok, bool mayRetry)
{
    *ok = false;
    if (!usable())
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
        scan.prepare(m_dialect->unindexedRoomCount());
        scan.bindValue(u":name"_s, name);
        scan.bindValue(u":key"_s, key);
        if (!scan.exec() || !scan.next()) {
            fail(u"cannot read room"_s, scan.lastError().text());
            return std::nullopt;
        }
        if (scan.value(0).toLongLong() > 0 && mayRetry && m_dialect->isShared() && !m_inTransaction) {
            // Another server created it between the two reads (a shared database): read it as it is now.
            scan.finish();
            return findRoomOnce(name, ok);
        }
        if (scan.value(0).toLongLong() > 0) {
            fail(u"the database is damaged"_s,
                 u"room '%1' is in the rooms table but missing from its name index; it is not served. Run "
                 "'inkroom-server --check'. %2"_s.arg(name, m_dialect->recoveryAdvice()));
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
                            m_dialect->recoveryAdvice()));
        }
        out->append(q.value(1).toByteArray());
    }
    if (expected == 0) {
        return fail(u"the database is damaged"_s,
                    u"room %1 has no snapshot at seq %2. %3"_s.arg(room).arg(seq).arg(m_dialect->recoveryAdvice()));
    }
    return true;
}

std::optional<QString> Store::storedRoomName(const QString &name, bool *ok)
{
    *ok = false;
    if (!usable())
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
    if (!usable())
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

bool Store::visitOpsAfter(qint64 room, quint64 after, const std::function<bool(quint64, const QByteArray &)> &visit)
{
    if (!usable())
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
    if (!usable())
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

bool Store::snapshotPosition(qint64 room, quint64 *snapshotSeq, quint64 *logStart)
{
    if (!usable())
        return fail(u"cannot read the snapshot"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT snapshot_seq, log_start FROM rooms WHERE id = ?"_s);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot read the snapshot"_s, q.lastError().text());
    if (!q.next())
        return fail(u"cannot read the snapshot"_s, u"room %1 is not stored"_s.arg(room));
    *snapshotSeq = q.value(0).toULongLong();
    *logStart = q.value(1).toULongLong();
    return true;
}

bool Store::snapshotOf(qint64 room, quint64 *seq, QByteArray *snapshot)
{
    quint64 logStart = 0;
    if (!snapshotPosition(room, seq, &logStart))
        return false;
    snapshot->clear();
    return *seq == 0 || readSnapshot(room, *seq, snapshot);
}

bool Store::chatHistory(qint64 room, int count, QList<ChatRecord> *out)
{
    out->clear();
    if (count <= 0)
        return usable();
    if (!usable())
        return false;
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
    if (!usable())
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
    if (!usable())
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

} // namespace inkroom::server
