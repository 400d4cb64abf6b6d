#include "tessellator.h"

#include <QLineF>

#include <algorithm>
#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace {

constexpr double kPi = 3.14159265358979323846;
//! Half-disc caps get this many segments; enough to look round at the widths people draw with.
constexpr int kCapSegments = 6;
//! Miter joins are limited to this multiple of the half width so sharp turns do not spike.
constexpr double kMiterLimit = 2.5;

Vertex premultiplied(proto::Colour colour)
{
    const int a = int(colour >> 24);
    const auto channel = [a](int value) { return uchar((value * a + 127) / 255); };
    Vertex v {};
    v.r = channel(int((colour >> 16) & 0xff));
    v.g = channel(int((colour >> 8) & 0xff));
    v.b = channel(int(colour & 0xff));
    v.a = uchar(a);
    return v;
}

QPointF normalized(QPointF v)
{
    const double length = std::hypot(v.x(), v.y());
    return length > 0 ? v / length : QPointF(1, 0);
}

QPointF perpendicular(QPointF v)
{
    return QPointF(-v.y(), v.x());
}

double dot(QPointF a, QPointF b)
{
    return a.x() * b.x() + a.y() * b.y();
}

//! Points without consecutive duplicates (they have no direction and would break the joins).
std::vector<QPointF> distinctPoints(const QList<QPointF> &points)
{
    std::vector<QPointF> result;
    result.reserve(size_t(points.size()));
    for (const QPointF &p : points) {
        if (result.empty() || std::abs(p.x() - result.back().x()) > 1e-9 || std::abs(p.y() - result.back().y()) > 1e-9)
            result.push_back(p);
    }
    return result;
}

QRectF cornersRect(const Item &item)
{
    return QRectF(item.points.value(0), item.points.value(1)).normalized();
}

} // namespace

void Tessellator::put(QPointF p, const Vertex &colour)
{
    Vertex v = colour;
    v.x = float(p.x());
    v.y = float(p.y());
    m_out.push_back(v);
}

void Tessellator::beginStrip(QPointF first, const Vertex &colour)
{
    // Join to the previous strip with two degenerate triangles: repeat its last vertex and our first.
    if (!m_out.empty()) {
        m_out.push_back(m_out.back());
        put(first, colour);
    }
    m_open = true;
}

void Tessellator::endStrip()
{
    m_open = false;
}

void Tessellator::addItem(const Item &item)
{
    switch (item.kind) {
    case ItemKind::Stroke:
        addPolyline(item.points, item.width, item.colour);
        return;
    case ItemKind::Line:
        addPolyline(item.points, item.width, item.colour);
        return;
    case ItemKind::Arrow:
        if (item.points.size() == 2) {
            addPolyline(item.points, item.width, item.colour);
            addArrowHead(item.points[0], item.points[1], item.width, item.colour);
        }
        return;
    case ItemKind::Rect: {
        const QRectF r = cornersRect(item);
        if (item.fill)
            addFilledConvex({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()}, *item.fill);
        addPolyline({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()}, item.width, item.colour, true);
        return;
    }
    case ItemKind::Ellipse: {
        const QRectF r = cornersRect(item);
        const std::vector<QPointF> outline = ellipsePoints(r, 72);
        if (item.fill)
            addFilledConvex(outline, *item.fill);
        addPolyline(QList<QPointF>(outline.begin(), outline.end()), item.width, item.colour, true);
        return;
    }
    case ItemKind::Text:
        return;
    }
}

