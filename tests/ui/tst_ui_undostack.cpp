#include "undostack.h"

#include <QTest>

using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::ui;

namespace {

//! A tiny stand-in for the room: sequences and applies ops as the server would.
struct Room
{
    Board board;
    void apply(QList<Op> ops)
    {
        for (Op &op : ops) {
            op.seq = board.seq() + 1;
            board.apply(op);
        }
    }
};

Op add(const QString &id, double x = 0)
{
    Op op;
    op.kind = OpKind::Add;
    op.item.id = id;
    op.item.points = {{x, 0}, {x + 1, 1}};
    return op;
}

Op move(const QStringList &ids, double dx)
{
    Op op;
    op.kind = OpKind::Move;
    op.ids = ids;
    op.dx = dx;
    return op;
}

} // namespace

class TestUndoStack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void undoAndRedoAnAdd()
    {
        Room room;
        UndoStack undo;
        undo.record({add(QStringLiteral("a"))}, PlainBoardView(room.board));
        room.apply({add(QStringLiteral("a"))});
        room.apply(undo.undo(PlainBoardView(room.board)));
        QVERIFY(!room.board.contains(QStringLiteral("a")));
        QVERIFY(undo.canRedo());
        room.apply(undo.redo(PlainBoardView(room.board)));
        QVERIFY(room.board.contains(QStringLiteral("a")));
    }

    void undoAMoveAndAnUpdate()
    {
        Room room;
        room.apply({add(QStringLiteral("a"), 10)});
        UndoStack undo;
        undo.record({move({QStringLiteral("a")}, 5)}, PlainBoardView(room.board));
        room.apply({move({QStringLiteral("a")}, 5)});
        QCOMPARE(room.board.item(QStringLiteral("a"))->points[0].x(), 15.0);
        room.apply(undo.undo(PlainBoardView(room.board)));
        QCOMPARE(room.board.item(QStringLiteral("a"))->points[0].x(), 10.0);
        room.apply(undo.redo(PlainBoardView(room.board)));
        QCOMPARE(room.board.item(QStringLiteral("a"))->points[0].x(), 15.0);

        Op update = add(QStringLiteral("a"), 99);
        update.kind = OpKind::Update;
        undo.record({update}, PlainBoardView(room.board));
        room.apply({update});
        room.apply(undo.undo(PlainBoardView(room.board)));
        QCOMPARE(room.board.item(QStringLiteral("a"))->points[0].x(), 15.0);
    }

    void undoARemoveBringsItBackInPlace()
    {
        Room room;
        room.apply({add(QStringLiteral("a")), add(QStringLiteral("b"))});
        UndoStack undo;
        Op remove;
        remove.kind = OpKind::Remove;
        remove.ids = {QStringLiteral("a")};
        undo.record({remove}, PlainBoardView(room.board));
        room.apply({remove});
        room.apply(undo.undo(PlainBoardView(room.board)));
        QVERIFY(room.board.contains(QStringLiteral("a")));
    }

    //! Undo never takes away what somebody else did after us.
    void undoLeavesOthersWorkAlone()
    {
        Room room;
        UndoStack undo;
        undo.record({add(QStringLiteral("mine"))}, PlainBoardView(room.board));
        room.apply({add(QStringLiteral("mine"))});
        room.apply({move({QStringLiteral("mine")}, 50)}); // somebody else moved it since
        QVERIFY(undo.undo(PlainBoardView(room.board)).isEmpty());
        QVERIFY(room.board.contains(QStringLiteral("mine")));

        // Undoing a clear restores everything; redoing it removes only what the undo restored.
        Room other;
        other.apply({add(QStringLiteral("x")), add(QStringLiteral("y"))});
        UndoStack clears;
        Op clear;
        clear.kind = OpKind::Clear;
        clears.record({clear}, PlainBoardView(other.board));
        other.apply({clear});
        other.apply(clears.undo(PlainBoardView(other.board)));
        QCOMPARE(other.board.size(), 2);
        other.apply({add(QStringLiteral("later"))}); // drawn by someone else after the undo
        other.apply(clears.redo(PlainBoardView(other.board)));
        QCOMPARE(other.board.size(), 1);
        QVERIFY(other.board.contains(QStringLiteral("later")));
    }

    void depthIsBounded()
    {
        Room room;
        UndoStack undo;
        for (int i = 0; i < UndoStack::Depth + 50; ++i) {
            const Op op = add(QStringLiteral("i%1").arg(i));
            undo.record({op}, PlainBoardView(room.board));
            room.apply({op});
        }
        int undone = 0;
        while (undo.canUndo()) {
            room.apply(undo.undo(PlainBoardView(room.board)));
            ++undone;
        }
        QCOMPARE(undone, UndoStack::Depth);
        QCOMPARE(room.board.size(), 50);
    }
};

QTEST_GUILESS_MAIN(TestUndoStack)
#include "tst_ui_undostack.moc"
