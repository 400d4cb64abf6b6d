#include "canvasitem.h"

#include "protocollimits.h"

#include <QCursor>
#include <QNativeGestureEvent>
#include <QSGGeometryNode>
#include <QSGTransformNode>
#include <QSGVertexColorMaterial>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

constexpr qreal kMinZoom = 0.02;
constexpr qreal kMaxZoom = 32;
constexpr int kLiveIntervalMs = 33; //!< live stroke updates go out at most ~30 times a second
constexpr int kCursorIntervalMs = 40;
constexpr proto::Colour kSelectionColour = 0xff1a73e8;
constexpr proto::Colour kBandColour = 0x801a73e8;

proto::Colour toColour(const QColor &c)
{
    return c.rgba();
}

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

//! The nodes of the canvas, owned by the scene graph and touched only while the GUI thread waits.
class CanvasRootNode : public QSGNode
{
public:
    CanvasRootNode()
    {
        grid = makeStripNode();
        appendChildNode(grid);
        view = new QSGTransformNode;
        appendChildNode(view);
        chunks = new QSGNode;
        view->appendChildNode(chunks);
        lift = new QSGTransformNode;
        view->appendChildNode(lift);
        liftGeometry = makeStripNode();
        lift->appendChildNode(liftGeometry);
        live = makeStripNode();
        view->appendChildNode(live);
        draft = makeStripNode();
        view->appendChildNode(draft);
        overlay = makeStripNode();
        view->appendChildNode(overlay);
    }

    QSGGeometryNode *grid;
    QSGTransformNode *view;
    QSGNode *chunks;
    QSGTransformNode *lift;
    QSGGeometryNode *liftGeometry;
    QSGGeometryNode *live;
    QSGGeometryNode *draft;
    QSGGeometryNode *overlay;
    QHash<quint64, QSGGeometryNode *> chunkNodes;
};

} // namespace

CanvasItem::CanvasItem(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents);
    setFlag(ItemAcceptsInputMethod, false);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::MiddleButton | Qt::RightButton);
    setAcceptHoverEvents(true);
    setAcceptTouchEvents(true);
    setActiveFocusOnTab(true);
    setClip(true);
    m_liveTimer.setSingleShot(true);
    connect(&m_liveTimer, &QTimer::timeout, this, [this] { flushLive(true); });
    m_cursorTimer.setSingleShot(true);
    m_cursorTimer.setInterval(kCursorIntervalMs);
    connect(&m_cursorTimer, &QTimer::timeout, this, [this] {
        if (m_source)
            m_source->sendCursor(m_cursorPending, m_cursorVisible);
    });
}

CanvasItem::~CanvasItem() = default;

void CanvasItem::setSource(BoardSource *source)
{
    if (m_source == source)
        return;
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (m_source) {
        connect(m_source, &BoardSource::boardChanged, this, &CanvasItem::onBoardChanged);
        connect(m_source, &BoardSource::boardReset, this, &CanvasItem::onBoardReset);
        connect(m_source, &BoardSource::liveStrokesChanged, this, [this] {
            m_liveDirty = true;
            update();
        });
        connect(m_source, &QObject::destroyed, this, [this] { onBoardReset(); });
    }
    m_undo.clear();
    onBoardReset();
    Q_EMIT sourceChanged();
    Q_EMIT undoStateChanged();
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
    return m_source ? int(m_source->board().size()) : 0;
}

std::function<bool(const QString &)> CanvasItem::pendingCheck() const
{
    return [source = m_source](const QString &id) { return source && source->isPending(id); };
}

// ---- following the board ----

