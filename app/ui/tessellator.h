#pragma once

#include "itempainter.h"
#include "protocol.h"

#include <QRectF>
#include <QSGGeometry>

#include <vector>

namespace inkroom::ui {

using Vertex = QSGGeometry::ColoredPoint2D;

/** @brief Turns board items into one triangle strip of coloured vertices.
 *
 * Every item is appended to the same strip, joined to the previous one by degenerate triangles, so many items draw
 * with one geometry node and one material. Colours are premultiplied, as Qt Quick expects.
 *
 * With a fringe (the size of a pixel, in the units of the points), edges are antialiased the way Qt Quick's own
 * shapes are: every outline gets a band one fringe wide whose colour fades to transparent, so no multisampling is
 * needed. Lines thinner than a pixel are drawn a pixel wide and fainter in proportion.
 */
class Tessellator
{
public:
    explicit Tessellator(std::vector<Vertex> &out, double fringe = 0)
        : m_out(out)
        , m_fringe(fringe)
    { }

    //! Append one item (text items have no geometry: the UI draws them as text).
    void addItem(const proto::Item &item);
    /** Append a freehand polyline (used for strokes and for live strokes still being drawn). widths: the width at
     *  each point (a pen's pressure), or empty for width all along. */
    void addPolyline(const QList<QPointF> &points, double width, proto::Colour colour, bool closed = false,
                     const QList<double> &widths = {});
    //! Append a small filled square (grid dots).
    void addSquare(QPointF centre, double size, proto::Colour colour);
    //! Append the outline of a rectangle (for selections).
    void addRectOutline(const QRectF &rect, double width, proto::Colour colour);

private:
    //! A point of an outline: where it is for a half width h is centre + offset * (half + h).
    struct RimPoint
    {
        QPointF centre;
        QPointF offset;
        double half = 0;
    };
    void addFilledConvex(const std::vector<QPointF> &polygon, const Vertex &colour);
    //! The fading band along an outline, from half + inner (opaque) to half + outer (transparent).
    void addFringe(const std::vector<RimPoint> &rim, double inner, double outer, const Vertex &colour, bool closed);
    void addDisc(QPointF centre, double radius, const Vertex &colour);
    void addArrowHead(QPointF from, QPointF to, double width, proto::Colour colour);
    //! A line's or arrow's heads, as proto::headsOf() says.
    void addHeads(const proto::Item &item);
    void put(QPointF p, const Vertex &colour);
    void beginStrip(QPointF first, const Vertex &colour);
    void endStrip();

    std::vector<Vertex> &m_out;
    double m_fringe = 0;
    bool m_open = false;
};

using render::ellipsePoints;

} // namespace inkroom::ui
