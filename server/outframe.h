#pragma once

#include "wsprotocol.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace inkroom::server {

/** @brief A message from the server framed once as a WebSocket frame (RFC 6455 5.2: final, binary, unmasked), so the
 *  same bytes go to every recipient.
 *
 * A server's frames are not masked, so a relayed message is byte for byte the same frame for each member of a room:
 * framing it once and sharing the bytes (QByteArray is implicitly shared) leaves a delivery with no copy and no
 * allocation of its own; the kernel's copy into the socket is the only one left.
 */
class OutFrame
{
public:
    OutFrame() = default;
    //! payload framed as one binary message.
    [[nodiscard]] static OutFrame binary(QByteArrayView payload);
    //! A ping with no payload.
    [[nodiscard]] static OutFrame ping();
    //! The pong that answers a ping with payload (at most 125 bytes, as a ping's is).
    [[nodiscard]] static OutFrame pong(QByteArrayView payload);
    /** A close frame with code and reason (cut to fit a control frame, on a character boundary); ws::CloseNoStatus
     *  makes one without a payload, the answer to a close that had none. */
    [[nodiscard]] static OutFrame close(quint16 code, const QString &reason = {});

    //! The whole frame: header, then payload.
    [[nodiscard]] const QByteArray &bytes() const { return m_bytes; }
    [[nodiscard]] QByteArrayView payload() const { return QByteArrayView(m_bytes).sliced(m_headerSize); }
    [[nodiscard]] qsizetype payloadSize() const { return m_bytes.size() - m_headerSize; }
    [[nodiscard]] qsizetype size() const { return m_bytes.size(); }

    //! The size of the header of a frame carrying payloadSize bytes (2, 4 or 10).
    [[nodiscard]] static qsizetype headerSize(quint64 payloadSize);
    //! Write that header to out (room for 10 bytes; a final frame with opcode); returns its size.
    static qsizetype writeHeader(char *out, quint64 payloadSize, quint8 opcode = ws::OpBinary);

private:
    [[nodiscard]] static OutFrame make(quint8 opcode, QByteArrayView payload);

    QByteArray m_bytes;
    qsizetype m_headerSize = 0;
};

} // namespace inkroom::server
