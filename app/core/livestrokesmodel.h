#pragma once

#include "protocol.h"
#include "strokestyle.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

//! A stroke still being drawn: somebody else's (from live messages) or our own (before it is committed).
struct LiveStroke
{
    QString id; //!< the item id its add op will carry
    QString client;
    QString author;
    bool own = false;
    proto::ItemKind kind = proto::ItemKind::Stroke;
    quint32 colour = 0xff000000;
    double width = 2.0;
    QList<QPointF> points;
    //! The width at each point (a pen's pressure), or empty: width all along.
    QList<double> widths;
    std::optional<proto::Colour> fill;
    double opacity = 1.0;
    proto::Dash dash = proto::Dash::Solid;
    std::optional<proto::Heads> heads;
    bool ended = false; //!< finished or abandoned; kept a moment for its add op to arrive
    qint64 updatedAt = 0; //!< monotonic ms
};

//! A stroke in progress as an item, to draw it as the board will (the item has no id).
[[nodiscard]] proto::Item liveItem(const LiveStroke &stroke);

/** @brief Strokes in progress, drawn above the board.
 *
 * Somebody else's stroke shows until the add op with its id arrives, or briefly after it ends (endGrace: the add
 * op is usually a moment behind), or when its author leaves, or when no update came for staleAfter. Our own
 * stroke in progress is here too (own = true), so one renderer draws all strokes in progress.
 */
class LiveStrokesModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("LiveStrokesModel belongs to a Session: use session.liveStrokes")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        ClientIdRole,
        AuthorRole,
        OwnRole,
        KindRole, //!< BoardDocument::ItemKind
        ColourRole, //!< QColor
        WidthRole,
        PointsRole, //!< QVariantList of QPointF
        PointCountRole,
    };
    Q_ENUM(Roles)

    explicit LiveStrokesModel(QObject *parent = nullptr);
    void setTimings(int staleAfterMs, int endGraceMs);

    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_strokes.size()); }
    [[nodiscard]] const QList<LiveStroke> &strokes() const { return m_strokes; }
    [[nodiscard]] const LiveStroke *stroke(const QString &id) const;

    //! A live message from somebody else.
    void apply(const proto::Live &live, const QString &author);
    //! Our own stroke: begins, gets points (from: index of the first point in points), ends.
    void setOwn(const QString &id, proto::ItemKind kind, const StrokeStyle &style, qsizetype from,
                const QList<QPointF> &points, const QList<double> &widths = {});
    void remove(const QString &id);
    void removeClient(const QString &client);
    //! Everybody else's strokes go (our connection ended).
    void clearOthers();
    void clear();

Q_SIGNALS:
    void countChanged();
    //! Points of stroke id from index from on are new or changed (renderers extend their geometry).
    void pointsChanged(const QString &id, int from);

private:
    [[nodiscard]] qsizetype rowOf(const QString &id) const;
    void removeRow(qsizetype row);
    void sweep();

    QList<LiveStroke> m_strokes;
    QElapsedTimer m_clock;
    QTimer m_sweep;
    int m_staleAfterMs = 10000;
    int m_endGraceMs = 3000;
};

} // namespace inkroom::client
