#include "snapshotcache.h"

#include "board.h"
#include "protocollimits.h"

namespace inkroom::server {

namespace {

//! A snapshot chunk is closed before its estimated size passes this, far below MaxServerMessageBytes.
constexpr qint64 kChunkBudgetBytes = 4 * 1024 * 1024;

//! A generous upper bound of an item's encoded size (a coordinate takes at most about 24 characters).
qint64 estimatedSize(const proto::Item &item)
{
    return 160 + qint64(item.text.size()) * 6 + qint64(item.points.size()) * 50;
}

} // namespace

void SnapshotCache::changed(const BoardChange &change)
{
    m_valid = false;
    if (change.cleared)
        m_itemJson.clear();
    for (const QStringList *ids : {&change.added, &change.updated, &change.removed}) {
        for (const QString &id : *ids)
            m_itemJson.remove(id);
    }
}

const QByteArray &SnapshotCache::itemJson(const proto::Item &item)
{
    auto it = m_itemJson.find(item.id);
    if (it == m_itemJson.end()) {
        // The encoder's own bytes for the item: those of a one-item snapshot, {"items":[<item>],"seq":...}.
        const QByteArray one = proto::encode(proto::Snapshot {0, {item}});
        const qsizetype begin = one.indexOf('[') + 1;
        const qsizetype end = one.lastIndexOf("],\"seq\":");
        it = m_itemJson.insert(item.id, one.mid(begin, end - begin));
    }
    return *it;
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
    qint64 estimate = 0;
    const auto close = [&] {
        if (count == 0)
            chunk.append(head);
        chunk.append(tail);
        m_chunks.append(std::exchange(chunk, {}));
        count = 0;
        estimate = 0;
    };
    for (const proto::Item &item : board.orderedItems()) {
        const qint64 size = estimatedSize(item);
        if (count >= limits::MaxItemsPerSnapshotChunk || (count > 0 && estimate + size > kChunkBudgetBytes))
            close();
        estimate += size;
        chunk.append(count == 0 ? head : QByteArrayView(","));
        chunk.append(itemJson(item));
        ++count;
    }
    if (count > 0 || m_chunks.isEmpty())
        close();
    m_seq = board.seq();
    m_valid = true;
    return m_chunks;
}

} // namespace inkroom::server
