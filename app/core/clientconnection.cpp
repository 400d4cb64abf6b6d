#include "clientconnection.h"

#include "closecodes.h"
#include "fingerprint.h"
#include "protocollimits.h"

#include <QCryptographicHash>
#include <QNetworkInformation>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslSocket>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::client {

Connection::Connection(QObject *parent)
    : QObject(parent)
{
    setTimings(Timings {});
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &Connection::checkDeadline);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->ping();
    });
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { enter(State::Connecting); });
    m_countdown.setInterval(200);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        const qint64 left = std::max<qint64>(0, m_retryDelayMs - m_retryClock.elapsed());
        setRetryIn(int((left + 999) / 1000));
    });
    m_stableTimer.setSingleShot(true);
    connect(&m_stableTimer, &QTimer::timeout, this, [this] {
        // Online long enough: the next loss starts the backoff from the beginning, and may try every address at once.
        m_backoff.reset();
        m_addresses.newRound();
        setAttempt(0);
    });

    // When the system says the network is back (Wi-Fi rejoined, cable plugged in), try at once rather than sit out
    // the backoff. Only that direction: "no network" from the system is not trusted to drop a link, because a LAN
    // without a default route looks disconnected to some backends while the room works fine.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability != QNetworkInformation::Reachability::Disconnected
                        && reachability != QNetworkInformation::Reachability::Unknown && m_state == State::Reconnecting)
                        retryNow();
                });
    }
}

Connection::~Connection()
{
    dropSocket();
}

void Connection::setTimings(const Timings &timings)
{
    m_timings = timings;
    m_backoff.setParams({timings.backoffInitialMs, timings.backoffMaxMs, timings.backoffJitter});
    m_pingTimer.setInterval(timings.pingIntervalMs);
}

void Connection::setBackoffSeed(quint32 seed)
{
    m_backoff = Backoff(m_backoff.params(), seed);
}

bool Connection::hasSocket(State state)
{
    return state == State::Connecting || state == State::Joining || state == State::CatchingUp
        || state == State::Online;
}

