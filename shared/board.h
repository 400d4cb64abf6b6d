#pragma once

#include "protocol.h"

#include <QHash>

namespace inkroom {

//! Which items one or more applied ops touched; renderers and models update only these.
struct BoardChange
{
    QStringList added;
    QStringList updated;
    QStringList removed;
    bool cleared = false;

    [[nodiscard]] bool isEmpty() const { return added.isEmpty() && updated.isEmpty() && removed.isEmpty() && !cleared; }
};

/** @brief The state of a whiteboard: a pure function of the room's ordered log.
 *
 * Applying is deterministic: the same ops in the same order give boards equal to the bit, on the server and on
 * every client. An op that names an item that does not exist changes nothing; an add whose id exists changes
 * nothing; an update that would change an item's kind changes nothing. apply() ignores any op whose seq is not
 * past the board's seq, so replays and duplicates are harmless.
 */
class Board
{
public:
    //! Apply an op from the room's log. Returns false, changing nothing, unless op.seq > seq().
    bool apply(const proto::Op &op, BoardChange *change = nullptr);

    /** Apply an op that has no room sequence yet (a client's own pending op drawn on top of the log).
     *  New items get stacking order z. seq() does not move. */
    void applyUnsequenced(const proto::Op &op, quint64 z, BoardChange *change = nullptr);

    //! Replace everything with a snapshot taken at seq.
    void reset(quint64 seq, const QList<proto::Item> &items);

    [[nodiscard]] quint64 seq() const { return m_seq; }
    [[nodiscard]] qsizetype size() const { return m_items.size(); }
    [[nodiscard]] bool contains(const QString &id) const { return m_items.contains(id); }
    [[nodiscard]] const proto::Item *item(const QString &id) const;
    [[nodiscard]] const QHash<QString, proto::Item> &items() const { return m_items; }
    //! Items bottom to top (by z, then id).
    [[nodiscard]] QList<proto::Item> orderedItems() const;
    //! SHA-256 over the canonical form of seq and every item: equal boards, equal digests.
    [[nodiscard]] QByteArray digest() const;

    [[nodiscard]] bool operator==(const Board &other) const { return m_seq == other.m_seq && m_items == other.m_items; }

private:
    void applyEffect(const proto::Op &op, quint64 z, BoardChange *change);

    QHash<QString, proto::Item> m_items;
    quint64 m_seq = 0;
};

} // namespace inkroom
