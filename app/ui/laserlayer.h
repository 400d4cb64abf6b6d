#pragma once

#include "canvasitem.h"
#include "lasertrails.h"

#include <QPointer>
#include <QQuickPaintedItem>

namespace inkroom::ui {

/** @brief Draws everybody's laser pointer trails over a whiteboard, each point fading out over the trails' life.
 *
 * Painted (QQuickPaintedItem): a few trails of a few dozen points each, shown for about a second, are far below what
 * a scene graph of their own would pay for. It paints only while some trail is shown.
 */
class LaserLayer : public QQuickPaintedItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(LaserLayer)
    Q_PROPERTY(inkroom::client::LaserTrails *trails READ trails WRITE setTrails NOTIFY trailsChanged)
    //! The whiteboard whose view (zoom and origin) maps board points to this item.
    Q_PROPERTY(inkroom::ui::CanvasItem *canvas READ canvas WRITE setCanvas NOTIFY canvasChanged)

public:
    explicit LaserLayer(QQuickItem *parent = nullptr);

    [[nodiscard]] client::LaserTrails *trails() const { return m_trails; }
    void setTrails(client::LaserTrails *trails);
    [[nodiscard]] CanvasItem *canvas() const { return m_canvas; }
    void setCanvas(CanvasItem *canvas);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void trailsChanged();
    void canvasChanged();

private:
    QPointer<client::LaserTrails> m_trails;
    QPointer<CanvasItem> m_canvas;
};

} // namespace inkroom::ui
