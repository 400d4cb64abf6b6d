#include "rollback.h"

#include "board.h"
#include "protocollimits.h"
#include "store.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::Op;
using proto::OpKind;

bool decodeSnapshotBlob(const QByteArray &blob, QList<proto::Item> *items)
{
    for (const QByteArray &chunk : blob.split('\n')) {
        if (chunk.isEmpty())
            continue;
        const proto::DecodeResult decoded = proto::decode(chunk, limits::MaxServerMessageBytes);
        if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Snapshot)
            return false;
        *items += std::get<proto::Snapshot>(decoded.message()).items;
    }
    return true;
}

namespace {

//! A client's own changes to the board: what a rollback of that client undoes (not others' rollbacks it sent).
bool isUndoable(OpKind kind)
{
    return proto::isBoardOp(kind) && kind != OpKind::Rollback;
}

} // namespace

std::optional<RollbackEffect> computeRollback(Store &store, const QString &roomName, qint64 roomId,
                                              const QString &target, int count, QString *error)
{
    bool ok = false;
    const std::optional<RoomRecord> record = store.findRoom(roomName, &ok);
    if (!ok || !record) {
        *error = ok ? u"the room is not stored"_s : store.lastError();
        return std::nullopt;
    }
    QList<proto::Item> items;
    if (!decodeSnapshotBlob(record->snapshot, &items)) {
        *error = u"the stored snapshot does not decode"_s;
        return std::nullopt;
    }

    QList<Op> ops;
    // Per client, the seqs of its board ops no rollback has undone yet, oldest first.
    QHash<QString, QList<quint64>> live;
    const bool read = store.visitLogAfter(roomId, record->snapshotSeq, [&](const LoggedOp &logged) {
        const proto::DecodeResult decoded = proto::decode(logged.body, limits::MaxServerMessageBytes);
        if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Op)
            return true;
        Op op = std::get<Op>(decoded.message());
        op.seq = logged.seq;
        if (isUndoable(op.kind)) {
            live[op.client].append(op.seq);
        } else if (op.kind == OpKind::Rollback) {
            QList<quint64> &seqs = live[op.target];
            seqs.remove(std::max<qsizetype>(0, seqs.size() - op.count), std::min<qsizetype>(seqs.size(), op.count));
        }
        if (proto::isBoardOp(op.kind))
            ops.append(std::move(op));
        return true;
    });
    if (!read) {
        *error = store.lastError();
        return std::nullopt;
    }

    const QList<quint64> &seqs = live[target];
    const QSet<quint64> skipped(seqs.end() - std::min<qsizetype>(seqs.size(), count), seqs.end());
    Board asLogged;
    Board without;
    asLogged.reset(record->snapshotSeq, items);
    without.reset(record->snapshotSeq, items);
    for (const Op &op : std::as_const(ops)) {
        asLogged.apply(op);
        if (!skipped.contains(op.seq))
            without.apply(op);
    }

    RollbackEffect effect;
    effect.undone = int(skipped.size());
    for (auto it = asLogged.items().cbegin(); it != asLogged.items().cend(); ++it) {
        if (!without.contains(it.key()))
            effect.ids.append(it.key());
    }
    for (const proto::Item &item : without.orderedItems()) {
        const proto::Item *now = asLogged.item(item.id);
        if (!now || !(*now == item))
            effect.items.append(item);
    }
    std::sort(effect.ids.begin(), effect.ids.end());
    return effect;
}

} // namespace inkroom::server
