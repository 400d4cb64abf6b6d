#include "session.h"

#include "closecodes.h"
#include "fingerprint.h"
#include "journal.h"
#include "protocollimits.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkInformation>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslError>
#include <QSslSocket>
#include <QUuid>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

//! Volatile updates are skipped while this much is still waiting in the socket's write buffer.
constexpr qint64 CongestedBytes = 256 * 1024;
constexpr int MaxUndoSteps = 200;

QUrl normalisedServer(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash
                        | QUrl::NormalizePathSegments);
}

proto::Colour toColour(const QColor &colour, proto::Colour fallback = 0xff000000)
{
    return colour.isValid() ? proto::Colour(colour.rgba()) : fallback;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool isTwoPointKind(ItemKind kind)
{
    return kind == ItemKind::Line || kind == ItemKind::Arrow || kind == ItemKind::Rect || kind == ItemKind::Ellipse;
}

ChatMessage pendingChat(const Op &op, const QString &client, const QString &author, proto::Colour colour)
{
    ChatMessage m;
    m.cseq = op.cseq;
    m.client = client;
    m.author = author;
    m.colour = colour;
    m.text = op.text;
    m.time = nowMs();
    m.own = true;
    m.pending = true;
    return m;
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
    , m_board(new BoardDocument(this))
    , m_boardItems(new BoardItemsModel(m_board, this))
    , m_chat(new ChatModel(this))
    , m_people(new PeopleModel(this))
    , m_live(new LiveStrokesModel(this))
{
    setTimings(Timings {});

    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &Session::checkDeadline);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->ping();
    });
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &Session::startAttempt);
    m_countdown.setInterval(200);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        const qint64 left = std::max<qint64>(0, m_retryDelayMs - m_retryClock.elapsed());
        setRetryIn(int((left + 999) / 1000));
    });
    m_stableTimer.setSingleShot(true);
    connect(&m_stableTimer, &QTimer::timeout, this, [this] {
        // Online long enough: the next loss starts the backoff from the beginning.
        m_backoff.reset();
        setAttempt(0);
    });
    m_resumeSaveTimer.setSingleShot(true);
    connect(&m_resumeSaveTimer, &QTimer::timeout, this, &Session::saveResumePoint);
    m_volatileTimer.setSingleShot(true);
    connect(&m_volatileTimer, &QTimer::timeout, this, &Session::flushVolatile);
    m_typingOff.setSingleShot(true);
    connect(&m_typingOff, &QTimer::timeout, this, [this] { setTyping(false); });

    // When the system says the network is back (Wi-Fi rejoined, cable plugged in), try at once rather than sit out
    // the backoff. Only that direction: "no network" from the system is not trusted to drop a link, because a LAN
    // without a default route looks disconnected to some backends while the room works fine.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability != QNetworkInformation::Reachability::Disconnected
                        && reachability != QNetworkInformation::Reachability::Unknown && m_state == Reconnecting)
                        retryNow();
                });
    }

    connect(m_people, &PeopleModel::onlineCountChanged, this, [this] {
        if (m_lastMemberCount != memberCount()) {
            m_lastMemberCount = memberCount();
            Q_EMIT memberCountChanged();
        }
    });
    updateStatusText();
}

Session::~Session()
{
    m_wantConnected = false;
    dropSocket();
    if (m_journal) {
        saveResumePoint();
        delete m_journal; // finishes the queued writes
        m_journal = nullptr;
    }
}

void Session::setTimings(const Timings &timings)
{
    m_timings = timings;
    m_backoff.setParams({timings.backoffInitialMs, timings.backoffMaxMs, timings.backoffJitter});
    m_people->setTimings(timings.idleAfterMs, timings.leftGraceMs, timings.typingExpireMs);
    m_live->setTimings(timings.liveStaleMs, timings.liveEndGraceMs);
    m_pingTimer.setInterval(timings.pingIntervalMs);
}

void Session::setBackoffSeed(quint32 seed)
{
    m_backoff = Backoff(m_backoff.params(), seed);
}

// ---- properties ----

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
    updateStatusText();
}

void Session::setFailure(Failure failure)
{
    if (m_failure == failure)
        return;
    m_failure = failure;
    Q_EMIT failureChanged();
}

void Session::setReason(const QString &reason)
{
    if (m_reason == reason)
        return;
    m_reason = reason;
    Q_EMIT reasonChanged();
    updateStatusText();
}

void Session::setAttempt(int attempt)
{
    if (m_attempt == attempt)
        return;
    m_attempt = attempt;
    Q_EMIT attemptChanged();
    updateStatusText();
}

void Session::setRetryIn(int seconds)
{
    if (m_retryIn == seconds)
        return;
    m_retryIn = seconds;
    Q_EMIT retryInChanged();
    updateStatusText();
}

void Session::setRoundTrip(int ms)
{
    if (m_roundTripMs == ms)
        return;
    m_roundTripMs = ms;
    Q_EMIT roundTripMsChanged();
}

void Session::notifyPendingCount()
{
    if (m_lastPendingCount == pendingCount())
        return;
    m_lastPendingCount = pendingCount();
    Q_EMIT pendingCountChanged();
    updateStatusText();
}

void Session::updateStatusText()
{
    const int pending = pendingCount();
    // Plural forms by hand: without a translator, tr()'s %n leaves "(s)" in the text.
    const QString waiting = pending == 0 ? QString()
        : pending == 1                   ? tr("1 change waiting")
                                         : tr("%1 changes waiting").arg(pending);
    QString text;
    switch (m_state) {
    case Disconnected:
        text = tr("Not connected");
        break;
    case Connecting:
        text = m_attempt > 0 ? tr("Connecting (attempt %1)…").arg(m_attempt) : tr("Connecting…");
        break;
    case Joining:
        text = tr("Joining the room…");
        break;
    case Online:
        text = pending == 0 ? tr("Online")
            : pending == 1  ? tr("Online — sending 1 change")
                            : tr("Online — sending %1 changes").arg(pending);
        break;
    case Reconnecting:
        text = tr("Reconnecting in %1 s (attempt %2)").arg(m_retryIn).arg(m_attempt);
        break;
    case AwaitingTrust:
        text = tr("Waiting for you to check the server's certificate");
        break;
    case Failed:
        text = m_reason;
        break;
    }
    if (!waiting.isEmpty() && m_state != Online && m_state != Disconnected)
        text = tr("Offline — %1. %2").arg(waiting, text);
    if (text != m_statusText) {
        m_statusText = text;
        Q_EMIT statusTextChanged();
    }
}

void Session::setName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed == m_name || !proto::isValidDisplayName(trimmed))
        return;
    m_name = trimmed;
    Q_EMIT nameChanged();
    announceProfile();
}

void Session::announceProfile()
{
    if (!m_you.isEmpty() && m_people->person(m_you))
        m_people->updated(proto::Member {m_you, m_name, m_colour, m_typing});
    if (welcomedAndConnected())
        send(proto::Profile {m_name, m_colour});
}

