#include "rasterpatch.h"

#include "itempainter.h"

#include <QPainter>

#include <cmath>

namespace inkroom::ui {

RasterPatch RasterPatch::paint(const QList<proto::Item> &items, const QRectF &area, double pixelsPerUnit,
                               qint64 maxPixels)
{
    RasterPatch patch;
    QRectF reach;
    for (const proto::Item &item : items)
        reach = reach.united(render::paintBounds(item));
    reach = reach.intersected(area);
    if (reach.isEmpty() || !(pixelsPerUnit > 0))
        return patch;
    double scale = pixelsPerUnit;
    const double pixels = reach.width() * reach.height() * scale * scale;
    if (pixels > double(maxPixels))
        scale *= std::sqrt(double(maxPixels) / pixels);
    // Whole pixels on the board's pixel grid at this scale, so the patch lines up with the tiles beneath.
    const QRect grid(QPoint(int(std::floor(reach.left() * scale)), int(std::floor(reach.top() * scale))),
                     QPoint(int(std::ceil(reach.right() * scale)) - 1, int(std::ceil(reach.bottom() * scale)) - 1));
    if (grid.isEmpty())
        return patch;
    patch.image = QImage(grid.size(), QImage::Format_ARGB32_Premultiplied);
    patch.image.fill(Qt::transparent);
    patch.target = QRectF(grid.left() / scale, grid.top() / scale, grid.width() / scale, grid.height() / scale);
    QPainter painter(&patch.image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.translate(-grid.left(), -grid.top());
    painter.scale(scale, scale);
    render::paintItems(painter, items);
    return patch;
}

} // namespace inkroom::ui
