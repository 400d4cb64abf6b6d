// The app's export: what it writes looks like what the canvas shows, the selection alone, the clipboard, refusals.
#include "boardexport.h"
#include "boardexporter.h"
#include "canvasitem.h"
#include "replaymodel.h"
#include "replaypreview.h"
#include "serverfixture.h"
#include "testutil.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::ui;
using proto::Item;

class TestExportApp : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ServerFixture> m_server;
    std::unique_ptr<QQuickWindow> m_window;
    CanvasItem *m_canvas = nullptr;
    client::Session *m_session = nullptr;
    QTemporaryDir m_dir;

    //! Export through the app's exporter and wait for it; returns the message.
    QString exportTo(BoardExporter &exporter, const QString &path, BoardExporter::Format format, bool selection,
                     bool *ok)
    {
        QSignalSpy finished(&exporter, &BoardExporter::finished);
        if (!exporter.exportTo(path, format, 1, BoardExporter::FittedPage, false, selection)) {
            *ok = false;
            return u"did not start"_s;
        }
        if (!finished.wait(15000)) {
            *ok = false;
            return u"did not finish"_s;
        }
        *ok = finished.first().at(0).toBool();
        return finished.first().at(1).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::ServerFixture>();
        QVERIFY(m_server->start());
        m_window = std::make_unique<QQuickWindow>();
        m_window->resize(400, 300);
        m_window->setColor(Qt::white);
        m_canvas = new CanvasItem(m_window->contentItem());
        m_canvas->setSize(QSizeF(400, 300));
        m_session = new client::Session(m_canvas);
        m_session->setTimings(test::fastTimings());
        m_session->join(m_server->url(), u"export"_s, u"Tester"_s, QColor(Qt::black));
        m_canvas->setSession(m_session);
        m_canvas->setGridColour(Qt::transparent);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), client::Session::Online, 15000);

        // Strokes, a filled shape, text between them and a highlighter over it all.
        using K = client::BoardDocument;
        QVERIFY(
            !m_session->addShape(K::Rect, QColor(0x20, 0x20, 0x20), 3, {-150, -90}, {-10, 20}, QColor(0x20, 0x40, 0xd0))
                 .isEmpty());
        QVERIFY(!m_session->addText({-140, -60}, u"Agenda\nfor Monday"_s, QColor(0xf0, 0xf0, 0x20), 22).isEmpty());
        QVERIFY(!m_session->addShape(K::Arrow, QColor(0xd0, 0x20, 0x20), 6, {-100, 80}, {140, -80}).isEmpty());
        QVERIFY(!m_session->addShape(K::Ellipse, QColor(0x10, 0x90, 0x10), 4, {20, 10}, {150, 100}).isEmpty());
        QVERIFY(!m_session->addText({30, 40}, u"over the ellipse"_s, QColor(0x10, 0x10, 0x10), 16).isEmpty());
        m_session->beginStroke(K::Stroke, QColor::fromRgba(0x59ffd020), 16, {-160, 60});
        for (const QPointF p : {QPointF(150, -100), QPointF(150, 60), QPointF(-160, -100)})
            m_session->extendStroke(p);
        QVERIFY(!m_session->endStroke(true).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_session->pendingCount(), 0, 15000);
        QTRY_VERIFY(m_canvas->isComplete());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.reset();
    }

    //! The exported PNG and a screenshot of the canvas showing the same board at 100 % agree, pixel by pixel.
    void theExportLooksLikeTheCanvas()
    {
        m_window->update();
        const QImage screen = m_window->grabWindow();
        QCOMPARE(screen.size(), QSize(400, 300)); // one device pixel per board unit at 100 %
        BoardExporter exporter;
        exporter.setCanvas(m_canvas);
        bool ok = false;
        const QString path = m_dir.filePath(u"board.png"_s);
        const QString message = exportTo(exporter, path, BoardExporter::Png, false, &ok);
        QVERIFY2(ok, qPrintable(message));
        QCOMPARE(message, u"Saved board.png"_s);
        const QImage exported(path);
        const QRectF area = render::exporting::exportArea(m_canvas->shownItems(false), 24);
        QCOMPARE(exported.size(), area.size().toSize());
        const QPoint offset = m_canvas->mapFromBoard(area.topLeft()).toPoint();
        int compared = 0;
        int far = 0;
        double sum = 0;
        for (int y = 0; y < exported.height(); ++y) {
            for (int x = 0; x < exported.width(); ++x) {
                const QPoint s = QPoint(x, y) + offset;
                if (!screen.rect().contains(s))
                    continue;
                const QColor a = exported.pixelColor(x, y);
                const QColor b = screen.pixelColor(s);
                const int d = std::max(
                    {std::abs(a.red() - b.red()), std::abs(a.green() - b.green()), std::abs(a.blue() - b.blue())});
                far += d > 48 ? 1 : 0;
                sum += d;
                ++compared;
            }
        }
        qInfo("export vs canvas: %d pixels compared, %.3f %% differ by more than 48, mean difference %.3f", compared,
              100.0 * far / compared, sum / compared);
        QVERIFY(compared > 50000);
        QVERIFY(double(far) / compared < 0.005);
        QVERIFY(sum / compared < 1.5);
    }

    void theSelectionAloneAndTheClipboard()
    {
        m_canvas->setTool(CanvasItem::Select);
        const QPointF onEllipse = m_canvas->mapFromBoard({85, 100}); // its bottom, clear of everything else
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, onEllipse.toPoint());
        QCOMPARE(m_canvas->selectionCount(), 1);
        BoardExporter exporter;
        exporter.setCanvas(m_canvas);
        bool ok = false;
        const QString path = m_dir.filePath(u"selection.svg"_s);
        QVERIFY2(exportTo(exporter, path, BoardExporter::Svg, true, &ok).size() && ok, "export");
        QFile svg(path);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray bytes = svg.readAll();
        QVERIFY(bytes.contains("#109010")); // the ellipse
        QVERIFY(!bytes.contains("#d02020")); // not the arrow
        QVERIFY(!bytes.contains("Agenda"));

        QSignalSpy finished(&exporter, &BoardExporter::finished);
        QVERIFY(exporter.copyImage(true, 2));
        QVERIFY(finished.wait(15000));
        QVERIFY(finished.first().at(0).toBool());
        const QImage copied = QGuiApplication::clipboard()->image();
        const QRectF area = render::exporting::exportArea(m_canvas->shownItems(true), 24);
        QCOMPARE(copied.size(), (area.size() * 2).toSize());
        m_canvas->clearSelection();
        QVERIFY(!exporter.exportTo(path, BoardExporter::Svg, 1, BoardExporter::FittedPage, false,
                                   true)); // nothing selected: nothing to do
    }

    //! "Export this moment": the replay's position, not the live board; and the history's preview shows the same.
    void aMomentOfTheHistory()
    {
        client::ReplayModel replay;
        replay.reset(0, {});
        proto::Op first;
        first.kind = proto::OpKind::Add;
        first.seq = 1;
        first.author = u"Ann"_s;
        first.item.id = u"ann:1"_s;
        first.item.kind = proto::ItemKind::Rect;
        first.item.colour = 0xff2040d0;
        first.item.fill = 0xff2040d0;
        first.item.width = 4;
        first.item.points = {{0, 0}, {100, 60}};
        proto::Op second = first;
        second.seq = 2;
        second.item.id = u"ann:2"_s;
        second.item.colour = 0xffd02020;
        second.item.fill = 0xffd02020;
        replay.append(first);
        replay.append(second);
        replay.setPosition(1);

        BoardExporter exporter;
        exporter.setCanvas(m_canvas);
        exporter.setReplay(&replay);
        bool ok = false;
        const QString path = m_dir.filePath(u"moment.svg"_s);
        QVERIFY2(exportTo(exporter, path, BoardExporter::Svg, false, &ok).size() && ok, "export");
        QFile svg(path);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray bytes = svg.readAll();
        QVERIFY(bytes.contains("#2040d0"));
        QVERIFY(!bytes.contains("#d02020")); // not yet drawn at that moment
        QVERIFY(!bytes.contains("Agenda")); // nor the live board

        QQuickWindow window;
        window.resize(200, 120);
        auto *preview = new ReplayPreview(window.contentItem());
        preview->setSize(QSizeF(200, 120));
        preview->setReplay(&replay);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto centre = [&window] {
            window.update();
            const QImage image = window.grabWindow();
            return image.pixelColor(image.width() / 2, image.height() / 2);
        };
        QCOMPARE(centre(), QColor(0x20, 0x40, 0xd0));
        replay.setPosition(2);
        QTRY_COMPARE(centre(), QColor(0xd0, 0x20, 0x20));
    }

    void aPlaceItCannotWriteIsSaid()
    {
        BoardExporter exporter;
        exporter.setCanvas(m_canvas);
        bool ok = true;
        const QString message = exportTo(exporter, u"/nonexistent-dir/board.pdf"_s, BoardExporter::Pdf, false, &ok);
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"cannot write"_s), qPrintable(message));
        QVERIFY(!exporter.busy());
        // A name without an extension gets the format's.
        QVERIFY2(exportTo(exporter, m_dir.filePath(u"noext"_s), BoardExporter::Pdf, false, &ok).size() && ok, "pdf");
        QVERIFY(QFile::exists(m_dir.filePath(u"noext.pdf"_s)));
    }
};

QTEST_MAIN(TestExportApp)
#include "tst_ui_export.moc"
