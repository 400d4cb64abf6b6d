#include "clientpool.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

void PoolResults::merge(const PoolResults &other)
{
    latency.merge(other.latency);
    sentInWindow += other.sentInWindow;
    deliveredInWindow += other.deliveredInWindow;
    sentTotal += other.sentTotal;
    deliveredTotal += other.deliveredTotal;
    lateTicks += other.lateTicks;
    handshake.merge(other.handshake);
    joining.merge(other.joining);
    opsSent += other.opsSent;
    closed += other.closed;
}

ClientPool::ClientPool(BenchSocket::Transport transport, Endpoint endpoint, int maxOpening)
    : m_transport(transport)
    , m_endpoint(std::move(endpoint))
    , m_maxOpening(std::max(1, maxOpening))
    , m_timer(new QTimer(this)) // a child, so it moves to the pool's thread with it
{
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(1);
    connect(m_timer, &QTimer::timeout, this, &ClientPool::tick);
}

ClientPool::~ClientPool()
{
    closeAll();
}

void ClientPool::addClients(const QList<ClientSpec> &clients)
{
    for (const ClientSpec &spec : clients) {
        auto client = std::make_unique<Client>();
        client->spec = spec;
        m_clients.push_back(std::move(client));
    }
    openMore();
}

void ClientPool::openMore()
{
    while (m_opening < m_maxOpening && m_nextToOpen < qsizetype(m_clients.size())) {
        Client &client = *m_clients[size_t(m_nextToOpen++)];
        client.socket = new BenchSocket(m_transport, client.spec.index, this, this);
        m_bySocket.insert(client.socket, &client);
        ++m_opening;
        quint64 expected = 0;
        client.openedAt = nowMicros();
        firstOpenMicros.compare_exchange_strong(expected, client.openedAt);
        client.socket->open(m_endpoint, u'/' + client.spec.room);
    }
}

void ClientPool::socketOpened(BenchSocket *socket)
{
    Client *client = m_bySocket.value(socket);
    if (!client)
        return;
    ++opened;
    // The window covers the WebSocket handshake only, the phase the server limits (64 at a time by default).
    client->handshaking = false;
    const quint64 now = nowMicros();
    m_results.handshake.add(now - client->openedAt);
    client->openedAt = now;
    --m_opening;
    openMore();
    if (client->spec.hello.isEmpty())
        markJoined(*client);
    else
        socket->send(client->spec.hello);
}

void ClientPool::markJoined(Client &client)
{
    if (client.socket->joined)
        return;
    client.socket->joined = true;
    ++joined;
    const quint64 now = nowMicros();
    m_results.joining.add(now - client.openedAt);
    lastJoinMicros.store(now, std::memory_order_relaxed);
    if (client.spec.stall)
        client.socket->stall();
}

void ClientPool::socketMessage(BenchSocket *socket, QByteArrayView bytes)
{
    if (!socket->joined) {
        if (bytes.contains("\"type\":\"synced\"")) {
            if (Client *client = m_bySocket.value(socket))
                markJoined(*client);
        } else if (bytes.contains("\"fatal\":true")) {
            qWarning("inkroom-bench: client %d: %.*s", socket->index(), int(std::min<qsizetype>(bytes.size(), 300)),
                     bytes.data());
        }
        return;
    }
    int sender = 0;
    quint64 sent = 0;
    if (!readStamp(bytes, &sender, &sent))
        return;
    const quint64 now = nowMicros();
    ++m_results.deliveredTotal;
    delivered.store(m_results.deliveredTotal, std::memory_order_relaxed);
    lastDeliveryMicros.store(now, std::memory_order_relaxed);
    if (sent >= m_traffic.windowStart && sent < m_traffic.windowEnd) {
        ++m_results.deliveredInWindow;
        m_results.latency.add(now > sent ? now - sent : 0);
    }
}

void ClientPool::socketClosed(BenchSocket *socket)
{
    Client *client = m_bySocket.value(socket);
    ++closedCount;
    ++m_results.closed;
    if (client && !socket->joined) {
        ++failed;
        socket->joined = true; // counted once
        if (client->handshaking) {
            client->handshaking = false;
            --m_opening;
            openMore();
        }
    }
}

void ClientPool::startTraffic(const TrafficConfig &config)
{
    m_traffic = config;
    m_period = quint64(1e6 / std::max(0.1, config.rateHz));
    if (!m_strokes)
        m_strokes = std::make_unique<LiveStrokes>(0x5eed);
    QRandomGenerator random(quint32(m_clients.size()) * 7919u + 17u);
    const quint64 now = nowMicros();
    const qsizetype cycle = m_strokes->messages().size();
    for (const auto &client : m_clients) {
        client->nextSend = now + random.bounded(quint32(m_period));
        client->message = qsizetype(random.bounded(quint32(cycle)));
        // Start at the beginning of a stroke, so "from" and "end" stay consistent.
        while (client->message > 0 && !m_strokes->messages()[client->message - 1].end)
            --client->message;
    }
    m_timer->start();
}

void ClientPool::stopTraffic()
{
    m_timer->stop();
}

void ClientPool::setWindow(quint64 start, quint64 end)
{
    m_traffic.windowStart = start;
    m_traffic.windowEnd = end;
    m_results.latency.clear();
    m_results.sentInWindow = 0;
    m_results.deliveredInWindow = 0;
}

void ClientPool::stallClient(int index)
{
    for (const auto &client : m_clients) {
        if (client->spec.index == index && client->socket)
            client->socket->stall();
    }
}

void ClientPool::tick()
{
    const quint64 now = nowMicros();
    const QList<LiveStrokes::Message> &messages = m_strokes->messages();
    for (const auto &owned : m_clients) {
        Client &client = *owned;
        if (!client.spec.sender || !client.socket || !client.socket->isOpen() || !client.socket->joined)
            continue;
        if (client.nextSend > now)
            continue;
        const quint64 stamp = nowMicros();
        m_strokes->stamp(client.message, client.spec.index, stamp, m_scratch);
        client.socket->send(m_scratch);
        ++m_results.sentTotal;
        if (stamp >= m_traffic.windowStart && stamp < m_traffic.windowEnd)
            ++m_results.sentInWindow;
        const LiveStrokes::Message &message = messages[client.message];
        if (message.end && m_traffic.opsOnStrokeEnd) {
            // The server refuses an add whose item id is not the sender's own "<client id>:<n>".
            const QString id = client.spec.client + u':' + QString::number(client.strokesDone + 1);
            client.socket->send(proto::encode(strokeAdd(id, ++client.cseq, m_strokes->strokePoints(message.stroke))));
            ++m_results.opsSent;
        }
        if (message.end)
            ++client.strokesDone;
        client.message = (client.message + 1) % messages.size();
        client.nextSend += m_period;
        if (client.nextSend + m_period < now) {
            // More than a period behind: skip ahead rather than burst (and say so).
            ++m_results.lateTicks;
            client.nextSend = now + m_period;
        }
    }
}

PoolResults ClientPool::results() const
{
    return m_results;
}

void ClientPool::closeAll()
{
    m_timer->stop();
    // Forget the sockets first: their close callbacks must not open replacements.
    m_bySocket.clear();
    m_nextToOpen = qsizetype(m_clients.size());
    for (const auto &client : m_clients) {
        if (client->socket)
            client->socket->abort();
    }
    for (const auto &client : m_clients)
        delete client->socket;
    m_clients.clear();
}

} // namespace inkroom::bench
