#include "canvasitem.h"

#include "canvasinput.h"
#include "canvasscene.h"

#include "imagelibrary.h"

#include "protocollimits.h"
#include "rasterpatch.h"
#include "textlayout.h"

#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGImageNode>
#include <QSGTexture>
#include <QSGTransformNode>
#include <QSGVertexColorMaterial>
#include <QTabletEvent>
#include <QTouchEvent>
#include <QWheelEvent>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

constexpr qreal kMinZoom = 0.02;
constexpr qreal kMaxZoom = 32;
constexpr proto::Colour kSelectionColour = 0xff1a73e8;
constexpr proto::Colour kBandColour = 0x801a73e8;
//! At most this many just-changed items are drawn as geometry while their tiles are painted.
constexpr qsizetype kMaxRecent = 256;

proto::Colour toColour(const QColor &c)
{
    return c.rgba();
}

QPointF clampToBoard(QPointF p)
{
    return {std::clamp(p.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
            std::clamp(p.y(), -limits::MaxCoordinate, limits::MaxCoordinate)};
}

//! The board's items with these ids, bottom to top (as Board::orderedItems() orders them).
QList<const Item *> bottomToTop(const BoardView &board, const QList<QString> &ids)
{
    QList<const Item *> items;
    items.reserve(ids.size());
    for (const QString &id : ids) {
        if (const Item *item = board.item(id))
            items.append(item);
    }
    std::sort(items.begin(), items.end(),
              [](const Item *a, const Item *b) { return a->z != b->z ? a->z < b->z : a->id < b->id; });
    return items;
}

} // namespace

CanvasItem::CanvasItem(QQuickItem *parent)
    : QQuickItem(parent)
    , m_tiles([this](const QRectF &rect) { return tileItems(rect); })
    , m_input(std::make_unique<CanvasInput>(*this))
{
    connect(&m_tiles, &TileCache::updated, this, &CanvasItem::onTilesUpdated);
    connect(&m_tween, &ViewTween::step, this, [this](qreal zoom, QPointF origin) {
        m_steering = true;
        setView(zoom, origin);
        m_steering = false;
    });
    // A picture arrived (fetched, or decoded from the cache; on a worker thread): draw the items showing it again.
    connect(
        &render::ImageLibrary::instance(), &render::ImageLibrary::imageAdded, this,
        [this](const QString &hash) {
            if (!m_session)
                return;
            for (const proto::Item &item : m_session->board()->orderedItems()) {
                if (item.kind == proto::ItemKind::Image && item.blob == hash) {
                    m_tiles.invalidate(m_index.bounds(item.id));
                    m_recentDirty = true;
                }
            }
            update();
        },
        Qt::QueuedConnection);
    setFlag(ItemHasContents);
    setFlag(ItemAcceptsInputMethod, false);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::MiddleButton | Qt::RightButton);
    setAcceptHoverEvents(true);
    setAcceptTouchEvents(true);
    setActiveFocusOnTab(true);
    setClip(true);
    m_input->setWindow(window());
}

CanvasItem::~CanvasItem() = default;

void CanvasItem::setSession(client::Session *session)
{
    if (m_session == session)
        return;
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session->board(), nullptr, this, nullptr);
        disconnect(m_session->liveStrokes(), nullptr, this, nullptr);
        disconnect(m_session->following(), nullptr, this, nullptr);
        m_tween.stop();
    }
    m_session = session;
    // Another board: its tiles start from nothing rather than show the last one's until they are painted.
    m_tiles.clear();
    if (m_session) {
        connect(m_session->board(), &client::BoardDocument::changed, this, &CanvasItem::onBoardChanged);
        connect(m_session->board(), &client::BoardDocument::reset, this, &CanvasItem::onBoardReset);
        const auto liveChanged = [this] {
            m_liveDirty = true;
            update();
        };
        client::LiveStrokesModel *live = m_session->liveStrokes();
        connect(live, &client::LiveStrokesModel::pointsChanged, this, liveChanged);
        connect(live, &QAbstractItemModel::rowsInserted, this, liveChanged);
        connect(live, &QAbstractItemModel::rowsRemoved, this, liveChanged);
        connect(live, &QAbstractItemModel::modelReset, this, liveChanged);
        connect(live, &QAbstractItemModel::dataChanged, this, liveChanged);
        connect(m_session, &QObject::destroyed, this, [this] { onBoardReset(); });
        connect(m_session->following(), &client::Following::targetChanged, this, [this] { steerToPresenter(true); });
        connect(m_session->following(), &client::Following::changed, this, [this] {
            if (!m_session->following()->active())
                m_tween.stop();
        });
        connect(m_session, &client::Session::welcomed, this, [this] { viewMoved(false); });
        viewMoved(false);
    }
    onBoardReset();
    Q_EMIT sessionChanged();
}

