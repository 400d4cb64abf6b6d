#pragma once

#include "protocollimits.h"

#include <QObject>
#include <QStringList>
#include <QThread>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief "Host a room on this computer": the server library on its own thread.
 *
 * The server never runs on the GUI thread, so a busy UI (a big board being drawn, a long chat scrolled) never
 * stalls the other people in the room. start() returns at once; running, error and the addresses follow.
 */
class RoomHost : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use App.host")
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
    ~RoomHost() override;

    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QStringList addresses() const { return m_addresses; }
    [[nodiscard]] QString localAddress() const { return m_localAddress; }
    [[nodiscard]] QString fingerprint() const { return m_fingerprint; }

    //! The data directory the hosted server keeps its rooms in (tests point it at a temporary one).
    void setDataDir(const QString &directory) { m_dataDir = directory; }
    //! Port 0 picks any free port; the default port falls back to a free one when it is taken.
    Q_INVOKABLE void start(int port = limits::DefaultPort);
    //! Stop the server cleanly (everyone is told it is going away). Blocks nothing.
    Q_INVOKABLE void stop();
    //! For quitting: stop and wait for the server thread (the server flushes and closes).
    void stopAndWait();

Q_SIGNALS:
    void statusChanged();

private:
    struct Started
    {
        int port = 0;
        QStringList addresses;
        QString local;
        QString fingerprint;
    };
    void onStarted(bool ok, const QString &error, const Started &started);
    void setStatus(Status status);

    QThread m_thread;
    QObject m_anchor; //!< lives on m_thread: the context for work sent there
    QObject *m_server = nullptr; //!< lives on m_thread
    Status m_status = Stopped;
    QString m_error;
    int m_port = 0;
    QStringList m_addresses;
    QString m_localAddress;
    QString m_fingerprint;
    QString m_dataDir;
};

} // namespace inkroom::ui
