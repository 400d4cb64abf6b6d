#include "outbox.h"

#include "crashpoints.h"
#include "pacer.h"
#include "protocollimits.h"

#include <QUuid>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::Op;
using proto::OpKind;

namespace {

//! The item number an op creates under our own id (0: none): it must be below the item ceiling on disk.
quint64 ownItemNumber(const Op &op, const QString &client)
{
    if (op.kind != OpKind::Add || !proto::isOwnItemId(op.item.id, client))
        return 0;
    const auto parts = proto::splitItemId(op.item.id);
    return parts ? parts->number : 0;
}

} // namespace

Outbox::Outbox(Pacer *pacer, QObject *parent)
    : QObject(parent)
    , m_pacer(pacer)
{
    m_clock.start();
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::maybeResume);
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &Outbox::pump);
    m_journalRetry.setSingleShot(true);
    connect(&m_journalRetry, &QTimer::timeout, this, [this] {
        if (m_journal && m_journal->isBroken())
            m_journal->rewrite(stateForRewrite());
    });
    setTimings(Timings {});
}

Outbox::~Outbox()
{
    close();
}

void Outbox::setTimings(const Timings &timings)
{
    m_timings = timings;
    m_timings.maxInFlight = std::max(1, m_timings.maxInFlight);
}

// ---- identity and journal ----

void Outbox::open(const QString &directory, const QString &server, const QString &room)
{
    close();
    if (directory.isEmpty()) {
        JournalState none;
        none.clientId = QUuid::createUuid().toString(QUuid::Id128);
        none.secret = newClientSecret();
        onJournalOpened(none);
        return;
    }
    m_journal = new Journal(this);
    m_journal->setFaults(m_faults);
    connect(m_journal, &Journal::opened, this, &Outbox::onJournalOpened);
    connect(m_journal, &Journal::failed, this, [this](const QString &error) {
        // Without a journal nothing survives a restart, but nothing can be numbered twice either: the identity is
        // new and dies with the process.
        m_journal->deleteLater();
        m_journal = nullptr;
        Q_EMIT problem(tr("Your changes are kept in memory only and will not survive a restart: %1").arg(error));
        JournalState none;
        none.clientId = QUuid::createUuid().toString(QUuid::Id128);
        none.secret = newClientSecret();
        onJournalOpened(none);
    });
    connect(m_journal, &Journal::durable, this, &Outbox::onJournalDurable);
    connect(m_journal, &Journal::writeFailed, this, &Outbox::onJournalBroken);
    connect(m_journal, &Journal::recovered, this, [this] {
        m_journalProblem.clear();
        Q_EMIT journalProblemChanged();
    });
    m_journal->open(directory, server, room);
}

void Outbox::close()
{
    m_retryTimer.stop();
    m_pumpTimer.stop();
    m_journalRetry.stop();
    if (m_journal && !m_ready && !m_unnumbered.isEmpty()) {
        // Closed while the journal opens (a room left at once, an app quit at once): what was made meanwhile is
        // numbered and written before the journal goes, so the next run sends it. Opening takes milliseconds.
        if (const auto state = m_journal->waitUntilOpen()) {
            m_closing = true; // numbered and written, not sent: ready() would start a connection
            onJournalOpened(*state);
            m_closing = false;
        }
    }
    if (m_journal) {
        m_journal->disconnect(this);
        delete m_journal; // finishes its queued writes and releases the identity's lock
        m_journal = nullptr;
    }
    m_ready = false;
    m_clientId.clear();
    m_secret.clear();
    m_epoch.clear();
    m_seq = 0;
    m_journalProblem.clear();
    m_nextCseq = m_nextItem = m_cseqCeiling = m_itemCeiling = 1;
    m_durableCseqCeiling = m_durableItemCeiling = 1;
    m_ceilingWrites.clear();
    m_durableTicket = 0;
    m_savedCseq = 0;
    m_entries.clear();
    m_unnumbered.clear();
    m_committedUnseen.clear();
    m_provisional.clear();
    m_renamed.clear();
    m_linkUp = false;
    m_inFlight = 0;
    m_knownAcked = 0;
    m_paused = false;
    m_renumberWanted = false;
    notifyPending();
}