void Session::setColour(const QColor &colour)
{
    const proto::Colour value = toColour(colour, m_colour) | 0xff000000u;
    if (value == m_colour)
        return;
    m_colour = value;
    Q_EMIT colourChanged();
    announceProfile();
}

void Session::setToken(const QString &token)
{
    if (token == m_token)
        return;
    m_token = token.left(limits::MaxTokenLength);
    Q_EMIT tokenChanged();
}

void Session::setKnownServersFile(const QString &path)
{
    if (path == m_knownServers.path())
        return;
    m_knownServers = KnownServers(path);
    Q_EMIT knownServersFileChanged();
}

void Session::setExpectedFingerprint(const QString &fingerprint)
{
    // A fingerprint that does not parse is kept as it is: no certificate matches it.
    const QString normal = proto::normaliseFingerprint(fingerprint);
    const QString value = normal.isEmpty() ? fingerprint.trimmed() : normal;
    if (value == m_expectedFingerprint)
        return;
    m_expectedFingerprint = value;
    Q_EMIT expectedFingerprintChanged();
}

void Session::setPendingFingerprint(const QString &fingerprint)
{
    if (fingerprint == m_pendingFingerprint)
        return;
    m_pendingFingerprint = fingerprint;
    Q_EMIT pendingFingerprintChanged();
}

void Session::setSecurity(bool encrypted, const QString &fingerprint)
{
    if (encrypted == m_encrypted && fingerprint == m_serverFingerprint)
        return;
    m_encrypted = encrypted;
    m_serverFingerprint = fingerprint;
    Q_EMIT securityChanged();
}

void Session::setStateDirectory(const QString &directory)
{
    if (directory == m_stateDirectory)
        return;
    m_stateDirectory = directory;
    Q_EMIT stateDirectoryChanged();
}

// ---- joining and leaving ----

void Session::join(const QUrl &server, const QString &room, const QString &name, const QColor &colour,
                   const QString &password)
{
    const QUrl url = normalisedServer(server);
    const bool validUrl =
        url.isValid() && (url.scheme() == "ws"_L1 || url.scheme() == "wss"_L1) && !url.host().isEmpty();
    const QString trimmedName = name.trimmed();
    if (!validUrl || !proto::isValidRoomName(room) || !proto::isValidDisplayName(trimmedName)
        || password.size() > limits::MaxPasswordLength) {
        resetRoom();
        m_wantConnected = false;
        fail(InvalidSettings, failureText(InvalidSettings));
        return;
    }

    if (trimmedName != m_name) {
        m_name = trimmedName;
        Q_EMIT nameChanged();
    }
    const proto::Colour value = toColour(colour, m_colour) | 0xff000000u;
    if (value != m_colour) {
        m_colour = value;
        Q_EMIT colourChanged();
    }

    const bool sameRoom = m_state != Disconnected && m_wantConnected && url == m_url && room == m_room;
    m_password = password;
    if (sameRoom) {
        if (welcomedAndConnected())
            announceProfile();
        else if (m_state == Reconnecting || m_state == Failed)
            retryNow();
        return;
    }

    resetRoom();
    m_url = url;
    m_room = room;
    Q_EMIT serverUrlChanged();
    Q_EMIT roomChanged();
    m_wantConnected = true;
    m_backoff.reset();
    setAttempt(0);
    setFailure(NoFailure);
    setReason(QString());
    setState(Connecting);
    if (m_stateDirectory.isEmpty()) {
        JournalState none;
        none.clientId = QUuid::createUuid().toString(QUuid::Id128);
        none.secret = newClientSecret();
        onJournalOpened(none);
    } else {
        openJournal();
    }
}

void Session::retryNow()
{
    if (!m_wantConnected && m_state == Failed && !m_url.isEmpty())
        m_wantConnected = true;
    if (!m_wantConnected || (m_state != Reconnecting && m_state != Failed))
        return;
    setFailure(NoFailure);
    startAttempt();
}

void Session::leave()
{
    if (m_socket && m_welcomed && m_typing)
        sendTyping(false);
    m_wantConnected = false;
    resetRoom();
    m_url.clear();
    m_room.clear();
    Q_EMIT serverUrlChanged();
    Q_EMIT roomChanged();
    setAttempt(0);
    setFailure(NoFailure);
    setReason(QString());
    setState(Disconnected);
}

void Session::failWith(Failure failure, const QString &reason)
{
    fail(failure, reason.isEmpty() ? failureText(failure) : reason);
}

bool Session::trustCertificate()
{
    if (m_state != AwaitingTrust || m_pendingFingerprint.isEmpty())
        return false;
    QString error;
    if (!m_knownServers.remember(serverKey(), m_pendingFingerprint, &error))
        Q_EMIT problem(
            tr("The trusted certificate could not be saved; it is trusted in this session only: %1").arg(error));
    setPendingFingerprint(QString());
    setReason(QString());
    startAttempt();
    return true;
}

void Session::rejectCertificate()
{
    if (m_state != AwaitingTrust)
        return;
    setPendingFingerprint(QString());
    fail(CertificateRejected, failureText(CertificateRejected));
}

void Session::forgetServerCertificate()
{
    if (m_url.isEmpty())
        return;
    QString error;
    if (!m_knownServers.forget(serverKey(), &error))
        Q_EMIT problem(tr("The old certificate could not be forgotten: %1").arg(error));
    if (m_state == Failed && m_failure == ServerIdentityChanged)
        retryNow();
}

void Session::resetRoom()
{
    m_retryTimer.stop();
    m_countdown.stop();
    m_deadline.stop();
    m_pingTimer.stop();
    m_stableTimer.stop();
    m_volatileTimer.stop();
    m_typingOff.stop();
    dropSocket(true);
    if (m_journal) {
        saveResumePoint();
        m_resumeSaveTimer.stop();
        m_journal->disconnect(this);
        delete m_journal; // waits for its queued writes (a few ms at most) and releases the identity's lock
        m_journal = nullptr;
    }
    m_ready = false;
    const bool hadClient = !m_clientId.isEmpty();
    m_clientId.clear();
    m_you.clear();
    m_outbox.clear();
    m_unnumbered.clear();
    m_committedUnseen.clear();
    m_inFlight = 0;
    m_nextCseq = 1;
    m_nextItem = 1;
    m_epoch.clear();
    m_haveBoard = false;
    m_catchUp = {};
    m_welcomed = false;
    m_catchingUp = false;
    m_snapshotPending = false;
    m_snapshotItems.clear();
    m_liveId.clear();
    m_livePoints.clear();
    m_typing = false;
    m_cursorDirty = false;
    clearUndo();
    m_board->clear();
    m_chat->clear();
    m_people->clear();
    m_live->clear();
    setRoundTrip(-1);
    setRetryIn(0);
    setPendingFingerprint(QString());
    setSecurity(false, QString());
    if (m_hasPassword) {
        m_hasPassword = false;
        Q_EMIT hasPasswordChanged();
    }
    if (hadClient)
        Q_EMIT clientIdChanged();
    notifyPendingCount();
}

