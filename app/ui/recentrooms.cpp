#include "recentrooms.h"

#include "landirectory.h"

#include <QLocale>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {
constexpr int kMaxRecent = 8;
const auto kKey = u"rooms/recent"_s;
} // namespace

RecentRooms::RecentRooms(QObject *parent)
    : QAbstractListModel(parent)
{
    // Saved as a list of {link, server, room, hosted, opened} maps (the last two were added later: absent in old
    // lists).
    const QVariantList saved = QSettings().value(kKey).toList();
    for (const QVariant &entry : saved) {
        const QVariantMap map = entry.toMap();
        Room room {map.value(u"link"_s).toString(), map.value(u"server"_s).toString(), map.value(u"room"_s).toString(),
                   map.value(u"hosted"_s).toBool(), map.value(u"opened"_s).toDateTime()};
        if (!room.link.isEmpty() && m_rooms.size() < kMaxRecent)
            m_rooms.append(room);
    }
}

int RecentRooms::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant RecentRooms::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Room &room = m_rooms.at(index.row());
    switch (role) {
    case LinkRole:
        return room.link;
    case ServerRole:
        return room.server;
    case RoomRole:
    case Qt::DisplayRole:
        return room.room;
    case HostedRole:
        return room.hosted;
    case LastOpenedRole:
        return room.lastOpened;
    case OnNetworkRole:
        return membersOnNetwork(room) >= 0;
    case MembersRole:
        return std::max(membersOnNetwork(room), 0);
    case StateTextRole:
        return stateText(room);
    case LastOpenedTextRole:
        return lastOpenedText(room.lastOpened);
    default:
        return {};
    }
}

QHash<int, QByteArray> RecentRooms::roleNames() const
{
    return {{LinkRole, "link"},       {ServerRole, "server"},         {RoomRole, "room"},
            {HostedRole, "hosted"},   {LastOpenedRole, "lastOpened"}, {OnNetworkRole, "onNetwork"},
            {MembersRole, "members"}, {StateTextRole, "stateText"},   {LastOpenedTextRole, "lastOpenedText"}};
}

void RecentRooms::remember(const JoinTarget &target, bool hosted)
{
    if (!target.isValid())
        return;
    JoinTarget withoutToken = target;
    withoutToken.token.clear(); // the token is the server's secret: not kept in the settings file
    const Room room {withoutToken.link(), target.server().toString(), target.room, hosted,
                     m_now.isValid() ? m_now : QDateTime::currentDateTime()};
    const int before = count();
    for (qsizetype i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).link == room.link) {
            m_rooms[i] = room;
            Q_EMIT dataChanged(index(int(i)), index(int(i)));
            if (i > 0) {
                beginMoveRows({}, int(i), int(i), {}, 0);
                m_rooms.move(i, 0);
                endMoveRows();
            }
            save();
            return;
        }
    }
    beginInsertRows({}, 0, 0);
    m_rooms.prepend(room);
    endInsertRows();
    if (m_rooms.size() > kMaxRecent) {
        beginRemoveRows({}, kMaxRecent, int(m_rooms.size()) - 1);
        m_rooms.resize(kMaxRecent);
        endRemoveRows();
    }
    save();
    if (count() != before)
        Q_EMIT countChanged();
}

void RecentRooms::forget(const QString &link)
{
    for (qsizetype i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).link != link)
            continue;
        beginRemoveRows({}, int(i), int(i));
        m_rooms.removeAt(i);
        endRemoveRows();
        save();
        Q_EMIT countChanged();
        return;
    }
}

QStringList RecentRooms::links() const
{
    QStringList links;
    for (const Room &room : m_rooms)
        links.append(room.link);
    return links;
}

QString RecentRooms::hostedRoom(const QString &link) const
{
    for (const Room &room : m_rooms) {
        if (room.link == link)
            return room.hosted ? room.room : QString();
    }
    return {};
}

void RecentRooms::watch(const client::LanDirectory *directory)
{
    if (m_directory)
        disconnect(m_directory, nullptr, this, nullptr);
    m_directory = directory;
    if (directory) {
        connect(directory, &client::LanDirectory::serverAdded, this, &RecentRooms::networkChanged);
        connect(directory, &client::LanDirectory::serverChanged, this, &RecentRooms::networkChanged);
        connect(directory, &client::LanDirectory::serverRemoved, this, &RecentRooms::networkChanged);
    }
    networkChanged();
}

int RecentRooms::membersOnNetwork(const Room &room) const
{
    if (!m_directory || room.hosted)
        return -1; // a room hosted here is "Hosted on this computer", whether it runs now or not
    const QUrl url(room.server);
    for (const client::LanServer &server : m_directory->servers()) {
        if (server.url.port() != url.port())
            continue;
        QString hostName = server.hostName;
        if (hostName.endsWith(u'.'))
            hostName.chop(1);
        // The link may name the server by the address the list found, or by its .local name.
        if (url.host().compare(server.url.host(), Qt::CaseInsensitive) != 0
            && url.host().compare(hostName, Qt::CaseInsensitive) != 0)
            continue;
        for (const proto::RoomInfo &info : server.rooms) {
            if (info.name == room.room)
                return info.members;
        }
    }
    return -1;
}

QString RecentRooms::stateText(const Room &room) const
{
    if (room.hosted)
        return tr("Hosted on this computer");
    if (const int members = membersOnNetwork(room); members >= 0)
        return tr("On this network now, %n person(s) in it", "", members);
    return {};
}

QString RecentRooms::lastOpenedText(const QDateTime &when) const
{
    if (!when.isValid())
        return {};
    const QDate today = (m_now.isValid() ? m_now : QDateTime::currentDateTime()).date();
    const qint64 days = when.date().daysTo(today);
    if (days <= 0)
        return tr("Opened today");
    if (days == 1)
        return tr("Opened yesterday");
    if (days < 7)
        return tr("Opened %n day(s) ago", "", int(days));
    return tr("Opened on %1").arg(QLocale().toString(when.date(), QLocale::ShortFormat));
}

void RecentRooms::networkChanged()
{
    if (!m_rooms.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rooms.size()) - 1), {OnNetworkRole, MembersRole, StateTextRole});
}

void RecentRooms::save() const
{
    QVariantList list;
    for (const Room &room : m_rooms)
        list.append(QVariantMap {{u"link"_s, room.link},
                                 {u"server"_s, room.server},
                                 {u"room"_s, room.room},
                                 {u"hosted"_s, room.hosted},
                                 {u"opened"_s, room.lastOpened}});
    QSettings().setValue(kKey, list);
}

} // namespace inkroom::ui
