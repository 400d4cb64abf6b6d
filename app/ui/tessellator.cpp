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

Vertex faded(Vertex v, double factor)
{
    const auto scale = [factor](uchar value) { return uchar(std::lround(value * factor)); };
    v.r = scale(v.r);
    v.g = scale(v.g);
    v.b = scale(v.b);
    v.a = scale(v.a);
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

/** Points without consecutive duplicates (they have no direction and would break the joins), with their half
 *  widths (from widths, when it has one for each point; otherwise half). */
std::vector<QPointF> distinctPoints(const QList<QPointF> &points, const QList<double> &widths, double half,
                                    std::vector<double> &halves)
{
    std::vector<QPointF> result;
    result.reserve(size_t(points.size()));
    const bool perPoint = widths.size() == points.size();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF p = points[i];
        const double h = perPoint ? std::max(widths[i], 0.5) / 2 : half;
        if (result.empty() || std::abs(p.x() - result.back().x()) > 1e-9
            || std::abs(p.y() - result.back().y()) > 1e-9) {
            result.push_back(p);
            halves.push_back(h);
        } else {
            halves.back() = std::max(halves.back(), h);
        }
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
        addPolyline(item.points, item.width, item.colour, false, item.widths);
        return;
    case ItemKind::Line:
    case ItemKind::Arrow:
        if (item.points.size() == 2) {
            addPolyline(item.points, item.width, item.colour);
            addHeads(item);
        }
        return;
    case ItemKind::Rect: {
        const QRectF r = cornersRect(item);
        if (item.fill)
            addFilledConvex({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()}, premultiplied(*item.fill));
        addPolyline({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()}, item.width, item.colour, true);
        return;
    }
    case ItemKind::Ellipse: {
        const QRectF r = cornersRect(item);
        const std::vector<QPointF> outline = ellipsePoints(r, 72);
        if (item.fill)
            addFilledConvex(outline, premultiplied(*item.fill));
        addPolyline(QList<QPointF>(outline.begin(), outline.end()), item.width, item.colour, true);
        return;
    }
    case ItemKind::Text:
    case ItemKind::Image: // both drawn with QPainter (needsRaster())
        return;
    }
}

void Tessellator::addPolyline(const QList<QPointF> &input, double width, proto::Colour colour, bool closed,
                              const QList<double> &widths)
{
    Vertex c = premultiplied(colour);
    double half = std::max(width, 0.5) / 2;
    std::vector<double> h;
    std::vector<QPointF> p = distinctPoints(input, widths, half, h);
    if (closed && p.size() > 2 && p.front() == p.back()) {
        p.pop_back();
        h.pop_back();
    }
    if (p.empty())
        return;
    if (m_fringe > 0 && 2 * half < m_fringe) {
        // Thinner than a pixel: a pixel wide, and fainter in proportion, as a raster painter would show it.
        c = faded(c, 2 * half / m_fringe);
        half = m_fringe / 2;
    }
    // A pen's thinnest parts are a pixel wide at least (fading them point by point would not be worth it).
    for (double &each : h)
        each = m_fringe > 0 ? std::max(each, m_fringe / 2) : each;
    if (widths.size() != input.size())
        std::fill(h.begin(), h.end(), half);
    if (p.size() == 1) {
        addDisc(p.front(), h.front(), c);
        return;
    }
    // The opaque core is half a fringe narrower on each side; the fringe fades across the edge.
    const double inner = m_fringe > 0 ? -m_fringe / 2 : 0;
    const double outer = m_fringe / 2;
    const auto core = [&h, inner](size_t i) { return h[i] + inner; };
    const size_t n = p.size();
    const auto direction = [&](size_t i) { return normalized(p[(i + 1) % n] - p[i]); }; // segment i -> i+1
    // The offset of the outline from point i for a half width of 1 (offsets grow linearly with the half width).
    const auto unitOffset = [&](size_t i) -> QPointF {
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
        return miter * std::min(1 / std::max(std::abs(cosine), 1e-6), kMiterLimit);
    };
    std::vector<QPointF> offsets(n);
    for (size_t i = 0; i < n; ++i)
        offsets[i] = unitOffset(i);

    if (closed) {
        if (core(0) > 0) {
            beginStrip(p[0] + offsets[0] * core(0), c);
            for (size_t i = 0; i <= n; ++i) {
                put(p[i % n] + offsets[i % n] * core(i % n), c);
                put(p[i % n] - offsets[i % n] * core(i % n), c);
            }
            endStrip();
        }
        if (m_fringe > 0) {
            std::vector<RimPoint> outside;
            std::vector<RimPoint> inside;
            for (size_t i = 0; i < n; ++i) {
                outside.push_back({p[i], offsets[i], h[i]});
                inside.push_back({p[i], -offsets[i], h[i]});
            }
            addFringe(outside, inner, outer, c, true);
            addFringe(inside, inner, outer, c, true);
        }
        return;
    }

    // Round caps: half discs around each end, as unit offsets from the end point. The start cap runs from the right
    // side round the back to the left side; the end cap from the left side round the front to the right side.
    const QPointF startDir = direction(0);
    const QPointF startNormal = perpendicular(startDir);
    const QPointF endDir = direction(n - 2);
    const QPointF endNormal = perpendicular(endDir);
    const auto arc = [](QPointF normal, QPointF outward, int k) {
        const double angle = kPi * k / kCapSegments;
        return normal * std::cos(angle) + outward * std::sin(angle);
    };

    if (core(0) > 0 || core(n - 1) > 0) {
        // The start cap as a zig-zag from its tip back to the stroke's first pair of vertices.
        const double first = core(0);
        const double last = core(n - 1);
        beginStrip(p[0] - startDir * first, c);
        put(p[0] - startDir * first, c);
        for (int k = kCapSegments / 2 - 1; k >= 1; --k) {
            put(p[0] + arc(startNormal, -startDir, k) * first, c);
            put(p[0] + arc(startNormal, -startDir, kCapSegments - k) * first, c);
        }
        for (size_t i = 0; i < n; ++i) {
            put(p[i] + offsets[i] * core(i), c);
            put(p[i] - offsets[i] * core(i), c);
        }
        for (int k = 1; k < kCapSegments / 2; ++k) {
            put(p[n - 1] + arc(endNormal, endDir, k) * last, c);
            put(p[n - 1] + arc(endNormal, endDir, kCapSegments - k) * last, c);
        }
        put(p[n - 1] + endDir * last, c);
        endStrip();
    }
    if (m_fringe > 0) {
        // The whole outline once round: left side forward, end cap, right side back, start cap.
        std::vector<RimPoint> rim;
        rim.reserve(2 * n + 2 * kCapSegments);
        for (size_t i = 0; i < n; ++i)
            rim.push_back({p[i], offsets[i], h[i]});
        for (int k = 1; k < kCapSegments; ++k)
            rim.push_back({p[n - 1], arc(endNormal, endDir, k), h[n - 1]});
        for (size_t i = n; i-- > 0;)
            rim.push_back({p[i], -offsets[i], h[i]});
        for (int k = 1; k < kCapSegments; ++k)
            rim.push_back({p[0], arc(-startNormal, -startDir, k), h[0]});
        addFringe(rim, inner, outer, c, true);
    }
}

