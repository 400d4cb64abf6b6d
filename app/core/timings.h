#pragma once

namespace inkroom::client {

/** @brief Every time the client core waits for something, in one place.
 *
 * The defaults are what a user on a flaky Wi-Fi wants; tests shrink them so a run takes seconds.
 */
struct Timings
{
    //! Reconnect backoff: the first delay, doubling per failed attempt up to the cap.
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;
    //! The random part of each delay: a delay d is drawn from [d * (1 - jitter), d], so that clients that lost
    //! the same server at the same moment do not all come back at the same moment.
    double backoffJitter = 0.5;
    //! After this long online the backoff starts again from the first delay.
    int stableAfterMs = 10000;
    /** Give up (Failed, Unreachable) after this many attempts in a row that never reached the server (refused, no
     *  route, timed out, TLS failed), rather than counting attempts forever; 0: never. With the default backoff that
     *  is one to two minutes of waiting between attempts, more when each attempt waits for its timeout. */
    int giveUpAfterAttempts = 10;

    //! A WebSocket ping goes out this often while connected; the pong gives the round-trip time.
    int pingIntervalMs = 3000;
    //! No pong and no message for this long: the link is dead (even when TCP says nothing), reconnect.
    int deadAfterMs = 10000;
    //! The TCP connection, the WebSocket handshake and the server's welcome must all happen within this.
    int connectTimeoutMs = 10000;

    //! Own live stroke points and cursor moves go out at most this often (about 30 Hz).
    int liveIntervalMs = 33;
    //! Somebody else's live stroke with no update for this long is dropped.
    int liveStaleMs = 10000;
    //! A live stroke that ended stays drawn this long while its add op is on its way.
    int liveEndGraceMs = 3000;

    //! Own typing indicator: switched off after this long without a keystroke, refreshed while typing.
    int typingTimeoutMs = 5000;
    int typingRefreshMs = 3000;
    //! Somebody else's typing indicator with no refresh for this long goes away.
    int typingExpireMs = 8000;
    //! A member who has shown no activity for this long is "away".
    int idleAfterMs = 5 * 60 * 1000;
    //! A member whose connection ended stays listed as away this long (they may be reconnecting).
    int leftGraceMs = 30000;

    //! At most this many ops are sent and not yet acknowledged; the rest wait (with the pacing of the server's rate
    //! limit, this keeps a long offline spell's resend from flooding the link).
    int maxInFlight = 32;
    //! After a transient refusal (rate limit, storage): the pause before sending again, doubling up to the cap.
    int retryInitialMs = 250;
    int retryMaxMs = 8000;
    //! A journal that cannot be written is tried again this often.
    int journalRetryMs = 5000;
    //! The resume point (epoch, seq) is written to the journal at most this often.
    int resumeSaveMs = 1000;
    /** The host's connection lost for this long (not back by itself): follow the room to its standby, and the standby
     *  takes it over (docs/PROTOCOL.md, "Handing a room over"). */
    int failoverAfterMs = 3000;
};

} // namespace inkroom::client
