#include "tiles.h"

#include "itempainter.h"

#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace tiles {

double levelScale(int level)
{
    return std::ldexp(1.0, level);
}

int levelFor(double pixelsPerUnit)
{
    if (!(pixelsPerUnit > 0))
        return MinLevel;
    // A hair of tolerance so that exactly 2^L maps to L, not L + 1.
    const int level = int(std::ceil(std::log2(pixelsPerUnit) - 1e-9));
    return std::clamp(level, MinLevel, MaxLevel);
}

QRectF boardRect(TileKey key)
{
    const double size = TilePixels / levelScale(key.level);
    return {key.x * size, key.y * size, size, size};
}

QList<TileKey> covering(const QRectF &rect, int level)
{
    QList<TileKey> keys;
    if (rect.isEmpty())
        return keys;
    const double size = TilePixels / levelScale(level);
    // Tiles touched by the open rectangle: a rect ending exactly on a tile edge does not reach the next tile.
    const auto first = [size](double v) { return int(std::floor(v / size)); };
    const auto last = [size](double v) { return int(std::ceil(v / size)) - 1; };
    const int left = first(rect.left());
    const int right = std::max(left, last(rect.right()));
    const int top = first(rect.top());
    const int bottom = std::max(top, last(rect.bottom()));
    keys.reserve(qsizetype(right - left + 1) * (bottom - top + 1));
    for (int y = top; y <= bottom; ++y) {
        for (int x = left; x <= right; ++x)
            keys.append({level, x, y});
    }
    return keys;
}

TileKey ancestor(TileKey key, int level)
{
    const int up = key.level - level;
    if (up <= 0)
        return key;
    // Arithmetic shifts round towards minus infinity, which is what tile indices need.
    return {level, key.x >> up, key.y >> up};
}

} // namespace tiles

QImage renderTile(TileKey key, const QList<Item> &items)
{
    QImage image(tiles::TilePixels, tiles::TilePixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const double scale = tiles::levelScale(key.level);
    const QRectF rect = tiles::boardRect(key);
    painter.scale(scale, scale);
    painter.translate(-rect.topLeft());
    render::paintItems(painter, items);
    painter.end();
    return image;
}

// ---- BoardIndex ----

void BoardIndex::clear()
{
    m_entries.clear();
    m_cells.clear();
    m_large.clear();
}

BoardIndex::CellRange BoardIndex::cellsOf(const QRectF &rect)
{
    const auto cell = [](double v) { return qint64(std::floor(v / CellSize)); };
    return {cell(rect.left()), cell(rect.top()), cell(rect.right()), cell(rect.bottom())};
}

void BoardIndex::link(const QString &id, const Entry &entry)
{
    if (entry.large) {
        m_large.append(id);
        return;
    }
    const CellRange cells = cellsOf(entry.bounds);
    for (qint64 y = cells.top; y <= cells.bottom; ++y) {
        for (qint64 x = cells.left; x <= cells.right; ++x)
            m_cells[cellKey(x, y)].append(id);
    }
}

void BoardIndex::unlink(const QString &id, const Entry &entry)
{
    if (entry.large) {
        m_large.removeOne(id);
        return;
    }
    const CellRange cells = cellsOf(entry.bounds);
    for (qint64 y = cells.top; y <= cells.bottom; ++y) {
        for (qint64 x = cells.left; x <= cells.right; ++x) {
            const auto it = m_cells.find(cellKey(x, y));
            if (it == m_cells.end())
                continue;
            it->removeOne(id);
            if (it->isEmpty())
                m_cells.erase(it);
        }
    }
}

QRectF BoardIndex::put(const Item &item)
{
    const QRectF old = remove(item.id);
    Entry entry;
    entry.bounds = paintBounds(item);
    entry.z = item.z;
    if (entry.bounds.isEmpty()) {
        // An item without points: a zero-size rect keeps it findable.
        entry.bounds = QRectF(item.points.value(0), QSizeF(0, 0));
    }
    const CellRange cells = cellsOf(entry.bounds);
    entry.large = (cells.right - cells.left + 1) * (cells.bottom - cells.top + 1) > MaxCellsPerItem;
    link(item.id, entry);
    m_entries.insert(item.id, entry);
    return old.united(paintBounds(item));
}

QRectF BoardIndex::remove(const QString &id)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return {};
    const Entry entry = *it;
    m_entries.erase(it);
    unlink(id, entry);
    return entry.bounds.width() > 0 || entry.bounds.height() > 0 ? entry.bounds : QRectF();
}

QRectF BoardIndex::bounds(const QString &id) const
{
    return m_entries.value(id).bounds;
}

QStringList BoardIndex::query(const QRectF &rect) const
{
    QList<std::pair<qint64, QString>> found;
    const auto consider = [&](const QString &id) {
        const Entry &entry = m_entries[id];
        // Touching counts: an item whose paint ends on a tile's edge may still tint its pixels.
        if (entry.bounds.left() <= rect.right() && entry.bounds.right() >= rect.left()
            && entry.bounds.top() <= rect.bottom() && entry.bounds.bottom() >= rect.top())
            found.append({entry.z, id});
    };
    const CellRange cells = cellsOf(rect);
    const qint64 cellCount = (cells.right - cells.left + 1) * (cells.bottom - cells.top + 1);
    if (cellCount > m_cells.size()) {
        // A large area: walking the occupied cells is cheaper than walking the area.
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            consider(it.key());
    } else {
        QSet<QString> seen;
        for (qint64 y = cells.top; y <= cells.bottom; ++y) {
            for (qint64 x = cells.left; x <= cells.right; ++x) {
                const auto it = m_cells.constFind(cellKey(x, y));
                if (it == m_cells.cend())
                    continue;
                for (const QString &id : *it) {
                    if (!seen.contains(id)) {
                        seen.insert(id);
                        consider(id);
                    }
                }
            }
        }
        for (const QString &id : m_large)
            consider(id);
    }
    std::sort(found.begin(), found.end());
    QStringList ids;
    ids.reserve(found.size());
    for (const auto &entry : found)
        ids.append(entry.second);
    return ids;
}

} // namespace inkroom::ui
