#include "nodepresence.h"

#include "logging.h"
#include "nodebus.h"
#include "protocollimits.h"

#include <algorithm>

namespace inkroom::server {

namespace {

//! How long lines wait to go out together (a join and the members' answers of one event-loop turn share a payload).
constexpr int kBatchMs = 5;
//! A node id is 16 hex digits (NodeBus); anything much longer is not one.
constexpr qsizetype kMaxNodeId = 32;

} // namespace

NodePresence::NodePresence(NodeBus &bus, int heartbeatMs, int leaseMs, int maxMembers, Local local, Changed changed,
                           QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_leaseMs(leaseMs)
    , m_maxMembers(maxMembers)
    , m_local(std::move(local))
    , m_changed(std::move(changed))
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(kBatchMs);
    connect(&m_flush, &QTimer::timeout, this, &NodePresence::flush);
    m_heartbeat.setInterval(std::max(10, heartbeatMs));
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        queue("*");
        expire();
    });
    m_heartbeat.start();
    connect(&m_bus, &NodeBus::presenceReceived, this, &NodePresence::received);
    // Connected (again): what was said meanwhile is lost both ways. Ask everybody for all they have, and say all.
    connect(&m_bus, &NodeBus::resumed, this, [this] {
        m_batch.clear();
        queue("?");
        announceAll();
    });
    if (m_bus.isListening()) {
        queue("?");
        announceAll();
    }
}

void NodePresence::joined(qint64 room, const proto::Member &member)
{
    queue(QByteArray::number(room) + " + " + proto::encode(proto::Presence {proto::PresenceEvent::Joined, member}));
}

void NodePresence::left(qint64 room, const QString &client)
{
    queue(QByteArray::number(room) + " - " + client.toUtf8());
}

QList<proto::Member> NodePresence::members(qint64 room) const
{
    QHash<QString, const Heard *> latest;
    for (const Remote &remote : m_nodes) {
        const auto it = remote.rooms.constFind(room);
        if (it == remote.rooms.cend())
            continue;
        for (auto heard = it->cbegin(); heard != it->cend(); ++heard) {
            const Heard *&best = latest[heard.key()];
            if (!best || best->order < heard->order)
                best = &*heard;
        }
    }
    QList<const Heard *> sorted(latest.cbegin(), latest.cend());
    std::sort(sorted.begin(), sorted.end(), [](const Heard *a, const Heard *b) { return a->order < b->order; });
    QList<proto::Member> list;
    list.reserve(sorted.size());
    for (const Heard *heard : std::as_const(sorted))
        list.append(heard->member);
    return list;
}

std::optional<proto::Member> NodePresence::member(qint64 room, const QString &client) const
{
    const Heard *best = nullptr;
    for (const Remote &remote : m_nodes) {
        const auto it = remote.rooms.constFind(room);
        if (it == remote.rooms.cend())
            continue;
        const auto heard = it->constFind(client);
        if (heard != it->cend() && (!best || best->order < heard->order))
            best = &*heard;
    }
    return best ? std::optional<proto::Member>(best->member) : std::nullopt;
}

void NodePresence::received(const QByteArray &payload)
{
    const QList<QByteArray> lines = payload.split('\n');
    const QByteArray &node = lines.constFirst();
    if (lines.size() < 2 || node.isEmpty() || node.size() > kMaxNodeId || node == m_bus.nodeId())
        return;
    auto it = m_nodes.find(node);
    if (it == m_nodes.end()) {
        if (m_nodes.size() >= kMaxNodes)
            return;
        qCInfo(lcRoom).noquote() << "node" << node << "shares this database";
        it = m_nodes.insert(node, Remote {});
    }
    it->seen.start();
    for (qsizetype i = 1; i < lines.size(); ++i)
        line(node, *it, lines.at(i));
}

