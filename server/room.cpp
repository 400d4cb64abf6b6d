#include "room.h"

#include "closecodes.h"
#include "connection.h"
#include "logging.h"
#include "nodepresence.h"
#include "opbytes.h"
#include "protocollimits.h"
#include "rollback.h"
#include "textrules.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::Op;
using proto::OpKind;

namespace {

//! An add or update: the op's bytes hold the one item it changes.
bool isItemOp(OpKind kind)
{
    return kind == OpKind::Add || kind == OpKind::Update;
}

//! "12.3 MB" (decimal megabytes, as people read sizes).
QString megabytes(qint64 bytes)
{
    return u"%1 MB"_s.arg(double(bytes) / 1e6, 0, 'f', bytes < 10'000'000 ? 2 : 1);
}

QByteArray passwordFingerprint(const QByteArray &salt, const QString &password)
{
    const QByteArray bytes = salt + password.toUtf8();
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

} // namespace

Room::Room(Store &store, RoomRecord record, const ServerConfig &config)
    : m_store(store)
    , m_config(config)
    , m_record(std::move(record))
    , m_blobs(store, config)
{
    m_password = password::Hash {m_record.passwordSalt, m_record.passwordHash, m_record.passwordIterations};
    m_head = m_record.head;
    m_nextSeq = m_head + 1;
    m_emptySince.start();
}

Room::~Room()
{
    setBoardMemory(nullptr);
}

void Room::setBoardMemory(BoardMemory *memory)
{
    if (m_memory)
        m_memory->remove(this);
    m_memory = memory;
    if (m_memory)
        m_memory->set(this, projectedBytes());
}

QString Room::newEpoch()
{
    return QString::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, u'0');
}

std::unique_ptr<Room> Room::load(Store &store, const QString &name, const ServerConfig &config, QString *error)
{
    error->clear();
    bool ok = false;
    std::optional<RoomRecord> record = store.findRoom(name, &ok);
    if (!ok) {
        *error = store.lastError();
        return nullptr;
    }
    if (!record)
        return nullptr;

    std::unique_ptr<Room> room(new Room(store, std::move(*record), config));
    QList<proto::Item> items;
    // One chunk at a time: the stored snapshot is not copied whole.
    const QByteArray &blob = room->m_record.snapshot;
    for (qsizetype from = 0; from < blob.size();) {
        qsizetype end = blob.indexOf('\n', from);
        if (end < 0)
            end = blob.size();
        const QByteArrayView chunk(blob.constData() + from, end - from);
        from = end + 1;
        if (chunk.isEmpty())
            continue;
        const proto::DecodeResult decoded = proto::decode(chunk, limits::MaxServerMessageBytes);
        if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Snapshot) {
            *error = u"room '%1': the stored snapshot does not decode"_s.arg(name);
            return nullptr;
        }
        items += std::get<proto::Snapshot>(decoded.message()).items;
    }
    room->m_board.reset(room->m_record.snapshotSeq, items);
    room->m_record.snapshot.clear(); // the board holds it now

    qsizetype replayed = 0;
    qint64 replayedBytes = 0;
    std::optional<quint64> undecodable;
    const bool read =
        store.visitOpsAfter(room->m_record.id, room->m_record.snapshotSeq,
                            [&room, &replayed, &replayedBytes, &undecodable](quint64 seq, const QByteArray &body) {
                                const proto::DecodeResult decoded = proto::decode(body, limits::MaxServerMessageBytes);
                                if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Op) {
                                    undecodable = seq;
                                    return false;
                                }
                                room->m_board.apply(std::get<Op>(decoded.message()));
                                ++replayed;
                                replayedBytes += body.size();
                                return true;
                            });
    if (!read) {
        *error = store.lastError();
        return nullptr;
    }
    // Skipping it would serve a board that is not the log's, and answer later repeats wrongly: not served at all.
    if (undecodable) {
        *error = u"room '%1': the stored op at seq %2 does not decode (its bytes changed on disk); the room is not "
                 "served. Restore the data directory from a backup, and run 'inkroom-server --check' for more "
                 "damage."_s.arg(name)
                     .arg(*undecodable);
        return nullptr;
    }
    if (room->m_board.seq() != room->m_head) {
        qCWarning(lcStore) << "room" << name << "board at" << room->m_board.seq() << "head at" << room->m_head;
        room->m_head = std::max(room->m_head, room->m_board.seq());
        room->m_nextSeq = room->m_head + 1;
        room->m_board.reset(room->m_head, room->m_board.orderedItems());
    }

    QHash<QString, ClientRecord> clients;
    if (!store.clients(room->m_record.id, &clients)
        || !store.chatHistory(room->m_record.id, config.chatHistory, &room->m_chat)) {
        *error = store.lastError();
        return nullptr;
    }
    room->m_clients.load(clients);
    room->m_clients.raiseItemsTo(room->m_board);
    room->m_snapshot.reset(room->m_board);
    room->m_bytesSinceSnapshot = replayedBytes;
    room->m_controls.load(room->m_record.defaultRole, room->m_record.locked);
    if (!room->m_blobs.load(room->m_record.id, error))
        return nullptr;
    qCInfo(lcRoom).noquote() << u"loaded room '%1' at seq %2: %3 items (%4 bytes), %5 ops replayed"_s.arg(name)
                                    .arg(room->m_head)
                                    .arg(room->m_board.size())
                                    .arg(room->m_snapshot.bytes())
                                    .arg(replayed);
    return room;
}

