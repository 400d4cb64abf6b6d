#pragma once

#include "connection.h"
#include "protocol.h"
#include "serverconfig.h"

#include <QByteArray>
#include <QElapsedTimer>

namespace inkroom::server {

class Connection;
class Rooms;

/** @brief What a joined member's messages do in its room: ops go to the log (or are refused in order), profile and
 *  typing change the member, cursors and views are relayed throttled, live strokes and laser trails as they come, and
 *  an owner's summon goes to everybody (anybody else's is refused).
 *
 * Every op whose cseq can be read gets exactly one answer, in the order of the ops (docs/PROTOCOL.md, "Answers to
 * ops"): an op the connection must hold back is refused with held_back, a malformed one with its decode error.
 */
class MemberInput
{
public:
    MemberInput(const ServerConfig &config, Rooms &rooms);

    /** A message from a joined member (already counted by the rate limit). decoded: what a DecodeLane worker made of
     *  bytes (nullptr: decode them here). */
    void handle(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded = nullptr);
    //! The member's throttled cursor or view is due (its throttle's timer fired).
    void sendPending(Connection *connection, Connection::Throttle &throttle);

private:
    /** unstamped: the op encoded without what the server stamps (a worker's; empty: none); size: its message's bytes
     *  as they arrived, which count against the connection's byte rate of ops. */
    void handleOp(Connection *connection, const proto::Op &op, const QByteArray &unstamped, qint64 size);
    //! Answer a history request with one history_page (or its refusal: too fast, or too much output unsent).
    void answerHistory(Connection *connection, const proto::History &request);
    //! Relay bytes now, or keep them as the newest waiting update when the last one went out too recently.
    void relayThrottled(Connection *connection, Connection::Throttle &throttle, QByteArray bytes);
    void handleSummon(Connection *connection, bool active);
    //! blob_offer, blob_put, blob_get: the room's images (RoomBlobs), answered with blob_status or blob_data.
    void handleBlob(Connection *connection, const proto::Message &message);

    const ServerConfig &m_config;
    Rooms &m_rooms;
    QElapsedTimer m_clock;
};

//! The refusal of an op the connection holds back (see Connection::holdsBack()).
[[nodiscard]] proto::Reject heldBack(quint64 cseq);

} // namespace inkroom::server