void Tessellator::addFringe(const std::vector<RimPoint> &rim, double inner, double outer, const Vertex &colour,
                            bool closed)
{
    if (rim.size() < 2)
        return;
    const Vertex clear {};
    beginStrip(rim.front().centre + rim.front().offset * (rim.front().half + inner), colour);
    const size_t count = closed ? rim.size() + 1 : rim.size();
    for (size_t i = 0; i < count; ++i) {
        const RimPoint &r = rim[i % rim.size()];
        put(r.centre + r.offset * (r.half + inner), colour);
        put(r.centre + r.offset * (r.half + outer), clear);
    }
    endStrip();
}

void Tessellator::addSquare(QPointF centre, double size, proto::Colour colour)
{
    const double h = size / 2;
    addFilledConvex(
        {centre + QPointF(-h, -h), centre + QPointF(h, -h), centre + QPointF(h, h), centre + QPointF(-h, h)},
        premultiplied(colour));
}

void Tessellator::addRectOutline(const QRectF &rect, double width, proto::Colour colour)
{
    addPolyline({rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()}, width, colour, true);
}

void Tessellator::addFilledConvex(const std::vector<QPointF> &polygon, const Vertex &c)
{
    if (polygon.size() < 3)
        return;
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
    if (m_fringe <= 0)
        return;
    // The fringe: outwards from every edge, whichever way round the polygon goes.
    const size_t n = polygon.size();
    double area = 0;
    for (size_t i = 0; i < n; ++i)
        area += polygon[i].x() * polygon[(i + 1) % n].y() - polygon[(i + 1) % n].x() * polygon[i].y();
    const double outwards = area >= 0 ? -1 : 1;
    std::vector<RimPoint> rim;
    rim.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const QPointF before = normalized(polygon[i] - polygon[(i + n - 1) % n]);
        const QPointF after = normalized(polygon[(i + 1) % n] - polygon[i]);
        const QPointF normalBefore = perpendicular(before) * outwards;
        const QPointF miter = normalized(perpendicular(before + after) * outwards);
        const double cosine = dot(miter, normalBefore);
        rim.push_back({polygon[i], miter * std::min(1 / std::max(std::abs(cosine), 1e-6), kMiterLimit), 0});
    }
    addFringe(rim, 0, m_fringe, c, true);
}

void Tessellator::addDisc(QPointF centre, double radius, const Vertex &colour)
{
    addFilledConvex(ellipsePoints(QRectF(centre - QPointF(radius, radius), QSizeF(2 * radius, 2 * radius)), 16),
                    colour);
}

void Tessellator::addHeads(const Item &item)
{
    const proto::Heads heads = proto::headsOf(item.kind, item.heads);
    if (heads == proto::Heads::End || heads == proto::Heads::Both)
        addArrowHead(item.points[0], item.points[1], item.width, item.colour);
    if (heads == proto::Heads::Start || heads == proto::Heads::Both)
        addArrowHead(item.points[1], item.points[0], item.width, item.colour);
}

void Tessellator::addArrowHead(QPointF from, QPointF to, double width, proto::Colour colour)
{
    const QPointF dir = normalized(to - from);
    const QPointF normal = perpendicular(dir);
    const double length = std::min(width * 3 + 8, QLineF(from, to).length() * 0.6 + width);
    const QPointF base = to - dir * length;
    addFilledConvex({to + dir * (width / 2), base + normal * (length * 0.5), base - normal * (length * 0.5)},
                    premultiplied(colour));
}

} // namespace inkroom::ui
