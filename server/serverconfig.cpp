#include "serverconfig.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace inkroom::server {

QString normaliseOrigin(const QString &origin)
{
    const QString trimmed = origin.trimmed();
    if (trimmed.compare("null"_L1, Qt::CaseInsensitive) == 0)
        return u"null"_s;
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.userInfo().isEmpty()
        || (!url.path().isEmpty() && url.path() != "/"_L1) || url.hasQuery() || url.hasFragment())
        return {};
    const QString scheme = url.scheme().toLower();
    const int defaultPort = scheme == "https"_L1 || scheme == "wss"_L1 ? 443
        : scheme == "http"_L1 || scheme == "ws"_L1                     ? 80
                                                                       : -1;
    QUrl normal;
    normal.setScheme(scheme);
    normal.setHost(url.host().toLower());
    if (url.port() != -1 && url.port() != defaultPort)
        normal.setPort(url.port());
    return normal.toString(QUrl::FullyEncoded);
}

} // namespace inkroom::server
