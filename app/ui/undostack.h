#pragma once

#include "board.h"
#include "boardview.h"

#include <QList>

namespace inkroom::ui {

/** @brief Undo and redo of the user's own actions, as new ops.
 *
 * Undo never rewrites history: it makes the inverse op (an add is undone by a remove, a move by the opposite move,
 * an update by an update back to the old content, a remove or a clear by adding the items again). Before it acts,
 * it checks the current board so that it never removes or overwrites someone else's later work: an item somebody
 * else changed since is left alone.
 */
class UndoStack
{
public:
    //! The ops of one user action (cseq and the server fields are left for the sender to fill).
    using Action = QList<proto::Op>;

    //! Remember a user action, just before it is applied to board. Clears the redo stack.
    void record(const Action &action, const BoardView &board);

    //! The ops that undo the last action, given the board now; empty if there is nothing (left) to undo.
    [[nodiscard]] Action undo(const BoardView &board);
    //! The ops that redo the last undone action; empty if there is nothing to redo.
    [[nodiscard]] Action redo(const BoardView &board);

    [[nodiscard]] bool canUndo() const { return !m_undo.isEmpty(); }
    [[nodiscard]] bool canRedo() const { return !m_redo.isEmpty(); }
    void clear();

    static constexpr int Depth = 200;

private:
    struct Entry
    {
        Action forward;
        Action backward;
        //! Item states the forward action leaves behind; undo only touches items still in these states.
        QList<proto::Item> after;
        //! Item states the backward action leaves behind; redo checks these the same way.
        QList<proto::Item> before;
    };

    static Entry invert(const Action &action, const BoardView &board);
    static Action filterStale(const Action &ops, const QList<proto::Item> &expected, const BoardView &board);

    QList<Entry> m_undo;
    QList<Entry> m_redo;
};

} // namespace inkroom::ui
