#pragma once

#include "outframe.h"

#include <QList>
#include <QPointer>
#include <QTcpSocket>

namespace inkroom::server {

class TlsSocket;

/** @brief A connection's way out: the frames queued during one event-loop turn, written to its transport together.
 *
 * Frames are shared with every other recipient of the same message (no copy before the kernel's). At the turn's end
 * a plain socket gets them with one sendmsg() per up to 128 frames, straight to the kernel while Qt's buffer for it
 * is empty; a TlsSocket gets them as one write (TlsSocket::writeFrames()). Only what the kernel does not take waits
 * in the transport's own buffer. Frames of 64 KiB and more (snapshot chunks) skip the queue and go at once.
 */
class FrameOutput
{
public:
    //! transport: a plain QTcpSocket or a TlsSocket, or nullptr (nothing is written).
    explicit FrameOutput(QTcpSocket *transport);

    /** Queue frame for the end of this turn (or write it at once when it is large, after what is queued). Returns
     *  true when it is the first frame queued this turn: the caller has flush() called at the turn's end. */
    [[nodiscard]] bool queue(const OutFrame &frame);
    //! Write the frames queued this turn.
    void flush();
    //! Bytes sent but not yet taken by the kernel: queued this turn and in the transport's buffer.
    [[nodiscard]] qint64 unsent() const { return m_queued + transportPending(); }
    //! A plain TCP transport, whose bytesWritten() must reach onBytesWritten() (a TlsSocket counts its own).
    [[nodiscard]] bool isPlain() const { return m_plain; }
    //! The transport wrote some of its buffer (its bytesWritten()).
    void onBytesWritten();

private:
    //! Bytes in the transport's own buffer (waiting for the kernel).
    [[nodiscard]] qint64 transportPending() const;
    //! Write to the kernel without the socket's buffer when that is safe; returns the bytes written (maybe 0).
    qsizetype writeDirect(const char *data, qsizetype size);
    /** writeDirect() for the queued frames, with one sendmsg() per kMaxVectors of them; *first, *offset: the first
     *  frame the kernel did not take whole, and how much of it it took. */
    qsizetype writeFramesDirect(qsizetype *first, qsizetype *offset);
    //! Push what the transport buffered to the kernel now.
    void flushTransport();
    //! The transport as a TlsSocket (only when m_tls and it is still there).
    [[nodiscard]] TlsSocket *tlsTransport() const;
    //! Can the plain transport be written to without its buffer?
    [[nodiscard]] bool canWriteDirect() const;

    QPointer<QTcpSocket> m_transport;
    bool m_tls = false; //!< a TlsSocket
    bool m_plain = false; //!< a plain TCP socket: writeDirect() may bypass its buffer
    QList<QByteArray> m_frames; //!< whole frames queued this turn
    qint64 m_queued = 0; //!< bytes in m_frames
    //! What the plain transport's buffer held after the last write into it (it only shrinks until the next one).
    qint64 m_transportPending = 0;
};

} // namespace inkroom::server
