#include "connection.h"

#include "closecodes.h"
#include "listener.h"
#include "logging.h"
#include "protocollimits.h"
#include "tlssocket.h"
#include "turntrace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

#include <cmath>

#if defined(Q_OS_LINUX)
#include <sys/uio.h>
#endif

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
//! Messages at least this large (snapshot chunks) skip the turn's buffer: written at once, without a copy.
constexpr qsizetype kDirectWriteBytes = 64 * 1024;
//! Messages of one connection decoded by workers at a time: enough to keep a worker busy while the rest is read.
constexpr int kMaxJobs = 4;
//! What may wait behind them (smaller messages, or larger ones when the lane is full), in bytes and messages; past
//! either, the connection's oldest message is finished on the server's thread.
constexpr qint64 kMaxWaitingBytes = LaneWaitingBytes;
constexpr int kMaxWaiting = 256;
//! Frames one sendmsg() hands the kernel at most.
constexpr int kMaxVectors = 128;
//! A connection keeps its list of queued frames between turns up to this many slots (a few hundred bytes).
constexpr qsizetype kKeptFrameSlots = 16;
} // namespace

void OutputFlusher::schedule(Connection *connection)
{
    m_pending.append(connection);
    if (!m_posted) {
        m_posted = true;
        QMetaObject::invokeMethod(this, &OutputFlusher::flush, Qt::QueuedConnection);
    }
}

void OutputFlusher::cancel(Connection *connection)
{
    m_pending.removeAll(connection);
}

void OutputFlusher::flush()
{
    m_posted = false;
    const QList<Connection *> pending = std::exchange(m_pending, {});
    for (Connection *connection : pending)
        connection->flushOutput();
}

Connection::Connection(quint64 serial, QWebSocket *socket, QTcpSocket *transport, OutputFlusher *flusher,
                       const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_serial(serial)
    , m_socket(socket)
    , m_transport(transport)
    , m_flusher(flusher)
    , m_tlsTransport(qobject_cast<TlsSocket *>(transport) != nullptr)
    , m_plainTransport(transport && !m_tlsTransport)
    , m_config(config)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_rateLimiter(config.ratePerSecond, config.rateBurst, config.rateMaxExcess)
    , m_opBytes(opBytesPerSecond(config), double(opBurstBytes(config)))
    , m_historyBucket(config.historyPerSecond, config.historyBurst)
    , m_allowance(config.maxOutputBytes)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxClientMessageBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxClientMessageBytes));
    m_lastSeen.start();

    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::onMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onMessage(text.toUtf8()); });
    // Any frame or pong is a sign of life, even when a large message is still arriving.
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::textFrameReceived, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastSeen.restart(); });
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::drop);
    if (m_plainTransport) {
        connect(transport, &QIODevice::bytesWritten, this,
                [this] { m_transportPending = m_transport ? m_transport->bytesToWrite() : 0; });
    }

    m_helloTimer.setSingleShot(true);
    connect(&m_helloTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcNet).noquote() << describe() << "sent no hello in time";
        closeWith(quint16(proto::CloseCode::HandshakeTimeout), u"no hello in time"_s);
    });
    m_helloTimer.start(m_config.handshakeTimeoutMs);

    m_abortTimer.setSingleShot(true);
    connect(&m_abortTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });

    cursorThrottle.timer.setSingleShot(true);
    viewThrottle.timer.setSingleShot(true);
}

Connection::~Connection()
{
    if (m_flusher)
        m_flusher->cancel(this);
    dropIncoming();
    if (m_lane)
        m_lane->forget(m_serial);
    // The socket is our child; make sure nothing it emits while dying reaches us.
    m_socket->disconnect(this);
}

void Connection::drop()
{
    m_helloTimer.stop();
    m_abortTimer.stop();
    cursorThrottle.timer.stop();
    viewThrottle.timer.stop();
    if (m_state != State::Closing) {
        m_state = State::Closing;
        Q_EMIT closing(this);
    }
    Q_EMIT gone(this);
}

void Connection::detach(const QHostAddress &address, std::function<void(const QByteArray &)> sink)
{
    m_peerAddress = address;
    m_peerPort = 0;
    m_sink = std::move(sink);
    m_transport.clear();
}

void Connection::setState(State state)
{
    if (m_state == State::Closing || state == State::Closing)
        return;
    m_state = state;
    if (state != State::AwaitingHello)
        m_helloTimer.stop();
}

QString Connection::describe() const
{
    QString text = u'#' + QString::number(m_serial) + u' ';
    if (m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol)
        text += u'[' + m_peerAddress.toString() + u']';
    else
        text += m_peerAddress.toString();
    text += u':' + QString::number(m_peerPort);
    if (!m_member.client.isEmpty())
        text += u' ' + m_member.client;
    return text;
}

void Connection::setHello(const proto::Hello &hello)
{
    m_hello = hello;
    m_member = proto::Member {hello.client, hello.name, hello.colour, false, std::nullopt, hello.serve};
}

