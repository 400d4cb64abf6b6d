#include "volatilesender.h"

#include "clientconnection.h"
#include "livestrokesmodel.h"
#include "pacer.h"
#include "protocollimits.h"

#include <algorithm>
#include <cmath>

namespace inkroom::client {

namespace {

//! Volatile updates are skipped while this much is still waiting in the socket's write buffer.
constexpr qint64 CongestedBytes = 256 * 1024;

bool isTwoPointKind(proto::ItemKind kind)
{
    return kind == proto::ItemKind::Line || kind == proto::ItemKind::Arrow || kind == proto::ItemKind::Rect
        || kind == proto::ItemKind::Ellipse;
}

QPointF clamped(QPointF p)
{
    return QPointF(std::clamp(p.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                   std::clamp(p.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
}

} // namespace

VolatileSender::VolatileSender(Connection *connection, Pacer *pacer, LiveStrokesModel *live, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_pacer(pacer)
    , m_live(live)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &VolatileSender::flush);
    m_typingOff.setSingleShot(true);
    connect(&m_typingOff, &QTimer::timeout, this, [this] { setTyping(false); });
}

bool VolatileSender::canSend() const
{
    return m_connection->isWelcomed();
}

void VolatileSender::schedule()
{
    if (!m_timer.isActive())
        m_timer.start(m_timings.liveIntervalMs);
}

void VolatileSender::flush()
{
    if (!canSend())
        return; // dropped while offline; what is current goes out after the next welcome
    if (m_connection->bytesToWrite() > CongestedBytes) {
        schedule(); // try again next tick rather than pile up behind a slow link
        return;
    }
    if (m_cursorDirty) {
        if (!m_pacer->tryTake()) {
            schedule();
            return;
        }
        m_cursorDirty = false;
        m_connection->send(proto::Cursor {QString(), m_cursor.x(), m_cursor.y(), m_cursorVisible});
    }
    if (m_viewDirty) {
        if (!m_pacer->tryTake()) {
            schedule();
            return;
        }
        m_viewDirty = false;
        m_connection->send(proto::View {QString(), m_view.x(), m_view.y(), m_view.width(), m_view.height()});
    }
    while (!m_laser.isEmpty() || m_laserEnd) {
        if (!m_pacer->tryTake()) {
            schedule();
            return;
        }
        proto::Laser laser;
        laser.points = m_laser.mid(0, limits::MaxPointsPerLaser);
        m_laser.remove(0, laser.points.size());
        laser.end = m_laser.isEmpty() && m_laserEnd;
        if (laser.end)
            m_laserEnd = false;
        m_connection->send(laser);
    }
    if (m_strokeDirty && isDrawing()) {
        qsizetype from = std::min(m_strokeSentFrom, m_stroke.points.size());
        do {
            if (!m_pacer->tryTake()) {
                m_strokeSentFrom = from;
                schedule();
                return;
            }
            proto::Live live;
            live.id = m_stroke.id;
            live.kind = m_stroke.kind;
            live.colour = m_stroke.style.colour;
            live.width = m_stroke.style.width;
            live.fill = m_stroke.style.fill;
            live.opacity = m_stroke.style.opacity;
            live.dash = m_stroke.style.dash;
            live.heads = m_stroke.style.heads;
            live.from = quint32(from);
            live.points = m_stroke.points.mid(from, limits::MaxPointsPerLive);
            if (!m_stroke.widths.isEmpty())
                live.widths = m_stroke.widths.mid(from, live.points.size());
            m_connection->send(live);
            from += live.points.size();
        } while (from < m_stroke.points.size());
        m_strokeSentFrom = m_stroke.points.size();
        m_strokeDirty = false;
    }
}

void VolatileSender::beginStroke(const QString &id, proto::ItemKind kind, const StrokeStyle &style, QPointF start,
                                 std::optional<double> startWidth)
{
    m_stroke.id = id;
    m_stroke.kind = kind == proto::ItemKind::Text ? proto::ItemKind::Stroke : kind;
    m_stroke.style = style;
    m_stroke.style.width =
        std::clamp(std::isfinite(style.width) ? style.width : 2.0, limits::MinWidth, limits::MaxWidth);
    m_stroke.style.opacity =
        std::clamp(std::isfinite(style.opacity) ? style.opacity : 1.0, limits::MinOpacity, limits::MaxOpacity);
    const QPointF p = clamped(start);
    m_stroke.points = isTwoPointKind(m_stroke.kind) ? QList<QPointF> {p, p} : QList<QPointF> {p};
    m_stroke.widths.clear();
    if (startWidth && m_stroke.kind == proto::ItemKind::Stroke)
        m_stroke.widths = {pointWidth(*startWidth)};
    m_strokeSentFrom = 0;
    m_strokeDirty = true;
    m_live->setOwn(m_stroke.id, m_stroke.kind, m_stroke.style, 0, m_stroke.points, m_stroke.widths);
    schedule();
}

double VolatileSender::pointWidth(double width) const
{
    return std::clamp(std::isfinite(width) ? width : m_stroke.style.width, limits::MinWidth, m_stroke.style.width);
}

void VolatileSender::extendStroke(QPointF point, std::optional<double> width)
{
    if (!isDrawing() || !std::isfinite(point.x()) || !std::isfinite(point.y()))
        return;
    const QPointF p = clamped(point);
    qsizetype from = 0;
    if (isTwoPointKind(m_stroke.kind)) {
        m_stroke.points[1] = p;
        from = 1;
    } else {
        if (m_stroke.points.size() >= limits::MaxPointsPerItem || m_stroke.points.last() == p)
            return;
        from = m_stroke.points.size();
        m_stroke.points.append(p);
        if (!m_stroke.widths.isEmpty())
            m_stroke.widths.append(width ? pointWidth(*width) : m_stroke.widths.last());
    }
    m_strokeSentFrom = std::min(m_strokeSentFrom, from);
    m_strokeDirty = true;
    m_live->setOwn(m_stroke.id, m_stroke.kind, m_stroke.style, from, {p}, m_stroke.widths.mid(from));
    schedule();
}

VolatileSender::Stroke VolatileSender::endStroke()
{
    if (!isDrawing())
        return {};
    // Tell the others the stroke is over, with any points they have not had yet.
    flush();
    if (canSend()) {
        proto::Live end;
        end.id = m_stroke.id;
        end.kind = m_stroke.kind;
        end.colour = m_stroke.style.colour;
        end.width = m_stroke.style.width;
        end.from = quint32(m_stroke.points.size());
        end.end = true;
        m_pacer->take();
        m_connection->send(end);
    }
    m_strokeDirty = false;
    return std::exchange(m_stroke, {});
}

void VolatileSender::moveCursor(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    m_cursor = clamped(QPointF(x, y));
    m_cursorVisible = true;
    m_cursorDirty = true;
    schedule();
}

void VolatileSender::hideCursor()
{
    if (!m_cursorVisible)
        return;
    m_cursorVisible = false;
    m_cursorDirty = true;
    schedule();
}

void VolatileSender::setView(const QRectF &rect)
{
    if (!std::isfinite(rect.x()) || !std::isfinite(rect.y()) || !std::isfinite(rect.width())
        || !std::isfinite(rect.height()) || rect.width() <= 0 || rect.height() <= 0) {
        return;
    }
    // Within what the protocol allows: a window far off the board shows the part of it nearest to the board.
    const double w = std::clamp(rect.width(), limits::MinViewSize, limits::MaxViewSize);
    const double h = std::clamp(rect.height(), limits::MinViewSize, limits::MaxViewSize);
    const QPointF corner = clamped(rect.topLeft());
    const QRectF view(corner, QSizeF(w, h));
    if (view == m_view && !m_viewDirty)
        return;
    m_view = view;
    m_viewDirty = true;
    schedule();
}

void VolatileSender::laserTo(QPointF point)
{
    if (!std::isfinite(point.x()) || !std::isfinite(point.y()))
        return;
    const QPointF p = clamped(point);
    if (!m_laser.isEmpty() && m_laser.last() == p)
        return;
    // Offline, or behind a slow link: a pointer's old positions are worth nothing, keep the latest second or so.
    if (m_laser.size() >= 4 * limits::MaxPointsPerLaser)
        m_laser.remove(0, limits::MaxPointsPerLaser);
    m_laser.append(p);
    m_laserEnd = false;
    schedule();
}

void VolatileSender::laserEnd()
{
    m_laserEnd = true;
    schedule();
}

void VolatileSender::setTyping(bool active)
{
    if (active) {
        m_typingOff.start(m_timings.typingTimeoutMs);
        if (!m_typing || m_typingSent.elapsed() >= m_timings.typingRefreshMs) {
            const bool changed = !m_typing;
            m_typing = true;
            sendTyping(true);
            if (changed)
                Q_EMIT typingChanged(true);
        }
        return;
    }
    m_typingOff.stop();
    if (m_typing) {
        m_typing = false;
        sendTyping(false);
        Q_EMIT typingChanged(false);
    }
}

void VolatileSender::sendTyping(bool active)
{
    if (!canSend())
        return;
    m_typingSent.start();
    m_pacer->take();
    m_connection->send(proto::Typing {QString(), active});
}

void VolatileSender::linkUp()
{
    m_strokeSentFrom = 0; // a stroke in progress goes out again from its first point
    m_strokeDirty = isDrawing();
    m_cursorDirty = m_cursorVisible;
    m_viewDirty = m_view.isValid();
    m_laser.clear(); // a trail from before the link came back is stale
    m_laserEnd = false;
    if (m_strokeDirty || m_cursorDirty || m_viewDirty)
        schedule();
    if (m_typing)
        sendTyping(true);
}

void VolatileSender::renameStroke(const QHash<QString, QString> &ids)
{
    const auto it = ids.constFind(m_stroke.id);
    if (!isDrawing() || it == ids.cend())
        return;
    m_live->remove(m_stroke.id);
    m_stroke.id = it.value();
    m_strokeSentFrom = 0; // the others hear of it under its new id, from its first point
    m_strokeDirty = true;
    m_live->setOwn(m_stroke.id, m_stroke.kind, m_stroke.style, 0, m_stroke.points, m_stroke.widths);
    schedule();
}

void VolatileSender::clear()
{
    // What waits goes out while it still can (a laser trail pointed just before leaving).
    if (canSend() && (!m_laser.isEmpty() || m_laserEnd))
        flush();
    m_timer.stop();
    m_typingOff.stop();
    if (m_typing && canSend())
        sendTyping(false);
    m_stroke = {};
    m_strokeDirty = false;
    m_cursorDirty = false;
    m_cursorVisible = false;
    m_typing = false;
    m_viewDirty = false;
    m_laser.clear();
    m_laserEnd = false;
}

} // namespace inkroom::client
