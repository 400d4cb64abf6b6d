#pragma once

#include "protocol.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

namespace inkroom::client {

class BoardDocument;

/** @brief Undo and redo of this user's own board changes, never of anybody else's.
 *
 * A step is the ops a change made and the ops that take it back. Undoing or redoing a step touches only the items
 * that are still exactly as this user's last step left them: what somebody else changed since stays as they left
 * it (a removal is not undone over someone's new item, a move not redone over someone's edit).
 */
class UndoStack : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxSteps = 200;

    UndoStack(const BoardDocument *board, QObject *parent = nullptr);
    //! How an undo or redo sends its ops (the Session's submit, without recording a new step).
    void setSubmit(std::function<bool(const proto::Op &)> submit) { m_submit = std::move(submit); }

    [[nodiscard]] bool canUndo() const { return !m_undo.isEmpty(); }
    [[nodiscard]] bool canRedo() const { return !m_redo.isEmpty(); }

    //! A change was made (its ops already submitted); inverse takes it back. Clears what could be redone.
    void push(const QList<proto::Op> &done, const QList<proto::Op> &inverse);
    bool undo();
    bool redo();
    void clear();
    //! Items got other ids (provisional ones became real): the steps follow them.
    void renameItems(const QHash<QString, QString> &ids);

Q_SIGNALS:
    void changed();

private:
    struct Step
    {
        QList<proto::Op> undo;
        QList<proto::Op> redo;
        //! The items as the last redo (or the original change) left them; undo touches only items still so.
        QHash<QString, proto::Item> afterRedo;
        //! The items as the last undo left them; redo touches only items still so.
        QHash<QString, proto::Item> afterUndo;
    };
    //! The items these ops touch, as the board shows them now.
    [[nodiscard]] QHash<QString, proto::Item> snapshotOf(const Step &step) const;
    //! ops without the parts that would overwrite or remove what somebody else changed since expected.
    [[nodiscard]] QList<proto::Op> withoutOthersWork(const QList<proto::Op> &ops,
                                                     const QHash<QString, proto::Item> &expected) const;

    const BoardDocument *m_board;
    std::function<bool(const proto::Op &)> m_submit;
    QList<Step> m_undo;
    QList<Step> m_redo;
};

} // namespace inkroom::client