void Tessellator::addPolyline(const QList<QPointF> &input, double width, proto::Colour colour, bool closed)
{
    const Vertex c = premultiplied(colour);
    const double half = std::max(width, 0.5) / 2;
    std::vector<QPointF> p = distinctPoints(input);
    if (closed && p.size() > 2 && p.front() == p.back())
        p.pop_back();
    if (p.empty())
        return;
    if (p.size() == 1) {
        addDisc(p.front(), half, colour);
        return;
    }
    const size_t n = p.size();
    const auto direction = [&](size_t i) { return normalized(p[(i + 1) % n] - p[i]); }; // segment i -> i+1
    const auto offsetAt = [&](size_t i) -> QPointF {
        QPointF before;
        QPointF after;
        if (closed) {
            before = direction((i + n - 1) % n);
            after = direction(i);
        } else {
            before = direction(i == 0 ? 0 : i - 1);
            after = direction(i + 1 >= n ? n - 2 : i);
        }
        const QPointF normalBefore = perpendicular(before);
        const QPointF miter = normalized(perpendicular(before + after));
        const double cosine = dot(miter, normalBefore);
        const double length = std::min(half / std::max(std::abs(cosine), 1e-6), half * kMiterLimit);
        return miter * length;
    };

    if (closed) {
        beginStrip(p[0] + offsetAt(0), c);
        for (size_t i = 0; i <= n; ++i) {
            const QPointF o = offsetAt(i % n);
            put(p[i % n] + o, c);
            put(p[i % n] - o, c);
        }
        endStrip();
        return;
    }

    // A round start cap, emitted as a zig-zag from its tip back to the stroke's first pair of vertices.
    const QPointF startDir = direction(0);
    const QPointF startNormal = perpendicular(startDir);
    const auto capPoint = [&](QPointF centre, QPointF back, QPointF normal, double angle) {
        return centre + normal * (half * std::cos(angle)) + back * (half * std::sin(angle));
    };
    const bool caps = half >= 1.0;
    if (caps) {
        beginStrip(capPoint(p[0], -startDir, startNormal, kPi / 2), c);
        put(capPoint(p[0], -startDir, startNormal, kPi / 2), c);
        for (int k = 1; k < kCapSegments / 2; ++k) {
            const double step = kPi / kCapSegments * k;
            put(capPoint(p[0], -startDir, startNormal, kPi / 2 - step), c);
            put(capPoint(p[0], -startDir, startNormal, kPi / 2 + step), c);
        }
    } else {
        beginStrip(p[0] + offsetAt(0), c);
    }
    for (size_t i = 0; i < n; ++i) {
        const QPointF o = offsetAt(i);
        put(p[i] + o, c);
        put(p[i] - o, c);
    }
    if (caps) {
        const QPointF endDir = direction(n - 2);
        const QPointF endNormal = perpendicular(endDir);
        for (int k = kCapSegments / 2 - 1; k >= 1; --k) {
            const double step = kPi / kCapSegments * k;
            put(capPoint(p[n - 1], endDir, endNormal, kPi / 2 - step), c);
            put(capPoint(p[n - 1], endDir, endNormal, kPi / 2 + step), c);
        }
        put(capPoint(p[n - 1], endDir, endNormal, kPi / 2), c);
    }
    endStrip();
}

void Tessellator::addSquare(QPointF centre, double size, proto::Colour colour)
{
    const double h = size / 2;
    addFilledConvex(
        {centre + QPointF(-h, -h), centre + QPointF(h, -h), centre + QPointF(h, h), centre + QPointF(-h, h)}, colour);
}

void Tessellator::addRectOutline(const QRectF &rect, double width, proto::Colour colour)
{
    addPolyline({rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()}, width, colour, true);
}

void Tessellator::addFilledConvex(const std::vector<QPointF> &polygon, proto::Colour colour)
{
    if (polygon.size() < 3)
        return;
    const Vertex c = premultiplied(colour);
    // A convex polygon as a strip: alternate between its two ends, walking towards the middle.
    size_t front = 0;
    size_t back = polygon.size() - 1;
    beginStrip(polygon[front], c);
    put(polygon[front++], c);
    while (front <= back) {
        put(polygon[back--], c);
        if (front <= back)
            put(polygon[front++], c);
    }
    endStrip();
}

void Tessellator::addDisc(QPointF centre, double radius, proto::Colour colour)
{
    addFilledConvex(ellipsePoints(QRectF(centre - QPointF(radius, radius), QSizeF(2 * radius, 2 * radius)), 16),
                    colour);
}

void Tessellator::addArrowHead(QPointF from, QPointF to, double width, proto::Colour colour)
{
    const QPointF dir = normalized(to - from);
    const QPointF normal = perpendicular(dir);
    const double length = std::min(width * 3 + 8, QLineF(from, to).length() * 0.6 + width);
    const QPointF base = to - dir * length;
    addFilledConvex({to + dir * (width / 2), base + normal * (length * 0.5), base - normal * (length * 0.5)}, colour);
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

} // namespace inkroom::ui
