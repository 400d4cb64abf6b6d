#include "rooms.h"

#include "closecodes.h"
#include "connection.h"
#include "logging.h"
#include "protocol.h"
#include "protocollimits.h"
#include "room.h"
#include "store.h"
#include "textrules.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

Rooms::Rooms(const ServerConfig &config, Store &store, QObject *context)
    : m_config(config)
    , m_store(store)
    , m_context(context)
    , m_memory(config.maxBoardsBytes)
{
    m_memory.setEvictor([this](qint64 needed, const void *keep) { evictIdle(needed, keep); });
    m_commitTimer.setSingleShot(true);
    QObject::connect(&m_commitTimer, &QTimer::timeout, context, [this] { commit(); });
}

Rooms::~Rooms() = default;

Room *Rooms::find(const QString &name, QString *error)
{
    error->clear();
    m_refusedForMemory = false;
    if (const auto it = m_rooms.find(name); it != m_rooms.end() && !m_stale.contains(name))
        return it->second.get();
    if (!dropStale(name, error))
        return nullptr;
    // Another spelling: the store says which room it is (the exact name first, then the one that looks the same).
    bool ok = false;
    const std::optional<QString> stored = m_store.storedRoomName(name, &ok);
    if (!ok) {
        *error = m_store.lastError();
        return nullptr;
    }
    if (stored) {
        if (!dropStale(*stored, error))
            return nullptr;
        if (const auto it = m_rooms.find(*stored); it != m_rooms.end())
            return it->second.get();
    }
    std::unique_ptr<Room> room = Room::load(m_store, stored.value_or(name), m_config, error);
    if (!room) {
        if (!error->isEmpty())
            qCWarning(lcRoom).noquote() << "cannot load room" << name << ":" << *error;
        return nullptr;
    }
    // Loaded to learn its size (at most one board more than the budget, for a moment), and let go when it does not
    // fit beside the boards in use.
    if (!m_memory.allows(nullptr, room->boardBytes())) {
        *error = u"the server holds %1 MB of boards in its rooms, and room '%2' needs %3 MB more than the %4 MB it "
                 "allows for every room together; try again when other rooms are closed"_s
                     .arg(double(m_memory.total()) / 1e6, 0, 'f', 1)
                     .arg(room->name())
                     .arg(double(room->boardBytes()) / 1e6, 0, 'f', 1)
                     .arg(double(m_memory.limit()) / 1e6, 0, 'f', 1);
        m_refusedForMemory = true;
        qCWarning(lcRoom).noquote() << "not opening room" << room->name() << ":" << *error;
        return nullptr;
    }
    return adopt(std::move(room));
}

Room *Rooms::create(const QString &name, const password::Hash &password, QString *error)
{
    QString normal = text::normalisedRoomName(name);
    if (normal.size() > limits::MaxRoomLength || !proto::isValidRoomName(normal))
        normal = name;
    std::unique_ptr<Room> room = Room::create(m_store, normal, password, m_config, error);
    m_lostCreation = !room && m_store.isShared() && m_store.lastFailureWasConflict();
    if (!room) {
        qCWarning(lcRoom).noquote() << "cannot create room" << normal << ":" << *error;
        return nullptr;
    }
    return adopt(std::move(room));
}

int Rooms::memberCount() const
{
    int count = 0;
    for (const auto &entry : m_rooms)
        count += int(entry.second->members().size());
    return count;
}

void Rooms::setMembersChanged(std::function<void()> handler)
{
    m_membersChanged = std::move(handler);
    for (const auto &entry : m_rooms)
        entry.second->setMembersChanged(m_membersChanged);
}

void Rooms::keepOpen(const QString &name)
{
    m_keptOpen = name;
}

bool Rooms::isKeptOpen(const Room &room) const
{
    return !m_keptOpen.isEmpty() && (room.name() == m_keptOpen || room.nameKey() == text::roomKey(m_keptOpen));
}

Room *Rooms::adopt(std::unique_ptr<Room> room)
{
    Room *raw = room.get();
    raw->setMembersChanged(m_membersChanged);
    raw->setLiveOut(m_liveOut);
    raw->setNodePresence(m_nodes);
    raw->setBoardMemory(&m_memory);
    m_rooms.insert_or_assign(raw->name(), std::move(room));
    return raw;
}

QList<proto::RoomInfo> Rooms::openRooms(int max) const
{
    QList<proto::RoomInfo> open;
    for (const auto &[name, room] : m_rooms) {
        if ((!room->members().isEmpty() || isKeptOpen(*room)) && !room->standby().moved())
            open.append(proto::RoomInfo {name, int(room->members().size()), room->hasPassword()});
    }
    std::sort(open.begin(), open.end(), [](const proto::RoomInfo &a, const proto::RoomInfo &b) {
        return a.members != b.members ? a.members > b.members : a.name < b.name;
    });
    if (open.size() > max)
        open.resize(max);
    return open;
}