std::unique_ptr<Room> Room::create(Store &store, const QString &name, const password::Hash &password,
                                   const ServerConfig &config, QString *error)
{
    error->clear();
    RoomRecord record;
    record.name = name;
    record.epoch = newEpoch();
    record.passwordSalt = password.salt;
    record.passwordHash = password.hash;
    record.passwordIterations = password.iterations;
    if (!store.insertRoom(&record)) {
        *error = store.lastError();
        return nullptr;
    }
    qCInfo(lcRoom).noquote() << u"created room '%1' (epoch %2%3)"_s.arg(
        name, record.epoch, password.isSet() ? u", with a password"_s : QString());
    std::unique_ptr<Room> room(new Room(store, std::move(record), config));
    if (!room->m_blobs.load(room->m_record.id, error))
        return nullptr;
    return room;
}

QString Room::distinctName(const Connection *member, const QString &name, proto::Colour colour) const
{
    const auto taken = [this, member, colour](const QString &candidate) {
        const QString key = text::nameKey(candidate);
        return std::any_of(m_members.begin(), m_members.end(), [&](const Connection *other) {
            return other != member && other->member().colour == colour && text::nameKey(other->member().name) == key;
        });
    };
    if (!taken(name))
        return name;
    for (int n = 2;; ++n) {
        const QString suffix = u" (%1)"_s.arg(n);
        const QString candidate = name.left(limits::MaxNameLength - suffix.size()).trimmed() + suffix;
        if (!taken(candidate))
            return candidate;
    }
}

bool Room::isKnownPassword(const QString &password) const
{
    return m_knownPasswords.contains(passwordFingerprint(m_password.salt, password));
}

void Room::rememberPassword(const QString &password)
{
    m_knownPasswords.insert(passwordFingerprint(m_password.salt, password));
}

Connection *Room::memberByClient(const QString &client) const
{
    for (Connection *member : m_members) {
        if (member->clientId() == client)
            return member;
    }
    return nullptr;
}

void Room::addMember(Connection *connection)
{
    m_members.append(connection);
    if (m_membersJsonValid) {
        if (!m_membersJson.isEmpty())
            m_membersJson.append(',');
        m_membersJson.append(proto::encodeMember(connection->member()));
    }
    m_emptySince.invalidate();
    if (m_membersChanged)
        m_membersChanged();
    m_standby.membersChanged();
    if (m_nodes)
        m_nodes->joined(m_record.id, connection->member());
}

void Room::profileChanged(Connection *member)
{
    memberChanged();
    broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Updated, member->member()}));
    if (m_nodes)
        m_nodes->joined(m_record.id, member->member());
}

proto::Member Room::withRole(proto::Member member) const
{
    member.role = m_controls.ownRole(member.client);
    return member;
}

void Room::remoteChanged(const std::optional<proto::Member> &before, const std::optional<proto::Member> &now)
{
    const QString &client = now ? now->client : before->client;
    if (memberByClient(client))
        return; // listed as the member it is here
    if (now)
        broadcast(proto::encode(
            proto::Presence {before ? proto::PresenceEvent::Updated : proto::PresenceEvent::Joined, withRole(*now)}));
    else
        broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Left, *before}));
}

int Room::remoteMemberCount(const QString &except) const
{
    if (!m_nodes)
        return 0;
    const QList<proto::Member> remote = m_nodes->members(m_record.id);
    return int(std::count_if(remote.cbegin(), remote.cend(), [this, &except](const proto::Member &m) {
        return m.client != except && !memberByClient(m.client);
    }));
}

bool Room::removeMember(Connection *connection)
{
    if (!m_members.removeOne(connection))
        return false;
    m_blobs.forget(connection->serial());
    m_membersJsonValid = false;
    m_membersJson.clear();
    if (m_members.isEmpty())
        m_emptySince.start();
    // Following ends with the presenter's presence: members stop on "left", joiners are not asked any more.
    if (connection->clientId() == m_summoner)
        m_summoner.clear();
    // Still in the room through another server (it moved there before this connection ended): listed as that.
    const std::optional<proto::Member> elsewhere =
        m_nodes ? m_nodes->member(m_record.id, connection->clientId()) : std::nullopt;
    if (elsewhere)
        broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Updated, withRole(*elsewhere)}));
    else
        broadcast(proto::encode(proto::Presence {proto::PresenceEvent::Left, connection->member()}));
    if (m_nodes)
        m_nodes->left(m_record.id, connection->clientId());
    if (m_membersChanged)
        m_membersChanged();
    m_standby.membersChanged();
    return true;
}

void Room::setSummoner(Connection *owner, bool active)
{
    if (active)
        m_summoner = owner->clientId();
    else if (m_summoner == owner->clientId())
        m_summoner.clear();
    broadcast(proto::encode(proto::Summon {owner->clientId(), active}), owner);
}

qint64 Room::idleMs() const
{
    return m_members.isEmpty() && m_emptySince.isValid() ? m_emptySince.elapsed() : 0;
}

void Room::broadcast(const QByteArray &bytes, const Connection *except)
{
    // Framed once: every member is sent the same bytes (shared, not copied).
    const OutFrame frame = OutFrame::binary(bytes);
    // A send may decide to drop a slow member; that happens at the next event-loop turn, so the list holds still.
    for (Connection *member : std::as_const(m_members)) {
        if (member != except)
            member->send(frame);
    }
}

