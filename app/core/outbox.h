#pragma once

#include "journal.h"
#include "protocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace inkroom::client {

class Pacer;

//! One change made here and not yet settled.
struct OutboxEntry
{
    quint64 key = 0; //!< orders the entry on the board (BoardDocument's pending key); never changes
    quint64 cseq = 0; //!< 0 while unnumbered (before the journal is open)
    proto::Op op; //!< op.cseq == cseq
    JournalTicket ticket = 0; //!< the journal write that holds it (0: nothing to wait for)
    qint64 madeAtMs = 0; //!< monotonic
    bool sent = false; //!< sent on this connection and not answered yet
    qint64 bytes = 0; //!< the size of its encoding when it was numbered (what the byte pacing will count)
};

/** @brief The changes this client made that the room has not settled: numbering, the journal, pacing, the in-flight
 * window, and settling by ack, reject and welcome.
 *
 * Holds the durability invariant (docs/PROTOCOL.md, "Durability on the client"): an op goes to the server only once
 * the journal transaction that holds it is on disk, numbers (cseq and item numbers) are given out below ceilings
 * the journal keeps on disk, and a restarted outbox numbers from the ceilings. A journal that cannot be written is
 * reported at once; the work stays here and ops whose numbers are below the ceilings already on disk still go.
 *
 * Answers: an ack or a catch-up op settles an op; a transient reject (retry) keeps it, pauses sending until every
 * op in flight is answered and a backoff has passed, then sends again from it, in order; cseq_reused and cseq_ahead
 * renumber what is waiting above what the room acknowledged; any other reject takes the op out for good and says so.
 *
 * No sockets: the Session tells it when a connection is usable (linkUp()/linkDown()) and gives it a function to send
 * with, so tests drive it alone.
 */
class Outbox : public QObject
{
    Q_OBJECT

public:
    struct Timings
    {
        int maxInFlight = 32; //!< ops sent and not answered, at most
        int retryInitialMs = 250; //!< the pause after a transient refusal, doubling per refusal in a row
        int retryMaxMs = 8000;
        int journalRetryMs = 5000; //!< a broken journal is written again this often
    };

    //! What an answer did to the outbox.
    enum class Outcome {
        Unknown, //!< no such op here (settled already)
        Settled, //!< acknowledged (or seen committed): entry is it, with the room's seq
        Refused, //!< refused for good: entry is it, out of the outbox
        Retrying, //!< a transient refusal: kept, sent again later
        Renumbering, //!< cseq_reused / cseq_ahead: kept, numbered again before it goes
    };
    struct Answer
    {
        Outcome outcome = Outcome::Unknown;
        OutboxEntry entry;
    };

    explicit Outbox(Pacer *pacer, QObject *parent = nullptr);
    ~Outbox() override;

    void setTimings(const Timings &timings);
    /** How an op goes out: the op and its encoding (what the server counts against its byte rate of ops; the pacer
     *  counts the same bytes). */
    void setSender(std::function<void(const proto::Op &, const QByteArray &)> send) { m_send = std::move(send); }
    /** What an op waits for besides the journal: false holds it (and every op after it, to keep the order) back until
     *  poke(). An image op waits for its picture to be on the server (docs/PROTOCOL.md, "Images"). */
    void setGate(std::function<bool(const proto::Op &)> gate) { m_gate = std::move(gate); }
    //! What the gate waited for may have arrived: send what can go now.
    void poke() { pump(); }
    //! Journal faults for tests; set before open().
    void setJournalFaults(std::shared_ptr<JournalFaults> faults) { m_faults = std::move(faults); }

    // ---- identity and journal ----

    /** Open the journal of server + room in directory (empty: keep everything in memory under a new identity).
     *  ready() follows once the identity is known. */
    void open(const QString &directory, const QString &server, const QString &room);
    //! Forget everything (queued journal writes finish first).
    void close();
    [[nodiscard]] bool isReady() const { return m_ready; }
    [[nodiscard]] const QString &clientId() const { return m_clientId; }
    [[nodiscard]] const QString &secret() const { return m_secret; }
    //! The epoch and seq the journal had (empty epoch when it had none).
    [[nodiscard]] const QString &journalEpoch() const { return m_epoch; }
    //! Keeps the journal on disk (false: memory only, a problem was reported).
    [[nodiscard]] bool isPersistent() const { return m_journal != nullptr; }
    //! Empty while changes reach the disk; otherwise why they do not.
    [[nodiscard]] const QString &journalProblem() const { return m_journalProblem; }
    void setResumePoint(const QString &epoch, quint64 seq);

    // ---- changes ----

    /** A fresh item id ("<client id>:<n>"), below the journal's ceiling. Before the identity is known, a
     *  provisional id that becomes a real one then (itemsRenamed()); ops that name it are renamed as they queue. */
    [[nodiscard]] QString newItemId();
    //! Queue a change; returns it as queued (the board draws it under its key until it is settled).
    OutboxEntry submit(proto::Op op);
    //! The id an item has now: a provisional id's real one once the identity is known, any other id as it is.
    [[nodiscard]] QString currentItemId(const QString &id) const { return m_renamed.value(id, id); }
    //! Changes not settled yet (also those not numbered yet).
    [[nodiscard]] int pendingCount() const { return int(m_entries.size() + m_unnumbered.size()); }
    [[nodiscard]] const QList<OutboxEntry> &entries() const { return m_entries; }
    [[nodiscard]] const QList<OutboxEntry> &unnumbered() const { return m_unnumbered; }
    //! How long the oldest unsettled change has waited, in ms (0: none).
    [[nodiscard]] qint64 oldestAgeMs() const;
    //! Seconds until what is waiting has been sent at the paced rates, of messages and of bytes (0: nothing, or no
    //! pace known).
    [[nodiscard]] int secondsToDrain() const;
    //! The highest cseq given out so far (0: none).
    [[nodiscard]] quint64 lastNumbered() const { return m_nextCseq - 1; }

