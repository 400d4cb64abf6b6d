#include "wsframereader.h"

#include <QIODevice>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace inkroom::server::ws {

namespace {

//! A message in one frame up to this size gets its buffer when its header arrives; a larger one as its bytes do.
constexpr quint64 kPresizeBytes = 64 * 1024;

//! XOR size bytes at data with the mask, the first of them being byte offset of the frame's payload.
void unmask(char *data, qsizetype size, const quint8 mask[4], quint64 offset)
{
    // Rotate the key so it starts where this piece does, then go a word at a time.
    quint8 key[8];
    for (int i = 0; i < 8; ++i)
        key[i] = mask[(offset + quint64(i)) & 3];
    quint64 word;
    memcpy(&word, key, 8);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 chunk;
        memcpy(&chunk, data + i, 8);
        chunk ^= word;
        memcpy(data + i, &chunk, 8);
    }
    for (; i < size; ++i)
        data[i] = char(quint8(data[i]) ^ key[i & 7]);
}

//! A close code a peer may send (RFC 6455 7.4: the defined ones that may appear on the wire, and 3000-4999).
bool isValidCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    switch (code) {
    case 1000:
    case 1001:
    case 1002:
    case 1003:
    case 1007:
    case 1008:
    case 1009:
    case 1010:
    case 1011:
    case 1012: // service restart, try again later, bad gateway: registered with IANA since RFC 6455
    case 1013:
    case 1014:
        return true;
    default:
        return false;
    }
}

} // namespace

bool isValidUtf8(const char *bytes, qsizetype size)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes);
    qsizetype i = 0;
    while (i < size) {
        // ASCII a word at a time: most of what clients send.
        if (i + 8 <= size) {
            quint64 chunk;
            memcpy(&chunk, s + i, 8);
            if ((chunk & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        unsigned char low = 0x80; // the range of the second byte (RFC 3629, 4)
        unsigned char high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0)
                low = 0xA0; // no overlong forms
            else if (c == 0xED)
                high = 0x9F; // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0)
                low = 0x90;
            else if (c == 0xF4)
                high = 0x8F; // nothing past U+10FFFF
        } else {
            return false;
        }
        if (size - i < length)
            return false;
        if (s[i + 1] < low || s[i + 1] > high)
            return false;
        for (int k = 2; k < length; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += length;
    }
    return true;
}

FrameReader::FrameReader(qint64 maxMessageBytes)
    : m_maxMessageBytes(maxMessageBytes)
{ }

FrameReader::Event FrameReader::fail(quint16 code, const QString &why, bool lost)
{
    m_draining = true;
    m_state = lost ? State::Lost : m_remaining > 0 ? State::Skip : State::Header;
    m_inMessage = false;
    m_message = {};
    m_control = {};
    Event event;
    event.kind = Event::Violation;
    event.code = code;
    event.reason = why;
    return event;
}

FrameReader::Event FrameReader::next(QIODevice *device)
{
    while (true) {
        if (m_state == State::Lost || m_state == State::Skip) {
            const qint64 n = device->skip(m_state == State::Lost ? device->bytesAvailable() : qint64(m_remaining));
            if (n <= 0)
                return {};
            if (m_state == State::Lost)
                continue;
            m_remaining -= quint64(n);
            if (m_remaining == 0)
                m_state = State::Header;
            continue;
        }
        if (m_state == State::Header) {
            const qint64 n = device->read(m_header + m_headerHave, m_headerNeed - m_headerHave);
            if (n <= 0)
                return {};
            m_headerHave += int(n);
            if (m_headerHave < m_headerNeed)
                return {};
            if (m_headerNeed == 2) {
                // Now the length's form and the mask say how long the header is.
                const auto second = quint8(m_header[1]);
                const int lengthBytes = (second & 0x7F) == 126 ? 2 : (second & 0x7F) == 127 ? 8 : 0;
                m_headerNeed = 2 + lengthBytes + ((second & 0x80) ? 4 : 0);
                if (m_headerNeed > 2)
                    continue;
            }
            Event event;
            if (startFrame(&event))
                return event;
            continue;
        }
        // The payload: straight into the message (or the control frame's buffer), then unmasked there.
        const bool control = (m_opcode & 0x8) != 0;
        qint64 want = qint64(m_remaining);
        if (!control) {
            want = std::min(want, device->bytesAvailable());
            if (want <= 0)
                return {};
            if (m_message.size() < m_messageSize + want)
                m_message.resize(m_messageSize + want); // grows geometrically
        }
        char *target =
            control ? m_control.data() + (m_control.size() - qsizetype(m_remaining)) : m_message.data() + m_messageSize;
        const qint64 n = device->read(target, want);
        if (n <= 0)
            return {};
        unmask(target, qsizetype(n), m_mask, m_maskOffset);
        m_maskOffset += quint64(n);
        m_remaining -= quint64(n);
        if (!control)
            m_messageSize += qsizetype(n);
        if (m_remaining == 0) {
            Event event = endFrame();
            if (event.kind != Event::NeedMore)
                return event;
        }
    }
}

bool FrameReader::startFrame(Event *event)
{
    const auto first = quint8(m_header[0]);
    const auto second = quint8(m_header[1]);
    m_final = (first & 0x80) != 0;
    m_opcode = first & 0x0F;
    quint64 length = second & 0x7F;
    int at = 2;
    if (length == 126) {
        length = (quint64(quint8(m_header[2])) << 8) | quint8(m_header[3]);
        at = 4;
    } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(m_header[2 + i]);
        at = 10;
    }
    m_headerHave = 0;
    m_headerNeed = 2;

    if (length >> 63) {
        if (m_draining) {
            // Nothing to report: the rest is skipped in this same call, so NeedMore still means nothing is left.
            m_state = State::Lost;
            return false;
        }
        *event = fail(CloseProtocolError, u"a frame length with its highest bit set"_s, true);
        return true;
    }
    if (m_draining) {
        // Only a well-formed close is read; the rest is skipped.
        m_remaining = length;
        if (m_opcode == OpClose && m_final && length <= quint64(MaxControlPayload) && (second & 0x80)) {
            memcpy(m_mask, m_header + at, 4);
            m_maskOffset = 0;
            m_control = QByteArray(qsizetype(length), Qt::Uninitialized);
            m_state = State::Payload;
            if (length == 0) {
                *event = endFrame();
                return true;
            }
            return false;
        }
        m_state = length > 0 ? State::Skip : State::Header;
        return false;
    }
    m_remaining = length;
    if (first & 0x70) {
        *event = fail(CloseProtocolError, u"reserved bits set in a frame (no extension was agreed)"_s);
        return true;
    }
    if (!(second & 0x80)) {
        *event = fail(CloseProtocolError, u"a frame without a mask (RFC 6455, 5.1)"_s);
        return true;
    }
    memcpy(m_mask, m_header + at, 4);
    m_maskOffset = 0;

    switch (m_opcode) {
    case OpClose:
    case OpPing:
    case OpPong:
        if (!m_final) {
            *event = fail(CloseProtocolError, u"a fragmented control frame"_s);
            return true;
        }
        if (length > quint64(MaxControlPayload)) {
            *event = fail(CloseProtocolError, u"a control frame of %1 bytes (at most 125)"_s.arg(length));
            return true;
        }
        m_control = QByteArray(qsizetype(length), Qt::Uninitialized);
        break;
    case OpContinuation:
    case OpText:
    case OpBinary:
        if (m_opcode == OpContinuation && !m_inMessage) {
            *event = fail(CloseProtocolError, u"a continuation frame with no message to continue"_s);
            return true;
        }
        if (m_opcode != OpContinuation && m_inMessage) {
            *event = fail(CloseProtocolError, u"a new message before the last one ended"_s);
            return true;
        }
        if (m_opcode != OpContinuation) {
            m_inMessage = true;
            m_text = m_opcode == OpText;
            m_messageSize = 0;
        }
        if (length > quint64(m_maxMessageBytes - m_messageSize)) {
            *event = fail(CloseTooBig,
                          u"a message of more than %1 bytes (the most a client may send)"_s.arg(m_maxMessageBytes));
            return true;
        }
        // A small message in one frame gets exactly its size at once; anything else grows as its bytes arrive, so
        // a header that announces a megabyte costs nothing until the megabyte comes.
        if (m_messageSize == 0 && m_final && length <= kPresizeBytes)
            m_message = QByteArray(qsizetype(length), Qt::Uninitialized);
        break;
    default:
        *event = fail(CloseProtocolError, u"a frame with the reserved opcode %1"_s.arg(m_opcode));
        return true;
    }
    m_state = State::Payload;
    if (length == 0) {
        *event = endFrame();
        return event->kind != Event::NeedMore;
    }
    return false;
}

