#pragma once

#include "protocol.h"
#include "roomseed.h"
#include "storelocation.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

class QSqlError;

namespace inkroom::server {

//! One room as stored.
struct RoomRecord
{
    qint64 id = 0;
    QString name;
    QString nameKey; //!< text::roomKey(name); empty for a room that looks like an older one (found by exact name)
    QString epoch;
    QByteArray passwordSalt;
    QByteArray passwordHash;
    int passwordIterations = 0;
    quint64 head = 0; //!< the last committed seq
    quint64 snapshotSeq = 0; //!< the board snapshot is at this seq (0: empty board, no snapshot)
    QByteArray snapshot; //!< encoded Snapshot messages, one per line (its pieces, read by findRoom())
    quint64 logStart = 0; //!< every op with seq > logStart is in the ops table
    proto::Role defaultRole = proto::Role::Editor; //!< the role of client ids without one of their own
    bool locked = false; //!< an owner locked the board
};

//! What the room remembers about one client id.
struct ClientRecord
{
    quint64 maxCseq = 0; //!< its highest committed cseq
    quint64 maxSeq = 0; //!< the seq of that op
    quint64 maxItem = 0; //!< the highest n of the "<client id>:<n>" items its own adds made
    QByteArray secretHash; //!< SHA-256 of its secret; empty in a database from before secrets, until it joins
    std::optional<proto::Role> role {}; //!< the role an owner gave it; none: the room's default
    bool banned = false; //!< an owner banned it from the room
};

//! A message of the room's chat as the server keeps it: who wrote it, to whom (empty: the room), and its bytes.
struct ChatRecord
{
    QString sender;
    QString recipient;
    QByteArray body;
};

//! An op of the log with who may see it: recipient is empty for everybody, or a direct message's addressee.
struct LoggedOp
{
    quint64 seq = 0;
    QString client;
    QString recipient;
    QByteArray body;
};

//! An op as the log keeps it: where it is, when it was ordered, and its encoded bytes.
struct StoredOp
{
    quint64 seq = 0;
    qint64 time = 0;
    QByteArray body;
};

class StoreDialect;
class WalCheckpointer;

/** @brief The server's database (QtSql): an SQLite file (the default; WAL with synchronous=FULL) or PostgreSQL.
 *
 * Every query both databases understand is here; what differs (connecting, the schema and its migrations, locking)
 * is the StoreDialect's (sqlitedialect.cpp, postgresdialect.cpp). Tables: rooms, ops (the log tail: every op after the
 * room's logStart, with its encoded bytes), chat (the recent chat of each room), clients (per room and client id: the
 * hash of its secret, its highest committed cseq and item number), snapshot_pieces, blobs and blob_parts. The schema is
 * versioned (meta.schema, each database kind numbering its own); open() migrates an older database in place and refuses
 * a newer one. Lives on the thread that opened it; its connection name is unique, so several servers can run in one
 * process.
 *
 * A connection that is lost (the database server stopped or the network broke) makes the failing call return false
 * and isOpen() false; a later call outside a transaction connects again (at most once a second, less often while
 * it stays away). What was not committed is not stored; but a commit() that lost its connection returns false
 * although the database may have taken it, so its caller must read the room again before it writes to it
 * (connectionLost() tells).
 */
class Store
{
public:
    /** The schema this build writes. 1: the first; 2: clients.secret_hash and clients.max_item; 3: roles and host
     *  controls (rooms.default_role, rooms.locked, clients.role, clients.banned) and direct messages (ops.recipient,
     *  chat.sender, chat.recipient); 4: rooms.name_key (text::roomKey(), unique), so names that look the same find
     *  the same room; 5: blobs and blob_parts, the images of each room and their unfinished uploads; 6: the board
     *  snapshot in snapshot_pieces, out of the rooms row; 7: ops and snapshot_pieces with rowids (large bodies out
     *  of the key). */
    static constexpr int SchemaVersion = 7;

