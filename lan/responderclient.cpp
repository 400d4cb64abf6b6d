#include "responderclient.h"

#include <QTimer>

#include <avahi-client/client.h>
#include <avahi-common/error.h>

namespace inkroom::lan {

struct ResponderCallbacks
{
    static void onClient(AvahiClient *client, AvahiClientState state, void *userdata)
    {
        static_cast<ResponderClient *>(userdata)->handle(client, state);
    }
};

ResponderClient::ResponderClient(Handlers handlers)
    : m_handlers(std::move(handlers))
{ }

ResponderClient::~ResponderClient()
{
    *m_alive = false;
    release();
}

void ResponderClient::start()
{
    m_wanted = true;
    if (m_client)
        return;
    int error = 0;
    // NO_FAIL: without a daemon the client waits for one to appear (CONNECTING) instead of failing.
    AvahiClient *made =
        avahi_client_new(m_poll.api(), AVAHI_CLIENT_NO_FAIL, &ResponderCallbacks::onClient, this, &error);
    if (!made) {
        m_client = nullptr; // a client reported from inside avahi_client_new has been freed with it
        m_handlers.unavailable(QString::fromUtf8(avahi_strerror(error)), false);
        return;
    }
    m_client = made;
}

void ResponderClient::stop()
{
    m_wanted = false;
    release();
}

void ResponderClient::release()
{
    if (!m_client)
        return;
    if (m_handlers.released)
        m_handlers.released();
    // Freeing the client frees everything made with it: entry groups, browsers, resolvers.
    avahi_client_free(m_client);
    m_client = nullptr;
}

void ResponderClient::handle(AvahiClient *client, int state)
{
    // avahi_client_new reports its first states before it has returned the client.
    if (!m_client)
        m_client = client;
    if (state == AVAHI_CLIENT_FAILURE && avahi_client_errno(client) == AVAHI_ERR_DISCONNECTED) {
        // The responder went away (restarted): start over and wait for it to come back. The client may be freed
        // only after this callback has returned.
        const QString error = QString::fromUtf8(avahi_strerror(avahi_client_errno(client)));
        QTimer::singleShot(0, [this, alive = std::weak_ptr<bool>(m_alive)] {
            const auto stillHere = alive.lock();
            if (!stillHere || !*stillHere)
                return;
            release();
            if (m_wanted)
                start();
        });
        m_handlers.unavailable(error, true);
        return;
    }
    m_handlers.state(client, state);
}

} // namespace inkroom::lan
