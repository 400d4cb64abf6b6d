#pragma once

#include "protocol.h"

#include <QFont>
#include <QRectF>
#include <QStringList>

class QPainter;

namespace inkroom::render {

/** @brief Where the lines of a text item go: the one layout the canvas, the editor, hit testing and every export use.
 *
 * A text item's width is its font size in board units; its first point is the top left corner of its first line.
 * The font is fixed (not the desktop's), unhinted, so a text takes the same room on every machine and at every
 * zoom, and an export lays it out exactly as the screen does.
 */
struct TextLayout
{
    QFont font; //!< at pixelSize() device-independent units; scale by `scale` to reach the item's size
    double scale = 1; //!< the item's size / the font's integral pixel size
    QStringList lines;
    double ascent = 0; //!< board units
    double lineHeight = 0; //!< board units
    QList<double> widths; //!< of each line, board units
    QRectF bounds; //!< board units: the lines' boxes, from the anchor
};

//! The font family of every text item.
[[nodiscard]] QString textFontFamily();
//! The font of a text item at an integral pixel size (the editor uses it at size x zoom).
[[nodiscard]] QFont textFont(int pixelSize);
//! Lay out a text item. Needs a QGuiApplication (fonts); without one the layout is estimated from the size alone.
[[nodiscard]] TextLayout layoutText(const proto::Item &item);
//! The board rectangle a text item's lines cover (layoutText(item).bounds).
[[nodiscard]] QRectF textBounds(const proto::Item &item);
//! Paint a text item in board coordinates, one drawText per line (an SVG export gets one <text> per line).
void paintText(QPainter &painter, const proto::Item &item);

} // namespace inkroom::render
