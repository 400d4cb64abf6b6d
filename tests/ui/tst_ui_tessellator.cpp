#include "tessellator.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

namespace {

Item make(ItemKind kind, QList<QPointF> points, double width = 4)
{
    Item item;
    item.id = QStringLiteral("i");
    item.kind = kind;
    item.width = width;
    item.colour = 0x80ff0000;
    item.points = std::move(points);
    return item;
}

//! Distance from p to the segment a-b.
double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF d = b - a;
    const double length2 = d.x() * d.x() + d.y() * d.y();
    const double t = length2 > 0 ? std::clamp(((p - a).x() * d.x() + (p - a).y() * d.y()) / length2, 0.0, 1.0) : 0;
    const QPointF q = a + d * t;
    return std::hypot(p.x() - q.x(), p.y() - q.y());
}

} // namespace

class TestTessellator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void strokeVerticesStayNearThePath()
    {
        std::vector<Vertex> out;
        Tessellator t(out);
        const Item stroke = make(ItemKind::Stroke, {{0, 0}, {100, 0}, {100, 100}, {50, 120}}, 6);
        t.addItem(stroke);
        QVERIFY(out.size() >= 8);
        const QRectF bounds = QRectF(0, 0, 100, 120).adjusted(-6 * 2.5, -6 * 2.5, 6 * 2.5, 6 * 2.5);
        for (const Vertex &v : out) {
            QVERIFY(std::isfinite(v.x) && std::isfinite(v.y));
            QVERIFY2(bounds.contains(QPointF(v.x, v.y)), qPrintable(QStringLiteral("%1,%2").arg(v.x).arg(v.y)));
        }
    }

    //! A pen's stroke is as wide at each point as its width there: thin where the pen pressed lightly.
    void aPressureStrokeFollowsItsWidths()
    {
        Item stroke = make(ItemKind::Stroke, {{0, 0}, {50, 0}, {100, 0}}, 20);
        stroke.widths = {2, 10, 20};
        std::vector<Vertex> out;
        Tessellator(out).addItem(stroke);
        QVERIFY(!out.empty());
        // The farthest any vertex lies from the line, near each end.
        const auto reach = [&out](double x0, double x1) {
            double most = 0;
            for (const Vertex &v : out) {
                if (v.x >= x0 && v.x <= x1)
                    most = std::max(most, double(std::abs(v.y)));
            }
            return most;
        };
        QVERIFY2(reach(-2, 2) <= 1.01, qPrintable(QString::number(reach(-2, 2))));
        QVERIFY2(reach(98, 110) >= 9.99 && reach(98, 110) <= 10.01, qPrintable(QString::number(reach(98, 110))));
        // Without widths, the whole stroke has the item's width.
        std::vector<Vertex> even;
        stroke.widths.clear();
        Tessellator(even).addItem(stroke);
        for (const Vertex &v : even)
            QVERIFY(std::abs(v.y) <= 10.01);
        QVERIFY(std::any_of(even.cbegin(), even.cend(), [](const Vertex &v) { return v.x < 1 && std::abs(v.y) > 9; }));
    }

    //! Heads go where an item asks for them: a line may have one at its start, an arrow none.
    void headsFollowTheItem()
    {
        const auto vertices = [](ItemKind kind, std::optional<Heads> heads) {
            Item line = make(kind, {{0, 0}, {100, 0}}, 2);
            line.heads = heads;
            std::vector<Vertex> out;
            Tessellator(out).addItem(line);
            return out;
        };
        // Far from the line near an end: a head's wing.
        const auto wingNear = [](const std::vector<Vertex> &out, double x) {
            return std::any_of(out.cbegin(), out.cend(),
                               [x](const Vertex &v) { return std::abs(v.x - x) < 12 && std::abs(v.y) > 3; });
        };
        const std::vector<Vertex> arrow = vertices(ItemKind::Arrow, std::nullopt);
        QVERIFY(wingNear(arrow, 95) && !wingNear(arrow, 5));
        const std::vector<Vertex> line = vertices(ItemKind::Line, std::nullopt);
        QVERIFY(!wingNear(line, 95) && !wingNear(line, 5));
        const std::vector<Vertex> start = vertices(ItemKind::Line, Heads::Start);
        QVERIFY(!wingNear(start, 95) && wingNear(start, 5));
        const std::vector<Vertex> both = vertices(ItemKind::Arrow, Heads::Both);
        QVERIFY(wingNear(both, 95) && wingNear(both, 5));
        const std::vector<Vertex> none = vertices(ItemKind::Arrow, Heads::None);
        QVERIFY(!wingNear(none, 95) && !wingNear(none, 5));
    }

    void coloursArePremultiplied()
    {
        std::vector<Vertex> out;
        Tessellator(out).addItem(make(ItemKind::Line, {{0, 0}, {10, 10}}));
        QVERIFY(!out.empty());
        QCOMPARE(int(out.front().a), 0x80);
        QCOMPARE(int(out.front().r), 0x80); // 0xff * 0x80 / 0xff
        QCOMPARE(int(out.front().g), 0);
    }

    void everyKindProducesGeometryExceptText()
    {
        for (ItemKind kind : {ItemKind::Stroke, ItemKind::Line, ItemKind::Arrow, ItemKind::Rect, ItemKind::Ellipse}) {
            std::vector<Vertex> out;
            Tessellator(out).addItem(make(kind, {{0, 0}, {40, 30}}));
            QVERIFY2(out.size() >= 4, qPrintable(itemKindName(kind)));
        }
        std::vector<Vertex> out;
        Item text = make(ItemKind::Text, {{0, 0}});
        text.text = QStringLiteral("hi");
        Tessellator(out).addItem(text);
        QVERIFY(out.empty());
    }

    void singlePointAndDuplicatePointsAreSafe()
    {
        std::vector<Vertex> out;
        Tessellator t(out);
        t.addItem(make(ItemKind::Stroke, {{5, 5}}));
        t.addItem(make(ItemKind::Stroke, {{5, 5}, {5, 5}, {5, 5}}));
        t.addItem(make(ItemKind::Rect, {{1, 1}, {1, 1}}));
        for (const Vertex &v : out)
            QVERIFY(std::isfinite(v.x) && std::isfinite(v.y));
        QVERIFY(!out.empty());
    }

    //! Strips are joined with degenerate triangles: two items give one strip that starts with the first item.
    void itemsShareOneStrip()
    {
        std::vector<Vertex> one;
        Tessellator(one).addItem(make(ItemKind::Line, {{0, 0}, {10, 0}}));
        std::vector<Vertex> two;
        Tessellator t(two);
        t.addItem(make(ItemKind::Line, {{0, 0}, {10, 0}}));
        t.addItem(make(ItemKind::Line, {{0, 50}, {10, 50}}));
        QVERIFY(two.size() > 2 * one.size());
        QCOMPARE(two[one.size()].x, one.back().x); // the degenerate repeat of the previous last vertex
    }
    //! With a fringe, a line's edge fades from its colour to transparent across one pixel, centred on the edge.
    void aFringeFadesAcrossTheEdge()
    {
        std::vector<Vertex> out;
        Tessellator(out, 1.0).addItem(make(ItemKind::Stroke, {{0, 0}, {100, 0}}, 6));
        int clear = 0;
        int opaque = 0;
        for (const Vertex &v : out) {
            const double d = distanceToSegment(QPointF(v.x, v.y), {0, 0}, {100, 0});
            if (v.a == 0) {
                ++clear;
                QCOMPARE(int(v.r) + int(v.g) + int(v.b), 0); // premultiplied: transparent is all zero
                QVERIFY2(std::abs(d - 3.5) < 1e-4, qPrintable(QStringLiteral("clear at %1").arg(d)));
            } else {
                ++opaque;
                QCOMPARE(int(v.a), 0x80);
                QVERIFY2(d <= 2.5 + 1e-4, qPrintable(QStringLiteral("opaque at %1").arg(d)));
            }
        }
        QVERIFY(clear >= 4 + 2 * 5); // both sides and both round caps
        QVERIFY(opaque >= clear);
        // Without a fringe, nothing is transparent and the edge is at the half width.
        out.clear();
        Tessellator(out).addItem(make(ItemKind::Stroke, {{0, 0}, {100, 0}}, 6));
        for (const Vertex &v : out) {
            QCOMPARE(int(v.a), 0x80);
            QVERIFY(distanceToSegment(QPointF(v.x, v.y), {0, 0}, {100, 0}) <= 3 + 1e-4);
        }
    }

    void linesThinnerThanAPixelAreAPixelWideAndFainter()
    {
        std::vector<Vertex> out;
        Tessellator(out, 2.0).addItem(make(ItemKind::Line, {{0, 0}, {50, 50}}, 0.5)); // a quarter of a pixel
        QVERIFY(!out.empty());
        for (const Vertex &v : out) {
            QVERIFY(v.a == 0 || v.a == 0x20); // 0x80 x 0.25
            QVERIFY(distanceToSegment(QPointF(v.x, v.y), {0, 0}, {50, 50}) <= 2.0 + 1e-4);
        }
    }

    void fillsFadeOutwardsWhicheverWayRoundTheyGo()
    {
        for (const QList<QPointF> &corners :
             {QList<QPointF>({{10, 10}, {50, 40}}), QList<QPointF>({{50, 40}, {10, 10}})}) {
            std::vector<Vertex> out;
            Item rect = make(ItemKind::Rect, corners, 2);
            rect.fill = 0xff00ff00;
            Tessellator(out, 1.0).addItem(rect);
            const QRectF inside(10, 10, 40, 30);
            int fillFringe = 0;
            for (const Vertex &v : out) {
                if (v.a == 0 && v.g == 0 && !inside.adjusted(-1.5, -1.5, 1.5, 1.5).contains(QPointF(v.x, v.y)))
                    QFAIL(qPrintable(QStringLiteral("fringe vertex too far out: %1,%2").arg(v.x).arg(v.y)));
                if (v.a == 0 && std::abs(v.x - 9) < 1e-4 && std::abs(v.y - 9) < 1e-4)
                    ++fillFringe; // the fill's own fringe, a pixel out from its corner along the diagonal
            }
            QVERIFY(fillFringe >= 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestTessellator)
#include "tst_ui_tessellator.moc"