void Outbox::onJournalOpened(const JournalState &state)
{
    m_clientId = state.clientId;
    m_secret = state.secret;
    m_epoch = state.epoch;
    m_seq = state.seq;
    // Anything below the ceilings may have been given out before a crash: start above all of it.
    m_nextCseq = m_cseqCeiling = m_durableCseqCeiling = std::max<quint64>(1, state.cseqCeiling);
    m_nextItem = m_itemCeiling = m_durableItemCeiling = std::max<quint64>(1, state.itemCeiling);

    // The journal's ops were made first: they keep their numbers and go below anything made while it opened.
    QList<OutboxEntry> early = std::exchange(m_unnumbered, {});
    QList<quint64> unreadable;
    for (const auto &[cseq, bytes] : state.pending) {
        auto decoded = proto::decode(bytes, limits::MaxClientMessageBytes);
        if (!decoded.ok() || !std::holds_alternative<Op>(decoded.message())) {
            unreadable.append(cseq);
            continue;
        }
        OutboxEntry entry;
        entry.key = m_nextKey++;
        entry.cseq = cseq;
        entry.op = std::get<Op>(decoded.message());
        entry.op.cseq = cseq;
        entry.madeAtMs = m_clock.elapsed();
        m_entries.append(entry);
    }
    if (m_journal && !unreadable.isEmpty()) {
        m_journal->remove(unreadable);
        Q_EMIT problem(tr("%n unsent change(s) in the journal could not be read and were dropped.", nullptr,
                          int(unreadable.size())));
    }
    m_ready = true;
    Q_EMIT identityKnown();
    for (const QString &id : std::exchange(m_provisional, {})) {
        const quint64 number = m_nextItem++;
        raiseCeilingsFor(m_nextCseq, number);
        m_renamed.insert(id, proto::makeItemId(m_clientId, number));
    }
    if (!m_renamed.isEmpty())
        Q_EMIT itemsRenamed(m_renamed);
    for (OutboxEntry &entry : early) {
        rename(entry.op);
        entry.key = m_nextKey++; // above the journal's ops, which were made before them
        numberAndJournal(entry);
        m_entries.append(entry);
    }
    notifyPending();
    if (!m_closing)
        Q_EMIT ready();
}

void Outbox::setResumePoint(const QString &epoch, quint64 seq)
{
    if (epoch == m_epoch && seq == m_seq)
        return;
    m_epoch = epoch;
    m_seq = seq;
    if (m_journal)
        m_journal->setResumePoint(epoch, seq);
}

void Outbox::onJournalDurable(JournalTicket ticket)
{
    m_durableTicket = std::max(m_durableTicket, ticket);
    while (!m_ceilingWrites.isEmpty() && m_ceilingWrites.first().ticket <= m_durableTicket) {
        const CeilingWrite write = m_ceilingWrites.takeFirst();
        m_durableCseqCeiling = std::max(m_durableCseqCeiling, write.cseq);
        m_durableItemCeiling = std::max(m_durableItemCeiling, write.item);
    }
    quint64 saved = m_savedCseq;
    for (const OutboxEntry &entry : std::as_const(m_entries)) {
        if (entry.ticket > m_durableTicket)
            break;
        crashPoint("durable");
        saved = std::max(saved, entry.cseq);
    }
    if (saved > m_savedCseq) {
        m_savedCseq = saved;
        Q_EMIT this->saved(saved);
    }
    pump();
}

void Outbox::onJournalBroken(const QString &error)
{
    const bool first = m_journalProblem.isEmpty();
    m_journalProblem = tr("Changes cannot be saved on this computer (%1). They are kept in memory and sent while "
                          "that is safe; saving is tried again every few seconds.")
                           .arg(error);
    Q_EMIT journalProblemChanged();
    if (first)
        Q_EMIT problem(m_journalProblem);
    m_journalRetry.start(m_timings.journalRetryMs);
    pump(); // what the ceilings on disk cover may go without the journal
}

JournalState Outbox::stateForRewrite() const
{
    JournalState state;
    state.clientId = m_clientId;
    state.secret = m_secret;
    state.cseqCeiling = m_cseqCeiling;
    state.itemCeiling = m_itemCeiling;
    state.epoch = m_epoch;
    state.seq = m_seq;
    for (const OutboxEntry &entry : m_entries)
        state.pending.append({entry.cseq, proto::encode(entry.op)});
    return state;
}