void Rooms::scheduleCommit(Room *room)
{
    if (!room->hasPending())
        return;
    m_dirty.insert(room);
    if (room->pendingOps() >= m_config.maxBatchOps)
        commit();
    else if (!m_commitTimer.isActive())
        m_commitTimer.start(0);
}

void Rooms::commit()
{
    m_commitTimer.stop();
    if (m_dirty.isEmpty())
        return;
    QSet<Room *> batch = std::exchange(m_dirty, {});
    // A room sending 10,000-point strokes does not hold up the acks of rooms that sent a few small ops: theirs are
    // committed first and answered before the large ones are written (one sync more when both wait).
    QSet<Room *> large;
    for (Room *room : std::as_const(batch)) {
        if (room->pendingBytes() > kLargeBatchBytes)
            large.insert(room);
    }
    if (!large.isEmpty() && large.size() < batch.size()) {
        batch.subtract(large);
        commitBatch(batch);
        if (m_flushOutput)
            m_flushOutput();
        batch = large;
    }
    commitBatch(batch);
}

void Rooms::commitBatch(const QSet<Room *> &batch)
{
    bool hasOps = false;
    for (Room *room : batch)
        hasOps = hasOps || room->pendingOps() > 0;
    bool committed = true;
    for (int attempt = 0; hasOps; ++attempt) {
        // One transaction and one fsync for every room's ops: the group commit.
        committed = m_store.begin();
        for (Room *room : batch)
            committed = committed && room->writePending(m_store);
        committed = committed && m_store.commit();
        if (committed)
            break;
        m_store.rollback();
        if (!m_store.lastFailureWasConflict() || attempt == kMaxReorders) {
            qCWarning(lcStore).noquote() << "a commit failed; refusing its ops for now:" << m_store.lastError();
            break;
        }
        // Another server committed to one of these rooms first: read what it did, order the batches again, retry.
        ++m_reorders;
        qCDebug(lcStore).noquote() << "a commit lost to another server's; ordering again:" << m_store.lastError();
        for (Room *room : batch) {
            const Room::CatchUp caught = room->reorder();
            if (caught == Room::CatchUp::Gap)
                markStale(room);
            if (caught != Room::CatchUp::Done)
                hasOps = false;
        }
        if (!hasOps) {
            committed = false;
            qCWarning(lcStore).noquote() << "a commit lost to another server's and the log cannot be read; refusing "
                                            "its ops for now";
        }
    }
    // A commit whose connection broke may have been stored all the same: what these rooms hold in memory is no
    // longer known to be what the database holds.
    const bool inDoubt = !committed && m_store.connectionLost();
    for (Room *room : batch) {
        room->finishCommit(committed);
        if (committed && room->needsCompaction())
            compactLater(room->name());
        if (inDoubt)
            markStale(room);
    }
}

bool Rooms::catchUp(Room *room, QString *error)
{
    error->clear();
    if (!m_store.isShared())
        return true;
    commit();
    switch (room->catchUp()) {
    case Room::CatchUp::Done:
        return true;
    case Room::CatchUp::Failed:
        *error = u"the server cannot read room '%1' from its database; try again in a moment"_s.arg(room->name());
        return false;
    case Room::CatchUp::Gap:
        markStale(room);
        *error = u"room '%1' is being read again from the database; try again in a moment"_s.arg(room->name());
        return false;
    }
    return false;
}

void Rooms::headReached(qint64 id, quint64 head)
{
    for (const auto &[name, room] : m_rooms) {
        if (room->id() != id)
            continue;
        // A room with a batch on its way learns it from the commit (the head is claimed), the rest read now.
        if (room->head() < head && !room->hasPending() && !m_stale.contains(name)) {
            if (room->catchUp() == Room::CatchUp::Gap)
                markStale(room.get());
        }
        return;
    }
}

void Rooms::setLiveOut(std::function<void(qint64, const QByteArray &)> out)
{
    m_liveOut = std::move(out);
    for (const auto &entry : m_rooms)
        entry.second->setLiveOut(m_liveOut);
}

void Rooms::setNodePresence(NodePresence *presence)
{
    m_nodes = presence;
    for (const auto &entry : m_rooms)
        entry.second->setNodePresence(presence);
}

void Rooms::remoteChanged(qint64 id, const std::optional<proto::Member> &before,
                          const std::optional<proto::Member> &now)
{
    for (const auto &entry : m_rooms) {
        if (entry.second->id() == id) {
            entry.second->remoteChanged(before, now);
            return;
        }
    }
}

QList<std::pair<qint64, proto::Member>> Rooms::localMembers() const
{
    QList<std::pair<qint64, proto::Member>> members;
    for (const auto &entry : m_rooms) {
        for (const Connection *member : entry.second->members())
            members.append({entry.second->id(), member->member()});
    }
    return members;
}

void Rooms::deliverLive(qint64 id, const QByteArray &bytes)
{
    for (const auto &entry : m_rooms) {
        if (entry.second->id() == id) {
            entry.second->deliverLive(bytes);
            return;
        }
    }
}

