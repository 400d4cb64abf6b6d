#pragma once

#include "board.h"
#include "protocol.h"
#include "session.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

/** @brief The room's history as this client received it, to scrub through and play back; it never changes the room.
 *
 * It starts from a base (the board at some seq: the snapshot of the join, or the board as the session had it when it
 * was attached) and follows every op the session applies to its confirmed board after it, in the room's order, with
 * who made it and when. Position p shows the base with the first p ops applied; count is the live end. Boards at a
 * position are rebuilt from checkpoints every 256 ops, so scrubbing a long history stays quick. Playback walks the
 * ops at their own pace (the time between them, divided by the speed, at most 2 s a step). Nothing here sends
 * anything: a replay works offline, on what the client has fetched.
 */
class ReplayModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int position READ position WRITE setPosition NOTIFY positionChanged)
    Q_PROPERTY(bool playing READ playing WRITE setPlaying NOTIFY playingChanged)
    Q_PROPERTY(int speed READ speed WRITE setSpeed NOTIFY speedChanged)
    //! The seq shown (the base's, or the last applied op's).
    Q_PROPERTY(double seq READ seq NOTIFY positionChanged)
    //! When the op at the position was made (invalid at the base).
    Q_PROPERTY(QDateTime time READ time NOTIFY positionChanged)
    Q_PROPERTY(QString author READ author NOTIFY positionChanged)
    //! What the op at the position did, in words ("drew a stroke", "wrote text", "cleared the board").
    Q_PROPERTY(QString action READ action NOTIFY positionChanged)
    Q_PROPERTY(QDateTime startTime READ startTime NOTIFY countChanged)
    Q_PROPERTY(QDateTime endTime READ endTime NOTIFY countChanged)

public:
    static constexpr int CheckpointEvery = 256;
    static constexpr int MinSpeed = 1;
    static constexpr int MaxSpeed = 16;
    //! Playback never waits longer than this between two ops, whatever the speed.
    static constexpr int MaxStepMs = 2000;

    explicit ReplayModel(QObject *parent = nullptr);

    [[nodiscard]] Session *session() const { return m_session; }
    void setSession(Session *session);

    //! Start again from a base: the board at seq, then the ops after it (for tests, and for a fetched log).
    void reset(quint64 seq, const QList<proto::Item> &items);
    //! Append an op of the room's log (ignored unless its seq is above the last one's).
    void append(const proto::Op &op);

    [[nodiscard]] int count() const { return int(m_ops.size()); }
    [[nodiscard]] int position() const { return m_position; }
    void setPosition(int position);
    [[nodiscard]] bool playing() const { return m_playing; }
    void setPlaying(bool playing);
    [[nodiscard]] int speed() const { return m_speed; }
    void setSpeed(int speed);
    [[nodiscard]] double seq() const;
    [[nodiscard]] QDateTime time() const;
    [[nodiscard]] QString author() const;
    [[nodiscard]] QString action() const;
    [[nodiscard]] QDateTime startTime() const;
    [[nodiscard]] QDateTime endTime() const;

    //! The op that brings the board to position (1 .. count).
    [[nodiscard]] const proto::Op &op(int position) const { return m_ops.at(position - 1); }
    //! The board at a position (0 = the base), bottom to top.
    [[nodiscard]] QList<proto::Item> itemsAt(int position) const;
    //! The board at the current position.
    [[nodiscard]] QList<proto::Item> items() const { return itemsAt(m_position); }
    //! How long playback waits before the op at position + 1, at the current speed.
    [[nodiscard]] int stepDelayMs(int position) const;

    Q_INVOKABLE void play() { setPlaying(true); }
    Q_INVOKABLE void pause() { setPlaying(false); }
    //! Go to the live end (the board as it is now).
    Q_INVOKABLE void toEnd() { setPosition(count()); }

    //! An op in words, for people.
    [[nodiscard]] static QString describe(const proto::Op &op);

Q_SIGNALS:
    void sessionChanged();
    void countChanged();
    void positionChanged();
    void playingChanged();
    void speedChanged();

private:
    void restartFromSession();
    void step();
    void schedule();

    QPointer<Session> m_session;
    Board m_base;
    QList<proto::Op> m_ops; //!< board ops and chat, in seq order, after the base
    //! The board after every CheckpointEvery-th op (index i: after op (i + 1) * CheckpointEvery).
    QList<Board> m_checkpoints;
    int m_position = 0;
    bool m_playing = false;
    int m_speed = 1;
    bool m_followEnd = true; //!< at the live end: stay there as ops arrive
    QTimer m_timer;
};

} // namespace inkroom::client