bool Connection::isWelcomed() const
{
    return (m_state == State::CatchingUp || m_state == State::Online) && m_socket
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 Connection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

// ---- the state machine ----

void Connection::enter(State next, Failure failure, const QString &reason)
{
    const State previous = m_state;
    // What belongs to the state being left goes with it.
    if (previous == State::Reconnecting) {
        m_retryTimer.stop();
        m_countdown.stop();
        setRetryIn(0);
    }
    if (previous == State::Online)
        m_stableTimer.stop();
    if (previous == State::AwaitingTrust && next != State::AwaitingTrust)
        setPendingFingerprint(QString());
    const bool hadLink = previous == State::Joining || previous == State::CatchingUp || previous == State::Online;
    if (hasSocket(previous) && (!hasSocket(next) || next == State::Connecting))
        dropSocket(next == State::Disconnected);

    m_state = next;
    switch (next) {
    case State::Disconnected:
        setAttempt(0);
        setFailure(Failure::None);
        setReason(QString());
        break;
    case State::Connecting:
        setFailure(Failure::None);
        // After a wait (or a Try again) every address may be tried once more before the next wait.
        if (previous == State::Reconnecting || previous == State::Failed)
            m_addresses.newRound();
        setUrl(m_addresses.current());
        startAttempt();
        break;
    case State::Joining:
        m_unreachableAttempts = 0; // the server answered: whatever ends this link, it was reachable
        m_addresses.answered();
        m_pingTimer.start();
        break;
    case State::CatchingUp:
        armDeadline();
        break;
    case State::Online:
        setReason(QString());
        setFailure(Failure::None);
        m_stableTimer.start(m_timings.stableAfterMs);
        break;
    case State::Reconnecting:
        setReason(reason);
        setAttempt(m_attempt + 1);
        m_retryDelayMs = m_backoff.nextDelayMs();
        m_retryClock.start();
        m_retryTimer.start(m_retryDelayMs);
        m_countdown.start();
        setRetryIn((m_retryDelayMs + 999) / 1000);
        break;
    case State::AwaitingTrust:
        setReason(reason);
        break;
    case State::Failed:
        setFailure(failure);
        setReason(reason);
        break;
    }
    if (previous != next)
        Q_EMIT stateChanged();
    if (hadLink && next != State::CatchingUp && next != State::Online)
        Q_EMIT lost();
}

void Connection::open(const QList<QUrl> &urls)
{
    m_addresses.reset(urls);
    setUrl(m_addresses.current());
    m_unreachableAttempts = 0;
    m_backoff.reset();
    setAttempt(0);
    setReason(QString());
    enter(State::Connecting);
}

void Connection::close()
{
    enter(State::Disconnected);
    m_addresses.clear();
    setUrl(QUrl());
}

void Connection::retryNow()
{
    if ((m_state != State::Reconnecting && m_state != State::Failed) || m_url.isEmpty())
        return;
    if (m_state == State::Failed)
        m_unreachableAttempts = 0; // Try again: a fresh round of attempts
    enter(State::Connecting);
}

void Connection::fail(Failure failure, const QString &reason)
{
    enter(State::Failed, failure, reason.isEmpty() ? failureText(failure) : reason);
}

void Connection::welcomed()
{
    if (m_state == State::Joining)
        enter(State::CatchingUp);
}

void Connection::synced()
{
    if (m_state == State::CatchingUp)
        enter(State::Online);
}

void Connection::restart()
{
    if (hasSocket(m_state))
        enter(State::Connecting);
}

void Connection::lose(const QString &reason)
{
    if (!tryNextAddress(reason))
        enter(State::Reconnecting, Failure::None, reason);
}

bool Connection::tryNextAddress(const QString &reason)
{
    if (!m_addresses.advance())
        return false;
    // Another node of the room may be up: try it now rather than after the backoff. What was in flight is sent again
    // there and settled by its welcome, as after any reconnect (the room's database drops what it already has).
    setReason(tr("%1 Trying %2.").arg(reason, KnownServers::keyFor(m_addresses.current())));
    enter(State::Connecting);
    return true;
}

void Connection::setUrl(const QUrl &url)
{
    if (url == m_url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
}

QString Connection::addressesText() const
{
    QStringList keys;
    for (const QUrl &url : m_addresses.urls())
        keys << KnownServers::keyFor(url);
    return keys.isEmpty() ? serverKey() : keys.join(u", "_s);
}

void Connection::loseBeforeReaching(const QString &reason)
{
    // Refused, no route, timed out, TLS failed: a few of these in a row are a server that is not coming back by
    // itself (a wrong address, a stopped server, a firewall). Say so and stop, rather than counting attempts forever.
    // With several addresses, a round that reached none of them counts once.
    if (tryNextAddress(reason))
        return;
    ++m_unreachableAttempts;
    if (m_timings.giveUpAfterAttempts > 0 && m_unreachableAttempts >= m_timings.giveUpAfterAttempts) {
        fail(Failure::Unreachable,
             tr("Inkroom stopped trying after %1 attempts to reach %2. The last one failed: %3 Check the address, that "
                "the server is running and that no firewall blocks its port, then try again.")
                 .arg(m_unreachableAttempts)
                 .arg(addressesText(), reason.endsWith(u'.') ? reason : reason + u'.'));
        return;
    }
    enter(State::Reconnecting, Failure::None, reason); // (the next address is already chosen)
}

// ---- the socket ----

void Connection::startAttempt()
{
    const quint64 generation = ++m_generation;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxServerMessageBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxServerMessageBytes));
    m_fatalError.reset();
    m_largestSent = 0;

    connect(m_socket, &QWebSocket::connected, this, &Connection::onSocketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::onSocketGone);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &Connection::onSocketGone);
    connect(m_socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::UnconnectedState)
            onSocketGone();
    });
    // Direct: ignoring the errors only works from inside the signal, while the TLS handshake waits.
    connect(m_socket, &QWebSocket::sslErrors, this, &Connection::onSslErrors, Qt::DirectConnection);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::onBytes);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) { onBytes(text.toUtf8()); });
    // Any frame is a sign of life, also the parts of a large message still arriving.
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, [this] { m_activity.restart(); });
    connect(m_socket, &QWebSocket::textFrameReceived, this, [this] { m_activity.restart(); });
    connect(m_socket, &QWebSocket::pong, this, [this, generation](quint64 elapsed, const QByteArray &) {
        if (generation != m_generation)
            return;
        m_activity.restart();
        setRoundTrip(int(std::min<quint64>(elapsed, 1u << 30)));
    });

    m_attemptClock.start();
    m_activity.start();
    armDeadline();
    m_socket->open(m_url);
}

