#include "tiles.h"

#include "tessellator.h"

#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace tiles {

double levelScale(int level)
{
    return std::ldexp(1.0, level);
}

int levelFor(double pixelsPerUnit)
{
    if (!(pixelsPerUnit > 0))
        return MinLevel;
    // A hair of tolerance so that exactly 2^L maps to L, not L + 1.
    const int level = int(std::ceil(std::log2(pixelsPerUnit) - 1e-9));
    return std::clamp(level, MinLevel, MaxLevel);
}

QRectF boardRect(TileKey key)
{
    const double size = TilePixels / levelScale(key.level);
    return {key.x * size, key.y * size, size, size};
}

QList<TileKey> covering(const QRectF &rect, int level)
{
    QList<TileKey> keys;
    if (rect.isEmpty())
        return keys;
    const double size = TilePixels / levelScale(level);
    // Tiles touched by the open rectangle: a rect ending exactly on a tile edge does not reach the next tile.
    const auto first = [size](double v) { return int(std::floor(v / size)); };
    const auto last = [size](double v) { return int(std::ceil(v / size)) - 1; };
    const int left = first(rect.left());
    const int right = std::max(left, last(rect.right()));
    const int top = first(rect.top());
    const int bottom = std::max(top, last(rect.bottom()));
    keys.reserve(qsizetype(right - left + 1) * (bottom - top + 1));
    for (int y = top; y <= bottom; ++y) {
        for (int x = left; x <= right; ++x)
            keys.append({level, x, y});
    }
    return keys;
}

TileKey ancestor(TileKey key, int level)
{
    const int up = key.level - level;
    if (up <= 0)
        return key;
    // Arithmetic shifts round towards minus infinity, which is what tile indices need.
    return {level, key.x >> up, key.y >> up};
}

} // namespace tiles

namespace {

constexpr double kPi = 3.14159265358979323846;
//! Like the tessellator's joins: a miter reaches at most 2.5 half widths from the centre line.
constexpr double kMiterLimit = 2.5;

QColor toQColor(proto::Colour colour)
{
    return QColor::fromRgba(colour);
}

double penWidth(const Item &item)
{
    return std::max(item.width, 0.5);
}

//! How far an item's paint can reach beyond its points.
double reach(const Item &item)
{
    const double width = penWidth(item);
    if (item.kind == ItemKind::Arrow)
        return width * 3 + 8;
    return width * kMiterLimit + 1; // generous: QPainter's miters are measured a little differently
}

QRectF pointsRect(const QList<QPointF> &points)
{
    double left = points.first().x();
    double right = left;
    double top = points.first().y();
    double bottom = top;
    for (const QPointF &p : points) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    return QRectF(QPointF(left, top), QPointF(right, bottom));
}

/** Clip the segment a -> b to rect (Liang-Barsky). False when nothing of it is inside. */
bool clipSegment(QPointF &a, QPointF &b, const QRectF &rect)
{
    double t0 = 0;
    double t1 = 1;
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - rect.left(), rect.right() - a.x(), a.y() - rect.top(), rect.bottom() - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    const QPointF start = a;
    a = start + QPointF(dx, dy) * t0;
    b = start + QPointF(dx, dy) * t1;
    return true;
}

/** The parts of a polyline inside rect, each a run of points. Runs are cut only outside rect, so everything drawn
 * inside it (joins included) is as if the whole line were drawn. Raster painting works in fixed point, so far-away
 * points must never reach it. */
QList<QPolygonF> clipPolyline(const QList<QPointF> &points, bool closed, const QRectF &rect)
{
    QList<QPolygonF> runs;
    QPolygonF run;
    const qsizetype n = points.size();
    const qsizetype segments = closed ? n : n - 1;
    for (qsizetype i = 0; i < segments; ++i) {
        QPointF a = points[i];
        QPointF b = points[(i + 1) % n];
        const QPointF originalB = b;
        if (!clipSegment(a, b, rect)) {
            if (!run.isEmpty())
                runs.append(std::exchange(run, {}));
            continue;
        }
        if (run.isEmpty() || run.last() != a) {
            if (!run.isEmpty())
                runs.append(std::exchange(run, {}));
            run.append(a);
        }
        run.append(b);
        if (b != originalB)
            runs.append(std::exchange(run, {}));
    }
    if (!run.isEmpty())
        runs.append(run);
    // A closed outline entirely inside stays closed, so its first corner gets a join rather than two caps.
    if (closed && runs.size() == 1 && runs.first().size() == n + 1)
        runs.first().removeLast();
    return runs;
}

/** A convex polygon clipped to rect (Sutherland-Hodgman). */
QPolygonF clipConvex(const QPolygonF &polygon, const QRectF &rect)
{
    QPolygonF result = polygon;
    const auto clipEdge = [&result](auto inside, auto intersect) {
        QPolygonF input = std::exchange(result, {});
        for (qsizetype i = 0; i < input.size(); ++i) {
            const QPointF current = input[i];
            const QPointF previous = input[(i + input.size() - 1) % input.size()];
            if (inside(current)) {
                if (!inside(previous))
                    result.append(intersect(previous, current));
                result.append(current);
            } else if (inside(previous)) {
                result.append(intersect(previous, current));
            }
        }
    };
    const auto atX = [](double x) {
        return
            [x](QPointF a, QPointF b) { return QPointF(x, a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x())); };
    };
    const auto atY = [](double y) {
        return
            [y](QPointF a, QPointF b) { return QPointF(a.x() + (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()), y); };
    };
    clipEdge([&](QPointF p) { return p.x() >= rect.left(); }, atX(rect.left()));
    clipEdge([&](QPointF p) { return p.x() <= rect.right(); }, atX(rect.right()));
    clipEdge([&](QPointF p) { return p.y() >= rect.top(); }, atY(rect.top()));
    clipEdge([&](QPointF p) { return p.y() <= rect.bottom(); }, atY(rect.bottom()));
    return result;
}

