#include "board.h"
#include "protocollimits.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;

namespace {

Item makeItem(const QString &id, ItemKind kind = ItemKind::Stroke, QList<QPointF> points = {{0, 0}, {1, 1}})
{
    Item item;
    item.id = id;
    item.kind = kind;
    item.points = std::move(points);
    return item;
}

Op addOp(quint64 seq, const Item &item)
{
    Op op;
    op.kind = OpKind::Add;
    op.seq = seq;
    op.cseq = seq;
    op.item = item;
    return op;
}

//! A random but valid op over a small id space, so that ops often collide on the same items.
Op randomOp(QRandomGenerator &rng, quint64 seq)
{
    Op op;
    op.seq = seq;
    op.cseq = seq;
    op.client = u"client-%1"_s.arg(rng.bounded(3));
    const QString id = u"i%1"_s.arg(rng.bounded(12));
    const auto coordinate = [&rng] { return (rng.generateDouble() - 0.5) * 2 * limits::MaxCoordinate; };
    switch (rng.bounded(20)) {
    case 0:
        op.kind = OpKind::Clear;
        break;
    case 1:
    case 2:
        op.kind = OpKind::Chat;
        op.text = u"hi"_s;
        break;
    case 3:
    case 4:
    case 5:
        op.kind = OpKind::Remove;
        op.ids = {id, u"i%1"_s.arg(rng.bounded(12))};
        break;
    case 6:
    case 7:
    case 8:
        op.kind = OpKind::Move;
        op.ids = {id};
        op.dx = coordinate();
        op.dy = coordinate() / 1000;
        break;
    case 9:
    case 10:
        op.kind = OpKind::Update;
        op.item = makeItem(id, rng.bounded(2) ? ItemKind::Stroke : ItemKind::Text, {{coordinate(), coordinate()}});
        op.item.text = u"t"_s;
        op.item.width = 1 + rng.bounded(10);
        break;
    default: {
        op.kind = OpKind::Add;
        QList<QPointF> points;
        for (int i = 0, n = 1 + rng.bounded(20); i < n; ++i)
            points.append({coordinate(), coordinate()});
        op.item = makeItem(id, ItemKind::Stroke, points);
        op.item.colour = rng.generate();
        break;
    }
    }
    return op;
}

} // namespace

