#pragma once

#include "protocol.h"
#include "strokestyle.h"
#include "timings.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QTimer>

#include <functional>

namespace inkroom::client {

class Connection;
class LiveStrokesModel;
class Pacer;

/** @brief What this client sends that may be lost: its pointer, the stroke it is drawing, whether it types, the board
 *  rectangle its window shows (for followers) and its laser pointer's trail.
 *
 * Updates are coalesced and go out at most every liveIntervalMs, within the pacer's budget, and not at all while
 * the link is down or congested (the newest state goes out once it is back: after a welcome, the stroke in
 * progress is sent again from its first point). Our own stroke in progress is also shown in the live strokes model.
 */
class VolatileSender : public QObject
{
    Q_OBJECT

public:
    //! A stroke that was being drawn, as it ended.
    struct Stroke
    {
        QString id;
        proto::ItemKind kind = proto::ItemKind::Stroke;
        StrokeStyle style;
        QList<QPointF> points;
        //! The width at each point (a pen's pressure), or empty: style.width all along.
        QList<double> widths;
    };

    VolatileSender(Connection *connection, Pacer *pacer, LiveStrokesModel *live, QObject *parent = nullptr);
    void setTimings(const Timings &timings) { m_timings = timings; }

    // ---- the stroke being drawn ----
    [[nodiscard]] bool isDrawing() const { return !m_stroke.id.isEmpty(); }
    [[nodiscard]] const QString &strokeId() const { return m_stroke.id; }
    /** Begin a stroke under id (a line, arrow, box or ellipse has two points: start and the moving corner). A
     *  freehand stroke begun with a startWidth (a pen's pressure) has a width at every point: extendStroke() gives
     *  each, or the last one carries on. */
    void beginStroke(const QString &id, proto::ItemKind kind, const StrokeStyle &style, QPointF start,
                     std::optional<double> startWidth = std::nullopt);
    void extendStroke(QPointF point, std::optional<double> width = std::nullopt);
    //! End it: the others are told, and the stroke as drawn is returned (empty id when none was being drawn).
    Stroke endStroke();

    // ---- pointer and typing ----
    void moveCursor(double x, double y);
    void hideCursor();
    //! Call on every keystroke in the chat box (true) and when it is emptied or sent (false).
    void setTyping(bool active);
    [[nodiscard]] bool isTyping() const { return m_typing; }

    // ---- view and laser pointer ----
    //! The board rectangle our window shows now; sent when it changes (coalesced) and after every welcome.
    void setView(const QRectF &rect);
    //! The laser pointer passed through point (board units).
    void laserTo(QPointF point);
    //! The laser pointer was put down.
    void laserEnd();

    //! A welcome: what is current goes out again (the server knows nothing of the old link's updates).
    void linkUp();
    //! Forget everything (another room).
    void clear();
    //! The stroke being drawn got another id (a provisional one became real).
    void renameStroke(const QHash<QString, QString> &ids);

Q_SIGNALS:
    //! Our typing state changed (the people list shows it for us too).
    void typingChanged(bool active);

private:
    void flush();
    //! A point's width, within what the stroke allows.
    [[nodiscard]] double pointWidth(double width) const;
    void schedule();
    [[nodiscard]] bool canSend() const;
    void sendTyping(bool active);

    Connection *m_connection;
    Pacer *m_pacer;
    LiveStrokesModel *m_live;
    Timings m_timings;

    Stroke m_stroke;
    qsizetype m_strokeSentFrom = 0; //!< points before this index are sent and unchanged
    bool m_strokeDirty = false;
    QPointF m_cursor;
    bool m_cursorVisible = false;
    bool m_cursorDirty = false;
    QRectF m_view;
    bool m_viewDirty = false;
    QList<QPointF> m_laser; //!< laser points not sent yet
    bool m_laserEnd = false; //!< an end waits to be sent after them
    QTimer m_timer;
    bool m_typing = false;
    QElapsedTimer m_typingSent;
    QTimer m_typingOff;
};

} // namespace inkroom::client