void CanvasItem::onBoardReset()
{
    static const Board emptyBoard;
    static const PlainBoardView empty(emptyBoard);
    const BoardView &board = m_source ? m_source->board() : empty;
    m_lifted.clear();
    m_liftOffset = {};
    m_scene.reset(board);
    QSet<QString> stillThere;
    for (const QString &id : std::as_const(m_selection)) {
        if (board.contains(id))
            stillThere.insert(id);
    }
    m_selection = stillThere;
    m_textItems.reset(board, m_selection, m_lifted, pendingCheck());
    m_resetNodes = true;
    m_overlayDirty = true;
    m_liftDirty = true;
    m_liveDirty = true;
    update();
    Q_EMIT itemCountChanged();
    Q_EMIT selectionChanged();
    Q_EMIT undoStateChanged();
}

void CanvasItem::onBoardChanged(const BoardChange &change)
{
    const BoardView &board = m_source->board();
    if (m_lifted.isEmpty()) {
        m_scene.apply(board, change);
    } else {
        // Items being dragged stay out of the chunks until they land.
        BoardChange rest = change;
        const auto notLifted = [this](const QString &id) { return m_lifted.contains(id); };
        rest.added.removeIf(notLifted);
        rest.updated.removeIf(notLifted);
        m_scene.apply(board, rest);
        if (change.cleared)
            m_scene.detach(QStringList(m_lifted.cbegin(), m_lifted.cend()));
        m_liftDirty = true;
    }
    m_textItems.apply(board, change, pendingCheck());
    bool selectionLost = false;
    for (const QString &id : change.removed) {
        selectionLost |= m_selection.remove(id);
        m_lifted.remove(id);
    }
    // The draft's live preview ends when our own add lands on the board.
    if (!m_draftId.isEmpty() && change.added.contains(m_draftId) && m_gesture == Gesture::None) {
        m_draftId.clear();
        m_draft.clear();
        m_draftDirty = true;
    }
    m_overlayDirty = true;
    update();
    Q_EMIT itemCountChanged();
    if (selectionLost)
        Q_EMIT selectionChanged();
    Q_EMIT undoStateChanged();
}

void CanvasItem::submit(const QList<Op> &ops)
{
    if (!m_source || ops.isEmpty())
        return;
    m_undo.record(ops, m_source->board());
    m_source->submit(ops);
    Q_EMIT undoStateChanged();
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
    m_zoom = zoom;
    m_origin = origin;
    m_gridDirty = true;
    m_overlayDirty = true; // selection outlines keep a constant on-screen width
    update();
    Q_EMIT viewChanged();
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
    const QRectF all = m_scene.allBounds();
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
    update();
    Q_EMIT viewChanged();
}

// ---- verbs ----

void CanvasItem::undo()
{
    if (!m_source)
        return;
    const QList<Op> ops = m_undo.undo(m_source->board());
    if (ops.isEmpty())
        Q_EMIT notice(tr("Nothing of yours left to undo"));
    else
        m_source->submit(ops);
    Q_EMIT undoStateChanged();
}

void CanvasItem::redo()
{
    if (!m_source)
        return;
    const QList<Op> ops = m_undo.redo(m_source->board());
    if (!ops.isEmpty())
        m_source->submit(ops);
    Q_EMIT undoStateChanged();
}

void CanvasItem::deleteSelection()
{
    if (m_selection.isEmpty())
        return;
    Op remove;
    remove.kind = OpKind::Remove;
    remove.ids = QStringList(m_selection.cbegin(), m_selection.cend());
    remove.ids.sort();
    setSelection({});
    submit({remove});
}

void CanvasItem::selectAll()
{
    if (!m_source)
        return;
    const QStringList ids = m_scene.ids();
    setSelection(QSet<QString>(ids.cbegin(), ids.cend()));
}

void CanvasItem::clearSelection()
{
    setSelection({});
}

void CanvasItem::clearBoard()
{
    if (!m_source || m_source->board().size() == 0)
        return;
    Op clear;
    clear.kind = OpKind::Clear;
    setSelection({});
    submit({clear});
}

