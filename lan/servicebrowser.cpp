#include "servicebrowser.h"

#include "responderclient.h"

#include <QLoggingCategory>
#include <QtEndian>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>

#include <net/if.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcBrowse, "inkroom.lan.browse", QtWarningMsg)

namespace inkroom::lan {

namespace {

QHostAddress toQt(const AvahiAddress *a, AvahiIfIndex interface)
{
    QHostAddress address;
    if (a->proto == AVAHI_PROTO_INET) {
        address.setAddress(qFromBigEndian(a->data.ipv4.address));
    } else if (a->proto == AVAHI_PROTO_INET6) {
        address.setAddress(a->data.ipv6.address);
        if (address.isLinkLocal()) {
            char name[IF_NAMESIZE] = {};
            if (if_indextoname(unsigned(interface), name))
                address.setScopeId(QString::fromLocal8Bit(name));
        }
    }
    return address;
}

QList<QByteArray> txtOf(AvahiStringList *list)
{
    QList<QByteArray> txt;
    for (AvahiStringList *l = list; l; l = avahi_string_list_get_next(l))
        txt.append(QByteArray(reinterpret_cast<const char *>(avahi_string_list_get_text(l)),
                              qsizetype(avahi_string_list_get_size(l))));
    return txt;
}

} // namespace

struct ServiceBrowser::Private
{
    ServiceBrowser *q = nullptr;
    AvahiServiceBrowser *browser = nullptr;
    ResponderClient responder {{
        [this](AvahiClient *c, int state) { onClient(c, state); },
        [this](const QString &error, bool left) {
            q->setAvailable(
                false,
                left ? u"Servers on this network cannot be listed: the mDNS responder stopped (%1)."_s.arg(error)
                     : u"Servers on this network cannot be listed: no mDNS responder (%1)."_s.arg(error));
        },
        [this] { browser = nullptr; },
    }};

    void browse(AvahiClient *c)
    {
        if (browser)
            return;
        browser = avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, ServiceType, nullptr,
                                            AvahiLookupFlags(0), &Private::onBrowse, this);
        if (!browser) {
            q->setAvailable(false,
                            u"Servers on this network cannot be listed: %1."_s.arg(
                                QString::fromUtf8(avahi_strerror(avahi_client_errno(c)))));
            return;
        }
        q->setAvailable(true, {});
    }

    void onClient(AvahiClient *c, int state)
    {
        switch (state) {
        case AVAHI_CLIENT_S_RUNNING:
        case AVAHI_CLIENT_S_REGISTERING:
        case AVAHI_CLIENT_S_COLLISION:
            browse(c);
            return;
        case AVAHI_CLIENT_CONNECTING:
            q->setAvailable(false,
                            u"Servers on this network cannot be listed: no mDNS responder "
                            "(avahi-daemon) is running. Type the address instead."_s);
            return;
        default: // AVAHI_CLIENT_FAILURE
            q->setAvailable(false,
                            u"Servers on this network cannot be listed: the mDNS responder failed (%1)."_s.arg(
                                QString::fromUtf8(avahi_strerror(avahi_client_errno(c)))));
            return;
        }
    }

    static void onBrowse(AvahiServiceBrowser *b, AvahiIfIndex interface, AvahiProtocol protocol,
                         AvahiBrowserEvent event, const char *name, const char *type, const char *domain,
                         AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<Private *>(userdata);
        switch (event) {
        case AVAHI_BROWSER_NEW:
            // Freed in onResolve; the client frees those still running when it goes.
            if (!avahi_service_resolver_new(avahi_service_browser_get_client(b), interface, protocol, name, type,
                                            domain, protocol, AvahiLookupFlags(0), &Private::onResolve, self)) {
                qCWarning(lcBrowse) << "cannot resolve" << name;
            }
            return;
        case AVAHI_BROWSER_REMOVE:
            Q_EMIT self->q->lost(QString::fromUtf8(name), interface, protocol);
            return;
        case AVAHI_BROWSER_FAILURE:
            self->q->setAvailable(false,
                                  u"Servers on this network cannot be listed: %1."_s.arg(QString::fromUtf8(
                                      avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(b))))));
            return;
        case AVAHI_BROWSER_CACHE_EXHAUSTED:
        case AVAHI_BROWSER_ALL_FOR_NOW:
            return;
        }
    }

    static void onResolve(AvahiServiceResolver *r, AvahiIfIndex interface, AvahiProtocol protocol,
                          AvahiResolverEvent event, const char *name, const char *, const char *, const char *hostName,
                          const AvahiAddress *address, uint16_t port, AvahiStringList *txt, AvahiLookupResultFlags,
                          void *userdata)
    {
        auto *self = static_cast<Private *>(userdata);
        if (event == AVAHI_RESOLVER_FOUND && address) {
            QString problem;
            const auto announcement = fromTxt(txtOf(txt), &problem);
            if (announcement) {
                Q_EMIT self->q->found(FoundService {QString::fromUtf8(name), QString::fromUtf8(hostName),
                                                    toQt(address, interface), port, *announcement, interface,
                                                    protocol});
            } else {
                qCInfo(lcBrowse) << "ignoring" << name << ":" << problem;
            }
        } else {
            qCInfo(lcBrowse) << "could not resolve" << name;
        }
        avahi_service_resolver_free(r);
    }
};

ServiceBrowser::ServiceBrowser(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
}

ServiceBrowser::~ServiceBrowser() = default;

void ServiceBrowser::start()
{
    d->responder.start();
}

void ServiceBrowser::stop()
{
    d->responder.stop();
    setAvailable(false, {});
}

void ServiceBrowser::setAvailable(bool available, const QString &reason)
{
    if (available == m_available && reason == m_reason)
        return;
    m_available = available;
    m_reason = reason;
    Q_EMIT availabilityChanged();
}

} // namespace inkroom::lan
