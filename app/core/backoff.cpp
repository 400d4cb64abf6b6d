#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace inkroom::client {

Backoff::Backoff()
    : Backoff(Params())
{ }

Backoff::Backoff(Params params, quint32 seed)
    : m_params(params)
    , m_random(seed)
{ }

int Backoff::baseDelayMs(int attempt) const
{
    const int initial = std::max(1, m_params.initialMs);
    const int cap = std::max(initial, m_params.maxMs);
    // 2^(attempt-1) overflows quickly; stop doubling once past the cap.
    double delay = initial;
    for (int i = 1; i < attempt && delay < cap; ++i)
        delay *= 2;
    return int(std::min<double>(delay, cap));
}

int Backoff::nextDelayMs()
{
    ++m_attempts;
    const int base = baseDelayMs(m_attempts);
    const double jitter = std::clamp(m_params.jitter, 0.0, 1.0);
    const double delay = base * (1.0 - jitter * m_random.generateDouble());
    return std::max(1, int(std::lround(delay)));
}

} // namespace inkroom::client
