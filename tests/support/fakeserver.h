#pragma once

#include "protocol.h"

#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocketServer>

#include <memory>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace inkroom::test {

/** @brief A scripted WebSocket server: records what each connection sends and sends what the test says.
 *
 * For exact protocol checks of the client (the hello's resume point, resend order, what happens on each close
 * code); end-to-end tests use the real server.
 */
class FakeServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeServer(QObject *parent = nullptr);
    ~FakeServer() override;

    bool listen();
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    //! Connections accepted so far (closed ones included); index i is the i-th.
    [[nodiscard]] int connectionCount() const { return int(m_connections.size()); }
    [[nodiscard]] bool isOpen(int index) const;
    [[nodiscard]] const QList<proto::Message> &received(int index) const;

    template<class T> [[nodiscard]] QList<T> receivedOf(int index) const
    {
        QList<T> result;
        for (const proto::Message &m : received(index)) {
            if (const T *value = std::get_if<T>(&m))
                result.append(*value);
        }
        return result;
    }
    [[nodiscard]] std::optional<proto::Hello> hello(int index) const;

    void send(int index, const proto::Message &message);
    //! Any bytes as one binary message (a server that does not follow the protocol).
    void sendBytes(int index, const QByteArray &bytes);
    //! A welcome for the hello on connection index, then snapshot (when given), ops, and synced.
    void welcome(int index, const QString &epoch, quint64 acked, quint64 head, const QList<proto::Op> &ops = {},
                 std::optional<proto::Snapshot> snapshot = std::nullopt, const QList<proto::Member> &others = {});
    void close(int index, quint16 code, const QString &reason = {});
    void abort(int index);

Q_SIGNALS:
    void newConnection(int index);
    void messageReceived(int index);

private:
    struct Connection
    {
        std::unique_ptr<QWebSocket> socket;
        QList<proto::Message> messages;
    };
    QWebSocketServer m_server;
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace inkroom::test
