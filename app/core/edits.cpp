#include "edits.h"

#include "boarddocument.h"
#include "protocollimits.h"

#include <algorithm>
#include <cmath>

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

} // namespace inkroom::client::edits
