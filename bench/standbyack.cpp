#include "standbyack.h"

#include "protocol.h"
#include "protocollimits.h"
#include "runner.h"
#include "traffic.h"

#include <QHash>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace inkroom::bench {

namespace {

//! One member of the measured room, on a QWebSocket.
class Member
{
public:
    Member(const QUrl &server, const QString &room, const QString &id, bool serve)
    {
        proto::Hello hello;
        hello.client = id;
        hello.secret = u"bench-secret-%1-0123456789abcdef"_s.arg(id);
        hello.name = serve ? u"Standby"_s : u"Writer"_s;
        hello.room = room;
        hello.serve = serve;
        m_serve = serve;
        QObject::connect(&m_socket, &QWebSocket::connected, &m_socket, [this, hello] { send(hello); });
        // Loopback, and a certificate the bench made for this run: nothing to check in a wss:// run.
        QObject::connect(&m_socket, &QWebSocket::sslErrors, &m_socket, [this] { m_socket.ignoreSslErrors(); });
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) { received(text.toUtf8()); });
        QObject::connect(&m_socket, &QWebSocket::binaryMessageReceived, &m_socket,
                         [this](const QByteArray &bytes) { received(bytes); });
        m_socket.open(server);
    }

    void send(const proto::Message &message) { m_socket.sendTextMessage(QString::fromUtf8(proto::encode(message))); }

    bool synced = false;
    bool closed = false;
    QString standby; //!< the standby the room announced ("" when none)
    QHash<quint64, quint64> sentAt; //!< cseq -> nowMicros() at send
    Histogram *latencies = nullptr;
    quint64 acks = 0;
    quint64 refused = 0;

private:
    void received(const QByteArray &bytes)
    {
        const proto::DecodeResult decoded = proto::decode(bytes, limits::MaxServerMessageBytes);
        if (!decoded.ok())
            return;
        const proto::Message &message = decoded.message();
        if (std::holds_alternative<proto::Synced>(message)) {
            synced = true;
        } else if (const auto *ack = std::get_if<proto::Ack>(&message)) {
            if (latencies && sentAt.contains(ack->cseq))
                latencies->add(nowMicros() - sentAt.take(ack->cseq));
            ++acks;
        } else if (std::holds_alternative<proto::Reject>(message)) {
            ++refused;
        } else if (const auto *standbyAnnounced = std::get_if<proto::Standby>(&message)) {
            standby = standbyAnnounced->client;
        } else if (const auto *replica = std::get_if<proto::Replica>(&message); replica && m_serve) {
            // The app confirms each part once its copy holds it; say where "its server" listens after the first.
            send(proto::ReplicaAck {replica->head});
            if (!std::exchange(m_saidReady, true))
                send(proto::Standby {{}, {}, {}, {}, 1});
        } else if (std::holds_alternative<proto::Error>(message)) {
            closed = std::get<proto::Error>(message).fatal;
        }
    }

    QWebSocket m_socket;
    bool m_serve = false;
    bool m_saidReady = false;
};

} // namespace

bool measureAckLatency(const QUrl &server, const QString &room, bool withStandby, int ops, double rateHz,
                       Histogram *latencies, QString *note)
{
    const QString writerId = u"bench-writer-%1"_s.arg(room);
    Member writer(server, room, writerId, false);
    std::unique_ptr<Member> standby;
    if (!waitFor([&] { return writer.synced || writer.closed; }, 15000) || !writer.synced) {
        *note = u"the writer could not join"_s;
        return false;
    }
    if (withStandby) {
        standby = std::make_unique<Member>(server, room, u"bench-standby-%1"_s.arg(room), true);
        if (!waitFor([&] { return !writer.standby.isEmpty(); }, 15000)) {
            *note = u"no standby was announced"_s;
            return false;
        }
    }
    writer.latencies = latencies;
    const quint64 interval = quint64(1e6 / rateHz);
    const quint64 start = nowMicros();
    for (int i = 1; i <= ops; ++i) {
        waitUntilMicros(start + quint64(i - 1) * interval);
        // A short stroke, as a member drawing adds them (chat has a pace of its own).
        const proto::Op op = strokeAdd(u"%1:%2"_s.arg(writerId).arg(i), quint64(i),
                                       randomStroke(quint32(i), 20, QPointF(i % 500, i / 500)));
        writer.sentAt.insert(op.cseq, nowMicros());
        writer.send(op);
    }
    if (!waitFor([&] { return writer.acks + writer.refused >= quint64(ops); }, 30000) || writer.refused) {
        *note = u"%1 of %2 ops acknowledged, %3 refused"_s.arg(writer.acks).arg(ops).arg(writer.refused);
        return false;
    }
    if (withStandby && writer.standby.isEmpty()) {
        *note = u"the standby was dropped during the run"_s;
        return false;
    }
    return true;
}

} // namespace inkroom::bench
