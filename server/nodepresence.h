#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace inkroom::server {

class NodeBus;

/** @brief Who is in each room on the other servers (nodes) of one database; and this node's members, told to them.
 *
 * Members of one room may be connected to different nodes, and each should see everybody in the member list. Each
 * node says on the bus's presence channel who joined, changed name or colour ("ROOM + PRESENCE") and left
 * ("ROOM - CLIENT") in its rooms, that it is alive ("*", every heartbeatMs), and everything it has ("=", the members,
 * ".") when its bus connects (again) and whenever another node asks ("?", sent by a node whose bus connects). A full
 * announcement replaces what the others knew of that node. A node not heard from for leaseMs is gone (SIGKILLed, cut
 * off from the database): its members leave the others' lists. One node's payloads arrive in the order it sent them.
 *
 * What arrives is checked like network input (any user of the database may NOTIFY): a malformed line is dropped, a
 * node keeps at most maxMembers members a room, and at most kMaxNodes nodes are tracked.
 */
class NodePresence final : public QObject
{
    Q_OBJECT

public:
    //! This node's members: (room id, member) for each member of each room in memory.
    using Local = std::function<QList<std::pair<qint64, proto::Member>>()>;
    /** Somebody in room on another node appeared (before empty), changed, or is gone from every other node (now
     *  empty). Not called when nothing a member list shows changed. */
    using Changed = std::function<void(qint64 room, const std::optional<proto::Member> &before,
                                       const std::optional<proto::Member> &now)>;

    NodePresence(NodeBus &bus, int heartbeatMs, int leaseMs, int maxMembers, Local local, Changed changed,
                 QObject *parent = nullptr);

    //! A member of room on this node joined, or changed its name or colour: tell the other nodes.
    void joined(qint64 room, const proto::Member &member);
    //! A member of room on this node left.
    void left(qint64 room, const QString &client);
    //! The members of room on other nodes, each client id once.
    [[nodiscard]] QList<proto::Member> members(qint64 room) const;
    //! client in room on another node, as it was heard of last.
    [[nodiscard]] std::optional<proto::Member> member(qint64 room, const QString &client) const;
    //! Other nodes heard from within the lease.
    [[nodiscard]] int nodeCount() const { return int(m_nodes.size()); }

    //! The most other nodes tracked at once (a flood of forged node ids stops here).
    static constexpr int kMaxNodes = 64;

private:
    struct Heard
    {
        proto::Member member;
        quint64 order = 0; //!< when it was heard (a counter): the latest wins when two nodes list one client
        bool confirmed = true; //!< false from the node's "=" until the member is listed again before its "."
    };
    struct Remote
    {
        QElapsedTimer seen;
        QHash<qint64, QHash<QString, Heard>> rooms;
    };

    void received(const QByteArray &payload);
    void line(const QByteArray &node, Remote &remote, const QByteArray &text);
    //! Set (member) or remove (nullopt) client of room on node, and report what the member lists see of it.
    void set(Remote &remote, qint64 room, const QString &client, const std::optional<proto::Member> &member);
    void expire();
    void announceAll();
    void queue(const QByteArray &line);
    void flush();

    NodeBus &m_bus;
    int m_leaseMs;
    int m_maxMembers;
    Local m_local;
    Changed m_changed;
    QHash<QByteArray, Remote> m_nodes;
    quint64 m_order = 0;
    QTimer m_heartbeat;
    QTimer m_flush;
    QByteArray m_batch; //!< lines waiting to go out
};

} // namespace inkroom::server
