#pragma once

#include "joinlink.h"

#include <QAbstractListModel>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief The rooms this user joined or hosted, most recent first, as QML lists them (App.recentRooms).
 *
 * Kept in QSettings (rooms/recent), at most eight. AppController adds a room when it opens one; QML can only
 * forget one. Links are saved without the server's join token.
 */
class RecentRooms : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use App.recentRooms")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        LinkRole = Qt::UserRole + 1, //!< inkroom://HOST:PORT/ROOM: what App.join() takes to go there again
        ServerRole, //!< wss://HOST:PORT
        RoomRole,
    };
    Q_ENUM(Roles)

    //! Reads the list saved in QSettings.
    explicit RecentRooms(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_rooms.size()); }

    //! Put a room at the top (moving it there when it is already listed) and save. Invalid targets are ignored.
    void remember(const JoinTarget &target);
    //! Take a room off the list and save.
    Q_INVOKABLE void forget(const QString &link);
    //! The links, most recent first.
    [[nodiscard]] QStringList links() const;

Q_SIGNALS:
    void countChanged();

private:
    struct Room
    {
        QString link;
        QString server;
        QString room;
    };
    void save() const;

    QList<Room> m_rooms;
};

} // namespace inkroom::ui
