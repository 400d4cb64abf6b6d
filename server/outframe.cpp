#include "outframe.h"

#include <algorithm>
#include <cstring>

namespace inkroom::server {

qsizetype OutFrame::headerSize(quint64 payloadSize)
{
    return payloadSize < 126 ? 2 : payloadSize <= 0xffff ? 4 : 10;
}

qsizetype OutFrame::writeHeader(char *out, quint64 size, quint8 opcode)
{
    out[0] = char(0x80 | opcode); // FIN
    if (size < 126) {
        out[1] = char(size);
        return 2;
    }
    if (size <= 0xffff) {
        out[1] = char(126);
        out[2] = char(size >> 8);
        out[3] = char(size);
        return 4;
    }
    out[1] = char(127);
    for (int i = 0; i < 8; ++i)
        out[2 + i] = char(size >> (8 * (7 - i)));
    return 10;
}

OutFrame OutFrame::binary(QByteArrayView payload)
{
    return make(ws::OpBinary, payload);
}

OutFrame OutFrame::ping()
{
    return make(ws::OpPing, {});
}

OutFrame OutFrame::pong(QByteArrayView payload)
{
    return make(ws::OpPong, payload.first(std::min(payload.size(), ws::MaxControlPayload)));
}

OutFrame OutFrame::close(quint16 code, const QString &reason)
{
    if (code == ws::CloseNoStatus)
        return make(ws::OpClose, {});
    QByteArray payload(2, Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code);
    // Whole characters only: the reason must stay UTF-8 (RFC 6455, 5.5.1).
    qsizetype length = 0;
    const QByteArray text = reason.toUtf8();
    for (qsizetype i = 0; i < text.size();) {
        qsizetype next = i + 1;
        while (next < text.size() && (quint8(text.at(next)) & 0xC0) == 0x80)
            ++next;
        if (2 + next > ws::MaxControlPayload)
            break;
        length = next;
        i = next;
    }
    payload += text.first(length);
    return make(ws::OpClose, payload);
}

OutFrame OutFrame::make(quint8 opcode, QByteArrayView payload)
{
    OutFrame frame;
    const auto size = quint64(payload.size());
    frame.m_headerSize = headerSize(size);
    frame.m_bytes.resize(frame.m_headerSize + payload.size());
    writeHeader(frame.m_bytes.data(), size, opcode);
    if (!payload.isEmpty())
        memcpy(frame.m_bytes.data() + frame.m_headerSize, payload.data(), size_t(payload.size()));
    return frame;
}

} // namespace inkroom::server
