#include "boarddocument.h"

#include "textlayout.h"

#include <QLineF>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace inkroom::client {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const double lengthSquared = QPointF::dotProduct(ab, ab);
    if (lengthSquared <= 0)
        return QLineF(p, a).length();
    const double t = std::clamp(QPointF::dotProduct(p - a, ab) / lengthSquared, 0.0, 1.0);
    return QLineF(p, a + t * ab).length();
}

void insertSorted(QList<quint64> &keys, quint64 key)
{
    keys.insert(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin(), key);
}

} // namespace

QRectF itemBounds(const Item &item)
{
    if (item.points.isEmpty())
        return {};
    if (item.kind == ItemKind::Text)
        return render::textBounds(item); // the layout the canvas draws and the exports write

    double left = item.points.first().x();
    double right = left;
    double top = item.points.first().y();
    double bottom = top;
    for (const QPointF &p : item.points) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    // Arrow heads reach further than the line's width; an image covers its rectangle exactly.
    const bool headed = (item.kind == ItemKind::Line || item.kind == ItemKind::Arrow)
        && proto::headsOf(item.kind, item.heads) != proto::Heads::None;
    const double pad = headed ? item.width * 3 + 4 : item.kind == ItemKind::Image ? 0 : item.width / 2;
    return QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-pad, -pad, pad, pad);
}

bool itemHit(const Item &item, const QPointF &point, double tolerance)
{
    if (item.points.isEmpty())
        return false;
    const double reach = tolerance + item.width / 2;
    switch (item.kind) {
    case ItemKind::Stroke:
        if (item.points.size() == 1)
            return QLineF(point, item.points.first()).length() <= reach;
        for (qsizetype i = 1; i < item.points.size(); ++i) {
            if (distanceToSegment(point, item.points[i - 1], item.points[i]) <= reach)
                return true;
        }
        return false;
    case ItemKind::Line:
    case ItemKind::Arrow: {
        const bool headed = proto::headsOf(item.kind, item.heads) != proto::Heads::None;
        return distanceToSegment(point, item.points[0], item.points[1]) <= reach + (headed ? item.width : 0);
    }
    case ItemKind::Rect: {
        const QRectF r = QRectF(item.points[0], item.points[1]).normalized();
        if (item.fill && r.contains(point))
            return true;
        const QPointF corners[] = {r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()};
        for (int i = 0; i < 4; ++i) {
            if (distanceToSegment(point, corners[i], corners[(i + 1) % 4]) <= reach)
                return true;
        }
        return false;
    }
    case ItemKind::Ellipse: {
        const QRectF r = QRectF(item.points[0], item.points[1]).normalized();
        const double rx = r.width() / 2;
        const double ry = r.height() / 2;
        if (rx <= 0 || ry <= 0)
            return distanceToSegment(point, item.points[0], item.points[1]) <= reach;
        const QPointF d = point - r.center();
        const double normalised = std::sqrt((d.x() / rx) * (d.x() / rx) + (d.y() / ry) * (d.y() / ry));
        if (item.fill && normalised <= 1)
            return true;
        return std::abs(normalised - 1) * std::min(rx, ry) <= reach;
    }
    case ItemKind::Text:
    case ItemKind::Image:
        return itemBounds(item).adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point);
    }
    return false;
}

BoardDocument::BoardDocument(QObject *parent)
    : QObject(parent)
{ }

const Item *BoardDocument::item(const QString &id) const
{
    const auto it = m_overrides.constFind(id);
    if (it != m_overrides.cend())
        return it.value() ? &*it.value() : nullptr;
    if (!m_clearKeys.isEmpty())
        return nullptr;
    return m_confirmed.item(id);
}

std::optional<Item> BoardDocument::viewValue(const QString &id) const
{
    const Item *shown = item(id);
    return shown ? std::optional<Item>(*shown) : std::nullopt;
}

QList<Item> BoardDocument::orderedItems() const
{
    QList<Item> list;
    list.reserve(m_viewCount);
    forEachItem([&list](const Item &item) { list.append(item); });
    std::sort(list.begin(), list.end(),
              [](const Item &a, const Item &b) { return a.z != b.z ? a.z < b.z : a.id < b.id; });
    return list;
}

