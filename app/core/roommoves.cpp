#include "roommoves.h"

#include "clientconnection.h"

using namespace Qt::StringLiterals;

namespace inkroom::client {

RoomMoves::RoomMoves(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_failover.setSingleShot(true);
    connect(&m_failover, &QTimer::timeout, this, &RoomMoves::failover);
    connect(connection, &Connection::received, this, &RoomMoves::onMessage);
    connect(connection, &Connection::stateChanged, this, &RoomMoves::onConnectionState);
}

void RoomMoves::onMessage(const proto::Message &message)
{
    if (const auto *replica = std::get_if<proto::Replica>(&message))
        onReplica(*replica);
    else if (const auto *standby = std::get_if<proto::Standby>(&message))
        onStandby(*standby);
    else if (const auto *moved = std::get_if<proto::Moved>(&message))
        onMoved(*moved);
}

void RoomMoves::onReplica(const proto::Replica &replica)
{
    if (!m_canServe)
        return; // we never said we could: a server that sends it anyway is not answered
    const bool wasStarted = m_copy.isStarted();
    QString why;
    if (!m_copy.apply(replica, &why)) {
        // Not confirmed: the server stops waiting for us and chooses another standby.
        qWarning("Inkroom: the room's copy is refused: %s", qPrintable(why));
        if (wasStarted)
            endStandby();
        return;
    }
    m_connection->send(proto::ReplicaAck {m_copy.head()});
    if (!wasStarted) {
        Q_EMIT changed();
        Q_EMIT standbyStarted();
    }
}

void RoomMoves::standbyServerReady(int port, const QString &fingerprint)
{
    if (m_copy.isStarted() && port > 0)
        m_connection->send(proto::Standby {{}, {}, {}, fingerprint, port});
}

void RoomMoves::onStandby(const proto::Standby &standby)
{
    m_standby = standby;
    // Another standby, or none: whatever copy we kept is of no use any more.
    if (m_copy.isStarted() && standby.client != m_self)
        endStandby();
    Q_EMIT changed();
}

void RoomMoves::endStandby()
{
    m_copy.clear();
    Q_EMIT changed();
    Q_EMIT standbyEnded();
}

void RoomMoves::onMoved(const proto::Moved &moved)
{
    m_failover.stop();
    m_standby = {}; // the room is at its new address: nothing to fail over to until that one names a standby
    m_notice = moved.client == m_self ? tr("The room moved to this computer: it goes on from here.")
                                      : tr("The room moved to %1's computer.").arg(moved.name);
    Q_EMIT changed();
    if (moved.client == m_self) {
        if (const auto seed = m_copy.seed()) {
            Q_EMIT takeOver(*seed);
            return;
        }
    }
    Q_EMIT follow(QUrl(moved.url), moved.fp);
}

void RoomMoves::onConnectionState()
{
    using State = Connection::State;
    const State state = m_connection->state();
    // Back, or left, or stopped for a reason moving cannot fix (a removal, a closed room): nothing to fail over.
    if (state == State::Online || state == State::Disconnected
        || (state == State::Failed && m_connection->failure() != Connection::Failure::Unreachable)) {
        m_failover.stop();
        return;
    }
    // Lost (reconnecting, or given up on an unreachable host): if the host is not back soon, the standby takes over.
    if (!m_standby.client.isEmpty() && !m_failover.isActive())
        m_failover.start(m_failoverMs);
}

void RoomMoves::failover()
{
    if (m_standby.client.isEmpty() || m_connection->state() == Connection::State::Online)
        return;
    const proto::Standby standby = std::exchange(m_standby, {});
    m_notice = standby.client == m_self
        ? tr("The host's computer is gone: the room moved to this computer and goes on from here.")
        : tr("The host's computer is gone: the room moved to %1's computer.").arg(standby.name);
    Q_EMIT changed();
    if (standby.client == m_self) {
        if (const auto seed = m_copy.seed()) {
            Q_EMIT takeOver(*seed);
            return;
        }
    }
    if (standby.client != m_self)
        Q_EMIT follow(QUrl(standby.url), standby.fp);
}

void RoomMoves::dismissNotice()
{
    if (m_notice.isEmpty())
        return;
    m_notice.clear();
    Q_EMIT changed();
}

void RoomMoves::clear()
{
    m_failover.stop();
    m_standby = {};
    m_notice.clear();
    if (m_copy.isStarted())
        endStandby();
    Q_EMIT changed();
}

} // namespace inkroom::client
