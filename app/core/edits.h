#pragma once

#include "protocol.h"

#include <QList>
#include <QStringList>

namespace inkroom::client {

class BoardDocument;

/** @brief The ops a board verb makes, and the ops that take it back (for undo), from the board as it is shown.
 *
 * Pure functions of the board: no state, nothing sent. An empty Change means the verb changes nothing (the item is
 * gone, nothing is selected, the board is empty already).
 */
namespace edits {

struct Change
{
    QList<proto::Op> ops;
    QList<proto::Op> inverse;
    [[nodiscard]] bool isEmpty() const { return ops.isEmpty(); }
};

//! Add item (its id must be set; an item with that id on the board makes nothing).
[[nodiscard]] Change add(const BoardDocument &board, proto::Item item);
//! Replace an item (same id, same kind).
[[nodiscard]] Change update(const BoardDocument &board, proto::Item item);
[[nodiscard]] Change setText(const BoardDocument &board, const QString &id, const QString &text);
[[nodiscard]] Change move(const BoardDocument &board, const QStringList &ids, double dx, double dy);
[[nodiscard]] Change remove(const BoardDocument &board, const QStringList &ids);
[[nodiscard]] Change clear(const BoardDocument &board);
/** Bring the items to the front (above every item shown) or send them to the back (below every item), keeping their
 *  order among themselves; the inverse puts each back at its stacking order. Nothing when they are there already. */
[[nodiscard]] Change restack(const BoardDocument &board, const QStringList &ids, bool toFront);
//! Add several items in one step (ids set and new; stacked in the order given); undone by one remove.
[[nodiscard]] Change addAll(const BoardDocument &board, const QList<proto::Item> &items);

} // namespace edits
} // namespace inkroom::client
