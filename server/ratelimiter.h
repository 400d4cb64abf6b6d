#pragma once

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
    [[nodiscard]] double tokens() const { return m_tokens; }

private:
    double m_rate;
    double m_burst;
    int m_maxExcess;
    double m_tokens;
    qint64 m_lastRefillMs = -1;
    int m_excess = 0;
    qint64 m_lastExcessMs = 0;
};

} // namespace inkroom::server
