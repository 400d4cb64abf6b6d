#include "memberinput.h"

#include "connection.h"
#include "logging.h"
#include "protocollimits.h"
#include "room.h"
#include "rooms.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::ErrorCode;

namespace {

/** The live message to relay: the sender's own bytes with "client" put in front, or, when that is not safe, the
 *  decoded message encoded again.
 *
 * Encoding a live message costs twice what decoding it does, and a room relays one per drawing member 30 to 60 times
 * a second. The bytes decoded as one JSON object without a "client" member (live.client is empty only then), so
 * {"client":"<id>", followed by the rest of it is valid JSON naming the sender exactly once. Only messages about as
 * small as their decoded fields qualify: a relay never carries more than a few hundred bytes of anything else.
 */
QByteArray relayedLive(const proto::Live &live, const QByteArray &bytes, const QString &client)
{
    const qsizetype budget = 512 + 48 * live.points.size() + 24 * live.widths.size() + 2 * live.id.size();
    qsizetype brace = 0;
    while (brace < bytes.size()
           && (bytes[brace] == ' ' || bytes[brace] == '\t' || bytes[brace] == '\n' || bytes[brace] == '\r'))
        ++brace;
    if (!live.client.isEmpty() || bytes.size() > budget || brace >= bytes.size() || bytes[brace] != '{') {
        proto::Live copy = live;
        copy.client = client;
        return proto::encode(copy);
    }
    const QByteArray id = client.toLatin1(); // client ids are A-Z a-z 0-9 - _ : . only
    QByteArray out;
    out.reserve(bytes.size() + id.size() + 12);
    out.append("{\"client\":\"", 11);
    out.append(id);
    out.append("\",", 2);
    out.append(bytes.constData() + brace + 1, bytes.size() - brace - 1);
    return out;
}

} // namespace

proto::Reject heldBack(quint64 cseq)
{
    return proto::Reject {cseq, ErrorCode::HeldBack,
                          u"an earlier change of yours was refused for the moment; send again from that one"_s, true};
}

MemberInput::MemberInput(const ServerConfig &config, Rooms &rooms)
    : m_config(config)
    , m_rooms(rooms)
{
    m_clock.start();
}