void CanvasItem::setTool(Tool tool)
{
    if (m_tool == tool)
        return;
    m_tool = tool;
    if (tool != Select)
        clearSelection();
    Q_EMIT toolChanged();
}

void CanvasItem::setColour(const QColor &colour)
{
    if (m_colour == colour)
        return;
    m_colour = colour;
    Q_EMIT colourChanged();
    Q_EMIT editingTextChanged();
}

void CanvasItem::setFill(const QColor &fill)
{
    if (m_fill == fill || (!m_fill.isValid() && !fill.isValid()))
        return;
    m_fill = fill;
    Q_EMIT styleChanged();
}

void CanvasItem::setItemOpacity(qreal opacity)
{
    opacity = std::clamp(opacity, limits::MinOpacity, limits::MaxOpacity);
    if (qFuzzyCompare(m_opacity, opacity))
        return;
    m_opacity = opacity;
    Q_EMIT styleChanged();
}

void CanvasItem::setDash(proto::Dash dash)
{
    if (m_dash == dash)
        return;
    m_dash = dash;
    Q_EMIT styleChanged();
}

void CanvasItem::setHeads(std::optional<proto::Heads> heads)
{
    if (m_heads == heads)
        return;
    m_heads = heads;
    Q_EMIT styleChanged();
}

client::StrokeStyle CanvasItem::toolStyle() const
{
    client::StrokeStyle style;
    style.colour = toColour(m_colour);
    style.width = m_strokeWidth;
    if (m_fill.isValid() && (m_tool == Rect || m_tool == Ellipse))
        style.fill = toColour(m_fill);
    style.opacity = m_opacity;
    if (m_tool != Pen && m_tool != Highlighter)
        style.dash = m_dash;
    if (m_tool == Line || m_tool == Arrow)
        style.heads = m_heads;
    if (m_tool == Highlighter) {
        // A marker: translucent and wide (its translucency is its colour's, so overlaps show once).
        QColor marker = m_colour;
        marker.setAlphaF(0.35);
        style.colour = toColour(marker);
        style.width = std::min(m_strokeWidth * 4, limits::MaxWidth);
    }
    return style;
}

void CanvasItem::setStrokeWidth(qreal width)
{
    width = std::clamp(width, limits::MinWidth, limits::MaxWidth);
    if (qFuzzyCompare(m_strokeWidth, width))
        return;
    m_strokeWidth = width;
    Q_EMIT strokeWidthChanged();
}

void CanvasItem::setFontSize(qreal size)
{
    size = std::clamp(size, 4.0, limits::MaxWidth);
    if (qFuzzyCompare(m_fontSize, size))
        return;
    m_fontSize = size;
    Q_EMIT fontSizeChanged();
    Q_EMIT editingTextChanged();
}

void CanvasItem::setGridColour(const QColor &colour)
{
    if (m_gridColour == colour)
        return;
    m_gridColour = colour;
    m_gridDirty = true;
    update();
    Q_EMIT gridColourChanged();
}

int CanvasItem::itemCount() const
{
    return m_session ? m_session->board()->itemCount() : 0;
}

QString CanvasItem::textFontFamily()
{
    return render::textFontFamily();
}

