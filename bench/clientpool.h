#pragma once

#include "benchsocket.h"
#include "histogram.h"
#include "traffic.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace inkroom::bench {

//! One simulated client.
struct ClientSpec
{
    int index = 0; //!< unique in the run; also the sender number in live ids
    QString room; //!< also the URL path (the reference server's rooms are paths)
    bool sender = false; //!< draws at the traffic rate
    bool stall = false; //!< stops reading as soon as it has joined
    QByteArray hello; //!< empty: raw mode (the reference server has no hello)
    QString client; //!< the client id of hello: the add ops it sends make items "<client>:<n>"
};

struct TrafficConfig
{
    double rateHz = 60;
    quint64 windowStart = 0; //!< nowMicros(): messages sent in [windowStart, windowEnd) are measured
    quint64 windowEnd = 0;
    bool opsOnStrokeEnd = false; //!< each finished stroke is also committed with an add op
};

//! What a pool measured.
struct PoolResults
{
    Histogram latency; //!< send -> receive at every other client, messages sent in the window
    quint64 sentInWindow = 0;
    quint64 deliveredInWindow = 0;
    quint64 sentTotal = 0;
    quint64 deliveredTotal = 0;
    quint64 lateTicks = 0; //!< sends that left more than one period late (the load generator fell behind)
    Histogram handshake; //!< connect() until the WebSocket is open
    Histogram joining; //!< WebSocket open until synced (hello, welcome, catch-up)
    quint64 opsSent = 0;
    int closed = 0;
    void merge(const PoolResults &other);
};

/** @brief Many client connections on one thread of the load generator.
 *
 * Lives on its own QThread; the conductor drives it with queued calls and reads the atomics. Keeps at most
 * maxOpening connections in the WebSocket handshake at a time (the server drops connections beyond its limit of
 * pending handshakes, 64 by default, as real servers do); joining after the handshake is not limited, sends pre-encoded
 * stroke updates at a fixed rate from a 1 ms precise timer, and on receipt reads only the id of a live message: no JSON
 * is parsed on the hot path.
 */
class ClientPool : public QObject, public SocketOwner
{
    Q_OBJECT

public:
    ClientPool(BenchSocket::Transport transport, Endpoint endpoint, int maxOpening);
    ~ClientPool() override;

    // ---- called on the pool's thread (QMetaObject::invokeMethod) ----
    void addClients(const QList<ClientSpec> &clients);
    void startTraffic(const TrafficConfig &config);
    void stopTraffic();
    //! Measure a new window from now on (the traffic goes on); clears what the last window measured.
    void setWindow(quint64 start, quint64 end);
    //! Make client index stop reading.
    void stallClient(int index);
    [[nodiscard]] PoolResults results() const;
    void closeAll();

    // ---- read from any thread ----
    std::atomic<int> opened {0};
    std::atomic<int> joined {0};
    std::atomic<int> failed {0};
    std::atomic<int> closedCount {0};
    std::atomic<quint64> delivered {0};
    std::atomic<quint64> lastDeliveryMicros {0};
    std::atomic<quint64> firstOpenMicros {0};
    std::atomic<quint64> lastJoinMicros {0};

    void socketOpened(BenchSocket *socket) override;
    void socketMessage(BenchSocket *socket, QByteArrayView bytes) override;
    void socketClosed(BenchSocket *socket) override;

private:
    struct Client
    {
        ClientSpec spec;
        BenchSocket *socket = nullptr;
        qsizetype message = 0; //!< next message of the stroke cycle
        quint64 nextSend = 0;
        quint64 cseq = 0;
        int strokesDone = 0;
        bool handshaking = true; //!< counted in the pool's window of connections being opened
        quint64 openedAt = 0; //!< nowMicros() at connect, then at WebSocket open
    };

    void openMore();
    void markJoined(Client &client);
    void tick();

    const BenchSocket::Transport m_transport;
    const Endpoint m_endpoint;
    const int m_maxOpening;
    std::vector<std::unique_ptr<Client>> m_clients;
    QHash<BenchSocket *, Client *> m_bySocket;
    qsizetype m_nextToOpen = 0;
    int m_opening = 0;

    std::unique_ptr<LiveStrokes> m_strokes;
    TrafficConfig m_traffic;
    quint64 m_period = 0;
    QTimer *m_timer;
    QByteArray m_scratch;
    PoolResults m_results;
};

} // namespace inkroom::bench
