#include "connection.h"

#include "closecodes.h"
#include "logging.h"
#include "protocollimits.h"
#include "tlssocket.h"
#include "turntrace.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
//! Messages of one connection decoded by workers at a time: enough to keep a worker busy while the rest is read.
constexpr int kMaxJobs = 4;
//! What may wait behind them (smaller messages, or larger ones when the lane is full), in bytes and messages; past
//! either, the connection's oldest message is finished on the server's thread.
constexpr qint64 kMaxWaitingBytes = LaneWaitingBytes;
constexpr int kMaxWaiting = 256;
//! What the transport may always read in a turn, however small the frames: many small messages still arrive at once.
constexpr qint64 kMinReadBytes = 64 * 1024;
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

Connection::Connection(quint64 serial, QTcpSocket *transport, OutputFlusher *flusher, const ServerConfig &config,
                       QObject *parent)
    : QObject(parent)
    , m_serial(serial)
    , m_transport(transport)
    , m_reader(limits::MaxClientMessageBytes)
    , m_flusher(flusher)
    , m_output(transport)
    , m_config(config)
    , m_peerAddress(transport ? transport->peerAddress() : QHostAddress())
    , m_peerPort(transport ? transport->peerPort() : 0)
    , m_rateLimiter(config.ratePerSecond, config.rateBurst, config.rateMaxExcess)
    , m_opBytes(opBytesPerSecond(config), double(opBurstBytes(config)))
    , m_historyBucket(config.historyPerSecond, config.historyBurst)
    , m_allowance(config.maxOutputBytes)
{
    m_lastSeen.start();
    if (transport) {
        transport->setParent(this);
        connect(transport, &QAbstractSocket::disconnected, this, &Connection::drop);
        if (m_output.isPlain())
            connect(transport, &QIODevice::bytesWritten, this, [this] { m_output.onBytesWritten(); });
    }

    m_helloTimer.setSingleShot(true);
    connect(&m_helloTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcNet).noquote() << describe() << "sent no hello in time";
        closeWith(quint16(proto::CloseCode::HandshakeTimeout), u"no hello in time"_s);
    });
    m_helloTimer.start(m_config.handshakeTimeoutMs);

    m_abortTimer.setSingleShot(true);
    connect(&m_abortTimer, &QTimer::timeout, this, [this] {
        if (m_transport)
            m_transport->abort();
        else
            drop();
    });

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
    if (m_transport)
        m_transport->disconnect(this);
}

void Connection::start()
{
    if (!m_transport)
        return;
    connect(m_transport, &QIODevice::readyRead, this, &Connection::readFrames);
    readFrames(); // what arrived with the handshake, or before it was answered
}

void Connection::readFrames()
{
    // The transport may go (the connection dropped) while a message is handled: hold on to it for this loop.
    const QPointer<QTcpSocket> transport = m_transport;
    while (transport && !m_closeReceived) {
        ws::FrameReader::Event event = m_reader.next(transport);
        if (m_reader.takeFramesRead() > 0)
            m_lastSeen.restart(); // any whole frame is a sign of life, a fragment or a pong too
        switch (event.kind) {
        case ws::FrameReader::Event::NeedMore:
            limitReads();
            return;
        case ws::FrameReader::Event::Message:
            onMessage(event.payload);
            break;
        case ws::FrameReader::Event::Ping:
            sendControl(OutFrame::pong(event.payload));
            break;
        case ws::FrameReader::Event::Pong:
            break;
        case ws::FrameReader::Event::Close:
            onPeerClose(event.code);
            return;
        case ws::FrameReader::Event::Violation:
            qCInfo(lcNet).noquote() << describe() << "broke the WebSocket protocol:" << event.reason;
            // Closed like any other close: what the peer still sends is drained until its close answers ours.
            closeWith(event.code, event.reason);
            break;
        }
    }
}

void Connection::limitReads()
{
    // The transport reads no further than the end of the frame being read and the next frame's header: one large
    // message per connection per event-loop turn, so a client sending the largest messages brings one of them (not
    // five) into the turn that other rooms' ops wait on. Small frames share a floor of kMinReadBytes.
    const qint64 limit =
        std::max<qint64>(kMinReadBytes, qint64(m_reader.frameRemaining()) + ws::FrameReader::MaxHeaderBytes);
    if (limit != m_readLimit) {
        m_readLimit = limit;
        m_transport->setReadBufferSize(limit);
    }
}

void Connection::onPeerClose(quint16 code)
{
    m_closeReceived = true;
    if (!m_closeSent) {
        // The peer starts the close: everything queued goes first, then our answer with its code (RFC 6455, 5.5.1).
        if (m_state != State::Closing) {
            m_state = State::Closing;
            m_helloTimer.stop();
            Q_EMIT closing(this);
        }
        sendControl(OutFrame::close(code)); // CloseNoStatus: theirs had no code, nor has ours
        m_closeSent = true;
    }
    flushOutput();
    // The server closes the TCP connection first (RFC 6455, 7.1.1); the abort timer covers a peer that never reads.
    if (!m_abortTimer.isActive())
        m_abortTimer.start(m_config.closeGraceMs);
    if (m_transport)
        m_transport->disconnectFromHost();
}

void Connection::sendControl(const OutFrame &frame)
{
    if (m_closeSent)
        return; // nothing follows a close frame
    queueFrame(frame);
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
    m_output = FrameOutput(nullptr);
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
    if (m_output.queue(frame) && m_flusher)
        m_flusher->schedule(this);
}

void Connection::flushOutput()
{
    m_output.flush();
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
    if (m_state == State::Closing || !m_transport)
        return;
    sendControl(OutFrame::ping());
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
    QTimer::singleShot(0, this, [this, code, reason] {
        Q_EMIT closing(this);
        m_abortTimer.start(m_config.closeGraceMs);
        flushOutput(); // everything sent before the close goes out before it
        if (m_sink || !m_transport) {
            m_abortTimer.stop();
            Q_EMIT gone(this);
            return;
        }
        sendControl(OutFrame::close(code, reason)); // the reason cut to fit a control frame
        m_closeSent = true;
        flushOutput();
    });
}

} // namespace inkroom::server