void MemberInput::handle(Connection *connection, const QByteArray &bytes, const DecodedMessage *decoded)
{
    Room *room = connection->room();
    if (!room)
        return;
    std::optional<proto::DecodeResult> here;
    const proto::DecodeResult &result =
        decoded ? decoded->result : here.emplace(proto::decode(bytes, limits::MaxClientMessageBytes));
    if (!result.ok()) {
        const proto::DecodeError &error = result.error();
        qCDebug(lcNet).noquote() << connection->describe() << "sent a bad message:" << error.message;
        connection->sendMessage(error.toError());
        // A malformed op whose cseq can be read is refused too, so the client can settle it.
        if (const auto cseq = opCseqOf(bytes)) {
            room->reply(connection,
                        connection->holdsBack(*cseq) ? heldBack(*cseq)
                                                     : proto::Reject {*cseq, error.code, error.message});
            m_rooms.scheduleCommit(room);
        }
        return;
    }
    const proto::Message &message = result.message();
    switch (proto::typeOf(message)) {
    case proto::MessageType::Hello:
        connection->sendMessage(proto::Error {ErrorCode::AlreadyJoined,
                                              u"this connection has already joined room '%1'"_s.arg(room->name()),
                                              u"type"_s, false});
        return;
    case proto::MessageType::ListRooms:
        connection->sendMessage(proto::Error {ErrorCode::UnexpectedMessage,
                                              u"the room list is asked for before joining, not in a room"_s, u"type"_s,
                                              false});
        return;
    case proto::MessageType::Op:
        handleOp(connection, std::get<proto::Op>(message), decoded ? decoded->unstampedOp : QByteArray(), bytes.size());
        return;
    case proto::MessageType::Profile: {
        const auto &profile = std::get<proto::Profile>(message);
        connection->setProfile(room->distinctName(connection, profile.name, profile.colour), profile.colour);
        room->profileChanged(connection);
        return;
    }
    case proto::MessageType::Cursor: {
        proto::Cursor cursor = std::get<proto::Cursor>(message);
        cursor.client = connection->clientId();
        relayThrottled(connection, connection->cursorThrottle, proto::encode(cursor));
        return;
    }
    case proto::MessageType::View: {
        proto::View view = std::get<proto::View>(message);
        view.client = connection->clientId();
        connection->lastView = proto::encode(view);
        relayThrottled(connection, connection->viewThrottle, connection->lastView);
        return;
    }
    case proto::MessageType::Laser: {
        proto::Laser laser = std::get<proto::Laser>(message);
        laser.client = connection->clientId();
        room->broadcastVolatile(proto::encode(laser), connection);
        return;
    }
    case proto::MessageType::Summon:
        handleSummon(connection, std::get<proto::Summon>(message).active);
        return;
    case proto::MessageType::Typing: {
        const bool active = std::get<proto::Typing>(message).active;
        connection->setTyping(active);
        room->memberChanged();
        room->broadcast(proto::encode(proto::Typing {connection->clientId(), active}), connection);
        return;
    }
    case proto::MessageType::Live:
        room->broadcastVolatile(relayedLive(std::get<proto::Live>(message), bytes, connection->clientId()), connection);
        return;
    case proto::MessageType::BlobOffer:
    case proto::MessageType::BlobPut:
    case proto::MessageType::BlobGet:
        handleBlob(connection, message);
        return;
    case proto::MessageType::History:
        answerHistory(connection, std::get<proto::History>(message));
        return;
    case proto::MessageType::Handover:
        room->standby().handover(connection, std::get<proto::Handover>(message).target);
        m_rooms.scheduleCommit(room);
        return;
    case proto::MessageType::ReplicaAck:
        room->standby().acked(connection, std::get<proto::ReplicaAck>(message).seq);
        return;
    case proto::MessageType::Standby:
        room->standby().ready(connection, std::get<proto::Standby>(message));
        return;
    case proto::MessageType::Error:
        qCDebug(lcNet).noquote() << connection->describe()
                                 << "reported an error:" << std::get<proto::Error>(message).message;
        return;
    default:
        connection->sendMessage(proto::Error {ErrorCode::UnexpectedMessage,
                                              u"'%1' is a message the server sends, not one it accepts"_s.arg(
                                                  proto::messageTypeName(proto::typeOf(message))),
                                              u"type"_s, false});
        return;
    }
}

void MemberInput::handleOp(Connection *connection, const proto::Op &op, const QByteArray &unstamped, qint64 size)
{
    Room *room = connection->room();
    if (connection->holdsBack(op.cseq)) {
        room->reply(connection, heldBack(op.cseq));
    } else if (!connection->takeOpBytes(m_clock.elapsed(), size)) {
        // Over the byte rate of ops: refused for the moment (the connection is held back from it), never lost. A
        // client that paces by the welcome's opByteRate never gets here.
        room->reply(connection,
                    proto::Reject {op.cseq, ErrorCode::RateLimited,
                                   u"too many bytes of changes: at most %1 KiB a second (bursts of %2 "
                                   "KiB); send it again in a moment"_s.arg(opBytesPerSecond(m_config) / 1024)
                                       .arg(opBurstBytes(m_config) / 1024),
                                   true});
    } else {
        room->submit(connection, op, unstamped);
    }
    m_rooms.scheduleCommit(room);
}

