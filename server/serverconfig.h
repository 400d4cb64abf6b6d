#pragma once

#include "protocollimits.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace inkroom::server {

//! The port inkroom-server listens on unless told otherwise (the protocol's default port).
inline constexpr quint16 DefaultPort = limits::DefaultPort;
/** What a connection's transport may hold of what the client sent, not yet read: the largest message a client may
 *  send and room for a frame header. Qt reads no further until it is taken (TCP slows the sender), so one connection
 *  brings at most this into an event-loop turn, and it counts in queueBytesPerConnection(). */
inline constexpr qint64 ReadBufferBytes = limits::MaxClientMessageBytes + 64 * 1024;
/** What of a connection's messages may wait, read, behind one of its messages that a worker decodes (DecodeLane); past
 *  it, the connection's oldest message is finished on the server's thread. Counts in queueBytesPerConnection(). */
inline constexpr qint64 LaneWaitingBytes = 256 * 1024;
/** Beyond the connections' queues, the server's own memory (MiB): its code and tables, and the messages its DecodeLane
 *  holds (ServerConfig::decodeLaneBytes, 4 MiB by default) with what they decode to, about three times as much. */
inline constexpr qint64 OwnMemoryMib = 40;

/** @brief Everything a Server can be told. The defaults suit a LAN server for about 50 people.
 *
 * Times are in milliseconds. Tests shorten the timers and shrink the limits; every field is read once, by the
 * Server's constructor.
 */
struct ServerConfig
{
    // ---- where ----
    QHostAddress bind = QHostAddress::Any; //!< Any: every interface, IPv4 and IPv6
    quint16 port = DefaultPort; //!< 0: any free port (see Server::port())
    QString dataDir; //!< empty: Server::defaultDataDir()
    /** Where rooms are stored: "sqlite:PATH" or a postgresql:// URI (StoreLocation::parse()). Empty: inkroom.sqlite
     *  in the data directory. */
    QString store;

    // ---- the local network ----
    /** Announce the server with DNS-SD (_inkroom._tcp) through the system's mDNS responder. Off by default so
     *  in-process servers (tests) never multicast; inkroom-server and the app's hosted rooms turn it on. A server
     *  bound to a loopback address is never announced: nobody else could reach it. */
    bool announce = false;
    //! The name it is announced by ("Room 214 projector"); empty: this computer's host name.
    QString displayName;

    // ---- transport ----
    //! Plain ws:// instead of TLS (for generic WebSocket tools). Off: wss:// with the identity below.
    bool insecure = false;
    //! The certificate (PEM; intermediates may follow it) and its private key (PEM, unencrypted). Both empty: the
    //! server's own key and self-signed certificate in <dataDir>/tls, made on first start.
    QString tlsCertFile;
    QString tlsKeyFile;
    //! No listening socket and no files: a database in memory and connections made with
    //! Server::attachConnection() only (fuzzing).
    bool detached = false;

    // ---- how many ----
    int maxConnections = 500; //!< WebSocket connections per server; more get server_full and close 4005
    int maxRoomMembers = 100; //!< joined members per room (at most 1,000); more get room_full and close 4004
    int maxBoardItems = 100000; //!< items per board; an add past it gets reject board_full
    //! Image bytes per room: stored blobs and unfinished uploads together; past it: room_images_full.
    int maxRoomImageMib = 256;
    //! Image bytes one connection may upload a second (in KiB), in bursts of at most 1 MiB more; past it a chunk gets
    //! blob_status rate_limited with retry.
    int imageUploadKibPerSecond = 8192;
    //! Images one connection may have half uploaded at once; another gets blob_status server_busy with retry.
    int maxUploadsPerConnection = 2;
    /** A board's encoded size (its items as a snapshot carries them), in bytes; an add or update that would take the
     *  board past it gets reject board_full. What a room keeps in memory and on disk follows from it. */
    qint64 maxBoardBytes = 64LL * 1024 * 1024;
    /** Every room's board in memory together, in bytes counted as maxBoardBytes counts one: idle rooms are unloaded
     *  to make room, and past it a change that adds to a board gets reject board_full and a join that would load a
     *  room gets server_full (close 4021). Rooms in memory hold about three times this. */
    qint64 maxBoardsBytes = 256LL * 1024 * 1024;
    int maxPendingHandshakes = 64; //!< TCP connections still in the WebSocket handshake; more are dropped at once
    //! Of those, from one peer address; more from it are dropped at once (the others keep their share).
    int maxPendingHandshakesPerAddress = 8;
    int maxConnectionsPerAddress = 50; //!< WebSocket connections from one peer address; more get close 4005