    Store();
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    /** Open (or create) the SQLite database at path; a damaged one (SQLite's quick_check finds a problem) is refused,
     *  and *error says what was found and how to recover. */
    bool open(const QString &path, int busyTimeoutMs, QString *error);
    /** Open the database at location, creating its tables or migrating them; false, with *error, when it cannot be
     *  reached, is damaged, is newer than this server, or is in use by another server. */
    bool open(const StoreLocation &location, int busyTimeoutMs, QString *error);
    /** Check the database at path without changing it: SQLite's integrity_check (full: every index against its
     *  table too) or quick_check. Returns the problems found, at most 20 (empty: none); *error when it cannot be
     *  read at all. */
    [[nodiscard]] static QStringList check(const QString &path, bool full, QString *error);
    //! How an operator recovers a damaged database (for messages and --check).
    [[nodiscard]] static QString recoveryAdvice(const QString &path);
    void close();
    //! Open, and its connection not known to be lost.
    [[nodiscard]] bool isOpen() const;
    //! The last failure lost the connection (cleared when a later call connects again).
    [[nodiscard]] bool connectionLost() const { return m_lost; }
    //! Where it is stored, for logs (never a password).
    [[nodiscard]] QString describe() const;
    [[nodiscard]] QString lastError() const { return m_lastError; }
    //! Does a commit sync what it wrote (asks the database)? Always, but inside a compaction step's transaction.
    [[nodiscard]] bool commitsAreSynced();
    //! Several servers may use this database at once (PostgreSQL): see claimHead() and lastFailureWasConflict().
    [[nodiscard]] bool isShared() const;
    /** The last failure came from another server's commit to the same room (its seq, a resent cseq, or the head
     *  claimed first; a deadlock): catch the room up and try again. Cleared by begin(). */
    [[nodiscard]] bool lastFailureWasConflict() const { return m_conflict; }

    /** The room named exactly so, or else the one whose name looks the same (text::roomKey()); nullopt with *ok true
     *  when there is none. A room the name index misses but the table holds (a damaged index) is an error, never "no
     *  room": it must not be made again afresh. */
    std::optional<RoomRecord> findRoom(const QString &name, bool *ok);
    /** The stored name of the room findRoom() would find for name (cheap: no room data is read); nullopt when none
     *  is found by the index (or, with *ok false, on failure). */
    std::optional<QString> storedRoomName(const QString &name, bool *ok);
    //! The names of the stored rooms, by name, at most max of them (empty, with *ok false, on failure).
    QStringList roomNames(int max, bool *ok);
    /** Store a room taken over from another server, as seed has it (in one transaction; storeseed.cpp): its board as
     * the snapshot at its head, with no ops behind it, its chat, its client ids and its controls. An older copy of the
     *  same room (the same epoch) is replaced; another room of that name is never: false, with *error. */
    bool seedRoom(const proto::RoomSeed &seed, QString *error);
    //! Insert a new room (in its own transaction) under record->name and its key; sets record->id and nameKey.
    bool insertRoom(RoomRecord *record);
    //! Visit the bodies of ops with seq > after, in order; stops early when visit returns false.
    bool visitOpsAfter(qint64 room, quint64 after, const std::function<bool(quint64, const QByteArray &)> &visit);
    //! Visit the ops with seq > after, in order, with their sender and recipient; stops when visit returns false.
    bool visitLogAfter(qint64 room, quint64 after, const std::function<bool(const LoggedOp &)> &visit);
    /** The room's stored board snapshot: its seq (0: none) and its encoded Snapshot messages, one per line (the
     *  history's starting board, which a loaded room does not keep in memory). */
    bool snapshotOf(qint64 room, quint64 *seq, QByteArray *snapshot);
    //! The newest count chat ops (room chat and direct messages), oldest first.
    bool chatHistory(qint64 room, int count, QList<ChatRecord> *out);
    bool clients(qint64 room, QHash<QString, ClientRecord> *out);
    //! The op this client sent as cseq, if it is still in the log (*ok false: the database could not be read).
    std::optional<StoredOp> findOp(qint64 room, const QString &client, quint64 cseq, bool *ok);
    /** Keep the hash of a client id's secret: in the open transaction (on disk with its commit), else in a
     *  transaction of its own (on disk when this returns). A row for
     *  the client that has a hash already keeps it; *stored (when given) is what the row holds now: its hash, role
     *  and ban (another server may have registered the id first). */
    bool registerClient(qint64 room, const QString &client, const QByteArray &secretHash,
                        ClientRecord *stored = nullptr);
    /** Make client an owner at once (its own transaction): the first client id of a room without owners. *made
     *  (when given) says whether it was: on a shared database another server's client may have become the owner. */
    bool makeOwner(qint64 room, const QString &client, bool *made = nullptr);
    //! The committed heads of these rooms (rooms.head), by id: how far other servers got.
    bool roomHeads(const QList<qint64> &rooms, QHash<qint64, quint64> *out);
    //! Where a room's stored snapshot stands and where its log starts (another server may have compacted it).
    bool snapshotPosition(qint64 room, quint64 *snapshotSeq, quint64 *logStart);

