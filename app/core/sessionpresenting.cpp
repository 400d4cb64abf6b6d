// Session: following and the laser pointer (docs/PROTOCOL.md, "Following and the laser pointer").
#include "session.h"

using namespace Qt::StringLiterals;

namespace inkroom::client {

void Session::wirePresenting()
{
    RoomFeed *f = m_feed;
    connect(f, &RoomFeed::viewReceived, this, [this](const proto::View &view) {
        m_following->viewReceived(view);
        Q_EMIT viewReceived(view);
    });
    connect(f, &RoomFeed::laserReceived, this, [this](const proto::Laser &laser) {
        m_laserTrails->add(laser.client, laser.points, laser.end);
        Q_EMIT laserReceived(laser);
    });
    connect(f, &RoomFeed::summonReceived, this, [this](const proto::Summon &summon) {
        m_following->summonReceived(summon);
        Q_EMIT summonReceived(summon);
    });
    connect(f, &RoomFeed::welcomed, this, [this](const proto::Welcome &welcome) {
        m_following->setSelf(welcome.you);
        m_following->welcomed(welcome.members);
    });
    // After the catch-up, so the summon is live traffic like the server's own (which it forgot when we left).
    connect(f, &RoomFeed::synced, this, [this] {
        if (m_summoning && isOwner()) {
            m_pacer.take();
            m_connection->send(proto::Summon {QString(), true});
        }
    });
    connect(f, &RoomFeed::opApplied, this, [this](const proto::Op &op, bool own) {
        if (own)
            noteRollback(op);
    });
    connect(f, &RoomFeed::presenceEvent, this, [this](const proto::Presence &presence) {
        if (presence.event == proto::PresenceEvent::Left)
            m_following->memberLeft(presence.member.client);
    });
}

void Session::setView(double x, double y, double width, double height)
{
    m_volatile->setView(QRectF(x, y, width, height));
}

void Session::laserTo(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    m_volatile->laserTo(QPointF(x, y));
    // Our own trail shows at once, as others will see it.
    if (!clientId().isEmpty())
        m_laserTrails->add(clientId(), {QPointF(x, y)}, false);
}

void Session::laserEnd()
{
    m_volatile->laserEnd();
    if (!clientId().isEmpty())
        m_laserTrails->add(clientId(), {}, true);
}

bool Session::summonEveryone(bool active)
{
    if (active && !isOwner()) {
        Q_EMIT problem(tr("Only the room's owners can ask everybody to follow them."));
        return false;
    }
    if (active == m_summoning)
        return true;
    m_summoning = active;
    Q_EMIT summoningChanged();
    // Offline: it goes out after the next welcome (see wirePresenting()); withdrawn, the server forgot it anyway.
    if (m_connection->isWelcomed()) {
        m_pacer.take();
        m_connection->send(proto::Summon {QString(), active});
    }
    return true;
}

} // namespace inkroom::client
