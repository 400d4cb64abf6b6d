#include "viewtween.h"

#include <QEasingCurve>

#include <algorithm>
#include <cmath>

namespace inkroom::ui {

ViewTween::ViewTween(QObject *parent)
    : QObject(parent)
{
    m_animation.setStartValue(0.0);
    m_animation.setEndValue(1.0);
    m_animation.setEasingCurve(QEasingCurve::OutCubic);
    connect(&m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        const View view = between(m_from, m_to, m_viewport, value.toReal());
        Q_EMIT step(view.zoom, view.origin);
    });
}

ViewTween::View ViewTween::fit(const QRectF &rect, const QSizeF &viewport, qreal minZoom, qreal maxZoom)
{
    const qreal w = std::max<qreal>(rect.width(), 1e-6);
    const qreal h = std::max<qreal>(rect.height(), 1e-6);
    const qreal zoom = std::clamp(std::min(viewport.width() / w, viewport.height() / h), minZoom, maxZoom);
    const QPointF centre(viewport.width() / 2, viewport.height() / 2);
    return View {zoom, centre - rect.center() * zoom};
}

ViewTween::View ViewTween::between(const View &from, const View &to, const QSizeF &viewport, qreal t)
{
    const QPointF screenCentre(viewport.width() / 2, viewport.height() / 2);
    const QPointF a = (screenCentre - from.origin) / from.zoom;
    const QPointF b = (screenCentre - to.origin) / to.zoom;
    const QPointF centre = a + (b - a) * t;
    const qreal zoom = std::exp(std::log(from.zoom) + (std::log(to.zoom) - std::log(from.zoom)) * t);
    return View {zoom, screenCentre - centre * zoom};
}

void ViewTween::start(const View &from, const View &to, const QSizeF &viewport, int ms)
{
    m_animation.stop();
    m_from = from;
    m_to = to;
    m_viewport = viewport;
    if (ms <= 0) {
        Q_EMIT step(to.zoom, to.origin);
        return;
    }
    m_animation.setDuration(ms);
    m_animation.start();
}

} // namespace inkroom::ui
