#pragma once

#include "boardview.h"
#include "canvasscene.h"
#include "session.h"
#include "strokestyle.h"
#include "tessellator.h"
#include "tilecache.h"
#include "viewtween.h"

#include <QColor>
#include <QPointer>
#include <QQuickItem>
#include <QSet>

#include <memory>

namespace inkroom::ui {

class CanvasInput;

/** @brief The whiteboard: draws a session's board with the scene graph and turns pointer input into its verbs.
 *
 * The board's items are painted into tiles on worker threads (TileCache), so a frame draws a window's worth of
 * textures whatever the size of the board, and panning or zooming never waits for painting: until a tile is ready,
 * a tile of another zoom level stands in. An item that changed is drawn as geometry on top of the tiles until the
 * tiles show it, so an edit appears in the very next frame. Strokes in progress (ours and everybody else's) and
 * dragged items are geometry too, each in a small node of its own, so adding a point costs the same on an empty
 * board as on one with 10,000 strokes. Text and translucent items (the highlighter) are painted like the tiles, in
 * z-order with everything else; in those overlays they are painted into an image at screen resolution instead of
 * geometry (RasterPatch), so a highlighter never darkens where it crosses itself. Every edit goes through the session
 * (which applies it at once, queues it and sends it), so the canvas holds no board state of its own beyond an index of
 * where items are. Input (tools and gestures) is CanvasInput's.
 */
class CanvasItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Whiteboard)
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(Tool tool READ tool WRITE setTool NOTIFY toolChanged)
    Q_PROPERTY(QColor colour READ colour WRITE setColour NOTIFY colourChanged)
    Q_PROPERTY(qreal strokeWidth READ strokeWidth WRITE setStrokeWidth NOTIFY strokeWidthChanged)
    Q_PROPERTY(qreal fontSize READ fontSize WRITE setFontSize NOTIFY fontSizeChanged)
    Q_PROPERTY(QColor gridColour READ gridColour WRITE setGridColour NOTIFY gridColourChanged)
    Q_PROPERTY(qreal zoom READ zoom NOTIFY viewChanged)
    Q_PROPERTY(QPointF origin READ origin NOTIFY viewChanged)
    Q_PROPERTY(QPointF liftOffset READ liftOffset NOTIFY liftOffsetChanged)
    Q_PROPERTY(int selectionCount READ selectionCount NOTIFY selectionChanged)
    Q_PROPERTY(int itemCount READ itemCount NOTIFY itemCountChanged)
    Q_PROPERTY(bool panning READ panning NOTIFY panningChanged)
    //! The fill of new boxes and ellipses (invalid: none), and the opacity of everything new.
    Q_PROPERTY(QColor fill READ fill WRITE setFill NOTIFY styleChanged)
    Q_PROPERTY(qreal itemOpacity READ itemOpacity WRITE setItemOpacity NOTIFY styleChanged)
    //! The board rectangle the canvas shows (board units): what followers see.
    Q_PROPERTY(QRectF visibleRect READ visibleRect NOTIFY viewChanged)
    //! The text item being edited in place: the canvas leaves it out while the editor shows it.
    Q_PROPERTY(QString editingId READ editingId WRITE setEditingId NOTIFY editingIdChanged)
    /** The font size and colour the text editor writes in: the edited item's own while one is edited (editingId),
     *  the toolbar's for new text. */
    Q_PROPERTY(qreal editingTextSize READ editingTextSize NOTIFY editingTextChanged)
    Q_PROPERTY(QColor editingTextColour READ editingTextColour NOTIFY editingTextChanged)
    //! The font family of every text item (app/render's text layout), for the editor.
    Q_PROPERTY(QString textFontFamily READ textFontFamily CONSTANT)

