#include "qtavahipoll.h"

#include <QSocketNotifier>
#include <QTimer>

#include <avahi-common/watch.h>

#include <sys/time.h>

#include <limits>

// Avahi calls these C callbacks by the struct names it declares (AvahiWatch, AvahiTimeout): they are ours to define.
struct AvahiWatch
{
    int fd = -1;
    AvahiWatchCallback callback = nullptr;
    void *userdata = nullptr;
    std::unique_ptr<QSocketNotifier> read;
    std::unique_ptr<QSocketNotifier> write;
    AvahiWatchEvent current = AvahiWatchEvent(0); //!< what the callback is being told about (watch_get_events)
    bool dispatching = false;
    bool freed = false;
};

struct AvahiTimeout
{
    AvahiTimeoutCallback callback = nullptr;
    void *userdata = nullptr;
    QTimer timer;
    bool dispatching = false;
    bool freed = false;
};

namespace inkroom::lan {

namespace {

void setEvents(AvahiWatch *w, AvahiWatchEvent events)
{
    w->read->setEnabled(events & AVAHI_WATCH_IN);
    w->write->setEnabled(events & AVAHI_WATCH_OUT);
}

//! Tell Avahi; it may free the watch from inside its callback, which is then deleted here, after it returned.
void dispatch(AvahiWatch *w, AvahiWatchEvent event)
{
    w->current = event;
    w->dispatching = true;
    w->callback(w, w->fd, event, w->userdata);
    w->dispatching = false;
    w->current = AvahiWatchEvent(0);
    if (w->freed)
        delete w;
}

AvahiWatch *watchNew(const AvahiPoll *, int fd, AvahiWatchEvent events, AvahiWatchCallback callback, void *userdata)
{
    auto *w = new AvahiWatch;
    w->fd = fd;
    w->callback = callback;
    w->userdata = userdata;
    w->read = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    w->write = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
    QObject::connect(w->read.get(), &QSocketNotifier::activated, w->read.get(), [w] { dispatch(w, AVAHI_WATCH_IN); });
    QObject::connect(w->write.get(), &QSocketNotifier::activated, w->write.get(),
                     [w] { dispatch(w, AVAHI_WATCH_OUT); });
    setEvents(w, events);
    return w;
}

void watchUpdate(AvahiWatch *w, AvahiWatchEvent events)
{
    setEvents(w, events);
}

AvahiWatchEvent watchGetEvents(AvahiWatch *w)
{
    return w->current;
}

void watchFree(AvahiWatch *w)
{
    w->read->setEnabled(false);
    w->write->setEnabled(false);
    if (w->dispatching) {
        // Inside a notifier's own signal: the notifiers must outlive it; dispatch() deletes the watch.
        w->freed = true;
        return;
    }
    delete w;
}

//! Arm the timer for Avahi's absolute time tv (gettimeofday's clock); null: disarmed.
void arm(AvahiTimeout *t, const struct timeval *tv)
{
    t->timer.stop();
    if (!tv)
        return;
    struct timeval now
    {
    };
    gettimeofday(&now, nullptr);
    const qint64 ms = (qint64(tv->tv_sec) - now.tv_sec) * 1000 + (qint64(tv->tv_usec) - now.tv_usec + 999) / 1000;
    t->timer.start(int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max())));
}

AvahiTimeout *timeoutNew(const AvahiPoll *, const struct timeval *tv, AvahiTimeoutCallback callback, void *userdata)
{
    auto *t = new AvahiTimeout;
    t->callback = callback;
    t->userdata = userdata;
    t->timer.setSingleShot(true);
    t->timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&t->timer, &QTimer::timeout, &t->timer, [t] {
        t->dispatching = true;
        t->callback(t, t->userdata);
        t->dispatching = false;
        if (t->freed)
            delete t;
    });
    arm(t, tv);
    return t;
}

void timeoutUpdate(AvahiTimeout *t, const struct timeval *tv)
{
    arm(t, tv);
}

void timeoutFree(AvahiTimeout *t)
{
    t->timer.stop();
    if (t->dispatching) {
        t->freed = true;
        return;
    }
    delete t;
}

} // namespace

struct QtAvahiPoll::Private
{
    AvahiPoll api {};
};

QtAvahiPoll::QtAvahiPoll()
    : d(std::make_unique<Private>())
{
    d->api.userdata = this;
    d->api.watch_new = watchNew;
    d->api.watch_update = watchUpdate;
    d->api.watch_get_events = watchGetEvents;
    d->api.watch_free = watchFree;
    d->api.timeout_new = timeoutNew;
    d->api.timeout_update = timeoutUpdate;
    d->api.timeout_free = timeoutFree;
}

QtAvahiPoll::~QtAvahiPoll() = default;

const AvahiPoll *QtAvahiPoll::api() const
{
    return &d->api;
}

} // namespace inkroom::lan
