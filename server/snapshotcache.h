#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>

namespace inkroom {
class Board;
struct BoardChange;
} // namespace inkroom

namespace inkroom::server {

/** @brief A board's snapshot as a compaction stores it, its chunks joined by newlines, made a piece at a time.
 *
 * Built from the items' encodings (shared with the SnapshotCache, not copied) and the chunks' envelope, with the
 * chunks cut where SnapshotCache::chunks() cuts them: the bytes are those chunks joined by '\n', but no chunk is ever
 * made, so a compaction does not copy the whole board in one turn (measured: up to 15 ms for a 64 MB board), and
 * does not hold a second copy of it while it writes.
 */
class SnapshotStream
{
public:
    SnapshotStream() = default;
    SnapshotStream(const SnapshotStream &) = delete; // its parts point into its own members: moved, never copied
    SnapshotStream &operator=(const SnapshotStream &) = delete;
    SnapshotStream(SnapshotStream &&) = default;
    SnapshotStream &operator=(SnapshotStream &&) = default;
    //! items: each item's encoding, bottom to top; envelope: an empty chunk of the board's seq ({"items":[],...}).
    SnapshotStream(QList<QByteArray> items, const QByteArray &envelope);
    //! Every byte the stream gives.
    [[nodiscard]] qint64 total() const { return m_total; }
    [[nodiscard]] bool atEnd() const { return m_part >= m_parts.size(); }
    //! The next bytes, at most maxBytes of them (fewer only at the end).
    [[nodiscard]] QByteArray next(qsizetype maxBytes);
    //! Each chunk as a message of its own (the newlines left out), whatever next() has given.
    [[nodiscard]] QList<QByteArray> chunks() const;

private:
    QList<QByteArray> m_items; //!< kept alive: m_parts points into them
    QByteArray m_envelope;
    QList<QByteArrayView> m_parts; //!< in order: each chunk's head, items and commas, tail; a newline between chunks
    qint64 m_total = 0;
    qsizetype m_part = 0;
    qsizetype m_offset = 0;
};

/** @brief A board as the bytes it is sent and stored as: each item encoded once, the snapshot chunks, and the size.
 *
 * Each item's encoding is kept until the item changes, and the chunks until the board does: a late joiner or a
 * compaction copies bytes instead of encoding the whole board again. bytes() is the board's encoded size (the sum of
 * its items' encodings), which the room's board budget is counted in; so what this keeps is proportional to what is
 * on the board, never to its history.
 */
class SnapshotCache
{
public:
    //! Encode every item of board (a room just loaded).
    void reset(const Board &board);
    /** The board changed (one op applied). Added and updated items are encoded now when encodeNow (their size
     *  counts at once); otherwise (a move) their old size stands until the next chunks(). itemOp: the encoded add or
     *  update that made the change (empty: another op), whose item is taken as it is instead of encoded again (a
     *  10,000-point stroke would cost as much again as encoding the op did). */
    void changed(const BoardChange &change, const Board &board, bool encodeNow, const QByteArray &itemOp = {});
    //! The board's encoded size: every item as a snapshot carries it.
    [[nodiscard]] qint64 bytes() const { return m_bytes; }
    //! The encoded size of the item with this id (0: not on the board).
    [[nodiscard]] qint64 bytesOf(const QString &id) const { return m_itemBytes.value(id); }
    /** The board at its seq, bottom to top, in chunks of at most MaxItemsPerSnapshotChunk items and about 4 MB;
     *  always at least one chunk, perhaps empty. Cut as stream() cuts them (made from it). */
    [[nodiscard]] const QList<QByteArray> &chunks(const Board &board);
    //! The same chunks joined by newlines, as a stream that makes its bytes when they are asked for.
    [[nodiscard]] SnapshotStream stream(const Board &board);

private:
    //! Each item's encoding, bottom to top (items not encoded yet are encoded now).
    [[nodiscard]] QList<QByteArray> orderedEncodings(const Board &board);
    void encode(const proto::Item &item);
    //! Keep json as the item's encoding.
    void keep(const QString &id, const QByteArray &json);
    void forget(const QString &id);

    QList<QByteArray> m_chunks;
    quint64 m_seq = 0;
    bool m_valid = false;
    QHash<QString, QByteArray> m_itemJson; //!< each item as encoded in a snapshot (with z); missing: stale
    QHash<QString, qint64> m_itemBytes; //!< the size of each item's encoding (the last one made)
    qint64 m_bytes = 0;
};

} // namespace inkroom::server
