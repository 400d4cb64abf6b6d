#include "peoplemodel.h"

#include "roomstate.h"

#include <QColor>

namespace inkroom::client {

PeopleModel::PeopleModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_clock.start();
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &PeopleModel::sweep);
}

void PeopleModel::setTimings(int idleAfterMs, int leftGraceMs, int typingExpireMs)
{
    m_idleAfterMs = idleAfterMs;
    m_leftGraceMs = leftGraceMs;
    m_typingExpireMs = typingExpireMs;
    // Sweep often enough for the shortest of them (tests use short ones).
    m_sweep.setInterval(std::clamp(std::min({idleAfterMs, leftGraceMs, typingExpireMs}) / 4, 10, 1000));
}

int PeopleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_people.size());
}

QHash<int, QByteArray> PeopleModel::roleNames() const
{
    return {{ClientIdRole, "clientId"},
            {NameRole, "name"},
            {PlainNameRole, "plainName"},
            {ColourRole, "colour"},
            {SelfRole, "self"},
            {OnlineRole, "online"},
            {AwayRole, "away"},
            {StatusRole, "status"},
            {TypingRole, "typing"},
            {CursorRole, "cursor"},
            {CursorVisibleRole, "cursorVisible"},
            {RoleRole, "role"},
            {OwnRoleRole, "ownRole"},
            {CanServeRole, "canServe"}};
}

bool PeopleModel::isIdle(const Person &person) const
{
    return !person.self && now() - person.lastActive >= m_idleAfterMs;
}

QVariant PeopleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Person &p = m_people.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return shownName(index.row());
    case PlainNameRole:
        return p.name;
    case ClientIdRole:
        return p.client;
    case ColourRole:
        return QColor::fromRgba(p.colour);
    case SelfRole:
        return p.self;
    case OnlineRole:
        return p.online && (m_linked || p.self);
    case AwayRole:
        return !p.online || p.idleShown || (!m_linked && !p.self);
    case StatusRole:
        if (!m_linked && !p.self)
            return QStringLiteral("unknown");
        return !p.online ? QStringLiteral("offline") : p.idleShown ? QStringLiteral("away") : QStringLiteral("online");
    case TypingRole:
        return p.typing;
    case CursorRole:
        return p.cursor;
    case CursorVisibleRole:
        return p.cursorVisible && m_linked;
    case RoleRole:
        return proto::roleName(m_room ? m_room->roleOf(p.client) : proto::Role::Editor);
    case OwnRoleRole: {
        const std::optional<proto::Role> own = m_room ? m_room->ownRole(p.client) : std::nullopt;
        return own ? proto::roleName(*own) : QString();
    }
    case CanServeRole:
        return p.canServe;
    default:
        return {};
    }
}

int PeopleModel::onlineCount() const
{
    return int(std::count_if(m_people.cbegin(), m_people.cend(),
                             [this](const Person &p) { return p.online && (m_linked || p.self); }));
}

QString PeopleModel::shownName(qsizetype row) const
{
    const Person &p = m_people.at(row);
    return m_shownNames.value(p.client, p.name);
}

void PeopleModel::namesChanged()
{
    // Same names (ignoring case) in client id order: the first keeps it, the others are numbered from 2.
    QHash<QString, QStringList> byName;
    for (const Person &p : std::as_const(m_people))
        byName[p.name.toCaseFolded()].append(p.client);
    QHash<QString, QString> shown;
    shown.reserve(m_people.size());
    for (const Person &p : std::as_const(m_people)) {
        QStringList &twins = byName[p.name.toCaseFolded()];
        if (twins.size() > 1)
            twins.sort(); // (once per name: sorting a sorted list is quick)
        const qsizetype place = twins.indexOf(p.client);
        shown.insert(p.client, place > 0 ? tr("%1 (%2)").arg(p.name).arg(place + 1) : p.name);
    }
    // Views hear of the rows whose name changed, after the change that made it (never in the middle of one).
    const QHash<QString, QString> before = std::exchange(m_shownNames, shown);
    bool anyChanged = before.size() != m_shownNames.size();
    for (qsizetype row = 0; row < m_people.size(); ++row) {
        const QString &client = m_people.at(row).client;
        if (before.value(client) != m_shownNames.value(client)) {
            changedRow(row, {NameRole, Qt::DisplayRole});
            anyChanged = true;
        }
    }
    notifyAggregates();
    if (anyChanged)
        Q_EMIT shownNamesChanged();
}

