#include "boardexport.h"

#include "itempainter.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::render::exporting {

namespace {

//! Board units are pixels at 100 % zoom on a 96 dpi screen.
constexpr double kBoardDpi = 96;
constexpr int kPdfDpi = 1200;

struct Grid
{
    QRectF area; //!< board units
    QSizeF pageContent; //!< board units each page shows
    int columns = 1;
    int rows = 1;
};

Grid pageGrid(const QList<proto::Item> &items, const Options &options)
{
    Grid grid;
    grid.area = exportArea(items, options.margin);
    if (!options.paper.isValid())
        return grid;
    QPageLayout layout(options.paper, options.orientation, QMarginsF(10, 10, 10, 10), QPageLayout::Millimeter);
    const QSizeF inches = layout.paintRect(QPageLayout::Inch).size();
    const double scale = options.scale > 0 ? options.scale : 1;
    grid.pageContent = inches * kBoardDpi / scale;
    grid.columns = std::max(1, int(std::ceil(grid.area.width() / grid.pageContent.width() - 1e-9)));
    grid.rows = std::max(1, int(std::ceil(grid.area.height() / grid.pageContent.height() - 1e-9)));
    return grid;
}

void paintBoard(QPainter &painter, const QList<proto::Item> &items, const QRectF &area, const QColor &background)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    if (background.alpha() > 0)
        painter.fillRect(area, background);
    paintItems(painter, items);
}

QString writePng(const QList<proto::Item> &items, QIODevice &out, const Options &options)
{
    const QImage image = renderImage(items, options.scale, options.margin, options.background);
    if (image.isNull())
        return u"the picture would be too large at this scale (at most %1 pixels a side)"_s.arg(MaxImageSide);
    if (!image.save(&out, "PNG"))
        return u"the PNG could not be written"_s;
    return {};
}

QString writeSvg(const QList<proto::Item> &items, QIODevice &out, const Options &options)
{
    const QRectF area = exportArea(items, options.margin);
    QSvgGenerator svg;
    svg.setOutputDevice(&out);
    svg.setTitle(options.title);
    svg.setDescription(u"Exported by Inkroom"_s);
    svg.setSize(area.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
    svg.setResolution(int(kBoardDpi));
    QPainter painter;
    if (!painter.begin(&svg))
        return u"the SVG could not be written"_s;
    painter.translate(-area.topLeft());
    paintBoard(painter, items, area, options.background);
    painter.end();
    return {};
}

QString writePdf(const QList<proto::Item> &items, QIODevice &out, const Options &options)
{
    const Grid grid = pageGrid(items, options);
    QPdfWriter pdf(&out);
    pdf.setTitle(options.title);
    pdf.setCreator(u"Inkroom"_s);
    pdf.setResolution(kPdfDpi);
    QPageLayout layout;
    if (options.paper.isValid()) {
        layout = QPageLayout(options.paper, options.orientation, QMarginsF(10, 10, 10, 10), QPageLayout::Millimeter);
    } else {
        // One page the size of the board at 96 dpi, without margins (the area has its own).
        const QSizeF points = grid.area.size() * 72.0 / kBoardDpi;
        layout = QPageLayout(QPageSize(points, QPageSize::Point, {}, QPageSize::ExactMatch), QPageLayout::Portrait,
                             QMarginsF());
    }
    if (!pdf.setPageLayout(layout))
        return u"the page layout is not possible"_s;
    QPainter painter;
    if (!painter.begin(&pdf))
        return u"the PDF could not be written"_s;
    const double deviceScale = kPdfDpi / kBoardDpi * (options.paper.isValid() ? options.scale : 1);
    for (int row = 0; row < grid.rows; ++row) {
        for (int column = 0; column < grid.columns; ++column) {
            if (row > 0 || column > 0)
                pdf.newPage();
            const QSizeF content = options.paper.isValid() ? grid.pageContent : grid.area.size();
            const QRectF shown(grid.area.topLeft() + QPointF(column * content.width(), row * content.height()),
                               content);
            painter.save();
            painter.scale(deviceScale, deviceScale);
            painter.translate(-shown.topLeft());
            painter.setClipRect(shown);
            paintBoard(painter, items, shown.intersected(grid.area), options.background);
            painter.restore();
        }
    }
    painter.end();
    return {};
}

} // namespace

std::optional<Format> formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png"_L1)
        return Format::Png;
    if (suffix == "svg"_L1)
        return Format::Svg;
    if (suffix == "pdf"_L1)
        return Format::Pdf;
    return std::nullopt;
}

QString formatName(Format format)
{
    switch (format) {
    case Format::Png:
        return u"PNG"_s;
    case Format::Svg:
        return u"SVG"_s;
    case Format::Pdf:
        return u"PDF"_s;
    }
    return {};
}

QRectF exportArea(const QList<proto::Item> &items, double margin)
{
    QRectF area;
    for (const proto::Item &item : items)
        area = area.united(paintBounds(item));
    if (area.isEmpty())
        area = QRectF(0, 0, 1, 1);
    margin = std::max(margin, 0.0);
    // Whole board units, so an image at scale 1 has exactly the area's pixels.
    const QRectF padded = area.adjusted(-margin, -margin, margin, margin);
    return QRectF(QPointF(std::floor(padded.left()), std::floor(padded.top())),
                  QPointF(std::ceil(padded.right()), std::ceil(padded.bottom())));
}

QImage renderImage(const QList<proto::Item> &items, double scale, double margin, const QColor &background)
{
    const QRectF area = exportArea(items, margin);
    if (!(scale > 0))
        return {};
    const double width = std::ceil(area.width() * scale);
    const double height = std::ceil(area.height() * scale);
    if (width > MaxImageSide || height > MaxImageSide || width * height > double(MaxImagePixels))
        return {};
    QImage image(int(width), int(height), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return {};
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.scale(scale, scale);
    painter.translate(-area.topLeft());
    paintBoard(painter, items, area, background);
    painter.end();
    return image;
}

int pageCount(const QList<proto::Item> &items, const Options &options)
{
    const Grid grid = pageGrid(items, options);
    return grid.columns * grid.rows;
}

QString exportItems(const QList<proto::Item> &items, const QString &path, const Options &options)
{
    // Written beside the target and renamed over it at the end: a reader never sees half a file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    QString error;
    switch (options.format) {
    case Format::Png:
        error = writePng(items, file, options);
        break;
    case Format::Svg:
        error = writeSvg(items, file, options);
        break;
    case Format::Pdf:
        error = writePdf(items, file, options);
        break;
    }
    if (error.isEmpty() && file.error() != QFileDevice::NoError)
        error = file.errorString();
    if (!error.isEmpty()) {
        file.cancelWriting();
        return u"cannot write %1: %2"_s.arg(path, error);
    }
    if (!file.commit())
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    return {};
}

} // namespace inkroom::render::exporting