void CanvasItem::addText(QPointF boardPosition, const QString &text)
{
    if (!m_source || text.trimmed().isEmpty())
        return;
    Item item;
    item.id = m_source->newItemId();
    item.kind = ItemKind::Text;
    item.colour = toColour(m_colour);
    item.width = m_fontSize;
    item.points = {QPointF(std::clamp(boardPosition.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                           std::clamp(boardPosition.y(), -limits::MaxCoordinate, limits::MaxCoordinate))};
    item.text = text.left(limits::MaxTextItemLength);
    if (proto::validateItem(item, QString())) {
        Q_EMIT notice(tr("That text cannot be placed on the board"));
        return;
    }
    Op add;
    add.kind = OpKind::Add;
    add.item = item;
    submit({add});
}

void CanvasItem::editText(const QString &id, const QString &text)
{
    if (!m_source)
        return;
    const Item *existing = m_source->board().item(id);
    if (!existing || existing->kind != ItemKind::Text || existing->text == text)
        return;
    Op op;
    if (text.trimmed().isEmpty()) {
        op.kind = OpKind::Remove;
        op.ids = {id};
    } else {
        op.kind = OpKind::Update;
        op.item = *existing;
        op.item.z = 0;
        op.item.text = text.left(limits::MaxTextItemLength);
        if (proto::validateItem(op.item, QString())) {
            Q_EMIT notice(tr("That text cannot be placed on the board"));
            return;
        }
    }
    submit({op});
}

void CanvasItem::setSelection(const QSet<QString> &ids)
{
    if (ids == m_selection)
        return;
    m_selection = ids;
    m_textItems.setMarks(m_selection, m_lifted);
    m_overlayDirty = true;
    update();
    Q_EMIT selectionChanged();
}

void CanvasItem::setPanning(bool panning)
{
    const bool before = this->panning();
    m_panning = panning;
    if (before != this->panning())
        Q_EMIT panningChanged();
}

// ---- drawing ----

Item CanvasItem::draftItem() const
{
    Item item;
    item.id = m_draftId;
    item.colour = toColour(m_colour);
    item.width = m_strokeWidth;
    item.points = m_draft;
    switch (m_tool) {
    case Highlighter: {
        QColor translucent = m_colour;
        translucent.setAlphaF(0.35);
        item.colour = toColour(translucent);
        item.width = std::min(m_strokeWidth * 4, limits::MaxWidth);
        item.kind = ItemKind::Stroke;
        break;
    }
    case Line:
        item.kind = ItemKind::Line;
        break;
    case Arrow:
        item.kind = ItemKind::Arrow;
        break;
    case Rect:
        item.kind = ItemKind::Rect;
        break;
    case Ellipse:
        item.kind = ItemKind::Ellipse;
        break;
    default:
        item.kind = ItemKind::Stroke;
        break;
    }
    return item;
}

void CanvasItem::beginGesture(QPointF screen, Qt::KeyboardModifiers modifiers)
{
    m_pressScreen = screen;
    m_lastScreen = screen;
    m_pressBoard = mapToBoard(screen);
    if (!m_source) {
        m_gesture = Gesture::None;
        return;
    }
    const BoardView &board = m_source->board();
    switch (m_tool) {
    case Pen:
    case Highlighter:
    case Line:
    case Arrow:
    case Rect:
    case Ellipse:
        m_gesture = (m_tool == Pen || m_tool == Highlighter) ? Gesture::Draw : Gesture::Shape;
        m_draftId = m_source->newItemId();
        m_draft = {m_pressBoard};
        if (m_gesture == Gesture::Shape)
            m_draft.append(m_pressBoard);
        m_liveSent = 0;
        m_liveClock.start();
        m_draftDirty = true;
        update();
        break;
    case Text: {
        m_gesture = Gesture::None;
        const QString hit = m_scene.topmostAt(board, m_pressBoard, hitTolerance());
        const Item *item = hit.isEmpty() ? nullptr : board.item(hit);
        if (item && item->kind == ItemKind::Text)
            Q_EMIT textEditRequested(item->id, item->text);
        else
            Q_EMIT textRequested(m_pressBoard);
        break;
    }
    case Eraser:
        m_gesture = Gesture::Erase;
        eraseAt(m_pressBoard);
        break;
    case Select: {
        const QString hit = m_scene.topmostAt(board, m_pressBoard, hitTolerance());
        if (hit.isEmpty()) {
            m_gesture = Gesture::Band;
            m_band = QRectF(m_pressBoard, QSizeF());
            if (!(modifiers & Qt::ShiftModifier))
                setSelection({});
        } else {
            QSet<QString> selection = m_selection;
            if (modifiers & Qt::ShiftModifier) {
                if (!selection.remove(hit))
                    selection.insert(hit);
                setSelection(selection);
                m_gesture = Gesture::None;
                break;
            }
            if (!selection.contains(hit))
                selection = {hit};
            setSelection(selection);
            m_gesture = Gesture::Move;
        }
        break;
    }
    }
}

void CanvasItem::continueGesture(QPointF screen)
{
    const QPointF board = mapToBoard(screen);
    switch (m_gesture) {
    case Gesture::None:
        break;
    case Gesture::Pan:
        panBy(screen.x() - m_lastScreen.x(), screen.y() - m_lastScreen.y());
        break;
    case Gesture::Draw: {
        // Skip points closer than half a pixel on screen: they add nothing but weight.
        const QPointF last = m_draft.constLast();
        if (std::hypot(board.x() - last.x(), board.y() - last.y()) * m_zoom < 0.5)
            break;
        if (m_draft.size() >= limits::MaxPointsPerItem) {
            // A very long stroke continues as a new item that starts where the last one ended.
            endGesture(screen);
            beginGesture(screen, {});
            break;
        }
        m_draft.append(QPointF(std::clamp(board.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                               std::clamp(board.y(), -limits::MaxCoordinate, limits::MaxCoordinate)));
        m_draftDirty = true;
        update();
        flushLive(false);
        break;
    }
    case Gesture::Shape:
        m_draft[1] = QPointF(std::clamp(board.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                             std::clamp(board.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
        m_draftDirty = true;
        update();
        flushLive(false);
        break;
    case Gesture::Erase:
        eraseAt(board);
        break;
    case Gesture::Band:
        m_band = QRectF(m_pressBoard, board).normalized();
        m_overlayDirty = true;
        update();
        break;
    case Gesture::Move:
        if (m_lifted.isEmpty() && QLineF(screen, m_pressScreen).length() > 3)
            lift();
        if (!m_lifted.isEmpty()) {
            m_liftOffset = board - m_pressBoard;
            m_overlayDirty = true;
            update();
            Q_EMIT liftOffsetChanged();
        }
        break;
    }
    m_lastScreen = screen;
}

void CanvasItem::endGesture(QPointF screen)
{
    const Gesture gesture = m_gesture;
    m_gesture = Gesture::None;
    switch (gesture) {
    case Gesture::None:
    case Gesture::Erase:
        break;
    case Gesture::Pan:
        setPanning(false);
        break;
    case Gesture::Draw:
    case Gesture::Shape: {
        const Item item = draftItem();
        const bool tiny = gesture == Gesture::Shape && QLineF(screen, m_pressScreen).length() < 3;
        if (tiny || proto::validateItem(item, QString())) {
            if (m_source) {
                proto::Live end;
                end.id = m_draftId;
                end.kind = item.kind;
                end.colour = item.colour;
                end.width = item.width;
                end.end = true;
                m_source->sendLive(end);
            }
            m_draft.clear();
            m_draftId.clear();
        } else {
            flushLive(true);
            Op add;
            add.kind = OpKind::Add;
            add.item = item;
            // The draft stays drawn until the add reaches the board (at once, for a pending op).
            submit({add});
            m_draft.clear();
            m_draftId.clear();
        }
        m_liveTimer.stop();
        m_draftDirty = true;
        update();
        break;
    }
    case Gesture::Band: {
        QSet<QString> selection = m_selection;
        for (const QString &id : m_scene.itemsIn(m_band))
            selection.insert(id);
        m_band = {};
        setSelection(selection);
        m_overlayDirty = true;
        update();
        break;
    }
    case Gesture::Move:
        land(true);
        break;
    }
}

void CanvasItem::eraseAt(QPointF board)
{
    if (!m_source)
        return;
    const QString hit = m_scene.topmostAt(m_source->board(), board, hitTolerance() * 1.5);
    if (hit.isEmpty())
        return;
    Op remove;
    remove.kind = OpKind::Remove;
    remove.ids = {hit};
    submit({remove});
}

void CanvasItem::flushLive(bool force)
{
    if (!m_source || m_draftId.isEmpty())
        return;
    if (!force && m_liveClock.elapsed() < kLiveIntervalMs) {
        if (!m_liveTimer.isActive())
            m_liveTimer.start(int(kLiveIntervalMs - m_liveClock.elapsed()));
        return;
    }
    const Item item = draftItem();
    proto::Live live;
    live.id = m_draftId;
    live.kind = item.kind;
    live.colour = item.colour;
    live.width = item.width;
    if (m_gesture == Gesture::Shape || item.kind != ItemKind::Stroke) {
        live.from = 0; // a shape sends its two points again each time
        live.points = m_draft;
    } else {
        if (m_liveSent >= m_draft.size())
            return;
        live.from = quint32(m_liveSent);
        live.points = m_draft.mid(m_liveSent, limits::MaxPointsPerLive);
        m_liveSent += int(live.points.size());
    }
    m_source->sendLive(live);
    m_liveClock.restart();
}

void CanvasItem::sendCursor(QPointF board, bool visible)
{
    m_cursorPending = QPointF(std::clamp(board.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                              std::clamp(board.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
    m_cursorVisible = visible;
    if (!m_cursorTimer.isActive())
        m_cursorTimer.start();
}

void CanvasItem::lift()
{
    m_lifted = m_selection;
    m_liftOffset = {};
    m_scene.detach(QStringList(m_lifted.cbegin(), m_lifted.cend()));
    m_textItems.setMarks(m_selection, m_lifted);
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
    if (m_source)
        m_scene.attach(m_source->board(), ids);
    m_textItems.setMarks(m_selection, m_lifted);
    m_liftDirty = true;
    m_overlayDirty = true;
    update();
    Q_EMIT liftOffsetChanged();
    if (commit && !offset.isNull()) {
        Op move;
        move.kind = OpKind::Move;
        move.ids = ids;
        move.ids.sort();
        move.dx = std::clamp(offset.x(), -limits::MaxMoveDelta, limits::MaxMoveDelta);
        move.dy = std::clamp(offset.y(), -limits::MaxMoveDelta, limits::MaxMoveDelta);
        submit({move});
    }
}

// ---- input ----

void CanvasItem::mousePressEvent(QMouseEvent *event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    if (m_gesture != Gesture::None) {
        event->accept();
        return;
    }
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_gesture = Gesture::Pan;
        m_lastScreen = event->position();
        setPanning(true);
    } else if (event->button() == Qt::LeftButton) {
        beginGesture(event->position(), event->modifiers());
    } else {
        event->ignore();
        return;
    }
    event->accept();
}

void CanvasItem::mouseMoveEvent(QMouseEvent *event)
{
    continueGesture(event->position());
    sendCursor(mapToBoard(event->position()), true);
    event->accept();
}

void CanvasItem::mouseReleaseEvent(QMouseEvent *event)
{
    endGesture(event->position());
    event->accept();
}

void CanvasItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_tool == Select && m_source && event->button() == Qt::LeftButton) {
        const QString hit = m_scene.topmostAt(m_source->board(), mapToBoard(event->position()), hitTolerance());
        const Item *item = hit.isEmpty() ? nullptr : m_source->board().item(hit);
        if (item && item->kind == ItemKind::Text) {
            Q_EMIT textEditRequested(item->id, item->text);
            event->accept();
            return;
        }
    }
    mousePressEvent(event);
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
    const QPoint pixels = event->pixelDelta();
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier || pixels.isNull()) {
        // A mouse wheel (or Ctrl with a touchpad) zooms around the pointer.
        const qreal steps = angle.y() / 120.0;
        zoomAt(std::pow(1.15, steps), event->position());
    } else {
        // Two fingers on a touchpad pan.
        panBy(pixels.x(), pixels.y());
    }
    event->accept();
}

bool CanvasItem::event(QEvent *event)
{
    if (event->type() == QEvent::NativeGesture) {
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            zoomAt(1 + gesture->value(), gesture->position());
            return true;
        }
    }
    return QQuickItem::event(event);
}

void CanvasItem::touchEvent(QTouchEvent *event)
{
    const QList<QEventPoint> &points = event->points();
    if (points.size() == 2) {
        // Pinch: zoom by the change of distance between the fingers, around their midpoint.
        const QPointF a = points[0].position();
        const QPointF b = points[1].position();
        const qreal distance = QLineF(a, b).length();
        if (event->type() == QEvent::TouchBegin || m_pinchStartDistance <= 0
            || points[0].state() == QEventPoint::Pressed || points[1].state() == QEventPoint::Pressed) {
            m_pinchStartDistance = distance;
            m_pinchStartZoom = m_zoom;
            if (m_gesture == Gesture::Draw || m_gesture == Gesture::Shape) {
                m_gesture = Gesture::None;
                m_draft.clear();
                m_draftId.clear();
                m_draftDirty = true;
            }
        } else if (distance > 0) {
            zoomAt(m_pinchStartZoom * distance / m_pinchStartDistance / m_zoom, (a + b) / 2);
        }
        event->accept();
        return;
    }
    m_pinchStartDistance = 0;
    if (points.size() == 1) {
        const QPointF p = points[0].position();
        switch (points[0].state()) {
        case QEventPoint::Pressed:
            beginGesture(p, event->modifiers());
            break;
        case QEventPoint::Updated:
            continueGesture(p);
            break;
        case QEventPoint::Released:
            endGesture(p);
            break;
        default:
            break;
        }
    }
    event->accept();
}

void CanvasItem::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            Q_EMIT panningChanged();
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        deleteSelection();
        break;
    case Qt::Key_Escape:
        if (m_gesture == Gesture::Move)
            land(false);
        m_gesture = Gesture::None;
        clearSelection();
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

void CanvasItem::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        Q_EMIT panningChanged();
        event->accept();
        return;
    }
    event->ignore();
}

// ---- rendering ----

QSGNode *CanvasItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *root = static_cast<CanvasRootNode *>(oldNode);
    if (!root) {
        root = new CanvasRootNode;
        m_resetNodes = true;
        m_gridDirty = m_draftDirty = m_overlayDirty = m_liveDirty = m_liftDirty = true;
    }
    static const Board emptyBoard;
    static const PlainBoardView empty(emptyBoard);
    const BoardView &board = m_source ? m_source->board() : empty;

    QTransform view;
    view.translate(m_origin.x(), m_origin.y());
    view.scale(m_zoom, m_zoom);
    root->view->setMatrix(QMatrix4x4(view));

    if (m_gridDirty) {
        // A dot grid whose on-screen spacing stays between 16 and 64 pixels at any zoom.
        std::vector<Vertex> dots;
        if (m_gridColour.alpha() > 0 && width() > 0 && height() > 0) {
            qreal spacing = 32 * m_zoom;
            while (spacing < 24)
                spacing *= 4;
            while (spacing > 96)
                spacing /= 4;
            const qreal startX = std::fmod(m_origin.x(), spacing) - spacing;
            const qreal startY = std::fmod(m_origin.y(), spacing) - spacing;
            Tessellator t(dots);
            for (qreal y = startY; y < height() + spacing; y += spacing) {
                for (qreal x = startX; x < width() + spacing; x += spacing)
                    t.addSquare(QPointF(x, y), 2.0, toColour(m_gridColour));
            }
        }
        replaceStrip(root->grid, dots);
        m_gridDirty = false;
    }

    if (m_resetNodes) {
        for (QSGGeometryNode *node : std::as_const(root->chunkNodes))
            delete node;
        root->chunkNodes.clear();
        root->chunks->removeAllChildNodes();
        m_resetNodes = false;
    }
    const QList<quint64> rebuilt = m_scene.rebuildDirty(board);
    if (m_scene.structureChanged() || !rebuilt.isEmpty()) {
        QHash<quint64, QSGGeometryNode *> keep;
        root->chunks->removeAllChildNodes();
        for (const auto &chunk : m_scene.chunks()) {
            QSGGeometryNode *node = root->chunkNodes.take(chunk->id);
            if (node && rebuilt.contains(chunk->id)) {
                delete node;
                node = nullptr;
            }
            if (!node)
                node = stripNode(chunk->vertices);
            keep.insert(chunk->id, node);
            root->chunks->appendChildNode(node);
        }
        for (QSGGeometryNode *gone : std::as_const(root->chunkNodes))
            delete gone;
        root->chunkNodes = keep;
        m_scene.clearStructureChanged();
    }

    if (m_liftDirty) {
        std::vector<Vertex> vertices;
        Tessellator t(vertices);
        for (const Item &item : board.orderedItems()) {
            if (m_lifted.contains(item.id))
                t.addItem(item);
        }
        replaceStrip(root->liftGeometry, vertices);
        m_liftDirty = false;
    }
    QTransform lift;
    lift.translate(m_liftOffset.x(), m_liftOffset.y());
    root->lift->setMatrix(QMatrix4x4(lift));

    if (m_liveDirty) {
        std::vector<Vertex> vertices;
        Tessellator t(vertices);
        if (m_source) {
            for (const LiveStroke &stroke : m_source->liveStrokes()) {
                Item item;
                item.kind = stroke.kind;
                item.colour = stroke.colour;
                item.width = stroke.width;
                item.points = stroke.points;
                if (stroke.kind == ItemKind::Stroke || stroke.points.size() == 2)
                    t.addItem(item);
            }
        }
        replaceStrip(root->live, vertices);
        m_liveDirty = false;
    }

    if (m_draftDirty) {
        std::vector<Vertex> vertices;
        if (!m_draft.isEmpty()) {
            Tessellator t(vertices);
            t.addItem(draftItem());
        }
        replaceStrip(root->draft, vertices);
        m_draftDirty = false;
    }

    if (m_overlayDirty) {
        std::vector<Vertex> vertices;
        Tessellator t(vertices);
        const qreal line = 1.5 / m_zoom;
        const qreal pad = 4 / m_zoom;
        for (const QString &id : std::as_const(m_selection)) {
            const Item *item = board.item(id);
            if (!item || item->kind == ItemKind::Text)
                continue; // the text layer marks its own selection
            QRectF r = m_scene.bounds(id);
            if (r.isNull() && item)
                r = itemBounds(*item);
            if (m_lifted.contains(id))
                r.translate(m_liftOffset);
            t.addRectOutline(r.adjusted(-pad, -pad, pad, pad), line, kSelectionColour);
        }
        if (!m_band.isNull())
            t.addRectOutline(m_band, line, kBandColour);
        replaceStrip(root->overlay, vertices);
        m_overlayDirty = false;
    }
    return root;
}

} // namespace inkroom::ui