void Session::openJournal()
{
    m_journal = new Journal(this);
    connect(m_journal, &Journal::opened, this, &Session::onJournalOpened);
    connect(m_journal, &Journal::failed, this, [this](const QString &error) {
        Q_EMIT problem(tr("Unsent changes will not survive a restart: %1").arg(error));
        m_journal->deleteLater();
        m_journal = nullptr;
        JournalState none;
        none.clientId = QUuid::createUuid().toString(QUuid::Id128);
        none.secret = newClientSecret();
        onJournalOpened(none);
    });
    connect(m_journal, &Journal::saved, this, &Session::outboxSaved);
    connect(m_journal, &Journal::writeFailed, this,
            [this](const QString &error) { Q_EMIT problem(tr("Could not save unsent changes: %1").arg(error)); });
    m_journal->open(m_stateDirectory, m_url.toString(), m_room);
}

void Session::onJournalOpened(const JournalState &state)
{
    m_clientId = state.clientId;
    m_secret = state.secret;
    m_nextCseq = std::max<quint64>(1, state.nextCseq);
    m_nextItem = std::max<quint64>(1, state.nextItem);
    // The journal knows the epoch (to tell the user the room was reset), but the board is not on disk: the first
    // join of a process takes a snapshot.
    m_epoch = state.epoch;
    m_haveBoard = false;
    m_ready = true;
    Q_EMIT clientIdChanged();

    // The journal's ops were made first: they go below anything made while it was opening.
    QList<Outgoing> early = std::move(m_unnumbered);
    m_unnumbered.clear();
    for (const Outgoing &entry : std::as_const(early))
        m_board->removePending(entry.key);
    QList<quint64> unreadable;
    for (const auto &[cseq, bytes] : state.pending) {
        auto decoded = proto::decode(bytes, limits::MaxClientMessageBytes);
        if (!decoded.ok() || !std::holds_alternative<Op>(decoded.message())) {
            unreadable.append(cseq);
            continue;
        }
        Outgoing entry;
        entry.cseq = cseq;
        entry.key = m_nextKey++;
        entry.op = std::get<Op>(decoded.message());
        entry.op.cseq = cseq;
        m_outbox.append(entry);
        m_board->addPending(entry.key, entry.op);
        if (entry.op.kind == OpKind::Chat)
            m_chat->addPending(pendingChat(entry.op, m_clientId, m_name, m_colour));
    }
    if (m_journal && !unreadable.isEmpty())
        m_journal->remove(unreadable);
    for (Outgoing &entry : early) {
        entry.key = m_nextKey++;
        numberAndJournal(entry);
        m_outbox.append(entry);
        m_board->addPending(entry.key, entry.op);
        if (entry.op.kind == OpKind::Chat)
            m_chat->addPending(pendingChat(entry.op, m_clientId, m_name, m_colour));
    }
    notifyPendingCount();
    if (m_wantConnected)
        startAttempt();
}

// ---- the connection ----

bool Session::welcomedAndConnected() const
{
    return m_socket && m_welcomed && m_socket->state() == QAbstractSocket::ConnectedState;
}

void Session::startAttempt()
{
    if (!m_ready || !m_wantConnected)
        return;
    m_retryTimer.stop();
    m_countdown.stop();
    setRetryIn(0);
    dropSocket();
    setState(Connecting);

    const quint64 generation = ++m_generation;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxServerMessageBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxServerMessageBytes));
    m_socketEnding = false;
    m_welcomed = false;
    m_catchingUp = false;
    m_snapshotPending = false;
    m_snapshotItems.clear();
    m_haveFatalError = false;
    m_dropReason.clear();

    connect(m_socket, &QWebSocket::connected, this, &Session::onSocketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &Session::onSocketGone);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &Session::onSocketGone);
    connect(m_socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::UnconnectedState)
            onSocketGone();
    });
    // Direct: ignoring the errors only works from inside the signal, while the TLS handshake waits.
    connect(m_socket, &QWebSocket::sslErrors, this, &Session::onSslErrors, Qt::DirectConnection);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Session::onBytes);
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

void Session::dropSocket(bool graceful)
{
    m_pingTimer.stop();
    m_deadline.stop();
    m_stableTimer.stop();
    m_welcomed = false;
    m_catchingUp = false;
    m_inFlight = 0;
    for (Outgoing &entry : m_outbox)
        entry.sent = false;
    setSecurity(false, QString());
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

QString Session::trustedFingerprint() const
{
    return m_expectedFingerprint.isEmpty() ? m_knownServers.fingerprintFor(serverKey()) : m_expectedFingerprint;
}

QString Session::peerFingerprint(const QList<QSslError> &errors) const
{
    QSslCertificate certificate;
    // QWebSocket keeps its TLS socket as a child and does not say what the peer presented.
    if (const QSslSocket *tls = m_socket ? m_socket->findChild<QSslSocket *>() : nullptr)
        certificate = tls->peerCertificate();
    for (qsizetype i = 0; certificate.isNull() && i < errors.size(); ++i)
        certificate = errors.at(i).certificate();
    return certificate.isNull() ? QString() : proto::formatFingerprint(certificate.digest(QCryptographicHash::Sha256));
}

void Session::onSslErrors(const QList<QSslError> &errors)
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
            if (generation != m_generation || !m_wantConnected)
                return;
            if (presented.isEmpty())
                connectionLost(tr("The server's certificate could not be read."));
            else if (!trusted.isEmpty())
                identityChanged(trusted, presented);
            else
                awaitTrust(presented);
        },
        Qt::QueuedConnection);
}

void Session::identityChanged(const QString &trusted, const QString &presented)
{
    const QString before =
        m_expectedFingerprint.isEmpty() ? tr("the one trusted before") : tr("the one this connection expects");
    fail(ServerIdentityChanged,
         tr("The server at %1 presented a different certificate from %2, so nothing was sent to it. Trusted: %3. "
            "Presented now: %4. Someone on the network may be pretending to be the server, or the server was "
            "reinstalled or given a new certificate. Ask whoever runs it which fingerprint it has now "
            "(inkroom-server prints it when it starts; a hosting Inkroom shows it beside the room link). Only if "
            "it is the one presented now, forget the old certificate and connect again.")
             .arg(serverKey(), before, trusted, presented));
}