    // ---- timers ----
    int handshakeTimeoutMs = 10000; //!< to finish the WebSocket handshake and then to send hello (close 4008)
    /** Messages, and their bytes, kept per connection while its join is decided; past either, ops get reject
     *  server_busy in their place, and past as many refusals again the connection is closed (1008). */
    int maxDeferredMessages = 1000;
    qint64 maxDeferredBytes = 1024 * 1024;
    int pingIntervalMs = 5000; //!< the server pings every connection this often
    int heartbeatTimeoutMs = 15000; //!< no message or pong for this long: close 4012 and drop
    int closeGraceMs = 2000; //!< after the server closes a connection, the peer has this long before an abort
    int roomUnloadDelayMs = 30000; //!< a room nobody is in leaves memory after this long
    /** A room's standby must confirm each replica within this long; otherwise it is dropped and what was held for it
     *  goes out (docs/PROTOCOL.md, "Handing a room over"). */
    int standbyConfirmMs = 3000;

    // ---- rate limit (per connection, every message counts) ----
    double ratePerSecond = 200; //!< sustained messages per second
    int rateBurst = 400; //!< messages that may arrive at once
    int rateMaxExcess = 400; //!< dropped messages, without a second's pause, before close 1008

    // ---- the byte rate of ops (per connection) ----
    /** KiB of op messages (as they arrive) a connection may send a second, sustained, and at once. An op that would
     *  pass it gets reject rate_limited with retry and takes nothing: the client sends it again. Other messages do
     *  not count (image chunks have imageUploadKibPerSecond). The burst is at least the largest client message, so
     *  every op fits; the welcome says both (opByteRate, opByteBurst) and Inkroom paces its ops to them. */
    int opKibPerSecond = 1024;
    int opBurstKib = 4096;

    // ---- history (per connection; every request counts against the rate limit above too) ----
    double historyPerSecond = 10; //!< history requests answered per second, sustained
    int historyBurst = 20; //!< history requests that may arrive at once; past it: history_page rate_limited
    qint64 historyPageBytes = 1024 * 1024; //!< the ops of one history_page stop before passing this (one always fits)

    // ---- output ----
    qint64 maxOutputBytes = 2 * 1024 * 1024; //!< unsent bytes to one client past which it is dropped (4009)
    qint64 volatileDropBytes = 1024 * 1024; //!< unsent bytes past which cursors and live strokes are skipped
    int cursorHz = 30; //!< cursor updates relayed per sender per second (the latest one always arrives)
    /** What every connection's queues may hold together, at most: maxConnections x queueBytesPerConnection() must
     *  fit in it, or Server::start() refuses the configuration. */
    qint64 queueBudgetBytes = 3072LL * 1024 * 1024;

    // ---- input ----
    /** Messages at least this large are decoded (and adds and updates encoded) on worker threads, each connection's
     *  messages still handled in the order they arrived (DecodeLane); 0: every message on the server's thread. */
    qint64 offThreadDecodeBytes = 32 * 1024;
    //! Bytes of such messages at a time; past it, they are decoded on the server's thread.
    qint64 decodeLaneBytes = 4 * 1024 * 1024;

