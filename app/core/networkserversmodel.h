#pragma once

#include "landirectory.h"

#include <QAbstractListModel>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

/** @brief "On this network": the Inkroom servers LanDirectory finds, one row per server, for the start page.
 *
 * Rows come and go as servers appear and disappear (no refresh needed); a server's rooms arrive a moment after it.
 * available is false where no mDNS responder runs, and unavailableReason then says so in one plain line.
 */
class NetworkServersModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The app owns the list of servers on this network: use App.networkServers")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool available READ available NOTIFY availabilityChanged)
    Q_PROPERTY(QString unavailableReason READ unavailableReason NOTIFY availabilityChanged)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1, //!< the announced instance name ("Room 214 projector")
        AddressRole, //!< where it is, for people: "host.local, port 7420"
        SecureRole, //!< speaks TLS
        TokenNeededRole, //!< joining needs the server's join token (its link carries it)
        RoomsKnownRole, //!< the rooms below are its answer (false: still asking, or it did not answer)
        /** Its open rooms, busiest first: a list of {name, members, password} (password: joining needs the room's
         *  password). */
        RoomsRole,
        ProblemRole, //!< why its rooms could not be listed, in plain words; empty otherwise
    };
    Q_ENUM(Roles)

    explicit NetworkServersModel(LanDirectory *directory, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_servers.size()); }
    [[nodiscard]] bool available() const { return m_directory->available(); }
    [[nodiscard]] QString unavailableReason() const;

Q_SIGNALS:
    void countChanged();
    void availabilityChanged();

private:
    [[nodiscard]] int rowOf(const QString &name) const;

    LanDirectory *m_directory;
    QList<LanServer> m_servers;
};

} // namespace inkroom::client
