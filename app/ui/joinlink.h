#pragma once

#include <QString>
#include <QUrl>

namespace inkroom::ui {

//! Where to join: a server's WebSocket URL and a room. Made from an inkroom:// link or from what people type.
struct JoinTarget
{
    /** wss://HOST:PORT, or ws://HOST:PORT for a server without TLS (--insecure); several for a room served by several
     *  nodes (all of one scheme, at most client::MaxRoomAddresses, no two the same), in the order given. */
    QList<QUrl> servers;
    QString room;
    QString token; //!< the server's join token, when the link carries one (?token=)
    QString error; //!< set when the input could not be understood; then server and room are empty

    [[nodiscard]] bool isValid() const { return error.isEmpty(); }
    //! The first address (tried first).
    [[nodiscard]] QUrl server() const { return servers.value(0); }
    /** The shareable form: inkroom://HOST:PORT/ROOM (the room percent-encoded; several addresses as
     *  HOST1:PORT1,HOST2:PORT2), with insecure=1 for ws:// and token=TOKEN when there is one in its query. */
    [[nodiscard]] QString link() const;
};

/** @brief Understand an inkroom://HOST:PORT/ROOM link (also ws:// and wss:// with a room path).
 *
 * A room served by several nodes has a comma-separated list where the host is: inkroom://h1:7420,[::1]:7421/ROOM.
 * An empty entry, an address that does not parse, more than client::MaxRoomAddresses or a repeated one is refused
 * with a sentence saying which.
 *
 * inkroom:// means wss:// (TLS); inkroom://HOST:PORT/ROOM?insecure=1 means plain ws://, for a server started with
 * --insecure. ?token=TOKEN gives the server's join token. The port defaults to 7420. IPv6 hosts are written in
 * brackets. Errors are sentences for people.
 */
[[nodiscard]] JoinTarget parseJoinLink(const QString &text);

/** @brief Understand a server address as people type it ("192.168.1.20", "host:7000", "wss://host:7000") plus a
 *  room name typed separately. Without a scheme it is wss://; ws:// must be typed out. Several addresses of one room
 *  are separated by commas ("h1:7420, h2:7420"). */
[[nodiscard]] JoinTarget parseServerAddress(const QString &address, const QString &room);

} // namespace inkroom::ui