void MemberInput::handleBlob(Connection *connection, const proto::Message &message)
{
    Room *room = connection->room();
    RoomBlobs &blobs = room->blobs();
    if (const auto *get = std::get_if<proto::BlobGet>(&message)) {
        // One chunk at a time, and only while the client takes what it was sent: a fetch never fills its queue.
        if (connection->unsent() > m_config.maxOutputBytes / 2) {
            proto::BlobStatus busy;
            busy.hash = get->hash;
            busy.code = ErrorCode::ServerBusy;
            busy.message = u"you have not taken what was sent yet; ask again in a moment"_s;
            busy.retry = true;
            connection->sendMessage(busy);
            return;
        }
        std::visit([connection](const auto &answer) { connection->sendMessage(answer); }, blobs.get(*get));
        return;
    }
    const bool isOffer = std::holds_alternative<proto::BlobOffer>(message);
    const QString hash = isOffer ? std::get<proto::BlobOffer>(message).hash : std::get<proto::BlobPut>(message).hash;
    const qint64 size = isOffer ? std::get<proto::BlobOffer>(message).size : std::get<proto::BlobPut>(message).size;
    // Uploading is editing: a viewer (or anybody on a locked board but the owners) may fetch images, not add them.
    if (room->controls().roleOf(connection->clientId()) == proto::Role::Viewer) {
        proto::BlobStatus refused;
        refused.hash = hash;
        refused.size = size;
        refused.code = ErrorCode::ViewOnly;
        refused.message = u"you can only view this board: images cannot be added"_s;
        connection->sendMessage(refused);
        return;
    }
    if (isOffer)
        connection->sendMessage(blobs.offer(connection->serial(), std::get<proto::BlobOffer>(message)));
    else {
        const proto::BlobStatus status =
            blobs.put(connection->serial(), std::get<proto::BlobPut>(message), m_clock.elapsed());
        connection->sendMessage(status);
        // A whole image, checked and stored: the room's standby gets a copy.
        if (!status.code && status.size > 0 && status.have == status.size)
            room->standby().blobStored(status.hash);
    }
}

void MemberInput::answerHistory(Connection *connection, const proto::History &request)
{
    Room *room = connection->room();
    if (!connection->takeHistoryToken(m_clock.elapsed())) {
        connection->send(RoomHistory::refusal(
            ErrorCode::RateLimited,
            u"at most %1 history requests a second; ask again in a moment"_s.arg(m_config.historyPerSecond), true,
            room->head()));
        return;
    }
    // A page may be megabytes: only for a client that has taken what it was sent before.
    if (connection->unsent() > m_config.volatileDropBytes) {
        connection->send(RoomHistory::refusal(ErrorCode::ServerBusy,
                                              u"the previous pages have not been read yet; ask again in a moment"_s,
                                              true, room->head()));
        return;
    }
    const QByteArray page = room->historyPage(connection->clientId(), request, m_config.historyPageBytes);
    // Like a catch-up, a page the client asked for may pass the output cap once.
    connection->beginCatchUp();
    connection->send(page);
    connection->endCatchUp();
}

void MemberInput::relayThrottled(Connection *connection, Connection::Throttle &throttle, QByteArray bytes)
{
    const qint64 interval = 1000 / std::max(1, m_config.cursorHz);
    const qint64 now = m_clock.elapsed();
    if (!throttle.timer.isActive() && (throttle.lastMs < 0 || now - throttle.lastMs >= interval)) {
        throttle.lastMs = now;
        connection->room()->broadcastVolatile(bytes, connection);
        return;
    }
    // Too soon: keep only the latest one and send it when the interval is up.
    throttle.pending = std::move(bytes);
    if (!throttle.timer.isActive())
        throttle.timer.start(int(std::max<qint64>(0, interval - (now - throttle.lastMs))));
}

void MemberInput::sendPending(Connection *connection, Connection::Throttle &throttle)
{
    if (connection->state() != Connection::State::Joined || !connection->room() || throttle.pending.isEmpty())
        return;
    throttle.lastMs = m_clock.elapsed();
    connection->room()->broadcastVolatile(std::exchange(throttle.pending, {}), connection);
}

void MemberInput::handleSummon(Connection *connection, bool active)
{
    Room *room = connection->room();
    // Decided by the role as it stands with the ops already ordered (a demotion in flight counts).
    if (room->controls().roleOf(connection->clientId()) != proto::Role::Owner) {
        connection->sendMessage(proto::Error {
            ErrorCode::NotOwner, u"only the room's owners may ask everybody to follow them"_s, u"type"_s, false});
        return;
    }
    room->setSummoner(connection, active);
}

} // namespace inkroom::server