void CanvasItem::setEditingId(const QString &id)
{
    if (m_editingId == id)
        return;
    const QString before = std::exchange(m_editingId, id);
    // The item leaves the tiles while the editor shows it, and comes back when it closes.
    for (const QString &changed : {before, id}) {
        if (changed.isEmpty())
            continue;
        m_tiles.invalidate(m_index.bounds(changed));
        m_recentDirty |= m_recent.remove(changed) > 0;
    }
    update();
    Q_EMIT editingIdChanged();
    Q_EMIT editingTextChanged();
}

qreal CanvasItem::editingTextSize() const
{
    const Item *item = m_session && !m_editingId.isEmpty() ? m_session->board()->item(m_editingId) : nullptr;
    return item && item->kind == ItemKind::Text ? item->width : m_fontSize;
}

QColor CanvasItem::editingTextColour() const
{
    const Item *item = m_session && !m_editingId.isEmpty() ? m_session->board()->item(m_editingId) : nullptr;
    return item && item->kind == ItemKind::Text ? QColor::fromRgba(item->colour) : m_colour;
}

// ---- following the board ----

void CanvasItem::onBoardReset()
{
    static const Board emptyBoard;
    const PlainBoardView empty(emptyBoard);
    const std::optional<DocumentBoardView> document =
        m_session ? std::optional<DocumentBoardView>(std::in_place, *m_session->board()) : std::nullopt;
    const BoardView &board = document ? static_cast<const BoardView &>(*document) : empty;
    m_lifted.clear();
    m_liftOffset = {};
    reindex(board);
    QSet<QString> stillThere;
    for (const QString &id : std::as_const(m_selection)) {
        if (board.contains(id))
            stillThere.insert(id);
    }
    m_selection = stillThere;
    m_overlayDirty = true;
    m_liftDirty = true;
    m_liveDirty = true;
    update();
    Q_EMIT itemCountChanged();
    Q_EMIT selectionChanged();
}

void CanvasItem::reindex(const BoardView &board)
{
    m_index.clear();
    for (const Item &item : board.orderedItems())
        m_index.put(item);
    m_recent.clear();
    m_recentDirty = true;
    // Out-of-date tiles stay on screen until their replacements are painted: after a reconnect the board is
    // usually what it was, and a blank board would flash.
    m_tiles.invalidateAll();
}

void CanvasItem::follow(const QString &id)
{
    const Item *item = m_session ? m_session->board()->item(id) : nullptr;
    if (!item) {
        m_tiles.invalidate(m_index.remove(id));
        m_recentDirty |= m_recent.remove(id) > 0;
        return;
    }
    m_tiles.invalidate(m_index.put(*item));
    // Dragged items are drawn by the lift node; the text being edited by the editor.
    if (m_lifted.contains(id) || id == m_editingId)
        return;
    m_recent.insert(id, m_tiles.generation());
    m_recentDirty = true;
}

void CanvasItem::onBoardChanged(const BoardChange &change)
{
    const DocumentBoardView board(*m_session->board());
    if (change.cleared) {
        reindex(board);
    } else {
        for (const QString &id : change.removed)
            follow(id);
        for (const QString &id : change.added)
            follow(id);
        for (const QString &id : change.updated)
            follow(id);
        // A burst (a catch-up, a big paste) is left to the tiles: that much geometry would slow every frame.
        if (m_recent.size() > kMaxRecent) {
            m_recent.clear();
            m_recentDirty = true;
        }
    }
    if (!m_lifted.isEmpty())
        m_liftDirty = true;
    bool selectionLost = false;
    for (const QString &id : change.removed) {
        selectionLost |= m_selection.remove(id);
        m_lifted.remove(id);
    }
    m_overlayDirty = true;
    update();
    Q_EMIT itemCountChanged();
    if (selectionLost)
        Q_EMIT selectionChanged();
}

// ---- view ----

QPointF CanvasItem::mapToBoard(QPointF screenPoint) const
{
    return (screenPoint - m_origin) / m_zoom;
}
QPointF CanvasItem::mapFromBoard(QPointF boardPoint) const
{
    return boardPoint * m_zoom + m_origin;
}

