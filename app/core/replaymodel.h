#pragma once

#include "board.h"
#include "historycache.h"
#include "historyfetcher.h"
#include "protocol.h"
#include "session.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

/** @brief The room's whole history, to scrub through and play back; it never changes the room.
 *
 * Attached to a session it shows at once what the client has (the board as the session has it), and fetches the
 * room's history from the server in the background (HistoryFetcher): the board the server's history starts from and
 * every op after it, page by page, so a long history fills in progressively without waiting on anything. Ops the
 * session applies meanwhile wait until the fetch has caught up, then follow in the room's order, with who made them
 * and when. After a reconnect it fetches only what it missed. What it has fetched is kept on disk with the session's
 * journal (HistoryCache), so the timeline works offline, also after a restart, and only the rest is fetched later.
 * Position p shows the base with the first p ops applied; count is the live end. Boards at a position are rebuilt from
 * checkpoints every 256 ops, so scrubbing a long history stays quick. Playback walks the ops at their own pace (the
 * time between them, divided by the speed, at most 2 s a step). Nothing here sends anything: a replay works offline, on
 * what the client has fetched.
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
    //! The history is being fetched from the server.
    Q_PROPERTY(bool fetching READ fetching NOTIFY fetchingChanged)
    //! How much of the server's history is here, 0 to 1 (1 when not fetching).
    Q_PROPERTY(double fetchProgress READ fetchProgress NOTIFY fetchingChanged)
    //! The base is the server's history's start (false: only what this client saw since it joined).
    Q_PROPERTY(bool wholeHistory READ wholeHistory NOTIFY fetchingChanged)
    //! Why the server's history could not be fetched (empty: it could).
    Q_PROPERTY(QString fetchProblem READ fetchProblem NOTIFY fetchingChanged)

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
    //! Append ops of the room's log, in order (each ignored unless its seq is above the last one's).
    void appendAll(const QList<proto::Op> &ops);

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
    //! Reading the kept history, or fetching from the server while online (offline it waits, and says nothing).
    [[nodiscard]] bool fetching() const;
    [[nodiscard]] double fetchProgress() const;
    [[nodiscard]] bool wholeHistory() const { return m_wholeHistory; }
    [[nodiscard]] QString fetchProblem() const { return m_fetchProblem; }
    //! The seq of the base board.
    [[nodiscard]] quint64 baseSeq() const { return m_base.seq(); }

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
    /** Fetch the room's whole history from the server (the timeline asks when it opens; nothing is fetched before):
     *  at once when online, else once the session is. Once fetched, reconnects fetch only what was missed. */
    Q_INVOKABLE void fetchWholeHistory();
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
    void fetchingChanged();

private:
    //! The session fetches the pictures the history shows (no session: nothing to fetch them with).
    void showPicturesOf(const QList<proto::Item> &items);
    void restartFromSession();
    //! Add op to the end (no signals); false when its seq is not above the last one's.
    bool take(const proto::Op &op);
    //! The session joined with a snapshot (first join, or a resume that was too far behind).
    void onSnapshot();
    void onBaseFetched(quint64 seq, const QList<proto::Item> &items);
    void onCaughtUp();
    //! Read the history kept on disk for this room, then fetch what it lacks (or all of it, when none is kept).
    void beginWholeHistory();
    void onCacheLoaded(const QString &path, bool found, quint64 seq, const QList<proto::Item> &items,
                       const QList<proto::Op> &ops);
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

    HistoryFetcher m_fetcher;
    HistoryCache m_cache;
    bool m_loading = false; //!< the kept history is being read
    bool m_waitingForEpoch = false; //!< the journal has not said which log the room is on yet
    bool m_restoring = false; //!< appending what the cache held (not written back)
    bool m_wanted = false; //!< fetchWholeHistory() was asked for
    bool m_wholeHistory = false;
    QString m_fetchProblem;
    QList<proto::Op> m_live; //!< ops the session applied while the fetch had not caught up
};

} // namespace inkroom::client
