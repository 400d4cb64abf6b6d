#include "tessellator.h"

#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestTessellator)
#include "tst_ui_tessellator.moc"