void PeopleModel::setLinked(bool linked)
{
    if (m_linked == linked)
        return;
    m_linked = linked;
    if (!m_people.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_people.size()) - 1),
                           {OnlineRole, AwayRole, StatusRole, CursorVisibleRole});
    notifyAggregates();
}

int PeopleModel::canServeCount() const
{
    return int(std::count_if(m_people.cbegin(), m_people.cend(),
                             [](const Person &p) { return p.online && !p.self && p.canServe; }));
}

QStringList PeopleModel::typingNames() const
{
    QStringList names;
    for (qsizetype row = 0; row < m_people.size(); ++row) {
        if (m_people.at(row).typing && !m_people.at(row).self)
            names.append(shownName(row));
    }
    return names;
}

const Person *PeopleModel::person(const QString &client) const
{
    const qsizetype row = rowOf(client);
    return row < 0 ? nullptr : &m_people.at(row);
}

qsizetype PeopleModel::rowOf(const QString &client) const
{
    for (qsizetype row = 0; row < m_people.size(); ++row) {
        if (m_people.at(row).client == client)
            return row;
    }
    return -1;
}

void PeopleModel::notifyAggregates()
{
    const int online = onlineCount();
    const int canServe = canServeCount();
    if (online != m_lastOnlineCount || canServe != m_lastCanServeCount) {
        m_lastOnlineCount = online;
        m_lastCanServeCount = canServe;
        Q_EMIT onlineCountChanged();
    }
    const QStringList typing = typingNames();
    if (typing != m_lastTyping) {
        m_lastTyping = typing;
        Q_EMIT typingNamesChanged();
    }
}

void PeopleModel::changedRow(qsizetype row, const QList<int> &roles)
{
    const QModelIndex at = index(int(row));
    Q_EMIT dataChanged(at, at, roles);
    notifyAggregates();
}

void PeopleModel::removeRow(qsizetype row)
{
    beginRemoveRows(QModelIndex(), int(row), int(row));
    m_people.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    namesChanged();
}

void PeopleModel::upsert(const proto::Member &member, bool self)
{
    const qsizetype row = rowOf(member.client);
    if (row >= 0) {
        Person &p = m_people[row];
        p.name = member.name;
        p.colour = member.colour;
        p.canServe = member.serve;
        p.online = true;
        p.self = self;
        p.leftAt = 0;
        p.lastActive = now();
        p.idleShown = false;
        if (member.typing != p.typing) {
            p.typing = member.typing;
            p.typingUntil = now() + m_typingExpireMs;
        }
        changedRow(row);
        namesChanged();
        return;
    }
    Person p;
    p.client = member.client;
    p.name = member.name;
    p.colour = member.colour;
    p.canServe = member.serve;
    p.self = self;
    p.typing = member.typing && !self;
    p.typingUntil = now() + m_typingExpireMs;
    p.lastActive = now();
    // You first, everybody else in order of arrival.
    const qsizetype at = self ? 0 : m_people.size();
    beginInsertRows(QModelIndex(), int(at), int(at));
    m_people.insert(at, p);
    endInsertRows();
    Q_EMIT countChanged();
    namesChanged();
    updateSweepTimer();
}

void PeopleModel::follow(const RoomState *room)
{
    m_room = room;
    connect(room, &RoomState::rolesChanged, this, [this] {
        if (!m_people.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_people.size()) - 1), {RoleRole, OwnRoleRole});
    });
    connect(room, &RoomState::membersReset, this, [this, room] {
        if (room->members().isEmpty())
            clear();
        else
            setMembers(room->members(), room->you());
    });
    connect(room, &RoomState::memberJoined, this, &PeopleModel::joined);
    connect(room, &RoomState::memberLeft, this, &PeopleModel::left);
    connect(room, &RoomState::memberUpdated, this, &PeopleModel::updated);
}

