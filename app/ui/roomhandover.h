#pragma once

#include "roomhost.h"
#include "roomseed.h"

#include <QHostAddress>
#include <QObject>
#include <QtQmlIntegration/qqmlintegration.h>

#include <optional>

namespace inkroom::client {
class Session;
}

namespace inkroom::ui {

/** @brief This app's part when a room changes hands (docs/PROTOCOL.md, "Handing a room over").
 *
 * When the host chooses this app as its standby, it starts a server of its own that serves stored rooms only (so
 * nobody makes a new room there by accident) and tells the host where it listens; when the room comes to this app
 * (a handover, or the host vanished), it seeds that server with the standby's copy and moves its own Session to it.
 * The server keeps running while it serves the room; a standby that is let go stops it. The Session's RoomMoves
 * decides when; this class only runs the server.
 */
class RoomHandover : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The app owns the RoomHandover (App.handover)")
    //! This computer serves a room it took over (its people came with it).
    Q_PROPERTY(bool serving READ serving NOTIFY changed)
    //! Why taking the room over failed, in plain words; "" when it did not.
    Q_PROPERTY(QString error READ error NOTIFY changed)

public:
    explicit RoomHandover(client::Session *session, QObject *parent = nullptr);

    [[nodiscard]] bool serving() const { return m_serving; }
    [[nodiscard]] const QString &error() const { return m_error; }
    //! The server that stands by, and serves the room once taken over.
    [[nodiscard]] RoomHost &server() { return m_server; }
    [[nodiscard]] const RoomHost &server() const { return m_server; }

    //! Where taken-over rooms are kept (a folder per room's epoch below it).
    void setDataDir(const QString &directory) { m_dataDir = directory; }
    //! Where the server listens (every interface unless told; tests keep it on loopback).
    void setBindAddress(const QHostAddress &address) { m_server.setBindAddress(address); }
    //! The name the server is announced by on the network; empty: not announced.
    void setAnnounceAs(const QString &name) { m_server.setAnnounceAs(name); }

Q_SIGNALS:
    void changed();

private:
    void onStandbyStarted();
    void onStandbyEnded();
    void onTakeOver(const proto::RoomSeed &seed);
    void onServerStatus();
    void onSeeded(const QString &error);
    void reportReady();

    client::Session *m_session;
    RoomHost m_server;
    QString m_dataDir;
    std::optional<proto::RoomSeed> m_pendingSeed; //!< a takeover waiting for the server to run
    bool m_serving = false;
    QString m_error;
};

} // namespace inkroom::ui
