#pragma once

#include <QtGlobal>

//! Hard limits of the protocol. Both sides enforce them: the decoder rejects anything past them, so a
//! value that decodes is a value every peer can store and draw.
namespace inkroom::limits {

//! The TCP port servers listen on and links mean when they name none.
inline constexpr quint16 DefaultPort = 7420;

//! Largest message a client may send to a server, in bytes (a full stroke fits many times over).
inline constexpr qint64 MaxClientMessageBytes = 1024 * 1024;
//! Largest message a server sends; snapshots are split into chunks well below it.
inline constexpr qint64 MaxServerMessageBytes = 16 * 1024 * 1024;

inline constexpr int MaxPointsPerItem = 10000;
inline constexpr int MaxPointsPerLive = 2000;
inline constexpr int MaxIdsPerOp = 10000;
//! Points in one laser message (a client sends its trail every few dozen milliseconds).
inline constexpr int MaxPointsPerLaser = 100;
inline constexpr int MaxItemsPerSnapshotChunk = 1000;
inline constexpr int MaxMembersPerWelcome = 1000;
//! Rooms one `rooms` answer lists (the busiest first); a server with more leaves the rest out.
inline constexpr int MaxRoomsListed = 200;

inline constexpr int MaxNameLength = 40;
inline constexpr int MaxRoomLength = 64;
inline constexpr int MaxPasswordLength = 256;
inline constexpr int MaxTokenLength = 256;
inline constexpr int MinClientIdLength = 8;
inline constexpr int MaxClientIdLength = 64;
//! A client secret: at least 128 bits written in base64url (22 characters), at most 128 characters.
inline constexpr int MinSecretLength = 22;
inline constexpr int MaxSecretLength = 128;
inline constexpr int MaxItemIdLength = 100;
inline constexpr int MaxEpochLength = 64;
inline constexpr int MaxChatLength = 4000;
inline constexpr int MaxTextItemLength = 10000;
inline constexpr int MaxErrorMessageLength = 1000;
//! A rollback undoes at most this many of one person's latest ops.
inline constexpr int MaxRollbackOps = 1000;

//! Ops in one history_page, and board items in one of its parts (a history request's limit is at most this).
inline constexpr int MaxOpsPerHistoryPage = 1000;
//! The parts a history's starting board may be sent in (a history request's part is below it).
inline constexpr int MaxHistoryParts = 1000000;

//! Board coordinates are within +-MaxCoordinate; anything larger is an error, not a drawing.
inline constexpr double MaxCoordinate = 1.0e6;
//! A move may carry an item from one edge of the board to the other, no further.
inline constexpr double MaxMoveDelta = 2.0 * MaxCoordinate;
//! A view's width and height, in board units: from a window of a pixel at the highest zoom to the whole board.
inline constexpr double MinViewSize = 0.01;
inline constexpr double MaxViewSize = 2.0 * MaxCoordinate;
inline constexpr double MinWidth = 0.1;
inline constexpr double MaxWidth = 500.0;
//! An item's opacity: faint, never invisible.
inline constexpr double MinOpacity = 0.1;
inline constexpr double MaxOpacity = 1.0;

//! The rate limit a welcome may announce: messages a second, and a burst. A server's own limit must stay within them,
//! or its welcome does not decode.
inline constexpr double MaxRate = 1.0e6;
inline constexpr int MaxBurst = 1 << 30;
//! welcome.opByteRate (bytes a second) and welcome.opByteBurst (bytes): at most 2^40.
inline constexpr double MaxOpByteRate = 1099511627776.0;
inline constexpr qint64 MaxOpByteBurst = qint64(1) << 40;

//! Sequence numbers stay below it: a JSON double holds every whole number below 2^53 exactly, and rounds 2^53 + 1 to
//! 2^53, so a value of 2^53 is refused (it may not be what was sent).
inline constexpr quint64 MaxSequence = (quint64(1) << 53);
//! A stacking order (an item's z, a restack's values) is a whole number within +-MaxStackOrder: sequences stay below
//! MaxSequence, and a JSON double holds every whole number of that size exactly.
inline constexpr qint64 MaxStackOrder = qint64(MaxSequence) - 1;
//! A client's cseq may run at most this far ahead of the highest one the room has committed for it (cseq_ahead).
inline constexpr quint64 MaxCseqAhead = quint64(1) << 20;

//! Images (docs/PROTOCOL.md, "Images"): the bytes of one image, and of one chunk of it in a blob_put or blob_data.
inline constexpr qint64 MaxBlobBytes = 10 * 1024 * 1024;
inline constexpr qint64 MaxBlobChunkBytes = 512 * 1024;
//! An image's pixels: each side, and the whole. Clients scale larger pictures down before they upload them.
inline constexpr int MaxImageSide = 4096;
inline constexpr qint64 MaxImagePixels = 16 * 1024 * 1024;
//! A room's copy (docs/PROTOCOL.md, "Handing a room over"): ops, chat messages and client records in one replica.
inline constexpr int MaxReplicaEntries = 1000;
//! An address a room moves to (moved.url, standby.url).
inline constexpr int MaxUrlLength = 300;
//! A blob is named by the SHA-256 of its bytes, in lower-case hex.
inline constexpr int BlobHashLength = 64;

} // namespace inkroom::limits
