#pragma once

#include "catchup.h"
#include "protocol.h"

#include <QObject>

#include <optional>

namespace inkroom::client {

class BoardDocument;
class ChatModel;
class Connection;
class LiveStrokesModel;
class Outbox;
class PeopleModel;
class RefusalsModel;
class RoomState;
class UndoStack;
class VolatileSender;
struct OutboxEntry;

/** @brief Applies what the server sends to this client's view of the room: the welcome and its catch-up, ops in
 * the room's order, answers to our own ops, presence and volatile updates.
 *
 * It keeps where this client stands in the room's log (epoch, and whether the confirmed board is that log up to its
 * seq), which is the resume point of the next hello. Every op reaches the board and chat exactly once, ours by its
 * ack or by its place in the log, whichever comes first.
 */
class RoomFeed : public QObject
{
    Q_OBJECT

public:
    //! The parts it feeds; all outlive it (the Session owns them).
    struct Parts
    {
        Connection *connection;
        Outbox *outbox;
        RoomState *room;
        UndoStack *undo;
        VolatileSender *volatiles;
        BoardDocument *board;
        ChatModel *chat;
        PeopleModel *people;
        LiveStrokesModel *live;
        RefusalsModel *refusals;
    };

    RoomFeed(const Parts &parts, QObject *parent = nullptr);

    //! Our name and colour, for our own ops as the chat shows them.
    void setSelf(const QString &name, proto::Colour colour);
    //! The epoch the journal remembered (the board is not on disk: the next join takes a snapshot).
    void start(const QString &epoch);
    void clear();
    [[nodiscard]] const QString &epoch() const { return m_epoch; }
    //! Where the next hello resumes from; nullopt: ask for a snapshot.
    [[nodiscard]] std::optional<proto::ResumePoint> resumePoint() const;
    [[nodiscard]] const CatchUp::Stats &stats() const { return m_catchUp.stats(); }

    //! The hello went out (with this resume point, or none).
    void helloSent(const std::optional<proto::ResumePoint> &resume);
    //! The link went away: a catch-up in progress is void.
    void linkLost() { m_catchUp.abort(); }
    void dispatch(const proto::Message &message);

Q_SIGNALS:
    void welcomed(const inkroom::proto::Welcome &welcome);
    void synced(quint64 head);
    void roomReset(const QString &epoch);
    void snapshotApplied(quint64 seq, int items);
    void opApplied(const inkroom::proto::Op &op, bool own);
    void acknowledged(quint64 cseq, quint64 seq);
    void changeRejected(quint64 cseq, const QString &kind, const QString &code, const QString &message);
    void changeDeferred(quint64 cseq, const QString &code);
    void serverError(const QString &code, const QString &message, bool fatal);
    void presenceEvent(const inkroom::proto::Presence &presence);
    void typingReceived(const QString &client, bool active);
    void cursorReceived(const inkroom::proto::Cursor &cursor);
    void liveReceived(const inkroom::proto::Live &live);
    //! A member's view, laser trail or summon (never our own; never from somebody not in the room).
    void viewReceived(const inkroom::proto::View &view);
    void laserReceived(const inkroom::proto::Laser &laser);
    void summonReceived(const inkroom::proto::Summon &summon);
    //! The answer to a history request (HistoryFetcher pages with it).
    void historyPage(const inkroom::proto::HistoryPage &page);
    void problem(const QString &message);
    //! The confirmed board moved on: the resume point is worth saving.
    void advanced();

private:
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
    void handle(const proto::View &view);
    void handle(const proto::Laser &laser);
    void handle(const proto::Summon &summon);
    void handle(const proto::Error &error);
    //! Is this volatile update from another member of the room, after our welcome?
    [[nodiscard]] bool isFromOther(const QString &client) const;
    void handle(const proto::HistoryPage &page) { Q_EMIT historyPage(page); }
    template<class T> void handle(const T &) { }
    void applySnapshot(const CatchUp::Board &snapshot);
    void settleCommittedUnseen();
    [[nodiscard]] bool isWelcomed() const;
    //! A member's name, or the client id of somebody not here.
    [[nodiscard]] QString nameOf(const QString &client) const;

    Parts m_parts;
    CatchUp m_catchUp;
    QString m_epoch;
    bool m_haveBoard = false; //!< the confirmed board is the log of m_epoch up to its seq
    QString m_name;
    proto::Colour m_colour = 0xff000000;
};

} // namespace inkroom::client
