#include "ratelimiter.h"

#include <algorithm>

namespace inkroom::server {

namespace {
//! An excess episode ends after this long without excess.
constexpr qint64 kCalmMs = 1000;
} // namespace

RateLimiter::RateLimiter(double ratePerSecond, int burst, int maxExcess)
    : m_bucket(ratePerSecond, double(std::max(burst, 1)))
    , m_maxExcess(std::max(maxExcess, 0))
{ }

RateLimiter::Verdict RateLimiter::take(qint64 nowMs)
{
    if (m_excess > 0 && nowMs - m_lastExcessMs >= kCalmMs)
        m_excess = 0;
    if (m_bucket.tryTake(nowMs))
        return Verdict::Allow;
    ++m_excess;
    m_lastExcessMs = nowMs;
    if (m_excess > m_maxExcess)
        return Verdict::Close;
    return m_excess == 1 ? Verdict::FirstExcess : Verdict::Excess;
}

} // namespace inkroom::server
