#include "board.h"

#include "protocollimits.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QIODevice>

#include <algorithm>

namespace inkroom {

using proto::Item;
using proto::Op;
using proto::OpKind;

bool Board::apply(const Op &op, BoardChange *change)
{
    if (op.seq <= m_seq)
        return false;
    m_seq = op.seq;
    applyEffect(op, op.seq, change);
    return true;
}

void Board::applyUnsequenced(const Op &op, quint64 z, BoardChange *change)
{
    applyEffect(op, z, change);
}

void Board::reset(quint64 seq, const QList<Item> &items)
{
    m_seq = seq;
    m_items.clear();
    m_items.reserve(items.size());
    for (const Item &item : items)
        m_items.insert(item.id, item);
}

const Item *Board::item(const QString &id) const
{
    const auto it = m_items.constFind(id);
    return it == m_items.cend() ? nullptr : &it.value();
}

QList<Item> Board::orderedItems() const
{
    QList<Item> list = m_items.values();
    std::sort(list.begin(), list.end(),
              [](const Item &a, const Item &b) { return a.z != b.z ? a.z < b.z : a.id < b.id; });
    return list;
}

QByteArray Board::digest() const
{
    QByteArray canonical;
    QDataStream out(&canonical, QIODevice::WriteOnly);
    out << m_seq;
    for (const Item &item : orderedItems()) {
        out << item.id << int(item.kind) << item.colour << item.fill.has_value() << item.fill.value_or(0) << item.width
            << item.text << item.z << qint64(item.points.size());
        if (item.kind == proto::ItemKind::Image)
            out << item.blob << item.bytes;
        for (const QPointF &p : item.points)
            out << p.x() << p.y();
        // The style fields came later: written only when set, so boards without them keep their digests.
        if (item.opacity != 1.0 || item.dash != proto::Dash::Solid || item.heads || !item.widths.isEmpty()) {
            out << quint8(1) << item.opacity << int(item.dash) << int(proto::headsOf(item.kind, item.heads))
                << item.heads.has_value() << item.widths;
        }
    }
    return QCryptographicHash::hash(canonical, QCryptographicHash::Sha256);
}

void Board::applyEffect(const Op &op, quint64 z, BoardChange *change)
{
    switch (op.kind) {
    case OpKind::Add: {
        if (m_items.contains(op.item.id))
            return;
        Item item = op.item;
        item.z = qint64(z);
        m_items.insert(item.id, std::move(item));
        if (change)
            change->added.append(op.item.id);
        return;
    }
    case OpKind::Update: {
        const auto it = m_items.find(op.item.id);
        if (it == m_items.end() || it->kind != op.item.kind)
            return;
        const qint64 keptZ = it->z;
        *it = op.item;
        it->z = keptZ;
        if (change)
            change->updated.append(op.item.id);
        return;
    }
    case OpKind::Remove:
        for (const QString &id : op.ids) {
            if (m_items.remove(id) && change)
                change->removed.append(id);
        }
        return;
    case OpKind::Move:
        for (const QString &id : op.ids) {
            const auto it = m_items.find(id);
            if (it == m_items.end())
                continue;
            // Clamp so that every point stays a valid coordinate after any sequence of moves.
            for (QPointF &p : it->points) {
                p.setX(std::clamp(p.x() + op.dx, -limits::MaxCoordinate, limits::MaxCoordinate));
                p.setY(std::clamp(p.y() + op.dy, -limits::MaxCoordinate, limits::MaxCoordinate));
            }
            if (change)
                change->updated.append(id);
        }
        return;
    case OpKind::Restack:
        // One value per id (the decoder checks it); an id that is not on the board is passed over.
        for (qsizetype i = 0; i < op.ids.size() && i < op.z.size(); ++i) {
            const auto it = m_items.find(op.ids.at(i));
            if (it == m_items.end() || it->z == op.z.at(i))
                continue;
            it->z = op.z.at(i);
            if (change)
                change->updated.append(op.ids.at(i));
        }
        return;
    case OpKind::Clear:
        if (m_items.isEmpty())
            return;
        if (change) {
            change->removed.append(m_items.keys());
            change->cleared = true;
        }
        m_items.clear();
        return;
    case OpKind::Rollback:
        // The server wrote what the rollback does: these ids go, these items are put back as they were, in place.
        for (const QString &id : op.ids) {
            if (m_items.remove(id) && change)
                change->removed.append(id);
        }
        for (const Item &item : op.items) {
            const bool existed = m_items.contains(item.id);
            m_items.insert(item.id, item);
            if (change) {
                if (existed)
                    change->updated.append(item.id);
                else
                    change->added.append(item.id);
                change->removed.removeOne(item.id);
            }
        }
        return;
    case OpKind::Chat:
    case OpKind::Direct:
    case OpKind::SetRole:
    case OpKind::SetDefaultRole:
    case OpKind::Lock:
    case OpKind::Unlock:
    case OpKind::Kick:
        return;
    }
}

} // namespace inkroom
