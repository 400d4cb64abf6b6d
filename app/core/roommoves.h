#pragma once

#include "protocol.h"
#include "roomseed.h"
#include "standbycopy.h"
#include "timings.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class Connection;

/** @brief Where the room is served, when it moves (docs/PROTOCOL.md, "Handing a room over").
 *
 * Follows the room to its new address by itself: at once when the server says it moved (moved), or, when the
 * connection to the host is lost and not back within Timings::failoverAfterMs, to the standby the host announced.
 * When this app can serve (setCanServe()) and the host chose it as the standby, it keeps the standby's copy
 * (StandbyCopy), confirms every part, and asks its owner to start a server (standbyStarted()) and, when the room
 * comes to it, to take the room over (takeOver()). Knows nothing of servers itself: the app's RoomHandover does that.
 */
class RoomMoves : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RoomMoves belongs to a Session")
    //! "The room moved to Bob's computer.", once it did (until the next join); empty otherwise.
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
    //! Who stands by to take the room over if its host vanishes ("" when nobody).
    Q_PROPERTY(QString standbyName READ standbyName NOTIFY changed)
    //! This app keeps the standby's copy of the room.
    Q_PROPERTY(bool standingBy READ standingBy NOTIFY changed)

public:
    explicit RoomMoves(Connection *connection, QObject *parent = nullptr);

    void setTimings(const Timings &timings) { m_failoverMs = timings.failoverAfterMs; }
    //! This app bundles the server (the hello says serve). inkroom-cli does not.
    void setCanServe(bool canServe) { m_canServe = canServe; }
    [[nodiscard]] bool canServe() const { return m_canServe; }
    //! Our client id in the room (the standby and moved messages name clients).
    void setSelf(const QString &clientId) { m_self = clientId; }

    [[nodiscard]] const QString &notice() const { return m_notice; }
    [[nodiscard]] QString standbyName() const { return m_standby.name; }
    [[nodiscard]] bool standingBy() const { return m_copy.isStarted(); }
    [[nodiscard]] const StandbyCopy &copy() const { return m_copy; }

    //! The server that takes the room over listens on port, with this certificate (empty: plain ws://).
    void standbyServerReady(int port, const QString &fingerprint);
    //! A new join, or leaving: forget the room's standby, copy and notice.
    void clear();
    //! The user read the notice.
    Q_INVOKABLE void dismissNotice();

Q_SIGNALS:
    void changed();
    //! The host chose us as the standby: start a server of stored rooms only, then standbyServerReady().
    void standbyStarted();
    //! We are no longer the standby (the host chose another, or we left): the copy is gone.
    void standbyEnded();
    //! Serve the room now, from this copy; then connect to it (Session::followRoom()).
    void takeOver(const inkroom::proto::RoomSeed &seed);
    //! The room is at url now (certificate fingerprint): connect there and resume.
    void follow(const QUrl &url, const QString &fingerprint);

private:
    void onMessage(const proto::Message &message);
    void onReplica(const proto::Replica &replica);
    void onStandby(const proto::Standby &standby);
    void onMoved(const proto::Moved &moved);
    void onConnectionState();
    void failover();
    void endStandby();

    Connection *m_connection;
    StandbyCopy m_copy;
    proto::Standby m_standby; //!< the announced standby (client empty: none)
    QString m_self;
    QString m_notice;
    QTimer m_failover;
    int m_failoverMs = Timings {}.failoverAfterMs;
    bool m_canServe = false;
};

} // namespace inkroom::client
