#include "wshandshake.h"

#include <QCryptographicHash>
#include <QList>

using namespace Qt::StringLiterals;

namespace inkroom::server::ws {

namespace {

constexpr QByteArrayView kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

RequestVerdict refuse(int status, const QString &why)
{
    RequestVerdict verdict;
    verdict.status = status;
    verdict.why = why;
    return verdict;
}

//! Does the comma-separated header value list hold token (case-insensitive)?
bool listHas(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        if (value.sliced(start, end - start).trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    default:
        return "Error";
    }
}

} // namespace

qsizetype requestEnd(QByteArrayView buffer)
{
    const qsizetype at = buffer.indexOf("\r\n\r\n");
    return at < 0 ? -1 : at + 4;
}

RequestVerdict parseUpgradeRequest(QByteArrayView head)
{
    if (head.size() > MaxRequestBytes)
        return refuse(431, u"the handshake is longer than %1 bytes"_s.arg(MaxRequestBytes));
    // The request line: GET <target> HTTP/1.1 (RFC 6455 4.2.1: at least 1.1).
    const qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView line = head.first(lineEnd < 0 ? head.size() : lineEnd);
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1.") || parts.at(1).isEmpty())
        return refuse(400, u"not an HTTP/1.1 request"_s);
    if (parts.at(0) != "GET")
        return refuse(405, u"a WebSocket handshake is a GET request"_s);
    if (parts.at(2) == "HTTP/1.0")
        return refuse(400, u"a WebSocket handshake needs HTTP/1.1"_s);

    QByteArrayView upgrade, connection, version, key, origin;
    qsizetype at = lineEnd + 2;
    while (at < head.size()) {
        qsizetype end = head.indexOf("\r\n", at);
        if (end < 0)
            end = head.size();
        const QByteArrayView header = head.sliced(at, end - at);
        at = end + 2;
        if (header.isEmpty())
            break;
        const qsizetype colon = header.indexOf(':');
        // No space before the colon (RFC 9112, 5.1), and no folded lines.
        if (colon <= 0 || header.at(colon - 1) == ' ' || header.at(colon - 1) == '\t' || header.at(0) == ' '
            || header.at(0) == '\t')
            return refuse(400, u"a malformed header line"_s);
        const QByteArrayView name = header.first(colon);
        const QByteArrayView value = header.sliced(colon + 1).trimmed();
        auto is = [&name](QByteArrayView wanted) { return name.compare(wanted, Qt::CaseInsensitive) == 0; };
        auto once = [&value](QByteArrayView *slot) {
            if (!slot->isNull())
                return false;
            *slot = value.isNull() ? QByteArrayView("") : value;
            return true;
        };
        bool unique = true;
        if (is("Upgrade"))
            unique = once(&upgrade);
        else if (is("Connection"))
            unique = once(&connection);
        else if (is("Sec-WebSocket-Version"))
            unique = once(&version);
        else if (is("Sec-WebSocket-Key"))
            unique = once(&key);
        else if (is("Origin"))
            unique = once(&origin);
        if (!unique)
            return refuse(400, u"the header %1 is sent twice"_s.arg(QString::fromLatin1(name)));
    }

    if (upgrade.isNull() || !listHas(upgrade, "websocket"))
        return refuse(426, u"this is a WebSocket server: send Upgrade: websocket"_s);
    if (connection.isNull() || !listHas(connection, "upgrade"))
        return refuse(400, u"the handshake needs Connection: Upgrade"_s);
    if (version != "13")
        return refuse(426, u"only WebSocket version 13 is spoken here"_s);
    if (QByteArray::fromBase64(key.toByteArray()).size() != 16 || key.size() != 24)
        return refuse(400, u"Sec-WebSocket-Key is not 16 bytes in base64"_s);

    UpgradeRequest request;
    request.key = key.toByteArray();
    request.origin = QString::fromUtf8(origin);
    RequestVerdict verdict;
    verdict.request = std::move(request);
    return verdict;
}

QByteArray acceptFor(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(kGuid);
    return hash.result().toBase64();
}

QByteArray switchingProtocols(QByteArrayView key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + acceptFor(key) + "\r\n\r\n";
}

QByteArray refusal(int status, const QString &why)
{
    const QByteArray body = why.toUtf8() + '\n';
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (status == 426)
        response += "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
    return response;
}

} // namespace inkroom::server::ws
