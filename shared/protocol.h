#pragma once

#include "messagetypes.h"
#include "protocollimits.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

/** @brief The Inkroom wire protocol: message values and their codec, shared by client and server.
 *
 * Every message is one JSON object with a "type" field. docs/PROTOCOL.md documents each message, each field and
 * each error code; this header is its source of truth. Decoding never asserts: bad input gives a DecodeError
 * with a code and the path of the offending field.
 */
namespace inkroom::proto {

//! The version spoken by this build. A hello with another version gets unsupported_version and a close.
inline constexpr int ProtocolVersion = 2;

enum class MessageType {
#define INKROOM_X(name, wire) name,
    INKROOM_MESSAGE_TYPES(INKROOM_X)
#undef INKROOM_X
};

enum class ErrorCode {
#define INKROOM_X(name, wire, text) name,
    INKROOM_ERROR_CODES(INKROOM_X)
#undef INKROOM_X
};

//! Every error code, in declaration order (for tables and tests that must see each one).
inline constexpr ErrorCode AllErrorCodes[] = {
#define INKROOM_X(name, wire, text) ErrorCode::name,
    INKROOM_ERROR_CODES(INKROOM_X)
#undef INKROOM_X
};

//! Who sends a message type (docs/PROTOCOL.md, the Messages table's dir column).
enum class Direction {
    ClientToServer,
    ServerToClient,
    Both
};
/** The way a message type travels. A server answers a client that sends it a server-to-client type with
 *  unexpected_message (but ignores an error). */
[[nodiscard]] constexpr Direction directionOf(MessageType type)
{
    // No default: -Wswitch names a type added to INKROOM_MESSAGE_TYPES and missing here.
    switch (type) {
    case MessageType::Hello:
    case MessageType::Profile:
    case MessageType::ListRooms:
    case MessageType::BlobOffer:
    case MessageType::BlobPut:
    case MessageType::BlobGet:
    case MessageType::History:
    case MessageType::Handover:
    case MessageType::ReplicaAck:
        return Direction::ClientToServer;
    case MessageType::Welcome:
    case MessageType::Snapshot:
    case MessageType::Synced:
    case MessageType::Ack:
    case MessageType::Reject:
    case MessageType::Presence:
    case MessageType::Error:
    case MessageType::RoomList:
    case MessageType::BlobStatus:
    case MessageType::BlobData:
    case MessageType::HistoryPage:
    case MessageType::Replica:
    case MessageType::Moved:
        return Direction::ServerToClient;
    case MessageType::Op:
    case MessageType::Cursor:
    case MessageType::Typing:
    case MessageType::Live:
    case MessageType::View:
    case MessageType::Laser:
    case MessageType::Summon:
    case MessageType::Standby:
        return Direction::Both;
    }
    return Direction::Both;
}

[[nodiscard]] QString messageTypeName(MessageType type);
[[nodiscard]] std::optional<MessageType> messageTypeFromName(QStringView name);
[[nodiscard]] QString errorCodeName(ErrorCode code);
[[nodiscard]] std::optional<ErrorCode> errorCodeFromName(QStringView name);
//! A sentence for people, in English, that explains the code.
[[nodiscard]] QString errorCodeDescription(ErrorCode code);
/** Is a reject with this code transient (the op was not applied now, but the same op sent again later, in order,
 *  may be)? Transient: rate_limited, internal, server_busy, held_back. Every other code refuses the op for good. */
[[nodiscard]] constexpr bool isTransient(ErrorCode code)
{
    return code == ErrorCode::RateLimited || code == ErrorCode::Internal || code == ErrorCode::ServerBusy
        || code == ErrorCode::HeldBack;
}

//! Colours are 0xAARRGGBB; on the wire "#rrggbb" (opaque) or "#aarrggbb".
using Colour = quint32;
[[nodiscard]] QString colourToString(Colour colour);
[[nodiscard]] std::optional<Colour> colourFromString(QStringView text);

enum class ItemKind {
    Stroke,
    Line,
    Arrow,
    Rect,
    Ellipse,
    Text,
    Image //!< a picture: its bytes are a blob the server keeps (blob, bytes), placed in the rectangle of points
};
[[nodiscard]] QString itemKindName(ItemKind kind);
[[nodiscard]] std::optional<ItemKind> itemKindFromName(QStringView name);

//! How an item's outline is drawn (every kind but text and images): solid, dashed or dotted.
enum class Dash {
    Solid,
    Dashed,
    Dotted
};
[[nodiscard]] QString dashName(Dash dash);
[[nodiscard]] std::optional<Dash> dashFromName(QStringView name);

//! Which ends of a line or arrow carry an arrow head.
enum class Heads {
    None,
    Start,
    End,
    Both
};
[[nodiscard]] QString headsName(Heads heads);
[[nodiscard]] std::optional<Heads> headsFromName(QStringView name);

/** @brief One thing on the board.
 *
 * Geometry lives in points: a stroke has 1..MaxPointsPerItem, a line and an arrow exactly 2 (start, end), a
 * rectangle, an ellipse and an image 2 opposite corners, a text 1 (its top-left anchor). For text, width is the font
 * size. An image names its bytes by blob (the SHA-256 of them, lower-case hex) and bytes (their size).
 *
 * Style: opacity applies to all of an item; dash to outlines (not text or images); heads to lines and arrows (none:
 * the kind's own, headsOf()); widths, for a stroke drawn with pressure, is the width at each point (one per point,
 * each at most width).
 */
struct Item
{
    QString id;
    ItemKind kind = ItemKind::Stroke;
    Colour colour = 0xff000000;
    std::optional<Colour> fill;
    double width = 2.0;
    QList<QPointF> points;
    QString text;
    QString blob; //!< image: the SHA-256 of its bytes (64 lower-case hex digits)
    qint64 bytes = 0; //!< image: how many bytes the blob has
    /** Stacking order, bottom to top (ties: by id): the room sequence of the op that added the item, or what a restack
     *  gave it (below zero for items sent to the back). Set by Board, not by senders of adds. */
    qint64 z = 0;
    double opacity = 1.0;
    Dash dash = Dash::Solid;
    std::optional<Heads> heads {};
    QList<double> widths {};