void Room::broadcastVolatile(const QByteArray &bytes, const Connection *except)
{
    const OutFrame frame = OutFrame::binary(bytes);
    for (Connection *member : std::as_const(m_members)) {
        if (member != except)
            member->sendVolatile(frame);
    }
    if (m_liveOut)
        m_liveOut(m_record.id, bytes);
}

void Room::deliverLive(const QByteArray &bytes)
{
    const OutFrame frame = OutFrame::binary(bytes);
    for (Connection *member : std::as_const(m_members))
        member->sendVolatile(frame);
}

void Room::sendNowOrQueue(Entry entry)
{
    if (!m_pending.isEmpty()) {
        m_pending.append(std::move(entry));
        return;
    }
    Connection *sender = entry.sender.data();
    if (!sender)
        return;
    if (entry.kind == Entry::Kind::DuplicateAck)
        m_standby.send(sender, proto::encode(proto::Ack {entry.op.cseq, entry.op.seq, true, entry.op.time}));
    else
        m_standby.send(sender, proto::encode(entry.reject));
}

void Room::reply(Connection *sender, const proto::Reject &reject)
{
    // The hold starts now, when the refusal is decided: later ops of the same turn must already wait.
    if (reject.retry)
        sender->hold(reject.cseq);
    Entry entry;
    entry.kind = Entry::Kind::Reject;
    entry.sender = sender;
    entry.reject = reject;
    sendNowOrQueue(std::move(entry));
}

bool Room::adoptClient(const QString &client, const QByteArray &secretHash, const ClientRecord &stored)
{
    if (!stored.secretHash.isEmpty() && !password::constantTimeEqual(stored.secretHash, secretHash))
        return false;
    if (!m_clients.isKnown(client))
        m_clients.adopt(client, stored);
    m_clients.remember(client, secretHash);
    m_standby.clientChanged(client);
    return true;
}

void Room::learnClient(const QString &client)
{
    if (m_store.isShared() && !m_clients.isKnown(client))
        reloadClients();
}

void Room::reloadClients()
{
    QHash<QString, ClientRecord> records;
    if (m_store.clients(m_record.id, &records))
        m_clients.takeStored(records);
}

bool Room::claimOwnershipIfNone(const QString &client)
{
    if (m_controls.hasOwner())
        return true;
    bool made = false;
    if (!m_store.makeOwner(m_record.id, client, &made))
        return false;
    if (!made) {
        // Another server's client became the owner first: that is the owner this room knows from now.
        reloadClients();
        return true;
    }
    m_clients.makeOwner(client);
    m_standby.clientChanged(client);
    qCInfo(lcRoom).noquote() << u"room '%1': %2 is its owner"_s.arg(m_record.name, client);
    return true;
}

namespace {

//! The same change: what the client asked for, not what the server stamped (seq, client, author, time).
bool sameChange(const Op &a, const Op &b)
{
    // A rollback's ids and items are what the server wrote: the client asked for target and count.
    const bool sameEffect = a.kind == OpKind::Rollback || (a.item == b.item && a.ids == b.ids);
    return a.kind == b.kind && sameEffect && a.dx == b.dx && a.dy == b.dy && a.text == b.text && a.target == b.target
        && a.role == b.role && a.ban == b.ban && a.count == b.count;
}

} // namespace

void Room::answerRepeat(Connection *sender, const Op &op, quint64 highest)
{
    // The original is in the pending batch, or in the log (ops_by_client finds it), or gone (compacted away).
    std::optional<Op> original;
    for (const Entry &pending : std::as_const(m_pending)) {
        if (pending.kind == Entry::Kind::Op && pending.op.cseq == op.cseq && pending.op.client == sender->clientId()) {
            original = pending.op;
            break;
        }
    }
    if (!original) {
        bool ok = false;
        const std::optional<StoredOp> stored = m_store.findOp(m_record.id, sender->clientId(), op.cseq, &ok);
        if (!ok) {
            reply(sender,
                  proto::Reject {op.cseq, proto::ErrorCode::Internal,
                                 u"the server could not read its log to compare this change"_s, true});
            return;
        }
        if (stored) {
            const proto::DecodeResult decoded = proto::decode(stored->body, limits::MaxServerMessageBytes);
            if (decoded.ok() && proto::typeOf(decoded.message()) == proto::MessageType::Op) {
                original = std::get<Op>(decoded.message());
                original->seq = stored->seq;
                original->time = stored->time;
            }
        }
    }
    if (!original || !sameChange(*original, op)) {
        // Never acknowledge what was not committed: the client gives its ops new cseqs above `highest`.
        qCInfo(lcRoom).noquote() << sender->describe() << "reused cseq" << op.cseq << "(highest" << highest << ")";
        reply(sender,
              proto::Reject {op.cseq, proto::ErrorCode::CseqReused,
                             original ? u"cseq %1 was used for a different change"_s.arg(op.cseq)
                                      : u"cseq %1 is not in the log to compare with"_s.arg(op.cseq),
                             false, highest});
        return;
    }
    qCDebug(lcRoom).noquote() << sender->describe() << "resent cseq" << op.cseq << "(seq" << original->seq << ")";
    Entry entry;
    entry.kind = Entry::Kind::DuplicateAck;
    entry.sender = sender;
    entry.op.cseq = op.cseq;
    entry.op.seq = original->seq;
    entry.op.time = original->time;
    sendNowOrQueue(std::move(entry));
}

