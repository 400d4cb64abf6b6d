#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>

class QSocketNotifier;

namespace inkroom::bench {

/** @brief An event dispatcher on epoll, for the load generator's client threads.
 *
 * Qt's dispatchers (GLib's and its own) hand every registered socket to poll() on every turn of the event loop. A
 * client thread holding 5,000 idle connections, woken by every presence message, handshake and welcome, spent more
 * than half of its time in the kernel's poll of sockets with nothing to read. With epoll a turn costs what is
 * ready, not what is open.
 *
 * Socket notifiers, timers (millisecond deadlines, nanosecond waits), posted events and wake-ups from other threads.
 * Linux only; create() returns nullptr elsewhere or when epoll is not available, and the thread keeps Qt's own.
 */
class EpollDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    //! A dispatcher, or nullptr when this platform has no epoll.
    static EpollDispatcher *create();
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
};

} // namespace inkroom::bench
