#include "catchup.h"

namespace inkroom::client {

void CatchUp::hello(std::optional<quint64> resumeSeq)
{
    m_stats = {};
    m_stats.resumed = resumeSeq.has_value();
    m_stats.resumeSeq = resumeSeq.value_or(0);
}

void CatchUp::begin(const proto::Welcome &welcome)
{
    m_active = true;
    m_snapshotMode = welcome.snapshot;
    m_pending = false;
    m_chunks = 0;
    m_board = {};
    m_stats.snapshot = welcome.snapshot;
    m_stats.head = welcome.head;
}

void CatchUp::add(const proto::Snapshot &snapshot)
{
    if (!m_active || !m_snapshotMode)
        return;
    m_pending = true;
    ++m_chunks;
    m_board.seq = snapshot.seq;
    m_board.items.append(snapshot.items);
    m_stats.snapshotItems += int(snapshot.items.size());
}

std::optional<CatchUp::Board> CatchUp::beforeOp(quint64 seq)
{
    if (m_active)
        ++m_stats.ops;
    if (m_pending && seq > m_board.seq)
        return take();
    return std::nullopt;
}

std::optional<CatchUp::Board> CatchUp::finish(const proto::Synced &synced)
{
    if (!m_active)
        return std::nullopt;
    if (m_snapshotMode && m_chunks == 0) {
        // Snapshot mode with no chunks: the board is empty at head.
        m_pending = true;
        m_board.seq = synced.head;
    }
    m_active = false;
    m_stats.head = synced.head;
    return take();
}

void CatchUp::abort()
{
    m_active = false;
    m_pending = false;
    m_board = {};
}

std::optional<CatchUp::Board> CatchUp::take()
{
    if (!m_pending)
        return std::nullopt;
    m_pending = false;
    return std::exchange(m_board, {});
}

} // namespace inkroom::client