void Room::submit(Connection *sender, Op op, const QByteArray &unstamped)
{
    if (m_standby.isMoving()) {
        // Not ordered here: the client keeps it and sends it again, to the room's new address once it has moved.
        reply(sender,
              proto::Reject {op.cseq, proto::ErrorCode::ServerBusy,
                             u"the room is moving to another computer; send it again there"_s, true});
        return;
    }
    const RoomClients::Client *client = m_clients.find(sender->clientId());
    const quint64 highest = client ? client->cseq : 0;
    if (op.cseq <= highest) {
        answerRepeat(sender, op, highest);
        return;
    }
    const auto refuse = [this, sender, &op](proto::ErrorCode code, const QString &message,
                                            std::optional<quint64> acked = std::nullopt) {
        reply(sender, proto::Reject {op.cseq, code, message, false, acked});
    };
    if (op.cseq - highest > limits::MaxCseqAhead) {
        refuse(proto::ErrorCode::CseqAhead,
               u"cseq %1 is more than %2 past %3, the highest this room has for you"_s.arg(op.cseq)
                   .arg(limits::MaxCseqAhead)
                   .arg(highest),
               highest);
        return;
    }
    if ((op.kind == OpKind::SetRole || op.kind == OpKind::Kick || op.kind == OpKind::Direct)
        && !m_clients.isKnown(op.target))
        learnClient(op.target); // perhaps somebody who joined through another server
    if (const auto why = m_controls.check(sender->clientId(), op)) {
        refuse(why->first, why->second);
        return;
    }
    if ((op.kind == OpKind::Add || op.kind == OpKind::Update) && op.item.kind == proto::ItemKind::Image) {
        // The bytes travel first (blob_put); an op may only name an image the room has, at its real size.
        if (!m_blobs.has(op.item.blob)) {
            refuse(proto::ErrorCode::BlobMissing,
                   u"the room has no image %1: upload it (blob_put) before the op that shows it"_s.arg(
                       op.item.blob.left(12)));
            return;
        }
        if (m_blobs.sizeOf(op.item.blob) != op.item.bytes) {
            refuse(proto::ErrorCode::BadValue,
                   u"image %1 has %2 bytes, not %3"_s.arg(op.item.blob.left(12))
                       .arg(m_blobs.sizeOf(op.item.blob))
                       .arg(op.item.bytes));
            return;
        }
    }
    if (op.kind == OpKind::Add) {
        if (!m_clients.mayAdd(sender->clientId(), op.item.id)) {
            refuse(proto::ErrorCode::NotYourItem,
                   u"item id '%1' is not yours: make ids as <your client id>:<n>"_s.arg(op.item.id));
            return;
        }
        if (projectedContains(op.item.id)) {
            refuse(proto::ErrorCode::ItemExists, u"an item with id '%1' is already on the board"_s.arg(op.item.id));
            return;
        }
        if ((m_pending.isEmpty() ? m_board.size() : m_projection.size) >= m_config.maxBoardItems) {
            refuse(proto::ErrorCode::BoardFull,
                   u"the board already holds %1 items, as many as this server allows; remove some first"_s.arg(
                       m_config.maxBoardItems));
            return;
        }
    }
    if (m_nextSeq >= limits::MaxSequence) {
        refuse(proto::ErrorCode::BoardFull, u"the room's log is full"_s);
        return;
    }

    op.seq = m_nextSeq;
    op.client = sender->clientId();
    op.author = sender->member().name;
    op.time = QDateTime::currentMSecsSinceEpoch();
    Entry entry;
    entry.kind = Entry::Kind::Op;
    entry.sender = sender;
    entry.bytes = unstamped.isEmpty() ? proto::encode(op) : proto::encodeStamped(op, unstamped);
    // The board's byte budget: the op's own size stands for the item's until it is applied (a little more: the op
    // carries its envelope too), so what is refused here never fits.
    if (op.kind == OpKind::Add || op.kind == OpKind::Update) {
        const qint64 before = projectedBytes();
        const qint64 after = before - projectedBytesOf(op.item.id) + entry.bytes.size();
        if (after > before && after > m_config.maxBoardBytes) {
            refuse(proto::ErrorCode::BoardFull,
                   u"the board holds %1 of the %2 this server allows for one board, and this change needs %3 more; "
                   "remove or clear something first"_s.arg(megabytes(before), megabytes(m_config.maxBoardBytes),
                                                           megabytes(after - before)));
            return;
        }
        if (after > before && m_memory && !m_memory->allows(this, after)) {
            refuse(
                proto::ErrorCode::BoardFull,
                u"the server holds %1 of boards in its rooms, and %2 is all it allows for every room together; "
                "this change needs %3 more: remove or clear something, or try again when other rooms are closed"_s.arg(
                    megabytes(m_memory->total()), megabytes(m_memory->limit()), megabytes(after - before)));
            return;
        }
    }
    ++m_nextSeq;
    m_clients.ordered(op);
    m_controls.ordered(op);
    project(op, entry.bytes.size());
    if (m_memory)
        m_memory->set(this, m_projection.bytes);
    ++m_pendingOps;
    m_pendingBytes += entry.bytes.size();
    entry.op = std::move(op);
    m_pending.append(std::move(entry));
}

