#include "joinlink.h"

#include "protocol.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

constexpr int kDefaultPort = 7420;

QString tr(const char *text)
{
    return QCoreApplication::translate("JoinLink", text);
}

JoinTarget failure(const QString &error)
{
    return JoinTarget {{}, {}, error};
}

//! Checks host and port of a ws:// URL and fills in the default port.
JoinTarget finish(QUrl url, const QString &room)
{
    if (!url.isValid() || url.host().isEmpty())
        return failure(tr("That address has no server in it. Try something like 192.168.1.20:7420."));
    if (url.port() == 0)
        return failure(tr("The port must be between 1 and 65535."));
    if (url.port() < 0)
        url.setPort(kDefaultPort);
    url.setPath(QString());
    url.setQuery(QString());
    url.setFragment(QString());
    url.setUserInfo(QString());
    const QString trimmedRoom = room.trimmed();
    if (trimmedRoom.isEmpty())
        return failure(tr("Enter the name of the room to join."));
    if (!proto::isValidRoomName(trimmedRoom))
        return failure(tr("A room name is 1 to 64 characters, without control characters."));
    return JoinTarget {url, trimmedRoom, {}};
}

} // namespace

QString JoinTarget::link() const
{
    if (!isValid())
        return {};
    QUrl url;
    url.setScheme(u"inkroom"_s);
    url.setHost(server.host());
    url.setPort(server.port(kDefaultPort));
    url.setPath(u'/' + room);
    return url.toString(QUrl::FullyEncoded);
}

JoinTarget parseJoinLink(const QString &text)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"inkroom"_s && scheme != u"ws"_s && scheme != u"wss"_s))
        return failure(tr("That is not an Inkroom link. Links look like inkroom://192.168.1.20:7420/room."));
    QString room = url.path(QUrl::FullyDecoded);
    while (room.startsWith(u'/'))
        room.remove(0, 1);
    if (room.isEmpty())
        return failure(tr("The link does not name a room."));
    QUrl server = url;
    server.setScheme(scheme == u"wss"_s ? u"wss"_s : u"ws"_s);
    return finish(server, room);
}

JoinTarget parseServerAddress(const QString &address, const QString &room)
{
    QString text = address.trimmed();
    if (text.isEmpty())
        return failure(tr("Enter the server's address, for example 192.168.1.20."));
    if (text.startsWith(u"inkroom://"_s, Qt::CaseInsensitive)) {
        // A whole link pasted into the address field: a room typed beside it wins over the link's.
        QUrl url(text, QUrl::StrictMode);
        QString linkRoom = url.path(QUrl::FullyDecoded);
        while (linkRoom.startsWith(u'/'))
            linkRoom.remove(0, 1);
        url.setScheme(u"ws"_s);
        return finish(url, room.trimmed().isEmpty() ? linkRoom : room);
    }
    if (!text.contains(u"://"_s))
        text.prepend(u"ws://"_s);
    QUrl url(text, QUrl::StrictMode);
    if (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s)
        return failure(tr("Inkroom servers are reached with ws:// or wss:// addresses."));
    return finish(url, room);
}

} // namespace inkroom::ui
