#pragma once

#include <memory>

struct AvahiPoll;

namespace inkroom::lan {

/** @brief Avahi's main-loop abstraction (AvahiPoll) on Qt's event loop: watches are QSocketNotifiers, timeouts are
 *  QTimers. Nothing is polled and no thread is started: the responder's D-Bus socket wakes the thread that made this
 *  object, like any other socket.
 *
 * Every Avahi object made with api() must be used and freed on that thread, and before this object goes.
 */
class QtAvahiPoll
{
public:
    QtAvahiPoll();
    ~QtAvahiPoll();
    QtAvahiPoll(const QtAvahiPoll &) = delete;
    QtAvahiPoll &operator=(const QtAvahiPoll &) = delete;

    [[nodiscard]] const AvahiPoll *api() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace inkroom::lan
