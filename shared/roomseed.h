#pragma once

#include "protocol.h"

#include <QHash>

namespace inkroom::proto {

/** @brief A room's complete durable state, as a standby's copy holds it and a server is seeded with it when it takes
 *  the room over (docs/PROTOCOL.md, "Handing a room over"). */
struct RoomSeed
{
    QString room;
    QString epoch;
    QByteArray passwordSalt; //!< empty: no password
    QByteArray passwordHash;
    int passwordIterations = 0;
    quint64 head = 0; //!< the log's last seq: the board is at it
    Role defaultRole = Role::Editor;
    bool locked = false;
    QList<Item> items; //!< the board at head, bottom to top, with z
    QList<Op> chat; //!< recent chat and direct messages, oldest first, with seq
    QList<ReplicaClient> clients;
    //! The room's images the copy holds whole, by blob hash (the bytes checked against it).
    QHash<QString, QByteArray> blobs;
};

} // namespace inkroom::proto
