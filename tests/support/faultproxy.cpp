#include "faultproxy.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

#include <deque>

namespace inkroom::test {

//! One client connection and its upstream connection, with a pipe each way.
class ProxyLink : public QObject
{
public:
    ProxyLink(FaultProxy *proxy, QTcpSocket *client, const QHostAddress &target, quint16 port, bool dead)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
        , m_dead(dead)
    {
        m_clock.start();
        m_client->setParent(this);
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_up.from = m_client;
        m_up.to = m_upstream;
        m_up.direction = FaultProxy::ToServer;
        m_down.from = m_upstream;
        m_down.to = m_client;
        m_down.direction = FaultProxy::ToClient;
        for (Pipe *pipe : {&m_up, &m_down}) {
            pipe->timer.setSingleShot(true);
            connect(&pipe->timer, &QTimer::timeout, this, [this, pipe] { pump(*pipe); });
            connect(pipe->from, &QTcpSocket::readyRead, this, [this, pipe] { read(*pipe); });
        }
        connect(m_client, &QTcpSocket::disconnected, this, [this] { peerClosed(m_up); });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] { peerClosed(m_down); });
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            pump(m_up);
        });
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_upstream->state() != QAbstractSocket::ConnectedState && !m_dead)
                cut();
        });
        if (!m_dead)
            m_upstream->connectToHost(target, port);
    }

    void cut()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_client->abort();
        m_upstream->abort();
        deleteLater();
    }
    void goDead()
    {
        m_dead = true;
        m_up.queue.clear();
        m_down.queue.clear();
    }
    void poke()
    {
        pump(m_up);
        pump(m_down);
    }
    [[nodiscard]] bool isOpen() const { return !m_finished; }

private:
    struct Chunk
    {
        qint64 due = 0;
        QByteArray bytes;
    };
    struct Pipe
    {
        QTcpSocket *from = nullptr;
        QTcpSocket *to = nullptr;
        FaultProxy::Direction direction = FaultProxy::ToServer;
        std::deque<Chunk> queue;
        QTimer timer;
        bool closeWhenEmpty = false;
        bool pumping = false;
    };

    void read(Pipe &pipe)
    {
        if (!pipe.from->isOpen())
            return;
        const QByteArray bytes = pipe.from->readAll();
        if (m_dead || bytes.isEmpty())
            return;
        pipe.queue.push_back(Chunk {m_clock.elapsed() + m_proxy->delay(pipe.direction), bytes});
        pump(pipe);
    }

    void pump(Pipe &pipe)
    {
        // A write can run signal handlers that come back here (an error, a close): the outer call carries on,
        // and nothing refers into the queue across a write.
        if (pipe.pumping)
            return;
        pipe.pumping = true;
        while (!m_finished && !m_dead && pipe.to->state() == QAbstractSocket::ConnectedState && !pipe.queue.empty()
               && !m_proxy->stalled(pipe.direction)) {
            Chunk &front = pipe.queue.front();
            const qint64 now = m_clock.elapsed();
            if (front.due > now) {
                pipe.timer.start(int(front.due - now));
                break;
            }
            QByteArray piece;
            const int split = m_proxy->splitBytes();
            if (split > 0 && front.bytes.size() > split) {
                piece = front.bytes.left(split);
                front.bytes.remove(0, split);
                front.due = now + m_proxy->splitGapMs(); // the rest waits for the gap
            } else {
                piece = std::move(front.bytes);
                pipe.queue.pop_front();
            }
            write(pipe, piece);
        }
        pipe.pumping = false;
        if (!m_finished && !m_dead && pipe.queue.empty() && pipe.closeWhenEmpty
            && pipe.to->state() == QAbstractSocket::ConnectedState)
            pipe.to->disconnectFromHost();
    }

    void write(Pipe &pipe, const QByteArray &bytes)
    {
        pipe.to->write(bytes);
        pipe.to->flush();
        m_proxy->countForwarded(pipe.direction, bytes.size());
    }

    //! The side pipe reads from closed: deliver what is held, then close the other side too.
    void peerClosed(Pipe &pipe)
    {
        if (m_finished)
            return;
        if (m_dead) {
            // A dead link tells nobody anything. The side that is still open stays open until its owner gives up.
            if (m_client->state() != QAbstractSocket::ConnectedState) {
                m_finished = true;
                m_upstream->abort();
                deleteLater();
            }
            return;
        }
        read(pipe);
        pipe.closeWhenEmpty = true;
        pump(pipe);
        Pipe &other = &pipe == &m_up ? m_down : m_up;
        other.queue.clear();
        if (m_client->state() == QAbstractSocket::UnconnectedState
            && m_upstream->state() == QAbstractSocket::UnconnectedState) {
            m_finished = true;
            deleteLater();
        } else if (pipe.queue.empty()) {
            // Give the close a moment to flush, then make sure both are gone.
            QTimer::singleShot(100, this, [this] { cut(); });
        }
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    Pipe m_up;
    Pipe m_down;
    QElapsedTimer m_clock;
    bool m_dead = false;
    bool m_finished = false;
};

FaultProxy::FaultProxy(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::accept);
}

FaultProxy::~FaultProxy()
{
    for (const auto &link : m_links) {
        if (link)
            link->cut();
    }
}

bool FaultProxy::listen(quint16 targetPort, const QHostAddress &target)
{
    m_target = target;
    m_targetPort = targetPort;
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FaultProxy::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port()));
}

void FaultProxy::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_accepted;
        if (m_refuse) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_links.emplace_back(new ProxyLink(this, socket, m_target, m_targetPort, m_halfOpen));
    }
    std::erase_if(m_links, [](const QPointer<ProxyLink> &link) { return link.isNull(); });
}

void FaultProxy::cutAll()
{
    for (const auto &link : m_links) {
        if (link)
            link->cut();
    }
    m_links.clear();
}

void FaultProxy::setStalled(bool stalled, Direction direction)
{
    if (direction & ToServer)
        m_stallUp = stalled;
    if (direction & ToClient)
        m_stallDown = stalled;
    poke();
}

void FaultProxy::setHalfOpen(bool halfOpen)
{
    m_halfOpen = halfOpen;
    if (!halfOpen)
        return;
    for (const auto &link : m_links) {
        if (link)
            link->goDead();
    }
}

void FaultProxy::setDelay(int delayMs, Direction direction)
{
    if (direction & ToServer)
        m_delayUp = delayMs;
    if (direction & ToClient)
        m_delayDown = delayMs;
}

void FaultProxy::setSplit(int bytes, int gapMs)
{
    m_splitBytes = bytes;
    m_splitGapMs = gapMs;
}

void FaultProxy::poke()
{
    for (const auto &link : m_links) {
        if (link)
            link->poke();
    }
}

int FaultProxy::openLinks() const
{
    return int(std::count_if(m_links.cbegin(), m_links.cend(),
                             [](const QPointer<ProxyLink> &link) { return link && link->isOpen(); }));
}

qint64 FaultProxy::bytesForwarded(Direction direction) const
{
    qint64 total = 0;
    if (direction & ToServer)
        total += m_forwardedUp;
    if (direction & ToClient)
        total += m_forwardedDown;
    return total;
}

} // namespace inkroom::test
