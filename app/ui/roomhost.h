#pragma once

#include "protocollimits.h"
#include "roomseed.h"

#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QtQmlIntegration/qqmlintegration.h>

#include <memory>

namespace inkroom::ui {

class HostWorker;

/** @brief "Host a room on this computer": the server library on its own thread.
 *
 * The server never runs on the GUI thread, so a busy UI (a big board being drawn, a long chat scrolled) never
 * stalls the other people in the room. start() and stop() return at once; running, error and the addresses follow.
 *
 * The server has one owner, a worker object on the server's thread: it makes the server, shuts it down and deletes
 * it, always in that order and always there. This side only asks (queued calls, which the worker takes in order)
 * and hears back (statusChanged); it never touches the server itself.
 */
class RoomHost : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("App hosts rooms (App.host()); QML shows App.roomHost")
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString error READ error NOTIFY statusChanged)
    Q_PROPERTY(int port READ port NOTIFY statusChanged)
    //! wss://ADDRESS:PORT for each address people on the network can use; LAN addresses first.
    Q_PROPERTY(QStringList addresses READ addresses NOTIFY statusChanged)
    /** The SHA-256 fingerprint of the hosted server's certificate ("AB:CD:..."), which people joining for the first
     *  time are asked to trust: show it beside the link so they can compare. Empty unless running. */
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY statusChanged)
    //! The address this computer's own client uses.
    Q_PROPERTY(QString localAddress READ localAddress NOTIFY statusChanged)
    //! People in the hosted rooms now (this computer's own client included while it is in one); 0 unless running.
    Q_PROPERTY(int memberCount READ memberCount NOTIFY memberCountChanged)

public:
    enum Status {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed
    };
    Q_ENUM(Status)

    explicit RoomHost(QObject *parent = nullptr);
    //! Waits (bounded) for a server still running or stopping to say goodbye; emits nothing.
    ~RoomHost() override;

    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QStringList addresses() const { return m_addresses; }
    [[nodiscard]] QString localAddress() const { return m_localAddress; }
    [[nodiscard]] QString fingerprint() const { return m_fingerprint; }
    [[nodiscard]] int memberCount() const { return m_memberCount; }

    //! The data directory the hosted server keeps its rooms in (tests point it at a temporary one).
    void setDataDir(const QString &directory) { m_dataDir = directory; }
    //! Where the server listens (every interface unless told; tests keep it on loopback). Read by start().
    void setBindAddress(const QHostAddress &address) { m_bind = address; }
    /** Announce the server on the local network (DNS-SD) by this name; empty (the default): not announced. Read by
     *  start(). A server bound to loopback is never announced. */
    void setAnnounceAs(const QString &name) { m_announceAs = name; }
    /** Serve only rooms stored in the data directory or seeded (a server waiting to take a room over): a hello for
     *  another room is told to try again later. Read by start(). */
    void setStoredRoomsOnly(bool storedOnly) { m_storedRoomsOnly = storedOnly; }

    /** Port 0 picks any free port; the default port falls back to a free one when it is taken. While a server is
     *  still stopping, the new one starts once it has gone (status Starting meanwhile). Blocks nothing. */
    void start(int port = limits::DefaultPort);
    //! Stop the server cleanly (everyone is told it is going away); also cancels a start under way. Blocks nothing.
    void stop();
    //! For quitting: stop, and wait (bounded) until the server has flushed, closed and gone, and its thread ended.
    void stopAndWait();
    /** Close the hosted rooms for everyone and stop: every member is told "<closedBy> closed the room." and does not
     *  reconnect (Server::closeForEveryone()). Blocks nothing; status goes Stopping, then Stopped. */
    void closeForEveryone(const QString &closedBy);
    //! Keep this room listed and in memory while nobody is in it (served in the background). Running only.
    void keepOpen(const QString &room);
    //! Store a room taken over (a standby's copy), so it opens at the next hello; seeded() says how it went.
    void seed(const proto::RoomSeed &seed);

Q_SIGNALS:
    void statusChanged();
    void memberCountChanged();
    //! The answer to seed(): error empty when the room is stored.
    void seeded(const QString &error);

private:
    void setStatus(Status status);
    void startWorker(int port);
    void onStarted(quint64 generation, const QString &error, int port, const QStringList &addresses,
                   const QString &local, const QString &fingerprint);
    void onStopped(quint64 generation);
    void onMemberCount(quint64 generation, int count);
    void setMemberCount(int count);
    void clearServerDetails();
    //! Ask the worker to end its server and thread, and wait for the thread (bounded).
    void finishThread();

    QThread m_thread;
    std::unique_ptr<HostWorker> m_worker; //!< lives on m_thread; destroyed after the thread has ended
    quint64 m_generation = 0; //!< counts start requests, so a late report of an earlier server is told apart
    int m_restartPort = -1; //!< a start waiting for the stopping server to go; -1: none
    Status m_status = Stopped;
    QString m_error;
    int m_port = 0;
    QStringList m_addresses;
    QString m_localAddress;
    QString m_fingerprint;
    int m_memberCount = 0;
    QString m_dataDir;
    QHostAddress m_bind = QHostAddress::Any;
    QString m_announceAs;
    bool m_storedRoomsOnly = false;
};

} // namespace inkroom::ui
