#pragma once

#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QUrl>

#include <memory>

class QTcpSocket;
struct iovec;

namespace inkroom::server {

class TlsContext;

/** Write to a connected socket's descriptor without blocking, as much as the kernel takes now. Returns how many
 * bytes it took (0 when its buffer is full or the socket failed: the caller's socket meets the error itself). Only
 * for sockets with nothing waiting in their own buffer, or bytes would overtake each other. Linux only; elsewhere 0.
 */
[[nodiscard]] qint64 sendNow(qintptr descriptor, const char *data, qint64 size);
/** sendNow() for count buffers in a row (struct iovec), with one sendmsg(): what the kernel took of them (0 when
 *  nothing, as above). One call; the caller goes on from where it stopped. */
[[nodiscard]] qint64 sendVectorNow(qintptr descriptor, const iovec *vectors, int count);

/** scheme://ADDRESS:PORT for every address people can use to reach a server bound to bind: for an any-address, the
 *  LAN addresses of the interfaces that are up (IPv4 first, no link-local IPv6), then loopback; else bind itself.
 *  Empty while port is 0. */
[[nodiscard]] QList<QUrl> joinUrlsFor(const QHostAddress &bind, quint16 port, const QString &scheme);
//! scheme://ADDRESS:PORT for a client on this machine (loopback for an any-address, else bind).
[[nodiscard]] QUrl localUrlFor(const QHostAddress &bind, quint16 port, const QString &scheme);

/** @brief Accepts TCP connections and sets them up for low latency before the WebSocket handshake.
 *
 * It turns Nagle off (TCP_NODELAY) and keep-alive on for every socket, then hands it over through socketReady(). A TLS
 * listener's sockets speak TLS themselves (TlsSocket).
 */
class Listener : public QTcpServer
{
    Q_OBJECT

public:
    explicit Listener(QObject *parent = nullptr);

Q_SIGNALS:
    //! A connected socket, ready for the WebSocket handshake (WebSocketUpgrade); the receiver owns it.
    void socketReady(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;
    //! A socket for an accepted connection's descriptor (plain TCP; TLS for a TlsListener), or nullptr.
    virtual QTcpSocket *takeConnection(qintptr descriptor);
    //! Called with a connected socket; the default emits socketReady() at once.
    virtual void prepareSocket(QTcpSocket *socket);
};

/** @brief The TLS listener: each connection is a TlsSocket that starts the server side of the TLS handshake at
 * once and is handed over straight away, so the server's limits on handshakes in progress and its handshake timeout
 * cover the TLS handshake too. A socket whose TLS handshake fails is aborted and deleted.
 */
class TlsListener final : public Listener
{
    Q_OBJECT

public:
    explicit TlsListener(std::shared_ptr<TlsContext> context, QObject *parent = nullptr);

protected:
    QTcpSocket *takeConnection(qintptr descriptor) override;
    void prepareSocket(QTcpSocket *socket) override;

private:
    std::shared_ptr<TlsContext> m_context;
};

} // namespace inkroom::server
