#include "addressrotation.h"

#include <algorithm>

namespace inkroom::client {

void AddressRotation::reset(const QList<QUrl> &urls)
{
    m_urls = urls;
    m_index = std::max<qsizetype>(0, m_urls.indexOf(m_preferred));
    newRound();
}

void AddressRotation::clear()
{
    m_urls.clear();
    m_index = 0;
    m_leftInRound = 0;
}

void AddressRotation::answered()
{
    m_preferred = current();
}

bool AddressRotation::advance()
{
    if (m_urls.isEmpty())
        return false;
    m_index = int((m_index + 1) % m_urls.size());
    if (m_leftInRound <= 0)
        return false;
    --m_leftInRound;
    return true;
}

void AddressRotation::newRound()
{
    m_leftInRound = int(m_urls.size()) - 1;
}

} // namespace inkroom::client
