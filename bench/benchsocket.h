#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>

class QTcpSocket;
class QWebSocket;

namespace inkroom::bench {

class BenchSocket;

//! Where a bench client connects: a loopback address and port, over plain ws:// or wss://.
struct Endpoint
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    //! wss://: TLS 1.2 or 1.3 as the server offers, the certificate not checked (the bench made it for this run).
    bool tls = false;
};

//! Gets what a BenchSocket receives. Called on the socket's thread.
class SocketOwner
{
public:
    virtual ~SocketOwner() = default;
    virtual void socketOpened(BenchSocket *socket) = 0;
    //! One whole message (binary or text). bytes is valid only during the call.
    virtual void socketMessage(BenchSocket *socket, QByteArrayView bytes) = 0;
    virtual void socketClosed(BenchSocket *socket) = 0;
};

/** @brief One WebSocket client connection of the load generator.
 *
 * Two transports behind one interface:
 * - Lean: our own RFC 6455 client on a QTcpSocket (TCP_NODELAY). Reads whatever the kernel has into one buffer
 *   and splits frames in place, so a receiver costs little more than the recv() itself; sends one masked frame
 *   per message and flushes at once. The default: the load generator shares two cores with the server and must
 *   not be what limits a run. Over TLS it runs on the server's TlsSocket in its client role (OpenSSL on the
 *   descriptor, no copies through QSslSocket's two buffers), with a context that checks no certificate.
 * - Qt: QWebSocket, sendBinaryMessage() of the pre-encoded bytes and flush(); binaryMessageReceived for input.
 *   What the real client core uses; it costs the load generator several times more CPU per received message.
 */
class BenchSocket : public QObject
{
    Q_OBJECT

public:
    enum class Transport {
        Lean,
        Qt
    };

    BenchSocket(Transport transport, int index, SocketOwner *owner, QObject *parent = nullptr);
    ~BenchSocket() override;

    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] bool isClosed() const { return m_closed; }

    //! Connect to ws://host:port/path, or wss:// (loopback only).
    void open(const Endpoint &endpoint, const QString &path);
    //! Send one binary message and push it to the kernel now.
    void send(QByteArrayView payload);
    //! Stop reading: from now on nothing is taken from the kernel (the peer's output backs up). Lean only.
    void stall();
    //! Drop the connection without a closing handshake.
    void abort();
    //! Bytes sent and messages received, for sanity checks.
    [[nodiscard]] quint64 messagesReceived() const { return m_received; }

    //! Per-connection state the owner keeps here to avoid a lookup per message.
    bool joined = false;
    bool counted = false;

private:
    void onLeanConnected();
    void onLeanReadyRead();
    //! The lean transport over TLS: a TCP connection of its own (non-blocking), then TlsSocket's client side on it.
    void openTls(const Endpoint &endpoint, const QString &path);
    //! Listen to m_tcp, whichever kind it is.
    void watchTransport();
    bool parseHandshake();
    void parseFrames();
    void sendFrame(int opcode, QByteArrayView payload);
    void closed();

    const Transport m_transport;
    const int m_index;
    SocketOwner *const m_owner;
    QTcpSocket *m_tcp = nullptr;
    int m_connecting = -1; //!< openTls(): the descriptor while its TCP connection is being made
    QWebSocket *m_ws = nullptr;
    QByteArray m_key;
    QByteArray m_in;
    qsizetype m_inStart = 0;
    QByteArray m_fragments;
    int m_fragmentOpcode = 0;
    QByteArray m_frame; //!< reused for outgoing frames
    quint32 m_maskState;
    bool m_open = false;
    bool m_closed = false;
    bool m_handshakeDone = false;
    bool m_stalled = false;
    quint64 m_received = 0;
};

} // namespace inkroom::bench