void Connection::dropSocket(bool graceful)
{
    m_pingTimer.stop();
    m_deadline.stop();
    setSecurity(false, QString());
    setRoundTrip(-1);
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    ++m_generation;
    socket->disconnect(this);
    if (graceful && socket->state() == QAbstractSocket::ConnectedState) {
        // Say goodbye properly, then let the socket go on its own.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, &QObject::deleteLater);
        socket->setParent(nullptr);
        socket->close(QWebSocketProtocol::CloseCodeNormal);
        return;
    }
    socket->abort();
    socket->deleteLater();
}

void Connection::send(const proto::Message &message)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        sendEncoded(proto::encode(message));
}

void Connection::sendEncoded(const QByteArray &bytes)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_largestSent = std::max<qint64>(m_largestSent, bytes.size());
        m_socket->sendBinaryMessage(bytes);
    }
}

void Connection::onBytes(const QByteArray &bytes)
{
    m_activity.restart();
    auto decoded = proto::decode(bytes, limits::MaxServerMessageBytes);
    if (!decoded.ok()) {
        Q_EMIT undecodable(decoded.error().message);
        return;
    }
    if (const auto *error = std::get_if<proto::Error>(&decoded.message()); error && error->fatal)
        m_fatalError = *error;
    Q_EMIT received(decoded.message());
}

void Connection::onSocketConnected()
{
    if (!m_socket)
        return;
    if (m_url.scheme() == "wss"_L1) {
        // A certificate from a trusted CA gets here without any errors: it still has to be the pinned one, if any.
        const QString presented = peerFingerprint();
        const QString trusted = trustedFingerprint();
        if (!trusted.isEmpty() && presented != trusted) {
            const quint64 generation = m_generation;
            QMetaObject::invokeMethod(
                this,
                [this, generation, presented, trusted] {
                    if (generation == m_generation)
                        identityChanged(trusted, presented);
                },
                Qt::QueuedConnection);
            m_socket->abort();
            return;
        }
        setSecurity(true, presented, tlsVersionName(m_socket->sslConfiguration().sessionProtocol()));
    }
    enter(State::Joining);
    Q_EMIT opened();
}

void Connection::onSocketGone()
{
    if (!m_socket)
        return;
    // error(), disconnected() and stateChanged() come in different orders: act once, when all have been said. The
    // first of these calls to run lets the socket go (a new generation); the others find it gone.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation != m_generation || !m_socket)
                return;
            const int code = int(m_socket->closeCode());
            const QString serverReason = m_socket->closeReason();
            const QString errorText = m_socket->errorString();
            const bool reachedServer =
                m_state == State::Joining || m_state == State::CatchingUp || m_state == State::Online;
            Failure failure = proto::isRetryable(quint16(code)) ? Failure::None : failureForCloseCode(code);
            if (failure == Failure::None && m_fatalError)
                failure = failureForErrorCode(m_fatalError->code);
            if (failure != Failure::None) {
                QString text = failureText(failure);
                if (failure == Failure::HelloRejected && m_fatalError)
                    text += u' ' + m_fatalError->message;
                // Who closed the room, in the server's words ("Ann closed the room."), when it said.
                if (failure == Failure::RoomClosed && m_fatalError && !m_fatalError->message.trimmed().isEmpty())
                    text = m_fatalError->message.trimmed();
                fail(failure, text);
                return;
            }
            QString reason;
            // 1009 says a message was too large, not whose: ours are never past what a server takes (the protocol's
            // limit), unless one was; so otherwise it was the server's, refused by this client.
            if (code == int(proto::CloseCode::TooBig) && m_largestSent <= limits::MaxClientMessageBytes)
                reason = tr("The server sent a message larger than this client accepts (%1 MiB); it does not follow "
                            "the Inkroom protocol.")
                             .arg(limits::MaxServerMessageBytes / (1024 * 1024));
            else if (m_fatalError)
                reason = closeReasonText(code, serverReason) + u' ' + m_fatalError->message;
            else if (code != QWebSocketProtocol::CloseCodeNormal
                     && code != QWebSocketProtocol::CloseCodeAbnormalDisconnection)
                reason = closeReasonText(code, serverReason);
            else if (!reachedServer)
                reason = tr("Could not reach the server: %1").arg(errorText) + schemeHint(m_socket->error());
            else
                reason = tr("The connection was lost.");
            if (reachedServer)
                lose(reason.trimmed());
            else
                loseBeforeReaching(reason.trimmed());
        },
        Qt::QueuedConnection);
}

