#include "tilecache.h"

#include <QSet>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace inkroom::ui {

namespace {
//! How much a tile may be shown enlarged rather than painted at the next level (see setView()).
constexpr double kMaxEnlargement = 1.125;

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

TileCache::TileCache(ItemSource source, QObject *parent, int threads)
    : QObject(parent)
    , m_source(std::move(source))
{
    threads = std::max(1, threads);
    // One job running and one waiting per worker: a worker never idles between jobs, and a job handed out is never
    // more than one tile's work away from being started, so changes of view are followed at once.
    m_maxInFlight = 2 * threads;
    m_clocks = std::make_unique<PaintClock[]>(size_t(threads));
    m_clockCount = threads;
    for (int i = 0; i < threads; ++i)
        m_workers.emplace_back([this, i] { workerLoop(i); });
}

TileCache::~TileCache()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    for (std::thread &worker : m_workers)
        worker.join();
}

int TileCache::defaultThreads()
{
    // Leave a core for the GUI and render threads.
    return std::clamp(QThread::idealThreadCount() - 1, 1, 4);
}

void TileCache::setView(const QRectF &visible, double pixelsPerUnit)
{
    int level = tiles::levelFor(pixelsPerUnit);
    // Tiles may be shown a little enlarged before the next level is painted: a view at 100 % that zooms by a few
    // per cent either way would otherwise change levels, and paint and upload a screenful of tiles, at every step.
    if (level == m_level + 1 && tiles::levelScale(m_level) * kMaxEnlargement >= pixelsPerUnit)
        level = m_level;
    if (visible == m_visible && level == m_level)
        return;
    if (level != m_level)
        ++m_counters.levelChanges;
    m_visible = visible;
    m_level = level;
    pump();
}

void TileCache::invalidate(const QRectF &rect)
{
    if (rect.isEmpty())
        return;
    ++m_generation;
    for (auto it = m_tiles.begin(); it != m_tiles.end(); ++it) {
        const QRectF tile = tiles::boardRect(it.key());
        if (tile.left() <= rect.right() && tile.right() >= rect.left() && tile.top() <= rect.bottom()
            && tile.bottom() >= rect.top())
            it->dirty = m_generation;
    }
    // Many changes often arrive at once (a catch-up, a clear): hand out jobs once they are all in.
    if (!m_pumpPending) {
        m_pumpPending = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_pumpPending = false;
                pump();
            },
            Qt::QueuedConnection);
    }
}

void TileCache::invalidateAll()
{
    ++m_generation;
    m_replaced = m_generation;
    for (Tile &tile : m_tiles)
        tile.dirty = m_generation;
    pump();
}

void TileCache::clear()
{
    {
        const std::lock_guard lock(m_mutex);
        m_inFlight -= int(m_queue.size());
        m_queue.clear();
    }
    m_tiles.clear();
}

QList<TileKey> TileCache::wanted() const
{
    if (m_visible.isEmpty())
        return {};
    QList<TileKey> visible = tiles::covering(m_visible, m_level);
    const QPointF centre = m_visible.center();
    const auto distance = [centre](TileKey key) {
        const QPointF d = tiles::boardRect(key).center() - centre;
        return d.x() * d.x() + d.y() * d.y();
    };
    const auto nearer = [&distance](TileKey a, TileKey b) { return distance(a) < distance(b); };
    std::stable_sort(visible.begin(), visible.end(), nearer);
    // Then one ring around the view, so that a pan finds its next tiles ready.
    const double size = tiles::TilePixels / tiles::levelScale(m_level);
    QList<TileKey> ring;
    for (const TileKey &key : tiles::covering(m_visible.adjusted(-size, -size, size, size), m_level)) {
        if (!tiles::boardRect(key).intersects(m_visible))
            ring.append(key);
    }
    std::stable_sort(ring.begin(), ring.end(), nearer);
    return visible + ring;
}

void TileCache::pump()
{
    if (m_inFlight >= m_maxInFlight)
        return;
    const QList<TileKey> keys = wanted();
    for (const TileKey &key : keys) {
        Tile &tile = m_tiles[key];
        tile.lastSeen = m_frame;
        if (tile.busy || tile.fresh())
            continue;
        QList<proto::Item> items = m_source(tiles::boardRect(key));
        if (items.isEmpty()) {
            // Nothing to paint: known at once, no job.
            tile.image = QImage();
            tile.rendered = m_generation;
            tile.serial = ++m_serial;
            continue;
        }
        tile.busy = true;
        ++m_inFlight;
        {
            const std::lock_guard lock(m_mutex);
            m_queue.push_back({key, m_generation, std::move(items)});
        }
        m_wake.notify_one();
        if (m_inFlight >= m_maxInFlight)
            break;
    }
    evict(keys);
}

qint64 TileCache::paintingNs() const
{
    const qint64 now = steadyNs();
    qint64 total = 0;
    for (int i = 0; i < m_clockCount; ++i) {
        const PaintClock &clock = m_clocks[size_t(i)];
        // A consistent pair: the same job running (or none) before and after reading what is done.
        qint64 started = 0;
        qint64 done = 0;
        for (;;) {
            started = clock.startedNs.load();
            done = clock.doneNs.load();
            if (clock.startedNs.load() == started)
                break;
        }
        total += done;
        if (started > 0)
            total += std::max<qint64>(0, now - started);
    }
    return total;
}

