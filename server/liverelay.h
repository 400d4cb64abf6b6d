#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <functional>

namespace inkroom::server {

class NodeBus;

/** @brief Live (volatile) traffic across the servers of one database: cursors, live strokes, views and lasers that
 *  members of a room send on one node reach the room's members on the others.
 *
 * What a node's rooms relay waits a few milliseconds (ServerConfig::nodeLiveBatchMs) and goes out in as few NOTIFY
 * payloads as fit (NodeBus::kMaxPayload each): "NODE\nROOM MESSAGE\nROOM MESSAGE...", a message being compact JSON
 * (never a raw newline). What arrives from other nodes is checked like network input (it is: any user of the database
 * may NOTIFY) and only the volatile kinds are delivered. Like on one node, volatile traffic may be lost.
 */
class LiveRelay final : public QObject
{
    Q_OBJECT

public:
    using Deliver = std::function<void(qint64 room, const QByteArray &bytes)>;
    LiveRelay(NodeBus &bus, int batchMs, Deliver deliver, QObject *parent = nullptr);

    //! A message this node's members sent to room: to the other nodes, with the next batch.
    void queue(qint64 room, const QByteArray &bytes);

private:
    void flush();
    void received(const QByteArray &payload);

    NodeBus &m_bus;
    Deliver m_deliver;
    QTimer m_timer;
    QByteArray m_batch; //!< "ROOM MESSAGE" lines waiting
};

} // namespace inkroom::server
