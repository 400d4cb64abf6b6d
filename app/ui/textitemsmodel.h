#pragma once

#include "boardview.h"

#include <QAbstractListModel>
#include <QColor>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief The board's text items, bottom to top, for the canvas's text layer.
 *
 * Qt Quick draws the text (crisp at every zoom); the canvas keeps this model in step with the board.
 */
class TextItemsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The canvas owns its text items")

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        TextRole,
        XRole,
        YRole,
        SizeRole,
        ColourRole,
        PendingRole,
        SelectedRole,
        LiftedRole,
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    //! Rebuild from the board.
    void reset(const BoardView &board, const QSet<QString> &selected, const QSet<QString> &lifted,
               const std::function<bool(const QString &)> &isPending);
    //! Follow a change (the board already has it).
    void apply(const BoardView &board, const BoardChange &change,
               const std::function<bool(const QString &)> &isPending);
    //! Mark rows selected or lifted.
    void setMarks(const QSet<QString> &selected, const QSet<QString> &lifted);

private:
    struct Row
    {
        proto::Item item;
        bool pending = false;
        bool selected = false;
        bool lifted = false;
    };
    [[nodiscard]] int rowOf(const QString &id) const;
    void insertSorted(Row row);

    QList<Row> m_rows;
};

} // namespace inkroom::ui
