#pragma once

#include <QHostAddress>
#include <QString>

namespace inkroom::server {

/** @brief Whose share a connection counts against: its peer's address, as one person on the network holds it.
 *
 * An IPv4 address as itself, also when it arrives IPv4-mapped on a dual-stack socket (::ffff:192.0.2.7 and
 * 192.0.2.7 are one peer); an IPv6 address by its /64 prefix, since one host is routinely given a whole /64 and may
 * pick any address in it. The shares of handshakes and connections and the count of failed attempts use it.
 */
[[nodiscard]] QString peerKey(const QHostAddress &address);

} // namespace inkroom::server
