#pragma once

#include <QString>

namespace inkroom::proto {

/** @brief Join codes: a room on a server as six characters a person can read aloud ("K7F-Q2M"); the link stays as
 *  it is. The code is derived from the server's identity and the room's name, so the host's app shows it without
 *  asking anybody, and a joining app finds the room by computing the code of every room it sees on the network.
 *
 * Alphabet: 2-9 and A-Z without I and O (no look-alikes of 1 and 0): 32 symbols, 30 bits. Two rooms on one network
 * sharing a code is a one-in-a-billion chance per pair. docs/PROTOCOL.md ("Join codes") says how it is computed.
 */
//! The code of room on the server with this identity (its certificate's fingerprint; for a server without TLS, its
//! DNS-SD name), formatted "XXX-XXX".
[[nodiscard]] QString joinCode(const QString &serverIdentity, const QString &room);
//! What a person typed, as a code "XXX-XXX" (any case, spaces or a dash anywhere); empty when it is not one.
[[nodiscard]] QString normaliseJoinCode(const QString &typed);

} // namespace inkroom::proto

namespace inkroom::client {
// The client finds rooms by their codes; the server prints its rooms' codes when it starts.
using proto::joinCode;
using proto::normaliseJoinCode;
} // namespace inkroom::client
