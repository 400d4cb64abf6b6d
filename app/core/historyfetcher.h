#pragma once

#include "protocol.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace inkroom::client {

class Session;

/** @brief Pages through a room's history on the server (docs/PROTOCOL.md, "History") over a session's connection.
 *
 * First the board the history starts from, part by part (baseFetched()), then the ops after it, a page at a time
 * (opsFetched()), until a page reaches the room's head (caughtUp()). One request is in flight at a time, answered on
 * the event loop: nothing waits. A transient refusal (rate_limited, server_busy, internal) asks again after a pause;
 * history_gone, or a starting board that a compaction replaced while its parts came in, starts again from the
 * beginning. Offline it waits, and goes on from where it stood once the session is online again (continueFrom()).
 * Answers carry no request id (they come in order): one fetcher may be fetching on a session at a time.
 */
class HistoryFetcher : public QObject
{
    Q_OBJECT

public:
    //! A transient refusal asks again after this long.
    static constexpr int RetryMs = 500;
    //! Ops asked for per page (the protocol's most).
    static constexpr int PageOps = 1000;

    explicit HistoryFetcher(QObject *parent = nullptr);

    void setSession(Session *session);
    //! Fetch the whole history from its beginning (drops whatever a fetch in progress had).
    void start();
    //! Fetch the ops after seq (the history up to seq is already known); from the beginning if those are gone.
    void continueFrom(quint64 seq);
    void stop();

    [[nodiscard]] bool active() const { return m_phase != Phase::Idle; }
    //! The seq the fetched history reaches (the base's, or the last page's).
    [[nodiscard]] quint64 reached() const { return m_after; }
    //! The room's head as the last page said it.
    [[nodiscard]] quint64 head() const { return m_head; }
    //! Why the fetch stopped for good (empty: it did not).
    [[nodiscard]] QString failure() const { return m_failure; }

Q_SIGNALS:
    //! The history starts from this board: everything fetched before is void.
    void baseFetched(quint64 seq, const QList<inkroom::proto::Item> &items);
    //! The next ops of the history, in seq order (only those this client may see).
    void opsFetched(const QList<inkroom::proto::Op> &ops);
    //! The fetch reached the room's head (ops committed later arrive live).
    void caughtUp(quint64 seq);
    //! It stopped for good: the server refused the history (why, for people).
    void failed(const QString &why);
    void activeChanged();

private:
    enum class Phase {
        Idle,
        Base, //!< fetching the parts of the starting board
        Ops //!< fetching the ops after m_after
    };

    void setPhase(Phase phase);
    void request();
    void onPage(const proto::HistoryPage &page);
    void onBase(const proto::HistoryPage &page);
    void onOps(const proto::HistoryPage &page);

    QPointer<Session> m_session;
    Phase m_phase = Phase::Idle;
    //! The generation of each request in flight, oldest first (answers come in order); an answer to a request of an
    //! older generation (before a start() or continueFrom()) is dropped.
    QList<quint64> m_inFlight;
    quint64 m_generation = 0;
    quint64 m_base = 0;
    int m_part = 0;
    QList<proto::Item> m_items; //!< the parts of the starting board so far
    quint64 m_after = 0;
    quint64 m_head = 0;
    QString m_failure;
    QTimer m_retry;
};

} // namespace inkroom::client
