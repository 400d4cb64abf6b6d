#include "liverelay.h"

#include "nodebus.h"
#include "protocol.h"
#include "protocollimits.h"

namespace inkroom::server {

LiveRelay::LiveRelay(NodeBus &bus, int batchMs, Deliver deliver, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_deliver(std::move(deliver))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(std::max(0, batchMs));
    connect(&m_timer, &QTimer::timeout, this, &LiveRelay::flush);
    connect(&m_bus, &NodeBus::liveReceived, this, &LiveRelay::received);
}

void LiveRelay::queue(qint64 room, const QByteArray &bytes)
{
    if (!m_bus.isListening() || bytes.contains('\n'))
        return;
    const QByteArray line = QByteArray::number(room) + ' ' + bytes;
    // What can never fit one payload is dropped, as a slow member's volatile traffic is.
    if (m_bus.nodeId().size() + 1 + line.size() > NodeBus::kMaxPayload)
        return;
    if (m_bus.nodeId().size() + 1 + m_batch.size() + 1 + line.size() > NodeBus::kMaxPayload)
        flush();
    if (!m_batch.isEmpty())
        m_batch.append('\n');
    m_batch.append(line);
    if (!m_timer.isActive())
        m_timer.start();
}

void LiveRelay::flush()
{
    m_timer.stop();
    if (m_batch.isEmpty())
        return;
    m_bus.publishLive(m_bus.nodeId() + '\n' + std::exchange(m_batch, {}));
}

void LiveRelay::received(const QByteArray &payload)
{
    const QList<QByteArray> lines = payload.split('\n');
    if (lines.isEmpty() || lines.constFirst() == m_bus.nodeId())
        return; // this node's own: its members have it already
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype space = line.indexOf(' ');
        bool ok = false;
        const qint64 room = space > 0 ? line.left(space).toLongLong(&ok) : 0;
        if (!ok)
            continue;
        const QByteArray bytes = line.mid(space + 1);
        const proto::DecodeResult decoded = proto::decode(bytes, limits::MaxServerMessageBytes);
        if (!decoded.ok())
            continue;
        switch (proto::typeOf(decoded.message())) {
        case proto::MessageType::Cursor:
        case proto::MessageType::View:
        case proto::MessageType::Laser:
        case proto::MessageType::Live:
            m_deliver(room, bytes);
            break;
        default:
            break;
        }
    }
}

} // namespace inkroom::server
