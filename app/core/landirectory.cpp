#include "landirectory.h"

#include "roomlistquery.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

//! Which address to connect to: IPv4, then a routable IPv6 address, then a link-local one (needs its interface).
int rank(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return 0;
    if (!address.isLinkLocal())
        return 1;
    return 2;
}

QUrl urlFor(const lan::FoundService &service)
{
    QUrl url;
    url.setScheme(service.announcement.tls ? u"wss"_s : u"ws"_s);
    url.setHost(service.address.toString());
    url.setPort(service.port);
    return url;
}

} // namespace

LanDirectory::LanDirectory(QObject *parent)
    : QObject(parent)
{
    connect(&m_browser, &lan::ServiceBrowser::found, this, &LanDirectory::onFound);
    connect(&m_browser, &lan::ServiceBrowser::lost, this, &LanDirectory::onLost);
    connect(&m_browser, &lan::ServiceBrowser::availabilityChanged, this, &LanDirectory::availabilityChanged);
    m_refresh.setInterval(5000);
    connect(&m_refresh, &QTimer::timeout, this, &LanDirectory::refresh);
}

LanDirectory::~LanDirectory() = default;

void LanDirectory::start()
{
    const bool wasRunning = std::exchange(m_running, true);
    m_browser.start();
    if (m_refresh.interval() > 0)
        m_refresh.start();
    if (!wasRunning)
        Q_EMIT runningChanged();
}

void LanDirectory::stop()
{
    m_refresh.stop();
    m_browser.stop();
    const QStringList names = m_order;
    m_entries.clear();
    m_order.clear();
    for (const QString &name : names)
        Q_EMIT serverRemoved(name);
    if (std::exchange(m_running, false))
        Q_EMIT runningChanged();
}

void LanDirectory::setRefreshInterval(int ms)
{
    m_refresh.setInterval(std::max(ms, 0));
    if (ms <= 0)
        m_refresh.stop();
}

QList<LanServer> LanDirectory::servers() const
{
    QList<LanServer> list;
    for (const QString &name : m_order)
        list.append(m_entries.value(name)->server);
    return list;
}

std::optional<LanServer> LanDirectory::server(const QString &name) const
{
    const auto entry = m_entries.value(name);
    return entry ? std::optional(entry->server) : std::nullopt;
}

bool LanDirectory::available() const
{
    return m_browser.available();
}

QString LanDirectory::reason() const
{
    return m_browser.reason();
}

void LanDirectory::onFound(const lan::FoundService &service)
{
    std::shared_ptr<Entry> &entry = m_entries[service.name];
    const bool added = !entry;
    if (added) {
        entry = std::make_shared<Entry>();
        entry->server.name = service.name;
        m_order.append(service.name);
    }
    auto same = [&service](const lan::FoundService &other) {
        return other.interfaceIndex == service.interfaceIndex && other.protocol == service.protocol;
    };
    entry->instances.removeIf(same);
    entry->instances.append(service);
    const bool announcementChanged = entry->server.announcement != service.announcement;
    entry->server.announcement = service.announcement;
    entry->server.hostName = service.hostName;
    const bool moved = chooseAddress(*entry);
    if (added) {
        Q_EMIT serverAdded(entry->server);
        askRooms(*entry);
    } else if (moved || announcementChanged) {
        Q_EMIT serverChanged(entry->server);
        askRooms(*entry);
    }
}

void LanDirectory::onLost(const QString &name, int interfaceIndex, int protocol)
{
    const auto entry = m_entries.value(name);
    if (!entry)
        return;
    entry->instances.removeIf(
        [&](const lan::FoundService &s) { return s.interfaceIndex == interfaceIndex && s.protocol == protocol; });
    if (entry->instances.isEmpty()) {
        m_entries.remove(name);
        m_order.removeOne(name);
        Q_EMIT serverRemoved(name);
    } else if (chooseAddress(*entry)) {
        Q_EMIT serverChanged(entry->server);
    }
}

bool LanDirectory::chooseAddress(Entry &entry)
{
    const auto best = std::min_element(
        entry.instances.cbegin(), entry.instances.cend(),
        [](const lan::FoundService &a, const lan::FoundService &b) { return rank(a.address) < rank(b.address); });
    const QUrl url = best == entry.instances.cend() ? QUrl() : urlFor(*best);
    if (url == entry.server.url)
        return false;
    entry.server.url = url;
    return true;
}

void LanDirectory::askRooms(Entry &entry)
{
    if (!entry.query) {
        entry.query = std::make_unique<RoomListQuery>();
        const QString name = entry.server.name;
        connect(entry.query.get(), &RoomListQuery::finished, this, [this, name](const QList<proto::RoomInfo> &rooms) {
            const auto e = m_entries.value(name);
            if (!e || (e->server.roomsKnown && e->server.rooms == rooms && e->server.problem.isEmpty()))
                return;
            e->server.rooms = rooms;
            e->server.roomsKnown = true;
            e->server.problem.clear();
            Q_EMIT serverChanged(e->server);
        });
        connect(entry.query.get(), &RoomListQuery::failed, this, [this, name](const QString &reason) {
            const auto e = m_entries.value(name);
            if (!e || e->server.problem == reason)
                return;
            e->server.problem = reason;
            Q_EMIT serverChanged(e->server);
        });
    }
    entry.query->start(entry.server.url, entry.server.announcement.fingerprint,
                       entry.server.announcement.tokenNeeded ? m_token : QString());
}

void LanDirectory::refresh()
{
    for (const QString &name : std::as_const(m_order)) {
        const auto entry = m_entries.value(name);
        if (entry && !entry->query->isRunning())
            askRooms(*entry);
    }
}

} // namespace inkroom::client
