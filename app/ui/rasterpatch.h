#pragma once

#include "protocol.h"

#include <QImage>
#include <QRectF>

namespace inkroom::ui {

/** @brief Items painted with QPainter into one image at screen resolution, for the canvas's overlays.
 *
 * Text and translucent items (the highlighter) cannot be drawn as triangles: text has no geometry, and a translucent
 * stroke's overlapping triangles would darken where they overlap. While such an item is being drawn, dragged, or
 * waits for its tiles, the canvas shows it as a patch painted by the tiles' own painter.
 */
struct RasterPatch
{
    QImage image; //!< null when nothing is to be drawn
    QRectF target; //!< board coordinates

    //! Paint items (bottom to top) where they meet area, at pixelsPerUnit; the image is kept below maxPixels by
    //! lowering its resolution.
    [[nodiscard]] static RasterPatch paint(const QList<proto::Item> &items, const QRectF &area, double pixelsPerUnit,
                                           qint64 maxPixels = 4096 * 2048);
};

} // namespace inkroom::ui
