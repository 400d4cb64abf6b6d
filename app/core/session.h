#pragma once

#include "backoff.h"
#include "boarddocument.h"
#include "boarditemsmodel.h"
#include "chatmodel.h"
#include "knownservers.h"
#include "livestrokesmodel.h"
#include "peoplemodel.h"
#include "protocol.h"
#include "timings.h"

#include <QColor>
#include <QElapsedTimer>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QtQmlIntegration/qqmlintegration.h>

QT_BEGIN_NAMESPACE
class QSslError;
class QWebSocket;
QT_END_NAMESPACE

namespace inkroom::client {

class Journal;
struct JournalState;

/** @brief One client's membership of one room: the connection state machine, the outbox, resume, and the models
 * the UI binds to.
 *
 * States: Disconnected -> Connecting (TCP + WebSocket handshake) -> Joining (hello sent; welcome and catch-up
 * arriving) -> Online (synced; live). A connection that ends for a reason retrying can fix goes to Reconnecting
 * (attempt n, next try in retryIn s: exponential backoff with jitter, reset after stableAfter online), then
 * Connecting again. A reason retrying cannot fix (wrong password, incompatible version, room full, ...) goes to
 * Failed with failure and reason set. retryNow() skips the wait; leave() goes back to Disconnected.
 *
 * Server identity (wss://): a certificate that chains to a trusted CA and matches the host is accepted. Any other
 * certificate is accepted only when its SHA-256 fingerprint is the one pinned for this HOST:PORT in knownServersFile
 * (or the expectedFingerprint set for this session). The first time a server is seen, nothing is sent: the session
 * goes to AwaitingTrust with pendingFingerprint set, until trustCertificate() (pin it and connect) or
 * rejectCertificate() (Failed, CertificateRejected). A certificate that differs from the pinned or expected one is a
 * hard stop: Failed with ServerIdentityChanged, both fingerprints in reason, never retried by itself.
 *
 * Every change the user makes (board verbs, sendChat) is applied to the view at once, queued in the outbox,
 * written to the journal (when stateDirectory is set), sent while connected and kept until acknowledged; after a
 * reconnect the unacknowledged ones are sent again in order. Cursor, typing and live stroke points are volatile:
 * sent when connected, otherwise dropped.
 *
 * QML sees properties, verbs and models only; wire messages never leave this class (C++ users get the decoded
 * values through the opApplied(), presenceEvent() ... signals, which is what inkroom-cli prints).
 */
class Session : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    //! Why the session failed (state Failed); NoFailure otherwise.
    Q_PROPERTY(Failure failure READ failure NOTIFY failureChanged)
    //! In plain words: why the last connection ended (Reconnecting) or why retrying can't help (Failed).
    Q_PROPERTY(QString reason READ reason NOTIFY reasonChanged)
    //! One line for a connection banner: "Reconnecting in 4 s (attempt 3) — 12 changes waiting".
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)
    //! The reconnect attempt under way or waited for; 0 on the first connection and once stable.
    Q_PROPERTY(int attempt READ attempt NOTIFY attemptChanged)
    //! Reconnecting: whole seconds until the next try (counts down).
    Q_PROPERTY(int retryIn READ retryIn NOTIFY retryInChanged)
    //! WebSocket ping round trip in ms; -1 when unknown.
    Q_PROPERTY(int roundTripMs READ roundTripMs NOTIFY roundTripMsChanged)
    //! Changes made here that the server has not acknowledged yet.
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    //! Members connected to the room (you included), as last known.
    Q_PROPERTY(int memberCount READ memberCount NOTIFY memberCountChanged)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY serverUrlChanged)
    //! "host:port" of the server, as known servers and messages name it.
    Q_PROPERTY(QString serverKey READ serverKey NOTIFY serverUrlChanged)
    Q_PROPERTY(QString room READ room NOTIFY roomChanged)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(QColor colour READ colour WRITE setColour NOTIFY colourChanged)
    //! The server's join token, when it needs one. Set before join().
    Q_PROPERTY(QString token READ token WRITE setToken NOTIFY tokenChanged)
    //! The JSON file of trusted servers' fingerprints (KnownServers). Empty: this session remembers them in memory.
    Q_PROPERTY(QString knownServersFile READ knownServersFile WRITE setKnownServersFile NOTIFY knownServersFileChanged)
    /** The fingerprint the server's certificate must have ("AB:CD:..."; other spellings are normalised): it is then
     *  trusted without asking and without looking at knownServersFile, and any other certificate is refused as
     *  ServerIdentityChanged. For a server this app hosts itself, and inkroom-cli --fingerprint. Set before join(). */
    Q_PROPERTY(QString expectedFingerprint READ expectedFingerprint WRITE setExpectedFingerprint NOTIFY
                   expectedFingerprintChanged)
    //! AwaitingTrust: the fingerprint of the certificate the user is asked to trust; empty otherwise.
    Q_PROPERTY(QString pendingFingerprint READ pendingFingerprint NOTIFY pendingFingerprintChanged)
    //! The SHA-256 fingerprint of the certificate of the server this session is connected to (wss:// only).
    Q_PROPERTY(QString serverFingerprint READ serverFingerprint NOTIFY securityChanged)
    //! The connection is TLS (wss://); false for ws:// and while not connected.
    Q_PROPERTY(bool encrypted READ encrypted NOTIFY securityChanged)
    //! This identity's client id in the room (from the journal); empty before join().
    Q_PROPERTY(QString clientId READ clientId NOTIFY clientIdChanged)
    //! Does the room have a password (from the welcome)?
    Q_PROPERTY(bool hasPassword READ hasPassword NOTIFY hasPasswordChanged)
    //! Where journals live. Empty: no journal (changes live in memory only). Set before join().
    Q_PROPERTY(QString stateDirectory READ stateDirectory WRITE setStateDirectory NOTIFY stateDirectoryChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY undoChanged)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY undoChanged)
    Q_PROPERTY(inkroom::client::BoardDocument *board READ board CONSTANT)
    Q_PROPERTY(inkroom::client::BoardItemsModel *boardItems READ boardItems CONSTANT)
    Q_PROPERTY(inkroom::client::ChatModel *chat READ chat CONSTANT)
    Q_PROPERTY(inkroom::client::PeopleModel *people READ people CONSTANT)
    Q_PROPERTY(inkroom::client::LiveStrokesModel *liveStrokes READ liveStrokes CONSTANT)

