#pragma once

#include "protocol.h"
#include "servicebrowser.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace inkroom::client {

class RoomListQuery;

//! One Inkroom server on this network, as LanDirectory knows it.
struct LanServer
{
    QString name; //!< its DNS-SD instance name, unique on the network
    QString hostName; //!< "host.local"
    QUrl url; //!< wss://ADDRESS:PORT (ws:// when it announced tls=0), the best of its addresses
    lan::Announcement announcement;
    QList<proto::RoomInfo> rooms; //!< its open rooms (list_rooms), busiest first
    bool roomsKnown = false; //!< rooms holds an answer
    QString problem; //!< why the last list_rooms failed, in plain words; empty when it answered
    [[nodiscard]] bool operator==(const LanServer &other) const = default;
};

/** @brief The Inkroom servers on this network, live: found by DNS-SD (ServiceBrowser), with their open rooms asked
 *  for over the WebSocket (list_rooms, RoomListQuery) when they appear and every refresh interval after.
 *
 * A server is one instance name; the same server seen on several interfaces or address families is one entry, and
 * leaves when the last of its announcements has gone. The app's "On this network" list (NetworkServersModel) and
 * inkroom-cli --discover show it. Without a responder, available() is false and reason() says why in one line.
 */
class LanDirectory : public QObject
{
    Q_OBJECT

public:
    explicit LanDirectory(QObject *parent = nullptr);
    ~LanDirectory() override;

    void start();
    void stop();
    //! How often each server's rooms are asked for again (5 s by default; 0: only when it appears).
    void setRefreshInterval(int ms);
    //! The join token to send with list_rooms to servers that need one.
    void setToken(const QString &token) { m_token = token; }

    [[nodiscard]] QList<LanServer> servers() const;
    [[nodiscard]] std::optional<LanServer> server(const QString &name) const;
    //! start() was called and stop() not since: the network is being looked at (the app's --no-discover never starts).
    [[nodiscard]] bool running() const { return m_running; }
    [[nodiscard]] bool available() const;
    [[nodiscard]] QString reason() const;

Q_SIGNALS:
    void serverAdded(const inkroom::client::LanServer &server);
    //! Its address, TXT record or rooms changed.
    void serverChanged(const inkroom::client::LanServer &server);
    void serverRemoved(const QString &name);
    void availabilityChanged();
    void runningChanged();

private:
    struct Entry
    {
        LanServer server;
        QList<lan::FoundService> instances;
        std::unique_ptr<RoomListQuery> query;
    };
    void onFound(const lan::FoundService &service);
    void onLost(const QString &name, int interfaceIndex, int protocol);
    //! Pick the best instance's address for entry.server.url; true when it changed.
    bool chooseAddress(Entry &entry);
    void askRooms(Entry &entry);
    void refresh();

    lan::ServiceBrowser m_browser;
    QHash<QString, std::shared_ptr<Entry>> m_entries;
    QStringList m_order; //!< names in the order found
    QTimer m_refresh;
    QString m_token;
    bool m_running = false;
};

} // namespace inkroom::client
