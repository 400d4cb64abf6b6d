#pragma once

#include "tiles.h"

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace inkroom::ui {

/** @brief The board rendered into tiles on worker threads, so a frame only draws textures.
 *
 * A frame's cost then depends on the size of the window, not on the size of the board. The cache keeps the tiles of
 * the current view fresh: when the view or the board changes it renders what is missing or out of date, visible
 * tiles first, nearest the centre first, and never more than a few at a time, so a job never waits behind work that
 * is no longer wanted. Until a tile is ready, pieces() stands in for it with a tile of another level (scaled) or
 * the out-of-date tile itself. Everything here runs on the GUI thread except the painting.
 *
 * The items of a tile are read when its job is handed to a worker (jobs carry implicitly shared copies), through
 * the ItemSource the owner provides.
 */
class TileCache : public QObject
{
    Q_OBJECT

public:
    //! The items to paint in a board rectangle, bottom to top.
    using ItemSource = std::function<QList<proto::Item>(const QRectF &boardRect)>;

    //! Something to draw: part of a tile's image, placed on the board.
    struct Piece
    {
        QRectF target; //!< board coordinates
        QRectF source; //!< pixels of the image
        QImage image;
        quint64 serial = 0; //!< the image's identity, for caching its texture
    };

    //! Running totals of what the cache did, for per-frame traces (a benchmark takes differences between frames).
    struct Counters
    {
        quint64 tilesPainted = 0; //!< results the workers handed back
        quint64 levelChanges = 0;
        quint64 pieces = 0; //!< pieces handed out by pieces()
        quint64 standIns = 0; //!< visible tiles drawn from another level, or not at all, by pieces()
        quint64 missing = 0; //!< visible tiles with nothing to stand in for them (a hole until they are painted)
    };

    explicit TileCache(ItemSource source, QObject *parent = nullptr, int threads = defaultThreads());
    ~TileCache() override;

    [[nodiscard]] static int defaultThreads();

    //! The part of the board on screen and its pixels per board unit (zoom times device pixel ratio). The level
    //! is the coarsest with at least that many pixels, except that the current level is kept up to 12.5 % below.
    void setView(const QRectF &visible, double pixelsPerUnit);
    //! The board changed within rect: tiles touching it are out of date.
    void invalidate(const QRectF &rect);
    //! Everything is out of date (the board was replaced). Tiles painted before stand in for themselves only when
    //! no tile painted since can stand in for them: they may show another board altogether.
    void invalidateAll();
    //! Forget every tile and job (for example, when the canvas is no longer shown).
    void clear();

    //! What to draw for the view, bottom to top.
    [[nodiscard]] QList<Piece> pieces();
    //! Every visible tile shows the board as it was at this generation or later (0: some tile is not drawn yet).
    [[nodiscard]] quint64 freshGeneration() const;
    //! Increases with every invalidation.
    [[nodiscard]] quint64 generation() const { return m_generation; }
    [[nodiscard]] int level() const { return m_level; }
    //! Tiles held, with or without an image.
    [[nodiscard]] qsizetype size() const { return m_tiles.size(); }
    [[nodiscard]] int jobsInFlight() const { return m_inFlight; }
    //! Tiles that can be kept beyond those wanted for the view; the least recently seen go first.
    void setBudget(int tiles) { m_budget = tiles; }
    [[nodiscard]] const Counters &counters() const { return m_counters; }
    //! Nanoseconds the workers have spent painting so far, the tiles being painted now included (any thread).
    [[nodiscard]] qint64 paintingNs() const;

Q_SIGNALS:
    //! New tiles are ready: the view should be drawn again.
    void updated();

private:
    struct Tile
    {
        QImage image; //!< null when the tile is empty or not rendered yet
        quint64 rendered = 0; //!< the generation its content shows (0: never rendered)
        quint64 dirty = 0; //!< the last invalidation that touched it
        quint64 serial = 0;
        quint64 lastSeen = 0;
        bool busy = false; //!< a job for it is with a worker
        [[nodiscard]] bool known() const { return rendered > 0; }
        [[nodiscard]] bool fresh() const { return rendered > 0 && rendered >= dirty; }
    };
    struct Job
    {
        TileKey key;
        quint64 generation = 0;
        QList<proto::Item> items;
    };

    void pump();
    void finished(TileKey key, quint64 generation, const QImage &image);
    //! Drop the least recently seen tiles beyond the budget, never those in keep (the view's).
    void evict(const QList<TileKey> &keep);
    [[nodiscard]] QList<TileKey> wanted() const;
    void workerLoop(int index);
    //! Draw key from other levels while it has no image of its own (only from tiles painted since current, when
    //! that is set). Returns whether it found any.
    bool standIn(TileKey key, QList<Piece> &out, quint64 current);
    void addPiece(TileKey key, const Tile &tile, const QRectF &target, QList<Piece> &out);

    ItemSource m_source;
    QHash<TileKey, Tile> m_tiles;
    QRectF m_visible;
    int m_level = 0;
    quint64 m_generation = 1;
    quint64 m_replaced = 0; //!< the generation of the last invalidateAll()
    quint64 m_serial = 0;
    quint64 m_frame = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 2;
    int m_budget = 96; //!< 24 MB of images at most, beyond the view's own
    bool m_pumpPending = false;
    Counters m_counters;

    // Shared with the workers.
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
    //! Each worker's painting time (steady clock, ns): finished jobs, and when the current one started (0: idle).
    struct PaintClock
    {
        std::atomic<qint64> doneNs {0};
        std::atomic<qint64> startedNs {0};
    };
    std::unique_ptr<PaintClock[]> m_clocks;
    int m_clockCount = 0;
};

} // namespace inkroom::ui
