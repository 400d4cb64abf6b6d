#pragma once

#include "storelocation.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

struct pg_conn;
class QSocketNotifier;

namespace inkroom::server {

/** @brief A server's line to the other servers (nodes) of one PostgreSQL database: LISTEN/NOTIFY on a connection of
 *  its own (libpq, integrated with the event loop by a QSocketNotifier).
 *
 * Three channels: the heads other nodes committed (sent by Store::setHead() in the committing transaction, so a head
 * is announced only once it is committed), live traffic (cursors, live strokes, views, lasers), which publishLive()
 * sends, and who is in which room (NodePresence, publishPresence()). All are hints that may be lost while a connection
 * is away: a node reads committed ops from the table (Rooms::catchUpAll() after resumed(), and now and then anyway),
 * volatile traffic may be lost as it may be on one node, and the nodes say their members again after resumed().
 *
 * The connection is watched: when it breaks the bus says so in the log and connects again (at most once a second),
 * then emits resumed(), since whatever was announced meanwhile is lost. Only for a shared store (PostgreSQL).
 */
class NodeBus final : public QObject
{
    Q_OBJECT

public:
    explicit NodeBus(StoreLocation location, QObject *parent = nullptr);
    ~NodeBus() override;

    //! Connect and listen (and keep doing so). False, with *error, when the first attempt fails (it keeps trying).
    bool start(QString *error);
    [[nodiscard]] bool isListening() const { return m_listening; }
    //! A random id of this node, so that its own live traffic is not relayed back to it.
    [[nodiscard]] const QByteArray &nodeId() const { return m_nodeId; }
    //! Send payload (at most kMaxPayload bytes of text) on the live channel; dropped while the bus is down.
    void publishLive(const QByteArray &payload);
    /** Send payload on the presence channel: never dropped while the bus is up (and forgotten when it goes down:
     *  NodePresence says everything again on resumed()). */
    void publishPresence(const QByteArray &payload);
    //! Tests: ignore the next n head notifications, as if they were lost.
    void dropHeads(int n) { m_dropHeads = n; }

    //! What a NOTIFY payload may carry (PostgreSQL's limit is 8000 bytes).
    static constexpr qsizetype kMaxPayload = 7900;

Q_SIGNALS:
    //! Another node (or this one) committed room id up to head.
    void headReached(qint64 room, quint64 head);
    //! Another node's live traffic (its nodeId first: see LiveRelay).
    void liveReceived(const QByteArray &payload);
    //! A node's presence lines (its nodeId first: see NodePresence); this node's own too.
    void presenceReceived(const QByteArray &payload);
    //! Listening again after the connection was lost (or for the first time): read back what was missed.
    void resumed();

private:
    bool connectNow(QString *error);
    void disconnectNow();
    void readable();
    //! Send the next queued NOTIFY when no query is in flight.
    void sendNext();
    void retry();

    StoreLocation m_location;
    pg_conn *m_conn = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_retry;
    QByteArray m_nodeId;
    QList<QByteArray> m_outgoing; //!< live payloads
    QList<QByteArray> m_presence; //!< presence payloads, sent before live ones
    bool m_inFlight = false;
    QElapsedTimer m_inFlightFor; //!< since the query in flight was sent
    //! A query unanswered this long means a connection that is gone without saying so (a cut link): reconnect.
    static constexpr qint64 kUnansweredMs = 10000;
    bool m_listening = false;
    int m_dropHeads = 0;
    static constexpr int kMaxQueued = 64; //!< live payloads waiting for the connection; older ones are dropped
};

} // namespace inkroom::server
