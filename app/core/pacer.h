#pragma once

#include "tokenbucket.h"

#include <QElapsedTimer>

#include <optional>

namespace inkroom::client {

/** @brief Keeps what this client sends within the server's rate limit, so that nothing is refused for its rate.
 *
 * The welcome says the server's limit (rate a second, burst); the pacer keeps to 90 % of the rate and half the burst,
 * which leaves room for clocks that differ and messages that arrive bunched up. Ops and volatile updates take
 * tokens from the same bucket; volatile updates wait when there is none (they are coalesced meanwhile), and the few
 * messages that must go at once (hello, profile, typing) may overdraw it. Without a limit from the server, nothing
 * waits.
 */
class Pacer
{
public:
    static constexpr double RateShare = 0.9;
    static constexpr double BurstShare = 0.5;

    Pacer() { m_clock.start(); }

    //! The server's limit (from the welcome); rate <= 0: none.
    void configure(double serverRate, int serverBurst)
    {
        if (serverRate <= 0 || serverBurst <= 0) {
            m_bucket.reset();
            return;
        }
        m_bucket.emplace(serverRate * RateShare, std::max(1.0, double(serverBurst) * BurstShare));
    }
    [[nodiscard]] bool isLimited() const { return m_bucket.has_value(); }
    //! Messages a second this client keeps to (0: no limit).
    [[nodiscard]] double rate() const { return m_bucket ? m_bucket->rate() : 0.0; }

    [[nodiscard]] bool tryTake() { return !m_bucket || m_bucket->tryTake(m_clock.elapsed()); }
    void take()
    {
        if (m_bucket)
            m_bucket->take(m_clock.elapsed());
    }
    [[nodiscard]] qint64 msUntilToken() { return m_bucket ? m_bucket->msUntilToken(m_clock.elapsed()) : 0; }

private:
    QElapsedTimer m_clock;
    std::optional<TokenBucket> m_bucket;
};

} // namespace inkroom::client
