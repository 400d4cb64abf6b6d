#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>

class QSocketNotifier;
class QThread;

namespace inkroom::server {

/** @brief An event dispatcher on epoll: a turn of the event loop costs what is ready, not what is open.
 *
 * Qt's dispatchers hand every registered socket to poll() on every turn, and GLib's (the one a thread of a desktop
 * app gets) also searches a list of its sources whenever a socket notifier is switched on or off, which a server does
 * for every write that the kernel does not take at once. A load generator's thread holding 5,000 idle connections
 * spent more than half of its time in poll(); the server in the app's hosting thread (ui::RoomHost) paid GLib's
 * search for every member. Both threads run on this instead.
 *
 * Socket notifiers (level-triggered), timers (millisecond deadlines, nanosecond waits), posted events and wake-ups
 * from other threads. Linux only; create() returns nullptr elsewhere or when epoll is not available, and the thread
 * keeps Qt's own. Set it on a QThread before the thread starts (QThread::setEventDispatcher).
 */
class EpollDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    //! A dispatcher, or nullptr when this platform has no epoll.
    static EpollDispatcher *create();
    /** Give thread a new dispatcher of this kind, if the platform has epoll. Call before every start: a thread that
     *  finished deleted its dispatcher. Returns whether it did. */
    static bool installOn(QThread &thread);
    ~EpollDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    [[nodiscard]] QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;
    void startingUp() override;

private:
    EpollDispatcher(int epoll, int wake);
    struct Socket
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; //!< what epoll watches for
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadlineNs = 0;
    };
    //! Tell epoll to watch fd for wanted instead of old (0: not at all).
    void watch(int fd, quint32 old, quint32 wanted);
    //! Nanoseconds until the next timer is due (0: now), or -1 without timers.
    [[nodiscard]] qint64 nextTimerNs(qint64 nowNs) const;
    bool fireTimers();

    const int m_epoll;
    const int m_wake; //!< an eventfd other threads write to
    QHash<int, Socket> m_sockets;
    QHash<int, Timer> m_timers;
    std::atomic<bool> m_interrupted {false};
    //! The thread that runs this dispatcher, once it has started (startingUp()); until then every wakeUp() writes.
    std::atomic<Qt::HANDLE> m_owner {nullptr};
    //! Its own thread posted an event since processEvents() sent the posted ones: do not block.
    std::atomic<bool> m_postedMeanwhile {false};
    bool m_noPwait2 = false; //!< the kernel has no epoll_pwait2(): epoll_wait() instead
};

} // namespace inkroom::server