QPen strokePen(const Item &item)
{
    QPen pen(toQColor(item.colour), penWidth(item));
    pen.setCapStyle(Qt::RoundCap); // as the tessellator draws strokes in progress
    pen.setJoinStyle(Qt::MiterJoin);
    pen.setMiterLimit(kMiterLimit / 2); // QPen counts in whole widths
    return pen;
}

void drawLine(QPainter &painter, const Item &item, const QList<QPointF> &points, bool closed, const QRectF &clip)
{
    const QPointF first = points.first();
    if (std::all_of(points.cbegin(), points.cend(), [first](QPointF p) { return p == first; })) {
        // A dot: the tessellator draws a disc of the pen's width.
        const double r = penWidth(item) / 2;
        painter.setPen(Qt::NoPen);
        painter.setBrush(toQColor(item.colour));
        painter.drawEllipse(first, r, r);
        return;
    }
    painter.setPen(strokePen(item));
    painter.setBrush(Qt::NoBrush);
    for (const QPolygonF &run : clipPolyline(points, closed, clip)) {
        const bool wholeOutline = closed && run.size() == points.size();
        if (wholeOutline)
            painter.drawPolygon(run);
        else
            painter.drawPolyline(run);
    }
}

void fillConvex(QPainter &painter, const QPolygonF &polygon, proto::Colour colour, const QRectF &clip)
{
    const QPolygonF clipped = clipConvex(polygon, clip);
    if (clipped.size() < 3)
        return;
    painter.setPen(Qt::NoPen);
    painter.setBrush(toQColor(colour));
    painter.drawConvexPolygon(clipped);
}

QPolygonF cornerPolygon(const Item &item)
{
    const QRectF r = QRectF(item.points.value(0), item.points.value(1)).normalized();
    return QPolygonF({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()});
}

void paintClipped(QPainter &painter, const Item &item, const QRectF &clip)
{
    if (item.points.isEmpty())
        return;
    switch (item.kind) {
    case ItemKind::Stroke:
    case ItemKind::Line:
        drawLine(painter, item, item.points, false, clip);
        return;
    case ItemKind::Arrow: {
        if (item.points.size() != 2)
            return;
        drawLine(painter, item, item.points, false, clip);
        const QPointF from = item.points[0];
        const QPointF to = item.points[1];
        const QLineF line(from, to);
        if (line.length() <= 0)
            return;
        const QPointF dir = (to - from) / line.length();
        const QPointF normal(-dir.y(), dir.x());
        const double width = item.width;
        const double length = std::min(width * 3 + 8, line.length() * 0.6 + width);
        const QPointF base = to - dir * length;
        fillConvex(painter,
                   QPolygonF({to + dir * (width / 2), base + normal * (length * 0.5), base - normal * (length * 0.5)}),
                   item.colour, clip);
        return;
    }
    case ItemKind::Rect: {
        const QPolygonF corners = cornerPolygon(item);
        if (item.fill)
            fillConvex(painter, corners, *item.fill, clip);
        drawLine(painter, item, QList<QPointF>(corners.cbegin(), corners.cend()), true, clip);
        return;
    }
    case ItemKind::Ellipse: {
        const QRectF r = QRectF(item.points.value(0), item.points.value(1)).normalized();
        const std::vector<QPointF> outline = ellipsePoints(r, 72);
        const QPolygonF polygon(QList<QPointF>(outline.begin(), outline.end()));
        if (item.fill)
            fillConvex(painter, polygon, *item.fill, clip);
        drawLine(painter, item, QList<QPointF>(outline.begin(), outline.end()), true, clip);
        return;
    }
    case ItemKind::Text:
        return;
    }
}

} // namespace

QRectF paintBounds(const Item &item)
{
    if (item.points.isEmpty() || item.kind == ItemKind::Text)
        return {};
    QList<QPointF> points = item.points;
    if (item.kind == ItemKind::Rect || item.kind == ItemKind::Ellipse)
        points = {item.points.value(0), item.points.value(1)};
    const double pad = reach(item);
    return pointsRect(points).adjusted(-pad, -pad, pad, pad);
}