void Session::awaitTrust(const QString &fingerprint)
{
    dropSocket();
    m_retryTimer.stop();
    m_countdown.stop();
    setRetryIn(0);
    m_people->clearVolatile();
    m_live->clearOthers();
    setPendingFingerprint(fingerprint);
    setReason(tr("First connection to %1. Its certificate's SHA-256 fingerprint is %2. Trust it only if whoever "
                 "runs the server sees the same fingerprint (inkroom-server prints it when it starts; a hosting "
                 "Inkroom shows it beside the room link).")
                  .arg(serverKey(), fingerprint));
    setState(AwaitingTrust);
    Q_EMIT trustRequested(serverKey(), fingerprint);
}

void Session::onSocketConnected()
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
        setSecurity(true, presented);
    }
    setState(Joining);
    proto::Hello hello;
    hello.client = m_clientId;
    hello.secret = m_secret;
    hello.name = m_name;
    hello.colour = m_colour;
    hello.room = m_room;
    hello.password = m_password;
    hello.token = m_token;
    m_catchUp = {};
    if (m_haveBoard && !m_epoch.isEmpty()) {
        hello.resume = proto::ResumePoint {m_epoch, m_board->confirmed().seq()};
        m_catchUp.resumed = true;
        m_catchUp.resumeSeq = hello.resume->seq;
    }
    send(hello);
    m_pingTimer.start();
}

void Session::onSocketGone()
{
    if (!m_socket || m_socketEnding)
        return;
    m_socketEnding = true;
    // error(), disconnected() and stateChanged() come in different orders: act once, when all have been said.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation != m_generation || !m_socket)
                return;
            const int code = int(m_socket->closeCode());
            const QString serverReason = m_socket->closeReason();
            const QString errorText = m_socket->errorString();
            const bool reachedServer = m_state == Joining || m_state == Online;
            dropSocket();
            if (!m_wantConnected) {
                setState(Disconnected);
                return;
            }
            Failure failure = proto::isRetryable(quint16(code)) ? NoFailure : failureForCloseCode(code);
            if (failure == NoFailure && m_haveFatalError)
                failure = failureForErrorCode(m_lastFatalError.code);
            if (failure != NoFailure) {
                QString text = failureText(failure);
                if (failure == HelloRejected && m_haveFatalError)
                    text += u' ' + m_lastFatalError.message;
                fail(failure, text);
                return;
            }
            QString reason;
            if (m_haveFatalError)
                reason = closeReasonText(code, serverReason) + u' ' + m_lastFatalError.message;
            else if (code != QWebSocketProtocol::CloseCodeNormal
                     && code != QWebSocketProtocol::CloseCodeAbnormalDisconnection)
                reason = closeReasonText(code, serverReason);
            else if (!reachedServer)
                reason = tr("Could not reach the server: %1").arg(errorText);
            else
                reason = tr("The connection was lost.");
            scheduleReconnect(reason.trimmed());
        },
        Qt::QueuedConnection);
}

void Session::armDeadline()
{
    if (!m_socket)
        return;
    qint64 left = 0;
    if (!m_welcomed)
        left = m_timings.connectTimeoutMs - m_attemptClock.elapsed();
    else
        left = m_timings.deadAfterMs - m_activity.elapsed();
    m_deadline.start(int(std::clamp<qint64>(left, 1, 1 << 30)));
}

void Session::checkDeadline()
{
    if (!m_socket)
        return;
    const bool expired = m_welcomed ? m_activity.elapsed() >= m_timings.deadAfterMs
                                    : m_attemptClock.elapsed() >= m_timings.connectTimeoutMs;
    if (!expired) {
        armDeadline();
        return;
    }
    const QString seconds =
        QString::number((m_welcomed ? m_timings.deadAfterMs : m_timings.connectTimeoutMs) / 1000.0, 'g', 2);
    connectionLost(m_welcomed ? tr("No answer from the server for %1 s.").arg(seconds)
                              : tr("The server did not answer within %1 s.").arg(seconds));
}

void Session::connectionLost(const QString &reason)
{
    dropSocket();
    if (m_wantConnected)
        scheduleReconnect(reason);
    else
        setState(Disconnected);
}

void Session::fail(Failure failure, const QString &reason)
{
    dropSocket();
    m_retryTimer.stop();
    m_countdown.stop();
    setRetryIn(0);
    m_people->clearVolatile();
    m_live->clearOthers();
    setFailure(failure);
    setReason(reason);
    setState(Failed);
}

void Session::scheduleReconnect(const QString &reason)
{
    m_people->clearVolatile();
    m_live->clearOthers();
    setReason(reason);
    setAttempt(m_attempt + 1);
    m_retryDelayMs = m_backoff.nextDelayMs();
    m_retryClock.start();
    m_retryTimer.start(m_retryDelayMs);
    m_countdown.start();
    setRetryIn((m_retryDelayMs + 999) / 1000);
    setState(Reconnecting);
}

void Session::resync(const QString &reason)
{
    // Our board can no longer be trusted to match the log: start again from a snapshot.
    Q_EMIT problem(reason);
    m_haveBoard = false;
    dropSocket();
    startAttempt();
}

void Session::send(const proto::Message &message)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendBinaryMessage(proto::encode(message));
}

void Session::onBytes(const QByteArray &bytes)
{
    m_activity.restart();
    auto decoded = proto::decode(bytes, limits::MaxServerMessageBytes);
    if (!decoded.ok()) {
        Q_EMIT problem(
            tr("The server sent a message this client does not understand: %1").arg(decoded.error().message));
        return;
    }
    std::visit([this](const auto &message) { handle(message); }, decoded.message());
}

// ---- the join and the catch-up ----

void Session::handle(const proto::Welcome &welcome)
{
    if (m_welcomed || !m_socket)
        return;
    m_welcomed = true;
    m_you = welcome.you;
    const bool epochChanged = !m_epoch.isEmpty() && welcome.epoch != m_epoch;
    if (epochChanged) {
        // The server's data was wiped or replaced: what we knew of the log is gone, our unsent work is not.
        m_haveBoard = false;
        m_chat->clearConfirmed();
        QList<quint64> keys;
        for (const Outgoing &entry : std::as_const(m_committedUnseen)) {
            keys.append(entry.key);
            if (entry.op.kind == OpKind::Chat)
                m_chat->removePending(entry.cseq);
        }
        m_committedUnseen.clear();
        m_board->resetConfirmed(0, {}, keys);
        clearUndo();
    }
    m_epoch = welcome.epoch;
    if (m_hasPassword != welcome.hasPassword) {
        m_hasPassword = welcome.hasPassword;
        Q_EMIT hasPasswordChanged();
    }
    m_people->setMembers(welcome.members, m_you);
    m_catchingUp = true;
    m_snapshotMode = welcome.snapshot;
    m_snapshotPending = false;
    m_snapshotItems.clear();
    m_snapshotSeq = 0;
    m_snapshotChunks = 0;
    m_catchUp.snapshot = welcome.snapshot;
    m_catchUp.head = welcome.head;

    // What the room has committed of ours is settled; its ops (or the snapshot) show it. The rest goes again.
    m_nextCseq = std::max(m_nextCseq, welcome.acked + 1);
    QList<quint64> settled;
    while (!m_outbox.isEmpty() && m_outbox.first().cseq <= welcome.acked) {
        settled.append(m_outbox.first().cseq);
        m_committedUnseen.append(m_outbox.takeFirst());
    }
    if (m_journal && !settled.isEmpty())
        m_journal->remove(settled);
    for (Outgoing &entry : m_outbox)
        entry.sent = false;
    m_inFlight = 0;
    m_liveSentFrom = 0; // a stroke in progress goes out again from its first point
    m_liveDirty = !m_liveId.isEmpty();
    notifyPendingCount();
    armDeadline();
    Q_EMIT welcomed(welcome);
    if (epochChanged)
        Q_EMIT roomReset(welcome.epoch);
    pumpOutbox();
    if (m_liveDirty || m_cursorVisible) {
        m_cursorDirty = m_cursorVisible;
        scheduleVolatileFlush();
    }
    if (m_typing)
        sendTyping(true);
}

