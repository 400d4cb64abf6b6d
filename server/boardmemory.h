#pragma once

#include <QHash>
#include <QtGlobal>

#include <functional>

namespace inkroom::server {

/** @brief The server-wide budget for the boards in memory: every loaded room's board (its encoded size, as the
 * room's own budget counts it, with the ops waiting for their commit) together stays under one limit.
 *
 * A room in memory holds about three times its board (the items, their encodings, the snapshot chunks), so this
 * limit, with the connections' queue budget, is what bounds the server's memory however many rooms are used. Rooms
 * report their size as it changes; before a room grows or is loaded, the idle rooms (nobody in them) are unloaded
 * to make room if that is needed, and when it is still not enough the change or the join is refused.
 */
class BoardMemory
{
public:
    explicit BoardMemory(qint64 limit)
        : m_limit(limit)
    { }

    [[nodiscard]] qint64 limit() const { return m_limit; }
    //! The boards of every room in memory together.
    [[nodiscard]] qint64 total() const { return m_total; }
    //! What room is counted with now (0: nothing).
    [[nodiscard]] qint64 bytesOf(const void *room) const { return m_rooms.value(room); }

    //! The room's board (with its pending ops) is now this large; 0 or remove(): it holds nothing.
    void set(const void *room, qint64 bytes);
    void remove(const void *room) { set(room, 0); }

    /** May room's board grow to bytes (nullptr: a room being loaded, bytes its board)? When the others would take
     *  it past the limit, the evictor unloads idle rooms first (it is given how many bytes must be freed). */
    [[nodiscard]] bool allows(const void *room, qint64 bytes);
    void setEvictor(std::function<void(qint64 needed, const void *keep)> evictor) { m_evictor = std::move(evictor); }

private:
    const qint64 m_limit;
    qint64 m_total = 0;
    QHash<const void *, qint64> m_rooms;
    std::function<void(qint64, const void *)> m_evictor;
};

} // namespace inkroom::server
