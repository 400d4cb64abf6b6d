#include "roomstandby.h"

#include "closecodes.h"
#include "connection.h"
#include "logging.h"
#include "room.h"
#include "serverconfig.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::ErrorCode;

namespace {

//! Replicas stay well below the largest message a server sends (an op alone may take one of its own).
constexpr qint64 kReplicaBytes = 4 * 1024 * 1024;

//! The ops' bytes joined into shell's "ops" list (the ops' own "type" field is ignored there, as in a history page).
QByteArray encodeWithOps(const proto::Replica &shell, const QList<QByteArray> &ops)
{
    QByteArray bytes = proto::encode(shell);
    if (ops.isEmpty())
        return bytes;
    bytes.chop(1); // the closing brace
    bytes.append(",\"ops\":[");
    for (qsizetype i = 0; i < ops.size(); ++i) {
        if (i)
            bytes.append(',');
        bytes.append(ops.at(i));
    }
    bytes.append("]}");
    return bytes;
}

} // namespace

RoomStandby::RoomStandby(Room &room, const ServerConfig &config)
    : m_room(room)
    , m_config(config)
{
    m_timeout.setSingleShot(true);
    QObject::connect(&m_timeout, &QTimer::timeout, [this] { checkTimeout(); });
}

RoomStandby::~RoomStandby() = default;

// ---- the gate ----

void RoomStandby::send(Connection *to, const QByteArray &bytes)
{
    if (!to)
        return;
    if (!m_announced || (m_held.isEmpty() && m_confirmed >= m_room.head() && m_picturesDone >= m_picturesQueued)) {
        to->send(bytes);
        return;
    }
    if (m_held.isEmpty())
        m_oldestHeld.start();
    m_held.append(Held {to, bytes, m_room.head(), m_picturesQueued});
    if (!m_timeout.isActive())
        m_timeout.start(m_config.standbyConfirmMs);
}

void RoomStandby::release()
{
    qsizetype n = 0;
    while (n < m_held.size()
           && (!m_announced || (m_held.at(n).need <= m_confirmed && m_held.at(n).pictures <= m_picturesDone))) {
        if (Connection *to = m_held.at(n).to.data(); to && !to->isClosing())
            to->send(m_held.at(n).bytes);
        ++n;
    }
    m_held.remove(0, n);
    if (n)
        m_oldestHeld.start();
    if (m_held.isEmpty() && m_partsAcked >= m_partsSent)
        m_timeout.stop();
}

void RoomStandby::checkTimeout()
{
    if (!m_standby)
        return;
    const bool waiting = !m_held.isEmpty() || m_partsAcked < m_partsSent;
    if (!waiting)
        return;
    const qint64 waited = std::max(m_held.isEmpty() ? 0 : m_oldestHeld.elapsed(),
                                   m_partsAcked < m_partsSent ? m_lastReplica.elapsed() : 0);
    // The first copy (a whole board) may take longer than a commit's ops.
    const qint64 allowed = qint64(m_config.standbyConfirmMs) * (m_announced ? 1 : 10);
    if (waited < allowed) {
        m_timeout.start(int(allowed - waited));
        return;
    }
    qCWarning(lcRoom).noquote() << m_standby->describe() << "did not confirm the copy of" << m_room.name()
                                << "in time; it is no longer the standby";
    drop(true);
    choose();
}

// ---- choosing the standby ----

void RoomStandby::membersChanged()
{
    if (m_standby && !m_room.members().contains(m_standby.data()))
        drop(false);
    if (!m_target.isEmpty() && !m_room.memberByClient(m_target))
        failHandover(u"the member you handed the room to left before it could move"_s);
    if (m_handoverBy && !m_room.members().contains(m_handoverBy.data()))
        m_handoverBy.clear();
    choose();
}

void RoomStandby::choose()
{
    if (m_moved)
        return;
    Connection *wanted = nullptr;
    if (!m_target.isEmpty()) {
        wanted = m_room.memberByClient(m_target);
    } else {
        for (Connection *member : m_room.members()) {
            if (member->hello().serve && !member->isClosing() && !m_demoted.contains(member->serial())
                && m_room.controls().roleOf(member->clientId()) != proto::Role::Viewer) {
                wanted = member;
                break;
            }
        }
        // The standby chosen stays while it is a member: a newcomer who joined earlier elsewhere changes nothing.
        if (m_standby && !m_demoted.contains(m_standby->serial()))
            return;
    }
    if (wanted == m_standby.data())
        return;
    if (m_standby)
        drop(false);
    if (wanted)
        start(wanted);
}

