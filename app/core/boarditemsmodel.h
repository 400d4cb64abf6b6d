#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class BoardDocument;

/** @brief The shown board items as a list, bottom to top, for views that list or inspect items (a layers panel,
 * accessibility, tests). A renderer for big boards should follow BoardDocument's changed() instead.
 *
 * Follows BoardDocument change by change (insert, remove, move, dataChanged); a change touching more than
 * ResetThreshold items, a clear or a snapshot resets the model instead.
 */
class BoardItemsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("BoardItemsModel belongs to a Session: use session.boardItems")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        KindRole, //!< BoardDocument::ItemKind
        KindNameRole, //!< "stroke", "line", "arrow", "rect", "ellipse", "text"
        ColourRole, //!< QColor
        FillRole, //!< QColor, invalid when not filled
        WidthRole, //!< stroke width, or font size for text
        PointsRole, //!< QVariantList of QPointF
        PointCountRole,
        TextRole,
        ZRole, //!< stacking order (double: QML numbers)
        PendingRole, //!< one of our unacknowledged ops touches it
        BoundsRole, //!< QRectF
    };
    Q_ENUM(Roles)

    static constexpr int ResetThreshold = 200;

    explicit BoardItemsModel(BoardDocument *document, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_rows.size()); }
    //! The row of an item, or -1.
    [[nodiscard]] Q_INVOKABLE int indexOf(const QString &id) const;
    [[nodiscard]] Q_INVOKABLE QString idAt(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    struct Row
    {
        qint64 z = 0;
        QString id;
        [[nodiscard]] bool operator<(const Row &other) const { return z != other.z ? z < other.z : id < other.id; }
    };

    void rebuild();
    void onChanged(const QStringList &added, const QStringList &updated, const QStringList &removed, bool cleared);
    [[nodiscard]] qsizetype findRow(const QString &id) const;

    QPointer<BoardDocument> m_document;
    QList<Row> m_rows;
    QHash<QString, qint64> m_z;
};

} // namespace inkroom::client
