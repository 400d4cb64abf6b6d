#pragma once

#include "protocol.h"

#include <QString>

#include <optional>

namespace inkroom::server {

class RoomClients;
class Store;

/** @brief Who may do what in a room: roles, the default role for newcomers and the lock (docs/PROTOCOL.md, "Roles and
 *  host controls").
 *
 * The room-wide settings live here, as committed and as they stand with the pending batch; each client id's own role
 * and ban live with the rest of what the room knows about it, in RoomClients. check() decides an op against the state
 * with the pending batch, so a lock refuses the edits ordered after it in the same batch.
 */
class RoomControls
{
public:
    explicit RoomControls(RoomClients &clients);

    void load(proto::Role defaultRole, bool locked);

    [[nodiscard]] proto::Role defaultRole() const { return m_defaultRole; }
    [[nodiscard]] bool isLocked() const { return m_locked; }
    //! The role client's ops are decided by (its own, or the default; a viewer on a locked board unless owner).
    [[nodiscard]] proto::Role roleOf(const QString &client) const;
    //! The role an owner gave client, if any.
    [[nodiscard]] std::optional<proto::Role> ownRole(const QString &client) const;
    [[nodiscard]] bool isBanned(const QString &client) const;
    [[nodiscard]] bool hasOwner() const;

    //! Why sender may not make this op (a permanent refusal's code and words), or nullopt when it may.
    [[nodiscard]] std::optional<std::pair<proto::ErrorCode, QString>> check(const QString &sender,
                                                                            const proto::Op &op) const;
    //! An op passed check() and is in the pending batch: its effect on roles, bans and settings counts from now.
    void ordered(const proto::Op &op);
    //! Write the room-wide settings inside the open transaction, when the pending batch changed them.
    bool write(Store &store, qint64 room) const;
    void commit();
    void rollback();

private:
    RoomClients &m_clients;
    proto::Role m_defaultRole = proto::Role::Editor;
    bool m_locked = false;
    proto::Role m_committedDefaultRole = proto::Role::Editor;
    bool m_committedLocked = false;
};

} // namespace inkroom::server