void Session::handle(const proto::Snapshot &snapshot)
{
    if (!m_catchingUp || !m_snapshotMode)
        return;
    m_snapshotPending = true;
    ++m_snapshotChunks;
    m_snapshotSeq = snapshot.seq;
    m_snapshotItems.append(snapshot.items);
    m_catchUp.snapshotItems += int(snapshot.items.size());
}

void Session::applySnapshotIfPending()
{
    if (!m_snapshotPending)
        return;
    m_snapshotPending = false;
    // Our committed ops are in the snapshot: stop drawing them on top, in the same reset.
    QList<quint64> keys;
    for (const Outgoing &entry : std::as_const(m_committedUnseen)) {
        if (proto::isBoardOp(entry.op.kind))
            keys.append(entry.key);
    }
    m_committedUnseen.erase(std::remove_if(m_committedUnseen.begin(), m_committedUnseen.end(),
                                           [](const Outgoing &e) { return proto::isBoardOp(e.op.kind); }),
                            m_committedUnseen.end());
    const QList<Item> items = std::move(m_snapshotItems);
    m_snapshotItems.clear();
    m_board->resetConfirmed(m_snapshotSeq, items, keys);
    m_haveBoard = true;
    for (const Item &item : items)
        m_live->remove(item.id);
    scheduleResumeSave();
    Q_EMIT snapshotApplied(m_snapshotSeq, int(items.size()));
}

void Session::handle(const proto::Synced &message)
{
    if (!m_catchingUp)
        return;
    if (m_snapshotMode && m_snapshotChunks == 0) {
        // Snapshot mode with no chunks: the board is empty at head.
        m_snapshotPending = true;
        m_snapshotSeq = message.head;
    }
    applySnapshotIfPending();
    settleCommittedUnseen();
    m_catchingUp = false;
    m_haveBoard = true;
    m_catchUp.head = message.head;
    setReason(QString());
    setFailure(NoFailure);
    setState(Online);
    m_stableTimer.start(m_timings.stableAfterMs);
    scheduleResumeSave();
    Q_EMIT synced(message.head);
}

void Session::settleCommittedUnseen()
{
    // Committed before this connection but not in the catch-up (only possible in snapshot mode, for chat older
    // than the history the server sends): nothing more to show for them.
    QList<quint64> keys;
    for (const Outgoing &entry : std::as_const(m_committedUnseen)) {
        if (entry.op.kind == OpKind::Chat)
            m_chat->removePending(entry.cseq);
        else
            keys.append(entry.key);
    }
    m_committedUnseen.clear();
    for (quint64 key : keys)
        m_board->removePending(key);
}

void Session::handle(const Op &incoming)
{
    if (!m_welcomed || incoming.seq == 0)
        return;
    if (m_catchingUp)
        ++m_catchUp.ops;
    if (m_snapshotPending && incoming.seq > m_snapshotSeq)
        applySnapshotIfPending();

    const bool own = !m_you.isEmpty() && incoming.client == m_you;
    std::optional<Outgoing> mine;
    if (own) {
        const auto match = [&incoming](const Outgoing &e) { return e.cseq == incoming.cseq; };
        auto it = std::find_if(m_committedUnseen.begin(), m_committedUnseen.end(), match);
        if (it != m_committedUnseen.end()) {
            mine = *it;
            m_committedUnseen.erase(it);
        } else {
            auto pending = std::find_if(m_outbox.begin(), m_outbox.end(), match);
            if (pending != m_outbox.end()) {
                // Our op, committed, reported to us as an op rather than an ack: same thing.
                mine = *pending;
                if (pending->sent)
                    --m_inFlight;
                m_outbox.erase(pending);
                if (m_journal)
                    m_journal->remove({incoming.cseq});
            }
        }
    }

    bool isNew = false;
    if (incoming.seq > m_board->confirmed().seq()) {
        if (mine)
            m_board->confirmPending(mine->key, incoming);
        else
            m_board->applyConfirmed(incoming);
        isNew = proto::isBoardOp(incoming.kind);
    } else if (mine) {
        // Already part of the board (the snapshot has it).
        m_board->removePending(mine->key);
    }

    if (incoming.kind == OpKind::Chat) {
        if (mine && m_chat->confirm(mine->cseq, incoming.seq, incoming.time)) {
            isNew = true;
        } else {
            ChatMessage message;
            message.seq = incoming.seq;
            message.cseq = incoming.cseq;
            message.client = incoming.client;
            message.author = incoming.author;
            message.colour = own ? m_colour : m_people->colourOf(incoming.client, 0xff808080);
            message.text = incoming.text;
            message.time = incoming.time;
            message.own = own;
            // History after a snapshot may repeat messages this client has: the chat list knows them by seq.
            isNew = m_chat->addConfirmed(message);
        }
    } else if (incoming.kind == OpKind::Add) {
        if (incoming.item.id != m_liveId)
            m_live->remove(incoming.item.id);
    }
    if (mine)
        pumpOutbox();
    if (isNew) {
        if (!own)
            m_people->noteActivity(incoming.client);
        scheduleResumeSave();
        Q_EMIT opApplied(incoming, own);
    }
    if (mine)
        notifyPendingCount();
}

void Session::handle(const proto::Ack &ack)
{
    const auto it =
        std::find_if(m_outbox.begin(), m_outbox.end(), [&ack](const Outgoing &e) { return e.cseq == ack.cseq; });
    if (it == m_outbox.end())
        return; // settled already (seen in a catch-up)
    const Outgoing entry = *it;
    if (entry.sent)
        --m_inFlight;
    m_outbox.erase(it);
    if (m_journal)
        m_journal->remove({entry.cseq});

    Op op = entry.op;
    op.seq = ack.seq;
    op.client = m_you;
    op.author = m_name;
    op.time = nowMs();
    if (ack.duplicate && (ack.seq == 0 || ack.seq <= m_board->confirmed().seq())) {
        // Committed long ago at a place in the log this board went past without it: cannot be placed here.
        m_board->removePending(entry.key);
        if (op.kind == OpKind::Chat)
            m_chat->removePending(entry.cseq);
        notifyPendingCount();
        resync(tr("A change was committed out of sight of this client; reloading the board."));
        return;
    }
    m_board->confirmPending(entry.key, op);
    if (op.kind == OpKind::Chat)
        m_chat->confirm(entry.cseq, op.seq, op.time);
    scheduleResumeSave();
    pumpOutbox();
    // Signals last: a listener may leave() the room in response.
    Q_EMIT acknowledged(entry.cseq, ack.seq);
    Q_EMIT opApplied(op, true);
    notifyPendingCount();
}