    // ---- a group commit: begin, any number of writes, commit (or rollback) ----
    bool begin();
    bool commit();
    void rollback();
    /** Store an op (and its chat row) in this transaction. Ops are gathered and written together, with the next other
     *  statement of the transaction or at commit() (so an error such as a duplicate key may show only there). */
    bool insertOp(qint64 room, const proto::Op &op, const QByteArray &body);
    //! Write a client's highest cseq, seq and item number, role and ban (not its secret).
    bool upsertClient(qint64 room, const QString &client, const ClientRecord &record);
    //! Write the room's default role and whether it is locked.
    bool setRoomControls(qint64 room, proto::Role defaultRole, bool locked);
    /** Shared database: claim the room for this transaction at the head this server has (its rooms row, locked until
     *  commit). When another server moved the head on, fails with lastFailureWasConflict(). SQLite: nothing to do. */
    bool claimHead(qint64 room, quint64 head);
    //! Store the room's head; on a shared database the other servers are told at commit (a notification).
    bool setHead(qint64 room, quint64 head);

    // ---- compaction, a piece at a time (each its own transaction) ----
    /** Shared database: take the room's compaction hold (one server compacts a room at a time; false, with *held
     *  false, when another has it). Held until releaseCompaction() or the connection ends. SQLite: always held. */
    bool holdCompaction(qint64 room, bool *held);
    void releaseCompaction(qint64 room);
    //! Store piece n of the snapshot at seq (piece 0 first drops what an earlier attempt at seq left).
    bool writeSnapshotPiece(qint64 room, quint64 seq, int n, const QByteArray &piece);
    /** Make the snapshot at snapshotSeq (every piece written) the room's, with the log from logStart, and keep only the
     *  newest chatKeep chat ops. The older pieces and ops stay until trimStep() deletes them. */
    bool switchSnapshot(qint64 room, quint64 snapshotSeq, quint64 logStart, int chatKeep);
    /** Delete pieces of snapshots older than snapshotSeq and ops up to logStart, about maxBytes of them at most;
     *  *more says whether some are left. */
    bool trimStep(qint64 room, quint64 snapshotSeq, quint64 logStart, qint64 maxBytes, bool *more);
    /** Where the log kept behind a snapshot at head starts: at most maxOps ops and maxBytes of them (and never
     *  before logStart). nullopt on failure. */
    std::optional<quint64> retainedLogStart(qint64 room, quint64 logStart, quint64 head, quint64 maxOps,
                                            qint64 maxBytes);