QStringList BoardDocument::touchedIds(const Op &op)
{
    switch (op.kind) {
    case OpKind::Add:
    case OpKind::Update:
        return {op.item.id};
    case OpKind::Remove:
    case OpKind::Move:
    case OpKind::Restack: {
        QStringList ids = op.ids;
        ids.removeDuplicates();
        return ids;
    }
    case OpKind::Rollback: {
        QStringList ids = op.ids;
        for (const Item &item : op.items)
            ids.append(item.id);
        ids.removeDuplicates();
        return ids;
    }
    case OpKind::Clear:
    case OpKind::Chat:
    case OpKind::Direct:
    case OpKind::SetRole:
    case OpKind::SetDefaultRole:
    case OpKind::Lock:
    case OpKind::Unlock:
    case OpKind::Kick:
        return {};
    }
    return {};
}

void BoardDocument::recomputeId(const QString &id)
{
    const auto touch = m_touch.constFind(id);
    if (touch == m_touch.cend()) {
        m_overrides.remove(id);
        return;
    }
    // This item's pending ops and every pending clear, in their order.
    QList<quint64> keys;
    keys.reserve(touch->size() + m_clearKeys.size());
    std::merge(touch->cbegin(), touch->cend(), m_clearKeys.cbegin(), m_clearKeys.cend(), std::back_inserter(keys));
    Board scratch;
    if (const Item *base = m_confirmed.item(id))
        scratch.reset(0, {*base});
    for (quint64 key : keys) {
        const auto op = m_pending.find(key);
        if (op == m_pending.end())
            continue;
        if (op->second.kind == OpKind::Restack) {
            // Brought to the front: shown above the pending work before it too, as it will be once acknowledged.
            Op shown = op->second;
            for (qsizetype i = 0; i < shown.z.size(); ++i) {
                if (shown.z[i] > qint64(m_confirmed.seq()))
                    shown.z[i] = qint64(pendingZ(key)) + i;
            }
            scratch.applyUnsequenced(shown, pendingZ(key));
        } else {
            scratch.applyUnsequenced(op->second, pendingZ(key));
        }
    }
    const Item *result = scratch.item(id);
    m_overrides.insert(id, result ? std::optional<Item>(*result) : std::nullopt);
}

void BoardDocument::recomputeAll()
{
    m_overrides.clear();
    for (auto it = m_touch.cbegin(); it != m_touch.cend(); ++it)
        recomputeId(it.key());
    int count = 0;
    if (m_clearKeys.isEmpty()) {
        count = int(m_confirmed.size());
        for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it) {
            if (m_confirmed.contains(it.key()))
                --count;
        }
    }
    for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it) {
        if (it.value())
            ++count;
    }
    m_viewCount = count;
}

void BoardDocument::finishReset()
{
    m_bounds.clear();
    const int before = m_viewCount;
    recomputeAll();
    Q_EMIT reset();
    if (before != m_viewCount)
        Q_EMIT itemCountChanged();
}

void BoardDocument::setViewCount(int count)
{
    if (count == m_viewCount)
        return;
    m_viewCount = count;
    Q_EMIT itemCountChanged();
}

template<class Mutate> void BoardDocument::changeIds(const QStringList &ids, Mutate &&mutate)
{
    QList<std::optional<Item>> before;
    QList<bool> wasPending;
    before.reserve(ids.size());
    wasPending.reserve(ids.size());
    for (const QString &id : ids) {
        before.append(viewValue(id));
        wasPending.append(isPending(id));
    }
    mutate();
    BoardChange change;
    int count = m_viewCount;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QString &id = ids[i];
        recomputeId(id);
        const Item *after = item(id);
        if (!before[i] && after) {
            change.added.append(id);
            ++count;
        } else if (before[i] && !after) {
            change.removed.append(id);
            --count;
        } else if (before[i] && after && (wasPending[i] != isPending(id) || !(*before[i] == *after))) {
            change.updated.append(id);
        } else {
            continue;
        }
        m_bounds.remove(id);
    }
    if (!change.isEmpty())
        Q_EMIT changed(change);
    setViewCount(count);
}

void BoardDocument::applyConfirmed(const Op &op)
{
    if (op.seq <= m_confirmed.seq())
        return;
    if (op.kind == OpKind::Clear) {
        if (m_pending.empty()) {
            BoardChange change;
            m_confirmed.apply(op, &change);
            m_bounds.clear();
            if (!change.isEmpty())
                Q_EMIT changed(change);
            setViewCount(0);
        } else {
            m_confirmed.apply(op);
            finishReset();
        }
        return;
    }
    if (!proto::isBoardOp(op.kind)) {
        m_confirmed.apply(op); // moves seq only
        return;
    }
    changeIds(touchedIds(op), [&] { m_confirmed.apply(op); });
}

