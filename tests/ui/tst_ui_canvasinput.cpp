#include "canvasinput.h"
#include "canvasitem.h"

#include <QPointingDevice>
#include <QQuickWindow>
#include <QTabletEvent>
#include <QTest>

#include <cmath>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

namespace {

//! A pen and its eraser end, as a tablet driver reports them.
const QPointingDevice &stylus(QPointingDevice::PointerType type)
{
    static const QPointingDevice pen(QStringLiteral("test pen"), 9001, QInputDevice::DeviceType::Stylus,
                                     QPointingDevice::PointerType::Pen,
                                     QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
    static const QPointingDevice eraser(QStringLiteral("test pen eraser"), 9001, QInputDevice::DeviceType::Stylus,
                                        QPointingDevice::PointerType::Eraser,
                                        QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
    return type == QPointingDevice::PointerType::Eraser ? eraser : pen;
}

} // namespace

//! The canvas's input (CanvasInput) driven by simulated pen, touch and mouse events, on a real session that has no
//! server to reach: every edit is applied at once and stays pending.
class TestCanvasInput : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QQuickWindow> m_window;
    CanvasItem *m_canvas = nullptr;
    client::Session *m_session = nullptr;
    QPointingDevice *m_touchscreen = nullptr;

    [[nodiscard]] QList<Item> items() const { return m_session->board()->orderedItems(); }

    void tablet(QEvent::Type type, QPointF at, qreal pressure,
                QPointingDevice::PointerType pointer = QPointingDevice::PointerType::Pen)
    {
        const Qt::MouseButton button = type == QEvent::TabletMove ? Qt::NoButton : Qt::LeftButton;
        const Qt::MouseButtons buttons = type == QEvent::TabletRelease ? Qt::NoButton : Qt::LeftButton;
        QTabletEvent event(type, &stylus(pointer), at, m_window->mapToGlobal(at), pressure, 0, 0, 0, 0, 0, {}, button,
                           buttons);
        QCoreApplication::sendEvent(m_window.get(), &event);
    }

    //! The pen comes near the screen, or goes (Qt tells the application, not a window).
    void proximity(bool near)
    {
        QTabletEvent event(near ? QEvent::TabletEnterProximity : QEvent::TabletLeaveProximity,
                           &stylus(QPointingDevice::PointerType::Pen), {}, {}, 0, 0, 0, 0, 0, 0, {}, Qt::NoButton,
                           Qt::NoButton);
        QCoreApplication::sendEvent(QCoreApplication::instance(), &event);
    }

    void drag(QPointF from, QPointF to, Qt::KeyboardModifiers modifiers, int steps = 8)
    {
        QTest::mousePress(m_window.get(), Qt::LeftButton, modifiers, from.toPoint());
        for (int i = 1; i <= steps; ++i)
            QTest::mouseEvent(QTest::MouseMove, m_window.get(), Qt::NoButton, modifiers,
                              (from + (to - from) * i / steps).toPoint());
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, modifiers, to.toPoint());
    }

    void key(QEvent::Type type, int key, Qt::KeyboardModifiers modifiers = {}, bool autoRepeat = false)
    {
        QKeyEvent event(type, key, modifiers, QString(), autoRepeat);
        QCoreApplication::sendEvent(m_window.get(), &event);
    }

    //! The top-left corner of a shape on the board.
    [[nodiscard]] QPointF corner(const QString &id) const { return m_session->board()->item(id)->points.first(); }

private Q_SLOTS:
    void initTestCase() { m_touchscreen = QTest::createTouchDevice(); }

    void init()
    {
        m_window = std::make_unique<QQuickWindow>();
        m_window->resize(400, 300);
        m_canvas = new CanvasItem(m_window->contentItem());
        m_canvas->setSize(QSizeF(400, 300));
        m_session = new client::Session(m_canvas);
        // Port 9 (discard) has no Inkroom server: the session keeps retrying and queues everything.
        m_session->join(QUrl(QStringLiteral("ws://127.0.0.1:9")), QStringLiteral("input"), QStringLiteral("Tester"),
                        QColor(Qt::black));
        m_canvas->setSession(m_session);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        proximity(false);
        m_window.reset();
    }

    //! A pen's pressure is the width at each point, in the live stroke while it is drawn and in the item after.
    void pressureChangesTheWidthAlongAStroke()
    {
        m_canvas->setTool(CanvasItem::Pen);
        m_canvas->setStrokeWidth(8);
        tablet(QEvent::TabletPress, {50, 150}, 0.1);
        for (int i = 1; i <= 10; ++i)
            tablet(QEvent::TabletMove, {50.0 + i * 25, 150}, 0.1 + i * 0.09);
        QCOMPARE(m_session->liveStrokes()->count(), 1);
        const client::LiveStroke live = m_session->liveStrokes()->strokes().first();
        QCOMPARE(live.widths.size(), live.points.size());
        QVERIFY(live.widths.first() < live.widths.last());
        tablet(QEvent::TabletRelease, {300, 150}, 0);

        QCOMPARE(items().size(), 1);
        const Item stroke = items().first();
        QCOMPARE(stroke.width, 8.0);
        QCOMPARE(stroke.widths.size(), stroke.points.size());
        QVERIFY2(stroke.widths.first() < 3, qPrintable(QString::number(stroke.widths.first())));
        QVERIFY(std::is_sorted(stroke.widths.cbegin(), stroke.widths.cend()));
        for (double w : stroke.widths)
            QVERIFY(w >= limits::MinWidth && w <= stroke.width);
        // It is a valid item: what the server accepts.
        QVERIFY(!validateItem(stroke, {}));
    }

