#pragma once

#include "board.h"
#include "boarddocument.h"

namespace inkroom::ui {

/** @brief Read access to the board as the user sees it.
 *
 * The canvas's scene reads the board only through this, so it works the same on a plain Board (tests) and on the
 * client core's view (the confirmed board with pending ops on top).
 */
class BoardView
{
public:
    virtual ~BoardView() = default;
    //! The item as shown, or nullptr; valid until the next change.
    [[nodiscard]] virtual const proto::Item *item(const QString &id) const = 0;
    //! Every item, bottom to top.
    [[nodiscard]] virtual QList<proto::Item> orderedItems() const = 0;
    [[nodiscard]] virtual qsizetype size() const = 0;

    [[nodiscard]] bool contains(const QString &id) const { return item(id) != nullptr; }
};

//! A BoardView of a plain Board.
class PlainBoardView final : public BoardView
{
public:
    explicit PlainBoardView(const Board &board)
        : m_board(board)
    { }
    [[nodiscard]] const proto::Item *item(const QString &id) const override { return m_board.item(id); }
    [[nodiscard]] QList<proto::Item> orderedItems() const override { return m_board.orderedItems(); }
    [[nodiscard]] qsizetype size() const override { return m_board.size(); }

private:
    const Board &m_board;
};

//! A BoardView of the client core's view: the confirmed board with this client's pending ops on top.
class DocumentBoardView final : public BoardView
{
public:
    explicit DocumentBoardView(const client::BoardDocument &document)
        : m_document(document)
    { }
    [[nodiscard]] const proto::Item *item(const QString &id) const override { return m_document.item(id); }
    [[nodiscard]] QList<proto::Item> orderedItems() const override { return m_document.orderedItems(); }
    [[nodiscard]] qsizetype size() const override { return m_document.itemCount(); }

private:
    const client::BoardDocument &m_document;
};

} // namespace inkroom::ui
