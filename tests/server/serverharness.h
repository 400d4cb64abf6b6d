#pragma once

//! Helpers for the server tests: a server in-process on port 0 with a temporary data directory, a recording
//! WebSocket client, and a raw TCP client that speaks WebSocket by hand (it never answers pings and can stop
//! reading). No Q_OBJECT here: moc never sees these templates.

#include "board.h"
#include "protocol.h"
#include "server.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace inkroom::test {

constexpr int kWaitMs = 15000;

//! Wait, running the event loop, until pred() holds or timeoutMs passes.
bool waitUntil(const std::function<bool()> &pred, int timeoutMs = kWaitMs);
//! The ack without its time (which tests cannot know in advance).
[[nodiscard]] inline proto::Ack withoutTime(proto::Ack ack)
{
    ack.time = 0;
    return ack;
}
//! A valid secret that depends only on the client id: tests that are not about identity need not keep one.
[[nodiscard]] QString derivedSecret(const QString &clientId);

//! Settings that keep tests quick: loopback, any port, plain ws://, cheap password hashing, short grace.
server::ServerConfig testConfig(const QString &dataDir);

//! A Server in a temporary data directory; restart() keeps the directory.
class ServerFixture
{
public:
    explicit ServerFixture(const std::function<void(server::ServerConfig &)> &tweak = {});
    ~ServerFixture();
    bool start();
    //! Destroy the server (as a crash-free stop would) and start another on the same data directory.
    bool restart();
    void stop();
    [[nodiscard]] server::Server &server() { return *m_server; }
    [[nodiscard]] QUrl url() const { return m_server->localUrl(); }
    [[nodiscard]] QString dataDir() const { return m_dir.path(); }
    [[nodiscard]] server::ServerConfig &config() { return m_config; }

private:
    QTemporaryDir m_dir;
    server::ServerConfig m_config;
    std::unique_ptr<server::Server> m_server;
};

//! A real QWebSocket client that records every message it receives, decoded.
class TestClient
{
public:
    explicit TestClient(const QString &clientId = {}, const QString &name = QStringLiteral("Tester"),
                        const QString &origin = {});
    ~TestClient();
    TestClient(const TestClient &) = delete;
    TestClient &operator=(const TestClient &) = delete;

    QString clientId;
    //! The secret hello sends; empty: one derived from clientId, so the same id always proves itself the same way.
    QString secret;
    QString name;
    QString acceptedFingerprint; //!< see acceptCertificate()
    proto::Colour colour = 0xff336699;
    quint64 nextCseq = 1;
    bool serve = false; //!< hello.serve: this client says its app can serve the room

    bool connectTo(const QUrl &url);
    //! wss://: go on with a server whose certificate has this fingerprint (whatever its issuer and names).
    void acceptCertificate(const QString &fingerprint);
    [[nodiscard]] proto::Hello hello(const QString &room, const QString &password = {}) const;
    //! Connect, say hello, and wait for synced (true) or a close (false).
    bool join(const QUrl &url, const QString &room, std::optional<proto::ResumePoint> resume = std::nullopt,
              const QString &password = {});
    void send(const proto::Message &message);
    void sendBytes(const QByteArray &bytes);
    void sendText(const QString &text);
    void close();

    [[nodiscard]] bool isConnected() const;
    bool waitForClose(int timeoutMs = kWaitMs);
    [[nodiscard]] quint16 closeCode() const { return m_closeCode; }
    [[nodiscard]] QWebSocket &socket() { return *m_socket; }

    [[nodiscard]] const QList<proto::Message> &messages() const { return m_messages; }
    [[nodiscard]] int undecodable() const { return m_undecodable; }
    void clear() { m_messages.clear(); }

    template<class T> [[nodiscard]] QList<T> all() const
    {
        QList<T> result;
        for (const proto::Message &message : m_messages) {
            if (const T *value = std::get_if<T>(&message))
                result.append(*value);
        }
        return result;
    }
    template<class T> [[nodiscard]] int count() const { return int(all<T>().size()); }
    template<class T> [[nodiscard]] std::optional<T> last() const
    {
        const QList<T> list = all<T>();
        return list.isEmpty() ? std::nullopt : std::optional<T>(list.constLast());
    }
    template<class T> bool waitFor(int n = 1, int timeoutMs = kWaitMs)
    {
        return waitUntil([this, n] { return count<T>() >= n; }, timeoutMs);
    }
    //! Wait for the ack or reject of cseq.
    bool waitForAnswer(quint64 cseq, int timeoutMs = kWaitMs);
    [[nodiscard]] std::optional<proto::Ack> ackFor(quint64 cseq) const;
    [[nodiscard]] std::optional<proto::Reject> rejectFor(quint64 cseq) const;

