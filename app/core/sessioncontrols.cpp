// Session: roles, host controls and direct messages (docs/PROTOCOL.md, "Roles and host controls" and "Direct
// messages"). Every control is an op in the outbox like any change: journaled, sent in order, acknowledged or refused.
#include "outbox.h"
#include "roomstate.h"
#include "session.h"

#include <QDateTime>

namespace inkroom::client {

using proto::Op;
using proto::OpKind;
using proto::Role;

QString Session::role() const
{
    return proto::roleName(m_roomState->roleOf(m_roomState->you()));
}

bool Session::isOwner() const
{
    return m_roomState->ownRole(m_roomState->you()) == Role::Owner;
}

bool Session::viewOnly() const
{
    return !m_roomState->you().isEmpty() && m_roomState->roleOf(m_roomState->you()) == Role::Viewer;
}

QString Session::viewOnlyReason() const
{
    if (!viewOnly())
        return {};
    if (m_roomState->isLocked()
        && m_roomState->ownRole(m_roomState->you()).value_or(m_roomState->defaultRole()) != Role::Viewer)
        return tr("View only: an owner locked the board. You can still chat and point.");
    return tr("View only: an owner made you a viewer in this room. You can still chat and point.");
}

bool Session::locked() const
{
    return m_roomState->isLocked();
}

bool Session::guestsReadOnly() const
{
    return m_roomState->defaultRole() == Role::Viewer;
}

bool Session::submitControl(Op op)
{
    if (!m_roomState->you().isEmpty() && !isOwner()) {
        Q_EMIT problem(tr("Only the room's owners may do this."));
        return false;
    }
    return submit(std::move(op));
}

bool Session::setMemberRole(const QString &clientId, const QString &role)
{
    const std::optional<Role> value = proto::roleFromName(role);
    if (!value || clientId.isEmpty())
        return false;
    Op op;
    op.kind = OpKind::SetRole;
    op.target = clientId;
    op.role = *value;
    return submitControl(op);
}

bool Session::setGuestsReadOnly(bool readOnly)
{
    Op op;
    op.kind = OpKind::SetDefaultRole;
    op.role = readOnly ? Role::Viewer : Role::Editor;
    return submitControl(op);
}

bool Session::setLocked(bool locked)
{
    Op op;
    op.kind = locked ? OpKind::Lock : OpKind::Unlock;
    return submitControl(op);
}

bool Session::removeMember(const QString &clientId, bool ban)
{
    if (clientId.isEmpty())
        return false;
    Op op;
    op.kind = OpKind::Kick;
    op.target = clientId;
    op.ban = ban;
    return submitControl(op);
}

bool Session::rollbackMember(const QString &clientId, int count)
{
    if (clientId.isEmpty() || count < 1)
        return false;
    Op op;
    op.kind = OpKind::Rollback;
    op.target = clientId;
    op.count = std::min(count, limits::MaxRollbackOps);
    return submitControl(op);
}

void Session::noteRollback(const Op &op)
{
    if (op.kind != OpKind::Rollback || !op.undone || *op.undone >= op.count)
        return;
    const proto::Member *target = m_roomState->member(op.target);
    const QString name = target ? target->name : op.target;
    Q_EMIT problem(*op.undone == 0
                       ? tr("Nothing of %1's was undone: they made no changes since the room's last snapshot, and "
                            "older ones can no longer be undone.")
                             .arg(name)
                       : tr("Undid %1 of %2's last %3 changes; the older ones are before the room's last snapshot and "
                            "can no longer be undone.")
                             .arg(*op.undone)
                             .arg(name)
                             .arg(op.count));
}

bool Session::sendDirect(const QString &clientId, const QString &text)
{
    Op op;
    op.kind = OpKind::Direct;
    op.target = clientId;
    op.text = QString(text).replace(QChar::LineSeparator, u'\n').replace(QChar::ParagraphSeparator, u'\n');
    if (op.text.trimmed().isEmpty() || clientId.isEmpty())
        return false;
    return submit(op);
}

QString Session::memberIdByName(const QString &name) const
{
    QString found;
    for (const proto::Member &member : m_roomState->members()) {
        if (member.client == name)
            return member.client;
        if (member.name.compare(name, Qt::CaseInsensitive) == 0) {
            if (!found.isEmpty())
                return {}; // two people of that name: say which by client id
            found = member.client;
        }
    }
    return found;
}

ChatMessage Session::pendingMessage(const OutboxEntry &entry) const
{
    ChatMessage message {
        0,    entry.cseq, m_outbox->clientId(), m_name, m_colour, entry.op.text, QDateTime::currentMSecsSinceEpoch(),
        true, true};
    if (entry.op.kind == OpKind::Direct) {
        message.peer = entry.op.target;
        const proto::Member *peer = m_roomState->member(entry.op.target);
        message.peerName = peer ? peer->name : entry.op.target;
    }
    return message;
}

} // namespace inkroom::client
