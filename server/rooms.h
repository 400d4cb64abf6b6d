#pragma once

#include "boardmemory.h"
#include "passwordhash.h"
#include "protocol.h"
#include "serverconfig.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_map>

namespace inkroom::server {

class NodePresence;
class Room;
class Store;

/** @brief The rooms in memory and the group commit of their logs.
 *
 * A room is loaded from the Store when somebody joins it and leaves memory when it has been empty for a while. Ops
 * wait in their room's pending batch until commit(), at the end of the event-loop turn they arrived in (or at once
 * when a room has maxBatchOps waiting): every room's batch goes into one transaction and one fsync, then each room
 * answers its batch.
 */
class Rooms
{
public:
    Rooms(const ServerConfig &config, Store &store, QObject *context);
    ~Rooms();
    Rooms(const Rooms &) = delete;
    Rooms &operator=(const Rooms &) = delete;

    /** The room in memory, or loaded from the store; nullptr when there is none (or, with *error set, on failure).
     *  The room named exactly so, or else the one whose name looks the same (text::roomKey()). */
    Room *find(const QString &name, QString *error);
    //! The database every room is kept in.
    [[nodiscard]] Store &store() { return m_store; }
    /** The last find() failed because the room's board does not fit in what the server allows every board in memory
     *  together (--max-boards-mib), even with the idle rooms unloaded: *error said so. */
    [[nodiscard]] bool refusedForMemory() const { return m_refusedForMemory; }
    //! The budget of every board in memory together.
    [[nodiscard]] const BoardMemory &boardMemory() const { return m_memory; }
    //! Create and store a new room, named text::normalisedRoomName(name); nullptr (and *error) on failure.
    Room *create(const QString &name, const password::Hash &password, QString *error);
    [[nodiscard]] int count() const { return int(m_rooms.size()); }
    //! The last create() failed because another server of the database created a room of that name first.
    [[nodiscard]] bool lostCreation() const { return m_lostCreation; }
    //! The rooms with members in them (and the kept-open one, empty or not), the busiest first, at most max of them.
    [[nodiscard]] QList<proto::RoomInfo> openRooms(int max) const;
    //! Members of every room in memory together.
    [[nodiscard]] int memberCount() const;
    //! Called after anybody joined or left any room.
    void setMembersChanged(std::function<void()> handler);
    /** Keep this room in memory and listed by openRooms() while nobody is in it: a room its host serves in the
     *  background is open to newcomers although empty. Empty: none. */
    void keepOpen(const QString &name);

    //! The room has answers or ops waiting: commit at the end of this turn (at once past maxBatchOps).
    void scheduleCommit(Room *room);
    /** Commit every room's pending ops, then acknowledge or refuse them: in one transaction, or, when some rooms have
     *  large batches (past kLargeBatchBytes) and others not, the others first in one transaction and their answers
     *  sent (setFlushOutput()) before the large ones are written in another. */
    void commit();
    //! What sends the answers queued so far at once (the server's OutputFlusher).
    void setFlushOutput(std::function<void()> flush) { m_flushOutput = std::move(flush); }
    //! A room's pending ops past this many bytes are a large batch (see commit()).
    static constexpr qint64 kLargeBatchBytes = 64 * 1024;

    // ---- several servers on one database (Store::isShared()) ----
    /** Bring a room up to what other servers committed (its pending batch is committed first). False, with *error,
     *  when the database cannot be read or the room must be read again (its members are closed then). */
    bool catchUp(Room *room, QString *error);
    //! Another server committed room id up to head (a notification: only a hint).
    void headReached(qint64 id, quint64 head);
    //! Ask the database how far every room in memory is, and catch up those behind (lost notifications, reconnects).
    void catchUpAll();
    //! Live traffic of every room's members goes to out too (a shared store: LiveRelay::queue()).
    void setLiveOut(std::function<void(qint64, const QByteArray &)> out);
    //! Live traffic another server's members sent to room id: to its members here, if it is in memory.
    void deliverLive(qint64 id, const QByteArray &bytes);
    //! Who is in each room on the other servers (a shared store; nullptr: nobody, or the server is stopping).
    void setNodePresence(NodePresence *presence);
    //! Somebody in room id on another server appeared, changed or left (NodePresence::Changed).
    void remoteChanged(qint64 id, const std::optional<proto::Member> &before, const std::optional<proto::Member> &now);
    //! Every member of every room in memory, with its room's id (what this server tells the others it has).
    [[nodiscard]] QList<std::pair<qint64, proto::Member>> localMembers() const;
    //! How many commits lost to another server's and were ordered again (for logs and tests).
    [[nodiscard]] quint64 reorders() const { return m_reorders; }

    //! Unload rooms that have been empty and idle for roomUnloadDelayMs (the heartbeat calls it).
    void unloadIdle();
    //! Does every room in memory match what loading it again gives? Commits first.
    bool checkConsistency(QString *problem);
    //! Forget every room (the server is stopping; commit() first).
    void clear();

private:
    void compactLater(const QString &name);
    //! Commit these rooms' pending ops in one transaction (ordered again and retried after losing to another server).
    void commitBatch(const QSet<Room *> &batch);
    //! A commit of the room's ops may or may not be stored: close its members, read it again when they are gone.
    void markStale(Room *room);
    //! Forget a stale room once nobody is in it (true: name may be loaded); false, with *error, while members stay.
    bool dropStale(const QString &name, QString *error);
    //! Unload idle rooms (nobody in them, nothing pending, not kept open), longest idle first, until needed bytes
    //! of boards are freed; keep is never unloaded.
    void evictIdle(qint64 needed, const void *keep);
    [[nodiscard]] bool isUnloadable(const Room &room) const;

    const ServerConfig &m_config;
    Store &m_store;
    QObject *m_context;
    QTimer m_commitTimer;
    [[nodiscard]] bool isKeptOpen(const Room &room) const;
    //! Takes a loaded or created room in, under its stored name.
    Room *adopt(std::unique_ptr<Room> room);

    BoardMemory m_memory; //!< before m_rooms: rooms leave it as they are destroyed
    std::unordered_map<QString, std::unique_ptr<Room>> m_rooms; //!< by stored name
    std::function<void()> m_membersChanged;
    std::function<void(qint64, const QByteArray &)> m_liveOut;
    NodePresence *m_nodes = nullptr;
    std::function<void()> m_flushOutput;
    QString m_keptOpen; //!< keepOpen(): a stored name or one the store resolves to it
    QSet<Room *> m_dirty;
    QSet<QString> m_compacting; //!< rooms with a compaction step scheduled
    QSet<QString> m_stale; //!< rooms whose memory may differ from the database (markStale())
    bool m_refusedForMemory = false;
    bool m_lostCreation = false;
    quint64 m_reorders = 0;
    //! How often one group commit is tried again after losing to another server's (each loss means progress there).
    static constexpr int kMaxReorders = 64;
};

} // namespace inkroom::server
