#pragma once

#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QVariantAnimation>

namespace inkroom::ui {

/** @brief Moves a canvas's view smoothly to another one: a follower's window gliding to the presenter's view.
 *
 * A view is a zoom and the screen position of the board's origin. The centre moves in a straight line on the board
 * while the zoom changes at a steady rate (linear in its logarithm), so zooming far in or out feels even.
 */
class ViewTween : public QObject
{
    Q_OBJECT

public:
    struct View
    {
        qreal zoom = 1;
        QPointF origin;
    };

    explicit ViewTween(QObject *parent = nullptr);

    //! The view that shows all of rect (board units), centred, in a viewport of this size, within the zoom limits.
    [[nodiscard]] static View fit(const QRectF &rect, const QSizeF &viewport, qreal minZoom, qreal maxZoom);
    //! The view at t (0: from, 1: to) in a viewport of this size.
    [[nodiscard]] static View between(const View &from, const View &to, const QSizeF &viewport, qreal t);

    //! Glide from one view to another over ms milliseconds (0: at once); step() reports each frame.
    void start(const View &from, const View &to, const QSizeF &viewport, int ms);
    void stop() { m_animation.stop(); }
    [[nodiscard]] bool isRunning() const { return m_animation.state() == QAbstractAnimation::Running; }

Q_SIGNALS:
    void step(qreal zoom, QPointF origin);

private:
    QVariantAnimation m_animation;
    View m_from;
    View m_to;
    QSizeF m_viewport;
};

} // namespace inkroom::ui
