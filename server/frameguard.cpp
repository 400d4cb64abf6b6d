#include "frameguard.h"

#include "logging.h"
#include "serverconfig.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

//! After its close frame, how long a violating client has to close its side before it is aborted.
constexpr int kCloseGraceMs = 2000;
//! The most a client frame's header takes: 2 bytes, 8 of length, 4 of mask.
constexpr qint64 kMaxHeaderBytes = 14;
//! What the socket may always hold, however small the frames: many small messages still arrive in one turn.
constexpr qint64 kMinReadBytes = 64 * 1024;

} // namespace

FrameGuard::FrameGuard(QTcpSocket *socket)
    : QObject(socket)
    , m_socket(socket)
{
    connect(m_socket, &QIODevice::readyRead, this, &FrameGuard::onFirst);
}

void FrameGuard::upgraded()
{
    if (m_state != State::Handshake)
        return;
    if (m_earlyData || m_socket->bytesAvailable() > 0) {
        fail(u"sent data before the server answered its WebSocket handshake"_s, "data before the handshake's answer");
        return;
    }
    m_state = State::Frames;
    m_known = 0;
    // Connected now, after QWebSocket's reader: called once it has taken what it takes.
    connect(m_socket, &QIODevice::readyRead, this, &FrameGuard::onLast);
}

void FrameGuard::onFirst()
{
    if (m_state == State::Lost || m_state == State::Failed)
        return;
    const qint64 available = m_socket->bytesAvailable();
    const qint64 fresh = available - m_known;
    if (m_state == State::Handshake) {
        if (fresh > 0)
            scanHandshake(m_socket->peek(available).right(fresh));
        m_known = available;
        return;
    }
    if (m_inEmission || fresh < 0) {
        // A readyRead() inside another (a flush that decrypted more while a message was handled), or bytes taken
        // outside one: what the reader took meanwhile is not known, so the frames cannot be followed any more.
        qCWarning(lcNet) << "lost track of the frames from" << m_socket->peerAddress().toString()
                         << "; their masks are no longer checked";
        m_state = State::Lost;
        m_socket->setReadBufferSize(ReadBufferBytes); // the largest frame always fits, as without the guard
        return;
    }
    m_inEmission = true;
    m_known = available;
    m_received += std::max<qint64>(fresh, 0);
    if (fresh > 0 && scanFrames(available, fresh))
        limitReads(available);
}

void FrameGuard::onLast()
{
    if (m_state != State::Frames)
        return;
    m_inEmission = false;
    m_known = m_socket->bytesAvailable();
    limitReads(m_known);
}

void FrameGuard::scanHandshake(const QByteArray &fresh)
{
    if (m_requestEnded) {
        m_earlyData = true;
        return;
    }
    const QByteArray seen = m_tail + fresh;
    const qsizetype end = seen.indexOf("\r\n\r\n");
    if (end >= 0) {
        m_requestEnded = true;
        m_earlyData = seen.size() > end + 4;
        m_tail.clear();
        return;
    }
    m_tail = seen.right(3);
}

bool FrameGuard::scanFrames(qint64 available, qint64 fresh)
{
    qint64 offset = available - fresh;
    QByteArray buffer;
    while (offset < available) {
        if (m_skip > 0) {
            const qint64 take = qint64(std::min<quint64>(m_skip, quint64(available - offset)));
            m_skip -= quint64(take);
            offset += take;
            continue;
        }
        if (buffer.isEmpty()) {
            buffer = m_socket->peek(available);
            if (buffer.size() != available) {
                m_state = State::Lost;
                m_socket->setReadBufferSize(ReadBufferBytes);
                return true;
            }
        }
        m_header.append(buffer.at(offset++));
        if (m_header.size() < 2)
            continue;
        const auto second = quint8(m_header.at(1));
        if (!(second & 0x80)) {
            fail(u"sent a frame without a mask (RFC 6455, 5.1: every frame from a client is masked)"_s,
                 "client frames must be masked");
            return false;
        }
        const int length7 = second & 0x7f;
        const int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        if (m_header.size() < 2 + extended + 4)
            continue;
        quint64 length = quint64(length7);
        if (extended > 0) {
            length = 0;
            for (int i = 0; i < extended; ++i)
                length = (length << 8) | quint8(m_header.at(2 + i));
        }
        m_skip = length;
        m_header.clear();
        const qint64 payloadStart = m_received - available + offset;
        m_frameEnds.append(payloadStart + qint64(std::min<quint64>(length, quint64(ReadBufferBytes))));
    }
    return true;
}

void FrameGuard::limitReads(qint64 available)
{
    // The socket reads no further than the end of the frame at the start of its buffer (the one QWebSocket's reader
    // is putting together) and the next frame's header: one large message per connection per event-loop turn, so a
    // client sending the largest messages brings one of them (not five) into the turn that other rooms' ops wait on.
    // Small frames share a floor of kMinReadBytes.
    const qint64 start = m_received - available;
    while (!m_frameEnds.isEmpty() && m_frameEnds.first() <= start)
        m_frameEnds.removeFirst();
    const qint64 wanted = m_frameEnds.isEmpty() ? 0 : m_frameEnds.first() - start + kMaxHeaderBytes;
    m_socket->setReadBufferSize(std::clamp<qint64>(wanted, kMinReadBytes, ReadBufferBytes));
}

void FrameGuard::fail(const QString &why, const QByteArray &reason)
{
    m_state = State::Failed;
    qCInfo(lcNet).noquote() << m_socket->peerAddress().toString() << why << "; closing with 1002";
    // Nobody reads from the socket any more, QWebSocket neither (this emission's other receivers are not called).
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    m_socket->skip(m_socket->bytesAvailable());
    // The server's own close frame (unmasked, as every frame from a server): 1002 and why.
    QByteArray frame;
    frame.append(char(0x88));
    frame.append(char(2 + reason.size()));
    frame.append(char(1002 >> 8));
    frame.append(char(1002 & 0xff));
    frame.append(reason);
    m_socket->write(frame);
    m_socket->disconnectFromHost();
    QPointer<QTcpSocket> socket = m_socket;
    QTimer::singleShot(kCloseGraceMs, m_socket, [socket] {
        if (socket)
            socket->abort();
    });
    Q_EMIT violated(why);
}

} // namespace inkroom::server
