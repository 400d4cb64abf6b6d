#include "snapshotcache.h"

#include "board.h"
#include "opbytes.h"
#include "protocollimits.h"

namespace inkroom::server {

namespace {

//! A snapshot chunk is closed before its size passes this, far below MaxServerMessageBytes.
constexpr qint64 kChunkBudgetBytes = 4 * 1024 * 1024;
//! The bytes between two items of a chunk, and between two chunks of a stored snapshot (a stream's parts point here).
constexpr char kComma = ',';
constexpr char kNewline = '\n';

//! Whether a chunk holding count items of size bytes so far ends before an item of itemBytes.
bool endsChunk(qsizetype count, qint64 size, qsizetype itemBytes)
{
    return count >= limits::MaxItemsPerSnapshotChunk || (count > 0 && size + itemBytes > kChunkBudgetBytes);
}

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

QList<QByteArray> SnapshotCache::orderedEncodings(const Board &board)
{
    QList<QByteArray> encodings;
    encodings.reserve(board.size());
    for (const proto::Item &item : board.orderedItems()) {
        if (!m_itemJson.contains(item.id))
            encode(item);
        encodings.append(m_itemJson.value(item.id));
    }
    return encodings;
}

const QList<QByteArray> &SnapshotCache::chunks(const Board &board)
{
    if (m_valid && m_seq == board.seq())
        return m_chunks;
    // Chunks are the encoder's envelope, {"items":[],"seq":<seq>,"type":"snapshot"}, around the items' cached
    // encodings: byte for byte what encoding the whole chunk gives, at the cost of a copy.
    m_chunks = stream(board).chunks();
    m_seq = board.seq();
    m_valid = true;
    return m_chunks;
}

SnapshotStream SnapshotCache::stream(const Board &board)
{
    return SnapshotStream(orderedEncodings(board), proto::encode(proto::Snapshot {board.seq(), {}}));
}

SnapshotStream::SnapshotStream(QList<QByteArray> items, const QByteArray &envelope)
    : m_items(std::move(items))
    , m_envelope(envelope)
{
    const qsizetype open = m_envelope.indexOf('[') + 1;
    const QByteArrayView head(m_envelope.constData(), open);
    const QByteArrayView tail(m_envelope.constData() + open, m_envelope.size() - open);
    // Each chunk: the envelope's head, the items with commas between them, the envelope's tail; a newline between
    // two chunks.
    m_parts.reserve(2 * m_items.size() + 3);
    qsizetype count = 0;
    qint64 size = 0;
    const auto close = [&] {
        if (count == 0)
            m_parts.append(head);
        m_parts.append(tail);
        count = 0;
        size = 0;
    };
    for (const QByteArray &json : std::as_const(m_items)) {
        if (endsChunk(count, size, json.size())) {
            close();
            m_parts.append(QByteArrayView(&kNewline, 1));
        }
        size += json.size() + 1;
        m_parts.append(count == 0 ? head : QByteArrayView(&kComma, 1));
        m_parts.append(json);
        ++count;
    }
    close(); // the last chunk, or the one empty chunk of an empty board
    for (const QByteArrayView part : std::as_const(m_parts))
        m_total += part.size();
}

QList<QByteArray> SnapshotStream::chunks() const
{
    QList<QByteArray> chunks;
    QByteArray chunk;
    for (const QByteArrayView part : std::as_const(m_parts)) {
        if (part.data() == &kNewline) {
            chunks.append(std::exchange(chunk, {}));
            continue;
        }
        chunk.append(part);
    }
    chunks.append(chunk);
    return chunks;
}

QByteArray SnapshotStream::next(qsizetype maxBytes)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(std::min<qint64>(maxBytes, m_total)));
    while (!atEnd() && bytes.size() < maxBytes) {
        const QByteArrayView part = m_parts.at(m_part);
        const qsizetype take = std::min(part.size() - m_offset, maxBytes - bytes.size());
        bytes.append(part.sliced(m_offset, take));
        m_offset += take;
        if (m_offset == part.size()) {
            ++m_part;
            m_offset = 0;
        }
    }
    return bytes;
}

} // namespace inkroom::server
