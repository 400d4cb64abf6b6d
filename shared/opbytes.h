#pragma once

//! Encoded ops reused instead of encoded again: what a server makes of the bytes it has (protocol.cpp).

#include "protocol.h"

namespace inkroom::proto {

/** encode() of stamped, an add or update, made from unstamped: encode() of the same op without seq, client, author
 *  and time, the fields a server stamps (so an op can be encoded before it is ordered, off the server's thread, and
 *  stamped after). Any other op, or bytes not of that form, are encoded from stamped alone: the same bytes either
 *  way. */
[[nodiscard]] QByteArray encodeStamped(const Op &stamped, const QByteArray &unstamped);
/** The bytes of an item as encode() writes it in a snapshot (with its stacking order z), taken from opBytes, encode()
 *  of the add or update that put it on the board as it is: the op's item with z added, not encoded again. Empty
 *  when opBytes are not such an op. */
[[nodiscard]] QByteArray snapshotItemFromOp(const QByteArray &opBytes, qint64 z);

} // namespace inkroom::proto
