#include "joincode.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace inkroom::proto {

namespace {
constexpr QLatin1StringView kAlphabet("23456789ABCDEFGHJKLMNPQRSTUVWXYZ");
constexpr int kLength = 6;
} // namespace

QString joinCode(const QString &serverIdentity, const QString &room)
{
    const QByteArray digest = QCryptographicHash::hash(
        QString(u"inkroom-join-code\n"_s + serverIdentity + u'\n' + room).toUtf8(), QCryptographicHash::Sha256);
    quint64 bits = 0;
    for (int i = 0; i < 4; ++i)
        bits = (bits << 8) | quint8(digest.at(i));
    QString code;
    for (int i = 0; i < kLength; ++i) {
        code.append(kAlphabet.at(qsizetype(bits & 31)));
        bits >>= 5;
        if (i == 2)
            code.append(u'-');
    }
    return code;
}

QString normaliseJoinCode(const QString &typed)
{
    QString symbols;
    for (const QChar c : typed) {
        if (c.isSpace() || c == u'-')
            continue;
        const QChar upper = c.toUpper();
        if (!kAlphabet.contains(upper))
            return {};
        symbols.append(upper);
    }
    if (symbols.size() != kLength)
        return {};
    return symbols.left(3) + u'-' + symbols.mid(3);
}

} // namespace inkroom::proto
