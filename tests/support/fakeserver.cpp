#include "fakeserver.h"

#include "protocollimits.h"

#include <QWebSocket>

namespace inkroom::test {

FakeServer::FakeServer(QObject *parent)
    : QObject(parent)
    , m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            auto connection = std::make_unique<Connection>();
            connection->socket.reset(socket);
            const int index = int(m_connections.size());
            Connection *raw = connection.get();
            connect(socket, &QWebSocket::binaryMessageReceived, this, [this, raw, index](const QByteArray &bytes) {
                const auto decoded = proto::decode(bytes, limits::MaxClientMessageBytes);
                if (decoded.ok())
                    raw->messages.append(decoded.message());
                Q_EMIT messageReceived(index);
            });
            connect(socket, &QWebSocket::textMessageReceived, this, [this, raw, index](const QString &text) {
                const auto decoded = proto::decode(text.toUtf8(), limits::MaxClientMessageBytes);
                if (decoded.ok())
                    raw->messages.append(decoded.message());
                Q_EMIT messageReceived(index);
            });
            m_connections.push_back(std::move(connection));
            Q_EMIT newConnection(index);
        }
    });
}

FakeServer::~FakeServer()
{
    for (auto &connection : m_connections) {
        if (connection->socket) {
            connection->socket->disconnect(this);
            connection->socket->abort();
        }
    }
}

bool FakeServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
}

bool FakeServer::isOpen(int index) const
{
    return index >= 0 && index < connectionCount() && m_connections[size_t(index)]->socket
        && m_connections[size_t(index)]->socket->state() == QAbstractSocket::ConnectedState;
}

const QList<proto::Message> &FakeServer::received(int index) const
{
    static const QList<proto::Message> none;
    return index >= 0 && index < connectionCount() ? m_connections[size_t(index)]->messages : none;
}

std::optional<proto::Hello> FakeServer::hello(int index) const
{
    const QList<proto::Hello> hellos = receivedOf<proto::Hello>(index);
    return hellos.isEmpty() ? std::nullopt : std::optional(hellos.first());
}

void FakeServer::send(int index, const proto::Message &message)
{
    if (isOpen(index))
        m_connections[size_t(index)]->socket->sendBinaryMessage(proto::encode(message));
}

void FakeServer::sendBytes(int index, const QByteArray &bytes)
{
    if (isOpen(index))
        m_connections[size_t(index)]->socket->sendBinaryMessage(bytes);
}

void FakeServer::welcome(int index, const QString &epoch, quint64 acked, quint64 head, const QList<proto::Op> &ops,
                         std::optional<proto::Snapshot> snapshot, const QList<proto::Member> &others)
{
    const auto hello = this->hello(index);
    if (!hello)
        return;
    proto::Welcome w;
    w.room = hello->room;
    w.epoch = epoch;
    w.you = hello->client;
    w.members = others;
    w.members.append(proto::Member {hello->client, hello->name, hello->colour, false});
    w.acked = acked;
    w.head = head;
    w.snapshot = snapshot.has_value();
    send(index, w);
    if (snapshot)
        send(index, *snapshot);
    for (const proto::Op &op : ops)
        send(index, op);
    send(index, proto::Synced {head});
}

void FakeServer::close(int index, quint16 code, const QString &reason)
{
    if (isOpen(index))
        m_connections[size_t(index)]->socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void FakeServer::abort(int index)
{
    if (index >= 0 && index < connectionCount() && m_connections[size_t(index)]->socket)
        m_connections[size_t(index)]->socket->abort();
}

} // namespace inkroom::test
