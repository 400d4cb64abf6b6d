#pragma once

#include <QRandomGenerator>

namespace inkroom::client {

/** @brief Exponential reconnect backoff with jitter.
 *
 * The n-th delay after a reset is initial * 2^(n-1), capped at max, of which a random fraction (jitter) is taken
 * off. A pure value: the Session owns the timers.
 */
class Backoff
{
public:
    struct Params
    {
        int initialMs = 500;
        int maxMs = 30000;
        double jitter = 0.5;
    };

    Backoff();
    explicit Backoff(Params params, quint32 seed = QRandomGenerator::global()->generate());

    void setParams(Params params) { m_params = params; }
    [[nodiscard]] const Params &params() const { return m_params; }

    //! The delay before the next attempt; counts the attempt.
    [[nodiscard]] int nextDelayMs();
    //! The delay without jitter for the n-th attempt (n >= 1).
    [[nodiscard]] int baseDelayMs(int attempt) const;
    //! How many delays were handed out since the last reset.
    [[nodiscard]] int attempts() const { return m_attempts; }
    void reset() { m_attempts = 0; }

private:
    Params m_params;
    QRandomGenerator m_random;
    int m_attempts = 0;
};

} // namespace inkroom::client
