#include "undostack.h"

#include "boarddocument.h"

namespace inkroom::client {

using proto::Item;
using proto::Op;
using proto::OpKind;

namespace {

QStringList touchedIds(const Op &op)
{
    return op.kind == OpKind::Add || op.kind == OpKind::Update ? QStringList {op.item.id} : op.ids;
}

//! Equal but for the stacking order (which changes when a pending item is acknowledged).
bool sameContent(const Item &a, const Item &b)
{
    Item copy = a;
    copy.z = b.z;
    return copy == b;
}

} // namespace

UndoStack::UndoStack(const BoardDocument *board, QObject *parent)
    : QObject(parent)
    , m_board(board)
{ }

QHash<QString, Item> UndoStack::snapshotOf(const Step &step) const
{
    QHash<QString, Item> items;
    for (const QList<Op> *ops : {&step.undo, &step.redo}) {
        for (const Op &op : *ops) {
            for (const QString &id : touchedIds(op)) {
                if (const Item *item = m_board->item(id))
                    items.insert(id, *item);
            }
        }
    }
    return items;
}

QList<Op> UndoStack::withoutOthersWork(const QList<Op> &ops, const QHash<QString, Item> &expected) const
{
    // An item is ours to touch while it is exactly as our own last step left it.
    const auto untouched = [&](const QString &id) {
        const Item *now = m_board->item(id);
        const auto it = expected.constFind(id);
        return now && it != expected.cend() && sameContent(*now, *it);
    };
    QList<Op> result;
    for (Op op : ops) {
        switch (op.kind) {
        case OpKind::Add:
            if (!m_board->contains(op.item.id))
                result.append(op);
            break;
        case OpKind::Update:
            if (untouched(op.item.id))
                result.append(op);
            break;
        case OpKind::Remove:
        case OpKind::Move:
            op.ids.removeIf([&](const QString &id) { return !untouched(id); });
            if (!op.ids.isEmpty())
                result.append(op);
            break;
        case OpKind::Restack: {
            Op kept = op;
            kept.ids.clear();
            kept.z.clear();
            for (qsizetype i = 0; i < op.ids.size() && i < op.z.size(); ++i) {
                if (untouched(op.ids.at(i))) {
                    kept.ids.append(op.ids.at(i));
                    kept.z.append(op.z.at(i));
                }
            }
            if (!kept.ids.isEmpty())
                result.append(kept);
            break;
        }
        case OpKind::Clear: {
            // Redoing a clear removes what the undo brought back, never what others drew since.
            Op remove;
            remove.kind = OpKind::Remove;
            for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
                if (untouched(it.key()))
                    remove.ids.append(it.key());
            }
            remove.ids.sort();
            if (!remove.ids.isEmpty())
                result.append(remove);
            break;
        }
        case OpKind::Chat:
        case OpKind::Direct:
        case OpKind::SetRole:
        case OpKind::SetDefaultRole:
        case OpKind::Lock:
        case OpKind::Unlock:
        case OpKind::Kick:
        case OpKind::Rollback: // an owner's control, never in anybody's undo
            break;
        }
    }
    return result;
}

void UndoStack::push(const QList<Op> &done, const QList<Op> &inverse)
{
    if (inverse.isEmpty())
        return;
    Step step {inverse, done, {}, {}};
    step.afterRedo = snapshotOf(step);
    m_undo.append(std::move(step));
    if (m_undo.size() > MaxSteps)
        m_undo.removeFirst();
    m_redo.clear();
    Q_EMIT changed();
}

void UndoStack::renameItems(const QHash<QString, QString> &ids)
{
    const auto renameOps = [&ids](QList<Op> &ops) {
        for (Op &op : ops) {
            op.item.id = ids.value(op.item.id, op.item.id);
            for (QString &id : op.ids)
                id = ids.value(id, id);
        }
    };
    const auto renameItems = [&ids](QHash<QString, Item> &items) {
        QHash<QString, Item> renamed;
        for (auto it = items.cbegin(); it != items.cend(); ++it) {
            Item item = it.value();
            item.id = ids.value(item.id, item.id);
            renamed.insert(ids.value(it.key(), it.key()), item);
        }
        items = renamed;
    };
    for (QList<Step> *steps : {&m_undo, &m_redo}) {
        for (Step &step : *steps) {
            renameOps(step.undo);
            renameOps(step.redo);
            renameItems(step.afterRedo);
            renameItems(step.afterUndo);
        }
    }
}

void UndoStack::clear()
{
    if (m_undo.isEmpty() && m_redo.isEmpty())
        return;
    m_undo.clear();
    m_redo.clear();
    Q_EMIT changed();
}

bool UndoStack::undo()
{
    if (m_undo.isEmpty() || !m_submit)
        return false;
    Step step = m_undo.takeLast();
    // Never take away or overwrite what somebody else did to these items since.
    for (const Op &op : withoutOthersWork(step.undo, step.afterRedo))
        m_submit(op);
    step.afterUndo = snapshotOf(step);
    m_redo.append(std::move(step));
    Q_EMIT changed();
    return true;
}

bool UndoStack::redo()
{
    if (m_redo.isEmpty() || !m_submit)
        return false;
    Step step = m_redo.takeLast();
    for (const Op &op : withoutOthersWork(step.redo, step.afterUndo))
        m_submit(op);
    step.afterRedo = snapshotOf(step);
    m_undo.append(std::move(step));
    Q_EMIT changed();
    return true;
}

} // namespace inkroom::client
