#include "edits.h"

#include "boarddocument.h"
#include "protocollimits.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace inkroom::client::edits {

using proto::Item;
using proto::Op;
using proto::OpKind;

namespace {

Op opOf(OpKind kind)
{
    Op op;
    op.kind = kind;
    return op;
}

//! Adds that bring items back, bottom to top (their stacking order follows the order they are added in).
QList<Op> readding(QList<Item> items)
{
    std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.z < b.z; });
    QList<Op> ops;
    for (Item item : std::as_const(items)) {
        item.z = 0;
        Op add = opOf(OpKind::Add);
        add.item = item;
        ops.append(add);
    }
    return ops;
}

} // namespace

Change add(const BoardDocument &board, Item item)
{
    if (item.id.isEmpty() || board.contains(item.id))
        return {};
    item.z = 0;
    Op op = opOf(OpKind::Add);
    op.item = item;
    Op inverse = opOf(OpKind::Remove);
    inverse.ids = {item.id};
    return {{op}, {inverse}};
}

Change update(const BoardDocument &board, Item item)
{
    const Item *current = board.item(item.id);
    if (!current || current->kind != item.kind)
        return {};
    Op op = opOf(OpKind::Update);
    op.item = item;
    op.item.z = 0;
    Op inverse = opOf(OpKind::Update);
    inverse.item = *current;
    inverse.item.z = 0;
    return {{op}, {inverse}};
}

Change setText(const BoardDocument &board, const QString &id, const QString &text)
{
    const Item *current = board.item(id);
    if (!current || current->kind != proto::ItemKind::Text || current->text == text)
        return {};
    Item item = *current;
    item.text = text;
    return update(board, item);
}

Change move(const BoardDocument &board, const QStringList &ids, double dx, double dy)
{
    QStringList present;
    for (const QString &id : ids) {
        if (board.contains(id) && !present.contains(id))
            present.append(id);
    }
    if (present.isEmpty() || !std::isfinite(dx) || !std::isfinite(dy) || (dx == 0 && dy == 0))
        return {};
    Op op = opOf(OpKind::Move);
    op.ids = present;
    op.dx = std::clamp(dx, -limits::MaxMoveDelta, limits::MaxMoveDelta);
    op.dy = std::clamp(dy, -limits::MaxMoveDelta, limits::MaxMoveDelta);
    Op inverse = op;
    inverse.dx = -op.dx;
    inverse.dy = -op.dy;
    return {{op}, {inverse}};
}

Change remove(const BoardDocument &board, const QStringList &ids)
{
    QStringList present;
    QList<Item> removed;
    for (const QString &id : ids) {
        const Item *item = board.item(id);
        if (item && !present.contains(id)) {
            present.append(id);
            removed.append(*item);
        }
    }
    if (present.isEmpty())
        return {};
    Op op = opOf(OpKind::Remove);
    op.ids = present;
    return {{op}, readding(removed)};
}

Change clear(const BoardDocument &board)
{
    if (board.itemCount() == 0)
        return {};
    return {{opOf(OpKind::Clear)}, readding(board.orderedItems())};
}

Change restack(const BoardDocument &board, const QStringList &ids, bool toFront)
{
    QList<Item> chosen;
    QSet<QString> seen;
    for (const QString &id : ids) {
        const Item *item = board.item(id);
        if (item && !seen.contains(id)) {
            seen.insert(id);
            chosen.append(*item);
        }
    }
    if (chosen.isEmpty())
        return {};
    std::sort(chosen.begin(), chosen.end(),
              [](const Item &a, const Item &b) { return a.z != b.z ? a.z < b.z : a.id < b.id; });
    // Where the others are: the new orders go just past them. A pending item (drawn above any room sequence) will
    // get the room sequence of its add, at most the confirmed board's plus what waits before this change (unless
    // others' changes come in between: then it may end above).
    const qint64 confirmedTop = qint64(board.confirmed().seq()) + board.pendingOpCount();
    qint64 top = std::numeric_limits<qint64>::min();
    qint64 shownTop = top; //!< as drawn now (pending items above everything confirmed)
    qint64 bottom = std::numeric_limits<qint64>::max();
    bool others = false;
    board.forEachItem([&](const Item &item) {
        if (seen.contains(item.id))
            return;
        others = true;
        top = std::max(top, std::min(item.z, confirmedTop));
        shownTop = std::max(shownTop, item.z);
        // A pending item will be above everything confirmed now.
        bottom = std::min(bottom, std::min(item.z, qint64(board.confirmed().seq()) + 1));
    });
    if (!others)
        return {};
    const auto clampOrder = [](qint64 z) { return std::clamp(z, -limits::MaxStackOrder, limits::MaxStackOrder); };
    Op op = opOf(OpKind::Restack);
    Op inverse = opOf(OpKind::Restack);
    const qint64 count = chosen.size();
    bool changes = false;
    for (qint64 i = 0; i < count; ++i) {
        const Item &item = chosen.at(i);
        const qint64 z = clampOrder(toFront ? top + 1 + i : bottom - count + i);
        changes = changes || z != item.z;
        op.ids.append(item.id);
        op.z.append(z);
        inverse.ids.append(item.id);
        inverse.z.append(clampOrder(item.z));
    }
    // Already at the front (or back), in this order: nothing to do.
    if (!changes || (toFront ? chosen.constFirst().z > shownTop : chosen.constLast().z < bottom))
        return {};
    return {{op}, {inverse}};
}

Change addAll(const BoardDocument &board, const QList<Item> &items)
{
    Change change;
    Op remove = opOf(OpKind::Remove);
    for (Item item : items) {
        if (item.id.isEmpty() || board.contains(item.id) || remove.ids.contains(item.id))
            continue;
        item.z = 0;
        Op add = opOf(OpKind::Add);
        add.item = item;
        change.ops.append(add);
        remove.ids.append(item.id);
    }
    if (!change.ops.isEmpty())
        change.inverse.append(remove);
    return change;
}

} // namespace inkroom::client::edits
