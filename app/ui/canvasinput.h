#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QRectF>
#include <QString>

#include <optional>

class QKeyEvent;
class QQuickItem;
class QQuickWindow;
class QMouseEvent;
class QNativeGestureEvent;
class QTabletEvent;
class QTouchEvent;
class QWheelEvent;

namespace inkroom::ui {

class CanvasItem;

/** @brief Turns a canvas's pointer, pen, touch and key input into its verbs: the gesture in progress.
 *
 * One gesture at a time, begun by a mouse button, a pen touching down or one finger: drawing (freehand, with the
 * pen's pressure as the width at each point), a shape (Shift makes boxes square, ellipses round and lines turn in
 * steps of 15 degrees), erasing (also with the eraser end of a pen, whatever the tool), a selection band, moving or
 * resizing the selection, panning, the laser pointer. Two fingers pinch to zoom and pan. While a pen is near the
 * screen (Qt reports its proximity) or was used a moment ago, touches are taken for a resting palm and ignored.
 */
class CanvasInput : public QObject
{
    Q_OBJECT

public:
    explicit CanvasInput(CanvasItem &canvas);
    ~CanvasInput() override;

    void mousePress(QMouseEvent *event);
    void mouseMove(QMouseEvent *event);
    void mouseRelease(QMouseEvent *event);
    void mouseDoubleClick(QMouseEvent *event);
    void wheel(QWheelEvent *event);
    void touch(QTouchEvent *event);
    //! A pen event at a position in the canvas's coordinates (Qt Quick gives them to the window, see setWindow()).
    void tablet(QTabletEvent *event, QPointF position);
    /** The window the canvas is in: its pen events are watched there, and those that press on the canvas (no other
     *  control above it there) and what follows until the pen lifts are the canvas's. Qt Quick 6.4 gives pen events
     *  only to input handlers, and would otherwise turn them into mouse events without pressure. */
    void setWindow(QQuickWindow *window);
    bool nativeGesture(QNativeGestureEvent *event);
    void keyPress(QKeyEvent *event);
    void keyRelease(QKeyEvent *event);

    //! What the canvas draws over the board for the gesture: the selection band, and a picture's new rectangle.
    [[nodiscard]] QRectF band() const { return m_band; }
    [[nodiscard]] QRectF resizeRect() const { return m_gesture == Gesture::Resize ? m_resizeRect : QRectF(); }
    //! Space is held: a drag pans.
    [[nodiscard]] bool spaceHeld() const { return m_spaceHeld; }
    //! A pen is near the screen (or was a moment ago): touches are a palm's.
    [[nodiscard]] bool penNear() const;
    //! Drop the gesture in progress without committing it (the tool changed, the session went).
    void cancel();
    //! Arrow keys move the selection; the move is sent when the key comes up (commit) or dropped (Escape).
    void endNudge(bool commit);

    //! The point a shape's moving corner goes to: with Shift, a square, a circle or a line in 15-degree steps.
    [[nodiscard]] static QPointF constrained(QPointF from, QPointF to, bool square);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    //! An arrow key moves the selection a step (held, it keeps moving); false when there is nothing to move.
    bool nudge(int key, Qt::KeyboardModifiers modifiers);
    enum class Gesture {
        None,
        Draw,
        Shape,
        Erase,
        Band,
        Move,
        Pan,
        Laser,
        Resize //!< dragging the corner handle of one selected picture
    };

    //! pressure: a pen's, 0 to 1 (none for a mouse or a finger); eraser: the pen's eraser end.
    void begin(QPointF screen, Qt::KeyboardModifiers modifiers, std::optional<double> pressure = std::nullopt,
               bool eraser = false);
    void extend(QPointF screen, Qt::KeyboardModifiers modifiers, std::optional<double> pressure = std::nullopt);
    void end(QPointF screen);
    void endStroke(bool commit);
    void eraseAt(QPointF board);
    void pinch(QTouchEvent *event);
    [[nodiscard]] std::optional<double> widthFor(std::optional<double> pressure) const;
    //! The item a press at scenePosition goes to: the topmost visible, enabled one that takes presses there.
    [[nodiscard]] static QQuickItem *pressTarget(QQuickItem *item, QPointF scenePosition);
    bool windowTabletEvent(QTabletEvent *event);

    CanvasItem &m_canvas;
    Gesture m_gesture = Gesture::None;
    QPointF m_pressScreen;
    QPointF m_pressBoard;
    QPointF m_lastScreen;
    QString m_strokeId; //!< the stroke or shape being drawn (the session sends it live)
    int m_strokePoints = 0;
    double m_strokeWidth = 0; //!< the width of the stroke being drawn (a pen's pressure scales it)
    QRectF m_band;
    QString m_resizeId;
    QRectF m_resizeRect;
    bool m_spaceHeld = false;
    bool m_nudging = false; //!< an arrow key holds the selection lifted
    // Two fingers: where they started, to zoom and pan with them.
    qreal m_pinchStartZoom = 1;
    qreal m_pinchStartDistance = 0;
    QPointF m_pinchStartBoard;
    // The pen: near the screen (proximity events), when it was last used, and whether it pressed on the canvas.
    QPointer<QQuickWindow> m_window;
    bool m_penDown = false;
    bool m_penInProximity = false;
    QElapsedTimer m_penSeen;
};

} // namespace inkroom::ui