void Connection::setProfile(const QString &name, proto::Colour colour)
{
    m_member.name = name;
    m_member.colour = colour;
}

std::optional<quint64> opCseqOf(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value("type"_L1).toString() != "op"_L1)
        return std::nullopt;
    const QJsonValue cseq = object.value("cseq"_L1);
    if (!cseq.isDouble())
        return std::nullopt;
    const double value = cseq.toDouble();
    if (!(value >= 1 && value < double(limits::MaxSequence)) || value != std::floor(value))
        return std::nullopt;
    return quint64(value);
}

bool Connection::holdsBack(quint64 cseq)
{
    if (!m_heldAt)
        return false;
    if (cseq > *m_heldAt)
        return true;
    m_heldAt.reset();
    return false;
}

void Connection::hold(quint64 cseq)
{
    m_heldAt = m_heldAt ? std::min(*m_heldAt, cseq) : cseq;
}

void Connection::refuse(const proto::Reject &reject)
{
    if (reject.retry)
        hold(reject.cseq);
    sendMessage(reject);
}

void Connection::onMessage(const QByteArray &bytes)
{
    m_lastSeen.restart();
    if (auto *trace = TurnTrace::active())
        trace->countMessage(bytes.size());
    if (m_state == State::Closing)
        return;
    // A large message goes to a worker and keeps its place: what this connection sends after it waits for it.
    if (m_lane && m_jobs < kMaxJobs && m_lane->takes(bytes.size())) {
        m_incoming.append(Incoming {bytes, m_lane->start(this, bytes)});
        ++m_jobs;
        return;
    }
    if (m_incoming.isEmpty()) {
        Q_EMIT messageReceived(this, bytes, nullptr);
        return;
    }
    m_incoming.append(Incoming {bytes, nullptr});
    m_waitingBytes += bytes.size();
    // What is decoded already goes on now; past the bound, this connection's oldest message is finished here.
    handOn(m_waitingBytes > kMaxWaitingBytes || m_incoming.size() - m_jobs > kMaxWaiting);
}

void Connection::handOn(bool wait)
{
    if (m_handingOn)
        return; // a message handed on below led here: the loop goes on with what arrived meanwhile
    m_handingOn = true;
    while (!m_incoming.isEmpty() && m_state != State::Closing) {
        const std::shared_ptr<DecodeJob> job = m_incoming.constFirst().job;
        if (job && !job->isDone()) {
            if (!wait || (m_waitingBytes <= kMaxWaitingBytes && m_incoming.size() - m_jobs <= kMaxWaiting))
                break;
            job->finish();
        }
        const Incoming next = m_incoming.takeFirst();
        forgetIncoming(next);
        Q_EMIT messageReceived(this, next.bytes, next.job ? &next.job->result() : nullptr);
    }
    if (m_state == State::Closing)
        dropIncoming();
    m_handingOn = false;
}

void Connection::forgetIncoming(const Incoming &incoming)
{
    if (incoming.job) {
        --m_jobs;
        incoming.job->abandon(); // nothing if a worker took it (or it is done)
    } else {
        m_waitingBytes -= incoming.bytes.size();
    }
}

void Connection::dropIncoming()
{
    const QList<Incoming> dropped = std::exchange(m_incoming, {});
    for (const Incoming &incoming : dropped)
        forgetIncoming(incoming);
}

void Connection::queueFrame(const OutFrame &frame)
{
    if (m_sink) {
        m_sink(frame.payload().toByteArray());
        return;
    }
    if (!m_transport || !m_flusher) {
        m_socket->sendBinaryMessage(frame.payload().toByteArray());
        return;
    }
    if (frame.payloadSize() >= kDirectWriteBytes) {
        flushOutput(); // what was queued goes first
        if (TlsSocket *tls = tlsTransport()) {
            tls->writeFrames({frame.bytes()});
            return;
        }
        const QByteArray &bytes = frame.bytes();
        const qsizetype sent = writeDirect(bytes.constData(), bytes.size());
        if (sent < bytes.size()) {
            // The rest waits in the socket's buffer (shared with it when nothing was sent, not copied).
            m_transport->write(sent == 0 ? bytes : bytes.sliced(sent));
            flushTransport();
            m_transportPending = m_transport->bytesToWrite();
        }
        return;
    }
    if (m_frames.isEmpty())
        m_flusher->schedule(this);
    m_frames.append(frame.bytes());
    m_queued += frame.size();
    if (auto *trace = TurnTrace::active())
        trace->countDelivery();
}

void Connection::flushOutput()
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

