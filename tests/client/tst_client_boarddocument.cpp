#include "boarddocument.h"
#include "boarditemsmodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::proto;

namespace {

Item stroke(const QString &id, int points = 3, double offset = 0)
{
    Item item;
    item.id = id;
    item.colour = 0xff112233;
    item.width = 2;
    for (int i = 0; i < points; ++i)
        item.points.append(QPointF(offset + i, offset + 2 * i));
    return item;
}

Op add(const Item &item, quint64 seq = 0)
{
    Op op;
    op.kind = OpKind::Add;
    op.item = item;
    op.seq = seq;
    op.cseq = 1;
    return op;
}

Op ofKind(OpKind kind, QStringList ids = {}, quint64 seq = 0)
{
    Op op;
    op.kind = kind;
    op.ids = std::move(ids);
    op.seq = seq;
    op.cseq = 1;
    if (kind == OpKind::Move) {
        op.dx = 10;
        op.dy = -5;
    }
    if (kind == OpKind::Chat)
        op.text = u"hi"_s;
    return op;
}

//! The reference: the confirmed board with the pending ops applied on top, the slow obvious way.
Board reference(const Board &confirmed, const QList<std::pair<quint64, Op>> &pending)
{
    Board view = confirmed;
    for (const auto &[key, op] : pending)
        view.applyUnsequenced(op, BoardDocument::PendingZBase + key);
    return view;
}

QHash<QString, Item> viewOf(const BoardDocument &doc)
{
    QHash<QString, Item> items;
    doc.forEachItem([&items](const Item &item) { items.insert(item.id, item); });
    return items;
}

Op randomOp(QRandomGenerator &rng)
{
    const QString id = u"i%1"_s.arg(rng.bounded(15));
    switch (rng.bounded(12)) {
    case 0:
        return ofKind(OpKind::Clear);
    case 1:
        return ofKind(OpKind::Chat);
    case 2:
    case 3:
        return ofKind(OpKind::Remove, {id, u"i%1"_s.arg(rng.bounded(15))});
    case 4:
    case 5:
        return ofKind(OpKind::Move, {id});
    case 6:
    case 7: {
        Op op = add(stroke(id, 1 + int(rng.bounded(4)), rng.bounded(100)));
        op.kind = OpKind::Update;
        return op;
    }
    default:
        return add(stroke(id, 1 + int(rng.bounded(4)), rng.bounded(100)));
    }
}

} // namespace

class TestBoardDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withNothingPendingTheViewIsTheConfirmedBoard()
    {
        BoardDocument doc;
        QSignalSpy changes(&doc, &BoardDocument::changed);
        doc.applyConfirmed(add(stroke(u"a"_s), 1));
        doc.applyConfirmed(add(stroke(u"b"_s), 2));
        QCOMPARE(doc.itemCount(), 2);
        QCOMPARE(changes.count(), 2);
        QCOMPARE(changes.at(0).at(0).value<BoardChange>().added, QStringList {u"a"_s});
        QVERIFY(doc.item(u"a"_s) == doc.confirmed().item(u"a"_s)); // the same object: no copy
        QCOMPARE(doc.item(u"b"_s)->z, 2);
        QVERIFY(!doc.isPending(u"a"_s));
        // Old and repeated ops change nothing and say nothing.
        doc.applyConfirmed(add(stroke(u"c"_s), 2));
        QCOMPARE(changes.count(), 2);
        QCOMPARE(doc.itemCount(), 2);
    }

    void pendingOpsAreDrawnOnTopAndMarked()
    {
        BoardDocument doc;
        doc.applyConfirmed(add(stroke(u"a"_s), 1));
        QSignalSpy changes(&doc, &BoardDocument::changed);
        doc.addPending(1, add(stroke(u"mine"_s)));
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).value<BoardChange>().added, QStringList {u"mine"_s});
        QVERIFY(doc.isPending(u"mine"_s));
        QVERIFY(doc.item(u"mine"_s)->z > limits::MaxSequence);
        QCOMPARE(doc.orderedItems().last().id, u"mine"_s);

        // Others' work arriving meanwhile lands below ours and names only what it touched.
        doc.applyConfirmed(add(stroke(u"theirs"_s), 2));
        QCOMPARE(changes.count(), 2);
        QCOMPARE(changes.at(1).at(0).value<BoardChange>().added, QStringList {u"theirs"_s});
        QCOMPARE(doc.orderedItems().last().id, u"mine"_s);
        QCOMPARE(doc.orderedItems().at(1).id, u"theirs"_s);

        // The ack moves it into the confirmed board at its seq: one change, the same item, no longer pending.
        Op acked = add(stroke(u"mine"_s), 3);
        doc.confirmPending(1, acked);
        QCOMPARE(changes.count(), 3);
        const BoardChange change = changes.at(2).at(0).value<BoardChange>();
        QCOMPARE(change.updated, QStringList {u"mine"_s});
        QVERIFY(change.added.isEmpty() && change.removed.isEmpty());
        QVERIFY(!doc.isPending(u"mine"_s));
        QCOMPARE(doc.item(u"mine"_s)->z, 3u);
        QCOMPARE(doc.pendingOpCount(), 0);
        QCOMPARE(doc.confirmed().seq(), 3u);
    }

    void rejectedOpsDisappearAndWhatTheyHidReturns()
    {
        BoardDocument doc;
        doc.applyConfirmed(add(stroke(u"a"_s), 1));
        doc.addPending(1, ofKind(OpKind::Remove, {u"a"_s}));
        QVERIFY(!doc.contains(u"a"_s));
        QVERIFY(doc.isPending(u"a"_s));
        QCOMPARE(doc.itemCount(), 0);
        QSignalSpy changes(&doc, &BoardDocument::changed);
        doc.removePending(1);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).value<BoardChange>().added, QStringList {u"a"_s});
        QVERIFY(doc.contains(u"a"_s));
        QCOMPARE(doc.itemCount(), 1);
    }

    void pendingWorkStaysOnTopOfOthersChangesToTheSameItem()
    {
        BoardDocument doc;
        doc.applyConfirmed(add(stroke(u"a"_s), 1));
        doc.addPending(1, ofKind(OpKind::Move, {u"a"_s}));
        const QPointF movedOnce = doc.item(u"a"_s)->points.first();
        QCOMPARE(movedOnce, QPointF(10, -5));
        // Somebody else moves it too: the view shows both moves, as the server will once ours arrives.
        Op theirs = ofKind(OpKind::Move, {u"a"_s}, 2);
        doc.applyConfirmed(theirs);
        QCOMPARE(doc.item(u"a"_s)->points.first(), QPointF(20, -10));
        QCOMPARE(doc.confirmed().item(u"a"_s)->points.first(), QPointF(10, -5));
    }

    void aPendingClearHidesEverythingButWhatComesAfterIt()
    {
        BoardDocument doc;
        for (int i = 0; i < 5; ++i)
            doc.applyConfirmed(add(stroke(u"c%1"_s.arg(i)), quint64(i + 1)));
        QSignalSpy resets(&doc, &BoardDocument::reset);
        doc.addPending(1, ofKind(OpKind::Clear));
        doc.addPending(2, add(stroke(u"after"_s)));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(doc.itemCount(), 1);
        QVERIFY(doc.contains(u"after"_s));
        // Others keep drawing: hidden too (the clear, once ordered, removes them).
        doc.applyConfirmed(add(stroke(u"late"_s), 6));
        QCOMPARE(doc.itemCount(), 1);
        doc.removePending(1); // the clear was rejected: everything is back
        QCOMPARE(doc.itemCount(), 7);
        QCOMPARE(resets.count(), 2);
    }

    void theViewIsAlwaysConfirmedPlusPending_data()
    {
        QTest::addColumn<quint32>("seed");
        const quint32 base = QRandomGenerator::global()->generate();
        for (quint32 i = 0; i < 20; ++i)
            QTest::addRow("seed %u", base + i) << base + i;
    }

    void theViewIsAlwaysConfirmedPlusPending()
    {
        // Random confirmed ops, pending ops, acks and rejects; after every step the view equals the reference
        // (confirmed board with the pending ops applied on top), the model follows, and every change signal
        // names exactly the items whose view changed.
        QFETCH(quint32, seed);
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        BoardDocument doc;
        BoardItemsModel model(&doc);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<std::pair<quint64, Op>> pending;
        quint64 seq = 0;
        quint64 key = 0;
        QHash<QString, Item> shown;
        connect(&doc, &BoardDocument::reset, this, [&] { shown = viewOf(doc); });
        connect(&doc, &BoardDocument::changed, this, [&](const BoardChange &change) {
            for (const QString &id : change.removed)
                QVERIFY2(shown.remove(id) && !doc.contains(id), qPrintable(id));
            for (const QString &id : change.added) {
                QVERIFY2(!shown.contains(id) && doc.contains(id), qPrintable(id));
                shown.insert(id, *doc.item(id));
            }
            for (const QString &id : change.updated) {
                QVERIFY(shown.contains(id) && doc.contains(id));
                shown.insert(id, *doc.item(id));
            }
        });
        for (int step = 0; step < 400; ++step) {
            const int what = int(rng.bounded(10));
            if (what < 4) {
                Op op = randomOp(rng);
                op.seq = ++seq;
                doc.applyConfirmed(op);
            } else if (what < 7) {
                Op op = randomOp(rng);
                if (op.kind == OpKind::Chat)
                    continue;
                pending.append({++key, op});
                doc.addPending(key, op);
            } else if (!pending.isEmpty() && what < 9) {
                auto [k, op] = pending.takeFirst();
                op.seq = ++seq;
                doc.confirmPending(k, op);
            } else if (!pending.isEmpty()) {
                const auto [k, op] = pending.takeAt(rng.bounded(pending.size()));
                doc.removePending(k);
            }
            const Board expected = reference(doc.confirmed(), pending);
            const QHash<QString, Item> actual = viewOf(doc);
            QCOMPARE(actual.size(), expected.size());
            QCOMPARE(doc.itemCount(), int(expected.size()));
            for (auto it = expected.items().cbegin(); it != expected.items().cend(); ++it) {
                QVERIFY2(actual.contains(it.key()), qPrintable(it.key()));
                QVERIFY2(actual.value(it.key()) == it.value(), qPrintable(it.key()));
            }
            QCOMPARE(shown.size(), actual.size());
            for (auto it = actual.cbegin(); it != actual.cend(); ++it)
                QVERIFY2(shown.value(it.key()) == it.value(), qPrintable(it.key()));
            QCOMPARE(model.rowCount(), int(actual.size()));
            const QList<Item> ordered = doc.orderedItems();
            for (int row = 0; row < model.rowCount(); ++row) {
                const QModelIndex index = model.index(row);
                QCOMPARE(index.data(BoardItemsModel::IdRole).toString(), ordered.at(row).id);
                QCOMPARE(index.data(BoardItemsModel::PendingRole).toBool(), doc.isPending(ordered.at(row).id));
            }
        }
    }

    void bigBoardsUpdateOnlyWhatChanged()
    {
        // 10,000 strokes of 100 points; then 2,000 ops from others while this client has work pending. No
        // resets, each change names one item, and the whole run stays far below a frame per op.
        BoardDocument doc;
        QList<Item> items;
        for (int i = 0; i < 10000; ++i) {
            Item item = stroke(u"s%1"_s.arg(i), 100, i);
            item.z = qint64(i) + 1;
            items.append(item);
        }
        doc.resetConfirmed(10000, items);
        BoardItemsModel model(&doc);
        QCOMPARE(doc.itemCount(), 10000);
        QCOMPARE(model.rowCount(), 10000);
        doc.addPending(1, add(stroke(u"mine"_s, 100)));
        doc.addPending(2, ofKind(OpKind::Move, {u"s5"_s}));

        QSignalSpy resets(&doc, &BoardDocument::reset);
        QSignalSpy modelResets(&model, &QAbstractItemModel::modelReset);
        int largest = 0;
        connect(&doc, &BoardDocument::changed, this, [&largest](const BoardChange &change) {
            largest = std::max(largest, int(change.added.size() + change.updated.size() + change.removed.size()));
        });
        QElapsedTimer timer;
        timer.start();
        quint64 seq = 10000;
        for (int i = 0; i < 2000; ++i) {
            Op op;
            if (i % 4 == 0) {
                op = ofKind(OpKind::Move, {u"s%1"_s.arg(i)});
            } else if (i % 4 == 1) {
                op = ofKind(OpKind::Remove, {u"s%1"_s.arg(i)});
            } else {
                op = add(stroke(u"n%1"_s.arg(i), 100));
            }
            op.seq = ++seq;
            doc.applyConfirmed(op);
        }
        doc.confirmPending(1, add(stroke(u"mine"_s, 100), ++seq));
        const qint64 elapsed = timer.elapsed();
        qInfo("2,001 ops on a 10,000-stroke board with pending work: %lld ms", elapsed);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(modelResets.count(), 0);
        QCOMPARE(largest, 1);
        QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(doc.itemCount(), 10000 - 500 + 1000 + 1);
        QCOMPARE(model.rowCount(), doc.itemCount());
        QCOMPARE(model.idAt(model.rowCount() - 1), u"mine"_s);
        QCOMPARE(doc.item(u"mine"_s)->z, seq);
    }

    void hitTesting()
    {
        BoardDocument doc;
        Item line;
        line.id = u"line"_s;
        line.kind = ItemKind::Line;
        line.width = 4;
        line.points = {{0, 0}, {100, 0}};
        Item box;
        box.id = u"box"_s;
        box.kind = ItemKind::Rect;
        box.width = 2;
        box.points = {{40, -20}, {60, 20}};
        box.fill = 0xffff0000;
        doc.applyConfirmed(add(line, 1));
        doc.applyConfirmed(add(box, 2));
        QCOMPARE(doc.itemAt({10, 1}), u"line"_s);
        QCOMPARE(doc.itemAt({50, 0}), u"box"_s); // the filled box is on top
        QCOMPARE(doc.itemAt({10, 30}), QString());
        QCOMPARE(doc.itemsInRect(QRectF(-10, -10, 120, 20), true), QStringList {u"line"_s});
        QCOMPARE(doc.itemsInRect(QRectF(45, -5, 5, 5), false), (QStringList {u"line"_s, u"box"_s}));
        QVERIFY(doc.contentBounds().contains(QRectF(0, -20, 100, 40)));
    }
};

QTEST_GUILESS_MAIN(TestBoardDocument)
#include "tst_client_boarddocument.moc"
