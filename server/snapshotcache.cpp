#include "snapshotcache.h"

#include "board.h"
#include "opbytes.h"
#include "protocollimits.h"

namespace inkroom::server {

namespace {

//! A snapshot chunk is closed before its size passes this, far below MaxServerMessageBytes.
constexpr qint64 kChunkBudgetBytes = 4 * 1024 * 1024;

} // namespace

void SnapshotCache::reset(const Board &board)
{
    m_chunks.clear();
    m_valid = false;
    m_itemJson.clear();
    m_itemBytes.clear();
    m_bytes = 0;
    for (const proto::Item &item : board.items())
        encode(item);
}

void SnapshotCache::changed(const BoardChange &change, const Board &board, bool encodeNow, const QByteArray &itemOp)
{
    // The chunks are rebuilt at the next join or compaction; until then they would only hold memory.
    m_valid = false;
    m_chunks.clear();
    if (change.cleared) {
        m_itemJson.clear();
        m_itemBytes.clear();
        m_bytes = 0;
    }
    for (const QString &id : change.removed)
        forget(id);
    // An add or update changes its one item: the op's bytes hold it, all but its z.
    const bool fromOp = !itemOp.isEmpty() && change.added.size() + change.updated.size() == 1;
    for (const QStringList *ids : {&change.added, &change.updated}) {
        for (const QString &id : *ids) {
            const proto::Item *item = board.item(id);
            if (!item) {
                forget(id);
            } else if (encodeNow) {
                const QByteArray json = fromOp ? proto::snapshotItemFromOp(itemOp, item->z) : QByteArray();
                if (json.isEmpty())
                    encode(*item);
                else
                    keep(id, json);
            } else {
                m_itemJson.remove(id);
            }
        }
    }
}

void SnapshotCache::forget(const QString &id)
{
    m_itemJson.remove(id);
    m_bytes -= m_itemBytes.take(id);
}

void SnapshotCache::encode(const proto::Item &item)
{
    // The encoder's own bytes for the item: those of a one-item snapshot, {"items":[<item>],"seq":...}.
    const QByteArray one = proto::encode(proto::Snapshot {0, {item}});
    const qsizetype begin = one.indexOf('[') + 1;
    const qsizetype end = one.lastIndexOf("],\"seq\":");
    keep(item.id, one.mid(begin, end - begin));
}

void SnapshotCache::keep(const QString &id, const QByteArray &json)
{
    m_bytes += json.size() - m_itemBytes.value(id);
    m_itemBytes.insert(id, json.size());
    m_itemJson.insert(id, json);
}

const QList<QByteArray> &SnapshotCache::chunks(const Board &board)
{
    if (m_valid && m_seq == board.seq())
        return m_chunks;
    m_chunks.clear();
    // Chunks are the encoder's envelope, {"items":[],"seq":<seq>,"type":"snapshot"}, around the items' cached
    // encodings: byte for byte what encoding the whole chunk gives, at the cost of a copy.
    const QByteArray envelope = proto::encode(proto::Snapshot {board.seq(), {}});
    const qsizetype open = envelope.indexOf('[') + 1;
    const QByteArrayView head(envelope.constData(), open);
    const QByteArrayView tail(envelope.constData() + open, envelope.size() - open);
    QByteArray chunk;
    qsizetype count = 0;
    qint64 size = 0;
    const auto close = [&] {
        if (count == 0)
            chunk.append(head);
        chunk.append(tail);
        m_chunks.append(std::exchange(chunk, {}));
        count = 0;
        size = 0;
    };
    for (const proto::Item &item : board.orderedItems()) {
        if (!m_itemJson.contains(item.id))
            encode(item);
        const QByteArray json = m_itemJson.value(item.id);
        if (count >= limits::MaxItemsPerSnapshotChunk || (count > 0 && size + json.size() > kChunkBudgetBytes))
            close();
        size += json.size() + 1;
        chunk.append(count == 0 ? head : QByteArrayView(","));
        chunk.append(json);
        ++count;
    }
    if (count > 0 || m_chunks.isEmpty())
        close();
    m_seq = board.seq();
    m_valid = true;
    return m_chunks;
}

} // namespace inkroom::server
