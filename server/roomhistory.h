#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace inkroom::server {

class Store;

/** @brief Pages through one room's history for its members (docs/PROTOCOL.md, "History").
 *
 * The history starts at the oldest board the log can be replayed from: the empty board while the log still holds
 * every op since the room was made, else the room's stored snapshot (read from the database when first asked for and
 * kept until a compaction replaces it). Then come the committed ops after it in seq order, read from the log; a direct
 * message is shown only to its sender and its target, and skipped for everybody else.
 */
class RoomHistory
{
public:
    //! Where the room's log stands now.
    struct Log
    {
        quint64 head = 0; //!< the last committed seq
        quint64 logStart = 0; //!< every op after it is in the log
        quint64 snapshotSeq = 0; //!< the stored snapshot is at this seq
    };

    RoomHistory(Store &store, qint64 roomId);

    /** The encoded history_page that answers asker's request: a part of the starting board, or the ops after
     *  request.after (at most request.limit of them, and no more than maxOpBytes of them unless one op is larger,
     *  scanning at most ten times the limit for ops the asker may not see). Refusals are pages with a code. */
    [[nodiscard]] QByteArray answer(const QString &asker, const proto::History &request, const Log &log,
                                    qint64 maxOpBytes);
    //! A compaction stored a new snapshot: the one kept here is no longer the history's start.
    void snapshotReplaced();

    //! A refusal page: code, why, and whether asking again later may work.
    [[nodiscard]] static QByteArray refusal(proto::ErrorCode code, const QString &message, bool retry, quint64 head);

private:
    [[nodiscard]] QByteArray startPart(const proto::History &request, proto::HistoryPage page);
    [[nodiscard]] QByteArray opsAfter(const QString &asker, const proto::History &request, const Log &log,
                                      proto::HistoryPage page, qint64 maxOpBytes);
    //! The stored snapshot's parts, read once per snapshot; false when the database could not be read.
    bool loadSnapshot(quint64 snapshotSeq);

    Store &m_store;
    const qint64 m_roomId;
    std::optional<quint64> m_snapshotSeq; //!< the seq of the snapshot in m_parts, when read
    QList<QByteArray> m_parts; //!< encoded Snapshot messages, as stored
};

} // namespace inkroom::server
