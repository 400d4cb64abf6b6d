#include "epolldispatcher.h"

#include "turntrace.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>

#include <chrono>
#include <climits>

#if defined(Q_OS_LINUX)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#endif

namespace inkroom::server {

namespace {
qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

EpollDispatcher *EpollDispatcher::create()
{
#if defined(Q_OS_LINUX)
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0)
        return nullptr;
    const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0) {
        ::close(epoll);
        return nullptr;
    }
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = wake;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) != 0) {
        ::close(wake);
        ::close(epoll);
        return nullptr;
    }
    return new EpollDispatcher(epoll, wake);
#else
    return nullptr;
#endif
}

bool EpollDispatcher::installOn(QThread &thread)
{
    EpollDispatcher *dispatcher = create();
    if (dispatcher)
        thread.setEventDispatcher(dispatcher);
    return dispatcher != nullptr;
}

EpollDispatcher::EpollDispatcher(int epoll, int wake)
    : m_epoll(epoll)
    , m_wake(wake)
{ }

EpollDispatcher::~EpollDispatcher()
{
#if defined(Q_OS_LINUX)
    ::close(m_wake);
    ::close(m_epoll);
#endif
}

void EpollDispatcher::watch(int fd, quint32 old, quint32 wanted)
{
#if defined(Q_OS_LINUX)
    if (old == wanted)
        return;
    if (wanted == 0) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        return;
    }
    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    // A descriptor closed behind our back left epoll by itself, and its number may be back as a new socket.
    if (::epoll_ctl(m_epoll, old == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event) != 0)
        ::epoll_ctl(m_epoll, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
#else
    Q_UNUSED(fd);
    Q_UNUSED(old);
    Q_UNUSED(wanted);
#endif
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Socket &socket = m_sockets[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        socket.read = notifier;
        break;
    case QSocketNotifier::Write:
        socket.write = notifier;
        break;
    case QSocketNotifier::Exception:
        socket.exception = notifier;
        break;
    }
    const quint32 old = socket.events;
    socket.events |= notifier->type() == QSocketNotifier::Read ? quint32(EPOLLIN)
        : notifier->type() == QSocketNotifier::Write           ? quint32(EPOLLOUT)
                                                               : quint32(EPOLLPRI);
    watch(fd, old, socket.events);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_sockets.find(fd);
    if (it == m_sockets.end())
        return;
    Socket &socket = *it;
    quint32 dropped = 0;
    if (socket.read == notifier) {
        socket.read = nullptr;
        dropped = EPOLLIN;
    } else if (socket.write == notifier) {
        socket.write = nullptr;
        dropped = EPOLLOUT;
    } else if (socket.exception == notifier) {
        socket.exception = nullptr;
        dropped = EPOLLPRI;
    }
    const quint32 old = socket.events;
    socket.events &= ~dropped;
    watch(fd, old, socket.events);
    if (!socket.read && !socket.write && !socket.exception)
        m_sockets.erase(it);
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    m_timers.insert(timerId, Timer {object, interval, timerType, nowNs() + interval * 1000000});
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const auto &it) { return it.value().object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    }
    return list;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(std::max<qint64>(0, (it->deadlineNs - nowNs()) / 1000000));
}

void EpollDispatcher::startingUp()
{
    m_owner.store(QThread::currentThreadId());
}

void EpollDispatcher::wakeUp()
{
    // The dispatcher's own thread is not waiting in epoll: it is running this. What it posted is sent at the start of
    // the next processEvents(), which only has to not block meanwhile. Writing the eventfd instead cost a write, a
    // read and an extra turn for every posted flush: a tenth of the server's system calls at 100 members.
    if (QThread::currentThreadId() == m_owner.load(std::memory_order_relaxed)) {
        m_postedMeanwhile.store(true, std::memory_order_relaxed);
        return;
    }
#if defined(Q_OS_LINUX)
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wake, &one, sizeof one);
#endif
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

qint64 EpollDispatcher::nextTimerNs(qint64 now) const
{
    qint64 next = -1;
    for (const Timer &timer : m_timers) {
        const qint64 wait = std::max<qint64>(0, timer.deadlineNs - now);
        if (next < 0 || wait < next)
            next = wait;
    }
    return next;
}

bool EpollDispatcher::fireTimers()
{
    const qint64 now = nowNs();
    QList<int> due;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->deadlineNs <= now)
            due.append(it.key());
    }
    for (int id : std::as_const(due)) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end()) // unregistered by an earlier timer's handler
            continue;
        const qint64 period = std::max<qint64>(it->intervalMs, 0) * 1000000;
        // Keep a precise timer's phase; one that fell behind skips what it missed rather than bursting.
        it->deadlineNs = it->type == Qt::PreciseTimer ? it->deadlineNs + period : now + period;
        if (it->deadlineNs < now)
            it->deadlineNs = now + period;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
    }
    return !due.isEmpty();
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    m_postedMeanwhile.store(false, std::memory_order_relaxed);
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load())
        return true;

#if defined(Q_OS_LINUX)
    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents);
    qint64 timeoutNs = nextTimerNs(nowNs());
    // Events this thread posted while the others were sent wait for the next call, which must come at once.
    if (!wait || m_postedMeanwhile.load(std::memory_order_relaxed))
        timeoutNs = 0;
    if (wait)
        Q_EMIT aboutToBlock();
    epoll_event events[256];
    int ready = 0;
    TurnTrace *trace = TurnTrace::active();
    if (trace)
        trace->waitBegins();
    do {
        timespec timeout {};
        if (timeoutNs >= 0) {
            timeout.tv_sec = time_t(timeoutNs / 1000000000);
            timeout.tv_nsec = long(timeoutNs % 1000000000);
        }
        ready = m_noPwait2 ? -1 : ::epoll_pwait2(m_epoll, events, 256, timeoutNs >= 0 ? &timeout : nullptr, nullptr);
        if (ready < 0 && (m_noPwait2 || errno == ENOSYS)) {
            // Kernels before 5.11 (and valgrind) have no epoll_pwait2: milliseconds, rounded up, then.
            m_noPwait2 = true;
            const int timeoutMs = timeoutNs < 0 ? -1 : int(std::min<qint64>((timeoutNs + 999999) / 1000000, INT_MAX));
            ready = ::epoll_wait(m_epoll, events, 256, timeoutMs);
        }
    } while (ready < 0 && errno == EINTR);
    if (trace)
        trace->waitEnded(std::max(ready, 0));
    Q_EMIT awake();

    bool handled = false;
    for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        const quint32 revents = events[i].events;
        if (fd == m_wake) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t n = ::read(m_wake, &count, sizeof count);
            continue;
        }
        if (flags.testFlag(QEventLoop::ExcludeSocketNotifiers))
            continue;
        // Each notifier is looked up again: an earlier handler may have closed or deleted it.
        const auto activate = [this, fd](QSocketNotifier *Socket::*slot) {
            const auto it = m_sockets.constFind(fd);
            if (it == m_sockets.cend())
                return false;
            QSocketNotifier *notifier = (*it).*slot;
            if (!notifier || !notifier->isEnabled())
                return false;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(notifier, &event);
            return true;
        };
        if (revents & (EPOLLIN | EPOLLHUP | EPOLLERR))
            handled |= activate(&Socket::read);
        if (revents & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            handled |= activate(&Socket::write);
        if (revents & EPOLLPRI)
            handled |= activate(&Socket::exception);
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        handled |= fireTimers();
    return handled;
#else
    Q_UNUSED(flags);
    return false;
#endif
}

} // namespace inkroom::server