    //! Exact comparison (QPointF's own operator== is fuzzy, and boards must match to the bit).
    [[nodiscard]] bool operator==(const Item &other) const;
};

//! The arrow heads a line or arrow is drawn with: its own heads, or its kind's (a line none, an arrow one at its end).
[[nodiscard]] constexpr Heads headsOf(ItemKind kind, std::optional<Heads> heads)
{
    if (heads)
        return *heads;
    return kind == ItemKind::Arrow ? Heads::End : Heads::None;
}

/** @brief What a client id may do in a room (docs/PROTOCOL.md, "Roles and host controls").
 *
 * Owners may do everything, host controls included; editors change the board; viewers chat and point only. */
enum class Role {
    Owner,
    Editor,
    Viewer
};
[[nodiscard]] QString roleName(Role role);
[[nodiscard]] std::optional<Role> roleFromName(QStringView name);
/** The role that counts: the client's own (given by an owner), or the room's default for newcomers; on a locked board
 *  everybody but the owners is a viewer. */
[[nodiscard]] constexpr Role effectiveRole(std::optional<Role> own, Role roomDefault, bool locked)
{
    const Role role = own.value_or(roomDefault);
    return locked && role != Role::Owner ? Role::Viewer : role;
}

enum class OpKind {
    Add,
    Update,
    Remove,
    Move,
    Clear,
    Chat,
    SetRole, //!< "role": give target a role
    SetDefaultRole, //!< "default_role": the role of people without one of their own (newcomers)
    Lock, //!< everybody but the owners becomes a viewer
    Unlock,
    Kick, //!< remove target from the room; ban: for good
    Rollback, //!< undo target's last count board ops; the server writes what that restores (ids, items)
    Direct, //!< "dm": a chat message to target only
    Restack //!< give each of ids the stacking order z (bring to front, send to back, and their undo)
};
[[nodiscard]] QString opKindName(OpKind kind);
[[nodiscard]] std::optional<OpKind> opKindFromName(QStringView name);
//! Does the op change the board? (Chat, direct messages and the room's settings do not.)
[[nodiscard]] constexpr bool isBoardOp(OpKind kind)
{
    return kind == OpKind::Add || kind == OpKind::Update || kind == OpKind::Remove || kind == OpKind::Move
        || kind == OpKind::Clear || kind == OpKind::Rollback || kind == OpKind::Restack;
}
//! An edit of the board an editor may make (a viewer's is refused with view_only).
[[nodiscard]] constexpr bool isEditOp(OpKind kind)
{
    return kind == OpKind::Add || kind == OpKind::Update || kind == OpKind::Remove || kind == OpKind::Move
        || kind == OpKind::Restack;
}
//! A host control: only owners may send it (not_owner).
[[nodiscard]] constexpr bool isControlOp(OpKind kind)
{
    return kind == OpKind::Clear || kind == OpKind::SetRole || kind == OpKind::SetDefaultRole || kind == OpKind::Lock
        || kind == OpKind::Unlock || kind == OpKind::Kick || kind == OpKind::Rollback;
}
//! Chat to the room or to one person: shown in the chat, open to every role.
[[nodiscard]] constexpr bool isMessageOp(OpKind kind)
{
    return kind == OpKind::Chat || kind == OpKind::Direct;
}

/** @brief A durable operation: a board change or a chat message.
 *
 * The client that makes it sets kind, the payload and cseq (its own sequence, strictly increasing per client
 * id). The server adds seq (the room's order), client, author and time before it logs and broadcasts it; it
 * ignores those four fields when a client sends them.
 */
struct Op
{
    OpKind kind = OpKind::Chat;
    quint64 cseq = 0;
    quint64 seq = 0;
    QString client;
    QString author;
    qint64 time = 0; //!< server time, milliseconds since the Unix epoch
    Item item; //!< add, update
    QStringList ids; //!< remove, move, restack
    double dx = 0;
    double dy = 0;
    QString text; //!< chat, dm
    QString target {}; //!< role, kick, rollback: whom it is about; dm: to whom
    Role role = Role::Editor; //!< role, default_role
    bool ban = false; //!< kick: for the room's lifetime
    int count = 0; //!< rollback: how many of target's latest board ops
    QList<Item> items {}; //!< rollback, set by the server: the items it puts back as they were (with z)
    /** rollback, set by the server: how many of target's board ops it undid (fewer than count when target made fewer
     *  since the room's latest snapshot); none in what clients send. */
    std::optional<int> undone {};
    //! restack: the stacking order each of ids gets (as many values as ids, each within +-limits::MaxStackOrder)
    QList<qint64> z {};

