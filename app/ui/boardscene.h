#pragma once

#include "board.h"
#include "boardview.h"
#include "tessellator.h"

#include <QHash>

#include <memory>
#include <vector>

namespace inkroom::ui {

/** @brief The board split into z-ordered chunks of geometry, so that one change rebuilds one chunk.
 *
 * Each chunk holds up to about ChunkCapacity items, contiguous in stacking order, tessellated into one triangle
 * strip. A change to an item marks only its chunk dirty; panning and zooming touch no chunk at all.
 */
class BoardScene
{
public:
    static constexpr int ChunkCapacity = 256;

    struct Chunk
    {
        quint64 id = 0; //!< stable while the chunk lives; renderers key their nodes on it
        std::vector<std::pair<quint64, QString>> items; //!< (z, item id), sorted
        std::vector<Vertex> vertices;
        bool dirty = true;
    };

    //! Rebuild everything from the board.
    void reset(const BoardView &board);
    //! Follow one change of the board (the board already has the change applied).
    void apply(const BoardView &board, const BoardChange &change);
    //! Take items out of the chunks (while they are dragged, the canvas draws them on their own).
    void detach(const QStringList &ids);
    //! Put detached items back, as the board has them now.
    void attach(const BoardView &board, const QStringList &ids);
    //! Tessellate the dirty chunks; returns the ids of the chunks it rebuilt.
    QList<quint64> rebuildDirty(const BoardView &board);

    [[nodiscard]] const std::vector<std::unique_ptr<Chunk>> &chunks() const { return m_chunks; }
    [[nodiscard]] bool structureChanged() const { return m_structureChanged; }
    void clearStructureChanged() { m_structureChanged = false; }
    [[nodiscard]] qsizetype itemCount() const { return m_chunkOf.size(); }

    //! Every item id in the scene.
    [[nodiscard]] QStringList ids() const { return m_chunkOf.keys(); }

private:
    void insert(const QString &id, quint64 z);
    void remove(const QString &id);
    Chunk *chunkFor(quint64 z);
    void split(Chunk *chunk);

    std::vector<std::unique_ptr<Chunk>> m_chunks; //!< in stacking order
    QHash<QString, Chunk *> m_chunkOf;
    QHash<QString, quint64> m_zOf;
    quint64 m_nextChunkId = 1;
    bool m_structureChanged = true;
};

} // namespace inkroom::ui