QString Connection::tlsVersionName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return u"TLS 1.2"_s;
    case QSsl::TlsV1_3:
        return u"TLS 1.3"_s;
    case QSsl::DtlsV1_2:
        return u"DTLS 1.2"_s;
    default:
        return u"TLS"_s;
    }
}

QString Connection::schemeHint(QAbstractSocket::SocketError error) const
{
    // The two ways a scheme that does not match the server fails, said in words: a plain server answers a TLS
    // handshake with an alert (or hangs up), and a TLS server hangs up on a plain WebSocket handshake.
    const bool secure = m_url.scheme() == "wss"_L1;
    if (secure && !m_encrypted
        && (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::RemoteHostClosedError))
        return u' '
            + tr("The server may not speak TLS: a server started with --insecure is reached with ws:// (its links end "
                 "in ?insecure=1).");
    if (!secure && error == QAbstractSocket::RemoteHostClosedError)
        return u' ' + tr("The server may speak TLS: reach it with wss:// (links without ?insecure=1).");
    return {};
}

void Connection::armDeadline()
{
    if (!m_socket)
        return;
    const bool welcomed = m_state == State::CatchingUp || m_state == State::Online;
    const qint64 left =
        welcomed ? m_timings.deadAfterMs - m_activity.elapsed() : m_timings.connectTimeoutMs - m_attemptClock.elapsed();
    m_deadline.start(int(std::clamp<qint64>(left, 1, 1 << 30)));
}

void Connection::checkDeadline()
{
    if (!m_socket)
        return;
    const bool welcomed = m_state == State::CatchingUp || m_state == State::Online;
    const bool expired = welcomed ? m_activity.elapsed() >= m_timings.deadAfterMs
                                  : m_attemptClock.elapsed() >= m_timings.connectTimeoutMs;
    if (!expired) {
        armDeadline();
        return;
    }
    const QString seconds =
        QString::number((welcomed ? m_timings.deadAfterMs : m_timings.connectTimeoutMs) / 1000.0, 'g', 2);
    if (welcomed || m_state == State::Joining)
        lose(welcomed ? tr("No answer from the server for %1 s.").arg(seconds)
                      : tr("The server did not answer within %1 s.").arg(seconds));
    else
        loseBeforeReaching(tr("The server did not answer within %1 s.").arg(seconds));
}

// ---- trust ----

void Connection::setKnownServersFile(const QString &path)
{
    if (path == m_knownServers.path())
        return;
    m_knownServers = KnownServers(path);
    Q_EMIT knownServersFileChanged();
}

void Connection::setExpectedFingerprint(const QString &fingerprint)
{
    // A fingerprint that does not parse is kept as it is: no certificate matches it.
    const QString normal = proto::normaliseFingerprint(fingerprint);
    const QString value = normal.isEmpty() ? fingerprint.trimmed() : normal;
    if (value == m_expectedFingerprint)
        return;
    m_expectedFingerprint = value;
    Q_EMIT expectedFingerprintChanged();
}

QString Connection::trustedFingerprint() const
{
    return m_expectedFingerprint.isEmpty() ? m_knownServers.fingerprintFor(serverKey()) : m_expectedFingerprint;
}

QString Connection::peerFingerprint(const QList<QSslError> &errors) const
{
    QSslCertificate certificate;
    // QWebSocket keeps its TLS socket as a child and does not say what the peer presented.
    if (const QSslSocket *tls = m_socket ? m_socket->findChild<QSslSocket *>() : nullptr)
        certificate = tls->peerCertificate();
    for (qsizetype i = 0; certificate.isNull() && i < errors.size(); ++i)
        certificate = errors.at(i).certificate();
    return certificate.isNull() ? QString() : proto::formatFingerprint(certificate.digest(QCryptographicHash::Sha256));
}

