#pragma once

#include "board.h"
#include "boardmemory.h"
#include "passwordhash.h"
#include "protocol.h"
#include "roomblobs.h"
#include "roomclients.h"
#include "roomcontrols.h"
#include "roomhistory.h"
#include "roomstandby.h"
#include "serverconfig.h"
#include "snapshotcache.h"
#include "store.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace inkroom::server {

class Connection;
class NodePresence;

/** A room's snapshot being written a piece at a time (Room::compactStep()). Outside Room: clang cannot
 * default-construct a nested struct with member initialisers inside std::optional while the enclosing class is still
 * incomplete. */
struct RoomCompaction
{
    quint64 seq = 0;
    quint64 logStart = 0;
    SnapshotStream stream; //!< the board at seq, as its pieces are stored
    qint64 bytesAtStart = 0;
    int piece = 0;
};

/** @brief One room: its members, its board, and its ordered log.
 *
 * Ops are checked (docs/PROTOCOL.md, "Answers to ops" and "Item ids"), stamped with the room's next seq when they
 * arrive and wait in the pending batch; Rooms commits the batches of every room in one transaction (writePending(),
 * then finishCommit()). Only then are they acknowledged, broadcast and applied to the board, in seq order. Answers
 * that must not overtake an op in flight (duplicate acks, rejects) wait in the same batch.
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
    //! text::roomKey() of its name; empty for a room found by its exact name only (see Store::fillRoomKeys()).
    [[nodiscard]] const QString &nameKey() const { return m_record.nameKey; }
    [[nodiscard]] const QString &epoch() const { return m_record.epoch; }
    [[nodiscard]] quint64 head() const { return m_head; }
    [[nodiscard]] quint64 logStart() const { return m_record.logStart; }
    [[nodiscard]] quint64 snapshotSeq() const { return m_record.snapshotSeq; }
    [[nodiscard]] const Board &board() const { return m_board; }
    //! The room's images (blob uploads and fetches).
    [[nodiscard]] RoomBlobs &blobs() { return m_blobs; }

    // ---- password ----
    [[nodiscard]] bool hasPassword() const { return m_password.isSet(); }
    [[nodiscard]] const password::Hash &passwordHash() const { return m_password; }
    //! A password that already matched in this run is accepted without the slow hash (memory only).
    [[nodiscard]] bool isKnownPassword(const QString &password) const;
    void rememberPassword(const QString &password);

    // ---- members ----
    [[nodiscard]] const QList<Connection *> &members() const { return m_members; }
    //! Called after a member joined or left (the server tells whoever counts the people it serves).
    void setMembersChanged(std::function<void()> handler) { m_membersChanged = std::move(handler); }
    /** The name member is shown by: name itself, or "name (2)", "name (3)", ... when another member shows a name that
     *  looks the same (text::nameKey()) in the same colour, so two people are never shown as one. */
    [[nodiscard]] QString distinctName(const Connection *member, const QString &name, proto::Colour colour) const;
    [[nodiscard]] Connection *memberByClient(const QString &client) const;
    void addMember(Connection *connection);
    //! Remove and tell the others (presence left). False if it was not a member.
    bool removeMember(Connection *connection);
    //! A member changed its name, colour or typing: the members welcomes list are encoded again.
    void memberChanged() { m_membersJsonValid = false; }
    //! A member changed its name or colour: everybody is told (presence updated), on the other nodes too.
    void profileChanged(Connection *member);
    [[nodiscard]] bool isIdle() const
    {
        return m_members.isEmpty() && m_pending.isEmpty() && !m_compaction && !m_trimming;
    }
    //! How long the room has had nobody in it (0 while somebody is).
    [[nodiscard]] qint64 idleMs() const;

    //! Send to every member but except (reliable).
    void broadcast(const QByteArray &bytes, const Connection *except = nullptr);
    //! Send to every member but except, skipping those that are behind (and to the other servers: setLiveOut()).
    void broadcastVolatile(const QByteArray &bytes, const Connection *except);
    //! A shared store: live traffic of this room's members goes to the other servers too (LiveRelay::queue()).
    void setLiveOut(std::function<void(qint64, const QByteArray &)> out) { m_liveOut = std::move(out); }
    //! Live traffic another server's members sent: to every member here, skipping those that are behind.
    void deliverLive(const QByteArray &bytes);
    //! A shared store: who is in this room on the other servers, and whom this one has (nullptr: nobody else).
    void setNodePresence(NodePresence *presence) { m_nodes = presence; }
    /** Somebody in this room on another server appeared (before empty), changed, or left every other server (now
     *  empty): the members here are told, unless it is a member here too (then it is listed as that). */
    void remoteChanged(const std::optional<proto::Member> &before, const std::optional<proto::Member> &now);
    //! Members of this room on other servers who are not members here, nor except.
    [[nodiscard]] int remoteMemberCount(const QString &except) const;

    // ---- identity ----
    //! Is secretHash (SHA-256 of a hello's secret) the one this room keeps for client?
    [[nodiscard]] RoomClients::Identity identify(const QString &client, const QByteArray &secretHash) const
    {
        return m_clients.identify(client, secretHash);
    }
    /** A new client id whose row the Store has just registered (stored: what its row holds): known from now on with
     *  this secret. false when the row holds another secret (on a shared database another server registered the id
     *  first): nothing is kept then. */
    bool adoptClient(const QString &client, const QByteArray &secretHash, const ClientRecord &stored);

    // ---- roles and host controls ----
    [[nodiscard]] const RoomControls &controls() const { return m_controls; }
    /** An owner asks everybody to follow them (active) or lets them go: relayed to the others, and remembered (in
     *  memory) for members who join later until it is withdrawn or its owner leaves. */
    void setSummoner(Connection *owner, bool active);
    //! The client id everybody is asked to follow; empty: nobody.
    [[nodiscard]] const QString &summoner() const { return m_summoner; }
    //! A room nobody owns (new, or from a database before roles) gets client as its owner, on disk at once.
    bool claimOwnershipIfNone(const QString &client);

    // ---- several servers on one database (Store::isShared()) ----
    [[nodiscard]] qint64 id() const { return m_record.id; }
    enum class CatchUp {
        Done,
        Failed, //!< the database could not be read: try again later
        Gap //!< the ops after head are no longer in the log (compacted away): the room must be read again
    };
    /** Read the ops other servers committed after head, in seq order, and take them as if committed here: applied,
     *  counted for dedupe, roles and controls, and delivered to the members. The pending batch must be empty. */
    CatchUp catchUp();
    /** The transaction lost to another server's commit (Store::lastFailureWasConflict()): take the pending batch
     *  back, catch up, and order it again (an op another server already committed becomes a duplicate ack with its
     *  seq). On Failed or Gap the batch is left pending for finishCommit(false). */
    CatchUp reorder();

    // ---- durable ops ----
    /** Stamp and queue a client's op, or answer it (duplicate ack, reject) in order behind the ops in flight.
     *  unstamped: encode() of the op as received without seq, client, author and time (a DecodeLane worker's; empty:
     *  the op is encoded here). */
    void submit(Connection *sender, proto::Op op, const QByteArray &unstamped = {});
    //! Refuse sender's op in order behind the ops in flight; a transient refusal holds its connection back now.
    void reply(Connection *sender, const proto::Reject &reject);
    [[nodiscard]] bool hasPending() const { return !m_pending.isEmpty(); }
    [[nodiscard]] qsizetype pendingOps() const { return m_pendingOps; }
    //! The encoded size of the pending ops.
    [[nodiscard]] qint64 pendingBytes() const { return m_pendingBytes; }
    //! Write the pending ops inside the Server's open transaction.
    bool writePending(Store &store);
    /** After the transaction: acknowledge, broadcast and apply (committed); or refuse every answer of the batch
     *  transiently (its ops and repeats of them with internal, the rest with held_back) and hold each sender back at
     *  the lowest cseq it was refused, since nothing the batch decided happened. */
    void finishCommit(bool committed);
    //! A compaction is due (by ops or by bytes since the snapshot) or under way.
    [[nodiscard]] bool needsCompaction() const;
    enum class CompactStep {
        More, //!< call again at the next event-loop turn
        Done,
        Failed //!< nothing changed for good; a later compaction starts again
    };
    /** One step of storing a snapshot at head and trimming the log to the retained tail: a piece of at most
     *  kCompactPieceBytes written, or the switch to the new snapshot, or a few older pieces and ops deleted; each its
     *  own short transaction, so no step holds the server for long. */
    CompactStep compactStep(Store &store);
    //! The board's encoded size (what its byte budget counts).
    [[nodiscard]] qint64 boardBytes() const { return m_snapshot.bytes(); }
    /** Count the board (with its pending ops) in the server's budget for every board in memory, and refuse what
     *  would take that past its limit (nullptr: none). */
    void setBoardMemory(BoardMemory *memory);
    ~Room();
    //! Size of the snapshot pieces a compaction writes, one per event-loop turn.
    static constexpr qint64 kCompactPieceBytes = 256 * 1024;

    // ---- history ----
    /** The encoded history_page that answers a member's history request (docs/PROTOCOL.md, "History"): what the
     *  log has committed, with the direct messages of others left out. */
    [[nodiscard]] QByteArray historyPage(const QString &asker, const proto::History &request, qint64 maxOpBytes)
    {
        return m_history.answer(asker, request, {m_head, m_record.logStart, m_record.snapshotSeq}, maxOpBytes);
    }

    // ---- standby and handover (RoomStandby) ----
    [[nodiscard]] RoomStandby &standby() { return m_standby; }
    [[nodiscard]] const RoomStandby &standby() const { return m_standby; }

    // ---- joining ----
    //! The highest committed cseq of this client.
    [[nodiscard]] quint64 ackedFor(const QString &client) const;
    /** Send welcome, the catch-up (the missed ops, or the snapshot and recent chat) and synced to a connection
     *  that is about to become a member. The pending batch must be empty. Returns whether it was a snapshot. */
    bool sendJoin(Connection *connection, const std::optional<proto::ResumePoint> &resume);

