// Store::seedRoom(): a room taken over from another server, written in one transaction.
#include "store.h"
#include "textrules.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

//! The board's items as Snapshot messages of at most MaxItemsPerSnapshotChunk items (at least one, perhaps empty).
QList<QByteArray> snapshotChunks(quint64 seq, const QList<proto::Item> &items)
{
    QList<QByteArray> chunks;
    for (qsizetype from = 0; from < items.size() || chunks.isEmpty(); from += limits::MaxItemsPerSnapshotChunk)
        chunks.append(proto::encode(proto::Snapshot {seq, items.mid(from, limits::MaxItemsPerSnapshotChunk)}));
    return chunks;
}

} // namespace

bool Store::seedRoom(const proto::RoomSeed &seed, QString *error)
{
    const auto failed = [this, error](const QString &what, const QString &why) {
        rollback();
        fail(what, why);
        *error = u"%1: %2"_s.arg(what, why);
        return false;
    };
    bool ok = false;
    const std::optional<RoomRecord> existing = findRoom(seed.room, &ok);
    if (!ok) {
        *error = lastError();
        return false;
    }
    // Only an older copy of the same room (the same epoch) may be replaced: another room of that name never is.
    if (existing && existing->epoch != seed.epoch) {
        *error = u"another room named '%1' is stored here"_s.arg(existing->name);
        return false;
    }
    if (!begin()) {
        *error = lastError();
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    const auto exec = [&q](const QString &sql, const QVariantList &values) {
        q.prepare(sql);
        for (const QVariant &value : values)
            q.addBindValue(value);
        return q.exec();
    };
    if (existing) {
        for (const QString &table :
             {u"ops"_s, u"chat"_s, u"clients"_s, u"snapshot_pieces"_s, u"blobs"_s, u"blob_parts"_s}) {
            if (!exec(u"DELETE FROM %1 WHERE room = ?"_s.arg(table), {existing->id}))
                return failed(u"cannot replace the older copy"_s, q.lastError().text());
        }
        if (!exec(u"DELETE FROM rooms WHERE id = ?"_s, {existing->id}))
            return failed(u"cannot replace the older copy"_s, q.lastError().text());
    }
    const QVariant noBytes {QMetaType(QMetaType::QByteArray)};
    const quint64 snapshotSeq = seed.head;
    if (!exec(
            u"INSERT INTO rooms (name, epoch, created, pw_salt, pw_hash, pw_iterations, name_key, head, snapshot_seq, "
            "log_start, default_role, locked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
            {seed.room, seed.epoch, QDateTime::currentMSecsSinceEpoch(),
             seed.passwordSalt.isEmpty() ? noBytes : QVariant(seed.passwordSalt),
             seed.passwordHash.isEmpty() ? noBytes : QVariant(seed.passwordHash), seed.passwordIterations,
             text::roomKey(seed.room), qint64(seed.head), qint64(snapshotSeq), qint64(seed.head),
             proto::roleName(seed.defaultRole), seed.locked ? 1 : 0})
        || !q.next()) {
        return failed(u"cannot store the room taken over"_s, q.lastError().text());
    }
    const qint64 room = q.value(0).toLongLong();
    q.finish();
    if (snapshotSeq > 0) {
        const QList<QByteArray> chunks = snapshotChunks(snapshotSeq, seed.items);
        for (qsizetype n = 0; n < chunks.size(); ++n) {
            const QByteArray piece = n ? "\n" + chunks.at(n) : chunks.at(n);
            if (!exec(u"INSERT INTO snapshot_pieces (room, seq, n, body) VALUES (?, ?, ?, ?)"_s,
                      {room, qint64(snapshotSeq), qint64(n), piece}))
                return failed(u"cannot store the board taken over"_s, q.lastError().text());
        }
    }
    for (const proto::Op &op : seed.chat) {
        if (!exec(
                u"INSERT INTO chat (room, seq, body, sender, recipient) VALUES (?, ?, ?, ?, ?) ON CONFLICT (room, seq) "
                "DO UPDATE SET body = excluded.body, sender = excluded.sender, recipient = excluded.recipient"_s,
                {room, qint64(op.seq), proto::encode(op), op.client,
                 op.kind == proto::OpKind::Direct ? QVariant(op.target) : QVariant(QMetaType(QMetaType::QString))}))
            return failed(u"cannot store the chat taken over"_s, q.lastError().text());
    }
    for (const proto::ReplicaClient &client : seed.clients) {
        if (!exec(u"INSERT INTO clients (room, client, max_cseq, max_seq, max_item, secret_hash, role, banned) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                  {room, client.client, qint64(client.cseq), qint64(client.seq), qint64(client.item),
                   client.secret.isEmpty() ? noBytes : QVariant(client.secret),
                   client.role ? QVariant(proto::roleName(*client.role)) : QVariant(QMetaType(QMetaType::QString)),
                   client.banned ? 1 : 0}))
            return failed(u"cannot store the room's people taken over"_s, q.lastError().text());
    }
    q = QSqlQuery();
    if (!commit()) {
        *error = lastError();
        rollback();
        return false;
    }
    return true;
}

} // namespace inkroom::server
