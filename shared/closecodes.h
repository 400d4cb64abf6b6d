#pragma once

#include <QtGlobal>

namespace inkroom::proto {

/** @brief WebSocket close codes Inkroom uses, and whether a client should try again after each.
 *
 * 1000-1011 are the standard codes; 4000-4999 are Inkroom's own. A close is always preceded by an Error message
 * (fatal: true) when the server has something to explain.
 */
enum class CloseCode : quint16 {
    Normal = 1000, //!< the peer is done
    GoingAway = 1001, //!< the server is shutting down: reconnect with backoff
    ProtocolError = 1002, //!< the WebSocket framing was invalid
    InvalidData = 1007, //!< a text frame was not valid UTF-8 (sent by the WebSocket layer)
    Policy = 1008, //!< rate limit kept being exceeded: reconnect with backoff
    TooBig = 1009, //!< a frame or message exceeded the size limit
    InternalError = 1011, //!< the server could not open or create the room (a database failure): retry with backoff
    BadHello = 4000, //!< the first message was not a valid hello
    UnsupportedVersion = 4001, //!< do not retry: the peers speak different protocol versions
    WrongPassword = 4003, //!< do not retry: the room's password is wrong
    RoomFull = 4004, //!< do not retry: the room has its maximum number of members
    ServerFull = 4005, //!< the server has its maximum number of connections: retry later
    Replaced = 4006, //!< do not retry: the same client id connected again
    HandshakeTimeout = 4008, //!< no hello in time: reconnect
    SlowConsumer = 4009, //!< the client stopped reading and its output grew past the cap: reconnect
    BadToken = 4010, //!< do not retry: the server's join token is missing or wrong
    TooManyAttempts = 4011, //!< do not retry now: too many failed passwords from this address
    HeartbeatTimeout = 4012, //!< no sign of life in time: reconnect
    BadSecret = 4013, //!< do not retry: this client id belongs to another installation (its secret did not match)
    Busy = 4020, //!< the server is busy checking other passwords (too many queued, or from this address): retry later
    BoardsFull = 4021, //!< the room's board does not fit beside the boards the server has in memory: retry later
    StoreLost = 4022, //!< the server lost its database mid-commit: reconnect, send again what was not acknowledged
    RoomClosed = 4030, //!< do not retry: the host closed the room for everyone (the error's message says who)
    RoomMoved = 4031, //!< do not retry here: the room moved (a moved message before it says where to follow it)
    NotServing = 4032, //!< this server does not serve the room yet (a standby about to take over): retry later
    Removed = 4040, //!< do not retry by itself: an owner removed this client from the room (it may join again)
    Banned = 4041, //!< do not retry: an owner banned this client id from the room
};

//! Can retrying fix what this close code reports? (Unknown codes: yes, with backoff.)
[[nodiscard]] constexpr bool isRetryable(quint16 code)
{
    switch (CloseCode(code)) {
    case CloseCode::UnsupportedVersion:
    case CloseCode::WrongPassword:
    case CloseCode::RoomFull:
    case CloseCode::Replaced:
    case CloseCode::BadToken:
    case CloseCode::TooManyAttempts:
    case CloseCode::BadHello:
    case CloseCode::BadSecret:
    case CloseCode::Removed:
    case CloseCode::Banned:
    case CloseCode::RoomClosed:
    case CloseCode::RoomMoved:
        return false;
    default:
        return true;
    }
}

} // namespace inkroom::proto