public:
    enum State {
        Disconnected,
        Connecting,
        Joining,
        Online,
        Reconnecting,
        AwaitingTrust, //!< first connection to a server: trust its certificate (pendingFingerprint) or not
        Failed
    };
    Q_ENUM(State)

    //! Reasons retrying cannot fix; each needs the user to do something.
    enum Failure {
        NoFailure,
        InvalidSettings, //!< the address, room or name is not valid
        WrongPassword, //!< ask for the password and join() again
        UnsupportedVersion, //!< update Inkroom
        RoomFull,
        Replaced, //!< this identity connected from elsewhere
        BadToken, //!< the server needs a (different) join token
        TooManyAttempts, //!< wrong passwords: wait a few minutes
        HelloRejected, //!< the server did not accept the hello
        ServerIdentityChanged, //!< the server's certificate is not the one trusted before (or expected)
        CertificateRejected, //!< the user did not trust the server's certificate
    };
    Q_ENUM(Failure)

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    //! Timings (tests shrink them). Applies from the next timer started.
    void setTimings(const Timings &timings);
    [[nodiscard]] const Timings &timings() const { return m_timings; }
    //! Makes the reconnect jitter reproducible (tests).
    void setBackoffSeed(quint32 seed);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] Failure failure() const { return m_failure; }
    [[nodiscard]] QString reason() const { return m_reason; }
    [[nodiscard]] QString statusText() const { return m_statusText; }
    [[nodiscard]] int attempt() const { return m_attempt; }
    [[nodiscard]] int retryIn() const { return m_retryIn; }
    [[nodiscard]] int roundTripMs() const { return m_roundTripMs; }
    [[nodiscard]] int pendingCount() const { return int(m_outbox.size() + m_unnumbered.size()); }
    [[nodiscard]] int memberCount() const { return m_people->onlineCount(); }
    [[nodiscard]] QUrl serverUrl() const { return m_url; }
    [[nodiscard]] QString room() const { return m_room; }
    [[nodiscard]] QString name() const { return m_name; }
    void setName(const QString &name);
    [[nodiscard]] QColor colour() const { return QColor::fromRgba(m_colour); }
    void setColour(const QColor &colour);
    [[nodiscard]] QString token() const { return m_token; }
    void setToken(const QString &token);
    [[nodiscard]] QString knownServersFile() const { return m_knownServers.path(); }
    void setKnownServersFile(const QString &path);
    [[nodiscard]] QString expectedFingerprint() const { return m_expectedFingerprint; }
    void setExpectedFingerprint(const QString &fingerprint);
    [[nodiscard]] QString pendingFingerprint() const { return m_pendingFingerprint; }
    [[nodiscard]] QString serverFingerprint() const { return m_serverFingerprint; }
    [[nodiscard]] bool encrypted() const { return m_encrypted; }
    [[nodiscard]] QString serverKey() const { return KnownServers::keyFor(m_url); }
    [[nodiscard]] QString clientId() const { return m_clientId; }
    [[nodiscard]] bool hasPassword() const { return m_hasPassword; }
    [[nodiscard]] QString stateDirectory() const { return m_stateDirectory; }
    void setStateDirectory(const QString &directory);
    [[nodiscard]] bool canUndo() const { return !m_undo.isEmpty(); }
    [[nodiscard]] bool canRedo() const { return !m_redo.isEmpty(); }

    [[nodiscard]] BoardDocument *board() const { return m_board; }
    [[nodiscard]] BoardItemsModel *boardItems() const { return m_boardItems; }
    [[nodiscard]] ChatModel *chat() const { return m_chat; }
    [[nodiscard]] PeopleModel *people() const { return m_people; }
    [[nodiscard]] LiveStrokesModel *liveStrokes() const { return m_live; }

    //! The room epoch known to this session (empty before the first welcome, unless the journal knew it).
    [[nodiscard]] QString epoch() const { return m_epoch; }
    //! What the last catch-up carried (tests and diagnostics).
    struct CatchUp
    {
        bool resumed = false; //!< hello carried a resume point
        quint64 resumeSeq = 0;
        bool snapshot = false;
        int snapshotItems = 0;
        int ops = 0; //!< op messages in the catch-up
        quint64 head = 0;
    };
    [[nodiscard]] const CatchUp &lastCatchUp() const { return m_catchUp; }

    // ---- connection verbs ----

    /** Join room on server (ws://host:port) as name in colour. Connects, and keeps reconnecting until leave().
     *  Joining the room this session is already in only updates the password (and profile) and retries now. */
    Q_INVOKABLE void join(const QUrl &server, const QString &room, const QString &name, const QColor &colour,
                          const QString &password = QString());
    //! Reconnecting or Failed: try again now.
    Q_INVOKABLE void retryNow();
    //! Leave the room: close the connection and forget the room's state here. Unsent changes stay in the
    //! journal and go out the next time this room is joined.
    Q_INVOKABLE void leave();
    //! Fail for a reason found outside the session.
    void failWith(Failure failure, const QString &reason);
    //! AwaitingTrust: pin pendingFingerprint for this server (in knownServersFile) and connect. False otherwise.
    Q_INVOKABLE bool trustCertificate();
    //! AwaitingTrust: do not connect (Failed, CertificateRejected; retryNow() asks again).
    Q_INVOKABLE void rejectCertificate();
    /** Forget the certificate pinned for this server, after its owner confirmed that it changed: the next attempt
     *  (started now when the session failed with ServerIdentityChanged) asks to trust the new one. */
    Q_INVOKABLE void forgetServerCertificate();

    // ---- chat and presence ----

    //! Queue a chat message; false if the text is empty or too long (nothing is queued).
    Q_INVOKABLE bool sendChat(const QString &text);
    //! Call on every keystroke in the chat box (true) and when it is emptied or sent (false).
    Q_INVOKABLE void setTyping(bool active);
    //! Where the pointer is on the board (throttled to liveIntervalMs).
    Q_INVOKABLE void moveCursor(double x, double y);
    Q_INVOKABLE void hideCursor();

    // ---- the board ----

    /** Start drawing: a freehand stroke (points follow with extendStroke), or a line, arrow, rectangle or ellipse
     *  (extendStroke moves the second corner). Returns the new item's id. Others see it as it is drawn. */
    Q_INVOKABLE QString beginStroke(inkroom::client::BoardDocument::ItemKind kind, const QColor &colour, double width,
                                    const QPointF &start);
    Q_INVOKABLE void extendStroke(const QPointF &point);
    //! Finish the stroke: commit adds it to the board (returns its id); otherwise it is abandoned.
    Q_INVOKABLE QString endStroke(bool commit = true);
    Q_INVOKABLE void cancelStroke() { endStroke(false); }
    [[nodiscard]] Q_INVOKABLE bool isDrawing() const { return !m_liveId.isEmpty(); }

    //! Add a shape in one go; fill (rectangles and ellipses) may be invalid for none. Returns the id or "".
    Q_INVOKABLE QString addShape(inkroom::client::BoardDocument::ItemKind kind, const QColor &colour, double width,
                                 const QPointF &from, const QPointF &to, const QColor &fill = QColor());
    Q_INVOKABLE QString addText(const QPointF &at, const QString &text, const QColor &colour, double size);
    Q_INVOKABLE bool setItemText(const QString &id, const QString &text);
    //! Restyle items (invalid colour / width <= 0: keep; fill applies to rectangles and ellipses).
    Q_INVOKABLE bool restyleItems(const QStringList &ids, const QColor &colour, double width = 0,
                                  const QColor &fill = QColor());
    Q_INVOKABLE bool moveItems(const QStringList &ids, double dx, double dy);
    Q_INVOKABLE bool removeItems(const QStringList &ids);
    Q_INVOKABLE bool clearBoard();
    //! Undo / redo this user's own board changes (never anybody else's).
    Q_INVOKABLE bool undo();
    Q_INVOKABLE bool redo();

    //! C++: add any item (an empty id gets a fresh one). Returns the id or "".
    QString addItem(proto::Item item);
    //! C++: replace an item (same id, same kind).
    bool updateItem(const proto::Item &item);
    //! A fresh item id ("<client id>:<n>").
    [[nodiscard]] QString newItemId();

