#include "tlssocket.h"

#include <QMetaObject>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

//! The most plaintext one TLS record carries: what one SSL_read() can give.
constexpr qsizetype kRecordBytes = 16 * 1024;
//! A thread's buffer for one turn's frames keeps its memory up to this size.
constexpr qsizetype kKeptScratchBytes = 256 * 1024;

//! OpenSSL's queued errors as one line (and the queue emptied).
QString takeOpenSslErrors()
{
    QStringList errors;
    while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        errors.append(QString::fromLatin1(text));
    }
    return errors.isEmpty() ? u"the connection failed"_s : errors.join(u"; "_s);
}

/* The descriptor as OpenSSL's transport: recv() and send() without blocking, and send() with MSG_NOSIGNAL, so that a
 * peer that has gone raises EPIPE instead of SIGPIPE (OpenSSL's own socket BIO writes with write()). */
int descriptorOf(BIO *bio)
{
    return int(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

int bioWrite(BIO *bio, const char *data, size_t size, size_t *written)
{
    BIO_clear_retry_flags(bio);
    for (;;) {
        const ssize_t n = ::send(descriptorOf(bio), data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            *written = size_t(n);
            return 1;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            BIO_set_retry_write(bio);
        return 0;
    }
}

int bioRead(BIO *bio, char *data, size_t size, size_t *read)
{
    BIO_clear_retry_flags(bio);
    for (;;) {
        const ssize_t n = ::recv(descriptorOf(bio), data, size, MSG_DONTWAIT);
        if (n > 0) {
            *read = size_t(n);
            return 1;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            BIO_set_retry_read(bio);
        return 0; // 0 bytes without a retry flag: the peer closed its side
    }
}

long bioControl(BIO *, int command, long, void *)
{
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

BIO_METHOD *socketMethod()
{
    static BIO_METHOD *const method = [] {
        BIO_METHOD *made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "inkroom socket");
        BIO_meth_set_write_ex(made, bioWrite);
        BIO_meth_set_read_ex(made, bioRead);
        BIO_meth_set_ctrl(made, bioControl);
        return made;
    }();
    return method;
}

//! A PEM text as OpenSSL reads it.
template<typename T, typename Read> T *fromPem(const QByteArray &pem, Read read)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    if (!bio)
        return nullptr;
    T *value = read(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return value;
}

//! A new context for method with what both sides share; nullptr when OpenSSL cannot make one.
SSL_CTX *newContext(const SSL_METHOD *method)
{
    SSL_CTX *handle = SSL_CTX_new(method);
    if (!handle)
        return nullptr;
    SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION);
    // A peer that closes without close_notify is a closed connection, as on a plain socket (OpenSSL 3 calls it an
    // error otherwise); no renegotiation (a client could make the server redo handshakes at will); no session cache.
    SSL_CTX_set_options(handle, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_session_cache_mode(handle, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_mode(handle,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_verify(handle, SSL_VERIFY_NONE, nullptr);
    return handle;
}

} // namespace

TlsContext::TlsContext(SSL_CTX *context)
    : m_context(context)
{ }

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

std::shared_ptr<TlsContext> TlsContext::makeUncheckedClient()
{
    SSL_CTX *handle = newContext(TLS_client_method());
    if (!handle) {
        ERR_clear_error();
        return nullptr;
    }
    return std::shared_ptr<TlsContext>(new TlsContext(handle));
}

std::shared_ptr<TlsContext> TlsContext::make(const QSslConfiguration &configuration, QString *error)
{
    ERR_clear_error();
    SSL_CTX *handle = newContext(TLS_server_method());
    if (!handle) {
        *error = u"OpenSSL cannot make a TLS context: %1"_s.arg(takeOpenSslErrors());
        return nullptr;
    }
    std::shared_ptr<TlsContext> context(new TlsContext(handle));
    SSL_CTX_set_num_tickets(handle, 0); // no tickets, as Qt's clients do not resume

    const QList<QSslCertificate> chain = configuration.localCertificateChain();
    if (chain.isEmpty() || configuration.privateKey().isNull()) {
        *error = u"the TLS configuration has no certificate or no key"_s;
        return nullptr;
    }
    for (qsizetype i = 0; i < chain.size(); ++i) {
        X509 *certificate = fromPem<X509>(chain.at(i).toPem(), PEM_read_bio_X509);
        const bool used = certificate
            && (i == 0 ? SSL_CTX_use_certificate(handle, certificate) == 1
                       : SSL_CTX_add0_chain_cert(handle, certificate) == 1);
        if (i == 0 || !used)
            X509_free(certificate); // use_certificate took a reference; add0 took this one when it succeeded
        if (!used) {
            *error = u"OpenSSL refused certificate %1 of the chain: %2"_s.arg(i + 1).arg(takeOpenSslErrors());
            return nullptr;
        }
    }
    EVP_PKEY *key = fromPem<EVP_PKEY>(configuration.privateKey().toPem(), PEM_read_bio_PrivateKey);
    const bool keyUsed = key && SSL_CTX_use_PrivateKey(handle, key) == 1 && SSL_CTX_check_private_key(handle) == 1;
    EVP_PKEY_free(key);
    if (!keyUsed) {
        *error = u"OpenSSL refused the private key: %1"_s.arg(takeOpenSslErrors());
        return nullptr;
    }
    return context;
}

TlsSocket::TlsSocket(std::shared_ptr<TlsContext> context, QObject *parent)
    : QTcpSocket(parent)
    , m_context(std::move(context))
{ }

TlsSocket::~TlsSocket()
{
    finish(false);
}

bool TlsSocket::start(qintptr descriptor, Role role)
{
    const int fd = int(descriptor);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        ::close(fd);
        return false;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0) {
        setPeerAddress(QHostAddress(reinterpret_cast<const sockaddr *>(&address)));
        setPeerPort(address.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port)
                                                  : ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port));
    }
    length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0) {
        setLocalAddress(QHostAddress(reinterpret_cast<const sockaddr *>(&address)));
        setLocalPort(address.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port)
                                                   : ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port));
    }

    m_descriptor = fd;
    m_ssl = SSL_new(m_context->handle());
    BIO *bio = m_ssl ? BIO_new(socketMethod()) : nullptr;
    if (!bio) {
        ERR_clear_error();
        finish(false);
        return false;
    }
    BIO_set_data(bio, reinterpret_cast<void *>(intptr_t(fd)));
    BIO_set_init(bio, 1);
    SSL_set_bio(m_ssl, bio, bio);
    if (role == Role::Client)
        SSL_set_connect_state(m_ssl);
    else
        SSL_set_accept_state(m_ssl);

    QIODevice::open(QIODevice::ReadWrite | QIODevice::Unbuffered);
    setSocketState(QAbstractSocket::ConnectedState);
    m_readNotifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &TlsSocket::onReadable);
    m_writeNotifier = new QSocketNotifier(descriptor, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TlsSocket::onWritable);
    if (role == Role::Client)
        handshake(); // the client speaks first
    return true;
}

