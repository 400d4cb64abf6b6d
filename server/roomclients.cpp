#include "roomclients.h"

#include "board.h"
#include "passwordhash.h"

namespace inkroom::server {

namespace {

//! "<client>:<n>" of client's own making: the number n, else 0.
quint64 ownNumber(const QString &client, const QString &itemId)
{
    const auto parts = proto::splitItemId(itemId);
    return parts && parts->client == client ? parts->number : 0;
}

} // namespace

void RoomClients::load(const QHash<QString, ClientRecord> &records)
{
    m_clients.clear();
    for (auto it = records.cbegin(); it != records.cend(); ++it) {
        Client client;
        client.secretHash = it->secretHash;
        client.committedCseq = client.cseq = it->maxCseq;
        client.committedSeq = client.seq = it->maxSeq;
        client.committedItem = client.item = it->maxItem;
        client.committedRole = client.role = it->role;
        client.committedBanned = client.banned = it->banned;
        m_clients.insert(it.key(), client);
    }
}

void RoomClients::raiseItemsTo(const Board &board)
{
    for (auto it = board.items().cbegin(); it != board.items().cend(); ++it) {
        const auto parts = proto::splitItemId(it.key());
        if (!parts)
            continue;
        const auto client = m_clients.find(parts->client.toString());
        if (client != m_clients.end() && client->item < parts->number)
            client->committedItem = client->item = parts->number;
    }
}

const RoomClients::Client *RoomClients::find(const QString &client) const
{
    const auto it = m_clients.constFind(client);
    return it == m_clients.cend() ? nullptr : &*it;
}

RoomClients::Identity RoomClients::identify(const QString &client, const QByteArray &secretHash) const
{
    const Client *known = find(client);
    if (!known || known->secretHash.isEmpty())
        return Identity::New;
    return password::constantTimeEqual(known->secretHash, secretHash) ? Identity::Known : Identity::Mismatch;
}

void RoomClients::remember(const QString &client, const QByteArray &secretHash)
{
    m_clients[client].secretHash = secretHash;
}

void RoomClients::adopt(const QString &client, const ClientRecord &record)
{
    Client known;
    known.secretHash = record.secretHash;
    known.committedCseq = known.cseq = record.maxCseq;
    known.committedSeq = known.seq = record.maxSeq;
    known.committedItem = known.item = record.maxItem;
    known.committedRole = known.role = record.role;
    known.committedBanned = known.banned = record.banned;
    m_clients.insert(client, known);
}

void RoomClients::takeStored(const QHash<QString, ClientRecord> &records)
{
    for (auto it = records.cbegin(); it != records.cend(); ++it) {
        const auto known = m_clients.find(it.key());
        if (known == m_clients.end()) {
            adopt(it.key(), it.value());
        } else if (!m_inBatch.contains(it.key())) {
            known->committedRole = known->role = it->role;
            known->committedBanned = known->banned = it->banned;
        }
    }
}

bool RoomClients::mayAdd(const QString &sender, const QString &itemId) const
{
    if (const auto parts = proto::splitItemId(itemId)) {
        if (parts->client == sender)
            return true;
        const Client *maker = find(parts->client.toString());
        return maker && parts->number <= maker->item;
    }
    // Not "<client>:<n>": clients never make such ids, so only the prefix says whose it is.
    return proto::isOwnItemId(itemId, sender);
}

void RoomClients::ordered(const proto::Op &op)
{
    Client &client = m_clients[op.client];
    if (client.seq == client.committedSeq)
        m_inBatch.append(op.client); // its first op in this batch: every op moves seq past the committed one
    client.cseq = op.cseq;
    client.seq = op.seq;
    if (op.kind == proto::OpKind::Add)
        client.item = std::max(client.item, ownNumber(op.client, op.item.id));
}

void RoomClients::setRole(const QString &client, proto::Role role)
{
    const auto it = m_clients.find(client);
    if (it == m_clients.end())
        return;
    it->role = role;
    if (!m_inBatch.contains(client))
        m_inBatch.append(client);
}

void RoomClients::setBanned(const QString &client)
{
    const auto it = m_clients.find(client);
    if (it == m_clients.end())
        return;
    it->banned = true;
    if (!m_inBatch.contains(client))
        m_inBatch.append(client);
}

void RoomClients::makeOwner(const QString &client)
{
    const auto it = m_clients.find(client);
    if (it != m_clients.end())
        it->role = it->committedRole = proto::Role::Owner;
}

int RoomClients::ownerCount() const
{
    int owners = 0;
    for (const Client &client : m_clients)
        owners += client.role == proto::Role::Owner ? 1 : 0;
    return owners;
}

void RoomClients::commit()
{
    for (const QString &id : std::as_const(m_inBatch)) {
        Client &client = m_clients[id];
        client.committedCseq = client.cseq;
        client.committedSeq = client.seq;
        client.committedItem = client.item;
        client.committedRole = client.role;
        client.committedBanned = client.banned;
    }
    m_inBatch.clear();
}

void RoomClients::rollback()
{
    for (const QString &id : std::as_const(m_inBatch)) {
        Client &client = m_clients[id];
        client.cseq = client.committedCseq;
        client.seq = client.committedSeq;
        client.item = client.committedItem;
        client.role = client.committedRole;
        client.banned = client.committedBanned;
    }
    m_inBatch.clear();
}

ClientRecord RoomClients::record(const QString &client) const
{
    const Client *known = find(client);
    if (!known)
        return {};
    return ClientRecord {known->cseq, known->seq, known->item, known->secretHash, known->role, known->banned};
}

} // namespace inkroom::server
