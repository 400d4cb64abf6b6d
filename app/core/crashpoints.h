#pragma once

namespace inkroom::client {

/** @brief Named steps of the outbox at which the crash tests kill the process.
 *
 * INKROOM_CRASH_AT="STEP:N" makes the N-th passage through STEP (counting from 1) end the process with SIGKILL,
 * exactly as a crash or a power cut would end it there: no destructor runs, no queued write is finished. Unset (as
 * always outside the tests), crashPoint() is one load and one branch.
 *
 * The steps, in the order an op meets them: "number" (cseq given, journal write queued), "durable" (the journal
 * says the op is on disk), "send" (just after it went to the socket), "ack" (its ack arrived, before anything was
 * settled), "settle" (removed from the outbox, the removal queued), "welcome" (a welcome arrived, before settling
 * by acked), "catchup" (an op of the catch-up arrived), "journal" (on the journal's thread, right after a commit).
 */
void crashPoint(const char *step);

} // namespace inkroom::client