qsizetype Connection::writeFramesDirect(qsizetype *first, qsizetype *offset)
{
    *first = 0;
    *offset = 0;
#if defined(Q_OS_LINUX)
    if (!m_plainTransport || !m_transport || m_transport->bytesToWrite() > 0
        || m_transport->state() != QAbstractSocket::ConnectedState)
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

void Connection::flushTransport()
{
    // Hand it to the kernel now rather than at the socket's next write notification.
    if (m_plainTransport)
        m_transport->flush();
    else if (TlsSocket *tls = tlsTransport())
        tls->flushNow();
}

TlsSocket *Connection::tlsTransport() const
{
    return m_tlsTransport ? static_cast<TlsSocket *>(m_transport.data()) : nullptr;
}

qsizetype Connection::writeDirect(const char *data, qsizetype size)
{
#if defined(Q_OS_LINUX)
    // Straight to the kernel while Qt's own buffer for the socket is empty (so nothing can overtake anything):
    // QAbstractSocket would register a write notifier for every write and drop it after the flush, and the glib
    // event dispatcher finds notifiers with linear searches, which made 5,000 connections slow to serve.
    if (!m_plainTransport || !m_transport || m_transport->bytesToWrite() > 0
        || m_transport->state() != QAbstractSocket::ConnectedState)
        return 0;
    // What the kernel does not take now (full, or failed) waits in Qt's buffer; Qt meets any error and reports it.
    return sendNow(m_transport->socketDescriptor(), data, size);
#else
    Q_UNUSED(data);
    Q_UNUSED(size);
    return 0;
#endif
}

qint64 Connection::unsent() const
{
    return m_queued + transportPending();
}

qint64 Connection::transportPending() const
{
    // A plain transport's buffer only fills when this connection writes into it (its frames, or Qt's control frames,
    // which checkOutput() counts exactly) and only drains with bytesWritten(): the count kept then is exact, without
    // asking the socket (through QWebSocket) for every message of every recipient.
    if (m_plainTransport && m_transport)
        return m_transportPending;
    return m_socket->bytesToWrite();
}

void Connection::send(const OutFrame &frame)
{
    if (m_state == State::Closing)
        return;
    if (!m_inCatchUp) {
        // Refused before it is queued: what waits for a client never passes its cap (but one message always fits).
        const qint64 unsent = this->unsent();
        if (unsent <= m_config.maxOutputBytes)
            m_allowance = m_config.maxOutputBytes;
        if (unsent > 0 && unsent + frame.size() > m_allowance) {
            qCWarning(lcNet).noquote() << describe() << "stopped reading:" << unsent << "bytes unsent; dropping it";
            closeWith(quint16(proto::CloseCode::SlowConsumer), u"too far behind: unsent output passed the cap"_s);
            return;
        }
    }
    queueFrame(frame);
}

bool Connection::sendVolatile(const OutFrame &frame)
{
    if (m_state == State::Closing || unsent() > m_config.volatileDropBytes)
        return false;
    queueFrame(frame);
    return true;
}

void Connection::endCatchUp()
{
    m_inCatchUp = false;
    m_allowance = m_config.maxOutputBytes + unsent();
}

void Connection::checkOutput()
{
    if (m_state == State::Closing)
        return;
    if (m_plainTransport && m_transport)
        m_transportPending = m_transport->bytesToWrite(); // Qt's own control frames too
    const qint64 unsent = this->unsent();
    if (unsent <= m_config.maxOutputBytes) {
        m_allowance = m_config.maxOutputBytes;
        return;
    }
    if (unsent > m_allowance) {
        qCWarning(lcNet).noquote() << describe() << "stopped reading:" << unsent << "bytes unsent; dropping it";
        closeWith(quint16(proto::CloseCode::SlowConsumer), u"too far behind: unsent output passed the cap"_s);
    }
}

void Connection::ping()
{
    if (m_state == State::Closing)
        return;
    m_socket->ping();
    if (m_plainTransport && m_transport)
        m_transportPending = m_transport->bytesToWrite();
}

void Connection::fail(proto::ErrorCode code, const QString &message, quint16 closeCode, const QString &field)
{
    if (m_state == State::Closing)
        return;
    qCInfo(lcNet).noquote() << describe() << "closing with" << closeCode << proto::errorCodeName(code) << message;
    queueFrame(OutFrame::binary(proto::encode(proto::Error {code, message, field, true})));
    closeWith(closeCode, message);
}

void Connection::closeWith(quint16 code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    m_helloTimer.stop();
    cursorThrottle.timer.stop();
    cursorThrottle.pending.clear();
    viewThrottle.timer.stop();
    viewThrottle.pending.clear();
    // A close reason must fit a control frame (125 bytes with the code).
    const QString shortReason = QString::fromUtf8(reason.toUtf8().left(100));
    QTimer::singleShot(0, this, [this, code, shortReason] {
        Q_EMIT closing(this);
        m_abortTimer.start(m_config.closeGraceMs);
        flushOutput(); // everything sent before the close goes out before it
        if (m_sink) {
            m_abortTimer.stop();
            Q_EMIT gone(this);
            return;
        }
        m_socket->close(QWebSocketProtocol::CloseCode(code), shortReason);
    });
}

} // namespace inkroom::server