    // ---- the log ----
    int maxBatchOps = 1000; //!< a batch this large commits at once instead of at the next event-loop turn
    int compactEvery = 1000; //!< write a board snapshot every this many ops
    int retainOps = 10000; //!< ops kept in the log behind the snapshot, for resumes
    int maxResumeOps = 20000; //!< a resume that would send more ops than this gets a snapshot instead
    int chatHistory = 500; //!< chat messages a late joiner receives
    int busyTimeoutMs = 5000; //!< how long a database write waits for a lock before it fails

    // ---- several servers on one PostgreSQL database (a shared store) ----
    //! How often every room in memory is checked against the database (notifications are only hints; 0: never).
    int nodeCatchUpMs = 1000;
    //! How long live traffic waits to go to the other servers in one notification.
    int nodeLiveBatchMs = 5;
    //! How often a server tells the others it is alive (NodePresence), and after how long without a word from
    //! another server its members leave the member lists here.
    int nodeHeartbeatMs = 1000;
    int nodeLeaseMs = 5000;
    //! Tests: the first this many head notifications are ignored, as if lost.
    int dropHeadNotifications = 0;

    /** Serve only the rooms stored here (or seeded by Server::seedRoom()): a hello for another room gets not_serving
     *  and close 4032 instead of making it. The app's server waiting to take a room over runs so. */
    bool storedRoomsOnly = false;

    // ---- access ----
    int passwordIterations = 200000; //!< PBKDF2-HMAC-SHA256 iterations for new room passwords
    //! Failed password, client secret or join token attempts, and rooms made with a password, per peer address and
    //! window
    int maxPasswordFailures = 5;
    int passwordFailureWindowMs = 60000; //!< past the failures: too_many_attempts and close 4011
    int maxPasswordChecks = 16; //!< password hashes queued or running; more get server_busy and close 4020
    int maxPasswordChecksPerAddress = 2; //!< of those, for one peer address
    QString joinToken; //!< when set, hello.token must match it (bad_token, close 4010)
    /** Browser origins (scheme://host[:port]) allowed to connect. A handshake without an Origin header (native
     *  clients) is always accepted; one with an Origin not listed here is refused (HTTP 403). */
    QStringList allowedOrigins;
};

/** The most one connection's queues can hold: its unsent output (maxOutputBytes, and the largest message the server
 *  sends, which may go past it once), what it sent while its join is decided (maxDeferredBytes) and the refusals kept
 *  in place of ops meanwhile (maxDeferredMessages of at most limits::MaxKeptRefusalBytes each), what its transport
 *  holds unread (ReadBufferBytes) with the message being put together from its frames (at most the largest), and what
 *  waits behind its messages being decoded off the thread (LaneWaitingBytes). The
 * catch-up of a joiner is not counted: it is the room's own snapshot, shared by every joiner, not a copy. */
[[nodiscard]] qint64 queueBytesPerConnection(const ServerConfig &config);
//! The byte rate of ops in bytes a second (at least 1 KiB).
[[nodiscard]] inline double opBytesPerSecond(const ServerConfig &config)
{
    return double(std::max(config.opKibPerSecond, 1)) * 1024;
}
//! The byte rate's burst in bytes: never below the largest client message, so every op fits.
[[nodiscard]] inline qint64 opBurstBytes(const ServerConfig &config)
{
    return std::max(qint64(config.opBurstKib) * 1024, limits::MaxClientMessageBytes);
}
/** Does maxConnections x queueBytesPerConnection() fit in queueBudgetBytes? When not, *error says what to change. */
[[nodiscard]] bool queuesFitBudget(const ServerConfig &config, QString *error);

/** @brief An Origin header or --allow-origin value in the form browsers send: "scheme://host" or
 *  "scheme://host:port" (lower case, default port left out), or "null". Empty when it is not an origin. */
[[nodiscard]] QString normaliseOrigin(const QString &origin);

} // namespace inkroom::server
