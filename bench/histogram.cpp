#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace inkroom::bench {

namespace {
constexpr int kLinear = 1024; //!< values below this have a bucket each
constexpr int kSubBits = 7; //!< 128 buckets per doubling above that
constexpr int kSub = 1 << kSubBits;
constexpr int kMaxExponent = 40; //!< about 12 days: anything longer is clamped
constexpr int kBuckets = kLinear + (kMaxExponent - 10 + 1) * kSub;
} // namespace

Histogram::Histogram()
    : m_buckets(size_t(kBuckets), 0)
{ }

int Histogram::bucketOf(quint64 micros)
{
    if (micros < quint64(kLinear))
        return int(micros);
    const int exponent = std::min(int(std::bit_width(micros)) - 1, kMaxExponent); // >= 10
    const quint64 sub = (micros >> (exponent - kSubBits)) & quint64(kSub - 1);
    return std::min(kLinear + (exponent - 10) * kSub + int(sub), kBuckets - 1);
}

quint64 Histogram::bucketMiddle(int bucket)
{
    if (bucket < kLinear)
        return quint64(bucket);
    const int exponent = 10 + (bucket - kLinear) / kSub;
    const quint64 sub = quint64((bucket - kLinear) % kSub);
    const quint64 low = (quint64(1) << exponent) + (sub << (exponent - kSubBits));
    return low + (quint64(1) << (exponent - kSubBits)) / 2;
}

void Histogram::add(quint64 micros)
{
    ++m_buckets[size_t(bucketOf(micros))];
    ++m_count;
    m_sum += micros;
    m_max = std::max(m_max, micros);
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
}

void Histogram::clear()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = m_sum = m_max = 0;
}

double Histogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    const auto rank = quint64(std::ceil(std::clamp(q, 0.0, 1.0) * double(m_count)));
    quint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<quint64>(rank, 1))
            return double(std::min(bucketMiddle(int(i)), m_max));
    }
    return double(m_max);
}

} // namespace inkroom::bench
