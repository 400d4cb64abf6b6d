#include "roomfeed.h"

#include "boarddocument.h"
#include "chatmodel.h"
#include "clientconnection.h"
#include "crashpoints.h"
#include "livestrokesmodel.h"
#include "outbox.h"
#include "peoplemodel.h"
#include "refusalsmodel.h"
#include "roomstate.h"
#include "undostack.h"
#include "volatilesender.h"

#include <QDateTime>

namespace inkroom::client {

using proto::Item;
using proto::Op;
using proto::OpKind;

RoomFeed::RoomFeed(const Parts &parts, QObject *parent)
    : QObject(parent)
    , m_parts(parts)
{ }

void RoomFeed::setSelf(const QString &name, proto::Colour colour)
{
    m_name = name;
    m_colour = colour;
}

void RoomFeed::start(const QString &epoch)
{
    m_epoch = epoch;
    m_haveBoard = false;
}

void RoomFeed::clear()
{
    m_catchUp.abort();
    m_epoch.clear();
    m_haveBoard = false;
}

std::optional<proto::ResumePoint> RoomFeed::resumePoint() const
{
    if (!m_haveBoard || m_epoch.isEmpty())
        return std::nullopt;
    return proto::ResumePoint {m_epoch, m_parts.board->confirmed().seq()};
}

void RoomFeed::helloSent(const std::optional<proto::ResumePoint> &resume)
{
    m_catchUp.hello(resume ? std::optional(resume->seq) : std::nullopt);
}

bool RoomFeed::isWelcomed() const
{
    return m_parts.connection->isWelcomed();
}

void RoomFeed::dispatch(const proto::Message &message)
{
    std::visit([this](const auto &m) { handle(m); }, message);
}

// ---- the join and the catch-up ----

void RoomFeed::handle(const proto::Welcome &welcome)
{
    if (m_parts.connection->state() != Connection::State::Joining)
        return;
    const bool epochChanged = !m_epoch.isEmpty() && welcome.epoch != m_epoch;
    if (epochChanged) {
        // The server's data was wiped or replaced: what we knew of the log is gone, our unsent work is not.
        m_haveBoard = false;
        m_parts.chat->clearConfirmed();
        QList<quint64> keys;
        for (const OutboxEntry &entry : m_parts.outbox->takeCommittedUnseen()) {
            keys.append(entry.key);
            if (proto::isMessageOp(entry.op.kind))
                m_parts.chat->removePending(entry.cseq);
        }
        m_parts.board->resetConfirmed(0, {}, keys);
        m_parts.undo->clear();
    }
    m_epoch = welcome.epoch;
    m_parts.room->welcome(welcome);
    m_catchUp.begin(welcome);
    m_parts.connection->welcomed();
    // What the room has committed of ours is settled; its ops (or the snapshot) show it. The rest goes again.
    m_parts.outbox->linkUp(welcome);
    m_parts.volatiles->linkUp();
    Q_EMIT welcomed(welcome);
    if (epochChanged)
        Q_EMIT roomReset(welcome.epoch);
}

void RoomFeed::handle(const proto::Snapshot &snapshot)
{
    m_catchUp.add(snapshot);
}

void RoomFeed::applySnapshot(const CatchUp::Board &snapshot)
{
    // Our committed ops are in the snapshot: stop drawing them on top, in the same reset.
    QList<quint64> keys;
    for (const OutboxEntry &entry : m_parts.outbox->takeCommittedUnseen(true))
        keys.append(entry.key);
    m_parts.board->resetConfirmed(snapshot.seq, snapshot.items, keys);
    m_haveBoard = true;
    for (const Item &item : snapshot.items)
        m_parts.live->remove(item.id);
    Q_EMIT advanced();
    Q_EMIT snapshotApplied(snapshot.seq, int(snapshot.items.size()));
}

void RoomFeed::handle(const proto::Synced &message)
{
    if (!m_catchUp.isActive())
        return;
    if (const auto snapshot = m_catchUp.finish(message))
        applySnapshot(*snapshot);
    settleCommittedUnseen();
    m_haveBoard = true;
    m_parts.connection->synced();
    Q_EMIT advanced();
    Q_EMIT synced(message.head);
}

void RoomFeed::settleCommittedUnseen()
{
    // Committed before this connection but not in the catch-up (only possible in snapshot mode, for chat older
    // than the history the server sends): nothing more to show for them.
    for (const OutboxEntry &entry : m_parts.outbox->takeCommittedUnseen()) {
        if (proto::isMessageOp(entry.op.kind))
            m_parts.chat->removePending(entry.cseq);
        else
            m_parts.board->removePending(entry.key);
    }
}

// ---- the room's log ----

void RoomFeed::handle(const Op &incoming)
{
    if (!isWelcomed() || incoming.seq == 0)
        return;
    if (m_catchUp.isActive())
        crashPoint("catchup");
    if (const auto snapshot = m_catchUp.beforeOp(incoming.seq))
        applySnapshot(*snapshot);

    const QString &you = m_parts.room->you();
    const bool own = !you.isEmpty() && incoming.client == you;
    const Outbox::Answer answer = own ? m_parts.outbox->seenCommitted(incoming) : Outbox::Answer {};
    const OutboxEntry *mine = answer.outcome == Outbox::Outcome::Settled ? &answer.entry : nullptr;

    bool isNew = false;
    const bool fresh = incoming.seq > m_parts.board->confirmed().seq();
    if (fresh) {
        if (mine)
            m_parts.board->confirmPending(mine->key, incoming);
        else
            m_parts.board->applyConfirmed(incoming);
        isNew = proto::isBoardOp(incoming.kind);
    } else if (mine) {
        m_parts.board->removePending(mine->key); // already part of the board (the snapshot has it)
    }
    if (proto::isMessageOp(incoming.kind)) {
        if (mine && m_parts.chat->confirm(mine->cseq, incoming.seq, incoming.time)) {
            isNew = true;
        } else {
            const proto::Colour colour = own ? m_colour : m_parts.room->colourOf(incoming.client, 0xff808080);
            ChatMessage message {incoming.seq,    incoming.cseq, incoming.client,
                                 incoming.author, colour,        incoming.text,
                                 incoming.time,   own,           false};
            if (incoming.kind == OpKind::Direct) {
                message.peer = own ? incoming.target : incoming.client;
                message.peerName = own ? nameOf(incoming.target) : incoming.author;
            }
            // History after a snapshot may repeat messages this client has: the chat list knows them by seq.
            isNew = m_parts.chat->addConfirmed(message);
        }
    } else if (incoming.kind == OpKind::Add && incoming.item.id != m_parts.volatiles->strokeId()) {
        m_parts.live->remove(incoming.item.id); // the stroke somebody was drawing is on the board now
    } else if (fresh && !proto::isBoardOp(incoming.kind)) {
        m_parts.room->applyControl(incoming); // roles, the default role, the lock (a kick: presence follows)
        isNew = true;
    }
    if (isNew) {
        if (!own)
            m_parts.people->noteActivity(incoming.client);
        Q_EMIT advanced();
        Q_EMIT opApplied(incoming, own);
    }
}

QString RoomFeed::nameOf(const QString &client) const
{
    const proto::Member *member = m_parts.room->member(client);
    return member ? member->name : client;
}

void RoomFeed::handle(const proto::Ack &ack)
{
    const Outbox::Answer answer = m_parts.outbox->acknowledge(ack);
    if (answer.outcome != Outbox::Outcome::Settled)
        return; // settled already (seen in a catch-up)
    const OutboxEntry &entry = answer.entry;
    Op op = entry.op;
    op.seq = ack.seq;
    op.client = m_parts.room->you();
    op.author = m_name;
    op.time = ack.time > 0 ? ack.time : QDateTime::currentMSecsSinceEpoch();
    if (ack.duplicate && (ack.seq == 0 || ack.seq <= m_parts.board->confirmed().seq())) {
        // Committed long ago at a place in the log this board went past without it: cannot be placed here. Our
        // board can no longer be trusted to match the log: start again from a snapshot.
        m_parts.board->removePending(entry.key);
        if (proto::isMessageOp(op.kind))
            m_parts.chat->removePending(entry.cseq);
        Q_EMIT problem(tr("A change was committed out of sight of this client; reloading the board."));
        m_haveBoard = false;
        m_parts.connection->restart();
        return;
    }
    m_parts.board->confirmPending(entry.key, op);
    if (proto::isMessageOp(op.kind))
        m_parts.chat->confirm(entry.cseq, op.seq, op.time);
    else if (!proto::isBoardOp(op.kind))
        m_parts.room->applyControl(op);
    Q_EMIT advanced();
    // Signals last: a listener may leave() the room in response.
    Q_EMIT acknowledged(entry.cseq, ack.seq);
    Q_EMIT opApplied(op, true);
}

void RoomFeed::handle(const proto::Reject &reject)
{
    const Outbox::Answer answer = m_parts.outbox->refuse(reject);
    switch (answer.outcome) {
    case Outbox::Outcome::Unknown:
    case Outbox::Outcome::Settled:
        return;
    case Outbox::Outcome::Retrying:
    case Outbox::Outcome::Renumbering:
        Q_EMIT changeDeferred(reject.cseq, proto::errorCodeName(reject.code));
        return;
    case Outbox::Outcome::Refused:
        break;
    }
    const OutboxEntry &entry = answer.entry;
    m_parts.board->removePending(entry.key);
    if (proto::isMessageOp(entry.op.kind))
        m_parts.chat->removePending(entry.cseq);
    m_parts.refusals->add(entry.op, reject);
    Q_EMIT changeRejected(entry.cseq, proto::opKindName(entry.op.kind), proto::errorCodeName(reject.code),
                          reject.message);
}

// ---- presence and volatile updates ----

void RoomFeed::handle(const proto::Presence &presence)
{
    if (!isWelcomed() || !m_parts.room->apply(presence))
        return;
    if (presence.event == proto::PresenceEvent::Left)
        m_parts.live->removeClient(presence.member.client);
    Q_EMIT presenceEvent(presence);
}

void RoomFeed::handle(const proto::Cursor &cursor)
{
    if (!isWelcomed() || cursor.client.isEmpty() || cursor.client == m_parts.room->you())
        return;
    m_parts.people->setCursor(cursor.client, QPointF(cursor.x, cursor.y), cursor.visible);
    Q_EMIT cursorReceived(cursor);
}

void RoomFeed::handle(const proto::Typing &typing)
{
    if (!isWelcomed() || typing.client.isEmpty() || typing.client == m_parts.room->you())
        return;
    m_parts.room->setTyping(typing.client, typing.active);
    m_parts.people->setTyping(typing.client, typing.active);
    Q_EMIT typingReceived(typing.client, typing.active);
}

void RoomFeed::handle(const proto::Live &live)
{
    if (!isWelcomed() || live.client.isEmpty() || live.client == m_parts.room->you())
        return;
    // A stroke whose item is already on the board is finished; late points do not bring it back.
    if (!m_parts.board->confirmed().contains(live.id)) {
        const proto::Member *author = m_parts.room->member(live.client);
        m_parts.live->apply(live, author ? author->name : QString());
    }
    m_parts.people->noteActivity(live.client);
    Q_EMIT liveReceived(live);
}

bool RoomFeed::isFromOther(const QString &client) const
{
    return isWelcomed() && !client.isEmpty() && client != m_parts.room->you() && m_parts.room->member(client);
}

void RoomFeed::handle(const proto::View &view)
{
    if (isFromOther(view.client))
        Q_EMIT viewReceived(view);
}

void RoomFeed::handle(const proto::Laser &laser)
{
    if (!isFromOther(laser.client))
        return;
    m_parts.people->noteActivity(laser.client);
    Q_EMIT laserReceived(laser);
}

void RoomFeed::handle(const proto::Summon &summon)
{
    if (isFromOther(summon.client))
        Q_EMIT summonReceived(summon);
}

void RoomFeed::handle(const proto::Error &error)
{
    Q_EMIT serverError(proto::errorCodeName(error.code), error.message, error.fatal);
}

} // namespace inkroom::client