    //! A stroke add with the next cseq (and an id derived from it).
    proto::Op makeAdd(int points = 3, const QString &itemId = {});
    /** Stream ops with at most window unacknowledged until ackedAtLeast are acknowledged, then put up to window more
     *  on their way, so that a kill right after lands while the server is reading and committing them. Returns how
     *  many were sent, or -1 when the acks did not come in time. */
    int streamUntilAcked(const QList<proto::Op> &ops, int window, int ackedAtLeast);
    proto::Op makeChat(const QString &text);
    //! Send an op made by makeAdd/makeChat and return its cseq.
    quint64 sendOp(const proto::Op &op);

    //! The epoch and head from the last welcome, and the board built from everything received since it.
    [[nodiscard]] std::optional<proto::Welcome> welcome() const { return last<proto::Welcome>(); }
    [[nodiscard]] Board boardSinceWelcome() const;

private:
    std::unique_ptr<QWebSocket> m_socket;
    QList<proto::Message> m_messages;
    int m_undecodable = 0;
    bool m_closed = false;
    quint16 m_closeCode = 0;
};

//! The SHA-256 fingerprint of the certificate the peer of a QWebSocket presented ("AB:CD:..."), if any.
[[nodiscard]] QString peerFingerprintOf(const QWebSocket &socket);

//! A TCP socket that speaks just enough WebSocket by hand: it never answers pings and can stop reading.
class RawClient
{
public:
    RawClient();
    //! Connect over plain TCP (whatever the url's scheme), from the address from when it is given (127.0.0.2, ...).
    bool connectTo(const QUrl &url, const QHostAddress &from = {});
    //! Connect and negotiate TLS (any certificate accepted): every byte after it goes encrypted.
    bool connectEncrypted(const QUrl &url);
    //! Send the HTTP upgrade request and wait for the 101 response.
    bool upgrade(const QUrl &url);
    //! A masked frame with this payload (a final text frame unless told otherwise).
    void sendFrame(const QByteArray &payload, quint8 opcode = 0x1, bool final = true);
    //! The bytes of a masked frame, for sending in pieces.
    [[nodiscard]] static QByteArray frame(const QByteArray &payload, quint8 opcode = 0x1, bool final = true);
    //! A final text frame without a mask, which RFC 6455 forbids from clients (payload below 126 bytes).
    [[nodiscard]] static QByteArray unmaskedFrame(const QByteArray &payload);
    void sendHello(const proto::Hello &hello) { sendFrame(proto::encode(hello)); }
    //! Stop reading: the kernel buffers fill and the server's output for us grows.
    void stopReading();
    [[nodiscard]] bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool waitForDisconnect(int timeoutMs = kWaitMs);
    [[nodiscard]] QTcpSocket &socket() { return m_socket; }
    //! Read what has arrived (unless reading was stopped) and return the close code of a close frame, if any.
    std::optional<quint16> closeCodeReceived();
    //! Payloads of the data frames received so far (after upgrade()).
    [[nodiscard]] QList<QByteArray> messagesReceived();
    //! Payloads of the pongs received so far.
    [[nodiscard]] QList<QByteArray> pongsReceived();

private:
    void readFrames();

    QSslSocket m_socket; //!< unencrypted unless the url was wss://
    QByteArray m_buffer;
    QList<QByteArray> m_messages;
    QList<QByteArray> m_pongs;
    std::optional<quint16> m_closeCode;
};

//! A raw client joined to room as clientId (its hello sent masked, synced received); null when that fails.
std::unique_ptr<RawClient> rawMember(const QUrl &url, const QString &clientId, const QString &room);

//! A stroke with n points.
proto::Item strokeItem(const QString &id, int points);

//! A look at a server's database from the test, through a connection of its own, as a crash investigator would.
class DatabaseProbe
{
public:
    //! The server's database in dataDir (or another SQLite file, with a file name ending in .sqlite).
    explicit DatabaseProbe(const QString &dataDirOrFile);
    ~DatabaseProbe();
    DatabaseProbe(const DatabaseProbe &) = delete;
    DatabaseProbe &operator=(const DatabaseProbe &) = delete;

    //! The first column of the first row, as a number; -1 when the query fails or has no row.
    qint64 number(const QString &sql);
    //! The first column of every row, as numbers.
    QList<qint64> numbers(const QString &sql);
    //! The first column of the first row, as bytes (null when there is none).
    QByteArray bytes(const QString &sql);
    bool exec(const QString &sql);

private:
    QString m_name;
};

} // namespace inkroom::test
