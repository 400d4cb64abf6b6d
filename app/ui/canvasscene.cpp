#include "canvasscene.h"

#include "itempainter.h"
#include "rasterpatch.h"

#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGImageNode>
#include <QSGTexture>
#include <QSGTransformNode>
#include <QSGVertexColorMaterial>

#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace {

//! Tile textures are kept this many frames after they were last drawn, and at most this many (256 KB each).
constexpr quint64 kKeepFrames = 120;
constexpr qsizetype kKeepTextures = 192;

QSGGeometryNode *makeStripNode()
{
    auto *node = new QSGGeometryNode;
    auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0);
    geometry->setDrawingMode(QSGGeometry::DrawTriangleStrip);
    node->setGeometry(geometry);
    node->setFlag(QSGNode::OwnsGeometry);
    node->setMaterial(new QSGVertexColorMaterial);
    node->setFlag(QSGNode::OwnsMaterial);
    return node;
}

QSGGeometryNode *stripNode(const std::vector<Vertex> &vertices)
{
    QSGGeometryNode *node = makeStripNode();
    QSGGeometry *geometry = node->geometry();
    geometry->allocate(int(vertices.size()));
    if (!vertices.empty())
        std::copy(vertices.begin(), vertices.end(), geometry->vertexDataAsColoredPoint2D());
    node->markDirty(QSGNode::DirtyGeometry);
    return node;
}

//! Swap in a new node rather than refill the old one: the batch renderer on 6.4 does not draw a node whose
//! geometry was refilled after it was first seen empty.
void replaceStrip(QSGGeometryNode *&node, const std::vector<Vertex> &vertices)
{
    QSGGeometryNode *fresh = stripNode(vertices);
    QSGNode *parent = node->parent();
    parent->insertChildNodeAfter(fresh, node);
    parent->removeChildNode(node);
    delete node;
    node = fresh;
}

//! Show a raster patch as the only child of container (or nothing, for an empty patch).
void showPatch(QQuickWindow *window, QSGNode *container, const RasterPatch &patch)
{
    while (QSGNode *child = container->firstChild()) {
        container->removeChildNode(child);
        delete child;
    }
    if (patch.image.isNull() || !window)
        return;
    QSGImageNode *node = window->createImageNode();
    node->setTexture(window->createTextureFromImage(patch.image));
    node->setOwnsTexture(true);
    node->setFiltering(QSGTexture::Linear);
    node->setRect(patch.target);
    node->setSourceRect(QRectF(QPointF(0, 0), patch.image.size()));
    container->appendChildNode(node);
}

} // namespace

Item shownItem(const Item &item, bool pending)
{
    if (!pending || item.kind != ItemKind::Text)
        return item;
    Item faded = item;
    const auto alpha = proto::Colour(std::lround((item.colour >> 24) * 0.75));
    faded.colour = (alpha << 24) | (item.colour & 0xffffff);
    return faded;
}

CanvasScene::CanvasScene()
{
    m_grid = makeStripNode();
    appendChildNode(m_grid);
    m_view = new QSGTransformNode;
    appendChildNode(m_view);
    m_tiles = new QSGNode;
    m_view->appendChildNode(m_tiles);
    m_recent = makeStripNode();
    m_view->appendChildNode(m_recent);
    m_recentRaster = new QSGNode;
    m_view->appendChildNode(m_recentRaster);
    m_lift = new QSGTransformNode;
    m_view->appendChildNode(m_lift);
    m_liftGeometry = makeStripNode();
    m_lift->appendChildNode(m_liftGeometry);
    m_liftRaster = new QSGNode;
    m_lift->appendChildNode(m_liftRaster);
    m_live = makeStripNode();
    m_view->appendChildNode(m_live);
    m_liveRaster = new QSGNode;
    m_view->appendChildNode(m_liveRaster);
    m_overlay = makeStripNode();
    m_view->appendChildNode(m_overlay);
}

CanvasScene::~CanvasScene()
{
    for (const UploadedTile &tile : std::as_const(m_textures))
        delete tile.texture;
}

void CanvasScene::setView(qreal zoom, QPointF origin)
{
    QTransform view;
    view.translate(origin.x(), origin.y());
    view.scale(zoom, zoom);
    m_view->setMatrix(QMatrix4x4(view));
}