void NodePresence::line(const QByteArray &node, Remote &remote, const QByteArray &text)
{
    if (text == "*")
        return; // alive: every payload says so
    if (text == "?") {
        announceAll();
        return;
    }
    if (text == "=") {
        // A full announcement follows: whoever it does not list again before "." has left.
        for (auto &room : remote.rooms) {
            for (Heard &heard : room)
                heard.confirmed = false;
        }
        return;
    }
    if (text == ".") {
        QList<std::pair<qint64, QString>> gone;
        for (auto room = remote.rooms.cbegin(); room != remote.rooms.cend(); ++room) {
            for (auto heard = room->cbegin(); heard != room->cend(); ++heard) {
                if (!heard->confirmed)
                    gone.append({room.key(), heard.key()});
            }
        }
        for (const auto &[room, client] : std::as_const(gone))
            set(remote, room, client, std::nullopt);
        return;
    }
    // "ROOM + PRESENCE" or "ROOM - CLIENT".
    const qsizetype space = text.indexOf(' ');
    bool ok = false;
    const qint64 room = space > 0 ? text.left(space).toLongLong(&ok) : 0;
    if (!ok || room <= 0 || text.size() < space + 3 || text.at(space + 2) != ' ') {
        qCDebug(lcRoom).noquote() << "node" << node << "sent a presence line that does not parse";
        return;
    }
    const QByteArray rest = text.mid(space + 3);
    if (text.at(space + 1) == '-') {
        const QString client = QString::fromUtf8(rest);
        if (proto::isValidClientId(client))
            set(remote, room, client, std::nullopt);
        return;
    }
    if (text.at(space + 1) != '+')
        return;
    const proto::DecodeResult decoded = proto::decode(rest, limits::MaxServerMessageBytes);
    if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Presence)
        return;
    const proto::Member &member = std::get<proto::Presence>(decoded.message()).member;
    const auto known = remote.rooms.constFind(room);
    const bool listed = known != remote.rooms.cend() && known->contains(member.client);
    if (!listed && known != remote.rooms.cend() && known->size() >= m_maxMembers) {
        qCDebug(lcRoom).noquote() << "node" << node << "lists more members in room" << room << "than a room has";
        return;
    }
    set(remote, room, member.client, member);
}

void NodePresence::set(Remote &remote, qint64 room, const QString &client, const std::optional<proto::Member> &member)
{
    const std::optional<proto::Member> before = this->member(room, client);
    if (member) {
        Heard &heard = remote.rooms[room][client];
        heard.member = *member;
        heard.order = ++m_order;
        heard.confirmed = true;
    } else {
        const auto it = remote.rooms.find(room);
        if (it == remote.rooms.end())
            return;
        it->remove(client);
        if (it->isEmpty())
            remote.rooms.erase(it);
    }
    const std::optional<proto::Member> now = this->member(room, client);
    if (before != now && m_changed)
        m_changed(room, before, now);
}

void NodePresence::expire()
{
    QList<QByteArray> gone;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (it->seen.elapsed() > m_leaseMs)
            gone.append(it.key());
    }
    for (const QByteArray &node : std::as_const(gone)) {
        Remote &remote = m_nodes[node];
        QList<std::pair<qint64, QString>> members;
        for (auto room = remote.rooms.cbegin(); room != remote.rooms.cend(); ++room) {
            for (auto heard = room->cbegin(); heard != room->cend(); ++heard)
                members.append({room.key(), heard.key()});
        }
        qCWarning(lcRoom).noquote() << "node" << node << "has not been heard from for" << m_leaseMs << "ms: its"
                                    << members.size() << "members have left";
        for (const auto &[room, client] : std::as_const(members))
            set(remote, room, client, std::nullopt);
        m_nodes.remove(node);
    }
}

void NodePresence::announceAll()
{
    queue("=");
    if (m_local) {
        const QList<std::pair<qint64, proto::Member>> local = m_local();
        for (const auto &[room, member] : local)
            joined(room, member);
    }
    queue(".");
}

void NodePresence::queue(const QByteArray &line)
{
    if (!m_bus.isListening() || line.contains('\n'))
        return;
    const QByteArray &node = m_bus.nodeId();
    if (node.size() + 1 + line.size() > NodeBus::kMaxPayload)
        return; // never: a member is a few hundred bytes
    if (node.size() + 1 + m_batch.size() + 1 + line.size() > NodeBus::kMaxPayload)
        flush();
    if (!m_batch.isEmpty())
        m_batch.append('\n');
    m_batch.append(line);
    if (!m_flush.isActive())
        m_flush.start();
}

void NodePresence::flush()
{
    m_flush.stop();
    if (m_batch.isEmpty())
        return;
    m_bus.publishPresence(m_bus.nodeId() + '\n' + std::exchange(m_batch, {}));
}

} // namespace inkroom::server
