#pragma once

#include "protocol.h"

#include <QRectF>

#include <vector>

class QPainter;

namespace inkroom::render {

//! Everything painting an item can touch on the board: its points, its width, joins, caps and arrow heads, a text's
//! lines, and a little more for antialiasing.
[[nodiscard]] QRectF paintBounds(const proto::Item &item);

/** @brief Paint one board item in board coordinates with QPainter: the one painter of the canvas's tiles, its
 * overlays, the exports and the replay.
 *
 * A line is stroked as one path, so a translucent stroke (the highlighter) covers every pixel once, where it crosses
 * itself too. Far-away parts are clipped to what the painter's device shows (raster painting works in fixed point);
 * a device without a viewport (SVG, PDF) gets the whole item.
 */
void paintItem(QPainter &painter, const proto::Item &item);

//! Paint items bottom to top.
void paintItems(QPainter &painter, const QList<proto::Item> &items);

//! The points of an ellipse inscribed in rect, for drawing.
[[nodiscard]] std::vector<QPointF> ellipsePoints(const QRectF &rect, int segments);

//! Whether an item must be drawn with QPainter rather than as opaque triangles: text, pictures, anything translucent
//! (overlapping triangles of one stroke would darken where they overlap) and dashed or dotted outlines.
[[nodiscard]] bool needsRaster(const proto::Item &item);

} // namespace inkroom::render