bool Room::projectedContains(const QString &id) const
{
    if (m_pending.isEmpty())
        return m_board.contains(id);
    if (m_projection.added.contains(id))
        return true;
    return !m_projection.cleared && !m_projection.removed.contains(id) && m_board.contains(id);
}

qint64 Room::projectedBytes() const
{
    return m_pending.isEmpty() ? m_snapshot.bytes() : m_projection.bytes;
}

qint64 Room::projectedBytesOf(const QString &id) const
{
    if (!projectedContains(id))
        return 0;
    if (!m_pending.isEmpty()) {
        if (const auto it = m_projection.sizes.find(id); it != m_projection.sizes.end())
            return *it;
    }
    return m_snapshot.bytesOf(id);
}

void Room::project(const Op &op, qint64 bytes)
{
    if (m_pending.isEmpty())
        m_projection = Projection {m_board.size(), m_snapshot.bytes(), {}, {}, {}, false};
    switch (op.kind) {
    case OpKind::Add:
        if (!projectedContains(op.item.id)) {
            m_projection.added.insert(op.item.id);
            ++m_projection.size;
            m_projection.bytes += bytes;
            m_projection.sizes.insert(op.item.id, bytes);
        }
        break;
    case OpKind::Update:
        if (projectedContains(op.item.id)) {
            m_projection.bytes += bytes - projectedBytesOf(op.item.id);
            m_projection.sizes.insert(op.item.id, bytes);
        }
        break;
    case OpKind::Remove:
        for (const QString &id : op.ids) {
            if (projectedContains(id)) {
                m_projection.bytes -= projectedBytesOf(id);
                m_projection.sizes.remove(id);
                m_projection.added.remove(id);
                m_projection.removed.insert(id);
                --m_projection.size;
            }
        }
        break;
    case OpKind::Clear:
        m_projection = Projection {0, 0, {}, {}, {}, true};
        break;
    case OpKind::Move:
    case OpKind::Restack:
    case OpKind::Chat:
    case OpKind::Direct:
    case OpKind::SetRole:
    case OpKind::SetDefaultRole:
    case OpKind::Lock:
    case OpKind::Unlock:
    case OpKind::Kick:
    case OpKind::Rollback: // what it brings back is decided when it is written; the limits are checked by adds
        break;
    }
}

bool Room::writePending(Store &store)
{
    if (m_pendingOps == 0)
        return true;
    if (!store.claimHead(m_record.id, m_head))
        return false;
    quint64 last = m_head;
    for (Entry &entry : m_pending) {
        if (entry.kind != Entry::Kind::Op)
            continue;
        if (entry.op.kind == OpKind::Rollback && !resolveRollback(store, entry))
            return false;
        if (!store.insertOp(m_record.id, entry.op, entry.bytes))
            return false;
        last = entry.op.seq;
    }
    for (const QString &client : m_clients.inBatch()) {
        if (!store.upsertClient(m_record.id, client, m_clients.record(client)))
            return false;
    }
    return m_controls.write(store, m_record.id) && store.setHead(m_record.id, last);
}

bool Room::resolveRollback(Store &store, Entry &entry)
{
    // The ops before it in this batch are in the log already: the transaction sees its own writes.
    QString error;
    const std::optional<RollbackEffect> effect =
        computeRollback(store, m_record.name, m_record.id, entry.op.target, entry.op.count, &error);
    if (!effect) {
        qCWarning(lcRoom).noquote() << u"room '%1': cannot work out a rollback: %2"_s.arg(m_record.name, error);
        return false;
    }
    entry.op.ids = effect->ids;
    entry.op.items = effect->items;
    entry.op.undone = effect->undone;
    entry.bytes = proto::encode(entry.op);
    qCInfo(lcRoom).noquote() << u"room '%1': rollback of %2 ops of %3 removes %4 items and puts back %5"_s
                                    .arg(m_record.name)
                                    .arg(effect->undone)
                                    .arg(entry.op.target)
                                    .arg(effect->ids.size())
                                    .arg(effect->items.size());
    return true;
}

void Room::enact(const Op &op)
{
    Connection *target = memberByClient(op.target);
    switch (op.kind) {
    case OpKind::SetRole:
        if (target) {
            target->setRole(m_controls.ownRole(op.target));
            memberChanged();
        }
        return;
    case OpKind::Kick:
        if (target) {
            if (op.ban)
                target->fail(proto::ErrorCode::Banned, u"%1 banned you from this room"_s.arg(op.author),
                             quint16(proto::CloseCode::Banned));
            else
                target->fail(proto::ErrorCode::Removed, u"%1 removed you from the room"_s.arg(op.author),
                             quint16(proto::CloseCode::Removed));
            removeMember(target);
            target->setRoom(nullptr);
        }
        return;
    default:
        return;
    }
}

