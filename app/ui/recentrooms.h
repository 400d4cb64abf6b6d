#pragma once

#include "joinlink.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {
class LanDirectory;
}

namespace inkroom::ui {

/** @brief The rooms this user joined or hosted, most recent first, as QML lists them (App.recentRooms).
 *
 * Kept in QSettings (rooms/recent), at most eight. AppController adds a room when it opens one; QML can only
 * forget one. Links are saved without the server's join token. Each room also says where it stands now, for its
 * card on the start page: hosted on this computer, or seen on this network with how many people are in it (when
 * a LanDirectory is watched), and when it was last opened.
 */
class RecentRooms : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use App.recentRooms")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        LinkRole = Qt::UserRole + 1, //!< inkroom://HOST:PORT/ROOM: what App.openRecent() takes to go there again
        ServerRole, //!< wss://HOST:PORT
        RoomRole,
        HostedRole, //!< it was hosted on this computer: opening it again hosts it again
        LastOpenedRole, //!< when it was last opened (invalid for rooms saved before this was kept)
        OnNetworkRole, //!< its server announces it on this network now, open (somebody is in it, or it is kept open)
        MembersRole, //!< people in it now, when OnNetworkRole; 0 otherwise
        StateTextRole, //!< where it stands, for its card ("On this network now, 3 people in it"); "" when unknown
        LastOpenedTextRole, //!< "Opened yesterday", for its card; "" when not known
    };
    Q_ENUM(Roles)

    //! Reads the list saved in QSettings.
    explicit RecentRooms(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_rooms.size()); }

    /** Put a room at the top (moving it there when it is already listed), with hosted saying whether this computer
     *  serves it, and save. Invalid targets are ignored. */
    void remember(const JoinTarget &target, bool hosted = false);
    //! Take a room off the list and save.
    Q_INVOKABLE void forget(const QString &link);
    //! The links, most recent first.
    [[nodiscard]] QStringList links() const;
    //! The room of that link was hosted on this computer; its name (empty when the link is not listed or not hosted).
    [[nodiscard]] QString hostedRoom(const QString &link) const;
    //! Rooms on the servers directory finds are shown as on this network, with their people (nullptr: none).
    void watch(const client::LanDirectory *directory);
    //! The clock the "last opened" texts are measured against (tests set it).
    void setNow(const QDateTime &now) { m_now = now; }

Q_SIGNALS:
    void countChanged();

private:
    struct Room
    {
        QString link;
        QString server;
        QString room;
        bool hosted = false;
        QDateTime lastOpened;
    };
    //! People in the room now, when its server announces it on this network; -1 when it does not.
    [[nodiscard]] int membersOnNetwork(const Room &room) const;
    [[nodiscard]] QString stateText(const Room &room) const;
    [[nodiscard]] QString lastOpenedText(const QDateTime &when) const;
    void networkChanged();
    void save() const;

    QList<Room> m_rooms;
    const client::LanDirectory *m_directory = nullptr;
    QDateTime m_now;
};

} // namespace inkroom::ui