void paintItem(QPainter &painter, const Item &item)
{
    // Clip to what the painter can show (in board units), with room for caps and joins to stay outside.
    const QRectF device = painter.worldTransform().inverted().mapRect(QRectF(painter.viewport()));
    const double pad = reach(item) * 2 + 1;
    paintClipped(painter, item, device.adjusted(-pad, -pad, pad, pad));
}

QImage renderTile(TileKey key, const QList<Item> &items)
{
    QImage image(tiles::TilePixels, tiles::TilePixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const double scale = tiles::levelScale(key.level);
    const QRectF rect = tiles::boardRect(key);
    painter.scale(scale, scale);
    painter.translate(-rect.topLeft());
    for (const Item &item : items)
        paintItem(painter, item);
    painter.end();
    return image;
}

// ---- BoardIndex ----

void BoardIndex::clear()
{
    m_entries.clear();
    m_cells.clear();
    m_large.clear();
}

BoardIndex::CellRange BoardIndex::cellsOf(const QRectF &rect)
{
    const auto cell = [](double v) { return qint64(std::floor(v / CellSize)); };
    return {cell(rect.left()), cell(rect.top()), cell(rect.right()), cell(rect.bottom())};
}

void BoardIndex::link(const QString &id, const Entry &entry)
{
    if (entry.large) {
        m_large.append(id);
        return;
    }
    const CellRange cells = cellsOf(entry.bounds);
    for (qint64 y = cells.top; y <= cells.bottom; ++y) {
        for (qint64 x = cells.left; x <= cells.right; ++x)
            m_cells[cellKey(x, y)].append(id);
    }
}

void BoardIndex::unlink(const QString &id, const Entry &entry)
{
    if (entry.large) {
        m_large.removeOne(id);
        return;
    }
    const CellRange cells = cellsOf(entry.bounds);
    for (qint64 y = cells.top; y <= cells.bottom; ++y) {
        for (qint64 x = cells.left; x <= cells.right; ++x) {
            const auto it = m_cells.find(cellKey(x, y));
            if (it == m_cells.end())
                continue;
            it->removeOne(id);
            if (it->isEmpty())
                m_cells.erase(it);
        }
    }
}

QRectF BoardIndex::put(const Item &item)
{
    const QRectF old = remove(item.id);
    Entry entry;
    entry.bounds = paintBounds(item);
    entry.z = item.z;
    if (entry.bounds.isEmpty()) {
        // Text: indexed for selection, never painted on tiles. A zero-size rect at its anchor keeps it findable.
        entry.bounds = QRectF(item.points.value(0), QSizeF(0, 0));
    }
    const CellRange cells = cellsOf(entry.bounds);
    entry.large = (cells.right - cells.left + 1) * (cells.bottom - cells.top + 1) > MaxCellsPerItem;
    link(item.id, entry);
    m_entries.insert(item.id, entry);
    return old.united(paintBounds(item));
}

QRectF BoardIndex::remove(const QString &id)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return {};
    const Entry entry = *it;
    m_entries.erase(it);
    unlink(id, entry);
    return entry.bounds.width() > 0 || entry.bounds.height() > 0 ? entry.bounds : QRectF();
}

QRectF BoardIndex::bounds(const QString &id) const
{
    return m_entries.value(id).bounds;
}

QStringList BoardIndex::query(const QRectF &rect) const
{
    QList<std::pair<quint64, QString>> found;
    const auto consider = [&](const QString &id) {
        const Entry &entry = m_entries[id];
        // Touching counts: an item whose paint ends on a tile's edge may still tint its pixels.
        if (entry.bounds.left() <= rect.right() && entry.bounds.right() >= rect.left()
            && entry.bounds.top() <= rect.bottom() && entry.bounds.bottom() >= rect.top())
            found.append({entry.z, id});
    };
    const CellRange cells = cellsOf(rect);
    const qint64 cellCount = (cells.right - cells.left + 1) * (cells.bottom - cells.top + 1);
    if (cellCount > m_cells.size()) {
        // A large area: walking the occupied cells is cheaper than walking the area.
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            consider(it.key());
    } else {
        QSet<QString> seen;
        for (qint64 y = cells.top; y <= cells.bottom; ++y) {
            for (qint64 x = cells.left; x <= cells.right; ++x) {
                const auto it = m_cells.constFind(cellKey(x, y));
                if (it == m_cells.cend())
                    continue;
                for (const QString &id : *it) {
                    if (!seen.contains(id)) {
                        seen.insert(id);
                        consider(id);
                    }
                }
            }
        }
        for (const QString &id : m_large)
            consider(id);
    }
    std::sort(found.begin(), found.end());
    QStringList ids;
    ids.reserve(found.size());
    for (const auto &entry : found)
        ids.append(entry.second);
    return ids;
}

} // namespace inkroom::ui
