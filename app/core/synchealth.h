#pragma once

#include "session.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

/** @brief What a curious user or a support person needs to see that the guarantee holds, live: the connection's
 * round trip, where this client stands in the room's log against the room's head, what waits in the outbox and for
 * how long, whether the outbox is kept on disk, and who the server is (fingerprint, TLS version).
 *
 * Reads the Session it is given; holds no state of the room but the head it last heard of. While active (the panel
 * is open) the age of the oldest waiting change is refreshed every second.
 */
class SyncHealth : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)
    //! Refresh the ages every second (set while the panel shows them).
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(bool online READ online NOTIFY changed)
    //! WebSocket ping round trip in ms; -1 while unknown (offline, or before the first pong).
    Q_PROPERTY(int roundTripMs READ roundTripMs NOTIFY changed)
    //! The room sequence this client's board has applied (its resume point).
    Q_PROPERTY(qint64 lastApplied READ lastApplied NOTIFY changed)
    //! The room's last sequence as last heard (welcome, ops, acks); 0 before the first welcome.
    Q_PROPERTY(qint64 roomHead READ roomHead NOTIFY changed)
    //! How many sequences this client has still to apply (head minus last applied, never below 0).
    Q_PROPERTY(qint64 behind READ behind NOTIFY changed)
    //! Changes made here that the room has not acknowledged yet.
    Q_PROPERTY(int waiting READ waiting NOTIFY changed)
    //! Whole seconds the oldest waiting change has waited; 0 when none waits.
    Q_PROPERTY(int oldestWaitingSeconds READ oldestWaitingSeconds NOTIFY changed)
    //! Waiting changes are kept in a journal on disk (they survive a crash); false: in memory only.
    Q_PROPERTY(bool journalOnDisk READ journalOnDisk NOTIFY changed)
    //! Why the journal does not reach the disk, in plain words; "" while it does.
    Q_PROPERTY(QString journalProblem READ journalProblem NOTIFY changed)
    //! "host:port" of the address in use (or tried next); "" without a room.
    Q_PROPERTY(QString server READ server NOTIFY changed)
    //! The room's other addresses (nodes it moves to when this one is lost), "host:port, ..."; "" when it has one.
    Q_PROPERTY(QString otherServers READ otherServers NOTIFY changed)
    Q_PROPERTY(bool encrypted READ encrypted NOTIFY changed)
    //! The SHA-256 fingerprint of the server's certificate, in full; "" unless encrypted.
    Q_PROPERTY(QString serverFingerprint READ serverFingerprint NOTIFY changed)
    //! "TLS 1.3"; "" unless encrypted.
    Q_PROPERTY(QString tlsVersion READ tlsVersion NOTIFY changed)
    //! Everything on one line per fact, for the clipboard (a support request).
    Q_PROPERTY(QString report READ report NOTIFY changed)

public:
    explicit SyncHealth(QObject *parent = nullptr);

    [[nodiscard]] Session *session() const { return m_session; }
    void setSession(Session *session);
    [[nodiscard]] bool active() const { return m_active; }
    void setActive(bool active);

    [[nodiscard]] bool online() const;
    [[nodiscard]] int roundTripMs() const;
    [[nodiscard]] qint64 lastApplied() const;
    [[nodiscard]] qint64 roomHead() const;
    [[nodiscard]] qint64 behind() const { return std::max<qint64>(0, roomHead() - lastApplied()); }
    [[nodiscard]] int waiting() const;
    [[nodiscard]] int oldestWaitingSeconds() const;
    [[nodiscard]] bool journalOnDisk() const;
    [[nodiscard]] QString journalProblem() const;
    [[nodiscard]] QString server() const;
    [[nodiscard]] QString otherServers() const;
    [[nodiscard]] bool encrypted() const;
    [[nodiscard]] QString serverFingerprint() const;
    [[nodiscard]] QString tlsVersion() const;
    [[nodiscard]] QString report() const;

Q_SIGNALS:
    void sessionChanged();
    void activeChanged();
    void changed();

private:
    void noteHead(quint64 seq);
    void updateTimer();

    QPointer<Session> m_session;
    quint64 m_head = 0;
    bool m_active = false;
    QTimer m_tick;
};

} // namespace inkroom::client
