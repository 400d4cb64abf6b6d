#include "roomstate.h"

namespace inkroom::client {

qsizetype RoomState::indexOf(const QString &client) const
{
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (m_members.at(i).client == client)
            return i;
    }
    return -1;
}

const proto::Member *RoomState::member(const QString &client) const
{
    const qsizetype i = indexOf(client);
    return i < 0 ? nullptr : &m_members.at(i);
}

proto::Colour RoomState::colourOf(const QString &client, proto::Colour fallback) const
{
    return m_colours.value(client, fallback);
}

void RoomState::welcome(const proto::Welcome &welcome)
{
    m_you = welcome.you;
    m_members = welcome.members;
    for (const proto::Member &m : std::as_const(m_members))
        m_colours.insert(m.client, m.colour);
    if (m_hasPassword != welcome.hasPassword) {
        m_hasPassword = welcome.hasPassword;
        Q_EMIT hasPasswordChanged();
    }
    Q_EMIT membersReset();
}

bool RoomState::apply(const proto::Presence &presence)
{
    const proto::Member &m = presence.member;
    const bool self = m.client == m_you;
    switch (presence.event) {
    case proto::PresenceEvent::Joined:
        if (self)
            return true;
        m_colours.insert(m.client, m.colour);
        if (const qsizetype i = indexOf(m.client); i >= 0)
            m_members[i] = m;
        else
            m_members.append(m);
        Q_EMIT memberJoined(m);
        return true;
    case proto::PresenceEvent::Left:
        if (self)
            return false; // an old connection of ours going away
        if (const qsizetype i = indexOf(m.client); i >= 0)
            m_members.removeAt(i);
        Q_EMIT memberLeft(m.client);
        return true;
    case proto::PresenceEvent::Updated:
        m_colours.insert(m.client, m.colour);
        if (const qsizetype i = indexOf(m.client); i >= 0)
            m_members[i] = m;
        Q_EMIT memberUpdated(m);
        return true;
    }
    return true;
}

void RoomState::updateSelf(const proto::Member &self)
{
    const qsizetype i = indexOf(self.client);
    if (i < 0)
        return;
    m_members[i] = self;
    m_colours.insert(self.client, self.colour);
    Q_EMIT memberUpdated(self);
}

void RoomState::setTyping(const QString &client, bool typing)
{
    if (const qsizetype i = indexOf(client); i >= 0)
        m_members[i].typing = typing;
}

void RoomState::clear()
{
    m_you.clear();
    m_members.clear();
    m_colours.clear();
    if (m_hasPassword) {
        m_hasPassword = false;
        Q_EMIT hasPasswordChanged();
    }
    Q_EMIT membersReset();
}

} // namespace inkroom::client
