#include "canvasinput.h"

#include "canvasitem.h"
#include "protocollimits.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPointingDevice>
#include <QQuickWindow>
#include <QTabletEvent>
#include <QTouchEvent>
#include <QWheelEvent>

#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace {

//! Touches this soon after the pen was last used are a resting palm's.
constexpr qint64 kPalmAfterPenMs = 600;

QPointF clampToBoard(QPointF p)
{
    return {std::clamp(p.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
            std::clamp(p.y(), -limits::MaxCoordinate, limits::MaxCoordinate)};
}

proto::ItemKind itemKind(CanvasItem::Tool tool)
{
    switch (tool) {
    case CanvasItem::Line:
        return ItemKind::Line;
    case CanvasItem::Arrow:
        return ItemKind::Arrow;
    case CanvasItem::Rect:
        return ItemKind::Rect;
    case CanvasItem::Ellipse:
        return ItemKind::Ellipse;
    default:
        return ItemKind::Stroke;
    }
}

} // namespace

CanvasInput::CanvasInput(CanvasItem &canvas)
    : m_canvas(canvas)
{
    // Proximity events go to the application, not to a window.
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this);
}

CanvasInput::~CanvasInput() = default;

void CanvasInput::setWindow(QQuickWindow *window)
{
    if (m_window == window)
        return;
    if (m_window)
        m_window->removeEventFilter(this);
    m_window = window;
    m_penDown = false;
    if (m_window)
        m_window->installEventFilter(this);
}

QQuickItem *CanvasInput::pressTarget(QQuickItem *item, QPointF scenePosition)
{
    if (!item->isVisible() || !item->isEnabled() || item->opacity() <= 0)
        return nullptr;
    const QPointF local = item->mapFromScene(scenePosition);
    if (item->clip() && !item->contains(local))
        return nullptr;
    QList<QQuickItem *> children = item->childItems();
    std::stable_sort(children.begin(), children.end(),
                     [](const QQuickItem *a, const QQuickItem *b) { return a->z() < b->z(); });
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        if (QQuickItem *target = pressTarget(*it, scenePosition))
            return target;
    }
    const bool takesPresses = (item->acceptedMouseButtons() & Qt::LeftButton) || item->acceptTouchEvents();
    return takesPresses && item->contains(local) ? item : nullptr;
}

bool CanvasInput::windowTabletEvent(QTabletEvent *event)
{
    const QPointF position = m_canvas.mapFromScene(event->position());
    switch (event->type()) {
    case QEvent::TabletPress:
        if (!m_window || pressTarget(m_window->contentItem(), event->position()) != &m_canvas)
            return false; // a control above the board, or another part of the window
        m_penDown = true;
        break;
    case QEvent::TabletMove:
        if (!m_penDown) {
            // Hovering: where the pen points is where the pointer is, for the others.
            m_penSeen.start();
            if (m_canvas.contains(position))
                m_canvas.sendCursor(m_canvas.mapToBoard(position), true);
            return false;
        }
        break;
    case QEvent::TabletRelease:
        if (!m_penDown)
            return false;
        m_penDown = false;
        break;
    default:
        return false;
    }
    tablet(event, position);
    return true;
}

bool CanvasInput::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window) {
        switch (event->type()) {
        case QEvent::TabletPress:
        case QEvent::TabletMove:
        case QEvent::TabletRelease:
            return windowTabletEvent(static_cast<QTabletEvent *>(event));
        default:
            return false;
        }
    }
    if (event->type() == QEvent::TabletEnterProximity) {
        m_penInProximity = true;
        m_penSeen.start();
    } else if (event->type() == QEvent::TabletLeaveProximity) {
        m_penInProximity = false;
        m_penSeen.start();
    }
    return QObject::eventFilter(watched, event);
}

bool CanvasInput::penNear() const
{
    return m_penInProximity || (m_penSeen.isValid() && m_penSeen.elapsed() < kPalmAfterPenMs);
}

QPointF CanvasInput::constrained(QPointF from, QPointF to, bool square)
{
    const QPointF d = to - from;
    if (square) {
        const double side = std::max(std::abs(d.x()), std::abs(d.y()));
        return from + QPointF(std::copysign(side, d.x()), std::copysign(side, d.y()));
    }
    const double length = std::hypot(d.x(), d.y());
    if (length <= 0)
        return to;
    constexpr double step = 3.14159265358979323846 / 12; // 15 degrees
    const double angle = std::round(std::atan2(d.y(), d.x()) / step) * step;
    return from + QPointF(std::cos(angle), std::sin(angle)) * length;
}

