#pragma once

//! The authoritative list of Inkroom message types.
//!
//! Only append to the end. Never insert in between, reorder or remove an entry: the enum values, the
//! std::variant alternatives and the decoder's dispatch are all expanded from this one list.
//!
//! X(Type, "wire name")
#define INKROOM_MESSAGE_TYPES(X)                                                                                       \
    X(Hello, "hello")                                                                                                  \
    X(Welcome, "welcome")                                                                                              \
    X(Snapshot, "snapshot")                                                                                            \
    X(Synced, "synced")                                                                                                \
    X(Op, "op")                                                                                                        \
    X(Ack, "ack")                                                                                                      \
    X(Reject, "reject")                                                                                                \
    X(Presence, "presence")                                                                                            \
    X(Profile, "profile")                                                                                              \
    X(Cursor, "cursor")                                                                                                \
    X(Typing, "typing")                                                                                                \
    X(Live, "live")                                                                                                    \
    X(Error, "error")                                                                                                  \
    X(ListRooms, "list_rooms")                                                                                         \
    X(RoomList, "rooms")                                                                                               \
    X(History, "history")                                                                                              \
    X(HistoryPage, "history_page")                                                                                     \
    X(View, "view")                                                                                                    \
    X(Laser, "laser")                                                                                                  \
    X(Summon, "summon")                                                                                                \
    X(BlobOffer, "blob_offer")                                                                                         \
    X(BlobPut, "blob_put")                                                                                             \
    X(BlobStatus, "blob_status")                                                                                       \
    X(BlobGet, "blob_get")                                                                                             \
    X(BlobData, "blob_data")                                                                                           \
    X(Handover, "handover")                                                                                            \
    X(Replica, "replica")                                                                                              \
    X(ReplicaAck, "replica_ack")                                                                                       \
    X(Standby, "standby")                                                                                              \
    X(Moved, "moved")

//! Every error code the protocol knows, decode errors first. Append only.
//!
//! X(Code, "wire name", "what it means in plain words")
#define INKROOM_ERROR_CODES(X)                                                                                         \
    X(BadJson, "bad_json", "the bytes are not a JSON object")                                                          \
    X(UnknownType, "unknown_type", "the message type is not one this server knows")                                    \
    X(MissingField, "missing_field", "a required field is missing")                                                    \
    X(WrongType, "wrong_type", "a field has the wrong JSON type")                                                      \
    X(OutOfRange, "out_of_range", "a number is not finite or outside its allowed range")                               \
    X(TooLong, "too_long", "a string or list is longer than allowed")                                                  \
    X(TooManyPoints, "too_many_points", "an item or live stroke has too many points")                                  \
    X(BadValue, "bad_value", "a field's value is not one of the allowed ones")                                         \
    X(UnsupportedVersion, "unsupported_version", "the peer speaks an incompatible protocol version")                   \
    X(NotJoined, "not_joined", "the message needs a joined room first")                                                \
    X(AlreadyJoined, "already_joined", "this connection has already joined a room")                                    \
    X(WrongPassword, "wrong_password", "the room password is wrong")                                                   \
    X(RoomFull, "room_full", "the room has as many members as it allows")                                              \
    X(ServerFull, "server_full", "the server has as many connections as it allows")                                    \
    X(BoardFull, "board_full", "the board has as many items as it allows")                                             \
    X(RateLimited, "rate_limited", "too many messages too fast")                                                       \
    X(Replaced, "replaced", "the same client connected again elsewhere")                                               \
    X(BadToken, "bad_token", "the server's join token is missing or wrong")                                            \
    X(TooManyAttempts, "too_many_attempts", "too many failed password attempts; wait and try again")                   \
    X(Internal, "internal", "the server failed to store the change")                                                   \
    X(UnexpectedMessage, "unexpected_message", "the message is not valid in this direction or state")                  \
    X(BadSecret, "bad_secret", "this client id belongs to another installation: its secret is missing or wrong")       \
    X(CseqReused, "cseq_reused", "this cseq was already used for a different change")                                  \
    X(CseqAhead, "cseq_ahead", "the cseq is too far beyond the last one committed for this client")                    \
    X(NotYourItem, "not_your_item", "the item id belongs to another client")                                           \
    X(ItemExists, "item_exists", "an item with this id is already on the board")                                       \
    X(ServerBusy, "server_busy", "the server cannot take this change right now; send it again later")                  \
    X(HeldBack, "held_back", "an earlier change of this client was refused for the moment; this one waits for it")     \
    X(ViewOnly, "view_only", "you can only view this board: your role is viewer, or an owner locked the board")        \
    X(NotOwner, "not_owner", "only the room's owners may do this")                                                     \
    X(UnknownClient, "unknown_client", "the op names a client id that is not one this room knows")                     \
    X(Removed, "removed", "an owner removed you from the room")                                                        \
    X(Banned, "banned", "an owner banned you from this room")                                                          \
    X(HistoryGone, "history_gone", "the history from that point is no longer kept; start again from its beginning")    \
    X(RoomClosed, "room_closed", "the host closed the room for everyone")                                              \
    X(BlobMissing, "blob_missing", "the server does not have the image this change or request names")                  \
    X(BlobTooLarge, "blob_too_large", "the image is larger than the server allows")                                    \
    X(RoomImagesFull, "room_images_full", "the room holds as many image bytes as the server allows")                   \
    X(BadBlob, "bad_blob", "the uploaded bytes are not the image they claim to be")                                    \
    X(CannotServe, "cannot_serve", "that member's app cannot serve the room")                                          \
    X(RoomMoved, "room_moved", "the room moved to another member's computer")                                          \
    X(NotServing, "not_serving", "this server does not serve that room yet")
