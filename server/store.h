#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace inkroom::server {

//! One room as stored.
struct RoomRecord
{
    qint64 id = 0;
    QString name;
    QString epoch;
    QByteArray passwordSalt;
    QByteArray passwordHash;
    int passwordIterations = 0;
    quint64 head = 0; //!< the last committed seq
    quint64 snapshotSeq = 0; //!< the board snapshot is at this seq (0: empty board, no snapshot)
    QByteArray snapshot; //!< encoded Snapshot messages, one per line
    quint64 logStart = 0; //!< every op with seq > logStart is in the ops table
};

//! What the room remembers about one client id: its highest committed cseq and that op's seq.
struct ClientRecord
{
    quint64 maxCseq = 0;
    quint64 maxSeq = 0;
};

/** @brief The server's SQLite database (QtSql), one file, WAL with synchronous=FULL.
 *
 * Tables: rooms, ops (the log tail: every op after the room's logStart, with its encoded bytes), chat (the recent
 * chat of each room), clients (per room and client id, the highest committed cseq). Lives on the thread that opened
 * it; its connection name is unique, so several servers can run in one process.
 */
class Store
{
public:
    Store();
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    bool open(const QString &path, int busyTimeoutMs, QString *error);
    void close();
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] QString lastError() const { return m_lastError; }

    //! The room named so; nullopt with *ok true when there is none.
    std::optional<RoomRecord> findRoom(const QString &name, bool *ok);
    //! Insert a new room (in its own transaction); sets record->id.
    bool insertRoom(RoomRecord *record);
    //! Visit the bodies of ops with seq > after, in order; stops early when visit returns false.
    bool visitOpsAfter(qint64 room, quint64 after, const std::function<bool(quint64, const QByteArray &)> &visit);
    //! The newest count chat ops, oldest first.
    bool chatHistory(qint64 room, int count, QList<QByteArray> *out);
    bool clients(qint64 room, QHash<QString, ClientRecord> *out);
    //! The seq of the op this client sent as cseq, or 0 when it is not in the log.
    quint64 seqOf(qint64 room, const QString &client, quint64 cseq);

    // ---- a group commit: begin, any number of writes, commit (or rollback) ----
    bool begin();
    bool commit();
    void rollback();
    bool insertOp(qint64 room, const proto::Op &op, const QByteArray &body);
    bool upsertClient(qint64 room, const QString &client, const ClientRecord &record);
    bool setHead(qint64 room, quint64 head);

    /** Replace the room's snapshot, drop ops up to logStart, and keep only the newest chatKeep chat ops; one
     *  transaction of its own. */
    bool compact(qint64 room, quint64 snapshotSeq, const QByteArray &snapshot, quint64 logStart, int chatKeep);

private:
    struct Queries;
    bool fail(const QString &what, const QString &error);

    QString m_connectionName;
    std::unique_ptr<Queries> m_queries;
    QString m_lastError;
};

} // namespace inkroom::server