void CanvasItem::setView(qreal zoom, QPointF origin)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (zoom == m_zoom && origin == m_origin)
        return;
    const bool zoomChanged = zoom != m_zoom;
    m_zoom = zoom;
    m_origin = origin;
    m_gridDirty = true;
    if (zoomChanged)
        m_overlayDirty = true; // selection outlines keep a constant on-screen width
    // Every fringe is a pixel wide, and raster patches cover what is on screen at its resolution.
    m_liveDirty = m_recentDirty = m_liftDirty = true;
    syncTileView();
    update();
    Q_EMIT viewChanged();
    viewMoved(!m_steering);
}

void CanvasItem::viewMoved(bool byHand)
{
    if (!m_session)
        return;
    if (byHand) {
        m_tween.stop();
        m_session->following()->interrupt();
    }
    if (width() > 0 && height() > 0) {
        const QRectF shown = visibleRect();
        m_session->setView(shown.x(), shown.y(), shown.width(), shown.height());
    }
}

void CanvasItem::steerToPresenter(bool animate)
{
    const QRectF target = m_session ? m_session->following()->target() : QRectF();
    if (target.isEmpty() || width() <= 0 || height() <= 0)
        return;
    const QSizeF viewport(width(), height());
    const ViewTween::View to = ViewTween::fit(target, viewport, kMinZoom, kMaxZoom);
    m_tween.start(ViewTween::View {m_zoom, m_origin}, to, viewport, animate ? 300 : 0);
}

void CanvasItem::syncTileView()
{
    if (width() <= 0 || height() <= 0) {
        m_tiles.setView({}, 1);
        return;
    }
    const qreal dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    m_tiles.setView(QRectF(mapToBoard({0, 0}), mapToBoard({width(), height()})), m_zoom * dpr);
}

QList<Item> CanvasItem::tileItems(const QRectF &rect) const
{
    QList<Item> items;
    if (!m_session)
        return items;
    const client::BoardDocument *board = m_session->board();
    for (const QString &id : m_index.query(rect)) {
        if (m_lifted.contains(id) || id == m_editingId)
            continue;
        if (const Item *item = board->item(id))
            items.append(shownItem(*item, board->isPending(id)));
    }
    return items;
}

void CanvasItem::onTilesUpdated()
{
    const quint64 fresh = m_tiles.freshGeneration();
    const qsizetype before = m_recent.size();
    m_recent.removeIf([fresh](const auto &entry) { return entry.value() <= fresh; });
    m_recentDirty |= m_recent.size() != before;
    update();
}

void CanvasItem::itemChange(ItemChange change, const ItemChangeData &value)
{
    QQuickItem::itemChange(change, value);
    if (change == ItemSceneChange)
        m_input->setWindow(value.window);
    if (change == ItemDevicePixelRatioHasChanged || change == ItemSceneChange)
        syncTileView();
}

void CanvasItem::zoomAt(qreal factor, QPointF screenPoint)
{
    const QPointF anchor = mapToBoard(screenPoint);
    const qreal zoom = std::clamp(m_zoom * factor, kMinZoom, kMaxZoom);
    setView(zoom, screenPoint - anchor * zoom);
}

void CanvasItem::zoomIn()
{
    zoomAt(1.25, QPointF(width() / 2, height() / 2));
}
void CanvasItem::zoomOut()
{
    zoomAt(0.8, QPointF(width() / 2, height() / 2));
}
void CanvasItem::panBy(qreal dx, qreal dy)
{
    setView(m_zoom, m_origin + QPointF(dx, dy));
}

void CanvasItem::resetView()
{
    setView(1, QPointF(width() / 2, height() / 2));
}

void CanvasItem::zoomToFit()
{
    const QRectF all = m_session ? m_session->board()->contentBounds() : QRectF();
    if (all.isEmpty() || width() <= 0 || height() <= 0) {
        resetView();
        return;
    }
    constexpr qreal margin = 48;
    const qreal zoom = std::clamp(std::min((width() - 2 * margin) / std::max(all.width(), 1.0),
                                           (height() - 2 * margin) / std::max(all.height(), 1.0)),
                                  kMinZoom, std::min<qreal>(kMaxZoom, 4));
    setView(zoom, QPointF(width() / 2, height() / 2) - all.center() * zoom);
}

void CanvasItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    // Keep the board point at the centre where it is when the window is resized.
    const QPointF growth(newGeometry.width() - oldGeometry.width(), newGeometry.height() - oldGeometry.height());
    m_origin += growth / 2;
    m_gridDirty = true;
    syncTileView();
    update();
    Q_EMIT viewChanged();
    // A follower's window keeps showing the presenter's view whatever its size.
    if (m_session && m_session->following()->active())
        steerToPresenter(false);
    else
        viewMoved(false);
}

// ---- verbs ----

void CanvasItem::deleteSelection()
{
    if (m_selection.isEmpty() || !m_session)
        return;
    QStringList ids(m_selection.cbegin(), m_selection.cend());
    ids.sort();
    setSelection({});
    m_session->removeItems(ids);
}

void CanvasItem::selectAll()
{
    const QStringList ids = m_index.ids();
    setSelection(QSet<QString>(ids.cbegin(), ids.cend()));
}

void CanvasItem::clearSelection()
{
    setSelection({});
}

QStringList CanvasItem::selectedIds() const
{
    QStringList ids(m_selection.cbegin(), m_selection.cend());
    ids.sort();
    return ids;
}

void CanvasItem::selectIds(const QStringList &ids)
{
    QSet<QString> shown;
    for (const QString &id : ids) {
        if (m_session && m_session->board()->contains(id))
            shown.insert(id);
    }
    setSelection(shown);
}

void CanvasItem::clearBoard()
{
    if (!m_session || m_session->board()->itemCount() == 0)
        return;
    setSelection({});
    m_session->clearBoard();
}

void CanvasItem::addText(QPointF boardPosition, const QString &text)
{
    if (!m_session || text.trimmed().isEmpty())
        return;
    proto::Item item;
    item.kind = ItemKind::Text;
    item.colour = toColour(m_colour);
    item.width = m_fontSize;
    item.opacity = m_opacity;
    item.points = {clampToBoard(boardPosition)};
    item.text = text.left(limits::MaxTextItemLength);
    if (m_session->addItem(item).isEmpty())
        Q_EMIT notice(tr("That text cannot be placed on the board."));
}

void CanvasItem::editText(const QString &id, const QString &text)
{
    if (!m_session)
        return;
    const Item *existing = m_session->board()->item(id);
    if (!existing || existing->kind != ItemKind::Text || existing->text == text)
        return;
    const bool done = text.trimmed().isEmpty() ? m_session->removeItems({id})
                                               : m_session->setItemText(id, text.left(limits::MaxTextItemLength));
    if (!done)
        Q_EMIT notice(tr("That text cannot be placed on the board."));
}

QList<Item> CanvasItem::shownItems(bool selectionOnly) const
{
    if (!m_session)
        return {};
    QList<Item> items = m_session->board()->orderedItems();
    if (selectionOnly)
        items.removeIf([this](const Item &item) { return !m_selection.contains(item.id); });
    return items;
}

void CanvasItem::setSelection(const QSet<QString> &ids)
{
    if (ids == m_selection)
        return;
    m_selection = ids;
    m_overlayDirty = true;
    update();
    Q_EMIT selectionChanged();
}

bool CanvasItem::panning() const
{
    return m_panning || m_input->spaceHeld();
}

void CanvasItem::setPanning(bool panning)
{
    const bool before = this->panning();
    m_panning = panning;
    if (before != this->panning())
        Q_EMIT panningChanged();
}

QRectF CanvasItem::resizeHandle() const
{
    if (!m_session || m_selection.size() != 1)
        return {};
    const Item *item = m_session->board()->item(*m_selection.cbegin());
    if (!item || item->kind != ItemKind::Image || item->points.size() != 2)
        return {};
    const QPointF corner = QRectF(item->points[0], item->points[1]).normalized().bottomRight();
    const qreal half = 8 / m_zoom; // 16 pixels on screen, whatever the zoom
    return QRectF(corner - QPointF(half, half), corner + QPointF(half, half));
}