void Session::handle(const proto::Reject &reject)
{
    const auto it =
        std::find_if(m_outbox.begin(), m_outbox.end(), [&reject](const Outgoing &e) { return e.cseq == reject.cseq; });
    if (it == m_outbox.end())
        return;
    const Outgoing entry = *it;
    if (entry.sent)
        --m_inFlight;
    m_outbox.erase(it);
    if (m_journal)
        m_journal->remove({entry.cseq});
    m_board->removePending(entry.key);
    if (entry.op.kind == OpKind::Chat)
        m_chat->removePending(entry.cseq);
    pumpOutbox();
    Q_EMIT changeRejected(entry.cseq, proto::opKindName(entry.op.kind), proto::errorCodeName(reject.code),
                          reject.message);
    notifyPendingCount();
}

void Session::handle(const proto::Presence &presence)
{
    if (!m_welcomed)
        return;
    const bool self = presence.member.client == m_you;
    switch (presence.event) {
    case proto::PresenceEvent::Joined:
        if (!self)
            m_people->joined(presence.member);
        break;
    case proto::PresenceEvent::Left:
        if (self)
            return; // an old connection of ours going away
        m_people->left(presence.member.client);
        m_live->removeClient(presence.member.client);
        break;
    case proto::PresenceEvent::Updated:
        m_people->updated(presence.member);
        break;
    }
    Q_EMIT presenceEvent(presence);
}

void Session::handle(const proto::Cursor &cursor)
{
    if (!m_welcomed || cursor.client.isEmpty() || cursor.client == m_you)
        return;
    m_people->setCursor(cursor.client, QPointF(cursor.x, cursor.y), cursor.visible);
    Q_EMIT cursorReceived(cursor);
}

void Session::handle(const proto::Typing &typing)
{
    if (!m_welcomed || typing.client.isEmpty() || typing.client == m_you)
        return;
    m_people->setTyping(typing.client, typing.active);
    Q_EMIT typingReceived(typing.client, typing.active);
}

void Session::handle(const proto::Live &live)
{
    if (!m_welcomed || live.client.isEmpty() || live.client == m_you)
        return;
    // A stroke whose item is already on the board is finished; late points do not bring it back.
    if (!m_board->confirmed().contains(live.id)) {
        const Person *author = m_people->person(live.client);
        m_live->apply(live, author ? author->name : QString());
    }
    m_people->noteActivity(live.client);
    Q_EMIT liveReceived(live);
}

void Session::handle(const proto::Error &error)
{
    if (error.fatal) {
        m_lastFatalError = error;
        m_haveFatalError = true;
    }
    Q_EMIT serverError(proto::errorCodeName(error.code), error.message, error.fatal);
}

void Session::scheduleResumeSave()
{
    if (m_journal && !m_resumeSaveTimer.isActive())
        m_resumeSaveTimer.start(m_timings.resumeSaveMs);
}

void Session::saveResumePoint()
{
    if (m_journal && !m_epoch.isEmpty() && m_haveBoard)
        m_journal->setResumePoint(m_epoch, m_board->confirmed().seq());
}

// ---- the outbox ----

QString Session::validate(const Op &op) const
{
    Op probe = op;
    probe.cseq = std::max<quint64>(1, probe.cseq);
    const QByteArray bytes = proto::encode(probe);
    if (bytes.size() > limits::MaxClientMessageBytes)
        return tr("The change is too large to send.");
    // The server decodes with exactly these rules: what passes here passes there.
    const auto decoded = proto::decode(bytes, limits::MaxClientMessageBytes);
    return decoded.ok() ? QString() : decoded.error().message;
}

void Session::numberAndJournal(Outgoing &entry)
{
    entry.cseq = m_nextCseq++;
    entry.op.cseq = entry.cseq;
    if (m_journal && m_journal->isOpen())
        m_journal->append(entry.cseq, proto::encode(entry.op), m_nextCseq, m_nextItem);
}

bool Session::submit(Op op, bool recordUndo, QList<Op> inverse)
{
    if (m_url.isEmpty() || m_room.isEmpty())
        return false; // no room
    op.seq = 0;
    op.client.clear();
    op.author.clear();
    op.time = 0;
    const QString problemText = validate(op);
    if (!problemText.isEmpty()) {
        Q_EMIT problem(problemText);
        return false;
    }
    Outgoing entry;
    entry.key = m_nextKey++;
    entry.op = op;
    if (m_ready) {
        numberAndJournal(entry);
        m_outbox.append(entry);
        if (entry.op.kind == OpKind::Chat)
            m_chat->addPending(pendingChat(entry.op, m_clientId, m_name, m_colour));
    } else {
        m_unnumbered.append(entry);
    }
    m_board->addPending(entry.key, entry.op);
    if (recordUndo && proto::isBoardOp(op.kind))
        pushUndo(UndoStep {inverse, {op}, {}, {}});
    notifyPendingCount();
    pumpOutbox();
    return true;
}

bool Session::submitStep(const QList<Op> &ops, const QList<Op> &inverse)
{
    bool any = false;
    for (const Op &op : ops)
        any = submit(op, false) || any;
    if (any)
        pushUndo(UndoStep {inverse, ops, {}, {}});
    return any;
}

void Session::pumpOutbox()
{
    if (!welcomedAndConnected())
        return;
    // The sent entries are a prefix of the outbox: continue after them, up to the flow-control window.
    for (qsizetype i = m_inFlight; i < m_outbox.size() && m_inFlight < m_timings.maxInFlight; ++i) {
        Outgoing &entry = m_outbox[i];
        if (entry.sent)
            continue;
        send(entry.op);
        entry.sent = true;
        ++m_inFlight;
    }
}

namespace {

QStringList undoTouchedIds(const Op &op)
{
    return op.kind == OpKind::Add || op.kind == OpKind::Update ? QStringList {op.item.id} : op.ids;
}

//! Equal but for the stacking order (which changes when a pending item is acknowledged).
bool sameContent(const Item &a, const Item &b)
{
    Item copy = a;
    copy.z = b.z;
    return copy == b;
}

} // namespace

