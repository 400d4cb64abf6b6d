#include "replaymodel.h"

#include "session.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

ReplayModel::ReplayModel(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ReplayModel::step);
    connect(&m_fetcher, &HistoryFetcher::baseFetched, this, &ReplayModel::onBaseFetched);
    connect(&m_fetcher, &HistoryFetcher::opsFetched, this, [this](const QList<Op> &ops) {
        appendAll(ops); // a page at a time: one change for the views
        Q_EMIT fetchingChanged(); // the progress
    });
    connect(&m_fetcher, &HistoryFetcher::caughtUp, this, &ReplayModel::onCaughtUp);
    connect(&m_fetcher, &HistoryFetcher::failed, this, [this](const QString &why) {
        m_fetchProblem = why;
        onCaughtUp(); // what the session applied meanwhile still counts
    });
    connect(&m_cache, &HistoryCache::loaded, this, &ReplayModel::onCacheLoaded);
}

bool ReplayModel::fetching() const
{
    return m_loading || (m_fetcher.active() && m_session && m_session->state() == Session::Online);
}

void ReplayModel::setSession(Session *session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_fetcher.setSession(session);
    m_live.clear();
    m_wholeHistory = false;
    m_loading = false;
    m_waitingForEpoch = false;
    m_cache.setPath({});
    m_fetchProblem.clear();
    if (m_session) {
        connect(m_session, &Session::opApplied, this, [this](const Op &op, bool) {
            if (m_fetcher.active() || m_loading)
                m_live.append(op); // its place is after the pages still to come
            else
                append(op);
        });
        connect(m_session, &Session::stateChanged, this, [this] {
            // The journal has opened: it knows the room's epoch, so the kept history can be found.
            if (m_waitingForEpoch && !m_session->epoch().isEmpty())
                beginWholeHistory();
            Q_EMIT fetchingChanged();
        });
        connect(m_session, &Session::snapshotApplied, this, &ReplayModel::onSnapshot);
        connect(m_session, &Session::roomReset, this, [this] {
            m_wholeHistory = false; // another log: nothing fetched or kept from the old one applies
            m_loading = false;
            m_cache.setPath({});
            onSnapshot();
        });
    }
    restartFromSession();
    m_fetcher.stop();
    if (m_session && m_wanted)
        beginWholeHistory();
    Q_EMIT sessionChanged();
    Q_EMIT fetchingChanged();
}

void ReplayModel::onSnapshot()
{
    m_live.clear();
    m_fetchProblem.clear();
    if (m_wholeHistory) {
        // The history up to here is fetched already: only the ops it missed while away.
        m_fetcher.continueFrom(m_ops.isEmpty() ? m_base.seq() : m_ops.constLast().seq);
    } else {
        restartFromSession();
        if (m_wanted && !m_loading)
            beginWholeHistory();
    }
    Q_EMIT fetchingChanged();
}

void ReplayModel::beginWholeHistory()
{
    m_waitingForEpoch = false;
    // Filed under the room's first address: every node of a room serves the same history (and epoch).
    const QString path =
        HistoryCache::pathFor(m_session->stateDirectory(), KnownServers::keyFor(m_session->serverUrls().value(0)),
                              m_session->room(), m_session->epoch());
    m_cache.setPath(path);
    if (!path.isEmpty()) {
        m_loading = true;
        m_cache.load(); // onCacheLoaded() goes on
    } else if (!m_session->stateDirectory().isEmpty() && m_session->epoch().isEmpty()) {
        m_waitingForEpoch = true; // the journal is opening: the session's next state says which log
    } else {
        m_fetcher.start(); // offline: it asks once the session is online
    }
    Q_EMIT fetchingChanged();
}

void ReplayModel::onCacheLoaded(const QString &path, bool found, quint64 seq, const QList<Item> &items,
                                const QList<Op> &ops)
{
    if (!m_loading || path != m_cache.path())
        return; // asked for before the room or its epoch changed
    m_loading = false;
    if (!found) {
        m_fetcher.start();
        Q_EMIT fetchingChanged();
        return;
    }
    reset(seq, items);
    m_wholeHistory = true;
    m_restoring = true;
    appendAll(ops);
    m_restoring = false;
    // Only what the kept history lacks; the ops the session applied meanwhile follow once that has come.
    m_fetcher.continueFrom(m_ops.isEmpty() ? m_base.seq() : m_ops.constLast().seq);
    Q_EMIT fetchingChanged();
}

