#include "recentrooms.h"

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
    // Saved as a list of {link, server, room} maps (the format the app has always written).
    const QVariantList saved = QSettings().value(kKey).toList();
    for (const QVariant &entry : saved) {
        const QVariantMap map = entry.toMap();
        Room room {map.value(u"link"_s).toString(), map.value(u"server"_s).toString(), map.value(u"room"_s).toString()};
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
    default:
        return {};
    }
}

QHash<int, QByteArray> RecentRooms::roleNames() const
{
    return {{LinkRole, "link"}, {ServerRole, "server"}, {RoomRole, "room"}};
}

void RecentRooms::remember(const JoinTarget &target)
{
    if (!target.isValid())
        return;
    JoinTarget withoutToken = target;
    withoutToken.token.clear(); // the token is the server's secret: not kept in the settings file
    const Room room {withoutToken.link(), target.server.toString(), target.room};
    const int before = count();
    for (qsizetype i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).link == room.link) {
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

void RecentRooms::save() const
{
    QVariantList list;
    for (const Room &room : m_rooms)
        list.append(QVariantMap {{u"link"_s, room.link}, {u"server"_s, room.server}, {u"room"_s, room.room}});
    QSettings().setValue(kKey, list);
}

} // namespace inkroom::ui
