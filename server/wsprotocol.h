#pragma once

#include <QtGlobal>

//! The numbers of RFC 6455 the server's WebSocket layer reads (FrameReader) and writes (OutFrame) by.
namespace inkroom::server::ws {

//! Frame opcodes (RFC 6455, 5.2); the rest are reserved.
enum Opcode : quint8 {
    OpContinuation = 0x0,
    OpText = 0x1,
    OpBinary = 0x2,
    OpClose = 0x8,
    OpPing = 0x9,
    OpPong = 0xA,
};

//! A control frame's payload is at most this long (RFC 6455, 5.5).
inline constexpr qsizetype MaxControlPayload = 125;

//! RFC 6455 7.4.1 status codes the server closes with (and 1005, which is never sent).
enum CloseStatus : quint16 {
    CloseNormal = 1000,
    CloseGoingAway = 1001,
    CloseProtocolError = 1002,
    CloseNoStatus = 1005, //!< never sent: a close frame without a code
    CloseBadData = 1007, //!< a text message or close reason that is not UTF-8
    CloseTooBig = 1009,
    CloseInternalError = 1011, //!< the server could not do what it must (its database failed)
};

} // namespace inkroom::server::ws