void Connection::onSslErrors(const QList<QSslError> &errors)
{
    if (!m_socket)
        return;
    const QString presented = peerFingerprint(errors);
    const QString trusted = trustedFingerprint();
    if (!presented.isEmpty() && presented == trusted) {
        // The certificate the user trusted (or was told to expect): its issuer and names do not matter.
        m_socket->ignoreSslErrors();
        return;
    }
    // The handshake stops once this returns, before anything is sent; decide on the next turn, socket and all.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, presented, trusted] {
            if (generation != m_generation || m_state != State::Connecting)
                return;
            if (presented.isEmpty()) {
                lose(tr("The server's certificate could not be read."));
            } else if (!trusted.isEmpty()) {
                identityChanged(trusted, presented);
            } else {
                setPendingFingerprint(presented);
                enter(State::AwaitingTrust, Failure::None,
                      tr("First connection to %1. Its certificate's SHA-256 fingerprint is %2. Trust it only if "
                         "whoever runs the server sees the same fingerprint (inkroom-server prints it when it "
                         "starts; a hosting Inkroom shows it beside the room link).")
                          .arg(serverKey(), presented));
                Q_EMIT trustRequested(serverKey(), presented);
            }
        },
        Qt::QueuedConnection);
}

void Connection::identityChanged(const QString &trusted, const QString &presented)
{
    const QString before =
        m_expectedFingerprint.isEmpty() ? tr("the one trusted before") : tr("the one this connection expects");
    fail(Failure::ServerIdentityChanged,
         tr("The server at %1 presented a different certificate from %2, so nothing was sent to it. Trusted: %3. "
            "Presented now: %4. Someone on the network may be pretending to be the server, or the server was "
            "reinstalled or given a new certificate. Ask whoever runs it which fingerprint it has now "
            "(inkroom-server prints it when it starts; a hosting Inkroom shows it beside the room link). Only if "
            "it is the one presented now, forget the old certificate and connect again.")
             .arg(serverKey(), before, trusted, presented));
}

bool Connection::trustCertificate()
{
    if (m_state != State::AwaitingTrust || m_pendingFingerprint.isEmpty())
        return false;
    QString error;
    if (!m_knownServers.remember(serverKey(), m_pendingFingerprint, &error))
        Q_EMIT problem(
            tr("The trusted certificate could not be saved; it is trusted in this session only: %1").arg(error));
    setReason(QString());
    enter(State::Connecting);
    return true;
}

bool Connection::pin(const QUrl &server, const QString &fingerprint, QString *error)
{
    return m_knownServers.remember(KnownServers::keyFor(server), fingerprint, error);
}

void Connection::rejectCertificate()
{
    if (m_state == State::AwaitingTrust)
        fail(Failure::CertificateRejected, failureText(Failure::CertificateRejected));
}

void Connection::forgetServerCertificate()
{
    if (m_url.isEmpty())
        return;
    QString error;
    if (!m_knownServers.forget(serverKey(), &error))
        Q_EMIT problem(tr("The old certificate could not be forgotten: %1").arg(error));
    if (m_state == State::Failed && m_failure == Failure::ServerIdentityChanged)
        retryNow();
}

// ---- properties ----

void Connection::setReason(const QString &reason)
{
    if (m_reason == reason)
        return;
    m_reason = reason;
    Q_EMIT reasonChanged();
}

void Connection::setFailure(Failure failure)
{
    if (m_failure == failure)
        return;
    m_failure = failure;
    Q_EMIT failureChanged();
}

void Connection::setAttempt(int attempt)
{
    if (m_attempt == attempt)
        return;
    m_attempt = attempt;
    Q_EMIT attemptChanged();
}

void Connection::setRetryIn(int seconds)
{
    if (m_retryIn == seconds)
        return;
    m_retryIn = seconds;
    Q_EMIT retryInChanged();
}

void Connection::setRoundTrip(int ms)
{
    if (m_roundTripMs == ms)
        return;
    m_roundTripMs = ms;
    Q_EMIT roundTripMsChanged();
}

void Connection::setPendingFingerprint(const QString &fingerprint)
{
    if (fingerprint == m_pendingFingerprint)
        return;
    m_pendingFingerprint = fingerprint;
    Q_EMIT pendingFingerprintChanged();
}

void Connection::setSecurity(bool encrypted, const QString &fingerprint, const QString &tlsVersion)
{
    if (encrypted == m_encrypted && fingerprint == m_serverFingerprint && tlsVersion == m_tlsVersion)
        return;
    m_encrypted = encrypted;
    m_serverFingerprint = fingerprint;
    m_tlsVersion = tlsVersion;
    Q_EMIT securityChanged();
}

} // namespace inkroom::client
