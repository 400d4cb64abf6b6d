#pragma once

#include "wsprotocol.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>

class QIODevice;

namespace inkroom::server::ws {

//! Is bytes well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)?
[[nodiscard]] bool isValidUtf8(const char *bytes, qsizetype size);

/** @brief Reads a client's WebSocket frames (RFC 6455, 5) from a device and puts messages together, one event at a
 * time.
 *
 * It reads no byte it does not need: a frame's header, then its payload straight into the message being put together
 * (unmasked in place), so a message costs one copy out of the socket's buffer. Everything a server must refuse is
 * refused here, before any payload is read where the header tells: a frame without a mask, reserved bits or
 * opcodes, a fragmented or long control frame, a continuation with nothing to continue or a new message inside one
 * (1002), a message past the size limit (1009, as soon as a header announces it), a text message or close reason
 * that is not UTF-8 (1007). After a violation it only drains: it skips every frame, unread, except the peer's close,
 * which it still reports (so the close handshake ends cleanly, with nothing left unread that would turn the
 * server's close into a reset); a stream it cannot follow any more is skipped whole.
 */
class FrameReader
{
public:
    struct Event
    {
        enum Kind {
            NeedMore, //!< everything the device held is taken; a frame may be part read
            Message, //!< a whole message: payload (text says which kind it came as)
            Ping, //!< payload: to send back in a pong
            Pong,
            Close, //!< the peer's close: code (CloseNoStatus without one) and reason
            Violation //!< code: the status to close with; reason: what was wrong, for the log
        };
        Kind kind = NeedMore;
        QByteArray payload;
        bool text = false;
        quint16 code = 0;
        QString reason;
    };

    explicit FrameReader(qint64 maxMessageBytes);

    //! Read from device until one event is complete or the device has nothing more.
    [[nodiscard]] Event next(QIODevice *device);
    //! Bytes of the frame being read still to come (0 between frames); a read buffer needs them and the next header.
    [[nodiscard]] quint64 frameRemaining() const { return m_state == State::Payload ? m_remaining : 0; }
    //! Frames read whole since the last call (a sign of life; the bytes of a frame that never ends are not).
    [[nodiscard]] int takeFramesRead() { return std::exchange(m_framesRead, 0); }
    //! A violation was reported: nothing but the peer's close comes any more.
    [[nodiscard]] bool hasFailed() const { return m_draining; }

    //! The most a client frame's header takes: 2 bytes, 8 of length, 4 of mask.
    static constexpr int MaxHeaderBytes = 14;

private:
    enum class State {
        Header,
        Payload,
        Skip, //!< draining: the rest of a frame, skipped
        Lost //!< draining a stream that cannot be followed: everything is skipped
    };
    //! A violation found once the frame's header is read (its payload, of m_remaining bytes, is skipped) or, with
    //! lost, one after which the frames cannot be followed.
    Event fail(quint16 code, const QString &why, bool lost = false);
    //! The header is whole in m_header: check it and set the frame up; a violation or a control frame without payload
    //! may end it at once.
    bool startFrame(Event *event);
    //! The frame's payload is whole: what it means.
    Event endFrame();

    const qint64 m_maxMessageBytes;
    State m_state = State::Header;
    char m_header[MaxHeaderBytes] = {};
    int m_headerHave = 0;
    int m_headerNeed = 2;
    // The frame being read.
    quint8 m_opcode = 0;
    bool m_final = false;
    quint64 m_remaining = 0;
    quint8 m_mask[4] = {};
    quint64 m_maskOffset = 0;
    QByteArray m_control; //!< a control frame's payload
    // The message being put together.
    bool m_inMessage = false;
    bool m_text = false;
    QByteArray m_message;
    qsizetype m_messageSize = 0;
    int m_framesRead = 0;
    bool m_draining = false;
};

} // namespace inkroom::server::ws