bool TlsSocket::readyForData()
{
    if (!m_ssl)
        return false;
    if (!m_encrypted)
        handshake();
    return m_ssl && m_encrypted;
}

void TlsSocket::onReadable()
{
    if (!readyForData())
        return;
    if (std::exchange(m_writeWantsRead, false))
        flushNow(); // what OpenSSL could not write until it had read
    if (m_ssl)
        pull();
}

void TlsSocket::onWritable()
{
    if (!readyForData())
        return;
    if (std::exchange(m_readWantsWrite, false))
        pull(); // what OpenSSL could not read until it had written
    if (m_ssl)
        flushNow();
}

void TlsSocket::handshake()
{
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        m_encrypted = true;
        m_readWantsWrite = false;
        updateNotifiers();
        Q_EMIT encrypted();
        if (!m_ssl)
            return; // a receiver closed it
        // The WebSocket handshake may have come in the same flight as the end of TLS's.
        pull();
        if (m_ssl && m_outStart < m_out.size())
            postFlush();
        return;
    }
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        m_readWantsWrite = false;
        updateNotifiers();
        return;
    case SSL_ERROR_WANT_WRITE:
        m_readWantsWrite = true;
        updateNotifiers();
        return;
    default:
        fail(QAbstractSocket::SslHandshakeFailedError, u"TLS handshake failed: %1"_s.arg(takeOpenSslErrors()));
    }
}

