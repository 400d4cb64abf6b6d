#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace inkroom::server::ws {

//! The longest opening handshake a client may send (request line and headers); browsers send well under 2 KiB.
inline constexpr qsizetype MaxRequestBytes = 8 * 1024;

//! A client's opening handshake (RFC 6455, 4.2.1), as far as the server needs it.
struct UpgradeRequest
{
    QByteArray key; //!< Sec-WebSocket-Key, as sent
    QString origin; //!< the Origin header; empty: none (native clients send none)
};

//! What the server makes of a request: the upgrade, or the HTTP status to refuse it with and why.
struct RequestVerdict
{
    std::optional<UpgradeRequest> request;
    int status = 0; //!< when refused: 400, 405, 426 or 431
    QString why; //!< when refused, in words (the log and the response's body)
};

//! Where the request in buffer ends (past its empty line), or -1 while it has not ended.
[[nodiscard]] qsizetype requestEnd(QByteArrayView buffer);
//! Check head, a whole request up to and with its empty line (anything past MaxRequestBytes is refused with 431).
[[nodiscard]] RequestVerdict parseUpgradeRequest(QByteArrayView head);
//! Sec-WebSocket-Accept for key: base64(SHA-1(key + the RFC's GUID)).
[[nodiscard]] QByteArray acceptFor(QByteArrayView key);
//! The 101 response that completes the handshake.
[[nodiscard]] QByteArray switchingProtocols(QByteArrayView key);
//! An HTTP response refusing the upgrade with status, why as a plain-text body; the server closes after it.
[[nodiscard]] QByteArray refusal(int status, const QString &why);

} // namespace inkroom::server::ws