// ---- changes ----

void Outbox::raiseCeilingsFor(quint64 cseq, quint64 item)
{
    if (cseq < m_cseqCeiling && item < m_itemCeiling)
        return;
    // One write for many numbers: the ceilings rise by a block, in the same transaction as the op that needs them.
    m_cseqCeiling = std::max(m_cseqCeiling, cseq + JournalCeilingBlock);
    m_itemCeiling = std::max(m_itemCeiling, item + JournalCeilingBlock);
    if (!m_journal) {
        m_durableCseqCeiling = m_cseqCeiling;
        m_durableItemCeiling = m_itemCeiling;
        return;
    }
    const JournalTicket ticket = m_journal->raiseCeilings(m_cseqCeiling, m_itemCeiling);
    m_ceilingWrites.append({ticket, m_cseqCeiling, m_itemCeiling});
}

QString Outbox::newItemId()
{
    if (m_clientId.isEmpty()) {
        // No identity yet: a stand-in that becomes "<client id>:<n>" once the journal says who we are.
        m_provisional.append(u"provisional."_s + QUuid::createUuid().toString(QUuid::Id128));
        return m_provisional.constLast();
    }
    const quint64 number = m_nextItem++;
    raiseCeilingsFor(m_nextCseq, number);
    return proto::makeItemId(m_clientId, number);
}

void Outbox::numberAndJournal(OutboxEntry &entry)
{
    entry.cseq = m_nextCseq++;
    entry.op.cseq = entry.cseq;
    raiseCeilingsFor(entry.cseq, 0);
    const QByteArray encoded = proto::encode(entry.op);
    entry.bytes = encoded.size();
    entry.ticket = m_journal ? m_journal->append(entry.cseq, encoded) : 0;
    crashPoint("number");
    Q_EMIT numbered(entry.op);
}

void Outbox::rename(Op &op) const
{
    if (m_renamed.isEmpty())
        return;
    op.item.id = m_renamed.value(op.item.id, op.item.id);
    for (QString &id : op.ids)
        id = m_renamed.value(id, id);
}

OutboxEntry Outbox::submit(Op op)
{
    if (m_ready)
        rename(op);
    OutboxEntry entry;
    entry.key = m_nextKey++;
    entry.op = std::move(op);
    entry.madeAtMs = m_clock.elapsed();
    if (m_ready) {
        numberAndJournal(entry);
        m_entries.append(entry);
    } else {
        m_unnumbered.append(entry);
    }
    notifyPending();
    pump();
    return entry;
}

qint64 Outbox::oldestAgeMs() const
{
    qint64 oldest = -1;
    for (const QList<OutboxEntry> *list : {&m_entries, &m_unnumbered}) {
        for (const OutboxEntry &entry : *list)
            oldest = oldest < 0 ? entry.madeAtMs : std::min(oldest, entry.madeAtMs);
    }
    return oldest < 0 ? 0 : m_clock.elapsed() - oldest;
}

int Outbox::secondsToDrain() const
{
    if (!m_pacer || pendingCount() == 0)
        return 0;
    double seconds = m_pacer->rate() > 0 ? pendingCount() / m_pacer->rate() : 0.0;
    if (m_pacer->byteRate() > 0) {
        qint64 bytes = 0;
        for (const OutboxEntry &entry : m_entries)
            bytes += entry.sent ? 0 : entry.bytes;
        seconds = std::max(seconds, double(bytes) / m_pacer->byteRate());
    }
    return int(std::ceil(seconds));
}

bool Outbox::isSendable(const OutboxEntry &entry) const
{
    if (m_gate && !m_gate(entry.op))
        return false;
    if (!m_journal || entry.ticket <= m_durableTicket)
        return true;
    if (!m_journal->isBroken())
        return false; // on its way to the disk: wait for it
    // The journal is broken: the op itself may be lost in a crash, but its numbers never come round again.
    return entry.cseq < m_durableCseqCeiling && ownItemNumber(entry.op, m_clientId) < m_durableItemCeiling;
}

