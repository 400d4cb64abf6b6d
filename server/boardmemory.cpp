#include "boardmemory.h"

namespace inkroom::server {

void BoardMemory::set(const void *room, qint64 bytes)
{
    bytes = std::max<qint64>(bytes, 0);
    const auto it = m_rooms.find(room);
    const qint64 before = it == m_rooms.end() ? 0 : *it;
    m_total += bytes - before;
    if (bytes == 0) {
        if (it != m_rooms.end())
            m_rooms.erase(it);
    } else if (it == m_rooms.end()) {
        m_rooms.insert(room, bytes);
    } else {
        *it = bytes;
    }
}

bool BoardMemory::allows(const void *room, qint64 bytes)
{
    const qint64 growth = bytes - bytesOf(room);
    // Shrinking, or staying the same, is always allowed: a board over the limit (a rollback) can still be cleared.
    if (growth <= 0 || m_total + growth <= m_limit)
        return true;
    if (m_evictor)
        m_evictor(m_total + growth - m_limit, room);
    return m_total + growth <= m_limit;
}

} // namespace inkroom::server
