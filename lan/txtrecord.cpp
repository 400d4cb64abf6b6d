#include "txtrecord.h"

#include "fingerprint.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace inkroom::lan {

namespace {
constexpr QByteArrayView kLayoutVersion = "1";
} // namespace

QList<QByteArray> toTxt(const Announcement &a)
{
    QList<QByteArray> txt {"txtvers=" + kLayoutVersion.toByteArray(), "protocol=" + QByteArray::number(a.protocol),
                           QByteArray("tls=") + (a.tls ? "1" : "0")};
    if (a.tls) {
        QByteArray hex = proto::normaliseFingerprint(a.fingerprint).toLatin1();
        hex.replace(':', QByteArray());
        txt.append("fp=" + hex.toLower());
    }
    txt.append("name=" + serviceName(a.name).toUtf8());
    txt.append(QByteArray("token=") + (a.tokenNeeded ? "1" : "0"));
    return txt;
}

std::optional<Announcement> fromTxt(const QList<QByteArray> &txt, QString *problem)
{
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &entry : txt) {
        const qsizetype eq = entry.indexOf('=');
        const QByteArray key = (eq < 0 ? entry : entry.left(eq)).toLower();
        if (!key.isEmpty() && !values.contains(key)) // RFC 6763 6.4: the first one counts
            values.insert(key, eq < 0 ? QByteArray() : entry.mid(eq + 1));
    }
    const auto fail = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    Announcement a;
    bool ok = false;
    a.protocol = values.value("protocol").toInt(&ok);
    if (!ok || a.protocol <= 0)
        return fail(u"no protocol version in the TXT record"_s);
    a.tls = values.value("tls", "1") != "0";
    if (a.tls) {
        a.fingerprint = proto::normaliseFingerprint(QString::fromLatin1(values.value("fp")));
        if (a.fingerprint.isEmpty())
            return fail(u"a TLS server without a valid fingerprint in its TXT record"_s);
    }
    a.name = QString::fromUtf8(values.value("name")).trimmed();
    a.tokenNeeded = values.value("token") == "1";
    return a;
}

QString serviceName(const QString &name, int maxBytes)
{
    QString cut = name.simplified();
    while (cut.toUtf8().size() > maxBytes) {
        cut.chop(1);
        if (!cut.isEmpty() && cut.back().isHighSurrogate())
            cut.chop(1);
    }
    cut = cut.trimmed();
    return cut.isEmpty() ? u"Inkroom"_s : cut;
}

} // namespace inkroom::lan
