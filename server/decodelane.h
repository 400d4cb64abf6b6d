#pragma once

#include "protocol.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThreadPool>
#include <QWaitCondition>

#include <atomic>
#include <memory>
#include <optional>

namespace inkroom::server {

class Connection;

/** What a worker thread made of one message: the message decoded (or why not) and, for an add or update op, its
 *  encoding without the fields the server stamps (proto::encodeStamped() adds them when the op is ordered). */
struct DecodedMessage
{
    proto::DecodeResult result;
    QByteArray unstampedOp;
};

/** @brief One message a connection gave the DecodeLane: decoded by a worker, or on the server's thread when that
 *  cannot wait. Whoever claims it first does the work, once. Its bytes count in the lane's total while it lives. */
class DecodeJob
{
public:
    DecodeJob(QByteArray bytes, std::shared_ptr<std::atomic<qint64>> total);
    ~DecodeJob();
    DecodeJob(const DecodeJob &) = delete;
    DecodeJob &operator=(const DecodeJob &) = delete;

    [[nodiscard]] const QByteArray &bytes() const { return m_bytes; }
    [[nodiscard]] bool isDone() const { return m_state.load(std::memory_order_acquire) == kDone; }
    //! A worker's part: decode it unless it was claimed first. True when this call did the work.
    bool run();
    //! On the server's thread: decode it here unless a worker has started it; else wait for that worker.
    void finish();
    //! Nobody wants it any more: a worker that has not started it skips it.
    void abandon();
    //! Only once isDone().
    [[nodiscard]] const DecodedMessage &result() const { return *m_result; }

private:
    static constexpr int kWaiting = 0;
    static constexpr int kClaimed = 1;
    static constexpr int kDone = 2;
    void decode();

    const QByteArray m_bytes;
    const std::shared_ptr<std::atomic<qint64>> m_total;
    std::atomic<int> m_state {kWaiting};
    std::optional<DecodedMessage> m_result;
    QMutex m_mutex;
    QWaitCondition m_finished;
};

/** @brief Decodes clients' large messages on worker threads (and encodes large adds and updates), and tells their
 *  connections when each is done.
 *
 * A 10,000-point stroke takes milliseconds to decode and as long again to encode; on the server's thread every other
 * room's ops would wait behind it. A connection gives a large message to the lane and keeps it in its place among its
 * own messages (Connection::onMessage()): what it sends after waits for it, so each connection's messages are handled
 * in the order they arrived (and so are each room's ops), while other connections' messages go on being handled. The
 * messages in the lane, with what they decode to, take at most about three times maxBytes; past maxBytes, large
 * messages are decoded on the server's thread as before. Lives on the server's thread.
 */
class DecodeLane : public QObject
{
    Q_OBJECT

public:
    /** Messages of at least minBytes are for the lane, maxBytes of them at a time, decoded by at most threads
     *  workers. */
    DecodeLane(qint64 minBytes, qint64 maxBytes, int threads, QObject *parent = nullptr);
    //! Waits for the workers (what they finish then is not delivered).
    ~DecodeLane() override;
    DecodeLane(const DecodeLane &) = delete;
    DecodeLane &operator=(const DecodeLane &) = delete;

    //! Is a message of this size one for a worker, and is there room for it now?
    [[nodiscard]] bool takes(qint64 bytes) const
    {
        return bytes >= m_minBytes && m_total->load(std::memory_order_relaxed) + bytes <= m_maxBytes;
    }
    //! Decode bytes on a worker; then connection->handOn() is called, unless the connection is gone by then.
    [[nodiscard]] std::shared_ptr<DecodeJob> start(Connection *connection, const QByteArray &bytes);
    //! The connection is being destroyed: nothing is delivered to it any more.
    void forget(quint64 serial) { m_connections.remove(serial); }
    //! Bytes of the messages in the lane (given to it and not yet handled or dropped).
    [[nodiscard]] qint64 bytes() const { return m_total->load(std::memory_order_relaxed); }

private:
    void done(quint64 serial);

    const qint64 m_minBytes;
    const qint64 m_maxBytes;
    const std::shared_ptr<std::atomic<qint64>> m_total = std::make_shared<std::atomic<qint64>>(0);
    QHash<quint64, Connection *> m_connections; //!< those that gave it messages, by serial
    QThreadPool m_pool; //!< last: its workers are waited for before the rest goes
};

} // namespace inkroom::server
