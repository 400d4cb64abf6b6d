#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <memory>

class QSocketNotifier;
class QSslConfiguration;
struct ssl_st;
struct ssl_ctx_st;

namespace inkroom::server {

/** @brief The server's side of TLS in OpenSSL's form: its certificate, chain and key, TLS 1.2 or later, no client
 * certificates, no session tickets (Qt's clients do not resume), no renegotiation. Made once from the server's
 * QSslConfiguration and shared by every connection.
 */
class TlsContext
{
public:
    //! nullptr with *error when OpenSSL refuses the configuration's certificate or key.
    [[nodiscard]] static std::shared_ptr<TlsContext> make(const QSslConfiguration &configuration, QString *error);
    /** A client's context that checks no certificate: for the load generator, which talks to a server it made the
     *  certificate for itself on loopback. Never for a client of people's servers. nullptr when OpenSSL fails. */
    [[nodiscard]] static std::shared_ptr<TlsContext> makeUncheckedClient();
    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    [[nodiscard]] ssl_ctx_st *handle() const { return m_context; }

private:
    explicit TlsContext(ssl_ctx_st *context);
    ssl_ctx_st *m_context;
};

/** @brief A server connection's socket that speaks TLS itself, with OpenSSL straight on the descriptor.
 *
 * QSslSocket keeps a plain QTcpSocket inside with a 32 KiB write chunk and a 16 KiB read buffer, and its own 32 KiB
 * write chunk on top, for the connection's whole life; every byte goes through both, and each turn's frames wait for
 * a posted flush. This socket is a QTcpSocket to the rest of the server (WebSocketUpgrade, then Connection), but:
 * - it decrypts into a buffer that exists only while it holds bytes, up to the read buffer size;
 * - what it is given to write is encrypted and sent at once (writeFrames() hands one turn's frames as one TLS
 *   record), and only what the kernel does not take waits in a buffer, which is freed once it has gone;
 * - OpenSSL releases its record buffers between records (SSL_MODE_RELEASE_BUFFERS).
 * So an idle connection holds the SSL object and nothing else.
 *
 * It is opened unbuffered: QIODevice's own buffer only holds what peek() looked at. close() sends what waits if the
 * kernel takes it and closes; disconnectFromHost() waits for it (a second close() or an abort() stops waiting).
 */
class TlsSocket final : public QTcpSocket
{
    Q_OBJECT

public:
    explicit TlsSocket(std::shared_ptr<TlsContext> context, QObject *parent = nullptr);
    ~TlsSocket() override;

    enum class Role {
        Server, //!< an accepted connection: waits for the client's hello
        Client //!< a connection it made (with a client context): says hello at once; encrypted() when done
    };
    //! Take a connected descriptor and start the handshake. false if it is unusable.
    bool start(qintptr descriptor, Role role = Role::Server);
    //! The handshake has finished: what is read and written now is application data.
    [[nodiscard]] bool isEncrypted() const { return m_encrypted; }
    /** Write frames (the first from byte offset on) and send them now, as few TLS records as fit: what the kernel
     *  does not take waits in the socket's buffer. */
    void writeFrames(const QList<QByteArray> &frames, qsizetype offset = 0);
    //! Send what waits now, as far as the kernel takes it.
    void flushNow();

    [[nodiscard]] qint64 bytesAvailable() const override;
    [[nodiscard]] qint64 bytesToWrite() const override;
    [[nodiscard]] bool canReadLine() const override;
    void close() override;
    void disconnectFromHost() override;
    void setReadBufferSize(qint64 size) override;

Q_SIGNALS:
    //! The TLS handshake is done: what is written now goes out.
    void encrypted();

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    //! Steps the handshake while it runs; true once application data can be read and written.
    bool readyForData();
    void onReadable();
    void onWritable();
    void handshake();
    //! Decrypt what has arrived into m_plain (up to the read buffer size); emits readyRead() for what is new.
    void pull();
    //! Encrypt and send what waits, as far as the kernel takes it. false once the connection has failed.
    bool push();
    //! Send size bytes from data; what the kernel does not take is kept in m_out. false once failed.
    bool send(const char *data, qsizetype size);
    void postPull();
    void postFlush();
    void updateNotifiers();
    //! How many decrypted bytes wait in m_plain.
    [[nodiscard]] qint64 plainAvailable() const { return m_plain.size() - m_plainStart; }
    //! The peer went away, or TLS failed: say so (errorOccurred(), then disconnected()).
    void fail(QAbstractSocket::SocketError error, const QString &reason);
    //! Close the descriptor and free the TLS state; with signals, say the socket is unconnected.
    void finish(bool signal);

    std::shared_ptr<TlsContext> m_context;
    ssl_st *m_ssl = nullptr;
    int m_descriptor = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_plain; //!< decrypted, not read yet (from m_plainStart); freed once read
    qsizetype m_plainStart = 0;
    QByteArray m_out; //!< written, not taken by TLS and the kernel yet (from m_outStart); freed once sent
    qsizetype m_outStart = 0;
    bool m_encrypted = false;
    bool m_readWantsWrite = false; //!< OpenSSL must write before it can read on
    bool m_writeWantsRead = false; //!< OpenSSL must read before it can write on
    bool m_readLimited = false; //!< the read buffer is full: not reading until some of it is taken
    bool m_pullPosted = false;
    bool m_flushPosted = false;
    bool m_closing = false; //!< disconnectFromHost(): sending what waits, then closing
    bool m_peerClosed = false;
};

} // namespace inkroom::server
