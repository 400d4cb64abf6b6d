#include "roomdirectory.h"

#include "closecodes.h"
#include "connection.h"
#include "logging.h"
#include "passwordhash.h"
#include "rooms.h"

using namespace Qt::StringLiterals;

namespace inkroom::server {

RoomDirectory::RoomDirectory(const QString &joinToken, const Rooms &rooms)
    : m_joinToken(joinToken)
    , m_rooms(rooms)
{ }

void RoomDirectory::answer(Connection *connection, const proto::ListRooms &request, qint64 nowMs)
{
    if (!m_joinToken.isEmpty() && !password::constantTimeEqual(request.token.toUtf8(), m_joinToken.toUtf8())) {
        connection->fail(proto::ErrorCode::BadToken,
                         request.token.isEmpty() ? u"this server needs a join token"_s : u"wrong join token"_s,
                         quint16(proto::CloseCode::BadToken), u"token"_s);
        return;
    }
    const QString peer = connection->peerAddress().toString();
    if (m_peers.size() >= MaxTrackedPeers && !m_peers.contains(peer))
        expire(nowMs);
    auto it = m_peers.find(peer);
    if (it == m_peers.end())
        it = m_peers.insert(peer, TokenBucket(1000.0 / ListIntervalMs, ListBurst));
    if (!it->tryTake(nowMs)) {
        qCDebug(lcNet).noquote() << connection->describe() << "asked for the room list too often";
        connection->sendMessage(proto::Error {proto::ErrorCode::RateLimited,
                                              u"the room list was asked for too often from this address; ask again "
                                              "in %1 ms"_s.arg(it->msUntilToken(nowMs)),
                                              u"type"_s, false});
        return;
    }
    connection->sendMessage(proto::RoomList {m_rooms.openRooms(limits::MaxRoomsListed)});
}

void RoomDirectory::expire(qint64 nowMs)
{
    for (auto it = m_peers.begin(); it != m_peers.end();) {
        if (it->tokens(nowMs) >= it->capacity())
            it = m_peers.erase(it);
        else
            ++it;
    }
    // Still too many (a flood from many addresses): start again; the worst this does is grant a few more lists.
    if (m_peers.size() >= MaxTrackedPeers)
        m_peers.clear();
}

} // namespace inkroom::server
