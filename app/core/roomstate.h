#pragma once

#include "protocol.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace inkroom::client {

/** @brief What this client knows of the room it is in: who it is there, who else is, and what everybody is called
 * and coloured. Plain state, fed by the welcome and presence; the people list and the chat project it.
 *
 * Members are kept in the order the server lists them (the order they joined); names and colours of people who
 * left stay known, so their old chat messages keep their colour.
 */
class RoomState : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    //! Our client id in the room (from the welcome); empty before it.
    [[nodiscard]] const QString &you() const { return m_you; }
    [[nodiscard]] bool hasPassword() const { return m_hasPassword; }
    [[nodiscard]] const QList<proto::Member> &members() const { return m_members; }
    [[nodiscard]] const proto::Member *member(const QString &client) const;
    //! The colour of anybody seen in this room (also after they left); fallback if never seen.
    [[nodiscard]] proto::Colour colourOf(const QString &client, proto::Colour fallback) const;

    // ---- roles (docs/PROTOCOL.md, "Roles and host controls") ----
    [[nodiscard]] proto::Role defaultRole() const { return m_defaultRole; }
    [[nodiscard]] bool isLocked() const { return m_locked; }
    //! The role client's changes are decided by: its own or the default, and a viewer on a locked board unless owner.
    [[nodiscard]] proto::Role roleOf(const QString &client) const;
    //! The role an owner gave client (none: the room's default).
    [[nodiscard]] std::optional<proto::Role> ownRole(const QString &client) const;
    //! A role, default_role, lock or unlock op from the room's log (others are ignored).
    void applyControl(const proto::Op &op);

    //! A welcome: we are you, the room has these members (us among them).
    void welcome(const proto::Welcome &welcome);
    //! Somebody joined, left or changed; false when it changes nothing we show (our own old connection leaving).
    bool apply(const proto::Presence &presence);
    //! Our own name, colour or typing changed here (the server's presence confirms it later).
    void updateSelf(const proto::Member &self);
    void setTyping(const QString &client, bool typing);
    void clear();

Q_SIGNALS:
    //! The whole member list changed (a welcome, or cleared).
    void membersReset();
    void memberJoined(const inkroom::proto::Member &member);
    void memberLeft(const QString &client);
    void memberUpdated(const inkroom::proto::Member &member);
    void hasPasswordChanged();
    //! Somebody's role, the default role or the lock changed (a welcome, a control op, a member joining).
    void rolesChanged();

private:
    [[nodiscard]] qsizetype indexOf(const QString &client) const;

    QString m_you;
    bool m_hasPassword = false;
    QList<proto::Member> m_members;
    QHash<QString, proto::Colour> m_colours; //!< everybody ever seen here
    QHash<QString, proto::Role> m_roles; //!< the roles owners gave, also of people not here now
    proto::Role m_defaultRole = proto::Role::Editor;
    bool m_locked = false;
};

} // namespace inkroom::client