void Room::finishCommit(bool committed)
{
    const QList<Entry> batch = std::exchange(m_pending, {});
    m_pendingOps = 0;
    m_pendingBytes = 0;
    m_projection = {};

    if (!committed) {
        m_nextSeq = m_head + 1;
        m_clients.rollback();
        m_controls.rollback();
        const QString internal = u"the server could not store this change; send it again"_s;
        const QString heldBack = u"the server could not store an earlier change; send again from there"_s;
        for (const Entry &entry : batch) {
            Connection *sender = entry.sender.data();
            if (!sender)
                continue;
            proto::Reject reject {entry.op.cseq, proto::ErrorCode::HeldBack, heldBack, true};
            if (entry.kind == Entry::Kind::Reject) {
                reject.cseq = entry.reject.cseq;
                if (entry.reject.retry)
                    reject = entry.reject;
            } else if (entry.kind == Entry::Kind::Op || entry.op.seq > m_head) {
                // The op itself, or a repeat of one of the batch's ops.
                reject.code = proto::ErrorCode::Internal;
                reject.message = internal;
            }
            sender->refuse(reject);
        }
        if (m_memory)
            m_memory->set(this, m_snapshot.bytes());
        return;
    }

    const QStringList changedClients = m_clients.inBatch();
    m_clients.commit();
    m_controls.commit();
    QList<QByteArray> committedOps;
    for (const Entry &entry : batch) {
        Connection *sender = entry.sender.data();
        switch (entry.kind) {
        case Entry::Kind::Op:
            m_head = entry.op.seq;
            {
                BoardChange change;
                m_board.apply(entry.op, &change);
                // Encoded now, a piece of work per op: left to the next join or compaction, a whole board's worth
                // would be encoded in one turn (measured: the other rooms' acks waited up to 0.7 s). A move changes
                // every point of its items: their sizes are brought up to date at the next chunks().
                m_snapshot.changed(change, m_board, entry.op.kind != OpKind::Move,
                                   isItemOp(entry.op.kind) ? entry.bytes : QByteArray());
            }
            m_bytesSinceSnapshot += entry.bytes.size();
            if (proto::isMessageOp(entry.op.kind)) {
                m_chat.append(ChatRecord {entry.op.client,
                                          entry.op.kind == OpKind::Direct ? entry.op.target : QString(), entry.bytes});
                while (m_chat.size() > std::max(0, m_config.chatHistory))
                    m_chat.removeFirst();
            }
            committedOps.append(entry.bytes);
            // What members are told waits, while a standby stands by, until the standby holds it (RoomStandby).
            // A rollback's sender learns what it did from the op itself, which confirms it like its ack would.
            if (sender && entry.op.kind == OpKind::Rollback)
                m_standby.send(sender, entry.bytes);
            if (sender)
                m_standby.send(sender, proto::encode(proto::Ack {entry.op.cseq, entry.op.seq, false, entry.op.time}));
            if (entry.op.kind == OpKind::Direct) {
                // Only its two people ever see a direct message.
                if (Connection *recipient = memberByClient(entry.op.target); recipient && recipient != sender)
                    m_standby.send(recipient, entry.bytes);
            } else {
                for (Connection *member : std::as_const(m_members)) {
                    if (member != sender)
                        m_standby.send(member, entry.bytes);
                }
            }
            enact(entry.op);
            break;
        case Entry::Kind::DuplicateAck:
            if (sender)
                m_standby.send(sender, proto::encode(proto::Ack {entry.op.cseq, entry.op.seq, true, entry.op.time}));
            break;
        case Entry::Kind::Reject:
            if (sender)
                m_standby.send(sender, proto::encode(entry.reject));
            break;
        }
    }
    m_standby.committed(committedOps, changedClients);
    if (m_memory)
        m_memory->set(this, m_snapshot.bytes());
}

Room::CatchUp Room::catchUp()
{
    Q_ASSERT(m_pending.isEmpty());
    bool gap = false;
    std::optional<quint64> undecodable;
    const bool read = m_store.visitLogAfter(m_record.id, m_head, [&](const LoggedOp &logged) {
        if (logged.seq != m_head + 1) {
            gap = true;
            return false;
        }
        const proto::DecodeResult decoded = proto::decode(logged.body, limits::MaxServerMessageBytes);
        if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Op) {
            undecodable = logged.seq;
            return false;
        }
        applyCommitted(std::get<Op>(decoded.message()), logged.body);
        return true;
    });
    if (m_memory)
        m_memory->set(this, m_snapshot.bytes());
    if (!read)
        return CatchUp::Failed;
    if (undecodable) {
        qCWarning(lcRoom).noquote() << u"room '%1': the op at seq %2 another server stored does not decode"_s
                                           .arg(m_record.name)
                                           .arg(*undecodable);
        return CatchUp::Gap;
    }
    if (gap) {
        qCWarning(lcRoom).noquote()
            << u"room '%1': the ops after %2 are no longer in the log"_s.arg(m_record.name).arg(m_head);
        return CatchUp::Gap;
    }
    return CatchUp::Done;
}

void Room::applyCommitted(const Op &op, const QByteArray &bytes)
{
    // Counted as if ordered and committed here: the client's cseq (dedupe), item numbers, roles and controls.
    if ((op.kind == OpKind::SetRole || op.kind == OpKind::Kick) && !m_clients.isKnown(op.target))
        learnClient(op.target);
    m_clients.ordered(op);
    m_controls.ordered(op);
    m_clients.commit();
    m_controls.commit();
    m_head = op.seq;
    m_nextSeq = m_head + 1;
    BoardChange change;
    m_board.apply(op, &change);
    m_snapshot.changed(change, m_board, op.kind != OpKind::Move, isItemOp(op.kind) ? bytes : QByteArray());
    m_bytesSinceSnapshot += bytes.size();
    if (proto::isMessageOp(op.kind)) {
        m_chat.append(ChatRecord {op.client, op.kind == OpKind::Direct ? op.target : QString(), bytes});
        while (m_chat.size() > std::max(0, m_config.chatHistory))
            m_chat.removeFirst();
    }
    if (op.kind == OpKind::Direct) {
        for (Connection *member : std::as_const(m_members)) {
            if (member->clientId() == op.client || member->clientId() == op.target)
                m_standby.send(member, bytes);
        }
    } else {
        for (Connection *member : std::as_const(m_members))
            m_standby.send(member, bytes);
    }
    enact(op);
}