void RoomStandby::start(Connection *standby)
{
    m_standby = standby;
    m_clientId = standby->clientId();
    m_announced = false;
    m_complete = false;
    m_confirmed = 0;
    m_sent = 0;
    m_partsSent = 0;
    m_partsAcked = 0;
    m_baseParts = 0;
    m_url.clear();
    m_fingerprint.clear();
    forgetPictures();
    qCInfo(lcRoom).noquote() << standby->describe() << "is the standby of" << m_room.name() << "from seq"
                             << m_room.head();
    sendBase();
}

void RoomStandby::drop(bool demote)
{
    if (m_standby && demote) {
        m_demoted.insert(m_standby->serial());
        // Told so it lets its copy go (an announcement naming nobody, or the next standby, follows to all).
        m_standby->sendMessage(proto::Standby {});
    }
    const bool wasAnnounced = m_announced;
    const bool wasTarget = !m_target.isEmpty() && m_clientId == m_target;
    m_standby.clear();
    m_clientId.clear();
    m_announced = false;
    m_complete = false;
    forgetPictures();
    m_timeout.stop();
    release(); // nobody to wait for: everything held goes out, in order
    if (wasAnnounced)
        m_room.broadcast(proto::encode(proto::Standby {}));
    if (wasTarget)
        failHandover(u"the member you handed the room to could not take it"_s);
}

// ---- the copy ----

proto::Replica RoomStandby::shell() const
{
    proto::Replica replica;
    replica.epoch = m_room.epoch();
    replica.head = m_room.head();
    replica.defaultRole = m_room.controls().defaultRole();
    replica.locked = m_room.controls().isLocked();
    return replica;
}

proto::ReplicaClient RoomStandby::clientRecord(const QString &client) const
{
    const ClientRecord record = m_room.m_clients.record(client);
    proto::ReplicaClient out {client, record.maxCseq, record.maxSeq, record.maxItem, {}, record.role, record.banned};
    if (const RoomClients::Client *known = m_room.m_clients.find(client))
        out.secret = known->secretHash;
    return out;
}

void RoomStandby::sendReplica(const QByteArray &bytes, quint64 head)
{
    if (!m_standby)
        return;
    if (m_partsAcked >= m_partsSent)
        m_lastReplica.start();
    m_standby->send(bytes);
    m_sent = head;
    ++m_partsSent;
    if (!m_timeout.isActive())
        m_timeout.start(m_config.standbyConfirmMs);
}

void RoomStandby::sendBase()
{
    // The board as the snapshot chunks have it (each within a joiner's limits), then the chat, then the client ids.
    const quint64 head = m_room.head();
    m_baseHead = head;
    proto::Replica first = shell();
    first.reset = true;
    first.room = m_room.name();
    const password::Hash &password = m_room.passwordHash();
    if (password.isSet()) {
        first.passwordSalt = password.salt;
        first.passwordHash = password.hash;
        first.passwordIterations = password.iterations;
    }
    sendReplica(proto::encode(first), head);
    for (const QByteArray &chunk : m_room.m_snapshot.chunks(m_room.m_board)) {
        const proto::DecodeResult decoded = proto::decode(chunk, limits::MaxServerMessageBytes);
        if (!decoded.ok())
            continue;
        proto::Replica part = shell();
        part.items = std::get<proto::Snapshot>(decoded.message()).items;
        if (!part.items.isEmpty())
            sendReplica(proto::encode(part), head);
    }
    proto::Replica chat = shell();
    for (const ChatRecord &record : std::as_const(m_room.m_chat)) {
        const proto::DecodeResult decoded = proto::decode(record.body, limits::MaxServerMessageBytes);
        if (decoded.ok() && proto::typeOf(decoded.message()) == proto::MessageType::Op)
            chat.chat.append(std::get<proto::Op>(decoded.message()));
    }
    while (chat.chat.size() > limits::MaxReplicaEntries)
        chat.chat.removeFirst();
    if (!chat.chat.isEmpty())
        sendReplica(proto::encode(chat), head);
    proto::Replica clients = shell();
    for (const QString &client : m_room.m_clients.ids()) {
        clients.clients.append(clientRecord(client));
        if (clients.clients.size() == limits::MaxReplicaEntries) {
            sendReplica(proto::encode(clients), head);
            clients.clients.clear();
        }
    }
    clients.complete = true;
    sendReplica(proto::encode(clients), head);
    m_complete = true;
    m_baseParts = m_partsSent;
    // Then the pictures, a piece at a time: the standby is announced without waiting for them, and the ops that
    // follow are not held back by them.
    m_blobQueue = m_room.m_blobs.storedHashes();
    m_blobOffset = 0;
    sendBlobPiece();
}

void RoomStandby::forgetPictures()
{
    m_blobQueue.clear();
    m_newBlobs.clear();
    m_picturesQueued = m_picturesDone = 0;
    m_blobCurrent.clear();
    m_blobCurrentNew = false;
    m_blobOffset = 0;
    m_blobPart = 0;
    m_blobPartEndsNew = false;
}