void BoardDocument::resetConfirmed(quint64 seq, const QList<Item> &items, const QList<quint64> &dropPending)
{
    for (quint64 key : dropPending) {
        const auto it = m_pending.find(key);
        if (it == m_pending.end())
            continue;
        for (const QString &id : touchedIds(it->second)) {
            auto touch = m_touch.find(id);
            if (touch == m_touch.end())
                continue;
            touch->removeOne(key);
            if (touch->isEmpty())
                m_touch.erase(touch);
        }
        m_clearKeys.removeOne(key);
        m_pending.erase(it);
    }
    m_confirmed.reset(seq, items);
    finishReset();
}

void BoardDocument::addPending(quint64 key, const Op &op)
{
    if (!proto::isBoardOp(op.kind))
        return;
    if (op.kind == OpKind::Clear) {
        m_pending.insert_or_assign(key, op);
        insertSorted(m_clearKeys, key);
        // Everything disappears at once: cheaper to say so than to list every item.
        finishReset();
        return;
    }
    const QStringList ids = touchedIds(op);
    changeIds(ids, [&] {
        m_pending.insert_or_assign(key, op);
        for (const QString &id : ids)
            insertSorted(m_touch[id], key);
    });
}

void BoardDocument::removePending(quint64 key)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    if (it->second.kind == OpKind::Clear) {
        m_pending.erase(it);
        m_clearKeys.removeOne(key);
        finishReset();
        return;
    }
    const QStringList ids = touchedIds(it->second);
    changeIds(ids, [&] {
        m_pending.erase(it);
        for (const QString &id : ids) {
            auto touch = m_touch.find(id);
            if (touch == m_touch.end())
                continue;
            touch->removeOne(key);
            if (touch->isEmpty())
                m_touch.erase(touch);
        }
    });
}

void BoardDocument::confirmPending(quint64 key, const Op &op)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end()) {
        applyConfirmed(op);
        return;
    }
    if (it->second.kind == OpKind::Clear || op.kind == OpKind::Clear) {
        m_pending.erase(it);
        m_clearKeys.removeOne(key);
        m_confirmed.apply(op);
        finishReset();
        return;
    }
    QStringList ids = touchedIds(it->second);
    for (const QString &id : touchedIds(op)) {
        if (!ids.contains(id))
            ids.append(id);
    }
    changeIds(ids, [&] {
        const QStringList pendingIds = touchedIds(it->second);
        m_pending.erase(it);
        for (const QString &id : pendingIds) {
            auto touch = m_touch.find(id);
            if (touch == m_touch.end())
                continue;
            touch->removeOne(key);
            if (touch->isEmpty())
                m_touch.erase(touch);
        }
        m_confirmed.apply(op);
    });
}

void BoardDocument::clear()
{
    m_confirmed = Board();
    m_pending.clear();
    m_touch.clear();
    m_clearKeys.clear();
    finishReset();
}

QRectF BoardDocument::cachedBounds(const Item &item) const
{
    auto it = m_bounds.find(item.id);
    if (it == m_bounds.end())
        it = m_bounds.insert(item.id, inkroom::client::itemBounds(item));
    return *it;
}

QRectF BoardDocument::itemBounds(const QString &id) const
{
    const Item *shown = item(id);
    return shown ? cachedBounds(*shown) : QRectF();
}

QRectF BoardDocument::contentBounds() const
{
    QRectF bounds;
    forEachItem([&](const Item &item) { bounds = bounds.united(cachedBounds(item)); });
    return bounds;
}

QString BoardDocument::itemAt(const QPointF &point, double tolerance) const
{
    const Item *best = nullptr;
    const QRectF probe(point - QPointF(tolerance, tolerance), QSizeF(2 * tolerance, 2 * tolerance));
    forEachItem([&](const Item &item) {
        if (best && (item.z < best->z || (item.z == best->z && item.id < best->id)))
            return;
        if (!cachedBounds(item).intersects(probe) && !cachedBounds(item).contains(point))
            return;
        if (itemHit(item, point, tolerance))
            best = &item;
    });
    return best ? best->id : QString();
}

QStringList BoardDocument::itemsInRect(const QRectF &rect, bool contained) const
{
    const QRectF area = rect.normalized();
    QList<const Item *> hits;
    forEachItem([&](const Item &item) {
        const QRectF bounds = cachedBounds(item);
        if (contained ? area.contains(bounds) : area.intersects(bounds))
            hits.append(&item);
    });
    std::sort(hits.begin(), hits.end(),
              [](const Item *a, const Item *b) { return a->z != b->z ? a->z < b->z : a->id < b->id; });
    QStringList ids;
    ids.reserve(hits.size());
    for (const Item *item : hits)
        ids.append(item->id);
    return ids;
}

} // namespace inkroom::client
