#pragma once

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace inkroom {

/** @brief Tokens that come back at a steady rate, up to a capacity: the server's rate limit and the client's pacing
 *  are the same arithmetic, so a client that keeps to a smaller bucket than the server's is never over the limit.
 *
 * Time is passed in (milliseconds on any monotonic clock), so tests need no clock. take() may overdraw when asked to
 * (a message that must go now): the debt is paid back before anything else is allowed.
 */
class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double capacity)
        : m_rate(std::max(ratePerSecond, 0.001))
        , m_capacity(std::max(capacity, 1.0))
        , m_tokens(m_capacity)
    { }

    [[nodiscard]] double rate() const { return m_rate; }
    [[nodiscard]] double capacity() const { return m_capacity; }

    //! The tokens there are at nowMs (negative: a debt).
    [[nodiscard]] double tokens(qint64 nowMs)
    {
        refill(nowMs);
        return m_tokens;
    }

    //! Take one token if there is one.
    [[nodiscard]] bool tryTake(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

    //! Take amount tokens if there are that many (a byte budget: one token a byte or a KiB).
    [[nodiscard]] bool tryTake(qint64 nowMs, double amount)
    {
        refill(nowMs);
        if (m_tokens < amount)
            return false;
        m_tokens -= amount;
        return true;
    }

    /** Take amount tokens once there are min(amount, capacity) of them: an amount larger than the capacity goes when
     *  the bucket is full and leaves a debt, paid back before anything else is taken. */
    [[nodiscard]] bool tryTakeOverdrawing(qint64 nowMs, double amount)
    {
        refill(nowMs);
        if (m_tokens < std::min(amount, m_capacity))
            return false;
        m_tokens -= amount;
        return true;
    }

    //! Milliseconds from nowMs until tryTakeOverdrawing(amount) would take them (0: now).
    [[nodiscard]] qint64 msUntilOverdrawing(qint64 nowMs, double amount)
    {
        refill(nowMs);
        const double need = std::min(amount, m_capacity);
        if (m_tokens >= need)
            return 0;
        return qint64(std::ceil((need - m_tokens) * 1000.0 / m_rate));
    }

    //! Take one token whether or not there is one (down to a debt of at most the capacity).
    void take(qint64 nowMs)
    {
        refill(nowMs);
        m_tokens = std::max(m_tokens - 1.0, -m_capacity);
    }

    //! Milliseconds from nowMs until a token is there (0: now).
    [[nodiscard]] qint64 msUntilToken(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens >= 1.0)
            return 0;
        return qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate));
    }

private:
    void refill(qint64 nowMs)
    {
        if (m_lastMs >= 0 && nowMs > m_lastMs)
            m_tokens = std::min(m_capacity, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = std::max(m_lastMs, nowMs);
    }

    double m_rate;
    double m_capacity;
    double m_tokens;
    qint64 m_lastMs = -1;
};

} // namespace inkroom