std::optional<double> CanvasInput::widthFor(std::optional<double> pressure) const
{
    if (!pressure || m_strokeWidth <= 0)
        return std::nullopt;
    // Light touches still draw a visible line; full pressure draws the tool's width.
    const double p = std::clamp(*pressure, 0.0, 1.0);
    return std::max(limits::MinWidth, m_strokeWidth * (0.15 + 0.85 * p));
}

// ---- gestures ----

void CanvasInput::begin(QPointF screen, Qt::KeyboardModifiers modifiers, std::optional<double> pressure, bool eraser)
{
    endNudge(true); // a press while an arrow key is held lands the nudge first
    m_pressScreen = screen;
    m_lastScreen = screen;
    m_pressBoard = clampToBoard(m_canvas.mapToBoard(screen));
    client::Session *session = m_canvas.m_session;
    if (!session) {
        m_gesture = Gesture::None;
        return;
    }
    const client::BoardDocument &board = *session->board();
    if (eraser) {
        // The eraser end of a pen erases whatever the tool, but not for a viewer (the server would refuse it).
        m_gesture = session->viewOnly() ? Gesture::None : Gesture::Erase;
        if (m_gesture == Gesture::Erase)
            eraseAt(m_pressBoard);
        return;
    }
    const CanvasItem::Tool tool = m_canvas.m_tool;
    switch (tool) {
    case CanvasItem::Pen:
    case CanvasItem::Highlighter:
    case CanvasItem::Line:
    case CanvasItem::Arrow:
    case CanvasItem::Rect:
    case CanvasItem::Ellipse: {
        const bool freehand = tool == CanvasItem::Pen || tool == CanvasItem::Highlighter;
        m_gesture = freehand ? Gesture::Draw : Gesture::Shape;
        const client::StrokeStyle style = m_canvas.toolStyle();
        m_strokeWidth = style.width;
        m_strokeId = session->beginStyledStroke(itemKind(tool), style, m_pressBoard,
                                                freehand ? widthFor(pressure) : std::nullopt);
        m_strokePoints = 1;
        if (m_strokeId.isEmpty())
            m_gesture = Gesture::None;
        break;
    }
    case CanvasItem::Text: {
        m_gesture = Gesture::None;
        const QString hit = board.itemAt(m_pressBoard, m_canvas.hitTolerance());
        const Item *item = hit.isEmpty() ? nullptr : board.item(hit);
        if (item && item->kind == ItemKind::Text)
            Q_EMIT m_canvas.textEditRequested(item->id, item->text, item->points.value(0));
        else
            Q_EMIT m_canvas.textRequested(m_pressBoard);
        break;
    }
    case CanvasItem::Eraser:
        m_gesture = Gesture::Erase;
        eraseAt(m_pressBoard);
        break;
    case CanvasItem::Laser:
        m_gesture = Gesture::Laser;
        session->laserTo(m_pressBoard.x(), m_pressBoard.y());
        break;
    case CanvasItem::Select: {
        // The corner handle of one selected picture resizes it (keeping its proportions).
        if (const QRectF handle = m_canvas.resizeHandle(); !handle.isEmpty() && handle.contains(m_pressBoard)) {
            m_resizeId = *m_canvas.m_selection.cbegin();
            m_resizeRect =
                QRectF(board.item(m_resizeId)->points.value(0), board.item(m_resizeId)->points.value(1)).normalized();
            m_gesture = Gesture::Resize;
            break;
        }
        const QString hit = board.itemAt(m_pressBoard, m_canvas.hitTolerance());
        if (hit.isEmpty()) {
            m_gesture = Gesture::Band;
            m_band = QRectF(m_pressBoard, QSizeF());
            if (!(modifiers & Qt::ShiftModifier))
                m_canvas.setSelection({});
        } else {
            QSet<QString> selection = m_canvas.m_selection;
            if (modifiers & Qt::ShiftModifier) {
                if (!selection.remove(hit))
                    selection.insert(hit);
                m_canvas.setSelection(selection);
                m_gesture = Gesture::None;
                break;
            }
            if (!selection.contains(hit))
                selection = {hit};
            m_canvas.setSelection(selection);
            m_gesture = Gesture::Move;
        }
        break;
    }
    }
}