void TlsSocket::pull()
{
    if (!m_ssl)
        return;
    const qint64 before = plainAvailable();
    QString failure;
    for (;;) {
        const qint64 limit = readBufferSize();
        qint64 room = kRecordBytes;
        if (limit > 0)
            room = std::min(room, limit - plainAvailable());
        if (room <= 0)
            break;
        const qsizetype at = m_plain.size();
        m_plain.resize(at + qsizetype(room));
        size_t got = 0;
        ERR_clear_error();
        const int result = SSL_read_ex(m_ssl, m_plain.data() + at, size_t(room), &got);
        m_plain.resize(at + (result == 1 ? qsizetype(got) : 0));
        if (result == 1)
            continue;
        const int error = SSL_get_error(m_ssl, result);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_readWantsWrite = true;
            break;
        }
        if (error == SSL_ERROR_ZERO_RETURN)
            m_peerClosed = true;
        else
            failure = takeOpenSslErrors();
        break;
    }
    if (plainAvailable() == 0) {
        m_plain.clear(); // an idle connection holds no read buffer
        m_plainStart = 0;
    }
    m_readLimited = readBufferSize() > 0 && plainAvailable() >= readBufferSize();
    updateNotifiers();
    if (plainAvailable() > before)
        Q_EMIT readyRead();
    if (!m_ssl)
        return;
    if (!failure.isEmpty()) {
        fail(QAbstractSocket::SslInternalError, failure);
    } else if (m_peerClosed) {
        Q_EMIT readChannelFinished();
        fail(QAbstractSocket::RemoteHostClosedError, u"The remote host closed the connection"_s);
    }
}

qint64 TlsSocket::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min(maxSize, plainAvailable());
    if (n > 0) {
        std::memcpy(data, m_plain.constData() + m_plainStart, size_t(n));
        m_plainStart += qsizetype(n);
        if (m_plainStart == m_plain.size()) {
            m_plain.clear();
            m_plainStart = 0;
        }
    }
    if (m_readLimited && (readBufferSize() == 0 || plainAvailable() < readBufferSize())) {
        m_readLimited = false;
        updateNotifiers();
        // OpenSSL may already hold the rest of a record: the descriptor would not say so.
        if (m_ssl && SSL_has_pending(m_ssl))
            postPull();
    }
    if (n == 0 && !m_ssl)
        return -1;
    return n;
}

qint64 TlsSocket::bytesAvailable() const
{
    return QIODevice::bytesAvailable() + plainAvailable();
}

bool TlsSocket::canReadLine() const
{
    return QIODevice::canReadLine()
        || std::memchr(m_plain.constData() + m_plainStart, '\n', size_t(plainAvailable())) != nullptr;
}

void TlsSocket::setReadBufferSize(qint64 size)
{
    QTcpSocket::setReadBufferSize(size);
    if (m_readLimited && (size == 0 || plainAvailable() < size)) {
        m_readLimited = false;
        updateNotifiers();
        if (m_ssl && SSL_has_pending(m_ssl))
            postPull();
    }
}

qint64 TlsSocket::writeData(const char *data, qint64 size)
{
    if (!m_ssl || m_closing)
        return -1;
    // Qt's own writes (the handshake's answer, pings, close frames) come in pieces: they go out together, soon.
    m_out.append(data, qsizetype(size));
    if (m_encrypted)
        postFlush();
    return size;
}

void TlsSocket::writeFrames(const QList<QByteArray> &frames, qsizetype offset)
{
    if (!m_ssl || m_closing || frames.isEmpty())
        return;
    if (!m_encrypted || m_outStart < m_out.size() || m_writeWantsRead) {
        // Behind what already waits.
        m_out.append(frames.first().constData() + offset, frames.first().size() - offset);
        for (qsizetype i = 1; i < frames.size(); ++i)
            m_out.append(frames.at(i));
        return;
    }
    if (frames.size() == 1) {
        const QByteArray &frame = frames.first();
        send(frame.constData() + offset, frame.size() - offset);
        return;
    }
    // One buffer for the turn's frames: one record for every 16 KiB, and one send() for each.
    thread_local QByteArray scratch;
    qsizetype total = frames.first().size() - offset;
    for (qsizetype i = 1; i < frames.size(); ++i)
        total += frames.at(i).size();
    scratch.resize(total);
    char *at = scratch.data();
    std::memcpy(at, frames.first().constData() + offset, size_t(frames.first().size() - offset));
    at += frames.first().size() - offset;
    for (qsizetype i = 1; i < frames.size(); ++i) {
        std::memcpy(at, frames.at(i).constData(), size_t(frames.at(i).size()));
        at += frames.at(i).size();
    }
    send(scratch.constData(), total);
    if (scratch.capacity() > kKeptScratchBytes)
        scratch = QByteArray();
}

