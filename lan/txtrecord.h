#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace inkroom::lan {

//! The DNS-SD service type every Inkroom server announces (docs/PROTOCOL.md, "Discovery on the local network").
inline constexpr char ServiceType[] = "_inkroom._tcp";
//! DNS-SD instance names are at most 63 bytes of UTF-8.
inline constexpr int MaxServiceNameBytes = 63;

/** @brief What a server says about itself in its DNS-SD TXT record: small, and the same while it runs (rooms are
 *  asked for over the WebSocket with list_rooms, never announced). */
struct Announcement
{
    QString name; //!< the display name as the server was given it (the instance name may be a renamed copy)
    int protocol = 0; //!< the protocol version it speaks
    bool tls = true; //!< wss:// (false: ws://, --insecure)
    QString fingerprint; //!< "AB:CD:..." (formatFingerprint), empty without TLS
    bool tokenNeeded = false; //!< joining and list_rooms need the server's join token

    [[nodiscard]] bool operator==(const Announcement &other) const = default;
};

//! The TXT record's strings ("key=value"), in a fixed order.
[[nodiscard]] QList<QByteArray> toTxt(const Announcement &announcement);
/** The announcement in a TXT record, or nullopt (and why, in *problem) when it is not one: no protocol version, a
 *  TLS server without a valid fingerprint. Unknown keys are ignored, so later versions may add some. */
[[nodiscard]] std::optional<Announcement> fromTxt(const QList<QByteArray> &txt, QString *problem = nullptr);

//! name cut to at most maxBytes of UTF-8 at a character boundary, trimmed; "Inkroom" when nothing is left.
[[nodiscard]] QString serviceName(const QString &name, int maxBytes = MaxServiceNameBytes);

} // namespace inkroom::lan