void RoomStandby::blobStored(const QString &hash)
{
    if (!m_standby || !m_complete || m_newBlobs.contains(hash) || (m_blobCurrent == hash && m_blobCurrentNew))
        return;
    m_blobQueue.removeOne(hash); // it goes first now
    m_newBlobs.append(hash);
    ++m_picturesQueued;
    sendBlobPiece();
}

void RoomStandby::sendBlobPiece()
{
    while (m_standby && m_blobPart == 0) {
        if (m_blobCurrent.isEmpty()) {
            // New images first: members' answers wait for them; the copy's own follow when none is waiting.
            m_blobCurrentNew = !m_newBlobs.isEmpty();
            if (m_blobCurrentNew)
                m_blobCurrent = m_newBlobs.takeFirst();
            else if (!m_blobQueue.isEmpty())
                m_blobCurrent = m_blobQueue.takeFirst();
            else
                return;
            m_blobOffset = 0;
        }
        const auto piece = m_room.m_blobs.get(proto::BlobGet {m_blobCurrent, m_blobOffset});
        const auto *data = std::get_if<proto::BlobData>(&piece);
        if (!data || data->data.isEmpty()) {
            // Gone meanwhile (or the database failed): the copy does without it, and nothing waits for it.
            if (m_blobCurrentNew)
                ++m_picturesDone;
            m_blobCurrent.clear();
            continue;
        }
        proto::Replica part = shell();
        part.head = m_sent; // a piece moves no head: the copy stands where the last part left it
        part.blob = *data;
        sendReplica(proto::encode(part), m_sent);
        m_blobPart = m_partsSent;
        m_blobOffset = data->offset + data->data.size();
        m_blobPartEndsNew = false;
        if (m_blobOffset >= data->size) {
            m_blobPartEndsNew = m_blobCurrentNew;
            m_blobCurrent.clear();
        }
    }
}

void RoomStandby::committed(const QList<QByteArray> &ops, const QStringList &clients)
{
    if (!m_standby || !m_complete)
        return;
    // Parts of at most kReplicaBytes (an op larger than that goes alone), each ending at its last op. The client ids
    // the batch changed go with its last part, so a copy cut off halfway never holds records ahead of its ops.
    const quint64 head = m_room.head();
    quint64 first = head - quint64(ops.size()) + 1;
    QList<QByteArray> chunk;
    qint64 bytes = 0;
    for (qsizetype i = 0; i < ops.size(); ++i) {
        if (!chunk.isEmpty()
            && (bytes + ops.at(i).size() > kReplicaBytes || chunk.size() == limits::MaxReplicaEntries)) {
            proto::Replica part = shell();
            part.head = first + quint64(chunk.size()) - 1;
            sendReplica(encodeWithOps(part, chunk), part.head);
            first = part.head + 1;
            chunk.clear();
            bytes = 0;
        }
        chunk.append(ops.at(i));
        bytes += ops.at(i).size();
    }
    proto::Replica last = shell();
    for (qsizetype i = 0; i < clients.size(); ++i) {
        last.clients.append(clientRecord(clients.at(i)));
        if (last.clients.size() == limits::MaxReplicaEntries && i + 1 < clients.size()) {
            sendReplica(encodeWithOps(last, chunk), head);
            chunk.clear();
            last.clients.clear();
        }
    }
    if (!chunk.isEmpty() || !last.clients.isEmpty())
        sendReplica(encodeWithOps(last, chunk), head);
}

void RoomStandby::clientChanged(const QString &client)
{
    if (!m_standby || !m_complete)
        return;
    proto::Replica part = shell();
    part.clients.append(clientRecord(client));
    sendReplica(proto::encode(part), part.head);
}

// ---- what the standby says ----

void RoomStandby::ready(Connection *from, const proto::Standby &standby)
{
    if (from != m_standby.data()) {
        from->sendMessage(proto::Error {ErrorCode::UnexpectedMessage,
                                        u"this connection is not the room's standby (it was sent no replica)"_s,
                                        u"type"_s, false});
        return;
    }
    if (standby.port <= 0) {
        from->sendMessage(
            proto::Error {ErrorCode::BadValue, u"a standby names the port its server listens on"_s, u"port"_s, false});
        return;
    }
    // The address is the one the standby's connection comes from: a member can only send people to its own computer.
    QUrl url;
    url.setScheme(standby.fp.isEmpty() ? u"ws"_s : u"wss"_s);
    QHostAddress address = from->peerAddress();
    if (const auto v4 = address.toIPv4Address(); address.protocol() == QAbstractSocket::IPv6Protocol && v4)
        address = QHostAddress(v4);
    address.setScopeId({});
    url.setHost(address.toString());
    url.setPort(standby.port);
    m_url = url.toString();
    m_fingerprint = standby.fp;
    announce();
}

