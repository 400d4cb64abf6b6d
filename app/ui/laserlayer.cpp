#include "laserlayer.h"

#include <QPainter>

#include <algorithm>

namespace inkroom::ui {

LaserLayer::LaserLayer(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
}

void LaserLayer::setTrails(client::LaserTrails *trails)
{
    if (m_trails == trails)
        return;
    if (m_trails)
        disconnect(m_trails, nullptr, this, nullptr);
    m_trails = trails;
    if (m_trails)
        connect(m_trails, &client::LaserTrails::changed, this, [this] { update(); });
    update();
    Q_EMIT trailsChanged();
}

void LaserLayer::setCanvas(CanvasItem *canvas)
{
    if (m_canvas == canvas)
        return;
    if (m_canvas)
        disconnect(m_canvas, nullptr, this, nullptr);
    m_canvas = canvas;
    if (m_canvas)
        connect(m_canvas, &CanvasItem::viewChanged, this, [this] { update(); });
    update();
    Q_EMIT canvasChanged();
}

void LaserLayer::paint(QPainter *painter)
{
    if (!m_trails || !m_canvas || !m_trails->isVisible())
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    const qint64 now = m_trails->now();
    const qreal life = std::max(1, m_trails->lifeMs());
    const auto fade = [&](const client::LaserTrails::Point &p) {
        return std::clamp(1.0 - qreal(now - p.bornMs) / life, 0.0, 1.0);
    };
    for (const client::LaserTrails::Trail &trail : m_trails->trails()) {
        QColor colour = QColor::fromRgba(trail.colour);
        colour.setAlpha(255);
        QPointF last;
        for (qsizetype i = 0; i < trail.points.size(); ++i) {
            const client::LaserTrails::Point &p = trail.points[i];
            const QPointF at = m_canvas->mapFromBoard(p.at);
            const qreal alpha = fade(p);
            if (i > 0 && !p.breakBefore) {
                // A soft glow under a bright core, both fading with the newer end of the segment.
                QColor glow = colour;
                glow.setAlphaF(0.25 * alpha);
                painter->setPen(QPen(glow, 10, Qt::SolidLine, Qt::RoundCap));
                painter->drawLine(last, at);
                QColor core = colour;
                core.setAlphaF(0.9 * alpha);
                painter->setPen(QPen(core, 4, Qt::SolidLine, Qt::RoundCap));
                painter->drawLine(last, at);
            }
            last = at;
        }
        // The pointer itself, at the newest point.
        if (!trail.points.isEmpty()) {
            const qreal alpha = fade(trail.points.last());
            QColor dot = colour;
            dot.setAlphaF(alpha);
            painter->setPen(QPen(QColor(255, 255, 255, int(220 * alpha)), 2));
            painter->setBrush(dot);
            painter->drawEllipse(last, 6, 6);
        }
    }
}

} // namespace inkroom::ui