public:
    enum Tool {
        Pen,
        Highlighter,
        Line,
        Arrow,
        Rect,
        Ellipse,
        Text,
        Eraser,
        Select,
        Laser //!< a pointer whose trail everybody sees fade; never on the board, open to viewers
    };
    Q_ENUM(Tool)

    explicit CanvasItem(QQuickItem *parent = nullptr);
    ~CanvasItem() override;

    [[nodiscard]] client::Session *session() const { return m_session; }
    void setSession(client::Session *session);
    [[nodiscard]] Tool tool() const { return m_tool; }
    void setTool(Tool tool);
    [[nodiscard]] QColor colour() const { return m_colour; }
    void setColour(const QColor &colour);
    [[nodiscard]] qreal strokeWidth() const { return m_strokeWidth; }
    void setStrokeWidth(qreal width);
    [[nodiscard]] qreal fontSize() const { return m_fontSize; }
    void setFontSize(qreal size);
    [[nodiscard]] QColor fill() const { return m_fill; }
    void setFill(const QColor &fill);
    [[nodiscard]] qreal itemOpacity() const { return m_opacity; }
    void setItemOpacity(qreal opacity);
    [[nodiscard]] proto::Dash dash() const { return m_dash; }
    void setDash(proto::Dash dash);
    [[nodiscard]] std::optional<proto::Heads> heads() const { return m_heads; }
    void setHeads(std::optional<proto::Heads> heads);
    //! The style the current tool gives what it draws next.
    [[nodiscard]] client::StrokeStyle toolStyle() const;
    //! The input handler (tests: a pen's proximity).
    [[nodiscard]] CanvasInput *input() const { return m_input.get(); }
    [[nodiscard]] QColor gridColour() const { return m_gridColour; }
    void setGridColour(const QColor &colour);
    [[nodiscard]] qreal zoom() const { return m_zoom; }
    [[nodiscard]] QPointF origin() const { return m_origin; }
    [[nodiscard]] QPointF liftOffset() const { return m_liftOffset; }
    [[nodiscard]] int selectionCount() const { return int(m_selection.size()); }
    [[nodiscard]] int itemCount() const;
    [[nodiscard]] bool panning() const;
    [[nodiscard]] QRectF visibleRect() const { return QRectF(mapToBoard({0, 0}), mapToBoard({width(), height()})); }
    //! A follow glide is under way (tests wait for it to end).
    [[nodiscard]] bool isSteering() const { return m_tween.isRunning(); }
    [[nodiscard]] QString editingId() const { return m_editingId; }
    void setEditingId(const QString &id);
    [[nodiscard]] qreal editingTextSize() const;
    [[nodiscard]] QColor editingTextColour() const;
    [[nodiscard]] static QString textFontFamily();
    //! Everything on screen is drawn from tiles that show the board as it is now (for tests and benchmarks).
    [[nodiscard]] bool isComplete() const
    {
        return m_tiles.freshGeneration() >= m_tiles.generation() && m_recent.isEmpty();
    }

    //! Running totals of the tiles' and their textures' work, for per-frame traces (benchmarks): a few counters
    //! kept anyway, nothing measured unless asked. The scene's are as of the last frame's sync.
    struct Counters
    {
        TileCache::Counters tiles;
        CanvasScene::Counters scene;
        qint64 paintingNs = 0; //!< the tile workers' painting so far
        int jobsInFlight = 0;
        qsizetype tilesHeld = 0;
        int level = 0;
    };
    [[nodiscard]] Counters counters() const
    {
        return {m_tiles.counters(),     m_sceneCounters, m_tiles.paintingNs(),
                m_tiles.jobsInFlight(), m_tiles.size(),  m_tiles.level()};
    }

    Q_INVOKABLE void zoomIn();
    Q_INVOKABLE void zoomOut();
    //! Zoom by factor keeping the board point under screenPoint where it is.
    Q_INVOKABLE void zoomAt(qreal factor, QPointF screenPoint);
    Q_INVOKABLE void zoomToFit();
    Q_INVOKABLE void resetView();
    Q_INVOKABLE void panBy(qreal dx, qreal dy);
    Q_INVOKABLE void deleteSelection();
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clearSelection();
    //! The selected items' ids (for copy, the context menu).
    Q_INVOKABLE [[nodiscard]] QStringList selectedIds() const;
    //! Select exactly these items (those shown; pasted items, a right-clicked item).
    Q_INVOKABLE void selectIds(const QStringList &ids);
    Q_INVOKABLE void clearBoard();
    //! Place a new text item at a board position (the in-place editor calls this when the user confirms).
    Q_INVOKABLE void addText(QPointF boardPosition, const QString &text);
    //! Replace the text of an existing text item (empty text removes it).
    Q_INVOKABLE void editText(const QString &id, const QString &text);
    //! The board as shown (or its selected items), bottom to top, for exports.
    [[nodiscard]] QList<proto::Item> shownItems(bool selectionOnly) const;
    Q_INVOKABLE [[nodiscard]] QPointF mapToBoard(QPointF screenPoint) const;
    Q_INVOKABLE [[nodiscard]] QPointF mapFromBoard(QPointF boardPoint) const;