Q_SIGNALS:
    void stateChanged();
    void failureChanged();
    void reasonChanged();
    void statusTextChanged();
    void attemptChanged();
    void retryInChanged();
    void roundTripMsChanged();
    void pendingCountChanged();
    void memberCountChanged();
    void serverUrlChanged();
    void roomChanged();
    void nameChanged();
    void colourChanged();
    void tokenChanged();
    void knownServersFileChanged();
    void expectedFingerprintChanged();
    void pendingFingerprintChanged();
    void securityChanged();
    void clientIdChanged();
    void hasPasswordChanged();
    void stateDirectoryChanged();
    void undoChanged();

    //! The server welcomed us (catch-up follows).
    void welcomed(const inkroom::proto::Welcome &welcome);
    //! The catch-up is complete (state is Online).
    void synced(quint64 head);
    //! The room's log was replaced on the server (its data was wiped): the board was reloaded, unsent changes
    //! are being sent again.
    void roomReset(const QString &epoch);
    //! A snapshot replaced the confirmed board.
    void snapshotApplied(quint64 seq, int items);
    //! An op joined the confirmed board or chat, in the room's order: others', catch-up and history included,
    //! and ours when acknowledged (own = true). Each op once.
    void opApplied(const inkroom::proto::Op &op, bool own);
    void acknowledged(quint64 cseq, quint64 seq);
    //! One of our changes will never be applied; it was taken off the board or chat.
    void changeRejected(quint64 cseq, const QString &kind, const QString &code, const QString &message);
    //! The server reported an error (fatal: the connection closes next).
    void serverError(const QString &code, const QString &message, bool fatal);
    void presenceEvent(const inkroom::proto::Presence &presence);
    void typingReceived(const QString &client, bool active);
    void cursorReceived(const inkroom::proto::Cursor &cursor);
    void liveReceived(const inkroom::proto::Live &live);
    //! Every queued change up to cseq is on disk.
    void outboxSaved(quint64 cseq);
    //! Something went wrong locally that the user may want to know (journal unavailable, bad server message).
    void problem(const QString &message);
    //! The server (host:port) presented a certificate nobody trusted yet: trustCertificate() or rejectCertificate().
    void trustRequested(const QString &server, const QString &fingerprint);