    [[nodiscard]] bool operator==(const Op &other) const = default;
};

struct Member
{
    QString client;
    QString name;
    Colour colour = 0xff000000;
    bool typing = false;
    //! The role an owner gave this client id; none: the room's default role.
    std::optional<Role> role {};
    //! Its app can serve the room (its hello said serve): an owner may hand the room to it.
    bool serve = false;
    [[nodiscard]] bool operator==(const Member &other) const = default;
};

//! Where a client stands in a room's log: the room's epoch and the last sequence it applied.
struct ResumePoint
{
    QString epoch;
    quint64 seq = 0;
    [[nodiscard]] bool operator==(const ResumePoint &other) const = default;
};

//! client -> server, first message on a connection.
struct Hello
{
    int protocol = ProtocolVersion;
    QString client;
    //! Proves the client id is this installation's: the room keeps a hash of it from the id's first join.
    QString secret;
    QString name;
    Colour colour = 0xff000000;
    QString room;
    QString password; //!< empty: none. Sets the password when the hello creates the room.
    QString token; //!< the server-wide join token, when the server has one
    std::optional<ResumePoint> resume;
    //! This app bundles the server: it can keep a standby copy of the room and serve it (docs: "Handing a room over").
    bool serve = false;
    [[nodiscard]] bool operator==(const Hello &other) const = default;
};

//! server -> client: the join succeeded. Snapshot chunks (when snapshot is true), ops, then Synced follow.
struct Welcome
{
    int protocol = ProtocolVersion;
    QString room;
    QString epoch;
    QString you; //!< the client id the server knows this connection by
    QList<Member> members;
    quint64 acked = 0; //!< the highest cseq of this client the room has committed
    quint64 head = 0; //!< the room's last sequence at the time of the welcome
    bool snapshot = false; //!< true: board state follows as Snapshot chunks; false: the missed ops follow
    bool hasPassword = false;
    //! The server's rate limit for this connection: messages a second, sustained, and in a burst. 0: not told.
    double rate = 0;
    int burst = 0;
    Role defaultRole = Role::Editor; //!< the role of members without one of their own
    bool locked = false; //!< an owner locked the board: everybody but the owners is a viewer
    /** The server's byte rate for this connection's ops: bytes of `op` messages a second, sustained, and at once (an
     *  op over it is refused with rate_limited and may be sent again). 0: not told. */
    double opByteRate = 0;
    qint64 opByteBurst = 0;
    [[nodiscard]] bool operator==(const Welcome &other) const = default;
};

//! server -> client: part of the board at sequence seq. Apply once Synced arrives.
struct Snapshot
{
    quint64 seq = 0;
    QList<Item> items;
    [[nodiscard]] bool operator==(const Snapshot &other) const = default;
};

//! server -> client: the catch-up is complete; live traffic follows.
struct Synced
{
    quint64 head = 0;
    [[nodiscard]] bool operator==(const Synced &other) const = default;
};

//! server -> client: the op with this cseq is committed at seq. duplicate: it had been committed before.
struct Ack
{
    quint64 cseq = 0;
    quint64 seq = 0;
    bool duplicate = false;
    qint64 time = 0; //!< when the op was ordered (the op's time), server clock; 0 when not known

