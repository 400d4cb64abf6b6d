#include "textlayout.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace inkroom::render {

QString textFontFamily()
{
    return QStringLiteral("DejaVu Sans");
}

QFont textFont(int pixelSize)
{
    QFont font(textFontFamily());
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(std::max(1, pixelSize));
    // Unhinted: advances then scale with the size, so the layout is the same at every zoom and in vector exports.
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setKerning(true);
    return font;
}

TextLayout layoutText(const proto::Item &item)
{
    TextLayout layout;
    const double size = std::max(item.width, 1.0);
    const int pixels = std::max(1, int(std::lround(size)));
    layout.scale = size / pixels;
    layout.font = textFont(pixels);
    layout.lines = item.text.split(u'\n');
    const QPointF anchor = item.points.value(0);
    double widest = 0;
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        const QFontMetricsF metrics(layout.font);
        layout.ascent = metrics.ascent() * layout.scale;
        layout.lineHeight = metrics.height() * layout.scale;
        for (const QString &line : std::as_const(layout.lines)) {
            const double width = metrics.horizontalAdvance(line) * layout.scale;
            layout.widths.append(width);
            widest = std::max(widest, width);
        }
    } else {
        // No fonts without a GUI application (the server's tests, a core-only tool): an average glyph at 0.6 em.
        layout.ascent = size * 0.93;
        layout.lineHeight = size * 1.17;
        for (const QString &line : std::as_const(layout.lines)) {
            const double width = size * 0.6 * double(line.size());
            layout.widths.append(width);
            widest = std::max(widest, width);
        }
    }
    layout.bounds =
        QRectF(anchor, QSizeF(std::max(widest, size * 0.3), layout.lineHeight * double(layout.lines.size())));
    return layout;
}

QRectF textBounds(const proto::Item &item)
{
    if (item.points.isEmpty())
        return {};
    return layoutText(item).bounds;
}

void paintText(QPainter &painter, const proto::Item &item)
{
    if (item.points.isEmpty() || item.text.isEmpty())
        return;
    const TextLayout layout = layoutText(item);
    painter.save();
    painter.setPen(QColor::fromRgba(item.colour));
    painter.setBrush(Qt::NoBrush);
    painter.setFont(layout.font);
    painter.translate(item.points.first());
    if (layout.scale != 1)
        painter.scale(layout.scale, layout.scale);
    const double ascent = layout.ascent / layout.scale;
    const double lineHeight = layout.lineHeight / layout.scale;
    for (qsizetype i = 0; i < layout.lines.size(); ++i) {
        if (!layout.lines[i].isEmpty())
            painter.drawText(QPointF(0, ascent + lineHeight * double(i)), layout.lines[i]);
    }
    painter.restore();
}

} // namespace inkroom::render
