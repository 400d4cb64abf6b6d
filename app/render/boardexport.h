#pragma once

#include "protocol.h"

#include <QColor>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QRectF>
#include <QString>

#include <optional>

namespace inkroom::render {

/** @brief Board items written to a file as PNG, SVG or PDF, with Qt's own writers and the canvas's painter.
 *
 * Works on any thread (the items are a copy); needs a QGuiApplication for text. A file is written whole or not at
 * all: the writer fills a temporary file beside it and renames it over the target only when everything is written.
 */
namespace exporting {

enum class Format {
    Png,
    Svg,
    Pdf
};

struct Options
{
    Format format = Format::Png;
    //! PNG: pixels per board unit. PDF with pages: the print scale (1 = a board unit is 1/96 inch).
    double scale = 1;
    //! PDF: pages of this size, the board tiled across them at `scale`; invalid: one page that fits the board.
    QPageSize paper;
    QPageLayout::Orientation orientation = QPageLayout::Portrait;
    //! Board units of empty space around the content.
    double margin = 24;
    QColor background = Qt::white;
    QString title = QStringLiteral("Inkroom board");
};

//! The format a file name asks for (by its extension, any case), if it is one of ours.
[[nodiscard]] std::optional<Format> formatForPath(const QString &path);
[[nodiscard]] QString formatName(Format format);

//! The board area an export of items shows: their paint bounds and the margin (a small page for no items).
[[nodiscard]] QRectF exportArea(const QList<proto::Item> &items, double margin);

//! PNG export limit: pixels per side.
inline constexpr int MaxImageSide = 16384;
//! PNG export limit: pixels in all (a 256 MB image).
inline constexpr qint64 MaxImagePixels = qint64(64) * 1024 * 1024;

//! The items painted on the background at scale pixels per unit (also "Copy as image"). Null when too large.
[[nodiscard]] QImage renderImage(const QList<proto::Item> &items, double scale, double margin = 24,
                                 const QColor &background = Qt::white);

//! How many PDF pages a paged export would take.
[[nodiscard]] int pageCount(const QList<proto::Item> &items, const Options &options);

/** Write items to path. Returns an empty string when done, or why not (in plain words); on failure nothing is left
 *  at path that was not there before. */
[[nodiscard]] QString exportItems(const QList<proto::Item> &items, const QString &path, const Options &options);

} // namespace exporting

} // namespace inkroom::render