QHash<QString, Item> Session::snapshotOf(const UndoStep &step) const
{
    QHash<QString, Item> items;
    for (const QList<Op> *ops : {&step.undo, &step.redo}) {
        for (const Op &op : *ops) {
            for (const QString &id : undoTouchedIds(op)) {
                if (const Item *item = m_board->item(id))
                    items.insert(id, *item);
            }
        }
    }
    return items;
}

QList<Op> Session::withoutOthersWork(const QList<Op> &ops, const QHash<QString, Item> &expected) const
{
    // An item is ours to touch while it is exactly as our own last step left it.
    const auto untouched = [&](const QString &id) {
        const Item *now = m_board->item(id);
        const auto it = expected.constFind(id);
        return now && it != expected.cend() && sameContent(*now, *it);
    };
    QList<Op> result;
    for (Op op : ops) {
        switch (op.kind) {
        case OpKind::Add:
            if (!m_board->contains(op.item.id))
                result.append(op);
            break;
        case OpKind::Update:
            if (untouched(op.item.id))
                result.append(op);
            break;
        case OpKind::Remove:
        case OpKind::Move:
            op.ids.removeIf([&](const QString &id) { return !untouched(id); });
            if (!op.ids.isEmpty())
                result.append(op);
            break;
        case OpKind::Clear: {
            // Redoing a clear removes what the undo brought back, never what others drew since.
            Op remove;
            remove.kind = OpKind::Remove;
            for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
                if (untouched(it.key()))
                    remove.ids.append(it.key());
            }
            remove.ids.sort();
            if (!remove.ids.isEmpty())
                result.append(remove);
            break;
        }
        case OpKind::Chat:
            break;
        }
    }
    return result;
}

void Session::pushUndo(UndoStep step)
{
    if (step.undo.isEmpty())
        return;
    step.afterRedo = snapshotOf(step);
    m_undo.append(std::move(step));
    if (m_undo.size() > MaxUndoSteps)
        m_undo.removeFirst();
    m_redo.clear();
    Q_EMIT undoChanged();
}

void Session::clearUndo()
{
    if (m_undo.isEmpty() && m_redo.isEmpty())
        return;
    m_undo.clear();
    m_redo.clear();
    Q_EMIT undoChanged();
}

bool Session::undo()
{
    if (m_undo.isEmpty())
        return false;
    UndoStep step = m_undo.takeLast();
    // Never take away or overwrite what somebody else did to these items since.
    for (const Op &op : withoutOthersWork(step.undo, step.afterRedo))
        submit(op, false);
    step.afterUndo = snapshotOf(step);
    m_redo.append(std::move(step));
    Q_EMIT undoChanged();
    return true;
}

bool Session::redo()
{
    if (m_redo.isEmpty())
        return false;
    UndoStep step = m_redo.takeLast();
    for (const Op &op : withoutOthersWork(step.redo, step.afterUndo))
        submit(op, false);
    step.afterRedo = snapshotOf(step);
    m_undo.append(std::move(step));
    Q_EMIT undoChanged();
    return true;
}

// ---- verbs ----

QString Session::newItemId()
{
    if (m_clientId.isEmpty())
        return QUuid::createUuid().toString(QUuid::Id128);
    return m_clientId + u':' + QString::number(m_nextItem++);
}

bool Session::sendChat(const QString &text)
{
    Op op;
    op.kind = OpKind::Chat;
    // Text editors put a line separator (U+2028) where Shift+Enter broke the line; the room gets a newline.
    op.text = QString(text).replace(QChar::LineSeparator, u'\n').replace(QChar::ParagraphSeparator, u'\n');
    if (op.text.trimmed().isEmpty())
        return false;
    const bool ok = submit(op, false);
    if (ok)
        setTyping(false);
    return ok;
}

void Session::setTyping(bool active)
{
    if (active) {
        m_typingOff.start(m_timings.typingTimeoutMs);
        if (!m_typing || m_typingSent.elapsed() >= m_timings.typingRefreshMs) {
            m_typing = true;
            sendTyping(true);
        }
        return;
    }
    m_typingOff.stop();
    if (m_typing) {
        m_typing = false;
        sendTyping(false);
    }
}

void Session::sendTyping(bool active)
{
    if (!welcomedAndConnected())
        return;
    m_typingSent.start();
    send(proto::Typing {QString(), active});
}

void Session::moveCursor(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    m_cursor = QPointF(std::clamp(x, -limits::MaxCoordinate, limits::MaxCoordinate),
                       std::clamp(y, -limits::MaxCoordinate, limits::MaxCoordinate));
    m_cursorVisible = true;
    m_cursorDirty = true;
    scheduleVolatileFlush();
}

void Session::hideCursor()
{
    if (!m_cursorVisible)
        return;
    m_cursorVisible = false;
    m_cursorDirty = true;
    scheduleVolatileFlush();
}

bool Session::congested() const
{
    return m_socket && m_socket->bytesToWrite() > CongestedBytes;
}

void Session::scheduleVolatileFlush()
{
    if (!m_volatileTimer.isActive())
        m_volatileTimer.start(m_timings.liveIntervalMs);
}

void Session::flushVolatile()
{
    if (!welcomedAndConnected())
        return; // volatile updates are dropped while offline; what is current goes out after the next welcome
    if (congested()) {
        scheduleVolatileFlush(); // try again next tick rather than pile up behind a slow link
        return;
    }
    if (m_cursorDirty) {
        m_cursorDirty = false;
        send(proto::Cursor {QString(), m_cursor.x(), m_cursor.y(), m_cursorVisible});
    }
    if (m_liveDirty && !m_liveId.isEmpty()) {
        m_liveDirty = false;
        qsizetype from = std::min(m_liveSentFrom, m_livePoints.size());
        do {
            proto::Live live;
            live.id = m_liveId;
            live.kind = m_liveKind;
            live.colour = m_liveColour;
            live.width = m_liveWidth;
            live.from = quint32(from);
            live.points = m_livePoints.mid(from, limits::MaxPointsPerLive);
            send(live);
            from += live.points.size();
        } while (from < m_livePoints.size());
        m_liveSentFrom = m_livePoints.size();
    }
}

