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

std::optional<proto::Role> RoomState::ownRole(const QString &client) const
{
    const auto it = m_roles.constFind(client);
    return it == m_roles.cend() ? std::nullopt : std::optional(*it);
}

proto::Role RoomState::roleOf(const QString &client) const
{
    return proto::effectiveRole(ownRole(client), m_defaultRole, m_locked);
}

void RoomState::applyControl(const proto::Op &op)
{
    switch (op.kind) {
    case proto::OpKind::SetRole:
        m_roles.insert(op.target, op.role);
        if (const qsizetype i = indexOf(op.target); i >= 0)
            m_members[i].role = op.role;
        break;
    case proto::OpKind::SetDefaultRole:
        m_defaultRole = op.role;
        break;
    case proto::OpKind::Lock:
    case proto::OpKind::Unlock:
        m_locked = op.kind == proto::OpKind::Lock;
        break;
    default:
        return;
    }
    Q_EMIT rolesChanged();
}

void RoomState::welcome(const proto::Welcome &welcome)
{
    m_you = welcome.you;
    m_members = welcome.members;
    m_defaultRole = welcome.defaultRole;
    m_locked = welcome.locked;
    for (const proto::Member &m : std::as_const(m_members)) {
        m_colours.insert(m.client, m.colour);
        if (m.role)
            m_roles.insert(m.client, *m.role);
        else
            m_roles.remove(m.client);
    }
    Q_EMIT rolesChanged();
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
        if (m.role)
            m_roles.insert(m.client, *m.role);
        else
            m_roles.remove(m.client);
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
    const std::optional<proto::Role> role = m_members.at(i).role; // the server's to change, not ours
    m_members[i] = self;
    m_members[i].role = role;
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
    m_roles.clear();
    m_defaultRole = proto::Role::Editor;
    m_locked = false;
    Q_EMIT rolesChanged();
    if (m_hasPassword) {
        m_hasPassword = false;
        Q_EMIT hasPasswordChanged();
    }
    Q_EMIT membersReset();
}

} // namespace inkroom::client
