#pragma once

#include "board.h"
#include "boardview.h"

#include <QObject>
#include <QPointF>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

//! A stroke somebody is still drawing: shown until their durable add arrives.
struct LiveStroke
{
    QString key; //!< unique per author and stroke
    proto::ItemKind kind = proto::ItemKind::Stroke;
    proto::Colour colour = 0xff000000;
    double width = 2;
    QList<QPointF> points;
};

/** @brief What the canvas draws and where its edits go.
 *
 * The room implements it on top of the client core (the board view with pending ops on top, and verbs that queue
 * ops in the outbox); LocalBoardSource implements it without a network for tests and benchmarks. The canvas never
 * sees the wire: it reads the board and submits ops.
 */
class BoardSource : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A board source comes from a room")

public:
    using QObject::QObject;

    [[nodiscard]] virtual const BoardView &board() const = 0;
    //! Is the item one of ours that the server has not acknowledged yet?
    [[nodiscard]] virtual bool isPending(const QString &id) const = 0;
    [[nodiscard]] virtual QList<LiveStroke> liveStrokes() const = 0;
    //! A fresh item id that no other client will ever use.
    [[nodiscard]] virtual QString newItemId() = 0;

    //! Apply these ops locally at once and deliver them (their cseq is set by the source).
    virtual void submit(const QList<proto::Op> &ops) = 0;
    //! The stroke being drawn right now (volatile: never queued).
    virtual void sendLive(const proto::Live &live) = 0;
    //! Where the user's pointer is on the board (volatile).
    virtual void sendCursor(QPointF position, bool visible) = 0;

Q_SIGNALS:
    //! Some items changed; the board already shows the change.
    void boardChanged(const inkroom::BoardChange &change);
    //! Everything may have changed (a snapshot, or the pending overlay was rebuilt).
    void boardReset();
    void liveStrokesChanged();
};

/** @brief A board source without a network: every submitted op is sequenced and applied at once.
 *
 * Used by the UI tests and the canvas benchmark, and handy for trying the canvas alone.
 */
class LocalBoardSource : public BoardSource
{
    Q_OBJECT
    QML_ELEMENT

public:
    explicit LocalBoardSource(QObject *parent = nullptr)
        : BoardSource(parent)
    { }

    [[nodiscard]] const BoardView &board() const override { return m_view; }
    [[nodiscard]] const Board &plainBoard() const { return m_board; }
    [[nodiscard]] bool isPending(const QString &) const override { return false; }
    [[nodiscard]] QList<LiveStroke> liveStrokes() const override { return m_live; }
    [[nodiscard]] QString newItemId() override;

    void submit(const QList<proto::Op> &ops) override;
    void sendLive(const proto::Live &live) override;
    void sendCursor(QPointF, bool) override { }

    //! Replace the board (for tests and benchmarks) and tell the canvas.
    void resetBoard(const Board &board);
    //! Show a live stroke as if somebody else were drawing it.
    void setLiveStrokes(const QList<LiveStroke> &strokes);
    //! What was sent live, in order (for tests).
    [[nodiscard]] const QList<proto::Live> &sentLive() const { return m_sentLive; }

private:
    Board m_board;
    PlainBoardView m_view {m_board};
    QList<LiveStroke> m_live;
    QList<proto::Live> m_sentLive;
    quint64 m_nextId = 1;
};

} // namespace inkroom::ui
