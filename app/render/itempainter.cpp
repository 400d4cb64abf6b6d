#include "itempainter.h"

#include "imagelibrary.h"
#include "textlayout.h"

#include <QLineF>
#include <QPaintDevice>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace inkroom::render {

using proto::Item;
using proto::ItemKind;

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

bool hasHeads(const Item &item)
{
    return (item.kind == ItemKind::Line || item.kind == ItemKind::Arrow)
        && proto::headsOf(item.kind, item.heads) != proto::Heads::None;
}

//! How far an item's paint can reach beyond its points.
double reach(const Item &item)
{
    const double width = penWidth(item);
    if (hasHeads(item))
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
    // In widths; round caps add half a width at each end of a dash, so a dot is a dash of no length.
    if (item.dash == proto::Dash::Dashed)
        pen.setDashPattern({2.5, 3});
    else if (item.dash == proto::Dash::Dotted)
        pen.setDashPattern({0.01, 2.5});
    return pen;
}

//! A polygon with its corners in counter-clockwise order (positive area), so a winding fill of many never cancels.
QPolygonF counterClockwise(QPolygonF polygon)
{
    double area = 0;
    for (qsizetype i = 0; i < polygon.size(); ++i) {
        const QPointF a = polygon[i];
        const QPointF b = polygon[(i + 1) % polygon.size()];
        area += a.x() * b.y() - b.x() * a.y();
    }
    if (area < 0)
        std::reverse(polygon.begin(), polygon.end());
    return polygon;
}

/** A stroke whose width changes along it (a pen's pressure): a disc at every point and a band between neighbours,
 *  filled as one path with the winding rule, so every pixel is covered once (a translucent stroke does not darken
 *  where its parts overlap). Only the parts near clip are drawn. */