void CanvasItem::sendCursor(QPointF board, bool visible)
{
    if (!m_session)
        return;
    if (visible) {
        const QPointF p = clampToBoard(board);
        m_session->moveCursor(p.x(), p.y());
    } else {
        m_session->hideCursor();
    }
}

void CanvasItem::lift()
{
    m_lifted = m_selection;
    m_liftOffset = {};
    // The lift node draws them from now on: out of the tiles and the just-changed overlay.
    for (const QString &id : std::as_const(m_lifted)) {
        m_tiles.invalidate(m_index.bounds(id));
        m_recentDirty |= m_recent.remove(id) > 0;
    }
    m_liftDirty = true;
    update();
}

void CanvasItem::land(bool commit)
{
    if (m_lifted.isEmpty())
        return;
    const QStringList ids(m_lifted.cbegin(), m_lifted.cend());
    const QPointF offset = m_liftOffset;
    m_lifted.clear();
    m_liftOffset = {};
    // Back where they were until the move below (if any) arrives; drawn as geometry until their tiles show them.
    for (const QString &id : ids)
        follow(id);
    m_liftDirty = true;
    m_overlayDirty = true;
    update();
    Q_EMIT liftOffsetChanged();
    if (commit && !offset.isNull() && m_session) {
        QStringList sorted = ids;
        sorted.sort();
        m_session->moveItems(sorted, std::clamp(offset.x(), -limits::MaxMoveDelta, limits::MaxMoveDelta),
                             std::clamp(offset.y(), -limits::MaxMoveDelta, limits::MaxMoveDelta));
    }
}

// ---- input (CanvasInput does the work) ----

void CanvasItem::mousePressEvent(QMouseEvent *event)
{
    m_input->mousePress(event);
}
void CanvasItem::mouseMoveEvent(QMouseEvent *event)
{
    m_input->mouseMove(event);
}
void CanvasItem::mouseReleaseEvent(QMouseEvent *event)
{
    m_input->mouseRelease(event);
}
void CanvasItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    m_input->mouseDoubleClick(event);
}
void CanvasItem::hoverMoveEvent(QHoverEvent *event)
{
    sendCursor(mapToBoard(event->position()), true);
}
void CanvasItem::hoverLeaveEvent(QHoverEvent *event)
{
    sendCursor(mapToBoard(event->position()), false);
}
void CanvasItem::wheelEvent(QWheelEvent *event)
{
    m_input->wheel(event);
}
void CanvasItem::touchEvent(QTouchEvent *event)
{
    m_input->touch(event);
}
void CanvasItem::keyPressEvent(QKeyEvent *event)
{
    m_input->keyPress(event);
}
void CanvasItem::keyReleaseEvent(QKeyEvent *event)
{
    m_input->keyRelease(event);
}
void CanvasItem::focusOutEvent(QFocusEvent *event)
{
    // The key that was nudging the selection will come up elsewhere: the move lands now.
    m_input->endNudge(true);
    QQuickItem::focusOutEvent(event);
}

bool CanvasItem::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::NativeGesture:
        if (m_input->nativeGesture(static_cast<QNativeGestureEvent *>(event)))
            return true;
        break;
    case QEvent::TabletPress:
    case QEvent::TabletMove:
    case QEvent::TabletRelease: {
        // Where Qt Quick gives an item pen events itself (the window's are watched otherwise: see CanvasInput).
        auto *tablet = static_cast<QTabletEvent *>(event);
        m_input->tablet(tablet, tablet->position());
        return event->isAccepted();
    }
    default:
        break;
    }
    return QQuickItem::event(event);
}

// ---- rendering ----