    [[nodiscard]] bool operator==(const Ack &other) const = default;
};

/** @brief server -> client: the op with this cseq was not applied.
 *
 * retry false: it never will be; the client takes it out of its outbox and tells its user. retry true (a transient
 * code, isTransient()): it may be later; the client keeps it and sends it again, in order, after a pause.
 */
struct Reject
{
    quint64 cseq = 0;
    ErrorCode code = ErrorCode::BadValue;
    QString message;
    bool retry = false;
    //! cseq_reused, cseq_ahead: the highest cseq the room has committed for this client.
    std::optional<quint64> acked {};
    [[nodiscard]] bool operator==(const Reject &other) const = default;
};

enum class PresenceEvent {
    Joined,
    Left,
    Updated
};
[[nodiscard]] QString presenceEventName(PresenceEvent event);
[[nodiscard]] std::optional<PresenceEvent> presenceEventFromName(QStringView name);

//! server -> client: somebody joined, left, or changed name or colour.
struct Presence
{
    PresenceEvent event = PresenceEvent::Joined;
    Member member;
    [[nodiscard]] bool operator==(const Presence &other) const = default;
};

//! client -> server: change my display name and colour.
struct Profile
{
    QString name;
    Colour colour = 0xff000000;
    [[nodiscard]] bool operator==(const Profile &other) const = default;
};

//! Volatile, both ways (client is set by the server when it relays): where a pointer is on the board.
struct Cursor
{
    QString client;
    double x = 0;
    double y = 0;
    bool visible = true;
    [[nodiscard]] bool operator==(const Cursor &other) const = default;
};

//! Volatile, both ways: whether somebody is typing a chat message.
struct Typing
{
    QString client;
    bool active = false;
    [[nodiscard]] bool operator==(const Typing &other) const = default;
};

/** @brief Volatile, both ways: the points of a stroke still being drawn.
 *
 * points continue the stroke from index from; end: the stroke is finished or abandoned (the durable add op,
 * when there is one, carries the same id).
 */
struct Live
{
    QString client;
    QString id;
    ItemKind kind = ItemKind::Stroke;
    Colour colour = 0xff000000;
    double width = 2.0;
    quint32 from = 0;
    QList<QPointF> points;
    bool end = false;
    //! The width at each of points (a pen's pressure), or empty: width everywhere.
    QList<double> widths {};
    //! The style of the item being drawn, as in Item.
    std::optional<Colour> fill {};
    double opacity = 1.0;
    Dash dash = Dash::Solid;
    std::optional<Heads> heads {};
    [[nodiscard]] bool operator==(const Live &other) const = default;
};

/** @brief Volatile, both ways: the board rectangle a member's window shows (x, y its top-left corner, w by h board
 *  units). Followers fit it into their own window; the server keeps each member's latest one for joiners. */
struct View
{
    QString client;
    double x = 0;
    double y = 0;
    double w = 1;
    double h = 1;
    [[nodiscard]] bool operator==(const View &other) const = default;
};

/** @brief Volatile, both ways: points a laser pointer passed through, in order (never on the board, never in undo).
 *  end: the pointer was put down; its trail fades on its own. */
struct Laser
{
    QString client;
    QList<QPointF> points;
    bool end = false;
    [[nodiscard]] bool operator==(const Laser &other) const = default;
};

/** @brief client -> server from an owner, relayed to everybody else: follow me (active), or stop following me.
 *
 * The server refuses it from anybody but an owner (not_owner) and remembers the active one for joiners. */
struct Summon
{
    QString client;
    bool active = true;
    [[nodiscard]] bool operator==(const Summon &other) const = default;
};

//! server -> client: something went wrong. fatal: the server closes the connection after it.
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QString field; //!< the path of the offending field, when there is one ("op.item.points[3]")
    bool fatal = false;
    [[nodiscard]] bool operator==(const Error &other) const = default;
};

