#pragma once

#include "protocol.h"

#include <optional>

namespace inkroom::client {

/** @brief The catch-up after a welcome: the snapshot chunks (or the missed ops), until synced.
 *
 * Snapshot chunks are gathered and handed out as one board once the catch-up moves past them: at the first op after
 * the snapshot's seq (the recent chat that follows a snapshot), or at synced. A snapshot mode welcome followed by
 * no chunk at all means the board is empty at head.
 */
class CatchUp
{
public:
    //! What the last catch-up carried (tests and diagnostics).
    struct Stats
    {
        bool resumed = false; //!< hello carried a resume point
        quint64 resumeSeq = 0;
        bool snapshot = false;
        int snapshotItems = 0;
        int ops = 0; //!< op messages in the catch-up
        quint64 head = 0;
    };
    //! A board to replace the confirmed one with.
    struct Board
    {
        quint64 seq = 0;
        QList<proto::Item> items;
    };

    //! The hello asked to resume from seq (or not).
    void hello(std::optional<quint64> resumeSeq);
    void begin(const proto::Welcome &welcome);
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] const Stats &stats() const { return m_stats; }

    void add(const proto::Snapshot &snapshot);
    //! An op of the catch-up at seq: the snapshot, when one is gathered below it, is due first.
    std::optional<Board> beforeOp(quint64 seq);
    //! The catch-up is over: the snapshot still due, if any.
    std::optional<Board> finish(const proto::Synced &synced);
    //! The link went away in the middle.
    void abort();

private:
    std::optional<Board> take();

    bool m_active = false;
    bool m_snapshotMode = false;
    bool m_pending = false;
    int m_chunks = 0;
    Board m_board;
    Stats m_stats;
};

} // namespace inkroom::client