Room::CatchUp Room::reorder()
{
    QList<Entry> batch = std::exchange(m_pending, {});
    const qsizetype pendingOps = std::exchange(m_pendingOps, 0);
    const qint64 pendingBytes = std::exchange(m_pendingBytes, 0);
    m_projection = {};
    m_nextSeq = m_head + 1;
    m_clients.rollback();
    m_controls.rollback();
    const CatchUp caught = catchUp();
    if (caught != CatchUp::Done) {
        m_pending = std::move(batch);
        m_pendingOps = pendingOps;
        m_pendingBytes = pendingBytes;
        return caught;
    }
    for (Entry &entry : batch) {
        Connection *sender = entry.sender.data();
        if (!sender || sender->isClosing())
            continue; // never acknowledged: its client sends it again
        switch (entry.kind) {
        case Entry::Kind::Op:
            submit(sender, entry.op);
            break;
        case Entry::Kind::DuplicateAck:
            // A repeat of an op of the batch carries that op's new seq.
            for (const Entry &pending : std::as_const(m_pending)) {
                if (pending.kind == Entry::Kind::Op && pending.op.client == sender->clientId()
                    && pending.op.cseq == entry.op.cseq) {
                    entry.op.seq = pending.op.seq;
                    entry.op.time = pending.op.time;
                }
            }
            sendNowOrQueue(std::move(entry));
            break;
        case Entry::Kind::Reject:
            sendNowOrQueue(std::move(entry));
            break;
        }
    }
    return CatchUp::Done;
}

bool Room::needsCompaction() const
{
    if (m_compaction || m_trimming)
        return true;
    const quint64 ops = m_head - m_record.snapshotSeq;
    if (ops == 0)
        return false;
    // By count, and by bytes: what a load replays after the snapshot stays about the size of the board (and an eighth
    // of its budget when it is small, so a nearly empty board is not written again and again).
    return (m_config.compactEvery > 0 && ops >= quint64(m_config.compactEvery))
        || m_bytesSinceSnapshot >= std::max(m_config.maxBoardBytes / 8, m_snapshot.bytes());
}

Room::CompactStep Room::compactStep(Store &store)
{
    if (m_trimming) {
        bool more = false;
        if (!store.trimStep(m_record.id, m_record.snapshotSeq, m_record.logStart, kCompactPieceBytes * 4, &more)) {
            m_trimming = false;
            return CompactStep::Failed;
        }
        m_trimming = more;
        return more ? CompactStep::More : CompactStep::Done;
    }
    if (!m_compaction) {
        // One server compacts a room at a time (a shared database); the others leave it to that one.
        bool held = false;
        if (!store.holdCompaction(m_record.id, &held))
            return CompactStep::Failed;
        if (!held)
            return CompactStep::Done;
        if (store.isShared() && !adoptStoredSnapshot(store)) {
            store.releaseCompaction(m_record.id);
            return CompactStep::Failed;
        }
        if (!needsCompaction()) {
            store.releaseCompaction(m_record.id); // another server wrote it: not written again
            return CompactStep::Done;
        }
        const std::optional<quint64> logStart = store.retainedLogStart(
            m_record.id, m_record.logStart, m_head, quint64(std::max(0, m_config.retainOps)), m_config.maxBoardBytes);
        if (!logStart) {
            store.releaseCompaction(m_record.id);
            return CompactStep::Failed;
        }
        m_compaction.emplace();
        m_compaction->seq = m_head;
        m_compaction->logStart = *logStart;
        // The items' encodings are shared, not copied; the board may move on meanwhile.
        m_compaction->stream = m_snapshot.stream(m_board);
        m_compaction->bytesAtStart = m_bytesSinceSnapshot;
    }
    RoomCompaction &c = *m_compaction;
    if (!c.stream.atEnd()) {
        // The next piece: at most kCompactPieceBytes of the chunks joined by newlines.
        const QByteArray piece = c.stream.next(kCompactPieceBytes);
        if (!store.writeSnapshotPiece(m_record.id, c.seq, c.piece, piece)) {
            m_compaction.reset();
            store.releaseCompaction(m_record.id);
            return CompactStep::Failed;
        }
        ++c.piece;
        return CompactStep::More;
    }
    const bool switched = store.switchSnapshot(m_record.id, c.seq, c.logStart, m_config.chatHistory);
    store.releaseCompaction(m_record.id);
    if (!switched) {
        m_compaction.reset();
        return CompactStep::Failed;
    }
    qCInfo(lcRoom).noquote() << u"room '%1': snapshot at %2 (%3 pieces, %4 bytes), log from %5"_s.arg(m_record.name)
                                    .arg(c.seq)
                                    .arg(c.piece)
                                    .arg(c.stream.total())
                                    .arg(c.logStart + 1);
    m_record.snapshotSeq = c.seq;
    m_record.logStart = c.logStart;
    m_history.snapshotReplaced();
    m_bytesSinceSnapshot -= c.bytesAtStart;
    m_compaction.reset();
    m_trimming = true;
    return CompactStep::More;
}