FrameReader::Event FrameReader::endFrame()
{
    m_state = State::Header;
    ++m_framesRead;
    Event event;
    switch (m_opcode) {
    case OpPing:
        event.kind = Event::Ping;
        event.payload = std::exchange(m_control, {});
        return event;
    case OpPong:
        m_control = {};
        event.kind = Event::Pong;
        return event;
    case OpClose: {
        const QByteArray payload = std::exchange(m_control, {});
        if (m_draining) {
            // The peer's answer to our close: its code does not matter any more.
            event.kind = Event::Close;
            event.code = CloseNoStatus;
            return event;
        }
        if (payload.size() == 1)
            return fail(CloseProtocolError, u"a close frame with a one-byte payload"_s);
        event.kind = Event::Close;
        event.code = CloseNoStatus;
        if (payload.size() >= 2) {
            event.code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
            if (!isValidCloseCode(event.code))
                return fail(CloseProtocolError,
                            u"a close frame with the code %1, which may not be sent"_s.arg(event.code));
            if (!isValidUtf8(payload.constData() + 2, payload.size() - 2))
                return fail(CloseBadData, u"a close reason that is not UTF-8"_s);
            event.reason = QString::fromUtf8(payload.constData() + 2, payload.size() - 2);
        }
        return event;
    }
    default:
        break;
    }
    if (!m_final)
        return event; // NeedMore: the message goes on in the next frame
    m_inMessage = false;
    if (m_message.size() != m_messageSize)
        m_message.resize(m_messageSize);
    if (m_message.capacity() > m_messageSize + m_messageSize / 4)
        m_message.squeeze(); // what grew as it arrived keeps no slack on its way through the server
    if (m_text && !isValidUtf8(m_message.constData(), m_message.size()))
        return fail(CloseBadData, u"a text message that is not UTF-8"_s);
    event.kind = Event::Message;
    event.text = m_text;
    event.payload = std::exchange(m_message, {});
    m_messageSize = 0;
    return event;
}

} // namespace inkroom::server::ws
