#include "ratelimiter.h"

#include <algorithm>

namespace inkroom::server {

namespace {
//! An excess episode ends after this long without excess.
constexpr qint64 kCalmMs = 1000;
} // namespace

RateLimiter::RateLimiter(double ratePerSecond, int burst, int maxExcess)
    : m_rate(std::max(ratePerSecond, 0.001))
    , m_burst(std::max(burst, 1))
    , m_maxExcess(std::max(maxExcess, 0))
    , m_tokens(m_burst)
{ }

RateLimiter::Verdict RateLimiter::take(qint64 nowMs)
{
    if (m_lastRefillMs >= 0 && nowMs > m_lastRefillMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastRefillMs) * m_rate / 1000.0);
    m_lastRefillMs = std::max(m_lastRefillMs, nowMs);

    if (m_excess > 0 && nowMs - m_lastExcessMs >= kCalmMs)
        m_excess = 0;
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return Verdict::Allow;
    }
    ++m_excess;
    m_lastExcessMs = nowMs;
    if (m_excess > m_maxExcess)
        return Verdict::Close;
    return m_excess == 1 ? Verdict::FirstExcess : Verdict::Excess;
}

} // namespace inkroom::server
