#include "frameoutput.h"

#include "listener.h"
#include "tlssocket.h"
#include "turntrace.h"

#if defined(Q_OS_LINUX)
#include <sys/uio.h>
#endif

namespace inkroom::server {

namespace {
//! Messages at least this large (snapshot chunks) skip the turn's buffer: written at once, without a copy.
constexpr qsizetype kDirectWriteBytes = 64 * 1024;
//! Frames one sendmsg() hands the kernel at most.
constexpr int kMaxVectors = 128;
//! The list of queued frames is kept between turns up to this many slots (a few hundred bytes).
constexpr qsizetype kKeptFrameSlots = 16;
} // namespace

FrameOutput::FrameOutput(QTcpSocket *transport)
    : m_transport(transport)
    , m_tls(qobject_cast<TlsSocket *>(transport) != nullptr)
    , m_plain(transport && !m_tls)
    , m_transportPending(transport ? transport->bytesToWrite() : 0)
{ }

bool FrameOutput::queue(const OutFrame &frame)
{
    if (!m_transport)
        return false;
    if (frame.payloadSize() >= kDirectWriteBytes) {
        flush(); // what was queued goes first
        if (TlsSocket *tls = tlsTransport()) {
            tls->writeFrames({frame.bytes()});
            return false;
        }
        const QByteArray &bytes = frame.bytes();
        const qsizetype sent = writeDirect(bytes.constData(), bytes.size());
        if (sent < bytes.size()) {
            // The rest waits in the socket's buffer (shared with it when nothing was sent, not copied).
            m_transport->write(sent == 0 ? bytes : bytes.sliced(sent));
            flushTransport();
            m_transportPending = m_transport->bytesToWrite();
        }
        return false;
    }
    const bool first = m_frames.isEmpty();
    m_frames.append(frame.bytes());
    m_queued += frame.size();
    if (auto *trace = TurnTrace::active())
        trace->countDelivery();
    return first;
}

void FrameOutput::onBytesWritten()
{
    m_transportPending = m_transport ? m_transport->bytesToWrite() : 0;
}

bool FrameOutput::canWriteDirect() const
{
    return m_plain && m_transport && m_transport->bytesToWrite() == 0
        && m_transport->state() == QAbstractSocket::ConnectedState;
}

void FrameOutput::flush()
{
    if (m_frames.isEmpty())
        return;
    if (TlsSocket *tls = tlsTransport()) {
        tls->writeFrames(m_frames);
    } else if (m_transport) {
        qsizetype first = 0; // the first frame not wholly sent
        qsizetype offset = 0; // bytes of it that were
        writeFramesDirect(&first, &offset);
        if (first < m_frames.size()) {
            const QByteArray &partial = m_frames.at(first);
            m_transport->write(partial.constData() + offset, partial.size() - offset);
            for (qsizetype i = first + 1; i < m_frames.size(); ++i)
                m_transport->write(m_frames.at(i));
            flushTransport();
            m_transportPending = m_transport->bytesToWrite();
        }
    }
    // The list keeps its capacity for the next turn unless it grew large (an idle connection holds little).
    if (m_frames.capacity() > kKeptFrameSlots)
        m_frames = {};
    else
        m_frames.clear();
    m_queued = 0;
}

qsizetype FrameOutput::writeFramesDirect(qsizetype *first, qsizetype *offset)
{
    *first = 0;
    *offset = 0;
#if defined(Q_OS_LINUX)
    if (!canWriteDirect())
        return 0;
    const qintptr descriptor = m_transport->socketDescriptor();
    qsizetype total = 0;
    while (*first < m_frames.size()) {
        iovec vectors[kMaxVectors];
        int count = 0;
        qsizetype wanted = 0;
        for (qsizetype i = *first; i < m_frames.size() && count < kMaxVectors; ++i, ++count) {
            const QByteArray &frame = m_frames.at(i);
            vectors[count].iov_base = const_cast<char *>(frame.constData());
            vectors[count].iov_len = size_t(frame.size());
            wanted += frame.size();
        }
        const qint64 n = sendVectorNow(descriptor, vectors, count);
        if (auto *trace = TurnTrace::active())
            trace->countWrite(n);
        if (n <= 0)
            return total;
        total += n;
        // Step over what the kernel took.
        qint64 left = n;
        while (left > 0 && left >= m_frames.at(*first).size()) {
            left -= m_frames.at(*first).size();
            ++*first;
        }
        if (left > 0 || n < wanted) {
            *offset = qsizetype(left);
            return total;
        }
    }
    return total;
#else
    return 0;
#endif
}

void FrameOutput::flushTransport()
{
    // Hand it to the kernel now rather than at the socket's next write notification.
    if (m_plain)
        m_transport->flush();
    else if (TlsSocket *tls = tlsTransport())
        tls->flushNow();
}

TlsSocket *FrameOutput::tlsTransport() const
{
    return m_tls ? static_cast<TlsSocket *>(m_transport.data()) : nullptr;
}

qsizetype FrameOutput::writeDirect(const char *data, qsizetype size)
{
#if defined(Q_OS_LINUX)
    // Straight to the kernel while Qt's own buffer for the socket is empty (so nothing can overtake anything):
    // QAbstractSocket would register a write notifier for every write and drop it after the flush, and the glib
    // event dispatcher finds notifiers with linear searches, which made 5,000 connections slow to serve.
    if (!canWriteDirect())
        return 0;
    // What the kernel does not take now (full, or failed) waits in Qt's buffer; Qt meets any error and reports it.
    return sendNow(m_transport->socketDescriptor(), data, size);
#else
    Q_UNUSED(data);
    Q_UNUSED(size);
    return 0;
#endif
}

qint64 FrameOutput::transportPending() const
{
    // A plain transport's buffer only fills when this writes into it and only drains with bytesWritten(): the count
    // kept then is exact, without asking the socket for every message of every recipient.
    if (m_plain && m_transport)
        return m_transportPending;
    return m_transport ? m_transport->bytesToWrite() : 0;
}

} // namespace inkroom::server