void CanvasInput::extend(QPointF screen, Qt::KeyboardModifiers modifiers, std::optional<double> pressure)
{
    const QPointF board = m_canvas.mapToBoard(screen);
    client::Session *session = m_canvas.m_session;
    switch (m_gesture) {
    case Gesture::None:
        break;
    case Gesture::Resize: {
        const Item *item = session ? session->board()->item(m_resizeId) : nullptr;
        if (!item) {
            m_gesture = Gesture::None;
            break;
        }
        const QRectF from = QRectF(item->points.value(0), item->points.value(1)).normalized();
        // The top-left corner stays; the picture keeps its proportions, at least 8 units on its shorter side.
        const double scale = std::max({(board.x() - from.left()) / std::max(from.width(), 1e-9),
                                       (board.y() - from.top()) / std::max(from.height(), 1e-9),
                                       8.0 / std::max(std::min(from.width(), from.height()), 1e-9)});
        m_resizeRect = QRectF(from.topLeft(), from.size() * std::min(scale, 50.0));
        m_canvas.m_overlayDirty = true;
        m_canvas.update();
        break;
    }
    case Gesture::Pan:
        m_canvas.panBy(screen.x() - m_lastScreen.x(), screen.y() - m_lastScreen.y());
        break;
    case Gesture::Laser: {
        const QPointF p = clampToBoard(board);
        if (session)
            session->laserTo(p.x(), p.y());
        break;
    }
    case Gesture::Draw: {
        // Skip points closer than half a pixel on screen: they add nothing but weight.
        if (QLineF(screen, m_lastScreen).length() < 0.5 || !session)
            return;
        if (m_strokePoints >= limits::MaxPointsPerItem) {
            // A very long stroke continues as a new item that starts where the last one ended.
            endStroke(true);
            begin(screen, {}, pressure);
            break;
        }
        session->extendStroke(clampToBoard(board), widthFor(pressure));
        ++m_strokePoints;
        break;
    }
    case Gesture::Shape: {
        if (!session)
            break;
        QPointF corner = clampToBoard(board);
        if (modifiers & Qt::ShiftModifier) {
            const CanvasItem::Tool tool = m_canvas.m_tool;
            corner = clampToBoard(
                constrained(m_pressBoard, corner, tool == CanvasItem::Rect || tool == CanvasItem::Ellipse));
        }
        session->extendStroke(corner);
        break;
    }
    case Gesture::Erase:
        eraseAt(board);
        break;
    case Gesture::Band:
        m_band = QRectF(m_pressBoard, board).normalized();
        m_canvas.m_overlayDirty = true;
        m_canvas.update();
        break;
    case Gesture::Move:
        if (m_canvas.m_lifted.isEmpty() && QLineF(screen, m_pressScreen).length() > 3)
            m_canvas.lift();
        if (!m_canvas.m_lifted.isEmpty()) {
            m_canvas.m_liftOffset = board - m_pressBoard;
            m_canvas.m_overlayDirty = true;
            m_canvas.update();
            Q_EMIT m_canvas.liftOffsetChanged();
        }
        break;
    }
    m_lastScreen = screen;
}

void CanvasInput::end(QPointF screen)
{
    const Gesture gesture = m_gesture;
    m_gesture = Gesture::None;
    client::Session *session = m_canvas.m_session;
    switch (gesture) {
    case Gesture::None:
    case Gesture::Erase:
        break;
    case Gesture::Pan:
        m_canvas.setPanning(false);
        break;
    case Gesture::Draw:
        endStroke(true);
        break;
    case Gesture::Shape:
        // A click without a drag makes no shape.
        endStroke(QLineF(screen, m_pressScreen).length() >= 3);
        break;
    case Gesture::Band: {
        QSet<QString> selection = m_canvas.m_selection;
        for (const QString &id : session ? session->board()->itemsInRect(m_band, false) : QStringList())
            selection.insert(id);
        m_band = {};
        m_canvas.setSelection(selection);
        m_canvas.m_overlayDirty = true;
        m_canvas.update();
        break;
    }
    case Gesture::Move:
        m_canvas.land(true);
        break;
    case Gesture::Laser:
        if (session)
            session->laserEnd();
        break;
    case Gesture::Resize: {
        const Item *item = session ? session->board()->item(m_resizeId) : nullptr;
        if (item && QLineF(screen, m_pressScreen).length() >= 3) {
            Item resized = *item;
            resized.points = {m_resizeRect.topLeft(), m_resizeRect.bottomRight()};
            session->updateItem(resized); // an update op: undoable, refused with why like any change
        }
        m_resizeId.clear();
        m_resizeRect = {};
        m_canvas.m_overlayDirty = true;
        m_canvas.update();
        break;
    }
    }
}

