#include "canvasitem.h"

#include <QBuffer>
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

    //! Pixels of a board rectangle darker than maxLightness.
    [[nodiscard]] int countPixels(const QImage &image, const QRectF &board, int maxLightness) const
    {
        const double sx = image.width() / 400.0;
        const double sy = image.height() / 300.0;
        const QRectF screen(m_canvas->mapFromBoard(board.topLeft()), m_canvas->mapFromBoard(board.bottomRight()));
        const QRect pixels = QRectF(screen.left() * sx, screen.top() * sy, screen.width() * sx, screen.height() * sy)
                                 .toAlignedRect()
                                 .intersected(image.rect());
        int count = 0;
        for (int y = pixels.top(); y <= pixels.bottom(); ++y) {
            for (int x = pixels.left(); x <= pixels.right(); ++x)
                count += image.pixelColor(x, y).lightness() < maxLightness ? 1 : 0;
        }
        return count;
    }
    //! Darker than mid grey (text, pending or not; not the yellow of the tests' strokes).
    [[nodiscard]] int darkPixels(const QImage &image, const QRectF &board) const
    {
        return countPixels(image, board, 128);
    }

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

    //! What a per-frame trace reads: the tiles' textures made, drawn and let go, counted as frames draw them.
    void countersFollowTheFrames()
    {
        drag({50, 50}, {350, 250}, 20);
        QTRY_VERIFY(m_canvas->isComplete());
        (void)grab();
        const CanvasItem::Counters first = m_canvas->counters();
        QVERIFY(first.tiles.tilesPainted >= 1);
        QVERIFY(first.scene.uploads >= 1);
        QCOMPARE(first.scene.uploadBytes, first.scene.uploads * 256 * 256 * 4);
        QVERIFY(first.scene.tileNodes >= first.scene.uploads);
        QCOMPARE(first.scene.texturesHeld, qsizetype(first.scene.uploads));
        QCOMPARE(first.level, 0);
        // Another frame of the same view draws the same textures again: nothing is made or let go.
        m_canvas->update();
        (void)grab();
        const CanvasItem::Counters second = m_canvas->counters();
        QCOMPARE(second.scene.uploads, first.scene.uploads);
        QCOMPARE(second.scene.texturesDeleted, first.scene.texturesDeleted);
        QVERIFY(second.scene.tileNodes > first.scene.tileNodes);
        // Zooming out by half changes the level; the new level's tiles are painted and uploaded in their turn.
        m_canvas->zoomAt(0.5, QPointF(200, 150));
        QCOMPARE(m_canvas->counters().level, -1);
        QCOMPARE(m_canvas->counters().tiles.levelChanges, first.tiles.levelChanges + 1);
        QTRY_VERIFY(m_canvas->isComplete());
        (void)grab();
        QVERIFY(m_canvas->counters().scene.uploads > first.scene.uploads);
    }

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

    void textToolPlacesPlainText()
    {
        m_canvas->setTool(CanvasItem::Text);
        QSignalSpy requested(m_canvas, &CanvasItem::textRequested);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(200, 150));
        QCOMPARE(requested.size(), 1);
        m_canvas->addText(requested.first().first().toPointF(), QStringLiteral("<b>plain</b>"));
        QCOMPARE(items().size(), 1);
        const Item text = items().first();
        QCOMPARE(text.kind, ItemKind::Text);
        QCOMPARE(text.text, QStringLiteral("<b>plain</b>"));
        QVERIFY(m_session->board()->isPending(text.id));
        // Drawn in the very next frame, before its tiles are painted.
        QVERIFY(darkPixels(grab(), m_session->board()->itemBounds(text.id)) > 20);
        m_canvas->editText(text.id, QStringLiteral("edited"));
        QCOMPARE(items().first().text, QStringLiteral("edited"));

        // Clicking it again with the text tool asks to edit it where it is; the canvas leaves it out meanwhile.
        QSignalSpy edit(m_canvas, &CanvasItem::textEditRequested);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(205, 160));
        QCOMPARE(edit.size(), 1);
        QCOMPARE(edit.first().at(0).toString(), text.id);
        QCOMPARE(edit.first().at(2).toPointF(), text.points.first());
        m_canvas->setEditingId(text.id);
        QTRY_VERIFY(m_canvas->isComplete());
        QCOMPARE(darkPixels(grab(), m_session->board()->itemBounds(text.id)), 0);
        m_canvas->setEditingId({});
        QTRY_VERIFY(m_canvas->isComplete());
        QVERIFY(darkPixels(grab(), m_session->board()->itemBounds(text.id)) > 20);
    }

    //! Text is drawn in the board's order: a stroke drawn over it hides it, text written over the stroke shows.
    void textIsDrawnInZOrder()
    {
        m_canvas->setFontSize(40);
        m_canvas->addText(m_canvas->mapToBoard(QPointF(100, 120)), QStringLiteral("MMMMM"));
        const QString below = items().first().id;
        QRectF band = m_session->board()->itemBounds(below);
        band = QRectF(band.left(), band.center().y() - 4, band.width(), 8);
        QTRY_VERIFY(m_canvas->isComplete());
        QVERIFY(darkPixels(grab(), band) > 20);

        m_canvas->setColour(QColor(0xff, 0xd0, 0x20));
        m_canvas->setStrokeWidth(30);
        const QPointF y(0, m_canvas->mapFromBoard(band.center()).y());
        drag(QPointF(60, 0) + y, QPointF(360, 0) + y, 30);
        QTRY_VERIFY(m_canvas->isComplete());
        QCOMPARE(darkPixels(grab(), band), 0);

        m_canvas->setColour(Qt::black);
        m_canvas->addText(m_canvas->mapToBoard(QPointF(100, 120)), QStringLiteral("MMMMM"));
        QVERIFY(darkPixels(grab(), band) > 20); // at once
        QTRY_VERIFY(m_canvas->isComplete());
        QVERIFY(darkPixels(grab(), band) > 20); // and from the tiles
    }

    //! A picture is drawn in z-order (a stroke drawn later covers it), and its corner handle resizes it, keeping its
    //! proportions, as one undoable change.
    void pictureIsDrawnInOrderAndResized()
    {
        QImage blue(100, 60, QImage::Format_RGB32);
        blue.fill(QColor(0x10, 0x40, 0xc0));
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        blue.save(&buffer, "PNG");
        QString error;
        const QString id = m_session->addImageBytes(png, m_canvas->mapToBoard(QPointF(200, 150)), &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        const QRectF placed = m_session->board()->itemBounds(id);
        QCOMPARE(placed.size(), QSizeF(100, 60));
        const auto bluePixels = [this](const QImage &image, const QRectF &board) {
            int count = 0;
            const double sx = image.width() / 400.0;
            const QPointF a = m_canvas->mapFromBoard(board.topLeft()) * sx;
            const QPointF b = m_canvas->mapFromBoard(board.bottomRight()) * sx;
            const QRect pixels = QRectF(a, b).toAlignedRect().intersected(image.rect());
            for (int y = pixels.top(); y <= pixels.bottom(); ++y) {
                for (int x = pixels.left(); x <= pixels.right(); ++x)
                    count += image.pixelColor(x, y) == QColor(0x10, 0x40, 0xc0) ? 1 : 0;
            }
            return count;
        };
        const QRectF middle(placed.center() - QPointF(20, 5), QSizeF(40, 10));
        QTRY_VERIFY(m_canvas->isComplete());
        QVERIFY(bluePixels(grab(), middle) > 200);
        // A yellow stroke drawn later lies on top of it.
        m_canvas->setColour(QColor(0xff, 0xd0, 0x20));
        m_canvas->setStrokeWidth(30);
        const QPointF y(0, m_canvas->mapFromBoard(placed.center()).y());
        drag(QPointF(100, 0) + y, QPointF(300, 0) + y, 20);
        QTRY_VERIFY(m_canvas->isComplete());
        QCOMPARE(bluePixels(grab(), middle), 0);

        // Select it by its top edge (clear of the stroke), then drag its corner handle.
        m_canvas->setTool(CanvasItem::Select);
        const QPointF top = m_canvas->mapFromBoard(QPointF(placed.center().x(), placed.top() + 3));
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, top.toPoint());
        QCOMPARE(m_canvas->selectionCount(), 1);
        const QPointF corner = m_canvas->mapFromBoard(placed.bottomRight());
        drag(corner, corner + QPointF(50, 10));
        const Item resized = *m_session->board()->item(id);
        const QRectF after = QRectF(resized.points[0], resized.points[1]).normalized();
        QCOMPARE(after.topLeft(), placed.topLeft());
        QCOMPARE(after.width(), 150.0); // the larger of the two scales (x 1.5), the proportions kept
        QCOMPARE(after.height(), 90.0);
        QCOMPARE(resized.blob, proto::blobHashOf(png));
        m_session->undo();
        QCOMPARE(m_session->board()->itemBounds(id), placed);
    }

    //! A text item being dragged is drawn where it is dragged to, and only there, with its selection outline.
    void draggedTextFollowsThePointer()
    {
        m_canvas->setFontSize(30);
        m_canvas->addText(m_canvas->mapToBoard(QPointF(60, 60)), QStringLiteral("WWW"));
        const QString id = items().first().id;
        const QRectF bounds = m_session->board()->itemBounds(id);
        QTRY_VERIFY(m_canvas->isComplete());
        m_canvas->setTool(CanvasItem::Select);
        const QPoint grip = m_canvas->mapFromBoard(bounds.center()).toPoint();
        const QPoint offset(150, 120);
        QTest::mousePress(m_window.get(), Qt::LeftButton, {}, grip);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(m_window.get(), grip + offset * i / 10);
        QCOMPARE(m_canvas->liftOffset(), QPointF(offset));
        QImage image = grab();
        QCOMPARE(darkPixels(image, bounds), 0);
        QVERIFY(darkPixels(image, bounds.translated(offset)) > 20);
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, {}, grip + offset);
        QCOMPARE(m_session->board()->itemBounds(id), bounds.translated(offset));
        QTRY_VERIFY(m_canvas->isComplete());
        image = grab();
        QCOMPARE(darkPixels(image, bounds), 0);
        QVERIFY(darkPixels(image, bounds.translated(offset)) > 20);
    }

    //! The highlighter covers a pixel once however often it passes over it: while it is drawn and on the tiles.
    void highlighterDoesNotDarkenWhereItCrossesItself()
    {
        m_canvas->setTool(CanvasItem::Highlighter);
        m_canvas->setColour(QColor(0x20, 0x60, 0xe0));
        const QList<QPoint> path {{50, 50}, {350, 250}, {350, 50}, {50, 250}};
        QTest::mousePress(m_window.get(), Qt::LeftButton, {}, path.first());
        for (qsizetype i = 1; i < path.size(); ++i) {
            for (int step = 1; step <= 20; ++step)
                QTest::mouseMove(m_window.get(), path[i - 1] + (path[i] - path[i - 1]) * step / 20);
        }
        const auto check = [this](const char *when) {
            const QImage image = grab();
            const auto at = [&image](int x, int y) {
                return image.pixelColor(x * image.width() / 400, y * image.height() / 300);
            };
            const QColor crossing = at(200, 150);
            const QColor once = at(125, 100);
            QVERIFY2(once.lightness() < 240, when); // it is there
            QVERIFY2(
                std::abs(crossing.red() - once.red()) <= 3 && std::abs(crossing.green() - once.green()) <= 3
                    && std::abs(crossing.blue() - once.blue()) <= 3,
                qPrintable(
                    QStringLiteral("%1: crossing %2, once %3").arg(QLatin1String(when), crossing.name(), once.name())));
        };
        check("while drawn");
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, {}, path.last());
        QCOMPARE(items().size(), 1);
        check("just drawn");
        QTRY_VERIFY(m_canvas->isComplete());
        check("on the tiles");
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
