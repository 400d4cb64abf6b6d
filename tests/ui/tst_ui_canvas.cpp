#include "canvasitem.h"

#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

//! The canvas driven by simulated mouse input, on a real session that has no server to reach: every edit is
//! applied at once and stays pending, exactly as when the network is down.
class TestCanvas : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QQuickWindow> m_window;
    CanvasItem *m_canvas = nullptr;
    client::Session *m_session = nullptr;

    void drag(QPointF from, QPointF to, int steps = 10, Qt::KeyboardModifiers modifiers = {})
    {
        QTest::mousePress(m_window.get(), Qt::LeftButton, modifiers, from.toPoint());
        for (int i = 1; i <= steps; ++i)
            QTest::mouseMove(m_window.get(), (from + (to - from) * i / steps).toPoint());
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, modifiers, to.toPoint());
    }

    [[nodiscard]] QImage grab()
    {
        m_window->update();
        return m_window->grabWindow();
    }

    [[nodiscard]] QList<Item> items() const { return m_session->board()->orderedItems(); }

private Q_SLOTS:
    void init()
    {
        m_window = std::make_unique<QQuickWindow>();
        m_window->resize(400, 300);
        m_window->setColor(Qt::white);
        m_canvas = new CanvasItem(m_window->contentItem());
        m_canvas->setSize(QSizeF(400, 300));
        m_session = new client::Session(m_canvas);
        // Port 9 (discard) has no Inkroom server: the session keeps retrying and queues everything.
        m_session->join(QUrl(QStringLiteral("ws://127.0.0.1:9")), QStringLiteral("canvas"), QStringLiteral("Tester"),
                        QColor(Qt::black));
        m_canvas->setSession(m_session);
        m_canvas->setGridColour(Qt::transparent);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void viewStartsCentred()
    {
        QCOMPARE(m_canvas->zoom(), 1.0);
        QCOMPARE(m_canvas->mapToBoard(QPointF(200, 150)), QPointF(0, 0));
    }

    void drawingAStrokeAddsOneItemAtOnce()
    {
        drag({50, 50}, {250, 150}, 20);
        QCOMPARE(items().size(), 1);
        const Item item = items().first();
        QCOMPARE(item.kind, ItemKind::Stroke);
        QVERIFY(item.points.size() >= 10);
        QCOMPARE(item.points.first(), m_canvas->mapToBoard(QPointF(50, 50)));
        QVERIFY(m_session->board()->isPending(item.id));
        QCOMPARE(m_session->pendingCount(), 1);

        // The stroke is on screen: the middle of its path is dark.
        const QImage image = grab();
        const QColor pixel = image.pixelColor(150 * image.width() / 400, 100 * image.height() / 300);
        QVERIFY2(pixel.lightness() < 128, qPrintable(pixel.name()));
    }

    //! While the button is down the stroke is drawn from the live model; it is never on the board twice.
    void theStrokeInProgressIsVisible()
    {
        QTest::mousePress(m_window.get(), Qt::LeftButton, {}, QPoint(20, 200));
        for (int x = 20; x <= 380; x += 20)
            QTest::mouseMove(m_window.get(), QPoint(x, 200));
        QCOMPARE(items().size(), 0);
        QCOMPARE(m_session->liveStrokes()->count(), 1);
        const QImage image = grab();
        const QColor pixel = image.pixelColor(200 * image.width() / 400, 200 * image.height() / 300);
        QVERIFY2(pixel.lightness() < 128, qPrintable(pixel.name()));
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, {}, QPoint(380, 200));
        QCOMPARE(items().size(), 1);
    }

    void shapesTakeTwoPoints()
    {
        m_canvas->setTool(CanvasItem::Rect);
        drag({100, 100}, {200, 180});
        QCOMPARE(items().size(), 1);
        QCOMPARE(items().first().kind, ItemKind::Rect);
        QCOMPARE(items().first().points.size(), 2);
        // A click without a drag makes no shape.
        drag({300, 250}, {300, 250}, 1);
        QCOMPARE(items().size(), 1);
    }

    void eraserRemovesWhatItTouches()
    {
        drag({50, 50}, {350, 50});
        drag({50, 250}, {350, 250});
        QCOMPARE(items().size(), 2);
        m_canvas->setTool(CanvasItem::Eraser);
        drag({200, 20}, {200, 80});
        QCOMPARE(items().size(), 1);
        QVERIFY(m_session->canUndo());
        m_session->undo();
        QCOMPARE(items().size(), 2);
    }

    void selectMoveAndDelete()
    {
        drag({50, 50}, {150, 50});
        m_canvas->setTool(CanvasItem::Select);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(100, 50));
        QCOMPARE(m_canvas->selectionCount(), 1);
        const double before = items().first().points[0].x();
        drag({100, 50}, {160, 90});
        QCOMPARE(items().first().points[0].x(), before + 60);
        m_canvas->deleteSelection();
        QCOMPARE(items().size(), 0);
        m_session->undo();
        QCOMPARE(items().size(), 1);
    }

    void rubberBandSelects()
    {
        drag({50, 50}, {80, 60});
        drag({300, 200}, {330, 220});
        m_canvas->setTool(CanvasItem::Select);
        drag({20, 20}, {120, 120});
        QCOMPARE(m_canvas->selectionCount(), 1);
        drag({20, 20}, {390, 290});
        QCOMPARE(m_canvas->selectionCount(), 2);
    }

    void zoomKeepsThePointUnderTheCursor()
    {
        const QPointF anchor = m_canvas->mapToBoard(QPointF(100, 80));
        m_canvas->zoomAt(2.5, QPointF(100, 80));
        QCOMPARE(m_canvas->zoom(), 2.5);
        QCOMPARE(m_canvas->mapFromBoard(anchor), QPointF(100, 80));
        drag({50, 50}, {200, 50});
        m_canvas->zoomToFit();
        const Item line = items().first();
        QVERIFY(QRectF(0, 0, 400, 300).contains(m_canvas->mapFromBoard(line.points.first())));
        QVERIFY(QRectF(0, 0, 400, 300).contains(m_canvas->mapFromBoard(line.points.last())));
        QVERIFY(m_canvas->zoom() > 1); // a short line is zoomed in on
    }

    void middleButtonPans()
    {
        const QPointF before = m_canvas->origin();
        QTest::mousePress(m_window.get(), Qt::MiddleButton, {}, QPoint(100, 100));
        QTest::mouseMove(m_window.get(), QPoint(150, 120));
        QTest::mouseRelease(m_window.get(), Qt::MiddleButton, {}, QPoint(150, 120));
        QCOMPARE(m_canvas->origin(), before + QPointF(50, 20));
        QCOMPARE(items().size(), 0);
    }

    void textToolAsksTheTextLayer()
    {
        m_canvas->setTool(CanvasItem::Text);
        QSignalSpy requested(m_canvas, &CanvasItem::textRequested);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(200, 150));
        QCOMPARE(requested.size(), 1);
        m_canvas->addText(requested.first().first().toPointF(), QStringLiteral("<b>plain</b>"));
        QCOMPARE(m_canvas->textItems()->rowCount(), 1);
        const QModelIndex row = m_canvas->textItems()->index(0);
        QCOMPARE(row.data(TextItemsModel::TextRole).toString(), QStringLiteral("<b>plain</b>"));
        QVERIFY(row.data(TextItemsModel::PendingRole).toBool());
        m_canvas->editText(row.data(TextItemsModel::IdRole).toString(), QStringLiteral("edited"));
        QCOMPARE(m_canvas->textItems()->index(0).data(TextItemsModel::TextRole).toString(), QStringLiteral("edited"));
    }

    void othersLiveStrokesAreDrawn()
    {
        Live live;
        live.client = QStringLiteral("someone-else");
        live.id = QStringLiteral("someone-else:1");
        live.colour = 0xff0000ff;
        live.width = 8;
        live.points = {m_canvas->mapToBoard(QPointF(20, 280)), m_canvas->mapToBoard(QPointF(380, 280))};
        m_session->liveStrokes()->apply(live, QStringLiteral("Bo"));
        const QImage image = grab();
        const QColor pixel = image.pixelColor(200 * image.width() / 400, 280 * image.height() / 300);
        QVERIFY2(pixel.blue() > 200 && pixel.red() < 80, qPrintable(pixel.name()));
    }
};

QTEST_MAIN(TestCanvas)
#include "tst_ui_canvas.moc"