/** @brief client -> server, instead of a hello: which rooms are open on this server?
 *
 * Answered with a RoomList; the connection then stays as it was (it may send hello, or ask again, or close). Asked
 * before joining, by the start page's "On this network" list and inkroom-cli --discover; rate-limited per address.
 */
struct ListRooms
{
    QString token; //!< the server-wide join token, when the server has one (the room list is as private as a join)
    [[nodiscard]] bool operator==(const ListRooms &other) const = default;
};

//! One open room in a RoomList.
struct RoomInfo
{
    QString name;
    int members = 0; //!< members joined now
    bool password = false; //!< joining needs the room's password
    [[nodiscard]] bool operator==(const RoomInfo &other) const = default;
};

//! server -> client: the answer to list_rooms: the rooms with members in them, the busiest first.
struct RoomList
{
    QList<RoomInfo> rooms; //!< at most limits::MaxRoomsListed
    [[nodiscard]] bool operator==(const RoomList &other) const = default;
};

/** @brief client -> server: I am about to upload the blob hash of size bytes (or only want to know whether you have
 *  it). Answered with a BlobStatus: have == size means the server holds it already (nothing to upload). */
struct BlobOffer
{
    QString hash;
    qint64 size = 0;
    [[nodiscard]] bool operator==(const BlobOffer &other) const = default;
};

//! client -> server: bytes [offset, offset + data.size()) of the blob hash; answered with a BlobStatus.
struct BlobPut
{
    QString hash;
    qint64 size = 0;
    qint64 offset = 0;
    QByteArray data; //!< base64 on the wire, 1 to limits::MaxBlobChunkBytes bytes
    [[nodiscard]] bool operator==(const BlobPut &other) const = default;
};

/** @brief server -> client: how far the upload (or the request) of blob hash stands.
 *
 * have: the bytes the server holds of it, in order from the start (== size: stored, checked, usable in ops). code set:
 * the offer, chunk or request was refused (message says why); retry: it may succeed later (send from have again).
 */
struct BlobStatus
{
    QString hash;
    qint64 size = 0;
    qint64 have = 0;
    std::optional<ErrorCode> code {};
    QString message {};
    bool retry = false;
    [[nodiscard]] bool operator==(const BlobStatus &other) const = default;
};

//! client -> server: send me the blob hash from offset on (one chunk; ask again for the next).
struct BlobGet
{
    QString hash;
    qint64 offset = 0;
    [[nodiscard]] bool operator==(const BlobGet &other) const = default;
};

//! server -> client: bytes [offset, offset + data.size()) of the blob hash, which has size bytes in all.
struct BlobData
{
    QString hash;
    qint64 size = 0;
    qint64 offset = 0;
    QByteArray data;
    [[nodiscard]] bool operator==(const BlobData &other) const = default;
};

/** @brief client -> server, from a joined member: one page of the room's history (docs/PROTOCOL.md, "History").
 *
 * Without after: part `part` of the board the history starts from (HistoryPage::base). With after: the ops after
 * that seq, at most limit of them. Every request gets exactly one HistoryPage, in order.
 */
struct History
{
    std::optional<quint64> after {};
    int part = 0; //!< without after: which part of the starting board (0 .. HistoryPage::parts - 1)
    int limit = limits::MaxOpsPerHistoryPage; //!< at most this many ops or items (1 .. MaxOpsPerHistoryPage)
    [[nodiscard]] bool operator==(const History &other) const = default;
};

/** @brief server -> client: the answer to one History request, or its refusal (code set).
 *
 * The history is the board at base (the empty board when base is 0; else the room's oldest kept snapshot, sent in
 * parts), then every op after it in seq order that the asker may see: direct messages only to their two parties.
 */