void RoomStandby::acked(Connection *from, quint64 seq)
{
    if (from != m_standby.data()) {
        from->sendMessage(proto::Error {ErrorCode::UnexpectedMessage,
                                        u"this connection is not the room's standby (it was sent no replica)"_s,
                                        u"type"_s, false});
        return;
    }
    if (seq > m_sent || seq < m_confirmed || m_partsAcked >= m_partsSent) {
        from->sendMessage(
            proto::Error {ErrorCode::BadValue,
                          u"replica_ack %1 is not between the last one (%2) and the copy sent (%3)"_s.arg(seq)
                              .arg(m_confirmed)
                              .arg(m_sent),
                          u"seq"_s, false});
        return;
    }
    m_confirmed = seq;
    ++m_partsAcked;
    if (!m_held.isEmpty())
        m_oldestHeld.start(); // what is held waits for a standby that makes progress, a piece at a time
    if (m_blobPart && m_partsAcked >= m_blobPart) {
        m_blobPart = 0;
        if (std::exchange(m_blobPartEndsNew, false))
            ++m_picturesDone;
        sendBlobPiece();
    }
    if (m_partsAcked >= m_partsSent && m_held.isEmpty())
        m_timeout.stop();
    else
        m_lastReplica.start();
    announce();
    release();
    tryMove();
}

void RoomStandby::announce()
{
    if (m_announced || !m_standby || m_url.isEmpty() || !m_complete || m_partsAcked < m_baseParts)
        return;
    // Whatever was sent before this moment did not wait for the standby: from now on, everything does.
    m_announced = true;
    qCInfo(lcRoom).noquote() << m_standby->describe() << "stands by for" << m_room.name() << "at" << m_url;
    m_room.broadcast(proto::encode(proto::Standby {m_clientId, m_standby->member().name, m_url, m_fingerprint}));
    tryMove();
}

void RoomStandby::greet(Connection *joiner)
{
    if (m_announced && m_standby)
        joiner->sendMessage(proto::Standby {m_clientId, m_standby->member().name, m_url, m_fingerprint});
}

// ---- handing the room over ----

void RoomStandby::handover(Connection *from, const QString &target)
{
    const auto refuse = [from](ErrorCode code, const QString &why) {
        from->sendMessage(proto::Error {code, why, u"target"_s, false});
    };
    if (m_room.controls().roleOf(from->clientId()) != proto::Role::Owner)
        return refuse(ErrorCode::NotOwner, u"only the room's owners may hand the room over"_s);
    if (!m_target.isEmpty())
        return refuse(ErrorCode::ServerBusy, u"the room is being handed over already"_s);
    if (target == from->clientId())
        return refuse(ErrorCode::BadValue, u"the room cannot be handed to yourself"_s);
    Connection *to = m_room.memberByClient(target);
    if (!to)
        return refuse(ErrorCode::UnknownClient, u"'%1' is not in the room now"_s.arg(target));
    if (!to->hello().serve || m_demoted.contains(to->serial())) {
        return refuse(ErrorCode::CannotServe,
                      u"%1's app cannot serve the room (only the Inkroom app can)"_s.arg(to->member().name));
    }
    qCInfo(lcRoom).noquote() << from->describe() << "hands" << m_room.name() << "over to" << to->describe();
    m_target = target;
    m_handoverBy = from;
    choose();
    tryMove();
}

void RoomStandby::failHandover(const QString &why)
{
    m_target.clear();
    if (m_handoverBy)
        m_handoverBy->sendMessage(proto::Error {ErrorCode::CannotServe, why, u"target"_s, false});
    m_handoverBy.clear();
}

void RoomStandby::tryMove()
{
    if (m_target.isEmpty() || m_moved || !m_standby || m_standby->clientId() != m_target || !m_announced
        || m_room.hasPending() || m_confirmed < m_room.head() || m_partsAcked < m_partsSent || !m_held.isEmpty()
        || !m_blobQueue.isEmpty() || !m_newBlobs.isEmpty() || !m_blobCurrent.isEmpty() || m_blobPart)
        return;
    m_moved = proto::Moved {m_clientId, m_standby->member().name, m_url, m_fingerprint};
    qCInfo(lcRoom).noquote() << "room" << m_room.name() << "moved to" << m_url;
    const QByteArray moved = proto::encode(*m_moved);
    const QString why = u"The room moved to %1's computer."_s.arg(m_moved->name);
    const QList<Connection *> members = m_room.members();
    for (Connection *member : members) {
        member->send(moved);
        member->fail(ErrorCode::RoomMoved, why, quint16(proto::CloseCode::RoomMoved));
    }
    m_target.clear();
    m_handoverBy.clear();
    m_timeout.stop();
}

} // namespace inkroom::server
