#include "boarditemsmodel.h"

#include "boarddocument.h"

#include <QColor>
#include <QVariantList>

#include <algorithm>

namespace inkroom::client {

using proto::Item;

BoardItemsModel::BoardItemsModel(BoardDocument *document, QObject *parent)
    : QAbstractListModel(parent)
    , m_document(document)
{
    connect(document, &BoardDocument::reset, this, &BoardItemsModel::rebuild);
    connect(document, &BoardDocument::changed, this, [this](const BoardChange &change) {
        onChanged(change.added, change.updated, change.removed, change.cleared);
    });
    rebuild();
}

int BoardItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> BoardItemsModel::roleNames() const
{
    return {{IdRole, "itemId"}, {KindRole, "kind"},   {KindNameRole, "kindName"}, {ColourRole, "colour"},
            {FillRole, "fill"}, {WidthRole, "width"}, {PointsRole, "points"},     {PointCountRole, "pointCount"},
            {TextRole, "text"}, {ZRole, "z"},         {PendingRole, "pending"},   {BoundsRole, "bounds"}};
}

QVariant BoardItemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_document)
        return {};
    const QString &id = m_rows.at(index.row()).id;
    const Item *item = m_document->item(id);
    if (!item)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case IdRole:
        return item->id;
    case KindRole:
        return int(item->kind);
    case KindNameRole:
        return proto::itemKindName(item->kind);
    case ColourRole:
        return QColor::fromRgba(item->colour);
    case FillRole:
        return item->fill ? QColor::fromRgba(*item->fill) : QColor();
    case WidthRole:
        return item->width;
    case PointsRole: {
        QVariantList points;
        points.reserve(item->points.size());
        for (const QPointF &p : item->points)
            points.append(p);
        return points;
    }
    case PointCountRole:
        return int(item->points.size());
    case TextRole:
        return item->text;
    case ZRole:
        return double(item->z);
    case PendingRole:
        return m_document->isPending(id);
    case BoundsRole:
        return m_document->itemBounds(id);
    default:
        return {};
    }
}

int BoardItemsModel::indexOf(const QString &id) const
{
    return int(findRow(id));
}

QString BoardItemsModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

qsizetype BoardItemsModel::findRow(const QString &id) const
{
    const auto z = m_z.constFind(id);
    if (z == m_z.cend())
        return -1;
    const Row key {*z, id};
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), key);
    return it != m_rows.cend() && it->id == id ? it - m_rows.cbegin() : -1;
}

void BoardItemsModel::rebuild()
{
    const qsizetype before = m_rows.size();
    beginResetModel();
    m_rows.clear();
    m_z.clear();
    if (m_document) {
        m_rows.reserve(m_document->itemCount());
        m_document->forEachItem([this](const Item &item) {
            m_rows.append(Row {item.z, item.id});
            m_z.insert(item.id, item.z);
        });
        std::sort(m_rows.begin(), m_rows.end());
    }
    endResetModel();
    if (before != m_rows.size())
        Q_EMIT countChanged();
}

void BoardItemsModel::onChanged(const QStringList &added, const QStringList &updated, const QStringList &removed,
                                bool cleared)
{
    if (cleared || added.size() + updated.size() + removed.size() > ResetThreshold) {
        rebuild();
        return;
    }
    const qsizetype before = m_rows.size();
    for (const QString &id : removed) {
        const qsizetype row = findRow(id);
        if (row < 0)
            continue;
        beginRemoveRows(QModelIndex(), int(row), int(row));
        m_rows.removeAt(row);
        m_z.remove(id);
        endRemoveRows();
    }
    for (const QString &id : updated) {
        const Item *item = m_document->item(id);
        const qsizetype row = findRow(id);
        if (!item || row < 0)
            continue;
        if (item->z != m_rows.at(row).z) {
            const Row moved {item->z, id};
            // Where the row goes once taken out of the list ...
            const qsizetype bound = std::lower_bound(m_rows.cbegin(), m_rows.cend(), moved) - m_rows.cbegin();
            const qsizetype target = bound > row ? bound - 1 : bound;
            if (target != row) {
                // ... and in the coordinates beginMoveRows wants (before the move).
                const int destination = int(target > row ? target + 1 : target);
                beginMoveRows(QModelIndex(), int(row), int(row), QModelIndex(), destination);
                m_rows.removeAt(row);
                m_rows.insert(target, moved);
                m_z.insert(id, item->z);
                endMoveRows();
            } else {
                m_rows[row].z = item->z;
                m_z.insert(id, item->z);
            }
            const QModelIndex at = index(int(target));
            Q_EMIT dataChanged(at, at);
        } else {
            const QModelIndex at = index(int(row));
            Q_EMIT dataChanged(at, at);
        }
    }
    for (const QString &id : added) {
        const Item *item = m_document->item(id);
        if (!item || m_z.contains(id))
            continue;
        const Row row {item->z, id};
        const qsizetype at = std::lower_bound(m_rows.cbegin(), m_rows.cend(), row) - m_rows.cbegin();
        beginInsertRows(QModelIndex(), int(at), int(at));
        m_rows.insert(at, row);
        m_z.insert(id, item->z);
        endInsertRows();
    }
    if (before != m_rows.size())
        Q_EMIT countChanged();
}

} // namespace inkroom::client
