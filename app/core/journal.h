#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace inkroom::client {

//! Numbers given out are below ceilings the journal keeps on disk; ceilings rise by this much at a time.
inline constexpr quint64 JournalCeilingBlock = 256;

//! What a journal holds when it is opened, and what a full rewrite puts back.
struct JournalState
{
    QString path; //!< the SQLite file
    int slot = 0; //!< which of the identities for this server and room
    QString clientId;
    QString secret; //!< proves clientId is ours (hello.secret); made with the id, never changes
    //! Every cseq and item number that may ever have been given out is below these: numbering starts here.
    quint64 cseqCeiling = 1;
    quint64 itemCeiling = 1;
    QString epoch; //!< the room epoch last seen, empty if never joined
    quint64 seq = 0; //!< the last sequence applied in that epoch
    QList<std::pair<quint64, QByteArray>> pending; //!< encoded ops not yet settled, in cseq order
    int synchronous = 0; //!< SQLite's PRAGMA synchronous on the journal's connection (2: FULL)
};

/** @brief What tests make a journal do wrong: slow commits, failed commits, and copies of its files at every sync
 *  point (what a power cut would leave).
 *
 * Production code never sets one, except from the INKROOM_JOURNAL_FAULTS environment variable (see
 * fromEnvironment()), which the crash tests give to inkroom-cli.
 */
struct JournalFaults
{
    //! Every commit takes at least this long (a slow disk).
    std::atomic<int> commitDelayMs {0};
    //! Commits numbered [failFrom, failFrom + failCount) fail, counting the commits of writes from 1 (0: none).
    std::atomic<int> failFrom {0};
    std::atomic<int> failCount {0};
    //! After every commit that reached the disk, the database and its WAL are copied into a new folder here.
    QString snapshotDirectory;
    //! The folder of the last complete copy in snapshotDirectory (empty: none yet).
    [[nodiscard]] static QString latestSnapshot(const QString &snapshotDirectory);

    /** INKROOM_JOURNAL_FAULTS="delay=MS,fail=FROM:COUNT,snapshot=DIR" (any subset); nullptr when unset or when
     *  it does not parse (a warning says so). */
    [[nodiscard]] static std::shared_ptr<JournalFaults> fromEnvironment();
};

//! A numbered promise that a write will reach the disk; durable() reports the highest one that has.
using JournalTicket = quint64;

class JournalWorker;

//! A new random client secret: 32 bytes from the system's generator, base64url.
[[nodiscard]] QString newClientSecret();

/** @brief The client's on-disk outbox for one (server, room, identity): client id and secret, the numbering
 * ceilings, unsettled ops and the resume point, in SQLite (WAL, synchronous=FULL).
 *
 * Every call returns at once: the work runs in order on a worker thread that owns the database connection, so the
 * GUI thread never waits for the disk. Writes that arrive together share one transaction and one sync. Each write
 * returns a ticket; durable(t) says that every write up to ticket t is on disk (a commit with synchronous=FULL has
 * synced the WAL), which is what the outbox waits for before it sends an op: the server never sees a cseq that a
 * crash or a power cut could take back.
 *
 * When a commit fails (disk full, read-only, the file deleted), writeFailed() says why and the journal is broken:
 * it drops every write until rewrite() has put a whole state back (re-creating the file if it is gone), which
 * emits recovered() and durable() for the rewrite's ticket.
 *
 * Two running instances never share an identity: each identity is a slot with its own QLockFile. A second
 * instance takes the next free slot, which has its own client id. A slot whose owner crashed is free again
 * (QLockFile detects the dead process). When opening, a free slot that still holds unsettled ops is preferred, so
 * whatever a second instance left behind is delivered by the next instance that runs.
 */
class Journal : public QObject
{
    Q_OBJECT

public:
    explicit Journal(QObject *parent = nullptr);
    //! Finishes every queued write and releases the lock (blocks only for the queued writes).
    ~Journal() override;

    //! Make commits slow, fail or leave copies (tests). Set before open().
    void setFaults(std::shared_ptr<JournalFaults> faults);

    //! Opens the journal of server + room in directory. Exactly one of opened() or failed() follows.
    void open(const QString &directory, const QString &server, const QString &room);
    [[nodiscard]] bool isOpen() const { return m_open; }
    //! A commit failed and no rewrite has succeeded since.
    [[nodiscard]] bool isBroken() const { return m_broken; }

    //! Keep an op (encoded) under its cseq.
    JournalTicket append(quint64 cseq, const QByteArray &op);
    //! Raise the numbering ceilings (never lowers them).
    JournalTicket raiseCeilings(quint64 cseqCeiling, quint64 itemCeiling);
    //! Drop settled ops: acknowledged, refused for good, or settled by a welcome.
    JournalTicket remove(const QList<quint64> &cseqs);
    //! Replace everything with state (renumbered ops; or, when broken, the whole state again).
    JournalTicket rewrite(const JournalState &state);
    JournalTicket setResumePoint(const QString &epoch, quint64 seq);
    //! Queued writes finish first, then the file is closed and its lock released.
    void close();
    //! Wait until every queued write is done. For tests and shutdown; never called from code QML reaches.
    void flush();
    /** Wait for an open() under way and return what it found (nullopt: it failed, or was taken already). For
     *  closing a room whose journal is still opening: what was made meanwhile must reach it first. */
    std::optional<JournalState> waitUntilOpen();

    //! The file name stem shared by the slots of one server and room.
    [[nodiscard]] static QString fileStem(const QString &server, const QString &room);
    //! Is there a journal of server + room in directory (its first slot)?
    [[nodiscard]] static bool exists(const QString &directory, const QString &server, const QString &room);

Q_SIGNALS:
    void opened(const inkroom::client::JournalState &state);
    void failed(const QString &error);
    //! Every write up to and including ticket is on disk.
    void durable(inkroom::client::JournalTicket ticket);
    //! A commit failed: the journal is broken until a rewrite() succeeds.
    void writeFailed(const QString &error);
    void recovered();

private:
    JournalTicket post(std::function<void(JournalWorker &, JournalTicket)> command);

    std::unique_ptr<JournalWorker> m_worker;
    JournalTicket m_nextTicket = 1;
    bool m_open = false;
    bool m_broken = false;
};

} // namespace inkroom::client
