#include "decodelane.h"

#include "connection.h"
#include "protocollimits.h"

#include <QMutexLocker>

namespace inkroom::server {

DecodeJob::DecodeJob(QByteArray bytes, std::shared_ptr<std::atomic<qint64>> total)
    : m_bytes(std::move(bytes))
    , m_total(std::move(total))
{
    m_total->fetch_add(m_bytes.size(), std::memory_order_relaxed);
}

DecodeJob::~DecodeJob()
{
    m_total->fetch_sub(m_bytes.size(), std::memory_order_relaxed);
}

void DecodeJob::decode()
{
    proto::DecodeResult result = proto::decode(m_bytes, limits::MaxClientMessageBytes);
    QByteArray unstamped;
    if (result.ok()) {
        if (const auto *op = std::get_if<proto::Op>(&result.message());
            op && (op->kind == proto::OpKind::Add || op->kind == proto::OpKind::Update)) {
            // Without what the server stamps when it orders the op (a client may have sent some of it).
            proto::Op bare = *op;
            bare.seq = 0;
            bare.time = 0;
            bare.client.clear();
            bare.author.clear();
            unstamped = proto::encode(bare);
        }
    }
    QMutexLocker lock(&m_mutex);
    m_result.emplace(DecodedMessage {std::move(result), std::move(unstamped)});
    m_state.store(kDone, std::memory_order_release);
    m_finished.wakeAll();
}

bool DecodeJob::run()
{
    int expected = kWaiting;
    if (!m_state.compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel))
        return false;
    decode();
    return true;
}

void DecodeJob::finish()
{
    if (run())
        return;
    QMutexLocker lock(&m_mutex);
    while (m_state.load(std::memory_order_acquire) != kDone)
        m_finished.wait(&m_mutex);
}

void DecodeJob::abandon()
{
    int expected = kWaiting;
    m_state.compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel);
}

DecodeLane::DecodeLane(qint64 minBytes, qint64 maxBytes, int threads, QObject *parent)
    : QObject(parent)
    , m_minBytes(std::max<qint64>(minBytes, 1))
    , m_maxBytes(maxBytes)
{
    m_pool.setMaxThreadCount(std::max(1, threads));
}

DecodeLane::~DecodeLane()
{
    m_pool.clear();
    m_pool.waitForDone();
}

std::shared_ptr<DecodeJob> DecodeLane::start(Connection *connection, const QByteArray &bytes)
{
    auto job = std::make_shared<DecodeJob>(bytes, m_total);
    const quint64 serial = connection->serial();
    m_connections.insert(serial, connection);
    m_pool.start([this, job, serial] {
        if (!job->run())
            return; // done on the server's thread, or nobody wants it
        // Back on the server's thread; the connection may be gone by then.
        QMetaObject::invokeMethod(
            this, [this, serial] { done(serial); }, Qt::QueuedConnection);
    });
    return job;
}

void DecodeLane::done(quint64 serial)
{
    if (Connection *connection = m_connections.value(serial))
        connection->handOn();
}

} // namespace inkroom::server
