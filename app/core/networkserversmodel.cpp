#include "networkserversmodel.h"

using namespace Qt::StringLiterals;

namespace inkroom::client {

NetworkServersModel::NetworkServersModel(LanDirectory *directory, QObject *parent)
    : QAbstractListModel(parent)
    , m_directory(directory)
    , m_servers(directory->servers())
{
    connect(directory, &LanDirectory::serverAdded, this, [this](const LanServer &server) {
        beginInsertRows({}, int(m_servers.size()), int(m_servers.size()));
        m_servers.append(server);
        endInsertRows();
        Q_EMIT countChanged();
        if (m_servers.size() == 1)
            Q_EMIT statusTextChanged();
    });
    connect(directory, &LanDirectory::serverChanged, this, [this](const LanServer &server) {
        const int row = rowOf(server.name);
        if (row < 0)
            return;
        m_servers[row] = server;
        Q_EMIT dataChanged(index(row), index(row));
    });
    connect(directory, &LanDirectory::serverRemoved, this, [this](const QString &name) {
        const int row = rowOf(name);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_servers.removeAt(row);
        endRemoveRows();
        Q_EMIT countChanged();
        if (m_servers.isEmpty())
            Q_EMIT statusTextChanged();
    });
    connect(directory, &LanDirectory::availabilityChanged, this, &NetworkServersModel::availabilityChanged);
    connect(directory, &LanDirectory::availabilityChanged, this, &NetworkServersModel::statusTextChanged);
    connect(directory, &LanDirectory::runningChanged, this, &NetworkServersModel::availabilityChanged);
    connect(directory, &LanDirectory::runningChanged, this, &NetworkServersModel::statusTextChanged);
}

int NetworkServersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_servers.size());
}

QVariant NetworkServersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LanServer &server = m_servers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return server.name;
    case AddressRole:
        return tr("%1, port %2").arg(server.hostName).arg(server.url.port());
    case SecureRole:
        return server.announcement.tls;
    case TokenNeededRole:
        return server.announcement.tokenNeeded;
    case RoomsKnownRole:
        return server.roomsKnown;
    case RoomsRole: {
        QVariantList rooms;
        for (const proto::RoomInfo &room : server.rooms)
            rooms.append(
                QVariantMap {{u"name"_s, room.name}, {u"members"_s, room.members}, {u"password"_s, room.password}});
        return rooms;
    }
    case ProblemRole:
        return server.problem;
    default:
        return {};
    }
}

QHash<int, QByteArray> NetworkServersModel::roleNames() const
{
    return {{NameRole, "name"},
            {AddressRole, "address"},
            {SecureRole, "secure"},
            {TokenNeededRole, "tokenNeeded"},
            {RoomsKnownRole, "roomsKnown"},
            {RoomsRole, "rooms"},
            {ProblemRole, "problem"}};
}

QString NetworkServersModel::unavailableReason() const
{
    switch (discovery()) {
    case Off:
        return tr("Inkroom was started with --no-discover, so it does not look at this network");
    case Starting:
        return tr("Looking for servers on this network…");
    case Unavailable:
        return m_directory->reason();
    case Listening:
        break;
    }
    return {};
}

NetworkServersModel::Discovery NetworkServersModel::discovery() const
{
    if (!m_directory->running())
        return Off;
    if (m_directory->available())
        return Listening;
    return m_directory->reason().isEmpty() ? Starting : Unavailable;
}

QString NetworkServersModel::statusText() const
{
    if (discovery() == Off)
        return tr("Inkroom was started with --no-discover: it does not look for rooms on this network. Join with a "
                  "room's link or its server's address.");
    if (discovery() != Listening)
        return unavailableReason();
    return m_servers.isEmpty()
        ? tr("No Inkroom servers found on this network yet. Rooms hosted nearby appear here by themselves.")
        : QString();
}

int NetworkServersModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_servers.size(); ++row) {
        if (m_servers[row].name == name)
            return row;
    }
    return -1;
}

} // namespace inkroom::client
