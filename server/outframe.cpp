#include "outframe.h"

#include <cstring>

namespace inkroom::server {

qsizetype OutFrame::headerSize(quint64 payloadSize)
{
    return payloadSize < 126 ? 2 : payloadSize <= 0xffff ? 4 : 10;
}

qsizetype OutFrame::writeHeader(char *out, quint64 size)
{
    out[0] = char(0x82); // FIN, binary
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
    OutFrame frame;
    const auto size = quint64(payload.size());
    frame.m_headerSize = headerSize(size);
    frame.m_bytes.resize(frame.m_headerSize + payload.size());
    writeHeader(frame.m_bytes.data(), size);
    if (!payload.isEmpty())
        memcpy(frame.m_bytes.data() + frame.m_headerSize, payload.data(), size_t(payload.size()));
    return frame;
}

} // namespace inkroom::server