QSGNode *CanvasItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *scene = static_cast<CanvasScene *>(oldNode);
    if (!scene) {
        scene = new CanvasScene;
        m_gridDirty = m_overlayDirty = m_liveDirty = m_liftDirty = m_recentDirty = true;
    }
    static const Board emptyBoard;
    const PlainBoardView empty(emptyBoard);
    const std::optional<DocumentBoardView> document =
        m_session ? std::optional<DocumentBoardView>(std::in_place, *m_session->board()) : std::nullopt;
    const BoardView &board = document ? static_cast<const BoardView &>(*document) : empty;

    // Geometry is antialiased with a fringe one pixel wide, in board units (no multisampling needed).
    const double fringe = 1.0 / m_zoom;
    scene->setView(m_zoom, m_origin);
    if (m_gridDirty) {
        scene->showGrid(m_gridColour, size(), m_zoom, m_origin);
        m_gridDirty = false;
    }
    if (window())
        scene->showTiles(*window(), m_tiles.pieces());

    const qreal pixelsPerUnit = m_zoom * (window() ? window()->effectiveDevicePixelRatio() : 1.0);
    const QRectF visible(mapToBoard({0, 0}), mapToBoard({width(), height()}));
    const auto pending = [this](const QString &id) { return m_session && m_session->board()->isPending(id); };
    if (m_recentDirty) {
        scene->showItems(CanvasScene::Layer::Recent, window(), bottomToTop(board, m_recent.keys()), pending, visible,
                         pixelsPerUnit, fringe);
        m_recentDirty = false;
    }
    if (m_liftDirty) {
        // Painted once for the whole drag: wide enough to be dragged half a screen out of view either way.
        const QRectF area =
            visible.adjusted(-visible.width() / 2, -visible.height() / 2, visible.width() / 2, visible.height() / 2);
        scene->showItems(CanvasScene::Layer::Lifted, window(), bottomToTop(board, m_lifted.values()), pending, area,
                         pixelsPerUnit, fringe);
        m_liftDirty = false;
    }
    scene->setLiftOffset(m_liftOffset);
    if (m_liveDirty) {
        QList<Item> live;
        if (m_session) {
            // Everybody's strokes in progress, ours included: the session keeps them in one model.
            for (const client::LiveStroke &stroke : m_session->liveStrokes()->strokes()) {
                if (stroke.kind == ItemKind::Stroke || stroke.points.size() == 2)
                    live.append(client::liveItem(stroke));
            }
        }
        QList<const Item *> pointers;
        for (const Item &item : std::as_const(live))
            pointers.append(&item);
        scene->showItems(CanvasScene::Layer::Live, window(), pointers, pending, visible, pixelsPerUnit, fringe);
        m_liveDirty = false;
    }
    if (m_overlayDirty) {
        scene->showOverlay(overlay(board));
        m_overlayDirty = false;
    }
    m_sceneCounters = scene->counters();
    return scene;
}

//! The selection's outlines, the rubber band and the resize handle or the rectangle being resized (board space).
std::vector<Vertex> CanvasItem::overlay(const BoardView &board) const
{
    std::vector<Vertex> vertices;
    Tessellator t(vertices, 1.0 / m_zoom);
    const qreal line = 1.5 / m_zoom;
    const qreal pad = 4 / m_zoom;
    for (const QString &id : std::as_const(m_selection)) {
        if (!board.contains(id))
            continue;
        QRectF r = m_session->board()->itemBounds(id);
        if (m_lifted.contains(id))
            r.translate(m_liftOffset);
        t.addRectOutline(r.adjusted(-pad, -pad, pad, pad), line, kSelectionColour);
    }
    if (const QRectF band = m_input->band(); !band.isNull())
        t.addRectOutline(band, line, kBandColour);
    if (const QRectF resized = m_input->resizeRect(); !resized.isEmpty())
        t.addRectOutline(resized, line, kBandColour);
    else if (const QRectF handle = resizeHandle(); !handle.isEmpty())
        t.addRectOutline(
            handle.adjusted(handle.width() / 4, handle.height() / 4, -handle.width() / 4, -handle.height() / 4),
            line * 2, kSelectionColour);
    return vertices;
}

} // namespace inkroom::ui
