#include "fingerprint.h"

using namespace Qt::StringLiterals;

namespace inkroom::proto {

namespace {
constexpr qsizetype kDigestBytes = 32;
} // namespace

QString formatFingerprint(const QByteArray &sha256)
{
    if (sha256.size() != kDigestBytes)
        return {};
    return QString::fromLatin1(sha256.toHex(':').toUpper());
}

QString normaliseFingerprint(QStringView text)
{
    QStringView rest = text.trimmed();
    for (const QLatin1StringView prefix : {"sha256:"_L1, "sha256/"_L1, "sha-256:"_L1}) {
        if (rest.startsWith(prefix, Qt::CaseInsensitive)) {
            rest = rest.mid(prefix.size()).trimmed();
            break;
        }
    }
    QByteArray hex;
    hex.reserve(2 * kDigestBytes);
    for (const QChar c : rest) {
        if (c == u':' || c == u' ')
            continue;
        const bool digit = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!digit || hex.size() >= 2 * kDigestBytes)
            return {};
        hex.append(char(c.unicode()));
    }
    if (hex.size() != 2 * kDigestBytes)
        return {};
    return formatFingerprint(QByteArray::fromHex(hex));
}

} // namespace inkroom::proto
