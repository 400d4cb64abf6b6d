#include "historyfetcher.h"

#include "session.h"

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::ErrorCode;

HistoryFetcher::HistoryFetcher(QObject *parent)
    : QObject(parent)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(RetryMs);
    connect(&m_retry, &QTimer::timeout, this, &HistoryFetcher::request);
}

void HistoryFetcher::setSession(Session *session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_inFlight.clear();
    if (m_session) {
        connect(m_session, &Session::historyPage, this, &HistoryFetcher::onPage);
        // An answer that was on its way when the link went is lost with it: ask again once online.
        connect(m_session, &Session::synced, this, [this] {
            m_inFlight.clear();
            request();
        });
    }
}

void HistoryFetcher::setPhase(Phase phase)
{
    const bool wasActive = active();
    m_phase = phase;
    if (wasActive != active())
        Q_EMIT activeChanged();
}

void HistoryFetcher::start()
{
    ++m_generation;
    m_retry.stop();
    m_failure.clear();
    m_items.clear();
    m_part = 0;
    m_base = 0;
    m_after = 0;
    setPhase(Phase::Base);
    request();
}

void HistoryFetcher::continueFrom(quint64 seq)
{
    ++m_generation;
    m_retry.stop();
    m_failure.clear();
    m_after = seq;
    setPhase(Phase::Ops);
    request();
}

void HistoryFetcher::stop()
{
    ++m_generation;
    m_retry.stop();
    setPhase(Phase::Idle);
}

void HistoryFetcher::request()
{
    // One of ours in flight at a time; an older generation's answer is dropped when it comes, then this asks.
    if (m_phase == Phase::Idle || !m_inFlight.isEmpty() || m_retry.isActive() || !m_session)
        return;
    proto::History history;
    if (m_phase == Phase::Base)
        history.part = m_part;
    else
        history.after = m_after;
    history.limit = PageOps;
    if (m_session->requestHistory(history)) // offline: synced() asks again
        m_inFlight.append(m_generation);
}

void HistoryFetcher::onPage(const proto::HistoryPage &page)
{
    if (m_inFlight.isEmpty())
        return; // not ours, or from before the link went
    if (m_inFlight.takeFirst() != m_generation) {
        request(); // the answer to a request made before a restart: ask what the restart needs now
        return;
    }
    if (m_phase == Phase::Idle)
        return;
    m_head = page.head;
    if (page.code) {
        if (page.retry) {
            m_retry.start();
        } else if (*page.code == ErrorCode::HistoryGone) {
            start(); // compacted past where we stood: the history starts later now
        } else {
            m_failure = page.message.isEmpty() ? proto::errorCodeDescription(*page.code) : page.message;
            setPhase(Phase::Idle);
            Q_EMIT failed(m_failure);
        }
        return;
    }
    if (m_phase == Phase::Base)
        onBase(page);
    else
        onOps(page);
}

void HistoryFetcher::onBase(const proto::HistoryPage &page)
{
    if (page.part != m_part || (m_part > 0 && page.base != m_base)) {
        start(); // a compaction replaced the starting board while its parts came in
        return;
    }
    m_base = page.base;
    m_items += page.items;
    if (m_part + 1 < page.parts) {
        ++m_part;
        request();
        return;
    }
    m_after = m_base;
    const QList<proto::Item> items = std::exchange(m_items, {});
    Q_EMIT baseFetched(m_base, items);
    setPhase(Phase::Ops);
    request();
}

void HistoryFetcher::onOps(const proto::HistoryPage &page)
{
    if (page.last < m_after) {
        start(); // not an answer to what we asked: begin again rather than leave a hole
        return;
    }
    m_after = page.last;
    if (!page.ops.isEmpty())
        Q_EMIT opsFetched(page.ops);
    if (m_after >= page.head) {
        setPhase(Phase::Idle);
        Q_EMIT caughtUp(m_after);
        return;
    }
    request();
}

} // namespace inkroom::client