    //! A mouse draws as before: one width all along, none per point.
    void aMouseStrokeHasNoWidthsOfItsOwn()
    {
        m_canvas->setTool(CanvasItem::Pen);
        drag({50, 50}, {200, 120}, {});
        QCOMPARE(items().size(), 1);
        QVERIFY(items().first().widths.isEmpty());
    }

    //! The eraser end of the pen erases whatever the tool is.
    void theEraserEndErases()
    {
        const QString id = m_session->addShape(client::BoardDocument::Rect, Qt::black, 4, {-50, -50}, {50, 50});
        QVERIFY(!id.isEmpty());
        m_canvas->setTool(CanvasItem::Pen);
        const QPointF edge = m_canvas->mapFromBoard({-50, 0});
        tablet(QEvent::TabletPress, edge, 0.5, QPointingDevice::PointerType::Eraser);
        tablet(QEvent::TabletRelease, edge, 0, QPointingDevice::PointerType::Eraser);
        QVERIFY(!m_session->board()->contains(id));
        QCOMPARE(m_canvas->tool(), CanvasItem::Pen);
        QCOMPARE(m_session->liveStrokes()->count(), 0);
    }

    //! While the pen is near the screen a touch is a resting palm: it draws nothing. Once the pen has gone, it draws.
    void aPalmDoesNotDrawWhileThePenIsNear()
    {
        m_canvas->setTool(CanvasItem::Pen);
        proximity(true);
        QVERIFY(m_canvas->input()->penNear());
        QTest::touchEvent(m_window.get(), m_touchscreen).press(0, QPoint(60, 60));
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(120, 90));
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(180, 120));
        QTest::touchEvent(m_window.get(), m_touchscreen).release(0, QPoint(180, 120));
        QCOMPARE(items().size(), 0);
        QCOMPARE(m_session->liveStrokes()->count(), 0);

        proximity(false);
        QTRY_VERIFY(!m_canvas->input()->penNear());
        QTest::touchEvent(m_window.get(), m_touchscreen).press(0, QPoint(60, 60));
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(120, 90));
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(180, 120));
        QTest::touchEvent(m_window.get(), m_touchscreen).release(0, QPoint(180, 120));
        QCOMPARE(items().size(), 1);
    }

    //! Two fingers zoom by how far they spread and pan with their midpoint; they never draw.
    void twoFingersPinchAndPan()
    {
        m_canvas->setTool(CanvasItem::Pen);
        const QPointF startBoard = m_canvas->mapToBoard({200, 150});
        QTest::touchEvent(m_window.get(), m_touchscreen).press(0, QPoint(150, 150)).press(1, QPoint(250, 150));
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(100, 150)).move(1, QPoint(300, 150));
        // Qt Quick holds a touch's moves back until the next frame.
        QTRY_VERIFY2(std::abs(m_canvas->zoom() - 2.0) < 0.01, qPrintable(QString::number(m_canvas->zoom())));
        // The board point between the fingers stays between them.
        QVERIFY(QLineF(m_canvas->mapFromBoard(startBoard), QPointF(200, 150)).length() < 0.5);
        // Both fingers move right: the board moves with them.
        QTest::touchEvent(m_window.get(), m_touchscreen).move(0, QPoint(160, 170)).move(1, QPoint(360, 170));
        QTRY_VERIFY(QLineF(m_canvas->mapFromBoard(startBoard), QPointF(260, 170)).length() < 0.5);
        QTest::touchEvent(m_window.get(), m_touchscreen).release(0, QPoint(160, 170)).release(1, QPoint(360, 170));
        QCOMPARE(items().size(), 0);
    }

    //! Shift makes a box square and an ellipse round, and turns a line in steps of 15 degrees.
    void shiftConstrainsShapes()
    {
        m_canvas->setTool(CanvasItem::Rect);
        drag({100, 100}, {180, 130}, Qt::ShiftModifier);
        QCOMPARE(items().size(), 1);
        const QRectF box = QRectF(items().first().points[0], items().first().points[1]).normalized();
        QCOMPARE(box.width(), box.height());
        QCOMPARE(box.width(), 80.0);

        m_canvas->setTool(CanvasItem::Line);
        drag({100, 200}, {200, 222}, Qt::ShiftModifier);
        QCOMPARE(items().size(), 2);
        const Item line = items().last();
        const QPointF d = line.points[1] - line.points[0];
        const double degrees = std::atan2(d.y(), d.x()) * 180 / 3.14159265358979323846;
        QVERIFY2(std::abs(degrees - 15) < 1e-6, qPrintable(QString::number(degrees)));

        // Without Shift the shape goes where the pointer does.
        m_canvas->setTool(CanvasItem::Ellipse);
        drag({100, 100}, {180, 130}, {});
        const QRectF free = QRectF(items().last().points[0], items().last().points[1]).normalized();
        QCOMPARE(free.size(), QSizeF(80, 30));
    }

    void constrainedPoints()
    {
        QCOMPARE(CanvasInput::constrained({0, 0}, {10, -4}, true), QPointF(10, -10));
        QCOMPARE(CanvasInput::constrained({0, 0}, {-3, 7}, true), QPointF(-7, 7));
        const QPointF flat = CanvasInput::constrained({0, 0}, {100, 3}, false);
        QVERIFY(std::abs(flat.y()) < 1e-9);
        const QPointF steep = CanvasInput::constrained({0, 0}, {1, 100}, false);
        QVERIFY(std::abs(steep.x()) < 1e-9);
    }

    //! The style the canvas draws with reaches new items: fill, dash, opacity and arrow heads.
    //! Arrow keys move the selection a screen pixel (ten with Shift); a held key is one move when it comes up, and
    //! Escape takes the move back before it is sent.
    void arrowKeysNudgeTheSelection()
    {
        const QString id = m_session->addShape(client::BoardDocument::Rect, Qt::black, 4, {0, 0}, {40, 40});
        m_canvas->setTool(CanvasItem::Select);
        m_canvas->selectIds({id});
        m_canvas->forceActiveFocus();
        QVERIFY(m_canvas->hasActiveFocus());
        const int before = m_session->pendingCount();

        // Right, held for three presses: one move of three pixels, sent when the key comes up.
        key(QEvent::KeyPress, Qt::Key_Right);
        key(QEvent::KeyPress, Qt::Key_Right, {}, true);
        key(QEvent::KeyPress, Qt::Key_Right, {}, true);
        QCOMPARE(m_session->pendingCount(), before);
        QCOMPARE(corner(id), QPointF(0, 0)); // lifted, not yet moved
        key(QEvent::KeyRelease, Qt::Key_Right);
        QCOMPARE(m_session->pendingCount(), before + 1);
        QCOMPARE(corner(id), QPointF(3, 0));

        // Shift moves ten; at twice the zoom a screen pixel is half a board unit.
        key(QEvent::KeyPress, Qt::Key_Up, Qt::ShiftModifier);
        key(QEvent::KeyRelease, Qt::Key_Up, Qt::ShiftModifier);
        QCOMPARE(corner(id), QPointF(3, -10));
        m_canvas->zoomAt(2.0, QPointF(200, 150));
        const qreal zoom = m_canvas->zoom();
        key(QEvent::KeyPress, Qt::Key_Left);
        key(QEvent::KeyRelease, Qt::Key_Left);
        QCOMPARE(corner(id), QPointF(3 - 1 / zoom, -10));
        QCOMPARE(m_session->pendingCount(), before + 3);

        // Escape while the key is down: nothing is sent and the item stays.
        key(QEvent::KeyPress, Qt::Key_Down);
        key(QEvent::KeyPress, Qt::Key_Escape);
        key(QEvent::KeyRelease, Qt::Key_Down);
        QCOMPARE(corner(id), QPointF(3 - 1 / zoom, -10));
        QCOMPARE(m_session->pendingCount(), before + 3);

        // Undo takes a nudge back as one step.
        m_session->undo();
        QCOMPARE(corner(id), QPointF(3, -10));

        // With nothing selected the arrows are not the canvas's (a focus chain may use them).
        m_canvas->clearSelection();
        QKeyEvent press(QEvent::KeyPress, Qt::Key_Right, {});
        QCoreApplication::sendEvent(m_window.get(), &press);
        QVERIFY(!press.isAccepted());
    }

    void newItemsTakeTheToolsStyle()
    {
        m_canvas->setTool(CanvasItem::Rect);
        m_canvas->setFill(QColor(0xa5d8ff));
        m_canvas->setDash(Dash::Dashed);
        m_canvas->setItemOpacity(0.5);
        drag({100, 100}, {200, 160}, {});
        QCOMPARE(items().size(), 1);
        const Item box = items().first();
        QCOMPARE(box.fill, std::optional<Colour>(0xffa5d8ff));
        QCOMPARE(box.dash, Dash::Dashed);
        QCOMPARE(box.opacity, 0.5);

        m_canvas->setTool(CanvasItem::Arrow);
        m_canvas->setHeads(Heads::Both);
        drag({100, 200}, {300, 220}, {});
        const Item arrow = items().last();
        QCOMPARE(arrow.heads, std::optional<Heads>(Heads::Both));
        QVERIFY(!arrow.fill);
    }
};

QTEST_MAIN(TestCanvasInput)
#include "tst_ui_canvasinput.moc"
