#pragma once

#include "tokenbucket.h"

#include <QtGlobal>

namespace inkroom::server {

/** @brief A token bucket with a burst, and a count of how long a sender has kept going past it.
 *
 * Each message takes one token; tokens come back at ratePerSecond up to burst. A message that finds no token is
 * excess: the caller drops it. The first excess of an episode is reported as FirstExcess (the sender gets a warning),
 * and an episode ends after a full second without excess. More than maxExcess excess messages in one episode give
 * Close. Time is passed in, so tests need no clock.
 */
class RateLimiter
{
public:
    enum class Verdict {
        Allow,
        FirstExcess,
        Excess,
        Close
    };

    RateLimiter(double ratePerSecond, int burst, int maxExcess);

    [[nodiscard]] Verdict take(qint64 nowMs);
    [[nodiscard]] double tokens(qint64 nowMs) { return m_bucket.tokens(nowMs); }

private:
    TokenBucket m_bucket;
    int m_maxExcess;
    int m_excess = 0;
    qint64 m_lastExcessMs = 0;
};

} // namespace inkroom::server
