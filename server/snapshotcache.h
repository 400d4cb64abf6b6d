#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace inkroom {
class Board;
struct BoardChange;
} // namespace inkroom

namespace inkroom::server {

/** @brief A board as snapshot chunks, the way late joiners and compaction send and store it, encoded once.
 *
 * Each item's encoding is kept until the item changes, and the chunks until the board does: a late joiner or a
 * compaction copies bytes instead of encoding the whole board again.
 */
class SnapshotCache
{
public:
    //! The board changed (one op applied): forget what it touched.
    void changed(const BoardChange &change);
    /** The board at its seq, bottom to top, in chunks of at most MaxItemsPerSnapshotChunk items and about 4 MB;
     *  always at least one chunk, perhaps empty. */
    [[nodiscard]] const QList<QByteArray> &chunks(const Board &board);

private:
    [[nodiscard]] const QByteArray &itemJson(const proto::Item &item);

    QList<QByteArray> m_chunks;
    quint64 m_seq = 0;
    bool m_valid = false;
    QHash<QString, QByteArray> m_itemJson; //!< each item as encoded in a snapshot (with z)
};

} // namespace inkroom::server
