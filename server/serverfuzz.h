#pragma once

#include <cstddef>
#include <cstdint>

namespace inkroom::server {

/** @brief The server's fuzz entry point, shaped for LLVMFuzzerTestOneInput: decoded messages through the server's
 * own handling, without sockets.
 *
 * A detached Server (no socket, no files: its database in memory, small limits so they are reached) gets four
 * client connections. The input is a script, one message per line: "N>" before a line (N from 0 to 3) sends it on
 * connection N (0 otherwise); a line "N>~" is that client going away, and a new one takes its place (as does a new
 * client for a connection the server closed). After each message the server finishes what it started (password
 * checks, commits, queued output, compaction). Everything the server sends must decode, and at the end every room
 * in memory must match the room loaded from its database; otherwise it aborts, so a fuzzer reports it. Returns 0.
 *
 * Needs a QCoreApplication. Deterministic: no timers run, rate limits are off, at most 256 lines are read.
 */
int fuzzServerMessages(const std::uint8_t *data, std::size_t size);

} // namespace inkroom::server
