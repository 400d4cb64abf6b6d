#pragma once

#include "faultproxy.h"
#include "serverfixture.h"
#include "session.h"

#include <QColor>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>
#include <vector>

namespace inkroom::test {

/** @brief One room for the client tests: the real server in-process, a fault proxy in front of it, and the app
 *  sessions (fast timings) that a test puts in the room.
 *
 * Tears down in the order that matters: the sessions first, then the state directories they lock files in, then the
 * proxy, then the server.
 */
class SessionRoom
{
public:
    explicit SessionRoom(QString room, QColor colour = QColor(0x1e, 0x88, 0xe5));
    ~SessionRoom();
    SessionRoom(const SessionRoom &) = delete;
    SessionRoom &operator=(const SessionRoom &) = delete;

    //! Starts the server and the proxy in front of it.
    [[nodiscard]] bool start();

    //! A session joining the room at url (the proxy when empty), kept in stateDir (none when empty); not waited for.
    client::Session *add(const QString &name, const QUrl &url = {}, const QString &stateDir = {},
                         const QString &password = {});
    //! A session that joins straight to the server (through the proxy when viaProxy) and is online; nullptr when it
    //! is not within the wait.
    client::Session *join(const QString &name, bool viaProxy = false);
    //! Ends the session added last, as an app that quits does.
    void removeLast();
    //! A new temporary directory that outlives every session.
    QString stateDir();

    [[nodiscard]] ServerFixture *server() const { return m_server.get(); }
    [[nodiscard]] FaultProxy *proxy() const { return m_proxy.get(); }
    [[nodiscard]] QString room() const { return m_room; }

private:
    QString m_room;
    QColor m_colour;
    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::vector<std::unique_ptr<QTemporaryDir>> m_dirs;
    std::vector<std::unique_ptr<client::Session>> m_sessions;
};

} // namespace inkroom::test
