#pragma once

#include "boarddocument.h"
#include "boarditemsmodel.h"
#include "catchup.h"
#include "chatmodel.h"
#include "clientconnection.h"
#include "following.h"
#include "imagedecode.h"
#include "imagetransfer.h"
#include "lasertrails.h"
#include "livestrokesmodel.h"
#include "outbox.h"
#include "pacer.h"
#include "peoplemodel.h"
#include "protocol.h"
#include "refusalsmodel.h"
#include "roomfeed.h"
#include "roommoves.h"
#include "roomstate.h"
#include "timings.h"
#include "undostack.h"
#include "volatilesender.h"

#include <QColor>
#include <QObject>
#include <QPointF>
#include <QTimer>
#include <QUrl>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class Connection;
class Outbox;
class RoomFeed;
class RoomState;
class UndoStack;
class VolatileSender;
struct JournalFaults;
struct OutboxEntry;

/** @brief One client's membership of one room: what QML and inkroom-cli see. A facade over the parts that do the
 * work: the Connection (socket, trust, heartbeat, reconnects), the Outbox (numbering, journal, pacing, settling),
 * the CatchUp after each welcome, the RoomState, the UndoStack and the VolatileSender, and the models the UI binds
 * to.
 *
 * States: Disconnected -> Connecting -> Joining (hello sent; welcome and catch-up arriving) -> Online. A connection
 * that ends for a reason retrying can fix goes to Reconnecting (attempt n, next try in retryIn s), then Connecting
 * again; a reason retrying cannot fix goes to Failed with failure and reason set; a server seen for the first time
 * waits in AwaitingTrust (see Connection).
 *
 * Every change the user makes (board verbs, sendChat) is shown at once, queued in the outbox, kept in the journal
 * (when stateDirectory is set) and sent once the journal has it on disk, at the pace the server allows; it stays
 * until the room acknowledges it. A change the room refuses for good leaves the board or chat and is listed in
 * refusals, never dropped silently; a transient refusal only delays it. Cursor, typing and live stroke points are
 * volatile: sent when connected, otherwise dropped.
 *
 * QML sees properties, verbs and models only; wire messages never leave the core (C++ users get the decoded values
 * through opApplied(), presenceEvent() ..., which is what inkroom-cli prints).
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
    //! The address in use (or tried next): one of serverUrls.
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY serverUrlChanged)
    //! "host:port" of the address in use, as known servers and messages name it.
    Q_PROPERTY(QString serverKey READ serverKey NOTIFY serverUrlChanged)
    //! Every address the room is served at, as join() was given them (several nodes of one room; usually one).
    Q_PROPERTY(QList<QUrl> serverUrls READ serverUrls NOTIFY serverUrlChanged)
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
    //! Empty while changes reach the disk; otherwise, in plain words, why they do not (disk full, ...).
    Q_PROPERTY(QString journalProblem READ journalProblem NOTIFY journalProblemChanged)
    Q_PROPERTY(bool canUndo READ canUndo NOTIFY undoChanged)
    Q_PROPERTY(bool canRedo READ canRedo NOTIFY undoChanged)
    Q_PROPERTY(inkroom::client::BoardDocument *board READ board CONSTANT)
    Q_PROPERTY(inkroom::client::BoardItemsModel *boardItems READ boardItems CONSTANT)
    Q_PROPERTY(inkroom::client::ChatModel *chat READ chat CONSTANT)
    Q_PROPERTY(inkroom::client::PeopleModel *people READ people CONSTANT)
    Q_PROPERTY(inkroom::client::LiveStrokesModel *liveStrokes READ liveStrokes CONSTANT)
    //! Changes the room refused for good, until the user dismisses them.
    Q_PROPERTY(inkroom::client::RefusalsModel *refusals READ refusals CONSTANT)
    // ---- roles and host controls (docs/PROTOCOL.md, "Roles and host controls") ----
    //! What we may do here now: "owner", "editor" or "viewer" (a locked board makes everybody but owners viewers).
    Q_PROPERTY(QString role READ role NOTIFY rolesChanged)
    Q_PROPERTY(bool isOwner READ isOwner NOTIFY rolesChanged)
    //! We may not change the board: the drawing tools are off (viewOnlyReason says why, in plain words).
    Q_PROPERTY(bool viewOnly READ viewOnly NOTIFY rolesChanged)
    Q_PROPERTY(QString viewOnlyReason READ viewOnlyReason NOTIFY rolesChanged)
    //! An owner locked the board.
    Q_PROPERTY(bool locked READ locked NOTIFY rolesChanged)
    //! Newcomers and everybody without a role of their own are viewers ("read-only for guests").
    Q_PROPERTY(bool guestsReadOnly READ guestsReadOnly NOTIFY rolesChanged)
    // ---- following and the laser pointer (docs/PROTOCOL.md, "Following and the laser pointer") ----
    //! Whom we follow, and why following ended.
    Q_PROPERTY(inkroom::client::Following *following READ following CONSTANT)
    //! Where the room is served when it moves: its standby, the notice that it moved (RoomMoves).
    Q_PROPERTY(inkroom::client::RoomMoves *moves READ moves CONSTANT)
    //! Everybody's laser pointer trails, ours included.
    Q_PROPERTY(inkroom::client::LaserTrails *laser READ laser CONSTANT)
    //! We (an owner) asked everybody to follow us, and have not let them go.
    Q_PROPERTY(bool summoning READ summoning NOTIFY summoningChanged)

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
        IdentityTaken, //!< the room knows this client id under another secret
        Removed, //!< an owner removed us from the room (joining again is up to the user)
        Banned, //!< an owner banned this identity from the room
        RoomClosed, //!< the host closed the room for everyone (reason says who); it is not tried again
        Unreachable, //!< the server could not be reached, attempt after attempt (reason says why): retryNow()
    };
    Q_ENUM(Failure)

    using CatchUpStats = CatchUp::Stats;

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    //! Timings (tests shrink them). Applies from the next timer started.
    void setTimings(const Timings &timings);
    [[nodiscard]] const Timings &timings() const { return m_timings; }
    //! Makes the reconnect jitter reproducible (tests).
    void setBackoffSeed(quint32 seed);
    //! Journal faults (tests). Set before join().
    void setJournalFaults(std::shared_ptr<JournalFaults> faults);

    [[nodiscard]] State state() const;
    [[nodiscard]] Failure failure() const { return Failure(m_connection->failure()); }
    //! Why the session failed or stopped, in plain words ("This room needs a password." when none was given).
    [[nodiscard]] QString reason() const;
    [[nodiscard]] QString statusText() const { return m_statusText; }
    [[nodiscard]] int attempt() const { return m_connection->attempt(); }
    [[nodiscard]] int retryIn() const { return m_connection->retryIn(); }
    [[nodiscard]] int roundTripMs() const { return m_connection->roundTripMs(); }
    [[nodiscard]] int pendingCount() const { return m_outbox->pendingCount(); }
    [[nodiscard]] int memberCount() const { return m_people->onlineCount(); }
    [[nodiscard]] QUrl serverUrl() const;
    [[nodiscard]] const QList<QUrl> &serverUrls() const { return m_urls; }
    [[nodiscard]] QString room() const { return m_roomName; }
    [[nodiscard]] QString name() const { return m_name; }
    void setName(const QString &name);
    [[nodiscard]] QColor colour() const { return QColor::fromRgba(m_colour); }
    void setColour(const QColor &colour);
    [[nodiscard]] QString token() const { return m_token; }
    void setToken(const QString &token);
    [[nodiscard]] QString knownServersFile() const { return m_connection->knownServersFile(); }
    void setKnownServersFile(const QString &path) { m_connection->setKnownServersFile(path); }
    [[nodiscard]] QString expectedFingerprint() const { return m_connection->expectedFingerprint(); }
    void setExpectedFingerprint(const QString &fingerprint) { m_connection->setExpectedFingerprint(fingerprint); }
    [[nodiscard]] QString pendingFingerprint() const { return m_connection->pendingFingerprint(); }
    [[nodiscard]] QString serverFingerprint() const { return m_connection->serverFingerprint(); }
    [[nodiscard]] bool encrypted() const { return m_connection->encrypted(); }
    //! The TLS version of the connection ("TLS 1.3"); empty unless encrypted (securityChanged()).
    [[nodiscard]] QString tlsVersion() const { return m_connection->tlsVersion(); }
    [[nodiscard]] QString serverKey() const { return KnownServers::keyFor(serverUrl()); }
    [[nodiscard]] QString clientId() const { return m_outbox->clientId(); }
    [[nodiscard]] bool hasPassword() const { return m_roomState->hasPassword(); }
    [[nodiscard]] QString stateDirectory() const { return m_stateDirectory; }
    void setStateDirectory(const QString &directory);
    [[nodiscard]] QString journalProblem() const { return m_outbox->journalProblem(); }
    [[nodiscard]] bool canUndo() const { return m_undo->canUndo(); }
    [[nodiscard]] bool canRedo() const { return m_undo->canRedo(); }

    [[nodiscard]] BoardDocument *board() const { return m_board; }
    [[nodiscard]] BoardItemsModel *boardItems() const { return m_boardItems; }
    [[nodiscard]] ChatModel *chat() const { return m_chat; }
    [[nodiscard]] PeopleModel *people() const { return m_people; }
    [[nodiscard]] LiveStrokesModel *liveStrokes() const { return m_live; }
    [[nodiscard]] RefusalsModel *refusals() const { return m_refusals; }
    [[nodiscard]] Following *following() const { return m_following; }
    [[nodiscard]] RoomMoves *moves() const { return m_moves; }
    /** This app bundles the server, so it can stand by for a room and take it over (hello.serve). Off by default
     *  (inkroom-cli); the app turns it on for rooms it does not host itself. */
    void setCanServe(bool canServe);
    /** The room is served at url now (certificate fingerprint; empty: plain ws://): connect there and resume, keeping
     *  the outbox, the board and the identity (RoomMoves says when). The move is recorded in the state directory
     *  (MovedRooms) and the certificate pinned first, so a later run joined by either address finds the room and
     *  its journal. */
    void followRoom(const QUrl &url, const QString &fingerprint);
    /** Ask the server to hand the room to clientId's app (an owner only; the server decides and says why not). */
    Q_INVOKABLE bool handOver(const QString &clientId);
    [[nodiscard]] LaserTrails *laser() const { return m_laserTrails; }
    [[nodiscard]] bool summoning() const { return m_summoning; }

    //! The room epoch known to this session (empty before the first welcome, unless the journal knew it).
    [[nodiscard]] QString epoch() const { return m_feed->epoch(); }
    //! What the last catch-up carried (tests and diagnostics).
    [[nodiscard]] const CatchUpStats &lastCatchUp() const { return m_feed->stats(); }
    //! The outbox (tests and diagnostics: what waits, what is in flight).
    [[nodiscard]] const Outbox &outbox() const { return *m_outbox; }

    // ---- connection verbs ----

    /** Join room on server (ws://host:port) as name in colour. Connects, and keeps reconnecting until leave().
     *  Joining the room this session is already in only updates the password (and profile) and retries now. */
    Q_INVOKABLE void join(const QUrl &server, const QString &room, const QString &name, const QColor &colour,
                          const QString &password = QString());
    /** C++: join room served at any of servers (nodes of one room on one database, all ws:// or all wss://, at most
     *  MaxRoomAddresses): a link that ends moves on to the next address (Connection). The journal is filed
     *  under the first address, unless one of the others already has this room's journal (joined there before). */
    void join(const QList<QUrl> &servers, const QString &room, const QString &name, const QColor &colour,
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
    /** C++ (the canvas): begin a stroke or shape in a style; startWidth: a pen's pressure gives this stroke a width
     *  at each point (extendStroke(point, width) gives the next ones). */
    QString beginStyledStroke(proto::ItemKind kind, const StrokeStyle &style, const QPointF &start,
                              std::optional<double> startWidth = std::nullopt);
    void extendStroke(const QPointF &point, std::optional<double> width);
    //! Finish the stroke: commit adds it to the board (returns its id); otherwise it is abandoned.
    Q_INVOKABLE QString endStroke(bool commit = true);
    Q_INVOKABLE void cancelStroke() { endStroke(false); }
    [[nodiscard]] Q_INVOKABLE bool isDrawing() const { return m_volatile->isDrawing(); }

    //! Add a shape in one go; fill (rectangles and ellipses) may be invalid for none. Returns the id or "".
    Q_INVOKABLE QString addShape(inkroom::client::BoardDocument::ItemKind kind, const QColor &colour, double width,
                                 const QPointF &from, const QPointF &to, const QColor &fill = QColor());
    Q_INVOKABLE QString addText(const QPointF &at, const QString &text, const QColor &colour, double size);
    Q_INVOKABLE bool setItemText(const QString &id, const QString &text);
    Q_INVOKABLE bool moveItems(const QStringList &ids, double dx, double dy);
    Q_INVOKABLE bool removeItems(const QStringList &ids);
    //! Bring the items above (toFront) or below every other item, keeping their own order; one undoable step.
    Q_INVOKABLE bool restackItems(const QStringList &ids, bool toFront);
    /** C++: add items in one undoable step, each with a fresh id (ids given are replaced). Returns the new ids. A
     *  picture whose bytes neither the room nor this computer has is left out (counted in picturesLeftOut). */
    QStringList addItems(QList<proto::Item> items, int *picturesLeftOut = nullptr);
    Q_INVOKABLE bool clearBoard();
    /** Put a picture on the board, centred at at (board units): a PNG, JPEG or WebP file (file), the clipboard's
     *  picture, or a picture in memory. Larger pictures are scaled down first (off the GUI thread); the picture is
     *  uploaded before the change that shows it, and waits with it in the outbox while offline. What cannot be used is
     *  reported with problem(); false: nothing will be added. */
    Q_INVOKABLE bool addImageFile(const QUrl &file, const QPointF &at);
    Q_INVOKABLE bool pasteImage(const QPointF &at);
    [[nodiscard]] Q_INVOKABLE bool clipboardHasImage() const;
    /** Fetch (or load from disk) the pictures of these items although the board may no longer show them: the ones a
     *  replay of the room's history draws. */
    void showPicturesOf(const QList<proto::Item> &items) { noteImages(items, false); }
    bool addPicture(const QImage &picture, const QPointF &at);
    /** C++ (inkroom-cli, tests): add an image from a file's bytes now, on this thread; its id, or "" with *error. */
    QString addImageBytes(const QByteArray &fileBytes, const QPointF &at, QString *error);
    //! Image uploads and fetches not finished.
    [[nodiscard]] int imageTransfers() const { return m_images->busyCount(); }
    [[nodiscard]] ImageTransfer *images() const { return m_images; }
    //! Undo / redo this user's own board changes (never anybody else's).
    Q_INVOKABLE bool undo();
    Q_INVOKABLE bool redo();

    // ---- roles and host controls: owners only (the server refuses them from anybody else) ----
    [[nodiscard]] QString role() const;
    [[nodiscard]] bool isOwner() const;
    [[nodiscard]] bool viewOnly() const;
    [[nodiscard]] QString viewOnlyReason() const;
    [[nodiscard]] bool locked() const;
    [[nodiscard]] bool guestsReadOnly() const;
    //! Give a member a role: "owner", "editor" or "viewer".
    Q_INVOKABLE bool setMemberRole(const QString &clientId, const QString &role);
    Q_INVOKABLE bool setGuestsReadOnly(bool readOnly);
    Q_INVOKABLE bool setLocked(bool locked);
    //! Remove a member from the room; ban: for good.
    Q_INVOKABLE bool removeMember(const QString &clientId, bool ban = false);
    //! Undo the last count board changes of a member (vandalism): the server works out what that restores.
    Q_INVOKABLE bool rollbackMember(const QString &clientId, int count);
    //! A chat message only clientId (and we) will ever see.
    Q_INVOKABLE bool sendDirect(const QString &clientId, const QString &text);
    //! The client id of the member called name (or whose client id it is); "" when there is none or several.
    [[nodiscard]] Q_INVOKABLE QString memberIdByName(const QString &name) const;

    // ---- following and the laser pointer: every role ----
    //! The board rectangle our window shows (followers see it); coalesced, sent while connected.
    Q_INVOKABLE void setView(double x, double y, double width, double height);
    //! Our laser pointer is at this board point (others see its trail fade); laserEnd(): put down.
    Q_INVOKABLE void laserTo(double x, double y);
    Q_INVOKABLE void laserEnd();
    //! Follow a member's view ("" or ourselves: false).
    Q_INVOKABLE bool followMember(const QString &clientId) { return m_following->follow(clientId); }
    /** Owners: ask everybody in the room to follow us ("Bring everyone to me"), or let them go. False (and a problem
     *  saying why) for anybody else; the server refuses it from them anyway. Asked again after a reconnect. */
    Q_INVOKABLE bool summonEveryone(bool active = true);
    /** C++: ask the server for a page of the room's history (docs/PROTOCOL.md, "History"); the answer arrives as
     *  historyPage(). False, and nothing sent, unless the session is online. */
    bool requestHistory(const proto::History &request);

    //! C++: add any item (an empty id gets a fresh one). Returns the id or "".
    QString addItem(proto::Item item);
    //! C++: replace an item (same id, same kind).
    bool updateItem(const proto::Item &item);
    //! C++: replace several items in one change, one step of undo (a style set on a selection).
    bool updateItems(const QList<proto::Item> &items);
    //! A fresh item id ("<client id>:<n>").
    [[nodiscard]] QString newItemId();
    //! The id an item made here has now (one made before the journal opened gets its real id then).
    [[nodiscard]] QString currentItemId(const QString &id) const { return m_outbox->currentItemId(id); }

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
    //! The room moved to url, and this session follows it there (the move is recorded for later runs).
    void roomMoved(const QUrl &url);
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
    void journalProblemChanged();
    void undoChanged();
    void rolesChanged();
    void summoningChanged();

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
    //! Items made before the journal opened got their real ids (provisional -> real).
    void itemsRenamed(const QHash<QString, QString> &ids);
    //! One of our changes got its number (cseq) in the outbox.
    void changeQueued(const inkroom::proto::Op &op);
    void acknowledged(quint64 cseq, quint64 seq);
    //! One of our changes was refused for good; it was taken off the board or chat (and is in refusals).
    void changeRejected(quint64 cseq, const QString &kind, const QString &code, const QString &message);
    //! One of our changes was refused for the moment: it stays and goes again later (transient: rate, storage).
    void changeDeferred(quint64 cseq, const QString &code);
    //! The server reported an error (fatal: the connection closes next).
    void serverError(const QString &code, const QString &message, bool fatal);
    void presenceEvent(const inkroom::proto::Presence &presence);
    void typingReceived(const QString &client, bool active);
    void cursorReceived(const inkroom::proto::Cursor &cursor);
    void liveReceived(const inkroom::proto::Live &live);
    void viewReceived(const inkroom::proto::View &view);
    void laserReceived(const inkroom::proto::Laser &laser);
    void summonReceived(const inkroom::proto::Summon &summon);
    //! The answer to a requestHistory(), in the order they were asked.
    void historyPage(const inkroom::proto::HistoryPage &page);
    //! Every queued change up to cseq is on disk.
    void outboxSaved(quint64 cseq);
    //! Something went wrong locally that the user may want to know (journal unavailable, bad server message).
    void problem(const QString &message);
    //! The server (host:port) presented a certificate nobody trusted yet: trustCertificate() or rejectCertificate().
    void trustRequested(const QString &server, const QString &fingerprint);
    //! Image uploads or fetches started or finished (imageTransfers()).
    void imageTransfersChanged();

private:
    void wireImages();
    //! A picture an item names is on its way to the room (there, or its bytes here and uploading); false: neither.
    bool carryPicture(const QString &hash, qint64 bytes);
    //! Put a prepared picture (its bytes already pending on disk) on the board as a change.
    QString submitImage(const QString &hash, qint64 bytes, QSize pixels, const QPointF &at);
    //! Start what prepared pictures need: in the background, then submitImage() on this thread.
    bool prepareInBackground(std::function<render::PreparedImage()> prepare, const QPointF &at);
    //! Fetch (or load) the pictures of image items, and note that the room has their blobs.
    void noteImages(const QList<proto::Item> &items, bool confirmed);
    //! Pending image bytes no waiting change shows any more go to the cache.
    void settleImages();
    void wireConnection();
    void wireFeed();
    void wireOutbox();
    //! Views, laser trails and summons reach Following and LaserTrails (sessionpresenting.cpp).
    void wirePresenting();
    //! Our rollback is in the room's order: say so when it undid fewer changes than asked (sessioncontrols.cpp).
    void noteRollback(const proto::Op &op);
    void updateStatusText();
    void notifyState();
    void notifyPendingCount();
    void announceProfile();
    void resetRoom();
    void onOutboxReady();
    void sendHello();
    void scheduleResumeSave();
    void saveResumePoint();

    bool submit(proto::Op op);
    //! A control op, when we are an owner (the server checks again).
    bool submitControl(proto::Op op);
    //! What the chat shows for one of our own messages still waiting.
    [[nodiscard]] ChatMessage pendingMessage(const OutboxEntry &entry) const;
    bool submitChange(const QList<proto::Op> &ops, const QList<proto::Op> &inverse);
    [[nodiscard]] QString validate(const proto::Op &op) const;

    Timings m_timings;
    Connection *m_connection;
    Pacer m_pacer;
    Outbox *m_outbox;
    RoomState *m_roomState;
    RoomFeed *m_feed;
    UndoStack *m_undo;
    VolatileSender *m_volatile;
    ImageTransfer *m_images;
    QSet<QString> m_pendingImages; //!< hashes of pictures waiting changes show

    QString m_statusText;
    State m_lastState = Disconnected;
    int m_lastPendingCount = 0;
    int m_lastMemberCount = 0;
    QList<QUrl> m_urls; //!< the room's addresses (the Connection knows which one is in use)
    QString m_journalServer; //!< the address the room's journal is filed under (MovedRooms)
    QString m_roomName;
    QString m_name;
    quint32 m_colour = 0xff1e88e5;
    QString m_password;
    QString m_token;
    QString m_stateDirectory;
    QList<quint64> m_earlyKeys; //!< board keys of changes made before the outbox was ready
    QTimer m_resumeSaveTimer;

    BoardDocument *m_board;
    BoardItemsModel *m_boardItems;
    ChatModel *m_chat;
    PeopleModel *m_people;
    LiveStrokesModel *m_live;
    RefusalsModel *m_refusals;
    Following *m_following;
    LaserTrails *m_laserTrails;
    RoomMoves *m_moves;
    bool m_summoning = false;
};

//! Machine name of a state or failure ("online", "wrong_password"), for inkroom-cli and logs.
[[nodiscard]] QString stateName(Session::State state);
[[nodiscard]] QString failureName(Session::Failure failure);
//! Plain words for a failure, with what to do about it.
[[nodiscard]] QString failureText(Session::Failure failure);

} // namespace inkroom::client
