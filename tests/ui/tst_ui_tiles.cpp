#include "board.h"
#include "textlayout.h"
#include "tilecache.h"
#include "tiles.h"

#include <QGuiApplication>
#include <QPainter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;
using namespace Qt::StringLiterals;

namespace {

Item stroke(const QString &id, QList<QPointF> points, double width = 4, Colour colour = 0xff000000, qint64 z = 1)
{
    Item item;
    item.id = id;
    item.kind = ItemKind::Stroke;
    item.points = std::move(points);
    item.width = width;
    item.colour = colour;
    item.z = z;
    return item;
}

double uniform(QRandomGenerator &random, double low, double high)
{
    return low + random.bounded(high - low);
}

int alphaAt(const QImage &image, int x, int y)
{
    return qAlpha(image.pixel(x, y));
}

//! A board source for a TileCache: the items of a QHash whose bounds meet the rectangle, bottom to top.
struct Source
{
    QHash<QString, Item> items;
    int calls = 0;

    QList<Item> operator()(const QRectF &rect)
    {
        ++calls;
        QList<Item> found;
        for (const Item &item : std::as_const(items)) {
            if (paintBounds(item).intersects(rect))
                found.append(item);
        }
        std::sort(found.begin(), found.end(), [](const Item &a, const Item &b) { return a.z < b.z; });
        return found;
    }
};

} // namespace

class TestTiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelsGiveAtLeastTheAskedResolution_data()
    {
        QTest::addColumn<double>("pixelsPerUnit");
        QTest::addColumn<int>("level");
        QTest::newRow("1:1") << 1.0 << 0;
        QTest::newRow("just above 1") << 1.01 << 1;
        QTest::newRow("2") << 2.0 << 1;
        QTest::newRow("1.5") << 1.5 << 1;
        QTest::newRow("0.5") << 0.5 << -1;
        QTest::newRow("0.3") << 0.3 << -1;
        QTest::newRow("0.2") << 0.2 << -2;
        QTest::newRow("zoom 32 on 2x") << 64.0 << 6;
        QTest::newRow("beyond the top") << 1e6 << tiles::MaxLevel;
        QTest::newRow("beyond the bottom") << 1e-9 << tiles::MinLevel;
        QTest::newRow("zero") << 0.0 << tiles::MinLevel;
        QTest::newRow("nan") << std::nan("") << tiles::MinLevel;
    }
    void levelsGiveAtLeastTheAskedResolution()
    {
        QFETCH(double, pixelsPerUnit);
        QFETCH(int, level);
        QCOMPARE(tiles::levelFor(pixelsPerUnit), level);
    }

    void tilesCoverExactlyWhatIsAsked()
    {
        // At level 0 a tile is 256 units wide.
        QCOMPARE(tiles::covering(QRectF(0, 0, 256, 256), 0), QList<TileKey>({{0, 0, 0}}));
        QCOMPARE(tiles::covering(QRectF(10, 10, 1, 1), 0), QList<TileKey>({{0, 0, 0}}));
        QCOMPARE(tiles::covering(QRectF(-1, 255, 2, 2), 0),
                 QList<TileKey>({{0, -1, 0}, {0, 0, 0}, {0, -1, 1}, {0, 0, 1}}));
        QCOMPARE(tiles::covering(QRectF(0, 0, 1024, 512), -2), QList<TileKey>({{-2, 0, 0}}));
        QCOMPARE(tiles::covering(QRectF(), 0), QList<TileKey>());
        QCOMPARE(tiles::boardRect({1, -3, 2}), QRectF(-384, 256, 128, 128));
    }

    void tilesNestInTheirAncestors()
    {
        QRandomGenerator random(7);
        for (int i = 0; i < 2000; ++i) {
            const TileKey key {int(random.bounded(tiles::MinLevel, tiles::MaxLevel + 1)), random.bounded(-5000, 5000),
                               random.bounded(-5000, 5000)};
            const int level = random.bounded(tiles::MinLevel, key.level + 1);
            const TileKey up = tiles::ancestor(key, level);
            QCOMPARE(up.level, level);
            QVERIFY2(tiles::boardRect(up).contains(tiles::boardRect(key)),
                     qPrintable(
                         u"(%1,%2,%3) in (%4,%5,%6)"_s.arg(key.level).arg(key.x).arg(key.y).arg(up.level).arg(up.x).arg(
                             up.y)));
        }
    }

    void indexAnswersLikeAFullScan()
    {
        QRandomGenerator random(11);
        BoardIndex index;
        QHash<QString, Item> items;
        const auto randomItem = [&random](const QString &id) {
            QList<QPointF> points;
            QPointF p(uniform(random, -4000.0, 4000.0), uniform(random, -4000.0, 4000.0));
            const int n = random.bounded(1, 20);
            const double step = random.bounded(4) == 0 ? 3000 : 40; // some long items span many cells
            for (int i = 0; i < n; ++i) {
                points.append(p);
                p += QPointF(uniform(random, -step, step), uniform(random, -step, step));
            }
            Item item = stroke(id, points, random.bounded(1, 30), 0xff000000, random.bounded(1, 1000));
            if (random.bounded(10) == 0)
                item.kind = ItemKind::Rect, item.points = {points.first(), points.last()};
            return item;
        };
        for (int round = 0; round < 3000; ++round) {
            const QString id = u"i%1"_s.arg(random.bounded(400));
            if (random.bounded(4) == 0) {
                const QRectF expected = items.contains(id) ? paintBounds(items.take(id)) : QRectF();
                QCOMPARE(index.remove(id), expected);
            } else {
                const Item item = randomItem(id);
                const QRectF old = items.contains(id) ? paintBounds(items.value(id)) : QRectF();
                QCOMPARE(index.put(item), old.united(paintBounds(item)));
                items.insert(id, item);
            }
            if (round % 50 != 0)
                continue;
            QCOMPARE(index.size(), items.size());
            for (int q = 0; q < 20; ++q) {
                const double size = q < 15 ? uniform(random, 10.0, 2000.0) : uniform(random, 10000.0, 20000.0);
                const QRectF rect(uniform(random, -5000.0, 5000.0), uniform(random, -5000.0, 5000.0), size, size);
                QList<std::pair<qint64, QString>> scan;
                for (const Item &item : std::as_const(items)) {
                    const QRectF b = paintBounds(item);
                    if (b.left() <= rect.right() && b.right() >= rect.left() && b.top() <= rect.bottom()
                        && b.bottom() >= rect.top())
                        scan.append({item.z, item.id});
                }
                std::sort(scan.begin(), scan.end());
                QStringList expected;
                for (const auto &entry : scan)
                    expected.append(entry.second);
                QCOMPARE(index.query(rect), expected);
            }
        }
    }

    //! Text is painted on the tiles like every other item, inside its paint bounds, in the shared text layout.
    void textIsPaintedWithinItsBounds()
    {
        Item text;
        text.id = u"t"_s;
        text.kind = ItemKind::Text;
        text.text = u"hello\nworld"_s;
        text.points = {{10, 10}};
        text.width = 24;
        const QRectF lines = render::textBounds(text);
        QVERIFY2(lines.width() > 40 && lines.height() > 48,
                 qPrintable(u"%1 x %2"_s.arg(lines.width()).arg(lines.height())));
        QVERIFY(paintBounds(text).contains(lines));
        BoardIndex index;
        QCOMPARE(index.put(text), paintBounds(text));
        QCOMPARE(index.query(QRectF(20, 20, 5, 5)), QStringList({u"t"_s}));
        const QImage image = renderTile({0, 0, 0}, {text});
        int inside = 0;
        const QRect reach = paintBounds(text).toAlignedRect();
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (alphaAt(image, x, y) == 0)
                    continue;
                QVERIFY2(reach.contains(x, y), qPrintable(u"paint at %1, %2"_s.arg(x).arg(y)));
                ++inside;
            }
        }
        QVERIFY(inside > 100);
        // Both lines are there: ink in the top half and in the bottom half of the lines' box.
        const auto inkIn = [&](const QRectF &rect) {
            int ink = 0;
            for (int y = int(rect.top()); y < int(rect.bottom()); ++y) {
                for (int x = int(rect.left()); x < int(rect.right()); ++x)
                    ink += alphaAt(image, x, y) > 128 ? 1 : 0;
            }
            return ink;
        };
        QVERIFY(inkIn(QRectF(lines.topLeft(), QSizeF(lines.width(), lines.height() / 2))) > 30);
        QVERIFY(inkIn(QRectF(lines.left(), lines.center().y(), lines.width(), lines.height() / 2)) > 30);
    }

    //! A translucent stroke covers a pixel once, however often it passes over it.
    void aTranslucentStrokeDoesNotDarkenWhereItCrossesItself()
    {
        Item marker = stroke(u"h"_s, {{20, 20}, {200, 200}, {200, 20}, {20, 200}}, 16);
        marker.colour = 0x59ffd020;
        const QImage image = renderTile({0, 0, 0}, {marker});
        QCOMPARE(alphaAt(image, 110, 110), alphaAt(image, 65, 65)); // the crossing, and once
        QCOMPARE(alphaAt(image, 65, 65), 0x59);
    }

    void aTileShowsItsItemsAndNothingElse()
    {
        // A horizontal line 8 units wide across tile (0, 0, 0), at y = 100.
        const Item line = stroke(u"s"_s, {{-50, 100}, {300, 100}}, 8);
        const QImage image = renderTile({0, 0, 0}, {line});
        QCOMPARE(image.size(), QSize(tiles::TilePixels, tiles::TilePixels));
        for (int x = 0; x < 256; x += 5) {
            QCOMPARE(alphaAt(image, x, 100), 255);
            QCOMPARE(alphaAt(image, x, 97), 255);
            QCOMPARE(alphaAt(image, x, 90), 0);
            QCOMPARE(alphaAt(image, x, 110), 0);
        }
        // The same line at level 1 (2 pixels per unit): tile (1, 0, 0) holds y = 100 at pixel row 200.
        const QImage fine = renderTile({1, 0, 0}, {line});
        QCOMPARE(alphaAt(fine, 50, 200), 255);
        QCOMPARE(alphaAt(fine, 50, 193), 255);
        QCOMPARE(alphaAt(fine, 50, 185), 0);
        // A fill and an ellipse outline.
        Item rect = stroke(u"r"_s, {{20, 20}, {60, 60}}, 2, 0xff0000ff);
        rect.kind = ItemKind::Rect;
        rect.fill = 0xffff0000;
        Item ellipse = stroke(u"e"_s, {{100, 150}, {200, 250}}, 4, 0xff00ff00);
        ellipse.kind = ItemKind::Ellipse;
        const QImage shapes = renderTile({0, 0, 0}, {rect, ellipse});
        QCOMPARE(QColor(shapes.pixel(40, 40)), QColor(Qt::red));
        QCOMPARE(QColor(shapes.pixel(20, 40)), QColor(Qt::blue));
        QCOMPARE(QColor(shapes.pixel(100, 200)), QColor(Qt::green));
        QCOMPARE(alphaAt(shapes, 150, 200), 0); // not filled
    }

    void neighbouringTilesMeetWithoutASeam()
    {
        // A diagonal stroke across the corner of four tiles: painting the four tiles and painting the whole area at
        // once give the same pixels (antialiasing included, within rounding).
        const Item item = stroke(u"d"_s, {{200, 180}, {260, 250}, {330, 300}}, 7, 0xc0336699);
        QImage whole(512, 512, QImage::Format_ARGB32_Premultiplied);
        whole.fill(Qt::transparent);
        {
            QPainter painter(&whole);
            painter.setRenderHint(QPainter::Antialiasing);
            paintItem(painter, item);
        }
        for (int ty = 0; ty < 2; ++ty) {
            for (int tx = 0; tx < 2; ++tx) {
                const QImage tile = renderTile({0, tx, ty}, {item});
                for (int y = 0; y < 256; ++y) {
                    for (int x = 0; x < 256; ++x) {
                        const QRgb a = tile.pixel(x, y);
                        const QRgb b = whole.pixel(tx * 256 + x, ty * 256 + y);
                        QVERIFY2(
                            std::abs(qAlpha(a) - qAlpha(b)) <= 2,
                            qPrintable(
                                u"tile %1,%2 pixel %3,%4: %5 vs %6"_s.arg(tx).arg(ty).arg(x).arg(y).arg(qAlpha(a)).arg(
                                    qAlpha(b))));
                    }
                }
            }
        }
    }

    void farAwayPointsAreClippedNotMangled()
    {
        // A line from one end of the board to the other, seen at the largest zoom: raster painting works in fixed
        // point and would overflow on the unclipped line.
        const Item line = stroke(u"long"_s, {{-1e6, 0.5}, {1e6, 0.5}}, 0.5);
        const TileKey key {tiles::MaxLevel, 3, 0}; // board x 3..4, y 0..1 at 256 pixels per unit
        const QImage image = renderTile(key, {line});
        // The line is 0.5 units = 128 pixels wide, centred on pixel row 128.
        for (int x = 0; x < 256; x += 16) {
            QCOMPARE(alphaAt(image, x, 128), 255);
            QCOMPARE(alphaAt(image, x, 70), 255);
            QCOMPARE(alphaAt(image, x, 40), 0);
            QCOMPARE(alphaAt(image, x, 220), 0);
        }
        // A huge filled rectangle covers the tile completely.
        Item rect = stroke(u"big"_s, {{-9e5, -9e5}, {9e5, 9e5}}, 1, 0xff000000);
        rect.kind = ItemKind::Rect;
        rect.fill = 0xff00ff00;
        const QImage filled = renderTile(key, {rect});
        QCOMPARE(QColor(filled.pixel(0, 0)), QColor(Qt::green));
        QCOMPARE(QColor(filled.pixel(255, 255)), QColor(Qt::green));
    }

    void cacheRendersTheViewAndFollowsChanges()
    {
        Source source;
        source.items.insert(u"a"_s, stroke(u"a"_s, {{10, 10}, {200, 200}}, 6));
        TileCache cache(std::ref(source), nullptr, 1);
        QSignalSpy updated(&cache, &TileCache::updated);
        // A 512 x 512 view at 1:1: four tiles, one of which has something.
        cache.setView(QRectF(0, 0, 512, 512), 1.0);
        QCOMPARE(cache.level(), 0);
        QTRY_VERIFY(cache.freshGeneration() > 0);
        QCOMPARE(cache.jobsInFlight(), 0);
        QList<TileCache::Piece> pieces = cache.pieces();
        QCOMPARE(pieces.size(), 1); // empty tiles draw nothing
        QCOMPARE(pieces.first().target, QRectF(0, 0, 256, 256));
        QCOMPARE(pieces.first().source, QRectF(0, 0, 256, 256));
        QCOMPARE(alphaAt(pieces.first().image, 100, 100), 255);
        const quint64 serial = pieces.first().serial;

        // An item appears in an empty tile: the tile is out of date until it is painted again.
        source.items.insert(u"b"_s, stroke(u"b"_s, {{300, 300}, {400, 400}}, 6, 0xff000000, 2));
        cache.invalidate(paintBounds(source.items.value(u"b"_s)));
        const quint64 change = cache.generation();
        QVERIFY(cache.freshGeneration() < change);
        QTRY_VERIFY(cache.freshGeneration() >= change);
        pieces = cache.pieces();
        QCOMPARE(pieces.size(), 2);
        for (const TileCache::Piece &piece : pieces) {
            if (piece.target.topLeft() == QPointF(0, 0))
                QCOMPARE(piece.serial, serial); // untouched tiles are not painted again
            else
                QCOMPARE(piece.target, QRectF(256, 256, 256, 256));
        }

        // An item goes: until its tile is repainted, the old picture stays (no blank flash), then it is gone.
        source.items.remove(u"a"_s);
        cache.invalidate(QRectF(10, 10, 190, 190));
        QCOMPARE(cache.pieces().size(), 2);
        QTRY_COMPARE(cache.pieces().size(), 1);
        QVERIFY(!updated.isEmpty());
    }

    void anotherLevelStandsInUntilTheTileIsReady()
    {
        Source source;
        source.items.insert(u"a"_s, stroke(u"a"_s, {{100, 100}, {900, 900}}, 10));
        TileCache cache(std::ref(source), nullptr, 1);
        cache.setView(QRectF(0, 0, 1024, 1024), 0.25); // level -2: one tile of 1024 units
        QTRY_VERIFY(cache.freshGeneration() > 0);
        QCOMPARE(cache.pieces().size(), 1);

        // Zoom in to 1:1 on the middle: the new tiles are not painted yet (their results need the event loop), so
        // the level -2 tile stands in, cut to each new tile.
        cache.setView(QRectF(256, 256, 512, 512), 1.0);
        QCOMPARE(cache.freshGeneration(), quint64(0));
        QList<TileCache::Piece> pieces = cache.pieces();
        QCOMPARE(pieces.size(), 4);
        for (const TileCache::Piece &piece : pieces) {
            QCOMPARE(piece.target.size(), QSizeF(256, 256));
            QCOMPARE(piece.source.size(), QSizeF(64, 64)); // a quarter of the coarse tile's 256 pixels
            QCOMPARE(piece.source.topLeft(), piece.target.topLeft() / 4);
        }
        QTRY_VERIFY(cache.freshGeneration() > 0);
        pieces = cache.pieces();
        QCOMPARE(pieces.size(), 4);
        for (const TileCache::Piece &piece : pieces)
            QCOMPARE(piece.source, QRectF(0, 0, 256, 256));

        // Zoom back out: the level -2 tile is still there; and zooming out further, four finer tiles stand in.
        cache.setView(QRectF(0, 0, 1024, 1024), 0.25);
        QCOMPARE(cache.pieces().size(), 1);
        cache.setView(QRectF(0, 0, 2048, 2048), 0.125); // level -3: one tile of 2048 units, nothing painted yet
        // Its four level -2 children are known (the view and the ring around it): one painted, three empty.
        pieces = cache.pieces();
        QCOMPARE(pieces.size(), 1);
        QCOMPARE(pieces.first().target, QRectF(0, 0, 1024, 1024));
        QCOMPARE(pieces.first().source, QRectF(0, 0, 256, 256));
    }

    //! After invalidateAll() (the board was replaced), a tile painted before may show another board: another level
    //! painted since stands in for it; only when there is none does the old tile stay (no blank flash on a resync).
    void aReplacedBoardIsShownFromTilesPaintedSince()
    {
        Source source;
        source.items.insert(u"a"_s, stroke(u"a"_s, {{10, 10}, {200, 200}}, 6));
        TileCache cache(std::ref(source), nullptr, 1);
        const QRectF close(0, 0, 512, 512);
        cache.setView(close, 1.0);
        QTRY_VERIFY(cache.freshGeneration() > 0);
        const QList<TileCache::Piece> before = cache.pieces();
        QCOMPARE(before.size(), 1);

        // A resync: nothing painted since, so the old tiles stay on screen until they are painted again.
        source.items.insert(u"b"_s, stroke(u"b"_s, {{300, 300}, {400, 400}}, 6, 0xff000000, 2));
        cache.invalidateAll();
        QList<TileCache::Piece> pieces = cache.pieces();
        QCOMPARE(pieces.size(), 1);
        QCOMPARE(pieces.first().serial, before.first().serial);
        QTRY_VERIFY(cache.freshGeneration() >= cache.generation());

        // Another board altogether while zoomed out (level -2, painted again at once), then at 1:1 again: until the
        // 1:1 tiles are painted again, the level -2 tile stands in for all four, not the old board's tiles.
        QTRY_COMPARE(cache.jobsInFlight(), 0);
        cache.setView(QRectF(0, 0, 1024, 1024), 0.25);
        QTRY_VERIFY(cache.freshGeneration() >= cache.generation());
        QTRY_COMPARE(cache.jobsInFlight(), 0);
        source.items.clear();
        source.items.insert(u"c"_s, stroke(u"c"_s, {{20, 400}, {400, 20}}, 8));
        cache.invalidateAll();
        QTRY_VERIFY(cache.freshGeneration() >= cache.generation());
        const quint64 standInsBefore = cache.counters().standIns;
        cache.setView(close, 1.0);
        pieces = cache.pieces();
        QCOMPARE(pieces.size(), 4);
        for (const TileCache::Piece &piece : pieces)
            QCOMPARE(piece.source.size(), QSizeF(64, 64));
        QCOMPARE(cache.counters().standIns, standInsBefore + 4);
        QCOMPARE(cache.counters().missing, quint64(0));
        // The view completes: every tile of the new board is painted, and drawn at its own level.
        QTRY_VERIFY(cache.freshGeneration() >= cache.generation());
        pieces = cache.pieces();
        QCOMPARE(pieces.size(), 4); // the stroke's bounds cover all four tiles
        for (const TileCache::Piece &piece : pieces)
            QCOMPARE(piece.source, QRectF(0, 0, 256, 256));
    }

    //! The counters a per-frame trace reads: tiles painted and the time spent on them, levels, pieces, stand-ins.
    void countersFollowTheWork()
    {
        Source source;
        source.items.insert(u"a"_s, stroke(u"a"_s, {{10, 10}, {900, 900}}, 6));
        TileCache cache(std::ref(source), nullptr, 1);
        QCOMPARE(cache.paintingNs(), 0);
        cache.setView(QRectF(0, 0, 1024, 1024), 1.0);
        const quint64 levels = cache.counters().levelChanges;
        QList<TileCache::Piece> pieces = cache.pieces();
        // Nothing painted yet (tiles without items are known at once, and draw nothing), and nothing to stand in.
        QVERIFY(pieces.isEmpty());
        const quint64 standIns = cache.counters().standIns;
        QVERIFY(standIns >= 1);
        QCOMPARE(cache.counters().missing, standIns);
        QTRY_VERIFY(cache.freshGeneration() > 0);
        QTRY_COMPARE(cache.jobsInFlight(), 0);
        // The diagonal crosses 4 tiles of the view (and touches corners of others, and of the ring around it).
        QVERIFY(cache.counters().tilesPainted >= 4);
        QVERIFY(cache.paintingNs() > 0);
        const qint64 painted = cache.paintingNs();
        QCOMPARE(cache.paintingNs(), painted); // idle workers add nothing
        pieces = cache.pieces();
        QVERIFY(pieces.size() >= 4);
        QCOMPARE(cache.counters().pieces, quint64(pieces.size()));
        QCOMPARE(cache.counters().standIns, standIns);
        cache.setView(QRectF(0, 0, 2048, 2048), 0.5);
        QCOMPARE(cache.counters().levelChanges, levels + 1);
        cache.setView(QRectF(0, 0, 2048, 2048), 0.5);
        cache.setView(QRectF(10, 0, 2048, 2048), 0.5);
        QCOMPARE(cache.counters().levelChanges, levels + 1);
    }

    void aViewNearALevelBoundaryDoesNotFlipLevels()
    {
        Source source;
        TileCache cache(std::ref(source), nullptr, 1);
        const QRectF view(0, 0, 800, 600);
        cache.setView(view, 1.0);
        QCOMPARE(cache.level(), 0);
        cache.setView(view, 1.03); // a little enlarged rather than a level of its own
        QCOMPARE(cache.level(), 0);
        cache.setView(view, 0.97);
        QCOMPARE(cache.level(), 0);
        cache.setView(view, 1.125);
        QCOMPARE(cache.level(), 0);
        cache.setView(view, 1.13);
        QCOMPARE(cache.level(), 1);
        cache.setView(view, 1.03); // level 1 still has enough pixels
        QCOMPARE(cache.level(), 1);
        cache.setView(view, 0.99);
        QCOMPARE(cache.level(), 0);
        cache.setView(view, 4.0); // further than one level: no lingering
        QCOMPARE(cache.level(), 2);
    }

    void theCacheKeepsToItsBudget()
    {
        Source source;
        QRandomGenerator random(3);
        for (int i = 0; i < 300; ++i) {
            const QPointF p(uniform(random, 0.0, 20000.0), uniform(random, 0.0, 2000.0));
            source.items.insert(u"s%1"_s.arg(i), stroke(u"s%1"_s.arg(i), {p, p + QPointF(30, 30)}, 5));
        }
        TileCache cache(std::ref(source), nullptr, 1);
        cache.setBudget(10);
        // The view wants at most 7 x 6 tiles (5 x 4 in view, and a ring around them); the pan visits ~470.
        for (double x = 0; x < 20000; x += 400) {
            cache.setView(QRectF(x, 0, 800, 600), 1.0);
            QTRY_VERIFY(cache.freshGeneration() > 0);
            QVERIFY2(cache.size() <= 42 + 10, qPrintable(QString::number(cache.size())));
        }
    }

    void goingAwayWithJobsInFlightIsSafe()
    {
        Source source;
        for (int i = 0; i < 200; ++i)
            source.items.insert(u"s%1"_s.arg(i), stroke(u"s%1"_s.arg(i), {{i * 10.0, 0}, {i * 10.0, 2000}}, 3));
        {
            TileCache cache(std::ref(source), nullptr, 2);
            cache.setView(QRectF(0, 0, 2000, 2000), 1.0);
            QVERIFY(cache.jobsInFlight() > 0);
        }
        TileCache cache(std::ref(source), nullptr, 2);
        cache.setView(QRectF(0, 0, 2000, 2000), 1.0);
        cache.clear();
        QCOMPARE(cache.size(), 0);
        QTRY_COMPARE(cache.jobsInFlight(), 0);
        // The results of the jobs that were running are dropped, and the view is painted again when asked.
        cache.setView(QRectF(0, 0, 1000, 1000), 1.0);
        QTRY_VERIFY(cache.freshGeneration() > 0);
    }
};

QTEST_MAIN(TestTiles)
#include "tst_ui_tiles.moc"