void CanvasScene::showGrid(const QColor &colour, QSizeF size, qreal zoom, QPointF origin)
{
    std::vector<Vertex> dots;
    if (colour.alpha() > 0 && size.width() > 0 && size.height() > 0) {
        qreal spacing = 32 * zoom;
        while (spacing < 24)
            spacing *= 4;
        while (spacing > 96)
            spacing /= 4;
        const qreal startX = std::fmod(origin.x(), spacing) - spacing;
        const qreal startY = std::fmod(origin.y(), spacing) - spacing;
        Tessellator t(dots);
        for (qreal y = startY; y < size.height() + spacing; y += spacing) {
            for (qreal x = startX; x < size.width() + spacing; x += spacing)
                t.addSquare(QPointF(x, y), 2.0, colour.rgba());
        }
    }
    replaceStrip(m_grid, dots);
}

void CanvasScene::showTiles(QQuickWindow &window, const QList<TileCache::Piece> &pieces)
{
    const quint64 frame = ++m_frame;
    QSGNode *node = m_tiles->firstChild();
    for (const TileCache::Piece &piece : pieces) {
        UploadedTile &uploaded = m_textures[piece.serial];
        if (!uploaded.texture) {
            uploaded.texture = window.createTextureFromImage(piece.image);
            ++m_counters.uploads;
            m_counters.uploadBytes += quint64(piece.image.sizeInBytes());
        }
        uploaded.lastDrawn = frame;
        auto *image = static_cast<QSGImageNode *>(node);
        const bool added = !image;
        if (added)
            image = window.createImageNode();
        else
            node = node->nextSibling();
        image->setOwnsTexture(false);
        image->setTexture(uploaded.texture);
        image->setFiltering(QSGTexture::Linear);
        image->setRect(piece.target);
        image->setSourceRect(piece.source);
        // Added only once it has its texture: the software renderer reads a node's texture the moment it is added.
        if (added) {
            m_tiles->appendChildNode(image);
            ++m_counters.nodesAdded;
        }
    }
    while (node) {
        ++m_counters.nodesRemoved;
        QSGNode *next = node->nextSibling();
        m_tiles->removeChildNode(node);
        delete node;
        node = next;
    }
    // Textures not drawn for a while go, and the least recently drawn beyond a budget (a tile is 256 KB).
    const qsizetype before = m_textures.size();
    m_textures.removeIf([frame](const auto &entry) {
        const bool stale = entry.value().lastDrawn + kKeepFrames < frame;
        if (stale)
            delete entry.value().texture;
        return stale;
    });
    m_counters.texturesDeleted += quint64(before - m_textures.size());
    if (m_textures.size() > kKeepTextures) {
        std::vector<std::pair<quint64, quint64>> byAge; // (last drawn, serial)
        for (auto it = m_textures.cbegin(); it != m_textures.cend(); ++it)
            byAge.emplace_back(it->lastDrawn, it.key());
        std::sort(byAge.begin(), byAge.end());
        for (const auto &[drawn, serial] : byAge) {
            if (m_textures.size() <= kKeepTextures || drawn == frame)
                break;
            delete m_textures.take(serial).texture;
            ++m_counters.texturesDeleted;
        }
    }
    m_counters.tileNodes += quint64(pieces.size());
    m_counters.texturesHeld = m_textures.size();
}

void CanvasScene::showItems(Layer layer, QQuickWindow *window, const QList<const Item *> &items,
                            const std::function<bool(const QString &)> &pending, const QRectF &area,
                            qreal pixelsPerUnit, qreal fringe)
{
    QSGGeometryNode *&geometry = layer == Layer::Recent ? m_recent : layer == Layer::Lifted ? m_liftGeometry : m_live;
    QSGNode *raster = layer == Layer::Recent ? m_recentRaster : layer == Layer::Lifted ? m_liftRaster : m_liveRaster;
    std::vector<Vertex> vertices;
    Tessellator t(vertices, fringe);
    QList<Item> painted;
    for (const Item *item : items) {
        if (render::needsRaster(*item))
            painted.append(shownItem(*item, pending(item->id)));
        else
            t.addItem(*item);
    }
    replaceStrip(geometry, vertices);
    showPatch(window, raster, RasterPatch::paint(painted, area, pixelsPerUnit));
    countVertices();
}

void CanvasScene::setLiftOffset(QPointF offset)
{
    QTransform lift;
    lift.translate(offset.x(), offset.y());
    m_lift->setMatrix(QMatrix4x4(lift));
}

void CanvasScene::showOverlay(const std::vector<Vertex> &vertices)
{
    replaceStrip(m_overlay, vertices);
    countVertices();
}

void CanvasScene::countVertices()
{
    m_counters.geometryVertices = 0;
    for (const QSGGeometryNode *node : {m_recent, m_liftGeometry, m_live, m_overlay})
        m_counters.geometryVertices += node->geometry()->vertexCount();
}

} // namespace inkroom::ui