struct HistoryPage
{
    quint64 base = 0; //!< the seq of the board the history starts from now
    quint64 head = 0; //!< the room's last committed seq
    int parts = 0; //!< how many parts the board at base is sent in (0: the empty board)
    int part = 0; //!< which part items is (a request without after)
    QList<Item> items {}; //!< that part of the board at base, with z
    QList<Op> ops {}; //!< the ops after the request's after, up to last, that the asker may see
    quint64 last = 0; //!< the seq this page reaches: ask again with after = last until last == head
    std::optional<ErrorCode> code {}; //!< set: the request was refused (and nothing else is meaningful but head)
    QString message {};
    bool retry = false; //!< with code: a transient refusal; ask again later
    [[nodiscard]] bool operator==(const HistoryPage &other) const = default;
};

/** @brief client -> server, from an owner: hand the room to target's app, which serves it from then on.
 *
 * target must be a member whose hello said serve. Refused with a non-fatal error (not_owner, unknown_client,
 * bad_value, cannot_serve, server_busy); accepted, it ends in a moved message to everybody. */
struct Handover
{
    QString target;
    [[nodiscard]] bool operator==(const Handover &other) const = default;
};

//! What a room keeps about one client id, as a replica carries it (the server's clients table).
struct ReplicaClient
{
    QString client;
    quint64 cseq = 0; //!< its highest committed cseq
    quint64 seq = 0; //!< the seq of that op
    quint64 item = 0; //!< the highest n of its own "<client>:<n>" items
    QByteArray secret; //!< the SHA-256 of its secret (32 bytes; empty: not known yet)
    std::optional<Role> role {};
    bool banned = false;
    [[nodiscard]] bool operator==(const ReplicaClient &other) const = default;
};

/** @brief server -> the room's standby: part of a copy of the room's durable state (docs/PROTOCOL.md, "Handing a
 *  room over").
 *
 * A copy starts with reset (room, epoch, password) and goes on with the board at head (items), the recent chat
 * and every client id, in as many parts as it needs; the last of them has complete. Then every commit adds its ops
 * (all of them, direct messages too) and the client ids it changed. head: where the copy stands once this part is
 * applied; the standby answers each part with a replica_ack of it.
 */
struct Replica
{
    bool reset = false;
    QString epoch;
    QString room; //!< with reset
    QByteArray passwordSalt; //!< with reset; empty: no password
    QByteArray passwordHash;
    int passwordIterations = 0;
    quint64 head = 0;
    Role defaultRole = Role::Editor;
    bool locked = false;
    QList<Item> items {}; //!< before complete: part of the board at head, with z
    QList<Op> chat {}; //!< before complete: recent chat and direct messages, oldest first, as the log has them
    QList<ReplicaClient> clients {};
    QList<Op> ops {}; //!< after complete: the committed ops after the copy's head, in seq order
    bool complete = false;
    //! A piece of one of the room's images (its bytes from offset), for the copy; at most one a part.
    std::optional<BlobData> blob {};
    [[nodiscard]] bool operator==(const Replica &other) const = default;
};

//! client -> server, from the standby: my copy holds everything up to seq.
struct ReplicaAck
{
    quint64 seq = 0;
    [[nodiscard]] bool operator==(const ReplicaAck &other) const = default;
};

/** @brief Both ways. client -> server, from the standby: my server is ready to take the room over on port, with the
 *  certificate fp (empty: plain ws://). server -> client: the room's standby is client (name), reachable at url with
 *  fp; client empty: there is none. */
struct Standby
{
    QString client {};
    QString name {};
    QString url {};
    QString fp {};
    int port = 0; //!< client -> server only
    [[nodiscard]] bool operator==(const Standby &other) const = default;
};

//! server -> client: the room moved to client's (name's) app at url, certificate fp; close 4031 follows.
struct Moved
{
    QString client;
    QString name;
    QString url;
    QString fp {};
    [[nodiscard]] bool operator==(const Moved &other) const = default;
};

namespace detail {
template<class First, class... Rest> struct VariantOfRest
{
    using type = std::variant<Rest...>;
};
} // namespace detail

//! Any message: one alternative per entry of INKROOM_MESSAGE_TYPES, in the same order as MessageType.
using Message = detail::VariantOfRest<void
#define INKROOM_X(name, wire) , name
                                          INKROOM_MESSAGE_TYPES(INKROOM_X)
#undef INKROOM_X
                                      >::type;

[[nodiscard]] MessageType typeOf(const Message &message);