void CanvasInput::cancel()
{
    endNudge(false);
    if (m_gesture == Gesture::Move)
        m_canvas.land(false);
    if (m_gesture == Gesture::Draw || m_gesture == Gesture::Shape)
        endStroke(false);
    if (m_gesture == Gesture::Pan)
        m_canvas.setPanning(false);
    m_gesture = Gesture::None;
    m_band = {};
    m_resizeId.clear();
    m_resizeRect = {};
}

void CanvasInput::endStroke(bool commit)
{
    if (m_canvas.m_session && !m_strokeId.isEmpty())
        m_canvas.m_session->endStroke(commit);
    m_strokeId.clear();
    m_strokePoints = 0;
}

void CanvasInput::eraseAt(QPointF board)
{
    client::Session *session = m_canvas.m_session;
    if (!session)
        return;
    const QString hit = session->board()->itemAt(board, m_canvas.hitTolerance() * 1.5);
    if (!hit.isEmpty())
        session->removeItems({hit});
}

// ---- events ----

void CanvasInput::mousePress(QMouseEvent *event)
{
    m_canvas.forceActiveFocus(Qt::MouseFocusReason);
    if (m_gesture != Gesture::None) {
        event->accept();
        return;
    }
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_gesture = Gesture::Pan;
        m_lastScreen = event->position();
        m_canvas.setPanning(true);
    } else if (event->button() == Qt::LeftButton) {
        begin(event->position(), event->modifiers());
    } else {
        event->ignore();
        return;
    }
    event->accept();
}

void CanvasInput::mouseMove(QMouseEvent *event)
{
    extend(event->position(), event->modifiers());
    m_canvas.sendCursor(m_canvas.mapToBoard(event->position()), true);
    event->accept();
}

void CanvasInput::mouseRelease(QMouseEvent *event)
{
    end(event->position());
    event->accept();
}

void CanvasInput::mouseDoubleClick(QMouseEvent *event)
{
    client::Session *session = m_canvas.m_session;
    if (m_canvas.m_tool == CanvasItem::Select && session && event->button() == Qt::LeftButton) {
        const QString hit = session->board()->itemAt(m_canvas.mapToBoard(event->position()), m_canvas.hitTolerance());
        const Item *item = hit.isEmpty() ? nullptr : session->board()->item(hit);
        if (item && item->kind == ItemKind::Text) {
            Q_EMIT m_canvas.textEditRequested(item->id, item->text, item->points.value(0));
            event->accept();
            return;
        }
    }
    mousePress(event);
}

void CanvasInput::wheel(QWheelEvent *event)
{
    const QPoint pixels = event->pixelDelta();
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier || pixels.isNull()) {
        // A mouse wheel (or Ctrl with a touchpad) zooms around the pointer.
        const qreal steps = angle.y() / 120.0;
        m_canvas.zoomAt(std::pow(1.15, steps), event->position());
    } else {
        // Two fingers on a touchpad pan.
        m_canvas.panBy(pixels.x(), pixels.y());
    }
    event->accept();
}

bool CanvasInput::nativeGesture(QNativeGestureEvent *event)
{
    // A touchpad's pinch (the platform recognises it).
    if (event->gestureType() == Qt::ZoomNativeGesture) {
        m_canvas.zoomAt(1 + event->value(), event->position());
        return true;
    }
    return false;
}

void CanvasInput::tablet(QTabletEvent *event, QPointF p)
{
    m_penSeen.start();
    const bool eraser = event->pointerType() == QPointingDevice::PointerType::Eraser;
    switch (event->type()) {
    case QEvent::TabletPress:
        m_canvas.forceActiveFocus(Qt::MouseFocusReason);
        if (m_gesture == Gesture::None)
            begin(p, event->modifiers(), event->pressure(), eraser);
        break;
    case QEvent::TabletMove:
        if (m_gesture != Gesture::None)
            extend(p, event->modifiers(), event->pressure());
        m_canvas.sendCursor(m_canvas.mapToBoard(p), true);
        break;
    case QEvent::TabletRelease:
        end(p);
        break;
    default:
        return;
    }
    // Accepted: Qt makes no mouse events of it.
    event->accept();
}