void PeopleModel::setMembers(const QList<proto::Member> &members, const QString &self)
{
    // Keep rows of people still there (views keep their delegates), drop the rest, add the new ones.
    for (qsizetype row = m_people.size() - 1; row >= 0; --row) {
        const QString &client = m_people.at(row).client;
        const bool present = std::any_of(members.cbegin(), members.cend(),
                                         [&client](const proto::Member &m) { return m.client == client; });
        if (!present)
            removeRow(row);
    }
    for (const proto::Member &member : members)
        upsert(member, member.client == self);
    // You first.
    const qsizetype selfRow = rowOf(self);
    if (selfRow > 0) {
        beginMoveRows(QModelIndex(), int(selfRow), int(selfRow), QModelIndex(), 0);
        m_people.move(selfRow, 0);
        endMoveRows();
    }
}

void PeopleModel::joined(const proto::Member &member)
{
    upsert(member, false);
}

void PeopleModel::updated(const proto::Member &member)
{
    const qsizetype row = rowOf(member.client);
    upsert(member, row >= 0 && m_people.at(row).self);
}

void PeopleModel::left(const QString &client)
{
    const qsizetype row = rowOf(client);
    if (row < 0)
        return;
    Person &p = m_people[row];
    if (m_leftGraceMs <= 0) {
        removeRow(row);
        return;
    }
    p.online = false;
    p.typing = false;
    p.cursorVisible = false;
    p.leftAt = now();
    changedRow(row);
    updateSweepTimer();
}

void PeopleModel::setTyping(const QString &client, bool typing)
{
    const qsizetype row = rowOf(client);
    if (row < 0)
        return;
    Person &p = m_people[row];
    p.typingUntil = now() + m_typingExpireMs;
    p.lastActive = now();
    const bool wasIdle = p.idleShown;
    p.idleShown = false;
    if (p.typing == typing && !wasIdle)
        return;
    p.typing = typing;
    changedRow(row, {TypingRole, AwayRole, StatusRole});
    updateSweepTimer();
}

void PeopleModel::setCursor(const QString &client, const QPointF &position, bool visible)
{
    const qsizetype row = rowOf(client);
    if (row < 0)
        return;
    Person &p = m_people[row];
    p.lastActive = now();
    const bool wasIdle = p.idleShown;
    p.idleShown = false;
    if (p.cursor == position && p.cursorVisible == visible && !wasIdle)
        return;
    p.cursor = position;
    p.cursorVisible = visible;
    changedRow(row,
               wasIdle ? QList<int> {CursorRole, CursorVisibleRole, AwayRole, StatusRole}
                       : QList<int> {CursorRole, CursorVisibleRole});
}

void PeopleModel::noteActivity(const QString &client)
{
    const qsizetype row = rowOf(client);
    if (row < 0)
        return;
    Person &p = m_people[row];
    p.lastActive = now();
    if (p.idleShown) {
        p.idleShown = false;
        changedRow(row, {AwayRole, StatusRole});
    }
}

void PeopleModel::clearVolatile()
{
    for (qsizetype row = 0; row < m_people.size(); ++row) {
        Person &p = m_people[row];
        if (p.typing || p.cursorVisible) {
            p.typing = false;
            p.cursorVisible = false;
            changedRow(row, {TypingRole, CursorVisibleRole});
        }
    }
}

void PeopleModel::clear()
{
    if (m_people.isEmpty())
        return;
    beginResetModel();
    m_people.clear();
    m_shownNames.clear();
    endResetModel();
    Q_EMIT countChanged();
    notifyAggregates();
    updateSweepTimer();
    Q_EMIT shownNamesChanged();
}

void PeopleModel::sweep()
{
    const qint64 t = now();
    for (qsizetype row = m_people.size() - 1; row >= 0; --row) {
        Person &p = m_people[row];
        if (!p.online && t - p.leftAt >= m_leftGraceMs) {
            removeRow(row);
            continue;
        }
        QList<int> roles;
        if (p.typing && t >= p.typingUntil) {
            p.typing = false;
            roles << TypingRole;
        }
        const bool idle = p.online && isIdle(p);
        if (idle != p.idleShown) {
            p.idleShown = idle;
            roles << AwayRole << StatusRole;
        }
        if (!roles.isEmpty())
            changedRow(row, roles);
    }
    updateSweepTimer();
}

void PeopleModel::updateSweepTimer()
{
    if (m_people.isEmpty())
        m_sweep.stop();
    else if (!m_sweep.isActive())
        m_sweep.start();
}

} // namespace inkroom::client
