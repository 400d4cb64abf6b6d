#include "standbycopy.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::client {

bool StandbyCopy::refuse(QString *why, const QString &text)
{
    clear();
    if (why)
        *why = text;
    return false;
}

void StandbyCopy::clear()
{
    m_seed = {};
    m_board.reset(0, {});
    m_clients.clear();
    m_started = false;
    m_complete = false;
    m_partialHash.clear();
    m_partial.clear();
    m_partialSize = 0;
    m_imageBytes = 0;
}

bool StandbyCopy::applyImagePiece(const proto::BlobData &piece, QString *why)
{
    if (m_seed.blobs.contains(piece.hash))
        return refuse(why, u"a piece of an image the copy holds whole already"_s);
    if (piece.offset == 0) {
        // A new image (one under way that never finished is dropped: the server sends each image whole, in order).
        m_imageBytes -= m_partialSize;
        m_partialHash = piece.hash;
        m_partial.clear();
        m_partialSize = piece.size;
        m_imageBytes += piece.size;
        if (piece.size > limits::MaxBlobBytes || m_imageBytes > m_maxImageBytes)
            return refuse(why, u"the copy holds more image bytes than a standby keeps"_s);
    } else if (piece.hash != m_partialHash || piece.size != m_partialSize || piece.offset != m_partial.size()) {
        return refuse(why, u"a piece of an image does not continue the one under way"_s);
    }
    m_partial.append(piece.data);
    if (m_partial.size() < m_partialSize)
        return true;
    // Whole: its bytes must be what the hash names, or the copy is not trusted at all.
    if (proto::blobHashOf(m_partial) != piece.hash)
        return refuse(why, u"an image's bytes are not what its hash names"_s);
    m_seed.blobs.insert(piece.hash, std::exchange(m_partial, {}));
    m_partialHash.clear();
    m_partialSize = 0;
    return true;
}

bool StandbyCopy::apply(const proto::Replica &part, QString *why)
{
    if (part.reset) {
        clear();
        m_started = true;
        m_seed.room = part.room;
        m_seed.epoch = part.epoch;
        m_seed.passwordSalt = part.passwordSalt;
        m_seed.passwordHash = part.passwordHash;
        m_seed.passwordIterations = part.passwordIterations;
        m_seed.head = part.head;
        m_board.reset(part.head, {});
    } else if (!m_started) {
        return refuse(why, u"a copy of a room must start with a reset part"_s);
    }
    if (part.epoch != m_seed.epoch)
        return refuse(why, u"a part of the copy names another epoch"_s);
    if (part.blob) {
        // A piece of a picture: nothing else may come with it, and it moves no head.
        if (part.reset || part.complete || part.head != m_seed.head || !part.items.isEmpty() || !part.ops.isEmpty()
            || !part.chat.isEmpty() || !part.clients.isEmpty())
            return refuse(why, u"a part with a piece of an image carries nothing else"_s);
        return applyImagePiece(*part.blob, why);
    }
    if (!m_complete) {
        // The first copy: the board at one head, the chat, the client ids; no ops yet.
        if (part.head != m_seed.head || !part.ops.isEmpty())
            return refuse(why, u"a part of the first copy does not stay at its head"_s);
        if (m_board.size() + part.items.size() > m_maxItems)
            return refuse(why, u"the copy holds more items than a standby keeps"_s);
        if (!part.items.isEmpty()) {
            QList<proto::Item> items = m_board.orderedItems();
            items.append(part.items); // each checked by the decoder; z is any stacking order (restack)
            m_board.reset(m_seed.head, items);
        }
        for (const proto::Op &op : part.chat)
            m_seed.chat.append(op);
    } else {
        // A commit: its ops follow the copy's head without a gap (the decoder checked they follow each other).
        if (!part.ops.isEmpty() && part.ops.first().seq != m_seed.head + 1)
            return refuse(why, u"the ops of a part do not follow the copy's head"_s);
        if (part.ops.isEmpty() && part.head != m_seed.head)
            return refuse(why, u"a part without ops moves the copy's head"_s);
        for (const proto::Op &op : part.ops) {
            if (!m_clients.contains(op.client) && m_clients.size() >= m_maxClients)
                return refuse(why, u"the copy names more client ids than a standby keeps"_s);
            m_board.apply(op);
            follow(op);
            if (m_board.size() > m_maxItems)
                return refuse(why, u"the copy holds more items than a standby keeps"_s);
        }
        m_seed.head = part.head;
    }
    while (m_seed.chat.size() > ChatKept)
        m_seed.chat.removeFirst();
    for (const proto::ReplicaClient &client : part.clients) {
        if (!m_clients.contains(client.client) && m_clients.size() >= m_maxClients)
            return refuse(why, u"the copy names more client ids than a standby keeps"_s);
        // What the ops said stands: a record never takes a client back below the ops the copy holds.
        proto::ReplicaClient &kept = m_clients[client.client];
        const proto::ReplicaClient fromOps = kept;
        kept = client;
        kept.cseq = std::max(client.cseq, fromOps.cseq);
        kept.seq = std::max(client.seq, fromOps.seq);
        kept.item = std::max(client.item, fromOps.item);
    }
    // The first copy says the room's controls; afterwards its ops do (a part cut off halfway says too much).
    if (!m_complete) {
        m_seed.defaultRole = part.defaultRole;
        m_seed.locked = part.locked;
    }
    if (part.complete)
        m_complete = true;
    return true;
}

void StandbyCopy::follow(const proto::Op &op)
{
    // What the server's clients table and controls keep follows from the ops themselves, so the copy's records
    // always match the ops it holds, also when the host vanished between two parts of one commit.
    proto::ReplicaClient &sender = m_clients[op.client];
    sender.client = op.client;
    sender.cseq = std::max(sender.cseq, op.cseq);
    sender.seq = std::max(sender.seq, op.seq);
    if (op.kind == proto::OpKind::Add) {
        if (const auto parts = proto::splitItemId(op.item.id); parts && parts->client == op.client)
            sender.item = std::max(sender.item, parts->number);
    }
    switch (op.kind) {
    case proto::OpKind::Chat:
    case proto::OpKind::Direct:
        m_seed.chat.append(op);
        break;
    case proto::OpKind::SetRole:
        if (m_clients.contains(op.target))
            m_clients[op.target].role = op.role;
        break;
    case proto::OpKind::Kick:
        if (op.ban && m_clients.contains(op.target))
            m_clients[op.target].banned = true;
        break;
    case proto::OpKind::SetDefaultRole:
        m_seed.defaultRole = op.role;
        break;
    case proto::OpKind::Lock:
        m_seed.locked = true;
        break;
    case proto::OpKind::Unlock:
        m_seed.locked = false;
        break;
    default:
        break;
    }
}

std::optional<proto::RoomSeed> StandbyCopy::seed() const
{
    if (!m_complete)
        return std::nullopt;
    proto::RoomSeed seed = m_seed;
    seed.items = m_board.orderedItems();
    seed.clients = m_clients.values();
    return seed;
}

} // namespace inkroom::client
