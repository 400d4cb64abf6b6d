#pragma once

#include <QtGlobal>

#include <vector>

namespace inkroom::bench {

/** @brief Latencies in microseconds, counted in log-linear buckets (exact below 1 ms, then 128 buckets per
 * doubling: every percentile is within 0.8 % of the true value). Adding is one increment, merging is a sum.
 */
class Histogram
{
public:
    Histogram();

    void add(quint64 micros);
    void merge(const Histogram &other);
    void clear();

    [[nodiscard]] quint64 count() const { return m_count; }
    //! The value at quantile q (0..1), in microseconds; 0 when empty.
    [[nodiscard]] double quantile(double q) const;
    [[nodiscard]] quint64 max() const { return m_max; }
    [[nodiscard]] double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }

private:
    [[nodiscard]] static int bucketOf(quint64 micros);
    [[nodiscard]] static quint64 bucketMiddle(int bucket);

    std::vector<quint64> m_buckets;
    quint64 m_count = 0;
    quint64 m_sum = 0;
    quint64 m_max = 0;
};

} // namespace inkroom::bench