bool TlsSocket::send(const char *data, qsizetype size)
{
    qsizetype done = 0;
    const bool ok = [&] {
        while (done < size) {
            size_t written = 0;
            ERR_clear_error();
            const int result = SSL_write_ex(m_ssl, data + done, size_t(size - done), &written);
            if (result == 1) {
                done += qsizetype(written);
                continue;
            }
            switch (SSL_get_error(m_ssl, result)) {
            case SSL_ERROR_WANT_WRITE:
                return true;
            case SSL_ERROR_WANT_READ:
                m_writeWantsRead = true;
                return true;
            default:
                return false;
            }
        }
        return true;
    }();
    if (!ok) {
        // The peer has gone (reset, broken pipe) or TLS failed: said from the event loop, not inside a write.
        const QString reason = takeOpenSslErrors();
        QMetaObject::invokeMethod(
            this,
            [this, reason] {
                fail(QAbstractSocket::RemoteHostClosedError, u"The connection failed while writing: %1"_s.arg(reason));
            },
            Qt::QueuedConnection);
        m_out.clear();
        m_outStart = 0;
        return false;
    }
    if (done < size) {
        // OpenSSL needs the same bytes again when the kernel takes more: they wait here until then.
        m_out.append(data + done, size - done);
        updateNotifiers();
    }
    return true;
}

void TlsSocket::flushNow()
{
    if (!m_ssl || !m_encrypted || m_outStart >= m_out.size() || m_writeWantsRead)
        return;
    // send() appends what it cannot send: take the waiting bytes out first.
    QByteArray waiting = std::exchange(m_out, QByteArray());
    const qsizetype start = std::exchange(m_outStart, 0);
    const qsizetype before = waiting.size() - start;
    if (!send(waiting.constData() + start, before))
        return;
    const qint64 sent = before - m_out.size();
    updateNotifiers();
    if (sent > 0)
        Q_EMIT bytesWritten(sent);
    if (m_closing && m_out.isEmpty())
        finish(true);
}

qint64 TlsSocket::bytesToWrite() const
{
    return m_out.size() - m_outStart;
}

void TlsSocket::postPull()
{
    if (m_pullPosted)
        return;
    m_pullPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pullPosted = false;
            if (m_encrypted)
                pull();
        },
        Qt::QueuedConnection);
}

void TlsSocket::postFlush()
{
    if (m_flushPosted)
        return;
    m_flushPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushPosted = false;
            flushNow();
        },
        Qt::QueuedConnection);
}

void TlsSocket::updateNotifiers()
{
    if (!m_ssl)
        return;
    m_readNotifier->setEnabled(!m_readLimited && !m_peerClosed && !m_closing);
    m_writeNotifier->setEnabled(m_readWantsWrite || (m_outStart < m_out.size() && !m_writeWantsRead));
}

void TlsSocket::close()
{
    // abort() drops the write channel before it calls close(): then, or at a second close(), nothing waits.
    const bool now = m_closing || writeChannelCount() == 0;
    if (openMode() != QIODevice::NotOpen)
        QIODevice::close();
    if (now)
        finish(true);
    else
        disconnectFromHost();
}

void TlsSocket::disconnectFromHost()
{
    if (!m_ssl || m_closing)
        return;
    m_closing = true;
    setSocketState(QAbstractSocket::ClosingState);
    Q_EMIT stateChanged(QAbstractSocket::ClosingState);
    flushNow();
    if (m_ssl && (m_out.isEmpty() || !m_encrypted))
        finish(true);
    else
        updateNotifiers();
}

void TlsSocket::fail(QAbstractSocket::SocketError error, const QString &reason)
{
    if (!m_ssl)
        return;
    setSocketError(error);
    setErrorString(reason);
    Q_EMIT errorOccurred(error);
    finish(true);
}

void TlsSocket::finish(bool signal)
{
    if (m_descriptor < 0)
        return;
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater(); // this may run inside its activated()
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    if (m_ssl) {
        if (m_encrypted && !m_peerClosed)
            SSL_shutdown(m_ssl); // close_notify, if the kernel takes it now
        SSL_free(m_ssl);
        m_ssl = nullptr;
        ERR_clear_error();
    }
    ::close(m_descriptor);
    m_descriptor = -1;
    m_out.clear();
    m_outStart = 0;
    const bool wasConnected = state() != QAbstractSocket::UnconnectedState;
    setSocketState(QAbstractSocket::UnconnectedState);
    if (signal && wasConnected) {
        Q_EMIT stateChanged(QAbstractSocket::UnconnectedState);
        Q_EMIT disconnected();
    }
}

} // namespace inkroom::server
