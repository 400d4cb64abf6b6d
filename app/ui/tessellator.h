#pragma once

#include "protocol.h"

#include <QRectF>
#include <QSGGeometry>

#include <vector>

namespace inkroom::ui {

using Vertex = QSGGeometry::ColoredPoint2D;

/** @brief Turns board items into one triangle strip of coloured vertices.
 *
 * Every item is appended to the same strip, joined to the previous one by degenerate triangles, so a whole chunk
 * of the board draws with one geometry node and one material. Colours are premultiplied, as Qt Quick expects.
 */
class Tessellator
{
public:
    explicit Tessellator(std::vector<Vertex> &out)
        : m_out(out)
    { }

    //! Append one item (text items have no geometry: the UI draws them as text).
    void addItem(const proto::Item &item);
    //! Append a freehand polyline (used for strokes and for live strokes still being drawn).
    void addPolyline(const QList<QPointF> &points, double width, proto::Colour colour, bool closed = false);
    //! Append a small filled square (grid dots).
    void addSquare(QPointF centre, double size, proto::Colour colour);
    //! Append the outline of a rectangle (for selections).
    void addRectOutline(const QRectF &rect, double width, proto::Colour colour);

private:
    void addFilledConvex(const std::vector<QPointF> &polygon, proto::Colour colour);
    void addDisc(QPointF centre, double radius, proto::Colour colour);
    void addArrowHead(QPointF from, QPointF to, double width, proto::Colour colour);
    void put(QPointF p, const Vertex &colour);
    void beginStrip(QPointF first, const Vertex &colour);
    void endStrip();

    std::vector<Vertex> &m_out;
    bool m_open = false;
};

//! The points of an ellipse inscribed in rect, for drawing.
[[nodiscard]] std::vector<QPointF> ellipsePoints(const QRectF &rect, int segments);

} // namespace inkroom::ui
