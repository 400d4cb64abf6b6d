#pragma once

#include "board.h"
#include "protocol.h"
#include "protocollimits.h"

#include <QHash>
#include <QObject>
#include <QRectF>
#include <QtQmlIntegration/qqmlintegration.h>

#include <map>
#include <optional>

namespace inkroom::client {

/** @brief The board as this client shows it: the confirmed board (the room's log applied in order) with this
 * client's own pending ops applied on top.
 *
 * Built for big boards. Nothing is copied per op: the view is the confirmed board plus a small table of
 * overrides, one per item that a pending op touches, each recomputed alone (confirmed item, then the pending
 * ops that touch it, in order). With nothing pending, the view is the confirmed board. Every change emits
 * changed() with exactly the items whose view changed; snapshots and clears that meet pending work emit reset().
 * A renderer keeps its own geometry per item and updates only what changed() names.
 *
 * Pending ops stack above everything confirmed (z = PendingZBase + their order); once acknowledged an item takes
 * the z of its op's room sequence, like everybody else's.
 */
class BoardDocument : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("BoardDocument belongs to a Session: use session.board")
    Q_PROPERTY(int itemCount READ itemCount NOTIFY itemCountChanged)

public:
    //! Same values as proto::ItemKind.
    enum ItemKind {
        Stroke,
        Line,
        Arrow,
        Rect,
        Ellipse,
        Text,
        Image
    };
    Q_ENUM(ItemKind)

    //! Stacking order of pending items: above every possible room sequence.
    static constexpr quint64 PendingZBase = limits::MaxSequence + 1;

    explicit BoardDocument(QObject *parent = nullptr);

    // ---- the view ----

    //! The item as shown, or nullptr. The pointer is valid until the next change.
    [[nodiscard]] const proto::Item *item(const QString &id) const;
    [[nodiscard]] bool contains(const QString &id) const { return item(id) != nullptr; }
    //! Does one of this client's unacknowledged ops touch this item?
    [[nodiscard]] Q_INVOKABLE bool isPending(const QString &id) const { return m_touch.contains(id); }
    [[nodiscard]] int itemCount() const { return m_viewCount; }
    //! Every shown item, bottom to top (by z, then id).
    [[nodiscard]] QList<proto::Item> orderedItems() const;
    //! Calls f(const proto::Item &) for every shown item, in no particular order.
    template<class F> void forEachItem(F &&f) const;

    //! The confirmed board: the room's log applied in order. Its digest is equal on every client at one seq.
    [[nodiscard]] const Board &confirmed() const { return m_confirmed; }
    //! The number of this client's ops drawn on top of the confirmed board.
    [[nodiscard]] int pendingOpCount() const { return int(m_pending.size()); }

    // ---- geometry for tools (select, erase, zoom to fit) ----

    //! The area an item covers, stroke width included (text: an estimate from its font size).
    [[nodiscard]] Q_INVOKABLE QRectF itemBounds(const QString &id) const;
    //! The area every item covers together; empty when the board is.
    [[nodiscard]] Q_INVOKABLE QRectF contentBounds() const;
    //! The topmost item under point, within tolerance board units of its outline or inside when filled.
    [[nodiscard]] Q_INVOKABLE QString itemAt(const QPointF &point, double tolerance = 4.0) const;
    //! Items inside rect (contained: wholly inside, else touching it), bottom to top.
    [[nodiscard]] Q_INVOKABLE QStringList itemsInRect(const QRectF &rect, bool contained = true) const;

    // ---- changes, made by the Session ----

    //! Apply an op from the room's log (ops at or below confirmed().seq() change nothing).
    void applyConfirmed(const proto::Op &op);
    //! Replace the confirmed board with a snapshot taken at seq; the pending ops dropPending (already part of it)
    //! stop being drawn in the same reset.
    void resetConfirmed(quint64 seq, const QList<proto::Item> &items, const QList<quint64> &dropPending = {});
    //! Draw one of this client's own ops on top. key orders the pending ops (the order they will be applied in).
    void addPending(quint64 key, const proto::Op &op);
    //! Stop drawing a pending op (rejected, or known to be part of the confirmed board already).
    void removePending(quint64 key);
    //! A pending op was acknowledged at op.seq: it moves into the confirmed board, in one change.
    void confirmPending(quint64 key, const proto::Op &op);
    //! Forget everything (another room).
    void clear();

Q_SIGNALS:
    //! These items of the view changed (ids are view ids: added appeared, removed disappeared).
    void changed(const inkroom::BoardChange &change);
    //! Anything may have changed: read the whole view again.
    void reset();
    void itemCountChanged();

private:
    [[nodiscard]] static QStringList touchedIds(const proto::Op &op);
    [[nodiscard]] static quint64 pendingZ(quint64 key) { return PendingZBase + key; }
    [[nodiscard]] std::optional<proto::Item> viewValue(const QString &id) const;
    void recomputeId(const QString &id);
    void recomputeAll();
    //! Run mutate(), then recompute the given ids and emit what changed in the view.
    template<class Mutate> void changeIds(const QStringList &ids, Mutate &&mutate);
    void finishReset();
    void setViewCount(int count);
    [[nodiscard]] QRectF cachedBounds(const proto::Item &item) const;

    Board m_confirmed;
    std::map<quint64, proto::Op> m_pending;
    //! Item id -> keys of the pending ops (other than clear) that touch it, ascending.
    QHash<QString, QList<quint64>> m_touch;
    //! Keys of pending clear ops, ascending: while any exists, confirmed items without an override are hidden.
    QList<quint64> m_clearKeys;
    //! Items whose view differs from the confirmed board: the shown value, or nullopt for hidden.
    QHash<QString, std::optional<proto::Item>> m_overrides;
    int m_viewCount = 0;
    mutable QHash<QString, QRectF> m_bounds;
};

template<class F> void BoardDocument::forEachItem(F &&f) const
{
    if (m_clearKeys.isEmpty()) {
        for (auto it = m_confirmed.items().cbegin(); it != m_confirmed.items().cend(); ++it) {
            if (!m_overrides.contains(it.key()))
                f(it.value());
        }
    }
    for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it) {
        if (it.value())
            f(*it.value());
    }
}

//! Bounds of an item as drawn (stroke width included; text estimated from its font size).
[[nodiscard]] QRectF itemBounds(const proto::Item &item);
//! Is point within tolerance of what the item draws?
[[nodiscard]] bool itemHit(const proto::Item &item, const QPointF &point, double tolerance);

} // namespace inkroom::client
