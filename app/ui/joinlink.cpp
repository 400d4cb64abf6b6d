#include "joinlink.h"

#include "protocol.h"
#include "protocollimits.h"

#include <QCoreApplication>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

constexpr int kDefaultPort = limits::DefaultPort;

QString tr(const char *text)
{
    // The context lupdate gives texts outside a class: the namespace.
    return QCoreApplication::translate("inkroom::ui", text);
}

JoinTarget failure(const QString &error)
{
    return JoinTarget {{}, {}, {}, error};
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
    return JoinTarget {url, trimmedRoom, {}, {}};
}

//! The scheme an inkroom:// link stands for: wss://, unless it says insecure=1 (a server started with --insecure).
QString schemeOfLink(const QUrl &link)
{
    const QString insecure = QUrlQuery(link).queryItemValue(u"insecure"_s).toLower();
    return insecure == "1"_L1 || insecure == "true"_L1 || insecure == "yes"_L1 ? u"ws"_s : u"wss"_s;
}

QString roomOf(const QUrl &url)
{
    QString room = url.path(QUrl::FullyDecoded);
    while (room.startsWith(u'/'))
        room.remove(0, 1);
    return room;
}

/** What is wrong with pasted text that should be one link, in words; empty when nothing obvious is. Catches what
 *  copying from a chat or an e-mail does: two links run together, a space, a bracket or quote carried along. */
QString linkProblem(const QString &text)
{
    if (text.count(u"://"_s) > 1)
        return tr("That is more than one link pasted into one field. Paste just one.");
    for (const QChar c : text) {
        if (c.isSpace())
            return tr("There is a space inside the link; links have none (a space in a room name is written %20). "
                      "Paste just the link.");
    }
    static const QString strays = u")]}>\"',;"_s;
    if (!text.isEmpty() && strays.contains(text.back()))
        return tr("The link ends in “%1”, which is not part of it. Remove it and try again.").arg(text.back());
    return {};
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
    QUrlQuery query;
    if (server.scheme() == "ws"_L1)
        query.addQueryItem(u"insecure"_s, u"1"_s);
    if (!token.isEmpty())
        query.addQueryItem(u"token"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

JoinTarget parseJoinLink(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (const QString problem = linkProblem(trimmed); !problem.isEmpty() && trimmed.contains(u"://"_s))
        return failure(problem);
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"inkroom"_s && scheme != u"ws"_s && scheme != u"wss"_s))
        return failure(tr("That is not an Inkroom link. Links look like inkroom://192.168.1.20:7420/room."));
    const QString room = roomOf(url);
    if (room.isEmpty())
        return failure(tr("The link does not name a room."));
    QUrl server = url;
    server.setScheme(scheme == u"inkroom"_s ? schemeOfLink(url) : scheme);
    JoinTarget target = finish(server, room);
    if (target.isValid())
        target.token = QUrlQuery(url).queryItemValue(u"token"_s, QUrl::FullyDecoded);
    return target;
}

JoinTarget parseServerAddress(const QString &address, const QString &room)
{
    QString text = address.trimmed();
    if (text.isEmpty())
        return failure(tr("Enter the server's address, for example 192.168.1.20."));
    if (text.startsWith(u"inkroom://"_s, Qt::CaseInsensitive)) {
        // A whole link pasted into the address field: a room typed beside it wins over the link's.
        if (const QString problem = linkProblem(text); !problem.isEmpty())
            return failure(problem);
        QUrl url(text, QUrl::StrictMode);
        const QString linkRoom = roomOf(url);
        const QString token = QUrlQuery(url).queryItemValue(u"token"_s, QUrl::FullyDecoded);
        url.setScheme(schemeOfLink(url));
        JoinTarget target = finish(url, room.trimmed().isEmpty() ? linkRoom : room);
        if (target.isValid())
            target.token = token;
        return target;
    }
    if (!text.contains(u"://"_s))
        text.prepend(u"wss://"_s);
    QUrl url(text, QUrl::StrictMode);
    if (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s)
        return failure(tr("Inkroom servers are reached with ws:// or wss:// addresses."));
    return finish(url, room);
}

} // namespace inkroom::ui
