#include "boardscene.h"
#include "boardview.h"

#include <QRandomGenerator>
#include <QTest>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

namespace {

Op addOp(quint64 seq, const QString &id)
{
    Op op;
    op.kind = OpKind::Add;
    op.seq = seq;
    op.item.id = id;
    op.item.points = {{double(seq), 0}, {double(seq) + 5, 5}};
    return op;
}

//! The scene's items, bottom to top, as (z, id) pairs.
QList<QString> sceneOrder(const BoardScene &scene)
{
    QList<QString> ids;
    for (const auto &chunk : scene.chunks()) {
        for (const auto &entry : chunk->items)
            ids.append(entry.second);
    }
    return ids;
}

QList<QString> boardOrder(const Board &board)
{
    QList<QString> ids;
    for (const Item &item : board.orderedItems())
        ids.append(item.id);
    return ids;
}

} // namespace

class TestBoardScene : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chunksFollowRandomChanges()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        Board board;
        BoardScene scene;
        scene.reset(PlainBoardView(board));
        quint64 seq = 0;
        for (int step = 0; step < 3000; ++step) {
            BoardChange change;
            const int choice = rng.bounded(10);
            if (choice < 6) {
                ++seq;
                board.apply(addOp(seq, QStringLiteral("i%1").arg(seq)), &change);
            } else if (choice < 9 && board.size() > 0) {
                Op remove;
                remove.kind = OpKind::Remove;
                remove.seq = ++seq;
                const QStringList keys = board.items().keys();
                remove.ids = {keys.at(rng.bounded(int(keys.size())))};
                board.apply(remove, &change);
            } else {
                // A pending item (high z) that is later acknowledged at a normal z.
                Op pending = addOp(0, QStringLiteral("p%1").arg(step));
                board.applyUnsequenced(pending, 1'000'000'000 + quint64(step), &change);
            }
            scene.apply(PlainBoardView(board), change);
        }
        QCOMPARE(sceneOrder(scene), boardOrder(board));
        QCOMPARE(scene.itemCount(), board.size());
        for (const auto &chunk : scene.chunks()) {
            QVERIFY(!chunk->items.empty());
            QVERIFY(int(chunk->items.size()) < 2 * BoardScene::ChunkCapacity);
        }
    }

    //! One change rebuilds one chunk, not the board.
    void anEditRebuildsOnlyItsChunk()
    {
        Board board;
        for (quint64 i = 1; i <= 2000; ++i)
            board.apply(addOp(i, QStringLiteral("i%1").arg(i)));
        BoardScene scene;
        scene.reset(PlainBoardView(board));
        QCOMPARE(scene.rebuildDirty(PlainBoardView(board)).size(), qsizetype(scene.chunks().size()));
        QVERIFY(scene.chunks().size() >= 2000 / BoardScene::ChunkCapacity);

        BoardChange change;
        board.apply(addOp(2001, QStringLiteral("new")), &change);
        scene.apply(PlainBoardView(board), change);
        QCOMPARE(scene.rebuildDirty(PlainBoardView(board)).size(), 1);

        Op move;
        move.kind = OpKind::Move;
        move.seq = 2002;
        move.ids = {QStringLiteral("i10")};
        move.dx = 5;
        change = {};
        board.apply(move, &change);
        scene.apply(PlainBoardView(board), change);
        QCOMPARE(scene.rebuildDirty(PlainBoardView(board)).size(), 1);
    }

    void detachAndAttach()
    {
        Board board;
        for (quint64 i = 1; i <= 10; ++i)
            board.apply(addOp(i, QStringLiteral("i%1").arg(i)));
        BoardScene scene;
        scene.reset(PlainBoardView(board));
        scene.detach({QStringLiteral("i3"), QStringLiteral("i4")});
        QCOMPARE(scene.itemCount(), 8);
        scene.attach(PlainBoardView(board), {QStringLiteral("i3"), QStringLiteral("i4")});
        QCOMPARE(sceneOrder(scene), boardOrder(board));
    }
};

QTEST_GUILESS_MAIN(TestBoardScene)
#include "tst_ui_boardscene.moc"