Q_SIGNALS:
    void sessionChanged();
    void toolChanged();
    void colourChanged();
    void strokeWidthChanged();
    void fontSizeChanged();
    void styleChanged();
    void gridColourChanged();
    void viewChanged();
    void liftOffsetChanged();
    void selectionChanged();
    void itemCountChanged();
    void panningChanged();
    void editingIdChanged();
    void editingTextChanged();
    //! The text tool was used on an empty spot: the page should open the in-place editor there.
    void textRequested(QPointF boardPosition);
    //! A text item was double-clicked (or clicked with the text tool): open the editor on it, at its board position.
    void textEditRequested(const QString &id, const QString &text, QPointF boardPosition);
    //! An edit was refused (for example, a board limit); the message is for people.
    void notice(const QString &message);

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void touchEvent(QTouchEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    bool event(QEvent *event) override;
    void itemChange(ItemChange change, const ItemChangeData &value) override;

private:
    //! The selection's outlines, the rubber band and the resize handle or rectangle (board space).
    [[nodiscard]] std::vector<Vertex> overlay(const BoardView &board) const;
    //! Show the followed presenter's view: glide there (animate), or jump (a resize).
    void steerToPresenter(bool animate);
    //! The view changed: followers hear of it; a change by hand ends following.
    void viewMoved(bool byHand);
    void onBoardChanged(const BoardChange &change);
    void onBoardReset();
    void setView(qreal zoom, QPointF origin);
    //! Tell the tile cache what is on screen now.
    void syncTileView();
    //! Index the whole board again, and have every tile painted again.
    void reindex(const BoardView &board);
    //! Follow the board's change of one item in the index, the tiles and the just-changed overlay.
    void follow(const QString &id);
    //! The items painted on tiles in a board rectangle, bottom to top (for the tile workers).
    [[nodiscard]] QList<proto::Item> tileItems(const QRectF &rect) const;
    //! Drop just-changed items that the tiles now show.
    void onTilesUpdated();
    friend class CanvasInput;
    void setSelection(const QSet<QString> &ids);
    void setPanning(bool panning);
    void sendCursor(QPointF board, bool visible);
    void lift();
    void land(bool commit);
    [[nodiscard]] double hitTolerance() const { return 6.0 / m_zoom; }
    [[nodiscard]] std::function<bool(const QString &)> pendingCheck() const;

    QPointer<client::Session> m_session;
    BoardIndex m_index;
    TileCache m_tiles;
    //! Items changed since the tiles were painted (id -> tile generation of the change), drawn as geometry.
    QHash<QString, quint64> m_recent;
    QString m_editingId;

    Tool m_tool = Pen;
    QColor m_colour = QColor(0x1e, 0x1e, 0x1e);
    qreal m_strokeWidth = 4; // "Medium", so a width is marked from the start
    qreal m_fontSize = 24;
    QColor m_gridColour = QColor(0, 0, 0, 24);
    qreal m_zoom = 1;
    QPointF m_origin;
    ViewTween m_tween; //!< glides to a followed presenter's view
    bool m_steering = false; //!< the view is being set for following, not by hand

    //! The corner handle of the one selected picture (board units), or an empty rect when there is none.
    [[nodiscard]] QRectF resizeHandle() const;
    QSet<QString> m_selection;
    QSet<QString> m_lifted;
    QPointF m_liftOffset;
    bool m_panning = false;
    QColor m_fill; //!< invalid: none
    qreal m_opacity = 1;
    proto::Dash m_dash = proto::Dash::Solid;
    std::optional<proto::Heads> m_heads;
    std::unique_ptr<CanvasInput> m_input;

    // What the render thread must refresh (read and reset in updatePaintNode, while the GUI thread waits).
    bool m_recentDirty = true;
    bool m_overlayDirty = true;
    bool m_liveDirty = true;
    bool m_gridDirty = true;
    bool m_liftDirty = true;
    CanvasScene::Counters m_sceneCounters; //!< copied from the scene in updatePaintNode
};

} // namespace inkroom::ui