class TestBoard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void restackGivesTheOrdersItNamesAndPassesOverUnknownIds()
    {
        Board board;
        for (int i = 1; i <= 3; ++i)
            QVERIFY(board.apply(addOp(quint64(i), makeItem(u"i%1"_s.arg(i)))));
        Op restack;
        restack.kind = OpKind::Restack;
        restack.seq = 4;
        restack.ids = {u"i3"_s, u"gone"_s, u"i1"_s};
        restack.z = {-2, -7, 10};
        BoardChange change;
        QVERIFY(board.apply(restack, &change));
        QCOMPARE(change.updated, (QStringList {u"i3"_s, u"i1"_s}));
        QStringList order;
        for (const Item &item : board.orderedItems())
            order << item.id;
        QCOMPARE(order, (QStringList {u"i3"_s, u"i2"_s, u"i1"_s}));
        QVERIFY(!board.contains(u"gone"_s));
        // The same order twice changes nothing; an update keeps the order a restack gave.
        restack.seq = 5;
        change = {};
        QVERIFY(board.apply(restack, &change));
        QVERIFY(change.isEmpty());
        Op update = addOp(6, makeItem(u"i3"_s, ItemKind::Stroke, {{5, 5}}));
        update.kind = OpKind::Update;
        QVERIFY(board.apply(update));
        QCOMPARE(board.item(u"i3"_s)->z, -2);
        // Boards that applied the same log are equal to the bit, orders included.
        Board copy;
        copy.reset(board.seq(), board.orderedItems());
        QCOMPARE(copy.digest(), board.digest());
    }

    void addUpdateRemove()
    {
        Board board;
        BoardChange change;
        QVERIFY(board.apply(addOp(1, makeItem(u"a"_s)), &change));
        QCOMPARE(change.added, QStringList {u"a"_s});
        QCOMPARE(board.item(u"a"_s)->z, 1);

        // An add whose id exists changes nothing (first writer wins, deterministically).
        Item other = makeItem(u"a"_s, ItemKind::Stroke, {{9, 9}});
        change = {};
        QVERIFY(board.apply(addOp(2, other), &change));
        QVERIFY(change.isEmpty());
        QCOMPARE(board.item(u"a"_s)->points.first(), QPointF(0, 0));
        QCOMPARE(board.seq(), 2u);

        Op update = addOp(3, other);
        update.kind = OpKind::Update;
        QVERIFY(board.apply(update, &change));
        QCOMPARE(change.updated, QStringList {u"a"_s});
        QCOMPARE(board.item(u"a"_s)->points.first(), QPointF(9, 9));
        QCOMPARE(board.item(u"a"_s)->z, 1); // keeps its place in the stack

        // An update may not change an item's kind.
        Op kindChange = update;
        kindChange.seq = 4;
        kindChange.item.kind = ItemKind::Text;
        kindChange.item.text = u"x"_s;
        change = {};
        board.apply(kindChange, &change);
        QVERIFY(change.isEmpty());
        QCOMPARE(board.item(u"a"_s)->kind, ItemKind::Stroke);

        Op remove;
        remove.kind = OpKind::Remove;
        remove.seq = 5;
        remove.ids = {u"a"_s, u"missing"_s};
        QVERIFY(board.apply(remove, &change));
        QCOMPARE(change.removed, QStringList {u"a"_s});
        QCOMPARE(board.size(), 0);
    }

    void opsOnMissingItemsChangeNothing()
    {
        Board board;
        board.apply(addOp(1, makeItem(u"a"_s)));
        const QByteArray before = board.digest();
        Op move;
        move.kind = OpKind::Move;
        move.seq = 2;
        move.ids = {u"ghost"_s};
        move.dx = 5;
        BoardChange change;
        board.apply(move, &change);
        QVERIFY(change.isEmpty());
        Op update = addOp(3, makeItem(u"ghost"_s));
        update.kind = OpKind::Update;
        board.apply(update, &change);
        QVERIFY(change.isEmpty());
        QCOMPARE(board.size(), 1);
        QVERIFY(board.digest() != before); // only the sequence moved
        QCOMPARE(board.seq(), 3u);
    }

    void moveClampsToTheBoard()
    {
        Board board;
        board.apply(addOp(1, makeItem(u"a"_s, ItemKind::Stroke, {{limits::MaxCoordinate - 1, 0}})));
        Op move;
        move.kind = OpKind::Move;
        move.seq = 2;
        move.ids = {u"a"_s};
        move.dx = limits::MaxMoveDelta;
        board.apply(move);
        QCOMPARE(board.item(u"a"_s)->points.first().x(), limits::MaxCoordinate);
        QVERIFY(!validateItem(*board.item(u"a"_s), QString()));
    }

    void clearRemovesEverything()
    {
        Board board;
        for (quint64 i = 1; i <= 5; ++i)
            board.apply(addOp(i, makeItem(u"i%1"_s.arg(i))));
        Op clear;
        clear.kind = OpKind::Clear;
        clear.seq = 6;
        BoardChange change;
        board.apply(clear, &change);
        QVERIFY(change.cleared);
        QCOMPARE(change.removed.size(), 5);
        QCOMPARE(board.size(), 0);
    }

    void staleAndDuplicateOpsAreIgnored()
    {
        Board board;
        board.apply(addOp(5, makeItem(u"a"_s)));
        QVERIFY(!board.apply(addOp(5, makeItem(u"b"_s))));
        QVERIFY(!board.apply(addOp(3, makeItem(u"c"_s))));
        QCOMPARE(board.size(), 1);
        QCOMPARE(board.seq(), 5u);
    }

    void unsequencedOpsDoNotMoveTheSequence()
    {
        Board board;
        board.apply(addOp(4, makeItem(u"a"_s)));
        Op pending = addOp(0, makeItem(u"p"_s));
        board.applyUnsequenced(pending, 1000);
        QCOMPARE(board.seq(), 4u);
        QCOMPARE(board.item(u"p"_s)->z, 1000);
        QCOMPARE(board.orderedItems().last().id, u"p"_s);
    }

    void snapshotResetRoundTrip()
    {
        Board board;
        for (quint64 i = 1; i <= 20; ++i)
            board.apply(addOp(i, makeItem(u"i%1"_s.arg(i))));
        Board copy;
        copy.reset(board.seq(), board.orderedItems());
        QVERIFY(copy == board);
        QCOMPARE(copy.digest(), board.digest());
    }

    /** The sync model's core property: the board is a pure function of the ordered log. The same ops in the same
     *  order give identical boards; replaying any prefix, duplicating ops, or restarting from a snapshot taken at
     *  any point changes nothing. */
    void sameLogSameBoard()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        constexpr int runs = 200;
        for (int run = 0; run < runs; ++run) {
            QList<Op> log;
            const int length = 1 + rng.bounded(120);
            for (int i = 1; i <= length; ++i)
                log.append(randomOp(rng, quint64(i)));

            Board a;
            Board b;
            for (const Op &op : log)
                a.apply(op);

            // b sees the same log with replays and duplicates mixed in, and restarts from a snapshot midway.
            const int snapshotAt = rng.bounded(length + 1);
            for (int i = 0; i < log.size(); ++i) {
                if (i == snapshotAt) {
                    Board restarted;
                    restarted.reset(b.seq(), b.orderedItems());
                    b = restarted;
                }
                b.apply(log[i]);
                if (rng.bounded(4) == 0)
                    b.apply(log[i]); // immediate duplicate
                if (rng.bounded(6) == 0)
                    b.apply(log[rng.bounded(i + 1)]); // replay of an earlier op
            }
            QVERIFY2(a == b, qPrintable(u"seed %1 run %2"_s.arg(seed).arg(run)));
            QCOMPARE(a.digest(), b.digest());
            for (const Item &item : a.items())
                QVERIFY(!validateItem(item, QString()));
        }
        qInfo("%d randomized runs passed", runs);
    }
};

QTEST_GUILESS_MAIN(TestBoard)
#include "tst_shared_board.moc"
