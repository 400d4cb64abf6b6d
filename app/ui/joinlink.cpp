#include "joinlink.h"

#include "addressrotation.h"
#include "protocol.h"
#include "protocollimits.h"

#include <QCoreApplication>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

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
    return JoinTarget {{url}, trimmedRoom, {}, {}};
}

//! One link (or address) per server of a list: "inkroom://A,B/r" is "inkroom://A/r" and "inkroom://B/r".
struct HostList
{
    QStringList parts;
    QStringList written; //!< each address as the list has it, for errors
    QString error;
};

/** Splits the authority of scheme://A,B,.../rest (text has a scheme) into one text per address, each with the same
 *  scheme and rest; a text without a list is itself. IPv6 addresses are in brackets, which hold no commas. */
HostList splitLinkHosts(const QString &text)
{
    const qsizetype from = text.indexOf(u"://"_s) + 3;
    qsizetype end = from;
    while (end < text.size() && text.at(end) != u'/' && text.at(end) != u'?' && text.at(end) != u'#')
        ++end;
    const QStringList hosts = text.mid(from, end - from).split(u',');
    HostList list;
    for (const QString &host : hosts) {
        list.parts << text.left(from) + host.trimmed() + text.mid(end);
        list.written << host.trimmed();
    }
    if (hosts.size() > 1
        && std::any_of(hosts.begin(), hosts.end(), [](const QString &h) { return h.trimmed().isEmpty(); }))
        list.error = tr("The link's list of servers has an empty entry (two commas in a row, or one at an end).");
    return list;
}

/** Splits typed addresses "h1:7420, wss://h2" at the commas; one without a scheme gets the first one's (or
 *  wss://, as a single address does). */
HostList splitTypedAddresses(const QString &text)
{
    HostList list;
    const QStringList typed = text.split(u',');
    QString scheme;
    for (const QString &one : typed) {
        const QString address = one.trimmed();
        if (address.isEmpty() && typed.size() > 1) {
            list.error = tr("The list of servers has an empty entry (two commas in a row, or one at an end).");
            return list;
        }
        if (scheme.isEmpty())
            scheme = address.contains(u"://"_s) ? address.left(address.indexOf(u"://"_s) + 3) : u"wss://"_s;
        list.parts << (address.isEmpty() || address.contains(u"://"_s) ? address : scheme + address);
        list.written << address;
    }
    return list;
}

/** One target of several addresses from one target per address (all of one room); an address that fails is named
 *  in the error, so is a list that is too long, repeats an address or mixes ws:// and wss://. */
JoinTarget joinAddresses(const HostList &list, const std::function<JoinTarget(const QString &)> &parseOne)
{
    if (!list.error.isEmpty())
        return failure(list.error);
    if (list.parts.size() > client::MaxRoomAddresses)
        return failure(tr("A room has at most %1 server addresses; this names %2.")
                           .arg(client::MaxRoomAddresses)
                           .arg(list.parts.size()));
    if (list.parts.size() == 1)
        return parseOne(list.parts.first());
    QList<JoinTarget> each;
    for (const QString &part : list.parts)
        each << parseOne(part);
    // The same problem with every address (no room, say) is the link's, said as for one address.
    if (std::all_of(each.begin(), each.end(),
                    [&each](const JoinTarget &one) { return one.error == each.first().error; })
        && !each.first().isValid())
        return each.first();
    JoinTarget joined;
    for (qsizetype i = 0; i < each.size(); ++i) {
        const JoinTarget &one = each.at(i);
        if (!one.isValid())
            return failure(tr("Of the servers listed, “%1” is not valid: %2").arg(list.written.at(i), one.error));
        if (joined.servers.isEmpty()) {
            joined = one;
            continue;
        }
        if (one.server().scheme() != joined.server().scheme())
            return failure(tr("The servers of one room are all reached with wss:// or all with ws://, not a mix."));
        if (joined.servers.contains(one.server()))
            return failure(tr("The server %1 is listed twice.").arg(one.server().authority()));
        joined.servers.append(one.server());
    }
    return joined;
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
    if (!isValid() || servers.isEmpty())
        return {};
    QUrl url;
    url.setScheme(u"inkroom"_s);
    url.setHost(server().host());
    url.setPort(server().port(kDefaultPort));
    url.setPath(u'/' + room);
    QUrlQuery query;
    if (server().scheme() == "ws"_L1)
        query.addQueryItem(u"insecure"_s, u"1"_s);
    if (!token.isEmpty())
        query.addQueryItem(u"token"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
    url.setQuery(query);
    const QString first = url.toString(QUrl::FullyEncoded);
    if (servers.size() == 1)
        return first;
    // Every address where the first one's authority is: inkroom://h1:7420,h2:7421/room.
    QStringList authorities;
    for (const QUrl &server : servers) {
        QUrl address;
        address.setScheme(u"inkroom"_s);
        address.setHost(server.host());
        address.setPort(server.port(kDefaultPort));
        authorities << address.authority(QUrl::FullyEncoded);
    }
    const qsizetype from = first.indexOf(u"://"_s) + 3;
    return first.left(from) + authorities.join(u',') + first.mid(from + url.authority(QUrl::FullyEncoded).size());
}

namespace {

JoinTarget parseOneLink(const QString &trimmed)
{
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

JoinTarget parseOneAddress(const QString &address, const QString &room)
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

} // namespace

JoinTarget parseJoinLink(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (const QString problem = linkProblem(trimmed); !problem.isEmpty() && trimmed.contains(u"://"_s))
        return failure(problem);
    if (!trimmed.contains(u"://"_s))
        return parseOneLink(trimmed);
    return joinAddresses(splitLinkHosts(trimmed), parseOneLink);
}

JoinTarget parseServerAddress(const QString &address, const QString &room)
{
    const QString text = address.trimmed();
    const auto one = [&room](const QString &part) { return parseOneAddress(part, room); };
    if (text.startsWith(u"inkroom://"_s, Qt::CaseInsensitive)) {
        if (const QString problem = linkProblem(text); !problem.isEmpty())
            return failure(problem);
        return joinAddresses(splitLinkHosts(text), one);
    }
    return joinAddresses(splitTypedAddresses(text), one);
}

} // namespace inkroom::ui