    // ---- images (storeblobs.cpp): each write is its own transaction ----
    //! The sizes of the room's stored blobs, and of its unfinished uploads with how many bytes of each are here.
    struct BlobCounts
    {
        QHash<QString, qint64> stored; //!< hash -> size
        QHash<QString, QPair<qint64, qint64>> partial; //!< hash -> (size, bytes here from the start)
    };
    bool blobCounts(qint64 room, BlobCounts *out);
    //! Keep one chunk of an upload (at offset, which must be where the bytes here end).
    bool putBlobPart(qint64 room, const QString &hash, qint64 size, qint64 offset, const QByteArray &data);
    /** The upload of hash is whole: check it (its SHA-256 is hash, proto::sniffImage() accepts it) and keep it as a
     *  blob, or drop it. Returns false when the database failed; *why is set (and the parts dropped) when the bytes
     *  are not what they claim to be. */
    bool finishBlob(qint64 room, const QString &hash, qint64 size, QString *why);
    //! Forget an unfinished upload.
    bool dropBlobParts(qint64 room, const QString &hash);
    //! Up to maxBytes of the stored blob hash from offset (nullopt: not stored, or the database failed: *ok).
    std::optional<QByteArray> blobChunk(qint64 room, const QString &hash, qint64 offset, qint64 maxBytes, bool *ok);

private:
    struct Queries;
    //! The sizes of the multi-row INSERTs flushRows() uses, largest first (the last must be 1).
    static constexpr int kOpRowsPerInsert[] = {64, 16, 4, 1};
    //! How often a lost connection is tried again: at most once a second, then less often (doubling) up to 16 s.
    static constexpr qint64 kReconnectIntervalMs = 1000;
    static constexpr qint64 kMaxReconnectIntervalMs = 16000;
    //! How long opening waits for another server's hold on the database (one that just died may still hold it),
    //! and reconnecting (which blocks the server's thread) at most.
    static constexpr int kOpenLockWaitMs = 3000;
    static constexpr int kReconnectLockWaitMs = 200;
    bool fail(const QString &what, const QString &error);
    //! findRoom(), reading once more when a room missing from the index is in the table (mayRetry, shared database).
    std::optional<RoomRecord> findRoom(const QString &name, bool *ok, bool mayRetry);
    std::optional<RoomRecord> findRoomOnce(const QString &name, bool *ok);
    //! fail(), remembering whether the error was another server's commit (lastFailureWasConflict()).
    bool failQuery(const QString &what, const QSqlError &error);
    //! Connect and prepare the database (its session, schema and statements).
    bool connectDatabase(int lockWaitMs);
    void disconnectDatabase();
    //! Open and connected, or connected again now after a lost connection.
    bool usable();
    bool beginTransaction();
    /** A transaction whose commit is not synced by itself: what it writes reaches the disk with the next synced
     *  commit, or is lost with a power cut before one (never with a crash of the server alone). Only for what nothing
     *  depends on until a synced commit: a snapshot's pieces (used once the synced switch names them) and trimming
     *  (what it did not delete, the next trim does). Saves a sync per compaction step. */
    bool beginUnsynced();
    //! Commits are synced again after an unsynced transaction; false (and begin() refuses) when that failed.
    bool syncAgain();
    //! Write the ops insertOp() gathered (a few multi-row INSERTs), before anything else reads or writes.
    bool flushRows();
    //! The pieces of the snapshot at seq, joined.
    bool readSnapshot(qint64 room, quint64 seq, QByteArray *out);
    //! Bring the schema to SchemaVersion (a new database starts at 1 and takes every migration too).
    bool migrate();
    /** Give every room without a name_key its key, oldest first. A room whose key an older room has already (two
     *  rooms that look the same, made before keys) keeps none: it is found by its exact name only. */
    bool fillRoomKeys();

    QString m_connectionName;
    std::unique_ptr<StoreDialect> m_dialect;
    std::unique_ptr<Queries> m_queries;
    std::unique_ptr<WalCheckpointer> m_checkpointer; //!< SQLite: checkpoints the WAL off the server's thread
    bool m_lost = false;
    bool m_conflict = false;
    bool m_inTransaction = false; //!< between a begin() that worked and commit() or rollback()
    bool m_unsynced = false; //!< commits are not synced (beginUnsynced()) until syncAgain()
    QList<QVariantList> m_opRows; //!< ops of this transaction not written yet (flushRows())
    QList<QVariantList> m_chatRows;
    QElapsedTimer m_reconnectTimer;
    qint64 m_reconnectIntervalMs = kReconnectIntervalMs;
    QString m_lastError;
};

} // namespace inkroom::server
