#pragma once

#include "qtavahipoll.h"

#include <QString>

#include <functional>

struct AvahiClient;

namespace inkroom::lan {

/** @brief One connection to the system's mDNS responder (an AvahiClient on Qt's event loop) that outlives the
 *  responder: made so that it waits for a responder that is not there yet, and made again when the responder goes
 *  away (avahi-daemon restarted), so that what the owner registers or browses is set up once more by itself.
 *
 * The owner gets the client's states through Handlers::state (running, registering, collision, connecting, or a
 * failure other than a lost responder) and sets up its entry groups or browsers when the client runs. Before the
 * client is freed (stop(), a lost responder, destruction) Handlers::released says so: everything made with the
 * client goes with it. Handlers::unavailable says why no responder serves: `error` is Avahi's own text, and
 * `responderLeft` tells a responder that went away from one that was never reached.
 */
class ResponderClient
{
public:
    struct Handlers
    {
        std::function<void(AvahiClient *client, int avahiClientState)> state;
        std::function<void(const QString &error, bool responderLeft)> unavailable;
        std::function<void()> released;
    };

    explicit ResponderClient(Handlers handlers);
    ~ResponderClient();
    ResponderClient(const ResponderClient &) = delete;
    ResponderClient &operator=(const ResponderClient &) = delete;

    //! Connects (again); a no-op while connected.
    void start();
    //! Frees the client; nothing more is reported until start().
    void stop();

private:
    friend struct ResponderCallbacks;
    void handle(AvahiClient *client, int state);
    void release();

    Handlers m_handlers;
    QtAvahiPoll m_poll;
    AvahiClient *m_client = nullptr;
    bool m_wanted = false;
    //! Shared with the queued reconnect, which must not run once this object is gone.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace inkroom::lan
