#pragma once

#include "tokenbucket.h"

#include <QElapsedTimer>

#include <algorithm>
#include <optional>

namespace inkroom::client {

/** @brief Keeps what this client sends within the server's rate limits, so that nothing is refused for its rate.
 *
 * The welcome says the server's limits: messages (rate a second, burst) and the bytes of ops (opByteRate a second,
 * opByteBurst). The pacer keeps to 90 % of each rate and half of each burst, which leaves room for clocks that differ
 * and messages that arrive bunched up. Ops and volatile updates take message tokens from the same bucket; ops take
 * their bytes as well (an op larger than half the byte burst goes once that half is full, and its debt is paid back
 * before the next one). Volatile updates wait when there is no token (they are coalesced meanwhile), and the few
 * messages that must go at once (hello, profile, typing) may overdraw. Without a limit from the server, nothing waits.
 */
class Pacer
{
public:
    static constexpr double RateShare = 0.9;
    static constexpr double BurstShare = 0.5;

    Pacer() { m_clock.start(); }

    //! The server's limits (from the welcome); a rate <= 0: none of that kind.
    void configure(double serverRate, int serverBurst, double serverByteRate = 0, qint64 serverByteBurst = 0)
    {
        if (serverRate <= 0 || serverBurst <= 0)
            m_bucket.reset();
        else
            m_bucket.emplace(serverRate * RateShare, std::max(1.0, double(serverBurst) * BurstShare));
        if (serverByteRate <= 0 || serverByteBurst <= 0)
            m_bytes.reset();
        else
            m_bytes.emplace(serverByteRate * RateShare, std::max(1.0, double(serverByteBurst) * BurstShare));
    }
    [[nodiscard]] bool isLimited() const { return m_bucket.has_value(); }
    //! Messages a second this client keeps to (0: no limit).
    [[nodiscard]] double rate() const { return m_bucket ? m_bucket->rate() : 0.0; }
    //! Bytes of ops a second this client keeps to (0: no limit).
    [[nodiscard]] double byteRate() const { return m_bytes ? m_bytes->rate() : 0.0; }

    //! Take a message token, and bytes of the byte budget for an op of that many bytes (0: not an op).
    [[nodiscard]] bool tryTake(qint64 bytes = 0)
    {
        const qint64 now = m_clock.elapsed();
        if (m_bucket && m_bucket->tokens(now) < 1.0)
            return false;
        if (bytes > 0 && m_bytes && !m_bytes->tryTakeOverdrawing(now, double(bytes)))
            return false;
        if (m_bucket)
            m_bucket->take(now);
        return true;
    }
    void take()
    {
        if (m_bucket)
            m_bucket->take(m_clock.elapsed());
    }
    //! Milliseconds until tryTake(bytes) would succeed (0: now).
    [[nodiscard]] qint64 msUntilToken(qint64 bytes = 0)
    {
        const qint64 now = m_clock.elapsed();
        const qint64 token = m_bucket ? m_bucket->msUntilToken(now) : 0;
        const qint64 byteWait = bytes > 0 && m_bytes ? m_bytes->msUntilOverdrawing(now, double(bytes)) : 0;
        return std::max(token, byteWait);
    }

private:
    QElapsedTimer m_clock;
    std::optional<TokenBucket> m_bucket;
    std::optional<TokenBucket> m_bytes;
};

} // namespace inkroom::client
