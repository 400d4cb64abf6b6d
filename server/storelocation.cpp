#include "storelocation.h"

#include <QDir>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

//! libpq parameters a URI's query may set besides host, port, user, password and dbname: security and timeouts.
const QStringList kPostgresOptions = {u"sslmode"_s,
                                      u"sslcert"_s,
                                      u"sslkey"_s,
                                      u"sslrootcert"_s,
                                      u"sslcrl"_s,
                                      u"connect_timeout"_s,
                                      u"application_name"_s,
                                      u"target_session_attrs"_s,
                                      u"passfile"_s,
                                      u"keepalives_idle"_s,
                                      u"keepalives_interval"_s,
                                      u"keepalives_count"_s};

QString decoded(const QString &text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

bool parsePort(const QString &text, int *port, QString *error)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 1 || value > 65535) {
        *error = u"'%1' is not a port number"_s.arg(text);
        return false;
    }
    *port = value;
    return true;
}

std::optional<StoreLocation> parsePostgres(const QString &afterScheme, QString *error)
{
    StoreLocation location;
    location.kind = StoreLocation::Kind::Postgres;
    QString rest = afterScheme;
    QString query;
    if (const qsizetype mark = rest.indexOf(u'?'); mark >= 0) {
        query = rest.mid(mark + 1);
        rest.truncate(mark);
    }
    QString authority = rest;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.left(slash);
        location.dbname = decoded(rest.mid(slash + 1));
    }
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        const QString userInfo = authority.left(at);
        authority = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        location.user = decoded(colon >= 0 ? userInfo.left(colon) : userInfo);
        if (colon >= 0)
            location.password = decoded(userInfo.mid(colon + 1));
    }
    QString portText;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0) {
            *error = u"an IPv6 address in brackets lacks its ']'"_s;
            return std::nullopt;
        }
        location.host = authority.mid(1, close - 1);
        const QString after = authority.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':')) {
            *error = u"'%1' follows the host"_s.arg(after);
            return std::nullopt;
        }
        portText = after.mid(1);
    } else {
        const qsizetype colon = authority.lastIndexOf(u':');
        location.host = decoded(colon >= 0 ? authority.left(colon) : authority);
        if (colon >= 0)
            portText = authority.mid(colon + 1);
    }
    if (!portText.isEmpty() && !parsePort(portText, &location.port, error))
        return std::nullopt;
    for (const QString &pair : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0) {
            *error = u"'%1' in the query is not key=value"_s.arg(pair);
            return std::nullopt;
        }
        const QString key = decoded(pair.left(equals));
        const QString value = decoded(pair.mid(equals + 1));
        if (key == "host"_L1) {
            location.host = value;
        } else if (key == "port"_L1) {
            if (!parsePort(value, &location.port, error))
                return std::nullopt;
        } else if (key == "user"_L1) {
            location.user = value;
        } else if (key == "password"_L1) {
            location.password = value;
        } else if (key == "dbname"_L1) {
            location.dbname = value;
        } else if (kPostgresOptions.contains(key)) {
            // QPSQL joins its options with ';' and libpq's values would need quoting: keep them plain.
            if (value.contains(u';') || value.contains(u' ') || value.contains(u'\'') || value.contains(u'\\')) {
                *error = u"the value of %1 holds a character it may not (';', ' ', quote or backslash)"_s.arg(key);
                return std::nullopt;
            }
            location.options << key + u'=' + value;
        } else {
            *error = u"'%1' is not a connection parameter this server passes on (known: host, port, user, "
                     "password, dbname, %2)"_s.arg(key, kPostgresOptions.join(u", "_s));
            return std::nullopt;
        }
    }
    return location;
}

} // namespace

StoreLocation StoreLocation::sqlite(const QString &path)
{
    StoreLocation location;
    location.path = path;
    return location;
}

std::optional<StoreLocation> StoreLocation::parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith("sqlite:"_L1)) {
        QString path = trimmed.mid(7);
        if (path.startsWith("//"_L1))
            path = path.mid(2);
        if (path.isEmpty()) {
            *error = u"sqlite: names no file (sqlite:/path/to/inkroom.sqlite)"_s;
            return std::nullopt;
        }
        return sqlite(path == ":memory:"_L1 ? path : QDir::cleanPath(QDir::current().absoluteFilePath(path)));
    }
    for (const QLatin1StringView scheme : {"postgresql://"_L1, "postgres://"_L1}) {
        if (trimmed.startsWith(scheme))
            return parsePostgres(trimmed.mid(scheme.size()), error);
    }
    *error = u"'%1' is neither sqlite:PATH nor a postgresql:// URI"_s.arg(
        trimmed.contains(u'@') ? u"(a URI with a password)"_s : trimmed);
    return std::nullopt;
}

QString StoreLocation::describe() const
{
    if (kind == Kind::Sqlite)
        return path;
    QString text = u"postgresql://"_s;
    if (!user.isEmpty())
        text += user + u'@';
    const bool socketDirectory = host.startsWith(u'/');
    if (!socketDirectory)
        text += host.contains(u':') ? u'[' + host + u']' : host;
    if (port > 0)
        text += u':' + QString::number(port);
    text += u'/' + dbname;
    QStringList query;
    if (socketDirectory)
        query << u"host="_s + host;
    query << options;
    if (!query.isEmpty())
        text += u'?' + query.join(u'&');
    return text;
}

} // namespace inkroom::server
