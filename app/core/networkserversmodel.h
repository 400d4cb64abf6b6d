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
    //! Where looking at the network stands (off, starting, no responder, listening).
    Q_PROPERTY(Discovery discovery READ discovery NOTIFY availabilityChanged)
    /** What the list says under it, one plain line: that discovery is off, that it is looking, why it cannot look, or
     *  that nothing was found yet; "" while servers are listed. */
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)

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
    enum Discovery {
        Off, //!< not looking at the network at all (inkroom --no-discover)
        Starting, //!< looking, the mDNS responder has not answered yet
        Unavailable, //!< cannot look: unavailableReason says why
        Listening, //!< servers come and go by themselves
    };
    Q_ENUM(Discovery)

    explicit NetworkServersModel(LanDirectory *directory, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_servers.size()); }
    [[nodiscard]] bool available() const { return m_directory->available(); }
    [[nodiscard]] QString unavailableReason() const;
    [[nodiscard]] Discovery discovery() const;
    [[nodiscard]] QString statusText() const;

Q_SIGNALS:
    void countChanged();
    void availabilityChanged();
    void statusTextChanged();

private:
    [[nodiscard]] int rowOf(const QString &name) const;

    LanDirectory *m_directory;
    QList<LanServer> m_servers;
};

} // namespace inkroom::client
