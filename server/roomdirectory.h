#pragma once

#include "protocol.h"
#include "tokenbucket.h"

#include <QHash>
#include <QString>

namespace inkroom::server {

class Connection;
class Rooms;

/** @brief Answers list_rooms: the open rooms (name, members, password or not) to anyone who asks before joining.
 *
 * The start page's "On this network" list and inkroom-cli --discover ask it; the DNS-SD announcement stays small
 * because the rooms are here and not in it. Protected like a join: the server's join token is needed when it has
 * one, and each peer address may ask ListBurst times at once and then once every ListIntervalMs; past that it gets a
 * rate_limited error (not fatal) instead of the list.
 */
class RoomDirectory
{
public:
    static constexpr int ListBurst = 5;
    static constexpr int ListIntervalMs = 1000;
    //! Peer addresses remembered at most; past it, idle ones are forgotten first (the heartbeat expires them).
    static constexpr int MaxTrackedPeers = 4096;

    RoomDirectory(const QString &joinToken, const Rooms &rooms);

    //! A connection that has not joined asked for the list: answer it (or refuse it), at time nowMs.
    void answer(Connection *connection, const proto::ListRooms &request, qint64 nowMs);
    //! Forget peers whose budget is full again (the heartbeat calls it).
    void expire(qint64 nowMs);

private:
    const QString m_joinToken;
    const Rooms &m_rooms;
    QHash<QString, TokenBucket> m_peers; //!< by peer address
};

} // namespace inkroom::server
