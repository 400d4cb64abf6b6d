#pragma once

#include "txtrecord.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace inkroom::lan {

//! One announcement of a server, resolved: where it is and what its TXT record says.
struct FoundService
{
    //! The DNS-SD instance name: unique on the network (the responders rename on conflicts).
    QString name;
    QString hostName; //!< "host.local"
    QHostAddress address; //!< with its interface as scope for IPv6 link-local addresses
    quint16 port = 0;
    Announcement announcement;
    //! The same server may be seen on several interfaces and by IPv4 and IPv6: each is one instance.
    int interfaceIndex = -1;
    int protocol = -1; //!< AVAHI_PROTO_INET or _INET6
    [[nodiscard]] bool operator==(const FoundService &other) const = default;
};

/** @brief Browses the local network for Inkroom servers (_inkroom._tcp) through the system's mDNS responder.
 *
 * Every instance that appears is resolved (address, port, TXT) and reported with found(); when its announcement
 * goes (the server stopped, or its goodbye's TTL ran out) lost() follows. Instances are told apart by name, interface
 * and protocol: a server is one name, seen once per interface and address family. Runs on the thread that made it,
 * on Qt's event loop; nothing blocks. Without a responder, available() is false and reason() says why in one plain
 * line; browsing starts by itself when one appears.
 */
class ServiceBrowser : public QObject
{
    Q_OBJECT

public:
    explicit ServiceBrowser(QObject *parent = nullptr);
    ~ServiceBrowser() override;

    void start();
    void stop();

    //! A responder answers and browsing runs.
    [[nodiscard]] bool available() const { return m_available; }
    //! Why not available, in plain words; empty while available or before start().
    [[nodiscard]] QString reason() const { return m_reason; }

Q_SIGNALS:
    //! An instance was resolved (again: its address, port or TXT may have changed).
    void found(const inkroom::lan::FoundService &service);
    //! The instance name on interface/protocol is gone.
    void lost(const QString &name, int interfaceIndex, int protocol);
    void availabilityChanged();

private:
    struct Private;
    friend struct Private;
    void setAvailable(bool available, const QString &reason);

    std::unique_ptr<Private> d;
    bool m_available = false;
    QString m_reason;
};

} // namespace inkroom::lan