void TileCache::workerLoop(int index)
{
    PaintClock &clock = m_clocks[size_t(index)];
#if defined(Q_OS_LINUX)
    // Painting is background work: a frame (the render thread and, with software OpenGL, its rasterizer threads)
    // should win every contest for a core, and painting fill the time in between. Nice 10 gives a thread about a
    // tenth of a core that others also want; with no contest it runs at full speed.
    ::setpriority(PRIO_PROCESS, id_t(::gettid()), 10);
#endif
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        const qint64 started = steadyNs();
        clock.startedNs.store(started);
        QImage image = renderTile(job.key, job.items);
        clock.doneNs.fetch_add(steadyNs() - started);
        clock.startedNs.store(0);
        QMetaObject::invokeMethod(
            this,
            [this, key = job.key, generation = job.generation, image = std::move(image)] {
                finished(key, generation, image);
            },
            Qt::QueuedConnection);
    }
}

void TileCache::finished(TileKey key, quint64 generation, const QImage &image)
{
    --m_inFlight;
    ++m_counters.tilesPainted;
    const auto it = m_tiles.find(key);
    if (it != m_tiles.end()) {
        it->busy = false;
        if (generation >= it->rendered) {
            it->image = image;
            it->rendered = generation;
            it->serial = ++m_serial;
        }
    }
    pump();
    Q_EMIT updated();
}

void TileCache::evict(const QList<TileKey> &keep)
{
    const qsizetype limit = keep.size() + m_budget;
    if (m_tiles.size() <= limit)
        return;
    const QSet<TileKey> kept(keep.cbegin(), keep.cend());
    std::vector<std::pair<quint64, TileKey>> candidates;
    for (auto it = m_tiles.cbegin(); it != m_tiles.cend(); ++it) {
        if (!it->busy && !kept.contains(it.key()))
            candidates.emplace_back(it->lastSeen, it.key());
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[seen, key] : candidates) {
        if (m_tiles.size() <= limit)
            break;
        m_tiles.remove(key);
    }
}

void TileCache::addPiece(TileKey key, const Tile &tile, const QRectF &target, QList<Piece> &out)
{
    if (tile.image.isNull())
        return;
    const QRectF whole = tiles::boardRect(key);
    const double scale = tiles::levelScale(key.level);
    const QRectF source((target.topLeft() - whole.topLeft()) * scale, target.size() * scale);
    out.append({target, source, tile.image, tile.serial});
    ++m_counters.pieces;
}

bool TileCache::standIn(TileKey key, QList<Piece> &out, quint64 current)
{
    const QRectF target = tiles::boardRect(key);
    const auto usable = [current](const Tile &tile) { return tile.known() && tile.rendered >= current; };
    // A finer level (the view was zoomed out): its four tiles fill this one exactly.
    QList<std::pair<TileKey, Tile *>> children;
    for (int dy = 0; dy < 2; ++dy) {
        for (int dx = 0; dx < 2; ++dx) {
            const TileKey child {key.level + 1, key.x * 2 + dx, key.y * 2 + dy};
            const auto it = m_tiles.find(child);
            if (it != m_tiles.end() && usable(*it))
                children.append({child, &*it});
        }
    }
    if (children.size() == 4) {
        for (const auto &[child, tile] : children) {
            tile->lastSeen = m_frame;
            addPiece(child, *tile, tiles::boardRect(child), out);
        }
        return true;
    }
    // A coarser level (the view was zoomed in): part of one tile, enlarged.
    for (int up = 1; up <= 4 && key.level - up >= tiles::MinLevel; ++up) {
        const TileKey parent = tiles::ancestor(key, key.level - up);
        const auto it = m_tiles.find(parent);
        if (it != m_tiles.end() && usable(*it)) {
            it->lastSeen = m_frame;
            addPiece(parent, *it, target, out);
            return true;
        }
    }
    for (const auto &[child, tile] : children) {
        tile->lastSeen = m_frame;
        addPiece(child, *tile, tiles::boardRect(child), out);
    }
    return !children.isEmpty();
}

QList<TileCache::Piece> TileCache::pieces()
{
    ++m_frame;
    QList<Piece> out;
    if (m_visible.isEmpty())
        return out;
    for (const TileKey &key : tiles::covering(m_visible, m_level)) {
        const auto it = m_tiles.find(key);
        if (it != m_tiles.end() && it->known()) {
            // Painted before the board was replaced: another level painted since shows this board, if there is one.
            if (it->rendered < m_replaced && standIn(key, out, m_replaced)) {
                ++m_counters.standIns;
                continue;
            }
            it->lastSeen = m_frame;
            addPiece(key, *it, tiles::boardRect(key), out);
            continue;
        }
        ++m_counters.standIns;
        if (!standIn(key, out, 0))
            ++m_counters.missing;
    }
    return out;
}

quint64 TileCache::freshGeneration() const
{
    quint64 oldest = m_generation;
    for (const TileKey &key : tiles::covering(m_visible, m_level)) {
        const auto it = m_tiles.constFind(key);
        if (it == m_tiles.cend() || !it->known())
            return 0;
        // A fresh tile is right as of now; an out-of-date one as of when it was painted.
        if (!it->fresh())
            oldest = std::min(oldest, it->rendered);
    }
    return oldest;
}

} // namespace inkroom::ui
