#include "clidiscovery.h"

#include "eventjson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {
void writeLine(const QJsonObject &object)
{
    const QByteArray bytes = events::line(object);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}
} // namespace

CliDiscovery::CliDiscovery(int timeoutMs, const QString &token, QObject *parent)
    : QObject(parent)
{
    m_directory.setToken(token);
    // Servers are shown when found and their rooms when they answer; the refresh keeps members counts current.
    m_directory.setRefreshInterval(2000);
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (!m_everAvailable && !m_responderPrinted)
            printResponder();
        Q_EMIT finished(m_everAvailable ? 0 : ExitNoResponder);
    });
    connect(&m_directory, &LanDirectory::serverAdded, this, [this](const LanServer &s) { printServer("found", s); });
    connect(&m_directory, &LanDirectory::serverChanged, this,
            [this](const LanServer &s) { printServer("changed", s); });
    connect(&m_directory, &LanDirectory::serverRemoved, this, [](const QString &name) {
        writeLine(QJsonObject {{u"type"_s, u"server"_s}, {u"event"_s, u"lost"_s}, {u"name"_s, name}});
    });
    connect(&m_directory, &LanDirectory::availabilityChanged, this, [this] {
        m_everAvailable = m_everAvailable || m_directory.available();
        printResponder();
    });
}

void CliDiscovery::start()
{
    m_directory.start();
    m_timeout.start();
}

void CliDiscovery::printServer(const char *event, const LanServer &server)
{
    QJsonArray rooms;
    for (const proto::RoomInfo &room : server.rooms)
        rooms.append(
            QJsonObject {{u"name"_s, room.name}, {u"members"_s, room.members}, {u"password"_s, room.password}});
    QJsonObject line {{u"type"_s, u"server"_s},
                      {u"event"_s, QString::fromLatin1(event)},
                      {u"name"_s, server.name},
                      {u"displayName"_s, server.announcement.name},
                      {u"host"_s, server.hostName},
                      {u"url"_s, server.url.toString()},
                      {u"protocol"_s, server.announcement.protocol},
                      {u"tls"_s, server.announcement.tls},
                      {u"token"_s, server.announcement.tokenNeeded},
                      {u"roomsKnown"_s, server.roomsKnown},
                      {u"rooms"_s, rooms}};
    if (server.announcement.tls)
        line.insert(u"fingerprint"_s, server.announcement.fingerprint);
    if (!server.problem.isEmpty())
        line.insert(u"problem"_s, server.problem);
    writeLine(line);
}

void CliDiscovery::printResponder()
{
    m_responderPrinted = true;
    QJsonObject line {{u"type"_s, u"responder"_s}, {u"available"_s, m_directory.available()}};
    if (!m_directory.available())
        line.insert(u"reason"_s,
                    m_directory.reason().isEmpty() ? u"no mDNS responder answered"_s : m_directory.reason());
    writeLine(line);
}

} // namespace inkroom::client