private:
    friend class RoomStandby; //!< copies the room's durable state to its standby
    Room(Store &store, RoomRecord record, const ServerConfig &config);

    std::function<void()> m_membersChanged;
    std::function<void(qint64, const QByteArray &)> m_liveOut;
    NodePresence *m_nodes = nullptr;
    //! A member of another server as members here see it: with the role this room gives its client id.
    [[nodiscard]] proto::Member withRole(proto::Member member) const;

    struct Entry
    {
        enum class Kind {
            Op,
            Reject,
            DuplicateAck
        };
        Kind kind = Kind::Op;
        QPointer<Connection> sender;
        proto::Op op; //!< Op: the stamped op; DuplicateAck: cseq, and the original's seq and time
        QByteArray bytes; //!< Op: the encoded op
        proto::Reject reject; //!< Reject
    };

    //! Answer an op whose cseq is at or below the highest its client has ordered (C): a repeat, or a reused cseq.
    void answerRepeat(Connection *sender, const proto::Op &op, quint64 highest);
    void sendNowOrQueue(Entry entry);
    //! A committed host control takes effect on the members: roles shown, people removed.
    void enact(const proto::Op &op);
    //! Fill in what a rollback in the batch does, from the log as it stands before it (inside the transaction).
    bool resolveRollback(Store &store, Entry &entry);
    //! An op another server committed, read from the log: take it as committed here and deliver it.
    void applyCommitted(const proto::Op &op, const QByteArray &bytes);
    //! A client id this room does not know (it joined through another server): read it from the database.
    void learnClient(const QString &client);
    //! What the database holds for every client id: those this room does not know, and the roles and bans of all.
    void reloadClients();
    //! A snapshot another server stored after this room's own is this room's snapshot too (a shared store).
    bool adoptStoredSnapshot(Store &store);

    Store &m_store;
    const ServerConfig &m_config;
    RoomRecord m_record;
    password::Hash m_password;
    QSet<QByteArray> m_knownPasswords; //!< SHA-256 of salt + password that matched
    quint64 m_head = 0;
    quint64 m_nextSeq = 1;
    Board m_board;
    QList<ChatRecord> m_chat; //!< recent chat and direct messages (encoded), oldest first
    RoomClients m_clients;
    RoomControls m_controls {m_clients};
    QList<Connection *> m_members;
    //! encodeMember() of every member, joined by commas, as welcomes list them (kept so a join does not encode
    //! the whole room again: opening a room of n members cost O(n^2) encodes).
    QByteArray m_membersJson;
    bool m_membersJsonValid = true;
    QElapsedTimer m_emptySince;
    QString m_summoner; //!< an owner who asked everybody to follow them (see setSummoner())

    QList<Entry> m_pending;
    qsizetype m_pendingOps = 0;
    qint64 m_pendingBytes = 0;

    //! The item count and bytes the board will have once the pending ops are applied (for the board limits).
    struct Projection
    {
        qsizetype size = 0;
        qint64 bytes = 0;
        QHash<QString, qint64> sizes; //!< the ops' sizes of the items the pending ops add or replace
        QSet<QString> added;
        QSet<QString> removed;
        bool cleared = false;
    };
    [[nodiscard]] bool projectedContains(const QString &id) const;
    [[nodiscard]] qint64 projectedBytes() const;
    [[nodiscard]] qint64 projectedBytesOf(const QString &id) const;
    void project(const proto::Op &op, qint64 bytes);
    Projection m_projection;

    SnapshotCache m_snapshot;
    RoomHistory m_history {m_store, m_record.id};
    qint64 m_bytesSinceSnapshot = 0; //!< encoded ops committed after the stored snapshot

    std::optional<RoomCompaction> m_compaction;
    bool m_trimming = false; //!< older pieces and ops are being deleted
    RoomBlobs m_blobs;
    BoardMemory *m_memory = nullptr;
    RoomStandby m_standby {*this, m_config}; //!< last: it refers to the rest
};

} // namespace inkroom::server