// ---- the connection ----

void Outbox::linkUp(const proto::Welcome &welcome)
{
    crashPoint("welcome");
    m_linkUp = true;
    m_inFlight = 0;
    m_paused = false;
    m_renumberWanted = false;
    m_retryTimer.stop();
    m_retryDelayMs = 0;
    m_knownAcked = welcome.acked;
    if (m_pacer)
        m_pacer->configure(welcome.rate, welcome.burst, welcome.opByteRate, welcome.opByteBurst);
    for (OutboxEntry &entry : m_entries)
        entry.sent = false;

    if (welcome.acked >= m_nextCseq) {
        // More than this client ever numbered: another copy of this identity, or a journal restored from an older
        // copy. Nothing here is known to be committed: keep everything and give it numbers the room has not seen.
        Q_EMIT problem(tr("The room holds changes under this identity (up to number %1) that this copy of Inkroom "
                          "never made. Your unsent changes are kept and numbered again so that none is lost.")
                           .arg(welcome.acked));
        renumber(welcome.acked + 1);
    } else {
        QList<quint64> settled;
        while (!m_entries.isEmpty() && m_entries.first().cseq <= welcome.acked) {
            settled.append(m_entries.first().cseq);
            m_committedUnseen.append(m_entries.takeFirst());
        }
        if (m_journal && !settled.isEmpty())
            m_journal->remove(settled);
    }
    notifyPending();
    pump();
}

void Outbox::linkDown()
{
    m_linkUp = false;
    m_inFlight = 0;
    m_paused = false;
    m_renumberWanted = false;
    m_retryTimer.stop();
    m_pumpTimer.stop();
    for (OutboxEntry &entry : m_entries)
        entry.sent = false;
}

qsizetype Outbox::indexOf(quint64 cseq) const
{
    const auto it = std::lower_bound(m_entries.cbegin(), m_entries.cend(), cseq,
                                     [](const OutboxEntry &e, quint64 c) { return e.cseq < c; });
    return it != m_entries.cend() && it->cseq == cseq ? it - m_entries.cbegin() : -1;
}

OutboxEntry Outbox::takeAt(qsizetype index)
{
    OutboxEntry entry = m_entries.takeAt(index);
    if (entry.sent)
        --m_inFlight;
    if (m_journal)
        m_journal->remove({entry.cseq});
    crashPoint("settle");
    return entry;
}

Outbox::Answer Outbox::acknowledge(const proto::Ack &ack)
{
    const qsizetype index = indexOf(ack.cseq);
    if (index < 0)
        return {};
    crashPoint("ack");
    m_knownAcked = std::max(m_knownAcked, ack.cseq);
    m_retryDelayMs = 0;
    Answer answer {Outcome::Settled, takeAt(index)};
    notifyPending();
    maybeResume();
    pump();
    return answer;
}

Outbox::Answer Outbox::refuse(const proto::Reject &reject)
{
    const qsizetype index = indexOf(reject.cseq);
    if (index < 0)
        return {};
    OutboxEntry &entry = m_entries[index];
    if (entry.sent) {
        entry.sent = false;
        --m_inFlight;
    }
    if (reject.retry || proto::isTransient(reject.code)) {
        // Not now: every op sent after it will be held back too. Once all of them are answered and a pause has
        // passed, sending starts again from the first one waiting, which is this one.
        m_retryDelayMs =
            m_retryDelayMs == 0 ? m_timings.retryInitialMs : std::min(m_retryDelayMs * 2, m_timings.retryMaxMs);
        pause();
        if (!m_retryTimer.isActive())
            m_retryTimer.start(m_retryDelayMs);
        return {Outcome::Retrying, entry};
    }
    if (reject.code == proto::ErrorCode::CseqReused || reject.code == proto::ErrorCode::CseqAhead) {
        // The number, not the change, was refused: give it (and all after it) numbers above what the room has.
        const quint64 acked = std::max(m_knownAcked, reject.acked.value_or(0));
        quint64 base = acked + 1;
        if (reject.code == proto::ErrorCode::CseqReused)
            base = std::max(base, m_nextCseq); // never hand out a number twice
        m_renumberBase = std::max(m_renumberWanted ? m_renumberBase : 0, base);
        m_renumberWanted = true;
        const OutboxEntry kept = entry;
        pause();
        maybeResume();
        return {Outcome::Renumbering, kept};
    }
    Answer answer {Outcome::Refused, takeAt(index)};
    notifyPending();
    maybeResume();
    pump();
    return answer;
}

