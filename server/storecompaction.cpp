// The compaction part of Store: snapshot pieces, the switch to a new snapshot, and trimming what it replaced.
#include "store.h"

#include "storedialect.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

bool Store::writeSnapshotPiece(qint64 room, quint64 seq, int n, const QByteArray &piece)
{
    if (!beginUnsynced())
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
        q.prepare(u"INSERT INTO snapshot_pieces (room, seq, n, body) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (room, seq, n) DO UPDATE SET body = excluded.body"_s);
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

bool Store::holdCompaction(qint64 room, bool *held)
{
    *held = false;
    if (!m_dialect || m_dialect->compactionLockStatement().isEmpty()) {
        *held = true;
        return true;
    }
    if (!usable())
        return fail(u"cannot compact"_s, u"the database is not reachable"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(m_dialect->compactionLockStatement());
    q.addBindValue(room);
    if (!q.exec() || !q.next())
        return fail(u"cannot take the room's compaction hold"_s, q.lastError().text());
    *held = q.value(0).toBool();
    return true;
}

void Store::releaseCompaction(qint64 room)
{
    if (!m_dialect || m_dialect->compactionUnlockStatement().isEmpty() || !isOpen())
        return;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(m_dialect->compactionUnlockStatement());
    q.addBindValue(room);
    q.exec();
}

bool Store::switchSnapshot(qint64 room, quint64 snapshotSeq, quint64 logStart, int chatKeep)
{
    if (!begin())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // Never back to an older snapshot: on a shared database another server may have compacted further meanwhile (and
    // its trimming deletes the pieces of older snapshots).
    q.prepare(u"UPDATE rooms SET snapshot_seq = ?, log_start = ? WHERE id = ? AND snapshot_seq <= ?"_s);
    q.addBindValue(qint64(snapshotSeq));
    q.addBindValue(qint64(logStart));
    q.addBindValue(room);
    q.addBindValue(qint64(snapshotSeq));
    bool ok = q.exec();
    if (ok && q.numRowsAffected() != 1) {
        q = QSqlQuery();
        rollback();
        return fail(u"cannot switch to the new snapshot"_s,
                    u"room %1 has a newer snapshot already (another server compacted it)"_s.arg(room));
    }
    if (ok) {
        q.prepare(u"DELETE FROM chat WHERE room = ? AND seq < (SELECT COALESCE(MIN(seq), 0) FROM "
                  "(SELECT seq FROM chat WHERE room = ? ORDER BY seq DESC LIMIT ?) AS kept)"_s);
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
    if (!beginUnsynced())
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
    if (!usable()) {
        fail(u"cannot read the log"_s, u"the database is not open"_s);
        return std::nullopt;
    }
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
