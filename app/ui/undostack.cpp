#include "undostack.h"

namespace inkroom::ui {

using proto::Item;
using proto::Op;
using proto::OpKind;

namespace {

Op makeOp(OpKind kind)
{
    Op op;
    op.kind = kind;
    return op;
}

//! Equal apart from the stacking order (which moves when a pending item is acknowledged).
bool sameContent(const Item &a, const Item &b)
{
    Item x = a;
    x.z = b.z;
    return x == b;
}

} // namespace

void UndoStack::record(const Action &action, const BoardView &board)
{
    if (action.isEmpty())
        return;
    m_undo.append(invert(action, board));
    if (m_undo.size() > Depth)
        m_undo.removeFirst();
    m_redo.clear();
}

UndoStack::Entry UndoStack::invert(const Action &action, const BoardView &view)
{
    Entry entry;
    entry.forward = action;
    // Simulate on a small board holding just the items the action can touch (all of them for a clear).
    bool touchesAll = false;
    QStringList relevant;
    for (const Op &op : action) {
        touchesAll |= op.kind == OpKind::Clear;
        if (op.kind == OpKind::Add || op.kind == OpKind::Update)
            relevant.append(op.item.id);
        else
            relevant.append(op.ids);
    }
    QList<Item> known;
    if (touchesAll) {
        known = view.orderedItems();
    } else {
        for (const QString &id : std::as_const(relevant)) {
            if (const Item *item = view.item(id))
                known.append(*item);
        }
    }
    Board board;
    board.reset(0, known);
    Board after = board;
    for (const Op &op : action)
        after.applyUnsequenced(op, after.seq() + 1);
    // Walk the action backwards so the inverse undoes the last op first.
    for (auto it = action.crbegin(); it != action.crend(); ++it) {
        const Op &op = *it;
        switch (op.kind) {
        case OpKind::Add: {
            Op remove = makeOp(OpKind::Remove);
            remove.ids = {op.item.id};
            entry.backward.append(remove);
            break;
        }
        case OpKind::Update:
            if (const Item *old = board.item(op.item.id)) {
                Op back = makeOp(OpKind::Update);
                back.item = *old;
                back.item.z = 0;
                entry.backward.append(back);
            }
            break;
        case OpKind::Move: {
            Op back = op;
            back.dx = -op.dx;
            back.dy = -op.dy;
            entry.backward.append(back);
            break;
        }
        case OpKind::Remove:
        case OpKind::Clear: {
            const QStringList ids = op.kind == OpKind::Clear ? board.items().keys() : op.ids;
            // Re-add in the original stacking order.
            QList<Item> items;
            for (const QString &id : ids) {
                if (const Item *item = board.item(id))
                    items.append(*item);
            }
            std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.z < b.z; });
            for (Item item : items) {
                item.z = 0;
                Op add = makeOp(OpKind::Add);
                add.item = item;
                entry.backward.append(add);
            }
            break;
        }
        case OpKind::Chat:
            break;
        }
    }
    // Remember the states each direction leaves behind, so a later undo or redo can tell whether someone else
    // has touched those items since.
    Board before = after;
    for (const Op &op : entry.backward)
        before.applyUnsequenced(op, before.seq() + 1);
    QStringList touched;
    for (const Action *ops : {&entry.forward, &entry.backward}) {
        for (const Op &op : *ops) {
            if (op.kind == OpKind::Add || op.kind == OpKind::Update)
                touched.append(op.item.id);
            else
                touched.append(op.ids);
        }
    }
    for (const QString &id : touched) {
        if (const Item *item = after.item(id))
            entry.after.append(*item);
        if (const Item *item = before.item(id))
            entry.before.append(*item);
    }
    return entry;
}

UndoStack::Action UndoStack::filterStale(const Action &ops, const QList<Item> &expected, const BoardView &board)
{
    QHash<QString, Item> expectedById;
    for (const Item &item : expected)
        expectedById.insert(item.id, item);
    // An item is ours to touch if it is still exactly as our action left it.
    const auto untouched = [&](const QString &id) {
        const Item *now = board.item(id);
        const auto it = expectedById.constFind(id);
        return now && it != expectedById.cend() && sameContent(*now, *it);
    };
    Action result;
    for (Op op : ops) {
        switch (op.kind) {
        case OpKind::Add:
            if (!board.contains(op.item.id))
                result.append(op);
            break;
        case OpKind::Update:
            if (untouched(op.item.id))
                result.append(op);
            break;
        case OpKind::Remove:
        case OpKind::Move: {
            QStringList ids;
            for (const QString &id : op.ids) {
                if (untouched(id))
                    ids.append(id);
            }
            if (!ids.isEmpty()) {
                op.ids = ids;
                result.append(op);
            }
            break;
        }
        case OpKind::Clear: {
            // Redoing a clear removes only what the undo brought back, never what others drew since.
            Op remove;
            remove.kind = OpKind::Remove;
            for (const Item &item : expected) {
                if (untouched(item.id))
                    remove.ids.append(item.id);
            }
            if (!remove.ids.isEmpty())
                result.append(remove);
            break;
        }
        case OpKind::Chat:
            break;
        }
    }
    return result;
}

UndoStack::Action UndoStack::undo(const BoardView &board)
{
    while (!m_undo.isEmpty()) {
        Entry entry = m_undo.takeLast();
        Action ops = filterStale(entry.backward, entry.after, board);
        m_redo.append(entry);
        if (!ops.isEmpty())
            return ops;
    }
    return {};
}

UndoStack::Action UndoStack::redo(const BoardView &board)
{
    while (!m_redo.isEmpty()) {
        Entry entry = m_redo.takeLast();
        Action ops = filterStale(entry.forward, entry.before, board);
        m_undo.append(entry);
        if (!ops.isEmpty())
            return ops;
    }
    return {};
}

void UndoStack::clear()
{
    m_undo.clear();
    m_redo.clear();
}

} // namespace inkroom::ui