QString Session::beginStroke(BoardDocument::ItemKind kind, const QColor &colour, double width, const QPointF &start)
{
    if (m_url.isEmpty())
        return {};
    if (!m_liveId.isEmpty())
        endStroke(true);
    m_liveId = newItemId();
    m_liveKind = ItemKind(kind);
    if (m_liveKind == ItemKind::Text)
        m_liveKind = ItemKind::Stroke;
    m_liveColour = toColour(colour);
    m_liveWidth = std::clamp(std::isfinite(width) ? width : 2.0, limits::MinWidth, limits::MaxWidth);
    const QPointF p(std::clamp(start.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                    std::clamp(start.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
    m_livePoints = isTwoPointKind(m_liveKind) ? QList<QPointF> {p, p} : QList<QPointF> {p};
    m_liveSentFrom = 0;
    m_liveDirty = true;
    m_live->setOwn(m_liveId, m_liveKind, m_liveColour, m_liveWidth, 0, m_livePoints);
    scheduleVolatileFlush();
    return m_liveId;
}

void Session::extendStroke(const QPointF &point)
{
    if (m_liveId.isEmpty() || !std::isfinite(point.x()) || !std::isfinite(point.y()))
        return;
    const QPointF p(std::clamp(point.x(), -limits::MaxCoordinate, limits::MaxCoordinate),
                    std::clamp(point.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
    qsizetype from = 0;
    if (isTwoPointKind(m_liveKind)) {
        m_livePoints[1] = p;
        from = 1;
    } else {
        if (m_livePoints.size() >= limits::MaxPointsPerItem || m_livePoints.last() == p)
            return;
        from = m_livePoints.size();
        m_livePoints.append(p);
    }
    m_liveSentFrom = std::min(m_liveSentFrom, from);
    m_liveDirty = true;
    m_live->setOwn(m_liveId, m_liveKind, m_liveColour, m_liveWidth, from, {p});
    scheduleVolatileFlush();
}

QString Session::endStroke(bool commit)
{
    if (m_liveId.isEmpty())
        return {};
    const QString id = m_liveId;
    // Tell the others the stroke is over (with any points they have not had yet).
    flushVolatile();
    if (welcomedAndConnected()) {
        proto::Live end;
        end.id = id;
        end.kind = m_liveKind;
        end.colour = m_liveColour;
        end.width = m_liveWidth;
        end.from = quint32(m_livePoints.size());
        end.end = true;
        send(end);
    }
    m_liveId.clear();
    m_liveDirty = false;
    QString added;
    if (commit) {
        Item item;
        item.id = id;
        item.kind = m_liveKind;
        item.colour = m_liveColour;
        item.width = m_liveWidth;
        item.points = m_livePoints;
        added = addItem(item);
    }
    // In the same turn as the pending item appears: no frame without the stroke.
    m_live->remove(id);
    m_livePoints.clear();
    return added;
}

QString Session::addItem(Item item)
{
    if (item.id.isEmpty())
        item.id = newItemId();
    item.z = 0;
    if (m_board->contains(item.id))
        return {};
    Op op;
    op.kind = OpKind::Add;
    op.item = item;
    Op inverse;
    inverse.kind = OpKind::Remove;
    inverse.ids = {item.id};
    return submit(op, true, {inverse}) ? item.id : QString();
}

bool Session::updateItem(const Item &item)
{
    const Item *current = m_board->item(item.id);
    if (!current || current->kind != item.kind)
        return false;
    Op op;
    op.kind = OpKind::Update;
    op.item = item;
    op.item.z = 0;
    Op inverse;
    inverse.kind = OpKind::Update;
    inverse.item = *current;
    inverse.item.z = 0;
    return submit(op, true, {inverse});
}

QString Session::addShape(BoardDocument::ItemKind kind, const QColor &colour, double width, const QPointF &from,
                          const QPointF &to, const QColor &fill)
{
    Item item;
    item.kind = ItemKind(kind);
    if (!isTwoPointKind(item.kind))
        return {};
    item.colour = toColour(colour);
    item.width = width;
    item.points = {from, to};
    if (fill.isValid() && (item.kind == ItemKind::Rect || item.kind == ItemKind::Ellipse))
        item.fill = toColour(fill);
    return addItem(item);
}

QString Session::addText(const QPointF &at, const QString &text, const QColor &colour, double size)
{
    Item item;
    item.kind = ItemKind::Text;
    item.colour = toColour(colour);
    item.width = size;
    item.points = {at};
    item.text = text;
    return addItem(item);
}

bool Session::setItemText(const QString &id, const QString &text)
{
    const Item *current = m_board->item(id);
    if (!current || current->kind != ItemKind::Text || current->text == text)
        return false;
    Item item = *current;
    item.text = text;
    return updateItem(item);
}

bool Session::restyleItems(const QStringList &ids, const QColor &colour, double width, const QColor &fill)
{
    QList<Op> ops;
    QList<Op> inverse;
    for (const QString &id : ids) {
        const Item *current = m_board->item(id);
        if (!current)
            continue;
        Item item = *current;
        item.z = 0;
        if (colour.isValid())
            item.colour = toColour(colour);
        if (width > 0)
            item.width = std::clamp(width, limits::MinWidth, limits::MaxWidth);
        if (fill.isValid() && (item.kind == ItemKind::Rect || item.kind == ItemKind::Ellipse))
            item.fill = toColour(fill);
        Item before = *current;
        before.z = 0;
        if (item == before)
            continue;
        Op op;
        op.kind = OpKind::Update;
        op.item = item;
        ops.append(op);
        Op undo;
        undo.kind = OpKind::Update;
        undo.item = before;
        inverse.append(undo);
    }
    return !ops.isEmpty() && submitStep(ops, inverse);
}

bool Session::moveItems(const QStringList &ids, double dx, double dy)
{
    QStringList present;
    for (const QString &id : ids) {
        if (m_board->contains(id) && !present.contains(id))
            present.append(id);
    }
    if (present.isEmpty() || !std::isfinite(dx) || !std::isfinite(dy) || (dx == 0 && dy == 0))
        return false;
    Op op;
    op.kind = OpKind::Move;
    op.ids = present;
    op.dx = std::clamp(dx, -limits::MaxMoveDelta, limits::MaxMoveDelta);
    op.dy = std::clamp(dy, -limits::MaxMoveDelta, limits::MaxMoveDelta);
    Op inverse = op;
    inverse.dx = -op.dx;
    inverse.dy = -op.dy;
    return submit(op, true, {inverse});
}

bool Session::removeItems(const QStringList &ids)
{
    QStringList present;
    QList<Item> removed;
    for (const QString &id : ids) {
        const Item *item = m_board->item(id);
        if (item && !present.contains(id)) {
            present.append(id);
            removed.append(*item);
        }
    }
    if (present.isEmpty())
        return false;
    std::sort(removed.begin(), removed.end(), [](const Item &a, const Item &b) { return a.z < b.z; });
    QList<Op> inverse;
    for (Item item : std::as_const(removed)) {
        item.z = 0;
        Op add;
        add.kind = OpKind::Add;
        add.item = item;
        inverse.append(add);
    }
    Op op;
    op.kind = OpKind::Remove;
    op.ids = present;
    return submit(op, true, inverse);
}

bool Session::clearBoard()
{
    if (m_board->itemCount() == 0)
        return false;
    QList<Op> inverse;
    for (Item item : m_board->orderedItems()) {
        item.z = 0;
        Op add;
        add.kind = OpKind::Add;
        add.item = item;
        inverse.append(add);
    }
    Op op;
    op.kind = OpKind::Clear;
    return submit(op, true, inverse);
}

} // namespace inkroom::client
