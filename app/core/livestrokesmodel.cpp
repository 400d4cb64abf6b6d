#include "livestrokesmodel.h"

#include "protocollimits.h"

#include <QColor>

namespace inkroom::client {

LiveStrokesModel::LiveStrokesModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_clock.start();
    m_sweep.setInterval(500);
    connect(&m_sweep, &QTimer::timeout, this, &LiveStrokesModel::sweep);
}

void LiveStrokesModel::setTimings(int staleAfterMs, int endGraceMs)
{
    m_staleAfterMs = staleAfterMs;
    m_endGraceMs = endGraceMs;
    m_sweep.setInterval(std::clamp(std::min(staleAfterMs, endGraceMs) / 4, 10, 500));
}

int LiveStrokesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_strokes.size());
}

QHash<int, QByteArray> LiveStrokesModel::roleNames() const
{
    return {{IdRole, "itemId"},   {ClientIdRole, "clientId"}, {AuthorRole, "author"},
            {OwnRole, "own"},     {KindRole, "kind"},         {ColourRole, "colour"},
            {WidthRole, "width"}, {PointsRole, "points"},     {PointCountRole, "pointCount"}};
}

QVariant LiveStrokesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LiveStroke &s = m_strokes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case IdRole:
        return s.id;
    case ClientIdRole:
        return s.client;
    case AuthorRole:
        return s.author;
    case OwnRole:
        return s.own;
    case KindRole:
        return int(s.kind);
    case ColourRole:
        return QColor::fromRgba(s.colour);
    case WidthRole:
        return s.width;
    case PointsRole: {
        QVariantList points;
        points.reserve(s.points.size());
        for (const QPointF &p : s.points)
            points.append(p);
        return points;
    }
    case PointCountRole:
        return int(s.points.size());
    default:
        return {};
    }
}

const LiveStroke *LiveStrokesModel::stroke(const QString &id) const
{
    const qsizetype row = rowOf(id);
    return row < 0 ? nullptr : &m_strokes.at(row);
}

qsizetype LiveStrokesModel::rowOf(const QString &id) const
{
    for (qsizetype row = 0; row < m_strokes.size(); ++row) {
        if (m_strokes.at(row).id == id)
            return row;
    }
    return -1;
}

namespace {

//! Replace points from index from on (a gap, after a missed message, is closed by appending).
template<class T> void splice(QList<T> &values, qsizetype from, const QList<T> &more)
{
    if (from < values.size())
        values.resize(from);
    const qsizetype room = limits::MaxPointsPerItem - values.size();
    values.append(more.mid(0, std::max<qsizetype>(0, room)));
}

/** The widths after from points changed: those that came, or (none came, or too few) the stroke's width for the
 *  points without one. A stroke without any width of its own keeps none. */
void spliceWidths(LiveStroke &s, qsizetype from, const QList<double> &more)
{
    if (more.isEmpty() && s.widths.isEmpty())
        return;
    if (s.widths.size() < from)
        s.widths.resize(from, s.width);
    splice(s.widths, from, more);
    s.widths.resize(s.points.size(), s.width);
}

} // namespace

proto::Item liveItem(const LiveStroke &stroke)
{
    proto::Item item;
    item.kind = stroke.kind;
    StrokeStyle {stroke.colour, stroke.width, stroke.fill, stroke.opacity, stroke.dash, stroke.heads}.applyTo(item);
    item.points = stroke.points;
    if (stroke.kind == proto::ItemKind::Stroke && stroke.widths.size() == stroke.points.size())
        item.widths = stroke.widths;
    return item;
}

void LiveStrokesModel::apply(const proto::Live &live, const QString &author)
{
    qsizetype row = rowOf(live.id);
    if (row >= 0 && m_strokes.at(row).client != live.client)
        return; // somebody else's id: ignore the impostor
    if (row < 0) {
        if (live.end && live.points.isEmpty())
            return;
        LiveStroke s;
        s.id = live.id;
        s.client = live.client;
        row = m_strokes.size();
        beginInsertRows(QModelIndex(), int(row), int(row));
        m_strokes.append(s);
        endInsertRows();
        Q_EMIT countChanged();
    }
    LiveStroke &s = m_strokes[row];
    const qsizetype from = std::min<qsizetype>(live.from, s.points.size());
    s.author = author;
    s.kind = live.kind;
    s.colour = live.colour;
    s.width = live.width;
    s.fill = live.fill;
    s.opacity = live.opacity;
    s.dash = live.dash;
    s.heads = live.heads;
    splice(s.points, from, live.points);
    spliceWidths(s, from, live.widths);
    s.ended = s.ended || live.end;
    s.updatedAt = m_clock.elapsed();
    const QModelIndex at = index(int(row));
    Q_EMIT dataChanged(at, at);
    Q_EMIT pointsChanged(s.id, int(from));
    if (!m_sweep.isActive())
        m_sweep.start();
}

void LiveStrokesModel::setOwn(const QString &id, proto::ItemKind kind, const StrokeStyle &style, qsizetype from,
                              const QList<QPointF> &points, const QList<double> &widths)
{
    qsizetype row = rowOf(id);
    if (row < 0) {
        LiveStroke s;
        s.id = id;
        s.own = true;
        row = m_strokes.size();
        beginInsertRows(QModelIndex(), int(row), int(row));
        m_strokes.append(s);
        endInsertRows();
        Q_EMIT countChanged();
    }
    LiveStroke &s = m_strokes[row];
    s.kind = kind;
    s.colour = style.colour;
    s.width = style.width;
    s.fill = style.fill;
    s.opacity = style.opacity;
    s.dash = style.dash;
    s.heads = style.heads;
    const qsizetype start = std::min(from, s.points.size());
    splice(s.points, start, points);
    spliceWidths(s, start, widths);
    s.updatedAt = m_clock.elapsed();
    const QModelIndex at = index(int(row));
    Q_EMIT dataChanged(at, at);
    Q_EMIT pointsChanged(id, int(start));
}

void LiveStrokesModel::removeRow(qsizetype row)
{
    beginRemoveRows(QModelIndex(), int(row), int(row));
    m_strokes.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void LiveStrokesModel::remove(const QString &id)
{
    const qsizetype row = rowOf(id);
    if (row >= 0)
        removeRow(row);
}

void LiveStrokesModel::removeClient(const QString &client)
{
    for (qsizetype row = m_strokes.size() - 1; row >= 0; --row) {
        if (!m_strokes.at(row).own && m_strokes.at(row).client == client)
            removeRow(row);
    }
}

void LiveStrokesModel::clearOthers()
{
    for (qsizetype row = m_strokes.size() - 1; row >= 0; --row) {
        if (!m_strokes.at(row).own)
            removeRow(row);
    }
}

void LiveStrokesModel::clear()
{
    if (m_strokes.isEmpty())
        return;
    beginResetModel();
    m_strokes.clear();
    endResetModel();
    Q_EMIT countChanged();
}

void LiveStrokesModel::sweep()
{
    const qint64 now = m_clock.elapsed();
    bool others = false;
    for (qsizetype row = m_strokes.size() - 1; row >= 0; --row) {
        const LiveStroke &s = m_strokes.at(row);
        if (s.own)
            continue;
        const qint64 age = now - s.updatedAt;
        if (age >= m_staleAfterMs || (s.ended && age >= m_endGraceMs))
            removeRow(row);
        else
            others = true;
    }
    if (!others)
        m_sweep.stop();
}

} // namespace inkroom::client
