#include "boardscene.h"

#include <algorithm>

namespace inkroom::ui {

using proto::Item;

void BoardScene::reset(const BoardView &board)
{
    m_chunks.clear();
    m_chunkOf.clear();
    m_zOf.clear();
    m_structureChanged = true;
    std::unique_ptr<Chunk> current;
    for (const Item &item : board.orderedItems()) {
        if (!current || int(current->items.size()) >= ChunkCapacity) {
            if (current)
                m_chunks.push_back(std::move(current));
            current = std::make_unique<Chunk>();
            current->id = m_nextChunkId++;
        }
        current->items.emplace_back(item.z, item.id);
        m_chunkOf.insert(item.id, current.get());
        m_zOf.insert(item.id, item.z);
    }
    if (current)
        m_chunks.push_back(std::move(current));
}

void BoardScene::apply(const BoardView &board, const BoardChange &change)
{
    if (change.cleared) {
        reset(board);
        return;
    }
    for (const QString &id : change.removed)
        remove(id);
    const auto follow = [this, &board](const QString &id) {
        const Item *item = board.item(id);
        if (!item) {
            remove(id);
            return;
        }
        const auto known = m_zOf.constFind(id);
        if (known != m_zOf.cend() && *known == item->z) {
            m_chunkOf.value(id)->dirty = true;
            return;
        }
        remove(id);
        insert(id, item->z);
    };
    for (const QString &id : change.added)
        follow(id);
    for (const QString &id : change.updated)
        follow(id);
}

void BoardScene::detach(const QStringList &ids)
{
    for (const QString &id : ids)
        remove(id);
}

void BoardScene::attach(const BoardView &board, const QStringList &ids)
{
    for (const QString &id : ids) {
        remove(id);
        if (const Item *item = board.item(id))
            insert(id, item->z);
    }
}

QList<quint64> BoardScene::rebuildDirty(const BoardView &board)
{
    QList<quint64> rebuilt;
    for (const auto &chunk : m_chunks) {
        if (!chunk->dirty)
            continue;
        chunk->vertices.clear();
        Tessellator tessellator(chunk->vertices);
        for (const auto &[z, id] : chunk->items) {
            if (const Item *item = board.item(id))
                tessellator.addItem(*item);
        }
        chunk->dirty = false;
        rebuilt.append(chunk->id);
    }
    return rebuilt;
}

BoardScene::Chunk *BoardScene::chunkFor(quint64 z)
{
    if (m_chunks.empty()) {
        auto chunk = std::make_unique<Chunk>();
        chunk->id = m_nextChunkId++;
        m_chunks.push_back(std::move(chunk));
        m_structureChanged = true;
        return m_chunks.back().get();
    }
    // The last chunk whose first item is at or below z; new top items land in the last chunk.
    auto it = std::upper_bound(m_chunks.begin(), m_chunks.end(), z, [](quint64 value, const auto &chunk) {
        return !chunk->items.empty() && value < chunk->items.front().first;
    });
    if (it != m_chunks.begin())
        --it;
    return it->get();
}

void BoardScene::insert(const QString &id, quint64 z)
{
    Chunk *chunk = chunkFor(z);
    const auto entry = std::make_pair(z, id);
    chunk->items.insert(std::upper_bound(chunk->items.begin(), chunk->items.end(), entry), entry);
    chunk->dirty = true;
    m_chunkOf.insert(id, chunk);
    m_zOf.insert(id, z);
    if (int(chunk->items.size()) >= 2 * ChunkCapacity)
        split(chunk);
}

void BoardScene::remove(const QString &id)
{
    Chunk *chunk = m_chunkOf.take(id);
    if (!chunk)
        return;
    const quint64 z = m_zOf.take(id);
    const auto entry = std::make_pair(z, id);
    const auto it = std::lower_bound(chunk->items.begin(), chunk->items.end(), entry);
    if (it != chunk->items.end() && *it == entry)
        chunk->items.erase(it);
    chunk->dirty = true;
    if (chunk->items.empty()) {
        std::erase_if(m_chunks, [chunk](const auto &c) { return c.get() == chunk; });
        m_structureChanged = true;
    }
}

void BoardScene::split(Chunk *chunk)
{
    auto upper = std::make_unique<Chunk>();
    upper->id = m_nextChunkId++;
    const auto middle = chunk->items.begin() + std::ptrdiff_t(chunk->items.size() / 2);
    upper->items.assign(middle, chunk->items.end());
    chunk->items.erase(middle, chunk->items.end());
    for (const auto &[z, id] : upper->items)
        m_chunkOf.insert(id, upper.get());
    chunk->dirty = true;
    const auto position =
        std::find_if(m_chunks.begin(), m_chunks.end(), [chunk](const auto &c) { return c.get() == chunk; });
    m_chunks.insert(position + 1, std::move(upper));
    m_structureChanged = true;
}

} // namespace inkroom::ui
