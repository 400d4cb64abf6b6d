#pragma once

#include "addressrotation.h"
#include "backoff.h"
#include "knownservers.h"
#include "protocol.h"
#include "timings.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QObject>
#include <QSsl>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <optional>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace inkroom::client {

/** @brief One client's link to its server: the socket, TLS trust, heartbeat, reconnect backoff, and where the link
 * stands, as one state machine.
 *
 * States: Disconnected -> Connecting (TCP, TLS and WebSocket handshakes) -> Joining (opened() was emitted: the
 * owner sends its hello) -> CatchingUp (welcomed(): the welcome arrived) -> Online (synced()). A link that ends for a
 * reason retrying can fix goes to Reconnecting (attempt n, next try in retryIn s: exponential backoff with jitter,
 * reset after stableAfter online), then Connecting again; giveUpAfterAttempts attempts in a row that never reach the
 * server (refused, no route, timed out, TLS failed) end in Failed (Unreachable), with a Try again. A reason retrying
 * cannot fix (a close code or fatal error that says so, a certificate that changed, a rejected certificate) goes to
 * Failed. A server whose certificate nobody trusted yet stops in AwaitingTrust before anything is sent. Every change of
 * state goes through enter().
 *
 * Several addresses (server nodes of one room on one database, docs/PROTOCOL.md "Several addresses"): a link that
 * ends moves on to the next address; within a round (each address once) the next one is tried at once, and only a
 * round that failed everywhere waits the backoff (and counts towards giveUpAfterAttempts). The address that answered
 * is tried first when the same addresses are opened again. Trust is per address: a certificate never seen on one
 * address waits in AwaitingTrust and a changed one fails, exactly as with one address; neither is skipped.
 *
 * Server identity (wss://): a certificate that chains to a trusted CA and matches the host is accepted; any other is
 * accepted only when its SHA-256 fingerprint is the one pinned for this HOST:PORT (knownServersFile) or the expected
 * one. A certificate that differs from the pinned or expected one is a hard stop (ServerIdentityChanged).
 *
 * It knows nothing of rooms or ops: decoded messages go out through received(); what they mean is the Session's.
 */
class Connection : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Disconnected,
        Connecting,
        Joining, //!< handshakes done, hello sent, no welcome yet
        CatchingUp, //!< welcomed, catch-up arriving
        Online,
        Reconnecting,
        AwaitingTrust,
        Failed
    };
    //! Reasons retrying cannot fix; each needs the user to do something. Same values as Session::Failure.
    enum class Failure {
        None,
        InvalidSettings,
        WrongPassword,
        UnsupportedVersion,
        RoomFull,
        Replaced,
        BadToken,
        TooManyAttempts,
        HelloRejected,
        ServerIdentityChanged,
        CertificateRejected,
        IdentityTaken,
        Removed,
        Banned,
        RoomClosed,
        Unreachable,
    };

    explicit Connection(QObject *parent = nullptr);
    ~Connection() override;

    void setTimings(const Timings &timings);
    void setBackoffSeed(quint32 seed);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] Failure failure() const { return m_failure; }
    [[nodiscard]] const QString &reason() const { return m_reason; }
    [[nodiscard]] int attempt() const { return m_attempt; }
    [[nodiscard]] int retryIn() const { return m_retryIn; }
    [[nodiscard]] int roundTripMs() const { return m_roundTripMs; }
    //! The address in use (or tried next).
    [[nodiscard]] const QUrl &url() const { return m_url; }
    //! Every address of the room, in the order given.
    [[nodiscard]] const QList<QUrl> &urls() const { return m_addresses.urls(); }
    [[nodiscard]] QString serverKey() const { return KnownServers::keyFor(m_url); }
    //! Connected and welcomed: messages sent now reach the room.
    [[nodiscard]] bool isWelcomed() const;
    //! Bytes waiting in the socket (volatile updates wait while it is congested).
    [[nodiscard]] qint64 bytesToWrite() const;

    // ---- trust ----
    [[nodiscard]] QString knownServersFile() const { return m_knownServers.path(); }
    void setKnownServersFile(const QString &path);
    [[nodiscard]] const QString &expectedFingerprint() const { return m_expectedFingerprint; }
    void setExpectedFingerprint(const QString &fingerprint);
    [[nodiscard]] const QString &pendingFingerprint() const { return m_pendingFingerprint; }
    [[nodiscard]] const QString &serverFingerprint() const { return m_serverFingerprint; }
    [[nodiscard]] bool encrypted() const { return m_encrypted; }
    //! The TLS version the connection negotiated ("TLS 1.3"); empty unless encrypted.
    [[nodiscard]] const QString &tlsVersion() const { return m_tlsVersion; }
    [[nodiscard]] static QString tlsVersionName(QSsl::SslProtocol protocol);
    bool trustCertificate();
    void rejectCertificate();
    void forgetServerCertificate();
    //! Pin fingerprint for server (a room moved there, vouched for by its old host). False (and *error) on failure.
    bool pin(const QUrl &server, const QString &fingerprint, QString *error);

    // ---- verbs ----
    //! Connect to url (ws:// or wss://) and keep connecting until close().
    void open(const QUrl &url) { open(QList<QUrl> {url}); }
    //! Connect to one of urls (one room's addresses, see above) and keep connecting until close().
    void open(const QList<QUrl> &urls);
    //! Say goodbye and stop (Disconnected).
    void close();
    //! Reconnecting or Failed: try again now.
    void retryNow();
    void fail(Failure failure, const QString &reason);
    //! The welcome arrived: the catch-up follows.
    void welcomed();
    //! The catch-up is complete: Online.
    void synced();
    //! Our view of the room broke: drop the link and connect again at once.
    void restart();
    //! Send one message now (dropped when not connected).
    void send(const proto::Message &message);
    //! Send a message encoded already (proto::encode()).
    void sendEncoded(const QByteArray &bytes);