void drawPressureStroke(QPainter &painter, const Item &item, const QRectF &clip)
{
    QPainterPath path;
    path.setFillRule(Qt::WindingFill);
    const auto half = [&item](qsizetype i) { return std::max(item.widths.value(i, item.width), 0.5) / 2; };
    const auto disc = [&path](QPointF centre, double r) {
        const std::vector<QPointF> outline =
            ellipsePoints(QRectF(centre - QPointF(r, r), QSizeF(2 * r, 2 * r)), std::clamp(int(r * 2), 12, 48));
        path.addPolygon(counterClockwise(QPolygonF(QList<QPointF>(outline.begin(), outline.end()))));
        path.closeSubpath();
    };
    const QRectF near = clip.adjusted(-item.width, -item.width, item.width, item.width);
    for (qsizetype i = 0; i < item.points.size(); ++i) {
        const QPointF p = item.points[i];
        if (near.contains(p))
            disc(p, half(i));
        if (i + 1 == item.points.size())
            continue;
        QPointF a = p;
        QPointF b = item.points[i + 1];
        const QLineF segment(a, b);
        if (segment.length() <= 0 || !clipSegment(a, b, near))
            continue;
        // The widths where the segment was cut, in proportion.
        const double ta = QLineF(p, a).length() / segment.length();
        const double tb = QLineF(p, b).length() / segment.length();
        const double ha = half(i) + (half(i + 1) - half(i)) * ta;
        const double hb = half(i) + (half(i + 1) - half(i)) * tb;
        const QPointF dir = (item.points[i + 1] - p) / segment.length();
        const QPointF normal(-dir.y(), dir.x());
        path.addPolygon(
            counterClockwise(QPolygonF({a + normal * ha, b + normal * hb, b - normal * hb, a - normal * ha})));
        path.closeSubpath();
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(toQColor(item.colour));
    painter.drawPath(path);
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
    // Every run in one path, stroked once: QPainter fills a stroke's outline with the winding rule, so where a
    // translucent line crosses itself (or two runs meet) its pixels are covered once and do not darken.
    QPainterPath path;
    for (const QPolygonF &run : clipPolyline(points, closed, clip)) {
        const bool wholeOutline = closed && run.size() == points.size();
        path.addPolygon(run);
        if (wholeOutline)
            path.closeSubpath();
    }
    painter.setPen(strokePen(item));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
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

/** A picture in its rectangle, or, until it has arrived (or when it cannot be decoded), a grey placeholder with a
 *  frame, so the space it takes is shown. */
void paintImage(QPainter &painter, const Item &item, const QRectF &clip)
{
    const QRectF rect = QRectF(item.points.value(0), item.points.value(1)).normalized();
    if (!rect.intersects(clip))
        return;
    const QImage image = ImageLibrary::instance().image(item.blob);
    painter.save();
    if (image.isNull()) {
        painter.setPen(QPen(QColor(0x9e, 0x9e, 0x9e), 0));
        painter.setBrush(QColor(0xee, 0xee, 0xee));
        painter.drawRect(rect);
        painter.drawLine(rect.topLeft(), rect.bottomRight());
        painter.drawLine(rect.topRight(), rect.bottomLeft());
    } else {
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(rect, image);
    }
    painter.restore();
}

//! An arrow head at to, pointing away from from (solid whatever the line's dash).
void drawHead(QPainter &painter, const Item &item, QPointF from, QPointF to, const QRectF &clip)
{
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
}

void paintClipped(QPainter &painter, const Item &item, const QRectF &clip)
{
    if (item.points.isEmpty())
        return;
    switch (item.kind) {
    case ItemKind::Stroke:
        if (item.widths.size() == item.points.size() && item.points.size() > 1)
            drawPressureStroke(painter, item, clip);
        else
            drawLine(painter, item, item.points, false, clip);
        return;
    case ItemKind::Line:
    case ItemKind::Arrow: {
        if (item.points.size() != 2)
            return;
        drawLine(painter, item, item.points, false, clip);
        const proto::Heads heads = proto::headsOf(item.kind, item.heads);
        if (heads == proto::Heads::End || heads == proto::Heads::Both)
            drawHead(painter, item, item.points[0], item.points[1], clip);
        if (heads == proto::Heads::Start || heads == proto::Heads::Both)
            drawHead(painter, item, item.points[1], item.points[0], clip);
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
    case ItemKind::Image:
        paintImage(painter, item, clip);
        return;
    case ItemKind::Text:
        // Only text that reaches the clip: glyphs far outside it would overflow the raster engine's fixed point.
        if (textBounds(item).intersects(clip))
            paintText(painter, item);
        return;
    }
}

} // namespace

QRectF paintBounds(const Item &item)
{
    if (item.points.isEmpty())
        return {};
    if (item.kind == ItemKind::Text) {
        // Glyphs may overhang their advance a little (italics, accents above the ascent).
        const double pad = std::max(item.width, 1.0) * 0.25 + 1;
        return textBounds(item).adjusted(-pad, -pad, pad, pad);
    }
    QList<QPointF> points = item.points;
    if (item.kind == ItemKind::Image)
        return pointsRect({item.points.value(0), item.points.value(1)});
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
    if (item.opacity >= 1) {
        paintClipped(painter, item, device.adjusted(-pad, -pad, pad, pad));
        return;
    }
    // Each part (outline, fill, head) at the item's opacity, as Excalidraw draws it.
    painter.save();
    painter.setOpacity(painter.opacity() * item.opacity);
    paintClipped(painter, item, device.adjusted(-pad, -pad, pad, pad));
    painter.restore();
}

void paintItems(QPainter &painter, const QList<Item> &items)
{
    for (const Item &item : items)
        paintItem(painter, item);
}

bool needsRaster(const Item &item)
{
    if (item.kind == ItemKind::Text || item.kind == ItemKind::Image)
        return true;
    const bool translucent = (item.colour >> 24) != 0xff || item.opacity < 1;
    const bool translucentFill = item.fill && (*item.fill >> 24) != 0xff;
    return translucent || translucentFill || item.dash != proto::Dash::Solid;
}

std::vector<QPointF> ellipsePoints(const QRectF &rect, int segments)
{
    std::vector<QPointF> points;
    points.reserve(size_t(segments));
    const QPointF centre = rect.center();
    for (int i = 0; i < segments; ++i) {
        const double angle = 2 * kPi * i / segments;
        points.emplace_back(centre.x() + rect.width() / 2 * std::cos(angle),
                            centre.y() + rect.height() / 2 * std::sin(angle));
    }
    return points;
}

} // namespace inkroom::render
