#include "knownservers.h"

#include "fingerprint.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

constexpr auto kServers = "servers";
constexpr auto kSha256 = "sha256";

QJsonObject readServers(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1StringView(kServers)).toObject();
}

} // namespace

KnownServers::KnownServers(const QString &path)
    : m_path(path)
{ }

QString KnownServers::keyFor(const QUrl &server)
{
    // One server, one key, however its address is spelt: otherwise a new spelling is a server met for the first
    // time, and trusting it would accept a changed certificate. A name loses its trailing dots (the root: the same
    // name); an address is written the one way QHostAddress writes it, and an IPv4-mapped IPv6 address
    // (::ffff:192.0.2.7) as the IPv4 address it is. Names and addresses cannot be tied without DNS; they stay apart.
    QString host = server.host(QUrl::FullyEncoded).toLower();
    while (host.endsWith(u'.'))
        host.chop(1);
    if (QHostAddress address; address.setAddress(host)) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        host = isV4 ? QHostAddress(v4).toString() : address.toString().toLower();
    }
    const QString bracketed = host.contains(u':') ? u'[' + host + u']' : host;
    return bracketed + u':' + QString::number(server.port(server.scheme() == "ws"_L1 ? 80 : 443));
}

QHash<QString, QString> KnownServers::read() const
{
    QHash<QString, QString> pins = m_memory;
    if (m_path.isEmpty())
        return pins;
    const QJsonObject servers = readServers(m_path);
    for (auto it = servers.begin(); it != servers.end(); ++it) {
        const QString fingerprint =
            proto::normaliseFingerprint(it.value().toObject().value(QLatin1StringView(kSha256)).toString());
        if (!fingerprint.isEmpty())
            pins.insert(it.key(), fingerprint);
    }
    return pins;
}

QString KnownServers::fingerprintFor(const QString &key) const
{
    return read().value(key);
}

bool KnownServers::remember(const QString &key, const QString &fingerprint, QString *error)
{
    const QString normal = proto::normaliseFingerprint(fingerprint);
    if (normal.isEmpty()) {
        if (error)
            *error = u"'%1' is not a SHA-256 fingerprint"_s.arg(fingerprint);
        return false;
    }
    m_memory.insert(key, normal);
    return update(
        [&key, &normal](QJsonObject &servers) {
            servers.insert(key,
                           QJsonObject {{QLatin1StringView(kSha256), normal},
                                        {u"trusted"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}});
        },
        error);
}

bool KnownServers::forget(const QString &key, QString *error)
{
    m_memory.remove(key);
    return update([&key](QJsonObject &servers) { servers.remove(key); }, error);
}

bool KnownServers::update(const std::function<void(QJsonObject &)> &change, QString *error)
{
    if (m_path.isEmpty())
        return true;
    const auto failed = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return failed(u"cannot create the folder of %1"_s.arg(m_path));
    // Another window or inkroom-cli may be trusting a server at the same moment: read, change and write under a lock.
    QLockFile lock(m_path + u".lock"_s);
    if (!lock.tryLock(5000))
        return failed(u"%1 is locked by another process"_s.arg(m_path));
    QJsonObject servers = readServers(m_path);
    change(servers);
    QSaveFile file(m_path);
    const QByteArray bytes = QJsonDocument(QJsonObject {{QLatin1StringView(kServers), servers}}).toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return failed(u"cannot write %1: %2"_s.arg(m_path, file.errorString()));
    // The pins in the file take over from the ones in memory.
    m_memory.clear();
    return true;
}

} // namespace inkroom::client