void ReplayModel::fetchWholeHistory()
{
    m_wanted = true;
    if (!m_session || m_wholeHistory || m_fetcher.active() || m_loading || m_waitingForEpoch)
        return;
    m_fetchProblem.clear();
    beginWholeHistory();
}

void ReplayModel::onBaseFetched(quint64 seq, const QList<Item> &items)
{
    reset(seq, items);
    m_cache.saveBase(seq, items);
    m_wholeHistory = true;
    Q_EMIT fetchingChanged();
}

void ReplayModel::onCaughtUp()
{
    appendAll(std::exchange(m_live, {})); // those the pages had already are ignored by their seq
    Q_EMIT fetchingChanged();
}

double ReplayModel::fetchProgress() const
{
    if (!m_fetcher.active())
        return 1.0;
    const quint64 head = m_fetcher.head();
    const quint64 from = m_wholeHistory ? m_base.seq() : 0;
    if (head <= from)
        return 0.0;
    return std::clamp(double(m_fetcher.reached() - std::min(m_fetcher.reached(), from)) / double(head - from), 0.0,
                      1.0);
}

void ReplayModel::restartFromSession()
{
    if (!m_session) {
        reset(0, {});
        return;
    }
    const Board &confirmed = m_session->board()->confirmed();
    reset(confirmed.seq(), confirmed.orderedItems());
}

void ReplayModel::showPicturesOf(const QList<Item> &items)
{
    if (m_session)
        m_session->showPicturesOf(items);
}

void ReplayModel::reset(quint64 seq, const QList<Item> &items)
{
    showPicturesOf(items); // a picture removed since is drawn when the replay gets there
    setPlaying(false);
    m_base.reset(seq, items);
    m_ops.clear();
    m_checkpoints.clear();
    m_position = 0;
    m_followEnd = true;
    Q_EMIT countChanged();
    Q_EMIT positionChanged();
}

void ReplayModel::append(const Op &op)
{
    appendAll({op});
}

bool ReplayModel::take(const Op &op)
{
    const quint64 last = m_ops.isEmpty() ? m_base.seq() : m_ops.constLast().seq;
    if (op.seq <= last)
        return false;
    m_ops.append(op);
    if (m_ops.size() % CheckpointEvery == 0) {
        Board board = m_checkpoints.isEmpty() ? m_base : m_checkpoints.constLast();
        for (qsizetype i = m_ops.size() - CheckpointEvery; i < m_ops.size(); ++i)
            board.apply(m_ops[i]);
        m_checkpoints.append(std::move(board));
    }
    return true;
}

void ReplayModel::appendAll(const QList<Op> &ops)
{
    QList<Op> taken;
    for (const Op &op : ops) {
        if (take(op))
            taken.append(op);
    }
    if (taken.isEmpty())
        return;
    QList<Item> shown; // the pictures these ops put on the board or bring back
    for (const Op &op : std::as_const(taken)) {
        if (op.item.kind == ItemKind::Image)
            shown.append(op.item);
        for (const Item &item : op.items) {
            if (item.kind == ItemKind::Image)
                shown.append(item);
        }
    }
    if (!shown.isEmpty())
        showPicturesOf(shown);
    if (m_wholeHistory && !m_restoring)
        m_cache.saveOps(taken); // the kept history stays one unbroken run from its base
    Q_EMIT countChanged();
    if (m_followEnd && !m_playing) {
        m_position = count();
        Q_EMIT positionChanged();
    }
}

void ReplayModel::setPosition(int position)
{
    position = std::clamp(position, 0, count());
    m_followEnd = position == count();
    if (position == m_position)
        return;
    m_position = position;
    Q_EMIT positionChanged();
}

void ReplayModel::setPlaying(bool playing)
{
    if (m_playing == playing)
        return;
    if (playing && m_position >= count()) {
        if (count() == 0)
            return;
        m_position = 0; // play from the start when at the end
        Q_EMIT positionChanged();
    }
    m_playing = playing;
    if (m_playing)
        schedule();
    else
        m_timer.stop();
    Q_EMIT playingChanged();
}