void Rooms::catchUpAll()
{
    if (!m_store.isShared() || m_rooms.empty() || !m_store.isOpen())
        return;
    QList<qint64> ids;
    for (const auto &entry : m_rooms)
        ids.append(entry.second->id());
    QHash<qint64, quint64> heads;
    if (!m_store.roomHeads(ids, &heads))
        return;
    for (auto it = heads.cbegin(); it != heads.cend(); ++it)
        headReached(it.key(), it.value());
}

void Rooms::markStale(Room *room)
{
    // Its members go (they reconnect and resend what was not acknowledged: a resend of what the database took is
    // acknowledged from the log, exactly once), and the room is read again from the database by the next join.
    qCWarning(lcRoom).noquote() << "room" << room->name()
                                << "is read again from the database when its members have gone (a commit may or "
                                   "may not have been stored)";
    m_stale.insert(room->name());
    const QList<Connection *> members = room->members();
    for (Connection *member : members) {
        member->fail(proto::ErrorCode::Internal,
                     u"the server lost its database while storing changes: reconnect and send again what was not "
                     "acknowledged"_s,
                     quint16(proto::CloseCode::StoreLost));
    }
}

bool Rooms::dropStale(const QString &name, QString *error)
{
    if (!m_stale.contains(name))
        return true;
    const auto it = m_rooms.find(name);
    if (it != m_rooms.end() && !isUnloadable(*it->second)) {
        *error = u"room '%1' is being read again from the database; try again in a moment"_s.arg(name);
        return false;
    }
    m_stale.remove(name);
    m_compacting.remove(name);
    if (it != m_rooms.end())
        m_rooms.erase(it);
    return true;
}

void Rooms::compactLater(const QString &name)
{
    // After the acks have left, one step a turn: a piece of the snapshot, the switch, or some trimming.
    if (m_compacting.contains(name))
        return;
    m_compacting.insert(name);
    QTimer::singleShot(0, m_context, [this, name] {
        m_compacting.remove(name);
        const auto it = m_rooms.find(name);
        if (it == m_rooms.end() || !it->second->needsCompaction() || !m_store.isOpen())
            return;
        switch (it->second->compactStep(m_store)) {
        case Room::CompactStep::More:
            compactLater(name);
            break;
        case Room::CompactStep::Done:
            break;
        case Room::CompactStep::Failed:
            // Tried again after a later commit; until then the log only grows.
            qCWarning(lcStore).noquote() << "room" << name << "could not be compacted:" << m_store.lastError();
            break;
        }
    });
}

bool Rooms::isUnloadable(const Room &room) const
{
    // A room that moved stays, so that members who come back late learn where it went.
    return room.isIdle() && !m_dirty.contains(const_cast<Room *>(&room)) && !isKeptOpen(room)
        && !room.standby().moved();
}

void Rooms::evictIdle(qint64 needed, const void *keep)
{
    std::vector<Room *> idle;
    for (const auto &entry : m_rooms) {
        if (entry.second.get() != keep && isUnloadable(*entry.second) && entry.second->boardBytes() > 0)
            idle.push_back(entry.second.get());
    }
    std::sort(idle.begin(), idle.end(), [](const Room *a, const Room *b) { return a->idleMs() > b->idleMs(); });
    qint64 freed = 0;
    for (Room *room : idle) {
        if (freed >= needed)
            break;
        freed += m_memory.bytesOf(room);
        qCInfo(lcRoom).noquote() << "unloading idle room" << room->name() << "to make room for another board";
        m_compacting.remove(room->name());
        m_rooms.erase(room->name());
    }
}

void Rooms::unloadIdle()
{
    for (auto it = m_rooms.begin(); it != m_rooms.end();) {
        Room *room = it->second.get();
        if (isUnloadable(*room) && (room->idleMs() >= m_config.roomUnloadDelayMs || m_stale.contains(it->first))) {
            m_stale.remove(it->first);
            qCInfo(lcRoom).noquote() << "unloading room" << room->name();
            it = m_rooms.erase(it);
        } else {
            ++it;
        }
    }
}

bool Rooms::checkConsistency(QString *problem)
{
    commit();
    for (const auto &[name, room] : m_rooms) {
        QString error;
        const std::unique_ptr<Room> stored = Room::load(m_store, name, m_config, &error);
        if (!stored) {
            *problem = u"room '%1' does not load: %2"_s.arg(name, error);
            return false;
        }
        if (stored->head() != room->head()) {
            *problem = u"room '%1': head %2 in memory, %3 stored"_s.arg(name).arg(room->head()).arg(stored->head());
            return false;
        }
        if (!(stored->board() == room->board())) {
            *problem = u"room '%1': the board in memory (%2 items) is not the stored one (%3 items)"_s.arg(name)
                           .arg(room->board().size())
                           .arg(stored->board().size());
            return false;
        }
    }
    return true;
}

void Rooms::clear()
{
    m_commitTimer.stop();
    m_compacting.clear();
    m_rooms.clear();
    m_dirty.clear();
}

} // namespace inkroom::server
