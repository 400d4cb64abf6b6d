#include "textitemsmodel.h"

#include <algorithm>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

int TextItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TextItemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case IdRole:
        return row.item.id;
    case Qt::DisplayRole:
    case TextRole:
        return row.item.text;
    case XRole:
        return row.item.points.value(0).x();
    case YRole:
        return row.item.points.value(0).y();
    case SizeRole:
        return row.item.width;
    case ColourRole:
        return QColor::fromRgba(row.item.colour);
    case PendingRole:
        return row.pending;
    case SelectedRole:
        return row.selected;
    case LiftedRole:
        return row.lifted;
    default:
        return {};
    }
}

QHash<int, QByteArray> TextItemsModel::roleNames() const
{
    return {{IdRole, "itemId"},       {TextRole, "text"},         {XRole, "boardX"},
            {YRole, "boardY"},        {SizeRole, "fontSize"},     {ColourRole, "textColour"},
            {PendingRole, "pending"}, {SelectedRole, "selected"}, {LiftedRole, "lifted"}};
}

void TextItemsModel::reset(const BoardView &board, const QSet<QString> &selected, const QSet<QString> &lifted,
                           const std::function<bool(const QString &)> &isPending)
{
    beginResetModel();
    m_rows.clear();
    for (const Item &item : board.orderedItems()) {
        if (item.kind == ItemKind::Text)
            m_rows.append(Row {item, isPending(item.id), selected.contains(item.id), lifted.contains(item.id)});
    }
    endResetModel();
}

int TextItemsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].item.id == id)
            return i;
    }
    return -1;
}

void TextItemsModel::insertSorted(Row row)
{
    const auto position = std::upper_bound(m_rows.begin(), m_rows.end(), row.item.z,
                                           [](quint64 z, const Row &r) { return z < r.item.z; });
    const int at = int(position - m_rows.begin());
    beginInsertRows({}, at, at);
    m_rows.insert(at, std::move(row));
    endInsertRows();
}

void TextItemsModel::apply(const BoardView &board, const BoardChange &change,
                           const std::function<bool(const QString &)> &isPending)
{
    for (const QString &id : change.removed) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    const auto follow = [&](const QString &id) {
        const Item *item = board.item(id);
        const int row = rowOf(id);
        if (!item || item->kind != ItemKind::Text) {
            if (row >= 0) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
            }
            return;
        }
        if (row >= 0 && m_rows[row].item.z == item->z) {
            m_rows[row].item = *item;
            m_rows[row].pending = isPending(id);
            Q_EMIT dataChanged(index(row), index(row));
            return;
        }
        Row fresh {*item, isPending(id), false, false};
        if (row >= 0) {
            fresh.selected = m_rows[row].selected;
            fresh.lifted = m_rows[row].lifted;
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
        insertSorted(std::move(fresh));
    };
    for (const QString &id : change.added)
        follow(id);
    for (const QString &id : change.updated)
        follow(id);
}

void TextItemsModel::setMarks(const QSet<QString> &selected, const QSet<QString> &lifted)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const bool s = selected.contains(row.item.id);
        const bool l = lifted.contains(row.item.id);
        if (s != row.selected || l != row.lifted) {
            row.selected = s;
            row.lifted = l;
            Q_EMIT dataChanged(index(i), index(i), {SelectedRole, LiftedRole});
        }
    }
}

} // namespace inkroom::ui
