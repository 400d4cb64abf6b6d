#pragma once

#include "board.h"
#include "passwordhash.h"
#include "protocol.h"
#include "serverconfig.h"
#include "store.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

namespace inkroom::server {

class Connection;

/** @brief One room: its members, its board, and its ordered log.
 *
 * Ops are stamped with the room's next seq when they arrive and wait in the pending batch; the Server commits the
 * batches of every room in one transaction (writePending(), then finishCommit()). Only then are they acknowledged,
 * broadcast and applied to the board, in seq order. Replies that must not overtake an op in flight (duplicate acks,
 * rejects) wait in the same batch.
 */
class Room
{
public:
    //! Load a stored room: the snapshot plus the ops after it. nullptr with *error empty: no such room.
    static std::unique_ptr<Room> load(Store &store, const QString &name, const ServerConfig &config, QString *error);
    //! Create and store a new room with a new random epoch.
    static std::unique_ptr<Room> create(Store &store, const QString &name, const password::Hash &password,
                                        const ServerConfig &config, QString *error);
    //! 16 random hex digits.
    [[nodiscard]] static QString newEpoch();

    [[nodiscard]] const QString &name() const { return m_record.name; }
    [[nodiscard]] const QString &epoch() const { return m_record.epoch; }
    [[nodiscard]] quint64 head() const { return m_head; }
    [[nodiscard]] quint64 logStart() const { return m_record.logStart; }
    [[nodiscard]] quint64 snapshotSeq() const { return m_record.snapshotSeq; }
    [[nodiscard]] const Board &board() const { return m_board; }

    // ---- password ----
    [[nodiscard]] bool hasPassword() const { return m_password.isSet(); }
    [[nodiscard]] const password::Hash &passwordHash() const { return m_password; }
    //! A password that already matched in this run is accepted without the slow hash (memory only).
    [[nodiscard]] bool isKnownPassword(const QString &password) const;
    void rememberPassword(const QString &password);

    // ---- members ----
    [[nodiscard]] const QList<Connection *> &members() const { return m_members; }
    [[nodiscard]] Connection *memberByClient(const QString &client) const;
    void addMember(Connection *connection);
    //! Remove and tell the others (presence left). False if it was not a member.
    bool removeMember(Connection *connection);
    //! A member changed its name, colour or typing: the members welcomes list are encoded again.
    void memberChanged() { m_membersJsonValid = false; }
    [[nodiscard]] bool isIdle() const { return m_members.isEmpty() && m_pending.isEmpty(); }
    //! How long the room has had nobody in it (0 while somebody is).
    [[nodiscard]] qint64 idleMs() const;

    //! Send to every member but except (reliable).
    void broadcast(const QByteArray &bytes, const Connection *except = nullptr);
    //! Send to every member but except, skipping those that are behind.
    void broadcastVolatile(const QByteArray &bytes, const Connection *except);

    // ---- durable ops ----
    //! Stamp and queue a client's op, or answer it (duplicate ack, reject) in order behind the ops in flight.
    void submit(Connection *sender, proto::Op op);
    //! Answer sender in order behind the ops in flight (reject of a malformed op, ...).
    void reply(Connection *sender, const QByteArray &bytes);
    [[nodiscard]] bool hasPending() const { return !m_pending.isEmpty(); }
    [[nodiscard]] qsizetype pendingOps() const { return m_pendingOps; }
    //! Write the pending ops inside the Server's open transaction.
    bool writePending(Store &store);
    //! After the transaction: acknowledge, broadcast and apply (committed), or reject with internal.
    void finishCommit(bool committed);
    [[nodiscard]] bool needsCompaction() const;
    //! Store a snapshot at head and trim the log to the retained tail.
    bool compact(Store &store);

    // ---- joining ----
    //! The highest committed cseq of this client.
    [[nodiscard]] quint64 ackedFor(const QString &client) const;
    /** Send welcome, the catch-up (the missed ops, or the snapshot and recent chat) and synced to a connection
     *  that is about to become a member. The pending batch must be empty. Returns whether it was a snapshot. */
    bool sendJoin(Connection *connection, const std::optional<proto::ResumePoint> &resume, Store &store);

private:
    Room(Store &store, RoomRecord record, const ServerConfig &config);

    struct ClientState
    {
        quint64 committedCseq = 0;
        quint64 committedSeq = 0;
        quint64 inflightCseq = 0; //!< the highest cseq committed or in the pending batch
        quint64 inflightSeq = 0;
    };
    struct Entry
    {
        enum class Kind {
            Op,
            Reply,
            DuplicateAck
        };
        Kind kind = Kind::Op;
        QPointer<Connection> sender;
        proto::Op op; //!< Op: the stamped op; DuplicateAck: cseq and the original's seq
        QByteArray bytes; //!< Op: the encoded op; Reply: the message
    };

    [[nodiscard]] quint64 seqOfCommitted(const QString &client, quint64 cseq) const;
    [[nodiscard]] const QList<QByteArray> &snapshotChunks();
    void sendNowOrQueue(Connection *sender, Entry entry);

    Store &m_store;
    const ServerConfig &m_config;
    RoomRecord m_record;
    password::Hash m_password;
    QSet<QByteArray> m_knownPasswords; //!< SHA-256 of salt + password that matched
    quint64 m_head = 0;
    quint64 m_nextSeq = 1;
    Board m_board;
    QList<QByteArray> m_chat; //!< encoded recent chat ops, oldest first
    QHash<QString, ClientState> m_clients;
    QList<Connection *> m_members;
    //! encodeMember() of every member, joined by commas, as welcomes list them (kept so a join does not encode
    //! the whole room again: opening a room of n members cost O(n^2) encodes).
    QByteArray m_membersJson;
    bool m_membersJsonValid = true;
    QElapsedTimer m_emptySince;

    QList<Entry> m_pending;
    qsizetype m_pendingOps = 0;

    //! The item count the board will have once the pending ops are applied (for the board limit).
    struct Projection
    {
        qsizetype size = 0;
        QSet<QString> added;
        QSet<QString> removed;
        bool cleared = false;
    };
    [[nodiscard]] bool projectedContains(const QString &id) const;
    void project(const proto::Op &op);
    Projection m_projection;

    QList<QByteArray> m_snapshotChunks;
    quint64 m_snapshotChunksSeq = 0;
    bool m_snapshotChunksValid = false;
    //! Each item as encoded in a snapshot (with z), kept until the item changes: a late joiner or a compaction
    //! copies these instead of encoding the whole board again.
    QHash<QString, QByteArray> m_itemJson;
    [[nodiscard]] const QByteArray &itemJson(const proto::Item &item);
};

} // namespace inkroom::server
