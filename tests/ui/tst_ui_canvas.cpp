#include "canvasitem.h"

#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

class TestCanvas : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QQuickWindow> m_window;
    CanvasItem *m_canvas = nullptr;
    LocalBoardSource *m_source = nullptr;

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

private Q_SLOTS:
    void init()
    {
        m_window = std::make_unique<QQuickWindow>();
        m_window->resize(400, 300);
        m_window->setColor(Qt::white);
        m_canvas = new CanvasItem(m_window->contentItem());
        m_canvas->setSize(QSizeF(400, 300));
        m_source = new LocalBoardSource(m_canvas);
        m_canvas->setSource(m_source);
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

    void drawingAStrokeAddsOneItemAndSendsItLive()
    {
        drag({50, 50}, {250, 150}, 20);
        QCOMPARE(m_source->board().size(), 1);
        const Item item = m_source->plainBoard().items().begin().value();
        QCOMPARE(item.kind, ItemKind::Stroke);
        QVERIFY(item.points.size() >= 10);
        QCOMPARE(item.points.first(), m_canvas->mapToBoard(QPointF(50, 50)));
        QVERIFY(!m_source->sentLive().isEmpty());
        QCOMPARE(m_source->sentLive().first().id, item.id);
        // Live deltas continue each other, and together they are the whole stroke.
        QList<QPointF> sent;
        for (const Live &live : m_source->sentLive()) {
            QCOMPARE(qsizetype(live.from), sent.size());
            sent += live.points;
        }
        QCOMPARE(sent, item.points);

        // The stroke is on screen: the middle of its path is dark.
        const QImage image = grab();
        image.save(QStringLiteral("canvas-stroke.png"));
        const QColor pixel = image.pixelColor(150 * image.width() / 400, 100 * image.height() / 300);
        QVERIFY2(pixel.lightness() < 128, qPrintable(pixel.name()));
    }

    void shapesTakeTwoPoints()
    {
        m_canvas->setTool(CanvasItem::Rect);
        drag({100, 100}, {200, 180});
        QCOMPARE(m_source->board().size(), 1);
        const Item rect = m_source->plainBoard().items().begin().value();
        QCOMPARE(rect.kind, ItemKind::Rect);
        QCOMPARE(rect.points.size(), 2);
        // A click without a drag makes no shape.
        drag({300, 250}, {300, 250}, 1);
        QCOMPARE(m_source->board().size(), 1);
    }

    void eraserRemovesWhatItTouches()
    {
        drag({50, 50}, {350, 50});
        drag({50, 250}, {350, 250});
        QCOMPARE(m_source->board().size(), 2);
        m_canvas->setTool(CanvasItem::Eraser);
        drag({200, 20}, {200, 80});
        QCOMPARE(m_source->board().size(), 1);
        QVERIFY(m_canvas->canUndo());
        m_canvas->undo();
        QCOMPARE(m_source->board().size(), 2);
    }

    void selectMoveAndDelete()
    {
        drag({50, 50}, {150, 50});
        m_canvas->setTool(CanvasItem::Select);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(100, 50));
        QCOMPARE(m_canvas->selectionCount(), 1);
        const QString id = m_source->plainBoard().items().begin().key();
        const double before = m_source->board().item(id)->points[0].x();
        drag({100, 50}, {160, 90});
        QCOMPARE(m_source->board().item(id)->points[0].x(), before + 60);
        m_canvas->deleteSelection();
        QCOMPARE(m_source->board().size(), 0);
        m_canvas->undo();
        QCOMPARE(m_source->board().size(), 1);
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
        const Item &line = m_source->plainBoard().items().begin().value();
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
        QCOMPARE(m_source->board().size(), 0);
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
        m_canvas->editText(row.data(TextItemsModel::IdRole).toString(), QStringLiteral("edited"));
        QCOMPARE(m_canvas->textItems()->index(0).data(TextItemsModel::TextRole).toString(), QStringLiteral("edited"));
    }

    void othersLiveStrokesAreDrawn()
    {
        LiveStroke stroke;
        stroke.key = QStringLiteral("someone");
        stroke.colour = 0xff0000ff;
        stroke.width = 8;
        stroke.points = {m_canvas->mapToBoard(QPointF(20, 280)), m_canvas->mapToBoard(QPointF(380, 280))};
        m_source->setLiveStrokes({stroke});
        const QImage image = grab();
        image.save(QStringLiteral("canvas-live.png"));
        const QColor pixel = image.pixelColor(200 * image.width() / 400, 280 * image.height() / 300);
        QVERIFY2(pixel.blue() > 200 && pixel.red() < 80, qPrintable(pixel.name()));
    }
};

QTEST_MAIN(TestCanvas)
#include "tst_ui_canvas.moc"