Outbox::Answer Outbox::seenCommitted(const Op &op)
{
    const auto unseen = std::find_if(m_committedUnseen.begin(), m_committedUnseen.end(),
                                     [&op](const OutboxEntry &e) { return e.cseq == op.cseq; });
    if (unseen != m_committedUnseen.end()) {
        Answer answer {Outcome::Settled, *unseen};
        m_committedUnseen.erase(unseen);
        return answer;
    }
    const qsizetype index = indexOf(op.cseq);
    if (index < 0)
        return {};
    m_knownAcked = std::max(m_knownAcked, op.cseq);
    Answer answer {Outcome::Settled, takeAt(index)};
    notifyPending();
    pump();
    return answer;
}

void Outbox::pause()
{
    m_paused = true;
    m_pumpTimer.stop();
}

void Outbox::maybeResume()
{
    if (!m_paused || m_inFlight > 0)
        return;
    if (m_renumberWanted) {
        m_renumberWanted = false;
        renumber(std::max(m_renumberBase, m_knownAcked + 1));
    }
    if (m_retryTimer.isActive())
        return;
    m_paused = false;
    pump();
}

void Outbox::renumber(quint64 base)
{
    // Nothing is in flight: every entry is unsent and none of their numbers is committed.
    m_nextCseq = base;
    QHash<quint64, quint64> changes;
    for (OutboxEntry &entry : m_entries) {
        changes.insert(entry.cseq, m_nextCseq);
        entry.cseq = m_nextCseq++;
        entry.op.cseq = entry.cseq;
        entry.sent = false;
    }
    raiseCeilingsFor(m_nextCseq, 0);
    if (m_journal) {
        const JournalTicket ticket = m_journal->rewrite(stateForRewrite());
        for (OutboxEntry &entry : m_entries)
            entry.ticket = ticket;
        if (!m_ceilingWrites.isEmpty())
            m_ceilingWrites.last().ticket = std::max(m_ceilingWrites.last().ticket, ticket);
    }
    Q_EMIT renumbered(changes);
}

QList<OutboxEntry> Outbox::takeCommittedUnseen(bool boardOnly)
{
    if (!boardOnly)
        return std::exchange(m_committedUnseen, {});
    QList<OutboxEntry> taken;
    m_committedUnseen.removeIf([&taken](const OutboxEntry &e) {
        if (!proto::isBoardOp(e.op.kind))
            return false;
        taken.append(e);
        return true;
    });
    return taken;
}

void Outbox::schedulePump(int delayMs)
{
    if (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > delayMs)
        m_pumpTimer.start(std::max(1, delayMs));
}

void Outbox::pump()
{
    if (!m_linkUp || m_paused || !m_send)
        return;
    // In cseq order, never past an op that cannot go yet: the room must see this client's ops in order.
    for (OutboxEntry &entry : m_entries) {
        if (entry.sent)
            continue;
        if (m_inFlight >= m_timings.maxInFlight || !isSendable(entry))
            return;
        // Encoded once: what the server counts against its byte rate of ops is what is paced here.
        if (m_encoded.key != entry.key || m_encoded.cseq != entry.cseq || m_encoded.bytes.isEmpty())
            m_encoded = {entry.key, entry.cseq, proto::encode(entry.op)};
        if (m_pacer && !m_pacer->tryTake(m_encoded.bytes.size())) {
            schedulePump(int(m_pacer->msUntilToken(m_encoded.bytes.size())));
            return;
        }
        entry.sent = true;
        ++m_inFlight;
        m_send(entry.op, std::exchange(m_encoded, {}).bytes);
        crashPoint("send");
        if (!m_linkUp)
            return; // the send found the connection gone
    }
}

void Outbox::notifyPending()
{
    if (m_lastPendingCount == pendingCount())
        return;
    m_lastPendingCount = pendingCount();
    Q_EMIT pendingCountChanged();
}

} // namespace inkroom::client