bool Room::adoptStoredSnapshot(Store &store)
{
    quint64 seq = 0;
    quint64 logStart = 0;
    if (!store.snapshotPosition(m_record.id, &seq, &logStart))
        return false;
    if (seq <= m_record.snapshotSeq || seq > m_head)
        return true;
    // The ops after it are a share of those after ours: their bytes, as far as this room can tell, in proportion.
    const quint64 since = m_head - m_record.snapshotSeq;
    m_bytesSinceSnapshot = qint64(double(m_bytesSinceSnapshot) * double(m_head - seq) / double(since));
    qCDebug(lcRoom).noquote() << u"room '%1': another server wrote a snapshot at %2"_s.arg(m_record.name).arg(seq);
    m_record.snapshotSeq = seq;
    m_record.logStart = logStart;
    m_history.snapshotReplaced();
    return true;
}

quint64 Room::ackedFor(const QString &client) const
{
    const RoomClients::Client *known = m_clients.find(client);
    return known ? known->committedCseq : 0;
}

bool Room::sendJoin(Connection *connection, const std::optional<proto::ResumePoint> &resume)
{
    Q_ASSERT(m_pending.isEmpty());
    // Resume only when every op after the client's position is still in the log, in one unbroken run.
    QList<QByteArray> missed;
    const QString &joiner = connection->clientId();
    const auto mayRead = [&joiner](const QString &sender, const QString &recipient) {
        return recipient.isEmpty() || recipient == joiner || sender == joiner;
    };
    bool resumeMode = resume && resume->epoch == m_record.epoch && resume->seq <= m_head
        && resume->seq >= m_record.logStart && m_head - resume->seq <= quint64(std::max(0, m_config.maxResumeOps));
    if (resumeMode && resume->seq < m_head) {
        quint64 expected = resume->seq + 1;
        const bool read =
            m_store.visitLogAfter(m_record.id, resume->seq, [this, &missed, &expected, &mayRead](const LoggedOp &op) {
                if (op.seq > m_head || op.seq != expected)
                    return false;
                if (mayRead(op.client, op.recipient))
                    missed.append(op.body);
                ++expected;
                return true;
            });
        if (!read || expected != m_head + 1) {
            qCWarning(lcRoom) << "room" << m_record.name << "cannot resume from" << resume->seq
                              << "; sending a snapshot";
            resumeMode = false;
            missed.clear();
        }
    }

    if (!m_membersJsonValid) {
        m_membersJson.clear();
        for (const Connection *member : std::as_const(m_members)) {
            if (!m_membersJson.isEmpty())
                m_membersJson.append(',');
            m_membersJson.append(proto::encodeMember(member->member()));
        }
        m_membersJsonValid = true;
    }
    const QByteArray joinerJson = proto::encodeMember(connection->member());
    QByteArray members;
    members.reserve(m_membersJson.size() + joinerJson.size() + 1);
    members.append(m_membersJson);
    // Then the members of other servers (each client id once), as many as a welcome lists.
    if (m_nodes) {
        qsizetype listed = m_members.size() + 1;
        for (const proto::Member &remote : m_nodes->members(m_record.id)) {
            if (listed >= limits::MaxMembersPerWelcome)
                break;
            if (remote.client == connection->clientId() || memberByClient(remote.client))
                continue;
            if (!members.isEmpty())
                members.append(',');
            members.append(proto::encodeMember(withRole(remote)));
            ++listed;
        }
    }
    if (!members.isEmpty())
        members.append(',');
    members.append(joinerJson);

    proto::Welcome welcome;
    welcome.room = m_record.name;
    welcome.epoch = m_record.epoch;
    welcome.you = connection->clientId();
    welcome.acked = ackedFor(connection->clientId());
    welcome.head = m_head;
    welcome.snapshot = !resumeMode;
    welcome.hasPassword = hasPassword();
    welcome.rate = m_config.ratePerSecond;
    welcome.burst = m_config.rateBurst;
    welcome.opByteRate = opBytesPerSecond(m_config);
    welcome.opByteBurst = opBurstBytes(m_config);
    welcome.defaultRole = m_controls.defaultRole();
    welcome.locked = m_controls.isLocked();

    connection->beginCatchUp();
    connection->send(proto::encodeWelcome(welcome, members)); // welcome.members: the members, then the joiner
    if (resumeMode) {
        for (const QByteArray &op : std::as_const(missed))
            connection->send(op);
    } else {
        for (const QByteArray &chunk : m_snapshot.chunks(m_board))
            connection->send(chunk);
        for (const ChatRecord &chat : std::as_const(m_chat)) {
            if (mayRead(chat.sender, chat.recipient))
                connection->send(chat.body);
        }
    }
    connection->sendMessage(proto::Synced {m_head});
    // Live state after the catch-up: where everybody looks (for following), and whom everybody follows.
    for (const Connection *member : std::as_const(m_members)) {
        if (member != connection && !member->lastView.isEmpty())
            connection->send(member->lastView);
    }
    if (!m_summoner.isEmpty() && m_summoner != connection->clientId())
        connection->sendMessage(proto::Summon {m_summoner, true});
    m_standby.greet(connection);
    connection->endCatchUp();
    qCInfo(lcRoom).noquote() << connection->describe() << "joined" << m_record.name << "at" << m_head
                             << (resumeMode ? u"resuming with %1 ops"_s.arg(missed.size()) : u"with a snapshot"_s);
    return !resumeMode;
}

} // namespace inkroom::server