//! Why bytes did not decode: a code, the path of the field ("" for the whole message) and a sentence.
struct DecodeError
{
    ErrorCode code = ErrorCode::BadJson;
    QString field;
    QString message;
    //! An Error message for the peer that carries this decode error.
    [[nodiscard]] Error toError() const { return Error {code, message, field, false}; }
};

//! A decoded message or why it did not decode.
class DecodeResult
{
public:
    DecodeResult(Message message)
        : m_value(std::move(message))
    { }
    DecodeResult(DecodeError error)
        : m_value(std::move(error))
    { }

    [[nodiscard]] bool ok() const { return std::holds_alternative<Message>(m_value); }
    [[nodiscard]] const Message &message() const { return std::get<Message>(m_value); }
    [[nodiscard]] Message &message() { return std::get<Message>(m_value); }
    [[nodiscard]] const DecodeError &error() const { return std::get<DecodeError>(m_value); }

private:
    std::variant<Message, DecodeError> m_value;
};

/** @brief Decode one message. Never asserts and never throws, whatever the bytes.
 *
 * maxBytes bounds the input (larger: too_long); pass the limit of the direction you receive on.
 */
[[nodiscard]] DecodeResult decode(QByteArrayView bytes, qint64 maxBytes);
/** decode() through QJsonDocument alone: the reference it must agree with (decode() reads most messages with a
 * faster parser of its own and hands whatever that parser refuses to this path). For tests and fuzzing. */
[[nodiscard]] DecodeResult decodeWithQJsonDocument(QByteArrayView bytes, qint64 maxBytes);

//! Encode one message to compact UTF-8 JSON. Encode once and send the same bytes to every recipient.
[[nodiscard]] QByteArray encode(const Message &message);
//! One member as a welcome's members list writes it (compact JSON).
[[nodiscard]] QByteArray encodeMember(const Member &member);
/** encode() of welcome with its members given as encodeMember() bytes joined by commas (welcome.members is not
 *  read): the same bytes, for a server that keeps its rooms' members encoded instead of encoding them for every
 * join.
 */
[[nodiscard]] QByteArray encodeWelcome(const Welcome &welcome, QByteArrayView members);

/** encode() of page with its ops given as encoded op messages (page.ops is not read): how a server sends the log's
 *  own bytes without decoding them. An op message's "type" field is ignored inside a page. */
[[nodiscard]] QByteArray encodeHistoryPage(const HistoryPage &page, const QList<QByteArray> &ops);

//! Validation shared by the decoder and by code that builds messages from user input.
[[nodiscard]] std::optional<DecodeError> validateItem(const Item &item, const QString &field);

/** Is this an address a room may move to: ws:// or wss://, a host and a port, nothing else, at most
 *  limits::MaxUrlLength characters? */
[[nodiscard]] bool isValidMoveUrl(QStringView url);

//! Is this a syntactically valid client id / item id / room name? (See docs/PROTOCOL.md for the rules.)
[[nodiscard]] bool isValidClientId(QStringView id);
[[nodiscard]] bool isValidSecret(QStringView secret);
[[nodiscard]] bool isValidItemId(QStringView id);
//! A blob name: the SHA-256 of its bytes as 64 lower-case hex digits.
[[nodiscard]] bool isValidBlobHash(QStringView hash);
//! The blob name of these bytes.
[[nodiscard]] QString blobHashOf(QByteArrayView bytes);
[[nodiscard]] bool isValidRoomName(QStringView room);
//! Display names and chat: no control characters except newline and tab in chat.
[[nodiscard]] bool isValidDisplayName(QStringView name);

//! An item id a client makes: "<client id>:<n>".
[[nodiscard]] QString makeItemId(const QString &client, quint64 number);
/** The client an item id names as its maker and the number after it, when it is "<client id>:<n>" (n a whole
 *  number from 1 to 2^53, in plain decimal); nullopt otherwise. */
struct ItemIdParts
{
    QStringView client;
    quint64 number = 0;
};
[[nodiscard]] std::optional<ItemIdParts> splitItemId(QStringView id);
/** Does id belong to client (does it start with "<client>:")? Every add must create an item under its own client's
 *  prefix, unless it brings back an item its maker made before (docs/PROTOCOL.md, "Identity and item ids"). */
[[nodiscard]] bool isOwnItemId(QStringView id, QStringView client);

} // namespace inkroom::proto