void CanvasInput::pinch(QTouchEvent *event)
{
    const QList<QEventPoint> &points = event->points();
    // Pinch: zoom by the change of distance between the fingers, and pan with their midpoint: the board point that
    // was under the midpoint when they touched down stays under it.
    const QPointF a = points[0].position();
    const QPointF b = points[1].position();
    const QPointF middle = (a + b) / 2;
    const qreal distance = QLineF(a, b).length();
    if (event->type() == QEvent::TouchBegin || m_pinchStartDistance <= 0 || points[0].state() == QEventPoint::Pressed
        || points[1].state() == QEventPoint::Pressed) {
        m_pinchStartDistance = distance;
        m_pinchStartZoom = m_canvas.zoom();
        m_pinchStartBoard = m_canvas.mapToBoard(middle);
        if (m_gesture == Gesture::Draw || m_gesture == Gesture::Shape) {
            m_gesture = Gesture::None;
            endStroke(false); // two fingers: a pinch, not a stroke
        } else if (m_gesture != Gesture::None) {
            cancel();
        }
    } else if (distance > 0 && m_pinchStartDistance > 0) {
        const qreal zoom = m_pinchStartZoom * distance / m_pinchStartDistance;
        m_canvas.zoomAt(zoom / m_canvas.zoom(), middle);
        // Then pan so the starting board point is under the fingers again.
        const QPointF shift = middle - m_canvas.mapFromBoard(m_pinchStartBoard);
        m_canvas.panBy(shift.x(), shift.y());
    }
}

void CanvasInput::touch(QTouchEvent *event)
{
    const QList<QEventPoint> &points = event->points();
    if (penNear() && points.size() == 1 && m_gesture == Gesture::None) {
        // A palm resting while the pen is near: not a stroke.
        event->accept();
        return;
    }
    if (points.size() == 2) {
        pinch(event);
        event->accept();
        return;
    }
    m_pinchStartDistance = 0;
    if (points.size() == 1) {
        const QPointF p = points[0].position();
        switch (points[0].state()) {
        case QEventPoint::Pressed:
            begin(p, event->modifiers());
            break;
        case QEventPoint::Updated:
            extend(p, event->modifiers());
            break;
        case QEventPoint::Released:
            end(p);
            break;
        default:
            break;
        }
    }
    event->accept();
}

void CanvasInput::keyPress(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            Q_EMIT m_canvas.panningChanged();
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        m_canvas.deleteSelection();
        break;
    case Qt::Key_Escape:
        cancel();
        m_canvas.clearSelection();
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (!nudge(event->key(), event->modifiers())) {
            event->ignore();
            return;
        }
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

bool CanvasInput::nudge(int key, Qt::KeyboardModifiers modifiers)
{
    const client::Session *session = m_canvas.m_session;
    if (m_canvas.m_selection.isEmpty() || !session || session->viewOnly() || (m_gesture != Gesture::None && !m_nudging))
        return false;
    // A screen pixel a press (ten with Shift) whatever the zoom, as the eye sees the board.
    const qreal step = ((modifiers & Qt::ShiftModifier) ? 10.0 : 1.0) / m_canvas.m_zoom;
    const QPointF delta = key == Qt::Key_Left ? QPointF(-step, 0)
        : key == Qt::Key_Right                ? QPointF(step, 0)
        : key == Qt::Key_Up                   ? QPointF(0, -step)
                                              : QPointF(0, step);
    // Held down, the key repeats: the selection rides on the lift and lands as one move when the key comes up, so a
    // long nudge is one change (one undo step, one op) rather than thirty a second.
    if (m_canvas.m_lifted.isEmpty())
        m_canvas.lift();
    m_nudging = true;
    m_canvas.m_liftOffset += delta;
    m_canvas.m_overlayDirty = true;
    m_canvas.update();
    Q_EMIT m_canvas.liftOffsetChanged();
    return true;
}

void CanvasInput::endNudge(bool commit)
{
    if (!m_nudging)
        return;
    m_nudging = false;
    m_canvas.land(commit);
}

void CanvasInput::keyRelease(QKeyEvent *event)
{
    const int key = event->key();
    if ((key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down) && m_nudging) {
        if (!event->isAutoRepeat())
            endNudge(true);
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        Q_EMIT m_canvas.panningChanged();
        event->accept();
        return;
    }
    event->ignore();
}

} // namespace inkroom::ui