void ReplayModel::setSpeed(int speed)
{
    speed = std::clamp(speed, MinSpeed, MaxSpeed);
    if (m_speed == speed)
        return;
    m_speed = speed;
    Q_EMIT speedChanged();
}

int ReplayModel::stepDelayMs(int position) const
{
    if (position >= count())
        return 0;
    const qint64 next = m_ops[position].time;
    const qint64 previous = position > 0 ? m_ops[position - 1].time : next;
    const qint64 gap = std::max<qint64>(0, next - previous) / m_speed;
    return int(std::clamp<qint64>(gap, 16, MaxStepMs));
}

void ReplayModel::schedule()
{
    if (m_position >= count()) {
        setPlaying(false);
        return;
    }
    m_timer.start(stepDelayMs(m_position));
}

void ReplayModel::step()
{
    if (!m_playing)
        return;
    setPosition(m_position + 1);
    schedule();
}

QList<Item> ReplayModel::itemsAt(int position) const
{
    position = std::clamp(position, 0, count());
    const int checkpoint = position / CheckpointEvery; // checkpoints before position
    Board board = checkpoint > 0 ? m_checkpoints.at(checkpoint - 1) : m_base;
    for (int i = checkpoint * CheckpointEvery; i < position; ++i)
        board.apply(m_ops[i]);
    return board.orderedItems();
}

double ReplayModel::seq() const
{
    return double(m_position > 0 ? m_ops[m_position - 1].seq : m_base.seq());
}

QDateTime ReplayModel::time() const
{
    return m_position > 0 ? QDateTime::fromMSecsSinceEpoch(m_ops[m_position - 1].time) : QDateTime();
}

QString ReplayModel::author() const
{
    return m_position > 0 ? m_ops[m_position - 1].author : QString();
}

QString ReplayModel::action() const
{
    if (m_position > 0)
        return describe(m_ops[m_position - 1]);
    if (!m_wholeHistory)
        return tr("The board when you joined");
    return m_base.seq() == 0 ? tr("The empty board the room began with")
                             : tr("The board at change %1, the oldest the server keeps").arg(m_base.seq());
}

QDateTime ReplayModel::startTime() const
{
    return m_ops.isEmpty() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(m_ops.constFirst().time);
}

QDateTime ReplayModel::endTime() const
{
    return m_ops.isEmpty() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(m_ops.constLast().time);
}

QString ReplayModel::describe(const Op &op)
{
    switch (op.kind) {
    case OpKind::Add:
        switch (op.item.kind) {
        case ItemKind::Stroke:
            return tr("drew a stroke");
        case ItemKind::Line:
            return tr("drew a line");
        case ItemKind::Arrow:
            return tr("drew an arrow");
        case ItemKind::Rect:
            return tr("drew a box");
        case ItemKind::Ellipse:
            return tr("drew an ellipse");
        case ItemKind::Text:
            return tr("wrote “%1”").arg(op.item.text.left(40));
        case ItemKind::Image:
            return tr("placed an image");
        }
        return tr("added an item");
    case OpKind::Update:
        return op.item.kind == ItemKind::Text ? tr("changed text to “%1”").arg(op.item.text.left(40))
                                              : tr("changed an item");
    case OpKind::Remove:
        return tr("erased %n item(s)", nullptr, int(op.ids.size()));
    case OpKind::Move:
        return tr("moved %n item(s)", nullptr, int(op.ids.size()));
    case OpKind::Restack:
        return tr("restacked %n item(s)", nullptr, int(op.ids.size()));
    case OpKind::Clear:
        return tr("cleared the board");
    case OpKind::Chat:
    case OpKind::Direct: // only its two people hold it
        return tr("said “%1”").arg(op.text.left(40));
    case OpKind::SetRole:
        return tr("changed someone's role");
    case OpKind::SetDefaultRole:
        return tr("changed the role of guests");
    case OpKind::Lock:
        return tr("locked the board");
    case OpKind::Unlock:
        return tr("unlocked the board");
    case OpKind::Kick:
        return op.ban ? tr("banned someone from the room") : tr("removed someone from the room");
    case OpKind::Rollback:
        return tr("undid someone's last %n change(s)", nullptr, op.count);
    }
    return {};
}

} // namespace inkroom::client
