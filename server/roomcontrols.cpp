#include "roomcontrols.h"

#include "roomclients.h"
#include "store.h"

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::ErrorCode;
using proto::OpKind;
using proto::Role;

RoomControls::RoomControls(RoomClients &clients)
    : m_clients(clients)
{ }

void RoomControls::load(Role defaultRole, bool locked)
{
    m_defaultRole = m_committedDefaultRole = defaultRole;
    m_locked = m_committedLocked = locked;
}

std::optional<Role> RoomControls::ownRole(const QString &client) const
{
    const RoomClients::Client *known = m_clients.find(client);
    return known ? known->role : std::nullopt;
}

Role RoomControls::roleOf(const QString &client) const
{
    return proto::effectiveRole(ownRole(client), m_defaultRole, m_locked);
}

bool RoomControls::isBanned(const QString &client) const
{
    const RoomClients::Client *known = m_clients.find(client);
    return known && known->banned;
}

bool RoomControls::hasOwner() const
{
    return m_clients.ownerCount() > 0;
}

std::optional<std::pair<ErrorCode, QString>> RoomControls::check(const QString &sender, const proto::Op &op) const
{
    const auto refuse = [](ErrorCode code, const QString &words) { return std::make_optional(std::pair(code, words)); };
    if (proto::isEditOp(op.kind) && roleOf(sender) == Role::Viewer) {
        return refuse(
            ErrorCode::ViewOnly,
            m_locked && ownRole(sender).value_or(m_defaultRole) != Role::Viewer
                ? u"an owner locked the board: you can chat and point, but not change it until it is unlocked"_s
                : u"you are a viewer in this room: you can chat and point, but not change the board"_s);
    }
    if (proto::isControlOp(op.kind) && ownRole(sender) != Role::Owner)
        return refuse(ErrorCode::NotOwner, u"only the room's owners may %1"_s.arg([&op] {
            switch (op.kind) {
            case OpKind::Clear:
                return u"clear the board"_s;
            case OpKind::SetRole:
            case OpKind::SetDefaultRole:
                return u"give roles"_s;
            case OpKind::Lock:
            case OpKind::Unlock:
                return u"lock or unlock the board"_s;
            case OpKind::Kick:
                return u"remove people from the room"_s;
            default:
                return u"undo somebody's changes"_s;
            }
        }()));
    const bool hasTarget = op.kind == OpKind::SetRole || op.kind == OpKind::Kick || op.kind == OpKind::Rollback
        || op.kind == OpKind::Direct;
    if (hasTarget && !m_clients.isKnown(op.target))
        return refuse(ErrorCode::UnknownClient, u"client id '%1' has never joined this room"_s.arg(op.target));
    if ((op.kind == OpKind::Kick || op.kind == OpKind::Direct) && op.target == sender) {
        return refuse(ErrorCode::BadValue,
                      op.kind == OpKind::Kick ? u"you cannot remove yourself from the room"_s
                                              : u"a direct message goes to somebody else"_s);
    }
    if (op.kind == OpKind::SetRole && op.role != Role::Owner && ownRole(op.target) == Role::Owner
        && m_clients.ownerCount() <= 1)
        return refuse(ErrorCode::BadValue, u"the room would have no owner left: make somebody else an owner first"_s);
    return std::nullopt;
}

void RoomControls::ordered(const proto::Op &op)
{
    switch (op.kind) {
    case OpKind::SetRole:
        m_clients.setRole(op.target, op.role);
        break;
    case OpKind::SetDefaultRole:
        m_defaultRole = op.role;
        break;
    case OpKind::Lock:
        m_locked = true;
        break;
    case OpKind::Unlock:
        m_locked = false;
        break;
    case OpKind::Kick:
        if (op.ban)
            m_clients.setBanned(op.target);
        break;
    default:
        break;
    }
}

bool RoomControls::write(Store &store, qint64 room) const
{
    if (m_defaultRole == m_committedDefaultRole && m_locked == m_committedLocked)
        return true;
    return store.setRoomControls(room, m_defaultRole, m_locked);
}

void RoomControls::commit()
{
    m_committedDefaultRole = m_defaultRole;
    m_committedLocked = m_locked;
}

void RoomControls::rollback()
{
    m_defaultRole = m_committedDefaultRole;
    m_locked = m_committedLocked;
}

} // namespace inkroom::server
