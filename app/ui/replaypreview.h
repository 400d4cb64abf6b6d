#pragma once

#include "replaymodel.h"

#include <QPointer>
#include <QQuickPaintedItem>

namespace inkroom::ui {

/** @brief The board at a replay's position, fitted into the item, painted by the canvas's painter (app/render).
 *
 * A still picture per position (QQuickPaintedItem): a replay shows one moment at a time, so the tile machinery of the
 * live canvas is not needed. The fit covers the moment shown and the board's live end, so the view does not jump
 * while the history plays. What the op at the position drew, changed or moved is outlined with its author's name.
 */
class ReplayPreview : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::ReplayModel *replay READ replay WRITE setReplay NOTIFY replayChanged)

public:
    explicit ReplayPreview(QQuickItem *parent = nullptr);

    [[nodiscard]] client::ReplayModel *replay() const { return m_replay; }
    void setReplay(client::ReplayModel *replay);

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void replayChanged();

private:
    //! Outline what the op at the position drew, changed or moved, and name who did it.
    void paintChange(QPainter *painter, const QList<proto::Item> &items, double scale) const;

    QPointer<client::ReplayModel> m_replay;
    QRectF m_endArea; //!< the export area of the live end, kept while the count stays
    int m_endCount = -1;
};

} // namespace inkroom::ui
