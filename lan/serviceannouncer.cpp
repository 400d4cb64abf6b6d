#include "serviceannouncer.h"

#include "responderclient.h"

#include <QLoggingCategory>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAnnounce, "inkroom.lan.announce", QtWarningMsg)

namespace inkroom::lan {

struct ServiceAnnouncer::Private
{
    ServiceAnnouncer *q = nullptr;
    AvahiEntryGroup *group = nullptr;
    ResponderClient responder {{
        [this](AvahiClient *c, int state) { onClient(c, state); },
        [this](const QString &error, bool left) {
            q->setState(State::WaitingForResponder,
                        left ? u"the mDNS responder went away"_s : u"no mDNS responder: %1"_s.arg(error));
        },
        [this] { group = nullptr; },
    }};
    QByteArray name; //!< UTF-8, the name tried now (renamed after a collision)
    quint16 port = 0;
    QList<QByteArray> txt;

    void rename()
    {
        char *next = avahi_alternative_service_name(name.constData());
        qCInfo(lcAnnounce) << "the name" << name << "is taken on the network; trying" << next;
        name = QByteArray(next);
        avahi_free(next);
    }

    void registerService(AvahiClient *c)
    {
        if (!group) {
            group = avahi_entry_group_new(c, &Private::onGroup, this);
            if (!group) {
                q->setState(State::Failed, QString::fromUtf8(avahi_strerror(avahi_client_errno(c))));
                return;
            }
        }
        if (!avahi_entry_group_is_empty(group))
            return;
        AvahiStringList *list = nullptr;
        for (auto it = txt.crbegin(); it != txt.crend(); ++it) // avahi_string_list_add prepends
            list = avahi_string_list_add_arbitrary(list, reinterpret_cast<const uint8_t *>(it->constData()),
                                                   size_t(it->size()));
        for (int attempt = 0; attempt < 100; ++attempt) {
            const int result =
                avahi_entry_group_add_service_strlst(group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AvahiPublishFlags(0),
                                                     name.constData(), ServiceType, nullptr, nullptr, port, list);
            if (result == AVAHI_ERR_COLLISION) {
                rename();
                continue;
            }
            if (result < 0) {
                avahi_string_list_free(list);
                q->setState(State::Failed, QString::fromUtf8(avahi_strerror(result)));
                return;
            }
            break;
        }
        avahi_string_list_free(list);
        const int committed = avahi_entry_group_commit(group);
        if (committed < 0) {
            q->setState(State::Failed, QString::fromUtf8(avahi_strerror(committed)));
            return;
        }
        q->setState(State::Registering);
    }

    void onClient(AvahiClient *c, int state)
    {
        switch (state) {
        case AVAHI_CLIENT_S_RUNNING:
            registerService(c);
            return;
        case AVAHI_CLIENT_S_COLLISION:
        case AVAHI_CLIENT_S_REGISTERING:
            // The host name changed or collides: withdraw, and register again once the client runs.
            if (group)
                avahi_entry_group_reset(group);
            q->setState(State::Registering);
            return;
        case AVAHI_CLIENT_CONNECTING:
            q->setState(State::WaitingForResponder, u"no mDNS responder (avahi-daemon) is running"_s);
            return;
        default: // AVAHI_CLIENT_FAILURE
            q->setState(State::Failed, QString::fromUtf8(avahi_strerror(avahi_client_errno(c))));
            return;
        }
    }

    static void onGroup(AvahiEntryGroup *g, AvahiEntryGroupState state, void *userdata)
    {
        auto *self = static_cast<Private *>(userdata);
        switch (state) {
        case AVAHI_ENTRY_GROUP_ESTABLISHED:
            self->q->m_announcedName = QString::fromUtf8(self->name);
            self->q->setState(State::Announced);
            return;
        case AVAHI_ENTRY_GROUP_COLLISION:
            // Somebody else on the network has this name: DNS-SD's rule is to take the next one.
            self->rename();
            avahi_entry_group_reset(g);
            self->registerService(avahi_entry_group_get_client(g));
            return;
        case AVAHI_ENTRY_GROUP_FAILURE:
            self->q->setState(State::Failed,
                              QString::fromUtf8(avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g)))));
            return;
        case AVAHI_ENTRY_GROUP_UNCOMMITED:
        case AVAHI_ENTRY_GROUP_REGISTERING:
            return;
        }
    }
};

ServiceAnnouncer::ServiceAnnouncer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
}

ServiceAnnouncer::~ServiceAnnouncer() = default;

void ServiceAnnouncer::announce(const QString &name, quint16 port, const Announcement &txt)
{
    d->responder.stop();
    d->name = serviceName(name).toUtf8();
    d->port = port;
    d->txt = toTxt(txt);
    m_announcedName.clear();
    d->responder.start();
}

void ServiceAnnouncer::stop()
{
    d->responder.stop();
    m_announcedName.clear();
    setState(State::Stopped);
}

void ServiceAnnouncer::setState(State state, const QString &reason)
{
    if (state != State::Announced)
        m_announcedName.clear();
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    qCInfo(lcAnnounce) << "state" << state << reason << m_announcedName;
    Q_EMIT stateChanged();
}

} // namespace inkroom::lan
