#pragma once

#include "itempainter.h"
#include "protocol.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QRectF>

class QPainter;

namespace inkroom::ui {

/** @brief One square of the board's tile pyramid.
 *
 * At level L a tile is TilePixels device pixels wide and shows the board at 2^L pixels per board unit, so it covers
 * TilePixels / 2^L board units. Tile (L, x, y) covers exactly the four tiles (L + 1, 2x .. 2x + 1, 2y .. 2y + 1).
 */
struct TileKey
{
    int level = 0;
    int x = 0;
    int y = 0;

    friend bool operator==(const TileKey &, const TileKey &) = default;
};

[[nodiscard]] inline size_t qHash(const TileKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.level, key.x, key.y);
}

namespace tiles {

inline constexpr int TilePixels = 256;
inline constexpr int MinLevel = -9; //!< 1/512 pixel per unit: the whole board (+-1e6 units) in ~4,000 pixels
inline constexpr int MaxLevel = 8; //!< 256 pixels per unit: the largest zoom (32) on a 8x display

//! Pixels per board unit at a level.
[[nodiscard]] double levelScale(int level);
//! The coarsest level that still has at least pixelsPerUnit pixels per unit (tiles are only ever shrunk for
//! display, never enlarged), clamped to the pyramid.
[[nodiscard]] int levelFor(double pixelsPerUnit);
//! The board rectangle a tile covers.
[[nodiscard]] QRectF boardRect(TileKey key);
//! The tiles of a level that a board rectangle touches, row by row.
[[nodiscard]] QList<TileKey> covering(const QRectF &rect, int level);
//! The tile of a coarser level that contains key (levels - key.level levels up).
[[nodiscard]] TileKey ancestor(TileKey key, int level);

} // namespace tiles

// The painter is app/render's, shared with the exports and the replay.
using render::paintBounds;
using render::paintItem;

//! Render one tile: items, bottom to top, onto a transparent TilePixels x TilePixels premultiplied image.
[[nodiscard]] QImage renderTile(TileKey key, const QList<proto::Item> &items);

/** @brief Which board items are where: a uniform grid over the board, for finding the items under a tile.
 *
 * Follows the board item by item; queries return ids bottom to top. Items too large for the grid are kept apart
 * and checked on every query.
 */
class BoardIndex
{
public:
    static constexpr double CellSize = 512;
    //! Items spanning more cells than this are kept in a list of their own.
    static constexpr int MaxCellsPerItem = 64;

    void clear();
    //! Add an item or follow its new shape. Returns the board area whose paint changed (old and new bounds).
    QRectF put(const proto::Item &item);
    //! Forget an item. Returns the area it painted.
    QRectF remove(const QString &id);

    [[nodiscard]] QRectF bounds(const QString &id) const;
    [[nodiscard]] bool contains(const QString &id) const { return m_entries.contains(id); }
    [[nodiscard]] qsizetype size() const { return m_entries.size(); }
    [[nodiscard]] QStringList ids() const { return m_entries.keys(); }
    //! The items whose paint bounds intersect rect, bottom to top.
    [[nodiscard]] QStringList query(const QRectF &rect) const;

private:
    struct Entry
    {
        QRectF bounds;
        qint64 z = 0;
        bool large = false;
    };
    struct CellRange
    {
        qint64 left, top, right, bottom;
    };
    [[nodiscard]] static CellRange cellsOf(const QRectF &rect);
    [[nodiscard]] static qint64 cellKey(qint64 x, qint64 y) { return (x << 32) ^ (y & 0xffffffff); }
    void link(const QString &id, const Entry &entry);
    void unlink(const QString &id, const Entry &entry);

    QHash<QString, Entry> m_entries;
    QHash<qint64, QStringList> m_cells;
    QStringList m_large;
};

} // namespace inkroom::ui
