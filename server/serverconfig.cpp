#include "serverconfig.h"

#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
//! A refusal kept in place of an op while a join is decided: a reject with a cseq and a fixed sentence.
constexpr qint64 kKeptRefusalBytes = 512;
constexpr qint64 kMiB = 1024 * 1024;
//! A client's largest message with the fields the server adds when it relays it.
constexpr qint64 kLargestRelayedBytes = limits::MaxClientMessageBytes + 64 * 1024;
} // namespace

qint64 queueBytesPerConnection(const ServerConfig &config)
{
    // Output past the cap is refused before it is queued, except one message to a client with nothing unsent: the
    // largest one outside a catch-up is a member's op as the server relays it.
    return std::max<qint64>(config.maxOutputBytes, kLargestRelayedBytes) + std::max<qint64>(config.maxDeferredBytes, 0)
        + std::max(config.maxDeferredMessages, 0) * kKeptRefusalBytes + ReadBufferBytes + limits::MaxClientMessageBytes
        + LaneWaitingBytes;
}

bool queuesFitBudget(const ServerConfig &config, QString *error)
{
    const qint64 need = qint64(std::max(config.maxConnections, 1)) * queueBytesPerConnection(config);
    if (need <= config.queueBudgetBytes)
        return true;
    if (error) {
        *error = u"%1 connections may queue up to %2 MiB each (%3 MiB in all), more than the memory budget of %4 "
                 "MiB: lower --max-connections or --max-output-mib, or raise --memory-budget-mib"_s
                     .arg(config.maxConnections)
                     .arg(double(queueBytesPerConnection(config)) / kMiB, 0, 'f', 1)
                     .arg((need + kMiB - 1) / kMiB)
                     .arg(config.queueBudgetBytes / kMiB);
    }
    return false;
}

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
