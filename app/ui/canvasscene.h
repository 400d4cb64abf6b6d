#pragma once

#include "protocol.h"
#include "tessellator.h"
#include "tilecache.h"

#include <QColor>
#include <QHash>
#include <QSGNode>

#include <functional>
#include <vector>

class QQuickWindow;
class QSGGeometryNode;
class QSGTexture;
class QSGTransformNode;

namespace inkroom::ui {

//! An item as the board shows it: pending text a little faded until the room confirms it (as an editor's
//! placeholder would be).
[[nodiscard]] proto::Item shownItem(const proto::Item &item, bool pending);

/** @brief The canvas's nodes in Qt Quick's scene graph, kept from frame to frame: the dot grid (screen space), then in
 *  board space the board's tiles, the items changed since their tiles were painted, the lifted (dragged) items, the
 *  strokes in progress and the overlay (selection, band, resize handle).
 *
 * CanvasItem::updatePaintNode() owns the decisions (what changed, what is drawn); this class owns the nodes: each
 * layer is replaced when told, opaque items as triangles and text or translucent ones painted into one patch
 * (RasterPatch), tile textures uploaded once and kept while they are drawn. Used only while the GUI thread waits.
 */
class CanvasScene : public QSGNode
{
public:
    //! The layers of items that showItems() replaces.
    enum class Layer {
        Recent,
        Lifted,
        Live
    };

    //! Running totals of the tiles' textures, for per-frame traces.
    struct Counters
    {
        quint64 uploads = 0; //!< textures made from tile images (each is uploaded before it is first drawn)
        quint64 uploadBytes = 0;
        quint64 texturesDeleted = 0;
        quint64 tileNodes = 0; //!< tile image nodes drawn, over all frames
        qsizetype texturesHeld = 0; //!< now
        quint64 nodesAdded = 0; //!< tile image nodes added to the scene graph (or removed: nodesRemoved)
        quint64 nodesRemoved = 0;
        qsizetype geometryVertices = 0; //!< now: the recent, lifted, live and overlay layers' triangles
    };

    CanvasScene();
    ~CanvasScene() override;
    CanvasScene(const CanvasScene &) = delete;
    CanvasScene &operator=(const CanvasScene &) = delete;

    //! Board space on screen: screen = origin + zoom * board.
    void setView(qreal zoom, QPointF origin);
    //! A dot grid over a view of this size whose spacing on screen stays between 24 and 96 pixels at any zoom
    //! (none when the colour is transparent).
    void showGrid(const QColor &colour, QSizeF size, qreal zoom, QPointF origin);
    //! The board's tiles: one image node per piece; textures not drawn for a while are let go.
    void showTiles(QQuickWindow &window, const QList<TileCache::Piece> &pieces);
    /** Replace a layer with these items, bottom to top: triangles with an antialiasing fringe of `fringe` board
     *  units, or painted at `pixelsPerUnit` over `area` (board coordinates) when they need it; pending(id) says
     *  which are not confirmed yet (pending text is shown faded). */
    void showItems(Layer layer, QQuickWindow *window, const QList<const proto::Item *> &items,
                   const std::function<bool(const QString &)> &pending, const QRectF &area, qreal pixelsPerUnit,
                   qreal fringe);
    //! How far the lifted items are dragged (board units).
    void setLiftOffset(QPointF offset);
    //! The overlay's triangles (board space).
    void showOverlay(const std::vector<Vertex> &vertices);
    [[nodiscard]] const Counters &counters() const { return m_counters; }

private:
    void countVertices();

    struct UploadedTile
    {
        QSGTexture *texture = nullptr;
        quint64 lastDrawn = 0; //!< frame number
    };

    QSGGeometryNode *m_grid;
    QSGTransformNode *m_view;
    QSGNode *m_tiles; //!< one image node per piece of TileCache::pieces()
    QSGGeometryNode *m_recent;
    QSGNode *m_recentRaster; //!< text and translucent items among the recent ones (RasterPatch)
    QSGTransformNode *m_lift;
    QSGGeometryNode *m_liftGeometry;
    QSGNode *m_liftRaster;
    QSGGeometryNode *m_live;
    QSGNode *m_liveRaster;
    QSGGeometryNode *m_overlay;
    //! By image serial. Kept a while after they were last drawn: zooming back and forth across a level, or panning
    //! back, draws the same tiles again, and uploading them again would cost more than the frame itself.
    QHash<quint64, UploadedTile> m_textures;
    quint64 m_frame = 0;
    Counters m_counters;
};

} // namespace inkroom::ui