Q_SIGNALS:
    void stateChanged();
    void failureChanged();
    void reasonChanged();
    void attemptChanged();
    void retryInChanged();
    void roundTripMsChanged();
    void pendingFingerprintChanged();
    void securityChanged();
    void knownServersFileChanged();
    void expectedFingerprintChanged();
    //! The address in use changed (url()).
    void urlChanged();
    //! The handshakes are done (and the server trusted): send the hello now.
    void opened();
    //! The link that opened() announced is gone (what was in flight may or may not have arrived).
    void lost();
    void received(const inkroom::proto::Message &message);
    //! A message from the server that does not decode.
    void undecodable(const QString &why);
    //! The server (host:port) presented a certificate nobody trusted yet.
    void trustRequested(const QString &server, const QString &fingerprint);
    //! Something the user may want to know.
    void problem(const QString &message);

private:
    //! The one transition function: leaves the current state (its timers and socket) and enters next.
    void enter(State next, Failure failure = Failure::None, const QString &reason = {});
    [[nodiscard]] static bool hasSocket(State state);
    void startAttempt();
    void dropSocket(bool graceful = false);
    void onSocketConnected();
    void onSslErrors(const QList<QSslError> &errors);
    void onSocketGone();
    void onBytes(const QByteArray &bytes);
    void armDeadline();
    void checkDeadline();
    void lose(const QString &reason);
    //! The link ended: the next address at once when this round has not tried it, else false (wait the backoff).
    bool tryNextAddress(const QString &reason);
    //! url() follows the rotation's current address.
    void setUrl(const QUrl &url);
    //! "host:port" of every address, for messages.
    [[nodiscard]] QString addressesText() const;
    //! An attempt that never reached the server ended: reconnect, or give up after Timings::giveUpAfterAttempts.
    void loseBeforeReaching(const QString &reason);
    [[nodiscard]] QString peerFingerprint(const QList<QSslError> &errors = {}) const;
    [[nodiscard]] QString trustedFingerprint() const;
    void identityChanged(const QString &trusted, const QString &presented);
    void setReason(const QString &reason);
    void setFailure(Failure failure);
    void setAttempt(int attempt);
    void setRetryIn(int seconds);
    void setRoundTrip(int ms);
    void setPendingFingerprint(const QString &fingerprint);
    void setSecurity(bool encrypted, const QString &fingerprint, const QString &tlsVersion = QString());
    //! A sentence for a failure that a scheme not matching the server's (ws:// vs wss://) explains; else empty.
    [[nodiscard]] QString schemeHint(QAbstractSocket::SocketError error) const;

    Timings m_timings;
    Backoff m_backoff;
    State m_state = State::Disconnected;
    Failure m_failure = Failure::None;
    QString m_reason;
    int m_attempt = 0;
    int m_unreachableAttempts = 0; //!< attempts in a row that never reached the server
    int m_retryIn = 0;
    int m_roundTripMs = -1;
    QUrl m_url;
    AddressRotation m_addresses;

    KnownServers m_knownServers;
    QString m_expectedFingerprint;
    QString m_pendingFingerprint;
    QString m_serverFingerprint;
    bool m_encrypted = false;
    QString m_tlsVersion;

    QWebSocket *m_socket = nullptr;
    quint64 m_generation = 0; //!< bumped whenever a socket is let go: its late signals are ignored
    std::optional<proto::Error> m_fatalError; //!< the server's explanation for the close that follows
    qint64 m_largestSent = 0; //!< the largest message sent on this socket (whose message a 1009 was about)
    QElapsedTimer m_attemptClock;
    QElapsedTimer m_activity;
    QTimer m_deadline;
    QTimer m_pingTimer;
    QTimer m_retryTimer;
    QTimer m_countdown;
    QElapsedTimer m_retryClock;
    int m_retryDelayMs = 0;
    QTimer m_stableTimer;
};

//! Plain words for why a connection closed with this code (and the server's reason, when it gave one).
[[nodiscard]] QString closeReasonText(int closeCode, const QString &serverReason);
//! The failure a non-retryable close code means.
[[nodiscard]] Connection::Failure failureForCloseCode(int closeCode);
//! The failure a fatal error code means (when the close code did not say), or None.
[[nodiscard]] Connection::Failure failureForErrorCode(proto::ErrorCode code);
//! Plain words for a failure, with what to do about it.
[[nodiscard]] QString failureText(Connection::Failure failure);

} // namespace inkroom::client