    // ---- the connection ----

    /** A connection is welcomed: settle by welcome.acked (what is committed moves to committedUnseen), or, when
     *  acked is beyond anything numbered here, renumber everything above it; then send at the welcome's pace. */
    void linkUp(const proto::Welcome &welcome);
    //! The connection is gone: everything in flight counts as unsent.
    void linkDown();
    [[nodiscard]] bool isLinkUp() const { return m_linkUp; }

    Answer acknowledge(const proto::Ack &ack);
    Answer refuse(const proto::Reject &reject);
    //! An op of ours in the room's log (catch-up): it settles the op with that cseq, wherever it waits.
    Answer seenCommitted(const proto::Op &op);
    //! Settled by welcome.acked and not seen in the catch-up yet: take them (boardOnly: only the board ops, which a
    //! snapshot holds; the chat waits for the history that follows it).
    QList<OutboxEntry> takeCommittedUnseen(bool boardOnly = false);

Q_SIGNALS:
    //! The identity is known (clientId()), before anything made meanwhile is numbered.
    void identityKnown();
    //! The journal opened (or memory only); the entries it held and those made meanwhile are in entries().
    void ready();
    void pendingCountChanged();
    //! Every op up to cseq that was queued is on disk.
    void saved(quint64 cseq);
    void journalProblemChanged();
    //! Something the user should know: the journal cannot be used, an identity conflict, ...
    void problem(const QString &message);
    //! Provisional item ids became real ones (provisional -> real), before any op naming them was numbered.
    void itemsRenamed(const QHash<QString, QString> &ids);
    //! A change got its cseq (at once, or once the journal opened).
    void numbered(const inkroom::proto::Op &op);
    //! Entries were numbered again: old cseq -> new cseq (keys did not change).
    void renumbered(const QHash<quint64, quint64> &cseqs);

private:
    void onJournalOpened(const JournalState &state);
    void onJournalDurable(JournalTicket ticket);
    void onJournalBroken(const QString &error);
    void numberAndJournal(OutboxEntry &entry);
    //! The op with provisional item ids replaced by real ones.
    void rename(proto::Op &op) const;
    void raiseCeilingsFor(quint64 cseq, quint64 item);
    [[nodiscard]] bool isSendable(const OutboxEntry &entry) const;
    [[nodiscard]] JournalState stateForRewrite() const;
    void renumber(quint64 base);
    void pause();
    void maybeResume();
    void pump();
    void schedulePump(int delayMs);
    void notifyPending();
    [[nodiscard]] qsizetype indexOf(quint64 cseq) const;
    OutboxEntry takeAt(qsizetype index);

    Pacer *m_pacer;
    Timings m_timings;
    std::function<void(const proto::Op &, const QByteArray &)> m_send;
    std::function<bool(const proto::Op &)> m_gate;
    std::shared_ptr<JournalFaults> m_faults;
    QElapsedTimer m_clock;

    Journal *m_journal = nullptr;
    bool m_ready = false;
    bool m_closing = false; //!< close() is writing what was made while the journal opened
    QString m_clientId;
    QString m_secret;
    QString m_epoch;
    quint64 m_seq = 0;
    QString m_journalProblem;
    QTimer m_journalRetry;

    // numbering, against the ceilings on disk
    quint64 m_nextCseq = 1;
    quint64 m_nextItem = 1;
    quint64 m_cseqCeiling = 1; //!< promised to the journal
    quint64 m_itemCeiling = 1;
    quint64 m_durableCseqCeiling = 1; //!< known to be on disk
    quint64 m_durableItemCeiling = 1;
    struct CeilingWrite
    {
        JournalTicket ticket;
        quint64 cseq;
        quint64 item;
    };
    QList<CeilingWrite> m_ceilingWrites;
    JournalTicket m_durableTicket = 0;
    quint64 m_savedCseq = 0;

    QStringList m_provisional; //!< item ids given out before the identity was known, in order
    QHash<QString, QString> m_renamed; //!< provisional -> real

    quint64 m_nextKey = 1;
    QList<OutboxEntry> m_entries; //!< numbered, ascending cseq
    QList<OutboxEntry> m_unnumbered; //!< made before the journal was open
    QList<OutboxEntry> m_committedUnseen; //!< settled by welcome.acked, waiting to be seen in the catch-up

    // the connection
    bool m_linkUp = false;
    int m_inFlight = 0;
    quint64 m_knownAcked = 0; //!< the highest cseq the room told us it committed on this connection
    bool m_paused = false; //!< a transient refusal or a renumbering: wait for every answer, then go on
    bool m_renumberWanted = false;
    quint64 m_renumberBase = 0;
    int m_retryDelayMs = 0;
    QTimer m_retryTimer;
    QTimer m_pumpTimer;
    //! The next op's encoding while it waits for the pacer (its key and cseq say which op it is).
    struct Encoded
    {
        quint64 key = 0;
        quint64 cseq = 0;
        QByteArray bytes;
    };
    Encoded m_encoded;
    int m_lastPendingCount = 0;
};

} // namespace inkroom::client
