#include "session.h"

#include "clientconnection.h"
#include "edits.h"
#include "journal.h"
#include "movedrooms.h"
#include "outbox.h"
#include "protocollimits.h"
#include "roomfeed.h"
#include "roomstate.h"
#include "undostack.h"
#include "volatilesender.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

static_assert(int(Connection::Failure::Banned) == int(Session::Banned), "Failure values must match");
static_assert(int(Connection::Failure::Unreachable) == int(Session::Unreachable), "Failure values must match");
static_assert(int(Connection::Failure::IdentityTaken) == int(Session::IdentityTaken),
              "Session::Failure mirrors Connection::Failure");

namespace {

QUrl normalisedServer(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash
                        | QUrl::NormalizePathSegments);
}

proto::Colour toColour(const QColor &colour, proto::Colour fallback = 0xff000000)
{
    return colour.isValid() ? proto::Colour(colour.rgba()) : fallback;
}

Session::State publicState(Connection::State state)
{
    switch (state) {
    case Connection::State::Disconnected:
        return Session::Disconnected;
    case Connection::State::Connecting:
        return Session::Connecting;
    case Connection::State::Joining:
    case Connection::State::CatchingUp:
        return Session::Joining;
    case Connection::State::Online:
        return Session::Online;
    case Connection::State::Reconnecting:
        return Session::Reconnecting;
    case Connection::State::AwaitingTrust:
        return Session::AwaitingTrust;
    case Connection::State::Failed:
        return Session::Failed;
    }
    return Session::Disconnected;
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
    , m_connection(new Connection(this))
    , m_outbox(new Outbox(&m_pacer, this))
    , m_roomState(new RoomState(this))
    , m_board(new BoardDocument(this))
    , m_boardItems(new BoardItemsModel(m_board, this))
    , m_chat(new ChatModel(this))
    , m_people(new PeopleModel(this))
    , m_live(new LiveStrokesModel(this))
    , m_refusals(new RefusalsModel(this))
    , m_following(new Following(m_people, this))
    , m_laserTrails(new LaserTrails(m_people, this))
    , m_moves(new RoomMoves(m_connection, this))
{
    connect(m_moves, &RoomMoves::follow, this, &Session::followRoom);
    m_undo = new UndoStack(m_board, this);
    m_undo->setSubmit([this](const Op &op) { return submit(op); });
    connect(m_undo, &UndoStack::changed, this, &Session::undoChanged);
    m_volatile = new VolatileSender(m_connection, &m_pacer, m_live, this);
    connect(m_volatile, &VolatileSender::typingChanged, this, [this] { announceProfile(); });
    m_people->follow(m_roomState);
    m_feed = new RoomFeed(
        {m_connection, m_outbox, m_roomState, m_undo, m_volatile, m_board, m_chat, m_people, m_live, m_refusals}, this);
    wireFeed();
    wirePresenting();
    connect(m_roomState, &RoomState::hasPasswordChanged, this, &Session::hasPasswordChanged);
    connect(m_roomState, &RoomState::rolesChanged, this, &Session::rolesChanged);
    connect(m_people, &PeopleModel::onlineCountChanged, this, [this] {
        if (m_lastMemberCount != memberCount()) {
            m_lastMemberCount = memberCount();
            Q_EMIT memberCountChanged();
        }
    });
    m_resumeSaveTimer.setSingleShot(true);
    connect(&m_resumeSaveTimer, &QTimer::timeout, this, &Session::saveResumePoint);
    m_images = new ImageTransfer(this);
    wireConnection();
    wireOutbox();
    wireImages();
    setTimings(Timings {});
    updateStatusText();
}

Session::~Session()
{
    saveResumePoint();
    m_connection->disconnect(this);
    m_outbox->close(); // its last word (what was made while its journal opened) still reaches listeners
    m_outbox->disconnect(this);
}

void Session::wireConnection()
{
    Connection *c = m_connection;
    connect(c, &Connection::stateChanged, this, [this] {
        if (m_connection->state() != Connection::State::Online
            && m_connection->state() != Connection::State::CatchingUp) {
            m_people->clearVolatile();
            m_live->clearOthers();
        }
        m_people->setLinked(m_connection->state() == Connection::State::Online
                            || m_connection->state() == Connection::State::CatchingUp);
        notifyState();
    });
    connect(c, &Connection::failureChanged, this, &Session::failureChanged);
    connect(c, &Connection::urlChanged, this, [this] {
        // Disconnected (left, or about to join) the Connection has no address; the room's first one stands for it.
        if (m_urls.contains(m_connection->url()))
            Q_EMIT serverUrlChanged();
    });
    connect(c, &Connection::reasonChanged, this, [this] {
        Q_EMIT reasonChanged();
        updateStatusText();
    });
    connect(c, &Connection::attemptChanged, this, [this] {
        Q_EMIT attemptChanged();
        updateStatusText();
    });
    connect(c, &Connection::retryInChanged, this, [this] {
        Q_EMIT retryInChanged();
        updateStatusText();
    });
    connect(c, &Connection::roundTripMsChanged, this, &Session::roundTripMsChanged);
    connect(c, &Connection::pendingFingerprintChanged, this, &Session::pendingFingerprintChanged);
    connect(c, &Connection::securityChanged, this, &Session::securityChanged);
    connect(c, &Connection::knownServersFileChanged, this, &Session::knownServersFileChanged);
    connect(c, &Connection::expectedFingerprintChanged, this, &Session::expectedFingerprintChanged);
    connect(c, &Connection::trustRequested, this, &Session::trustRequested);
    connect(c, &Connection::problem, this, &Session::problem);
    connect(c, &Connection::opened, this, &Session::sendHello);
    connect(c, &Connection::lost, this, [this] {
        m_outbox->linkDown();
        m_feed->linkLost();
    });
    connect(c, &Connection::received, m_feed, &RoomFeed::dispatch);
    connect(c, &Connection::undecodable, this, [this](const QString &why) {
        Q_EMIT problem(tr("The server sent a message this client does not understand: %1").arg(why));
    });
}

void Session::wireFeed()
{
    RoomFeed *f = m_feed;
    connect(f, &RoomFeed::welcomed, this, &Session::welcomed);
    connect(f, &RoomFeed::synced, this, &Session::synced);
    connect(f, &RoomFeed::roomReset, this, &Session::roomReset);
    connect(f, &RoomFeed::snapshotApplied, this, &Session::snapshotApplied);
    connect(f, &RoomFeed::opApplied, this, &Session::opApplied);
    connect(f, &RoomFeed::acknowledged, this, &Session::acknowledged);
    connect(f, &RoomFeed::changeRejected, this, &Session::changeRejected);
    connect(f, &RoomFeed::changeDeferred, this, &Session::changeDeferred);
    connect(f, &RoomFeed::serverError, this, &Session::serverError);
    connect(f, &RoomFeed::presenceEvent, this, &Session::presenceEvent);
    connect(f, &RoomFeed::typingReceived, this, &Session::typingReceived);
    connect(f, &RoomFeed::cursorReceived, this, &Session::cursorReceived);
    connect(f, &RoomFeed::liveReceived, this, &Session::liveReceived);
    connect(f, &RoomFeed::historyPage, this, &Session::historyPage);
    connect(f, &RoomFeed::problem, this, &Session::problem);
    connect(f, &RoomFeed::advanced, this, &Session::scheduleResumeSave);
}

void Session::wireOutbox()
{
    m_outbox->setSender([this](const Op &, const QByteArray &bytes) { m_connection->sendEncoded(bytes); });
    connect(m_outbox, &Outbox::identityKnown, this, &Session::clientIdChanged);
    connect(m_outbox, &Outbox::ready, this, &Session::onOutboxReady);
    connect(m_outbox, &Outbox::pendingCountChanged, this, &Session::notifyPendingCount);
    connect(m_outbox, &Outbox::saved, this, &Session::outboxSaved);
    connect(m_outbox, &Outbox::problem, this, &Session::problem);
    connect(m_outbox, &Outbox::journalProblemChanged, this, &Session::journalProblemChanged);
    connect(m_outbox, &Outbox::renumbered, m_chat, &ChatModel::renumberPending);
    m_chat->setPeople(m_people);
    connect(m_outbox, &Outbox::numbered, this, &Session::changeQueued);
    connect(m_outbox, &Outbox::itemsRenamed, m_undo, &UndoStack::renameItems);
    connect(m_outbox, &Outbox::itemsRenamed, this, &Session::itemsRenamed);
    connect(m_outbox, &Outbox::itemsRenamed, m_volatile, &VolatileSender::renameStroke);
}

void Session::setTimings(const Timings &timings)
{
    m_timings = timings;
    m_connection->setTimings(timings);
    m_volatile->setTimings(timings);
    Outbox::Timings outbox;
    outbox.maxInFlight = timings.maxInFlight;
    outbox.retryInitialMs = timings.retryInitialMs;
    outbox.retryMaxMs = timings.retryMaxMs;
    outbox.journalRetryMs = timings.journalRetryMs;
    m_outbox->setTimings(outbox);
    m_people->setTimings(timings.idleAfterMs, timings.leftGraceMs, timings.typingExpireMs);
    m_live->setTimings(timings.liveStaleMs, timings.liveEndGraceMs);
    m_moves->setTimings(timings);
}

void Session::setCanServe(bool canServe)
{
    m_moves->setCanServe(canServe);
}

void Session::followRoom(const QUrl &url, const QString &fingerprint)
{
    if (m_roomName.isEmpty() || !url.isValid())
        return;
    // The same room, the same identity and outbox: only the address changes. The resume point stays, so the new
    // server's welcome.acked settles what the old one committed and the rest is sent again.
    m_connection->close();
    // Recorded before anything reaches the new address: a run started after a kill finds the journal by either
    // address and goes where the room is now. The old host's authenticated connection vouched for the certificate.
    QString error;
    if (!MovedRooms(m_stateDirectory).record(m_journalServer, m_roomName, url, fingerprint, &error))
        Q_EMIT problem(
            tr("Where the room moved could not be saved; a restart finds it by its old address only: %1").arg(error));
    if (!fingerprint.isEmpty() && !m_connection->pin(url, fingerprint, &error))
        Q_EMIT problem(tr("The certificate of the room's new address could not be saved: %1").arg(error));
    m_urls = {url};
    m_connection->setExpectedFingerprint(fingerprint);
    Q_EMIT serverUrlChanged();
    Q_EMIT roomMoved(url);
    m_connection->open(url);
}

bool Session::handOver(const QString &clientId)
{
    if (!isOwner() || !proto::isValidClientId(clientId) || clientId == m_outbox->clientId())
        return false;
    m_connection->send(proto::Handover {clientId});
    return true;
}

void Session::setBackoffSeed(quint32 seed)
{
    m_connection->setBackoffSeed(seed);
}

void Session::setJournalFaults(std::shared_ptr<JournalFaults> faults)
{
    m_outbox->setJournalFaults(std::move(faults));
}

// ---- properties ----

Session::State Session::state() const
{
    // Joined, with the journal still opening: the connection starts once the identity is known.
    if (!m_roomName.isEmpty() && !m_outbox->isReady() && m_connection->state() == Connection::State::Disconnected)
        return Connecting;
    return publicState(m_connection->state());
}

void Session::notifyState()
{
    if (state() != m_lastState) {
        m_lastState = state();
        Q_EMIT stateChanged();
    }
    updateStatusText();
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
    // Plural forms (%n) come from the translations; English's are in inkroom_en.ts.
    const QString waiting = pending == 0 ? QString() : tr("%n change(s) waiting", nullptr, pending);
    QString text;
    switch (state()) {
    case Disconnected:
        text = tr("Not connected");
        break;
    case Connecting:
        text = attempt() > 0 ? tr("Connecting (attempt %1)…").arg(attempt()) : tr("Connecting…");
        break;
    case Joining:
        text = tr("Joining the room…");
        break;
    case Online: {
        const int seconds = m_outbox->secondsToDrain();
        if (pending == 0)
            text = tr("Online");
        else if (seconds >= 2)
            text = tr("Online — sending %n change(s), about %1 s left", nullptr, pending).arg(seconds);
        else
            text = tr("Online — sending %n change(s)", nullptr, pending);
        break;
    }
    case Reconnecting:
        text = tr("Reconnecting in %1 s (attempt %2)").arg(retryIn()).arg(attempt());
        // Why the last attempt failed (refused, no route, timed out, TLS), so a server that cannot be reached says why
        // instead of only counting.
        if (!reason().isEmpty())
            text += u" — "_s + reason();
        break;
    case AwaitingTrust:
        text = tr("Waiting for you to check the server's certificate");
        break;
    case Failed:
        text = reason();
        break;
    }
    if (state() == Failed && failure() == RoomClosed) {
        // The room is gone for good: what waits will not go anywhere now. It stays in sight (and in the journal, sent
        // should the room be served again), said plainly rather than as "waiting".
        if (pending > 0)
            text += u' ' + tr("%n change(s) of yours were not delivered; they are still shown here.", nullptr, pending);
    } else if (!waiting.isEmpty() && state() != Online && state() != Disconnected) {
        text = tr("Offline — %1. %2").arg(waiting, text);
    }
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

void Session::setColour(const QColor &colour)
{
    const proto::Colour value = toColour(colour, m_colour) | 0xff000000u;
    if (value == m_colour)
        return;
    m_colour = value;
    Q_EMIT colourChanged();
    announceProfile();
}

void Session::announceProfile()
{
    m_feed->setSelf(m_name, m_colour);
    if (!m_roomState->you().isEmpty())
        m_roomState->updateSelf(proto::Member {m_roomState->you(), m_name, m_colour, m_volatile->isTyping()});
    if (m_connection->isWelcomed()) {
        m_pacer.take();
        m_connection->send(proto::Profile {m_name, m_colour});
    }
}

void Session::setToken(const QString &token)
{
    if (token == m_token)
        return;
    m_token = token.left(limits::MaxTokenLength);
    Q_EMIT tokenChanged();
}

QUrl Session::serverUrl() const
{
    // (The Connection may still name the last room's address until this room's journal has opened.)
    return m_urls.contains(m_connection->url()) ? m_connection->url() : m_urls.value(0);
}

void Session::setStateDirectory(const QString &directory)
{
    if (directory == m_stateDirectory)
        return;
    m_stateDirectory = directory;
    m_images->setDirectory(directory);
    Q_EMIT stateDirectoryChanged();
}

// ---- joining and leaving ----

void Session::join(const QUrl &server, const QString &room, const QString &name, const QColor &colour,
                   const QString &password)
{
    join(QList<QUrl> {server}, room, name, colour, password);
}

void Session::join(const QList<QUrl> &servers, const QString &room, const QString &name, const QColor &colour,
                   const QString &password)
{
    QList<QUrl> urls;
    bool validUrls = !servers.isEmpty() && servers.size() <= MaxRoomAddresses;
    for (const QUrl &server : servers) {
        const QUrl url = normalisedServer(server);
        validUrls = validUrls && url.isValid() && (url.scheme() == "ws"_L1 || url.scheme() == "wss"_L1)
            && !url.host().isEmpty() && url.scheme() == normalisedServer(servers.first()).scheme();
        if (!urls.contains(url))
            urls.append(url);
    }
    const QString trimmedName = name.trimmed();
    if (!validUrls || !proto::isValidRoomName(room) || !proto::isValidDisplayName(trimmedName)
        || password.size() > limits::MaxPasswordLength) {
        resetRoom();
        m_connection->fail(Connection::Failure::InvalidSettings, {});
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

    m_feed->setSelf(m_name, m_colour);
    // A room that moved is joined where it is now, with the journal it was first joined with. Of several addresses,
    // the one that has the room's journal already is where it is filed (joined there before, or listed first then).
    const MovedRooms moved(m_stateDirectory);
    MovedRooms::Address at = moved.resolve(urls.first(), room);
    for (const QUrl &url : urls) {
        const MovedRooms::Address candidate = moved.resolve(url, room);
        if (candidate.moved() || Journal::exists(m_stateDirectory, candidate.journalServer, room)) {
            at = candidate;
            break;
        }
    }
    if (at.moved())
        urls = {at.url};
    const bool sameRoom = state() != Disconnected && urls == m_urls && room == m_roomName;
    m_password = password;
    if (sameRoom) {
        if (m_connection->isWelcomed())
            announceProfile();
        else
            retryNow();
        return;
    }

    resetRoom();
    m_urls = urls;
    m_journalServer = at.journalServer;
    m_roomName = room;
    if (at.moved())
        m_connection->setExpectedFingerprint(at.fingerprint);
    Q_EMIT serverUrlChanged();
    Q_EMIT roomChanged();
    notifyState(); // Connecting while the journal opens
    m_outbox->open(m_stateDirectory, m_journalServer, m_roomName);
}

void Session::onOutboxReady()
{
    // The journal's changes were made first: they go below anything made while it was opening.
    for (quint64 key : std::exchange(m_earlyKeys, {}))
        m_board->removePending(key);
    for (const OutboxEntry &entry : m_outbox->entries()) {
        m_board->addPending(entry.key, entry.op);
        if (proto::isMessageOp(entry.op.kind))
            m_chat->addPending(pendingMessage(entry));
    }
    // The journal knows the epoch (to tell the user the room was reset), but the board is not on disk: the first
    // join of a process takes a snapshot.
    m_feed->start(m_outbox->journalEpoch());
    notifyPendingCount();
    if (!m_urls.isEmpty())
        m_connection->open(m_urls);
}

void Session::retryNow()
{
    m_connection->retryNow();
}

void Session::leave()
{
    m_volatile->clear(); // says "not typing" while it still can
    m_connection->close();
    resetRoom();
    m_urls.clear();
    m_journalServer.clear();
    m_roomName.clear();
    Q_EMIT serverUrlChanged();
    Q_EMIT roomChanged();
    notifyState();
}

void Session::failWith(Failure failure, const QString &reason)
{
    m_connection->fail(Connection::Failure(failure), reason);
}

bool Session::trustCertificate()
{
    return m_connection->trustCertificate();
}

void Session::rejectCertificate()
{
    m_connection->rejectCertificate();
}

void Session::forgetServerCertificate()
{
    m_connection->forgetServerCertificate();
}

void Session::resetRoom()
{
    m_resumeSaveTimer.stop();
    saveResumePoint();
    if (m_connection->state() != Connection::State::Disconnected && m_connection->state() != Connection::State::Failed)
        m_connection->close();
    const bool hadClient = !m_outbox->clientId().isEmpty();
    m_outbox->close(); // finishes its queued writes and releases the identity's lock
    m_earlyKeys.clear();
    m_feed->clear();
    m_volatile->clear();
    m_undo->clear();
    m_board->clear();
    m_chat->clear();
    m_roomState->clear();
    m_live->clear();
    m_refusals->clear();
    m_following->clear();
    m_laserTrails->clear();
    m_moves->clear();
    if (std::exchange(m_summoning, false))
        Q_EMIT summoningChanged();
    if (hadClient)
        Q_EMIT clientIdChanged();
    notifyPendingCount();
}

// ---- the connection ----

void Session::sendHello()
{
    proto::Hello hello;
    hello.client = m_outbox->clientId();
    hello.secret = m_outbox->secret();
    hello.name = m_name;
    hello.colour = m_colour;
    hello.room = m_roomName;
    hello.password = m_password;
    hello.token = m_token;
    hello.resume = m_feed->resumePoint();
    hello.serve = m_moves->canServe();
    m_moves->setSelf(hello.client);
    m_feed->helloSent(hello.resume);
    m_connection->send(hello);
}

void Session::scheduleResumeSave()
{
    if (!m_resumeSaveTimer.isActive())
        m_resumeSaveTimer.start(m_timings.resumeSaveMs);
}

void Session::saveResumePoint()
{
    if (const auto resume = m_feed->resumePoint())
        m_outbox->setResumePoint(resume->epoch, resume->seq);
}

// ---- changes ----

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

bool Session::submit(Op op)
{
    if (m_urls.isEmpty() || m_roomName.isEmpty())
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
    // What the room told us we may not do is not made at all (the server would refuse it anyway).
    if (proto::isEditOp(op.kind) && viewOnly()) {
        Q_EMIT problem(viewOnlyReason());
        return false;
    }
    const OutboxEntry entry = m_outbox->submit(op);
    if (!m_outbox->isReady())
        m_earlyKeys.append(entry.key);
    m_board->addPending(entry.key, entry.op);
    if (proto::isMessageOp(entry.op.kind) && entry.cseq)
        m_chat->addPending(pendingMessage(entry));
    return true;
}

bool Session::submitChange(const QList<Op> &ops, const QList<Op> &inverse)
{
    bool any = false;
    for (const Op &op : ops)
        any = submit(op) || any;
    if (any)
        m_undo->push(ops, inverse);
    return any;
}

QString Session::newItemId()
{
    return m_outbox->newItemId();
}

bool Session::sendChat(const QString &text)
{
    Op op;
    op.kind = OpKind::Chat;
    // Text editors put a line separator (U+2028) where Shift+Enter broke the line; the room gets a newline.
    op.text = QString(text).replace(QChar::LineSeparator, u'\n').replace(QChar::ParagraphSeparator, u'\n');
    if (op.text.trimmed().isEmpty())
        return false;
    const bool ok = submit(op);
    if (ok)
        m_volatile->setTyping(false);
    return ok;
}

void Session::setTyping(bool active)
{
    m_volatile->setTyping(active);
}

void Session::moveCursor(double x, double y)
{
    m_volatile->moveCursor(x, y);
}

void Session::hideCursor()
{
    m_volatile->hideCursor();
}

QString Session::beginStroke(BoardDocument::ItemKind kind, const QColor &colour, double width, const QPointF &start)
{
    StrokeStyle style;
    style.colour = toColour(colour);
    style.width = width;
    return beginStyledStroke(ItemKind(kind), style, start);
}

QString Session::beginStyledStroke(proto::ItemKind kind, const StrokeStyle &style, const QPointF &start,
                                   std::optional<double> startWidth)
{
    if (m_urls.isEmpty())
        return {};
    if (m_volatile->isDrawing())
        endStroke(true);
    const QString id = newItemId();
    m_volatile->beginStroke(id, kind, style, start, startWidth);
    return id;
}

void Session::extendStroke(const QPointF &point)
{
    m_volatile->extendStroke(point);
}

void Session::extendStroke(const QPointF &point, std::optional<double> width)
{
    m_volatile->extendStroke(point, width);
}

QString Session::endStroke(bool commit)
{
    const VolatileSender::Stroke stroke = m_volatile->endStroke();
    if (stroke.id.isEmpty())
        return {};
    QString added;
    if (commit) {
        Item item;
        item.id = stroke.id;
        item.kind = stroke.kind;
        stroke.style.applyTo(item);
        item.points = stroke.points;
        item.widths = stroke.widths;
        added = addItem(item);
    }
    // In the same turn as the pending item appears: no frame without the stroke.
    m_live->remove(stroke.id);
    return added;
}

QString Session::addItem(Item item)
{
    if (item.id.isEmpty())
        item.id = newItemId();
    const edits::Change change = edits::add(*m_board, item);
    return submitChange(change.ops, change.inverse) ? item.id : QString();
}

bool Session::updateItem(const Item &item)
{
    const edits::Change change = edits::update(*m_board, item);
    return submitChange(change.ops, change.inverse);
}

bool Session::updateItems(const QList<Item> &items)
{
    edits::Change change;
    for (const Item &item : items) {
        const edits::Change one = edits::update(*m_board, item);
        change.ops += one.ops;
        change.inverse = one.inverse + change.inverse;
    }
    return submitChange(change.ops, change.inverse);
}

QString Session::addShape(BoardDocument::ItemKind kind, const QColor &colour, double width, const QPointF &from,
                          const QPointF &to, const QColor &fill)
{
    Item item;
    item.kind = ItemKind(kind);
    if (item.kind == ItemKind::Stroke || item.kind == ItemKind::Text)
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
    const edits::Change change = edits::setText(*m_board, id, text);
    return submitChange(change.ops, change.inverse);
}

bool Session::moveItems(const QStringList &ids, double dx, double dy)
{
    const edits::Change change = edits::move(*m_board, ids, dx, dy);
    return submitChange(change.ops, change.inverse);
}

bool Session::removeItems(const QStringList &ids)
{
    const edits::Change change = edits::remove(*m_board, ids);
    return submitChange(change.ops, change.inverse);
}

bool Session::restackItems(const QStringList &ids, bool toFront)
{
    const edits::Change change = edits::restack(*m_board, ids, toFront);
    return submitChange(change.ops, change.inverse);
}

QStringList Session::addItems(QList<Item> items, int *picturesLeftOut)
{
    QStringList ids;
    QList<Item> kept;
    int leftOut = 0;
    for (Item &item : items) {
        // A picture from another room goes along when its bytes are here (they are uploaded first).
        if (item.kind == ItemKind::Image && !carryPicture(item.blob, item.bytes)) {
            ++leftOut;
            continue;
        }
        item.id = newItemId();
        ids.append(item.id);
        kept.append(item);
    }
    if (picturesLeftOut)
        *picturesLeftOut = leftOut;
    const edits::Change change = edits::addAll(*m_board, kept);
    if (submitChange(change.ops, change.inverse))
        return ids;
    settleImages();
    return {};
}

bool Session::clearBoard()
{
    if (!m_roomState->you().isEmpty() && !isOwner()) {
        Q_EMIT problem(tr("Only the room's owners may clear the board."));
        return false;
    }
    const edits::Change change = edits::clear(*m_board);
    return submitChange(change.ops, change.inverse);
}

bool Session::undo()
{
    return m_undo->undo();
}

bool Session::redo()
{
    return m_undo->redo();
}

QString Session::reason() const
{
    // The server answers a missing password and a wrong one alike; only this side knows which it was.
    if (failure() == WrongPassword && m_password.isEmpty())
        return tr("This room needs a password. Enter it to join.");
    return m_connection->reason();
}

QString failureText(Session::Failure failure)
{
    return failureText(Connection::Failure(failure));
}

bool Session::requestHistory(const proto::History &request)
{
    if (m_connection->state() != Connection::State::Online)
        return false;
    m_connection->send(request);
    return true;
}

} // namespace inkroom::client
