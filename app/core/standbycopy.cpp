#include "standbycopy.h"

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
    if (!m_complete) {
        // The first copy: the board at one head, the chat, the client ids; no ops yet.
        if (part.head != m_seed.head || !part.ops.isEmpty())
            return refuse(why, u"a part of the first copy does not stay at its head"_s);
        if (m_board.size() + part.items.size() > m_maxItems)
            return refuse(why, u"the copy holds more items than a standby keeps"_s);
        if (!part.items.isEmpty()) {
            QList<proto::Item> items = m_board.orderedItems();
            for (const proto::Item &item : part.items) {
                if (item.z == 0 || item.z > m_seed.head)
                    return refuse(why, u"an item of the copy is not within the log"_s);
                items.append(item);
            }
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
            m_board.apply(op);
            if (proto::isMessageOp(op.kind))
                m_seed.chat.append(op);
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
        m_clients.insert(client.client, client);
    }
    m_seed.defaultRole = part.defaultRole;
    m_seed.locked = part.locked;
    if (part.complete)
        m_complete = true;
    return true;
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