private:
    struct Outgoing
    {
        quint64 cseq = 0;
        quint64 key = 0;
        proto::Op op;
        bool sent = false;
    };
    struct UndoStep
    {
        QList<proto::Op> undo;
        QList<proto::Op> redo;
        //! The items as the last redo (or the original change) left them; undo touches only items still so.
        QHash<QString, proto::Item> afterRedo;
        //! The items as the last undo left them; redo touches only items still so.
        QHash<QString, proto::Item> afterUndo;
    };
    //! The items these ops touch, as the board shows them now.
    [[nodiscard]] QHash<QString, proto::Item> snapshotOf(const UndoStep &step) const;
    //! ops without the parts that would overwrite or remove what somebody else changed since expected.
    [[nodiscard]] QList<proto::Op> withoutOthersWork(const QList<proto::Op> &ops,
                                                     const QHash<QString, proto::Item> &expected) const;

    void setState(State state);
    void setFailure(Failure failure);
    void setReason(const QString &reason);
    void setAttempt(int attempt);
    void setRetryIn(int seconds);
    void setRoundTrip(int ms);
    void updateStatusText();
    void notifyPendingCount();
    void announceProfile();

    void resetRoom();
    void openJournal();
    void onJournalOpened(const JournalState &state);
    void startAttempt();
    void dropSocket(bool graceful = false);
    void onSocketConnected();
    //! During the TLS handshake, on certificate errors: go on only with the pinned or expected certificate.
    void onSslErrors(const QList<QSslError> &errors);
    //! The certificate the server presented (its fingerprint), as far as the TLS socket knows it.
    [[nodiscard]] QString peerFingerprint(const QList<QSslError> &errors = {}) const;
    //! The fingerprint this server must have: expectedFingerprint, or the pinned one; empty when it is new to us.
    [[nodiscard]] QString trustedFingerprint() const;
    void identityChanged(const QString &trusted, const QString &presented);
    void awaitTrust(const QString &fingerprint);
    void setPendingFingerprint(const QString &fingerprint);
    void setSecurity(bool encrypted, const QString &fingerprint);
    void onSocketGone();
    void onBytes(const QByteArray &bytes);
    void checkDeadline();
    void armDeadline();
    void connectionLost(const QString &reason);
    void fail(Failure failure, const QString &reason);
    void scheduleReconnect(const QString &reason);
    void resync(const QString &reason);
    void send(const proto::Message &message);
    [[nodiscard]] bool welcomedAndConnected() const;

    void handle(const proto::Welcome &welcome);
    void handle(const proto::Snapshot &snapshot);
    void handle(const proto::Synced &synced);
    void handle(const proto::Op &op);
    void handle(const proto::Ack &ack);
    void handle(const proto::Reject &reject);
    void handle(const proto::Presence &presence);
    void handle(const proto::Cursor &cursor);
    void handle(const proto::Typing &typing);
    void handle(const proto::Live &live);
    void handle(const proto::Error &error);
    template<class T> void handle(const T &) { }
    void applySnapshotIfPending();
    void settleCommittedUnseen();
    void scheduleResumeSave();
    void saveResumePoint();

    bool submit(proto::Op op, bool recordUndo = true, QList<proto::Op> inverse = {});
    bool submitStep(const QList<proto::Op> &ops, const QList<proto::Op> &inverse);
    void numberAndJournal(Outgoing &entry);
    void pumpOutbox();
    [[nodiscard]] QString validate(const proto::Op &op) const;
    void pushUndo(UndoStep step);
    void clearUndo();

    void flushVolatile();
    void scheduleVolatileFlush();
    void sendTyping(bool active);
    [[nodiscard]] bool congested() const;

    Timings m_timings;
    Backoff m_backoff;

    State m_state = Disconnected;
    Failure m_failure = NoFailure;
    QString m_reason;
    QString m_statusText;
    int m_attempt = 0;
    int m_retryIn = 0;
    int m_roundTripMs = -1;
    int m_lastPendingCount = 0;
    int m_lastMemberCount = 0;

    QUrl m_url;
    QString m_room;
    QString m_name;
    quint32 m_colour = 0xff1e88e5;
    QString m_password;
    QString m_token;
    QString m_stateDirectory;
    KnownServers m_knownServers;
    QString m_expectedFingerprint;
    QString m_pendingFingerprint;
    QString m_serverFingerprint;
    bool m_encrypted = false;
    bool m_wantConnected = false;
    bool m_hasPassword = false;

    // identity and outbox
    Journal *m_journal = nullptr;
    bool m_ready = false; //!< identity known (journal opened, or none needed)
    QString m_clientId;
    QString m_secret;
    QString m_you;
    quint64 m_nextCseq = 1;
    quint64 m_nextItem = 1;
    quint64 m_nextKey = 1;
    QList<Outgoing> m_outbox; //!< numbered, ascending cseq; the sent ones are a prefix
    QList<Outgoing> m_unnumbered; //!< made before the journal was open
    QList<Outgoing> m_committedUnseen; //!< committed (welcome.acked) but not yet seen in the catch-up
    int m_inFlight = 0;
    QList<UndoStep> m_undo;
    QList<UndoStep> m_redo;

    // resume
    QString m_epoch;
    bool m_haveBoard = false; //!< the confirmed board is the log of m_epoch up to its seq
    CatchUp m_catchUp;

    // the connection
    QWebSocket *m_socket = nullptr;
    quint64 m_generation = 0;
    bool m_socketEnding = false;
    bool m_welcomed = false;
    bool m_catchingUp = false;
    bool m_snapshotMode = false;
    bool m_snapshotPending = false;
    quint64 m_snapshotSeq = 0;
    int m_snapshotChunks = 0;
    QList<proto::Item> m_snapshotItems;
    QString m_dropReason; //!< why we dropped the link ourselves
    proto::Error m_lastFatalError;
    bool m_haveFatalError = false;
    QElapsedTimer m_attemptClock;
    QElapsedTimer m_activity;
    QTimer m_deadline;
    QTimer m_pingTimer;
    QTimer m_retryTimer;
    QTimer m_countdown;
    QElapsedTimer m_retryClock;
    int m_retryDelayMs = 0;
    QTimer m_stableTimer;
    QTimer m_resumeSaveTimer;

    // volatile
    QString m_liveId;
    proto::ItemKind m_liveKind = proto::ItemKind::Stroke;
    quint32 m_liveColour = 0;
    double m_liveWidth = 2;
    QList<QPointF> m_livePoints;
    qsizetype m_liveSentFrom = 0; //!< points before this index are sent and unchanged
    bool m_liveDirty = false;
    QPointF m_cursor;
    bool m_cursorVisible = false;
    bool m_cursorDirty = false;
    QTimer m_volatileTimer;
    bool m_typing = false;
    QElapsedTimer m_typingSent;
    QTimer m_typingOff;

    BoardDocument *m_board;
    BoardItemsModel *m_boardItems;
    ChatModel *m_chat;
    PeopleModel *m_people;
    LiveStrokesModel *m_live;
};

//! Plain words for why a connection closed with this code (and the server's reason, when it gave one).
[[nodiscard]] QString closeReasonText(int closeCode, const QString &serverReason);
//! The failure a non-retryable close code means.
[[nodiscard]] Session::Failure failureForCloseCode(int closeCode);
//! The failure a fatal error code means (when the close code did not say), or NoFailure.
[[nodiscard]] Session::Failure failureForErrorCode(proto::ErrorCode code);
//! Plain words for a failure, with what to do about it.
[[nodiscard]] QString failureText(Session::Failure failure);
//! Machine name of a state or failure ("online", "wrong_password"), for inkroom-cli and logs.
[[nodiscard]] QString stateName(Session::State state);
[[nodiscard]] QString failureName(Session::Failure failure);

} // namespace inkroom::client
