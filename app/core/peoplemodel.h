#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QPointF>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class RoomState;

//! One member of the room as the people list shows them.
struct Person
{
    QString client;
    QString name;
    quint32 colour = 0xff808080;
    bool self = false;
    bool online = true; //!< connected now (false: their connection ended less than leftGrace ago)
    bool typing = false;
    bool canServe = false; //!< their app can take the room over (a handover may go to them)
    QPointF cursor;
    bool cursorVisible = false;
    qint64 typingUntil = 0; //!< monotonic ms
    qint64 lastActive = 0; //!< monotonic ms
    qint64 leftAt = 0; //!< monotonic ms
    bool idleShown = false; //!< what views were last told about idleness
};

/** @brief Who is in the room: name, colour, online or away, typing, and where their pointer is.
 *
 * You come first, then the others in the order they arrived. A member whose connection ends stays listed as
 * away for leftGrace (they are often just reconnecting), then goes. A member with no activity (cursor, typing,
 * changes) for idleAfter is away too. Typing indicators expire if not refreshed.
 *
 * Two people with the same name (ignoring case) are told apart the same way on every client: the one with the
 * smallest client id keeps the name, the others show as "Ann (2)", "Ann (3)" in client id order. While this client
 * is not connected (setLinked(false)) nobody else is known to be there: their status is "unknown", their pointers
 * are hidden and onlineCount counts only you.
 */
class PeopleModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("PeopleModel belongs to a Session: use session.people")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
    //! Others online whose app can take the room over (an owner may hand it to them).
    Q_PROPERTY(int canServeCount READ canServeCount NOTIFY onlineCountChanged)
    //! Names of the others who are typing right now, for "Ann is typing…".
    Q_PROPERTY(QStringList typingNames READ typingNames NOTIFY typingNamesChanged)

public:
    enum Roles {
        ClientIdRole = Qt::UserRole + 1,
        NameRole, //!< the name as shown: "Ann (2)" when somebody else here has the same name
        PlainNameRole, //!< the name the person chose
        ColourRole, //!< QColor
        SelfRole,
        OnlineRole, //!< connected now
        AwayRole, //!< idle, or connection ended a moment ago
        //! "online", "away" (idle), "offline" (connection ended, may come back) or "unknown" (we are not connected)
        StatusRole,
        TypingRole,
        CursorRole, //!< QPointF in board coordinates
        CursorVisibleRole,
        RoleRole, //!< "owner", "editor" or "viewer": what the person may do now (the lock counts)
        OwnRoleRole, //!< the role an owner gave the person, or "" for the room's default
        CanServeRole, //!< their app can take the room over: the host may hand it to them
    };
    Q_ENUM(Roles)

    explicit PeopleModel(QObject *parent = nullptr);

    void setTimings(int idleAfterMs, int leftGraceMs, int typingExpireMs);

    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_people.size()); }
    [[nodiscard]] int onlineCount() const;
    [[nodiscard]] int canServeCount() const;
    [[nodiscard]] QStringList typingNames() const;
    [[nodiscard]] const QList<Person> &people() const { return m_people; }
    [[nodiscard]] const Person *person(const QString &client) const;

    //! Show room's members, following it from now on (welcome and presence reach the model through it).
    void follow(const RoomState *room);
    //! The member list of a welcome: replaces everything (those no longer there are dropped).
    void setMembers(const QList<proto::Member> &members, const QString &self);
    void joined(const proto::Member &member);
    void left(const QString &client);
    void updated(const proto::Member &member);
    void setTyping(const QString &client, bool typing);
    void setCursor(const QString &client, const QPointF &position, bool visible);
    //! The member did something (an op, a live stroke): not away.
    void noteActivity(const QString &client);
    //! Our connection ended: typing and cursors of others are unknown now.
    void clearVolatile();
    //! We are connected to the room (false: nobody else is known to be there now).
    void setLinked(bool linked);
    [[nodiscard]] bool linked() const { return m_linked; }
    //! The name as shown for row ("Ann (2)" when somebody else has the same name).
    [[nodiscard]] QString shownName(qsizetype row) const;
    //! The name shown for a member by client id; "" for somebody not in the list.
    [[nodiscard]] QString shownNameOf(const QString &client) const { return m_shownNames.value(client); }
    void clear();

Q_SIGNALS:
    void countChanged();
    void onlineCountChanged();
    void typingNamesChanged();
    //! Some member's shown name changed ("Ann" became "Ann (2)", or back).
    void shownNamesChanged();

private:
    [[nodiscard]] qsizetype rowOf(const QString &client) const;
    [[nodiscard]] bool isIdle(const Person &person) const;
    //! Names may have changed: every row's shown name is read again.
    void namesChanged();
    void changedRow(qsizetype row, const QList<int> &roles = {});
    void notifyAggregates();
    void upsert(const proto::Member &member, bool self);
    void removeRow(qsizetype row);
    void sweep();
    void updateSweepTimer();
    [[nodiscard]] qint64 now() const { return m_clock.elapsed(); }

    QList<Person> m_people;
    const RoomState *m_room = nullptr; //!< roles come from it (set by follow())
    QElapsedTimer m_clock;
    QTimer m_sweep;
    int m_idleAfterMs = 5 * 60 * 1000;
    int m_leftGraceMs = 30000;
    int m_typingExpireMs = 8000;
    int m_lastOnlineCount = 0;
    int m_lastCanServeCount = 0;
    bool m_linked = true;
    QHash<QString, QString> m_shownNames; //!< client id -> the name shown (namesChanged())
    QStringList m_lastTyping;
};

} // namespace inkroom::client
