#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <utility>

namespace inkroom::client {

//! What a journal holds when it is opened.
struct JournalState
{
    QString path; //!< the SQLite file
    int slot = 0; //!< which of the identities for this server and room
    QString clientId;
    QString secret; //!< proves clientId is ours (hello.secret); made with the id, never changes
    quint64 nextCseq = 1;
    quint64 nextItem = 1; //!< item ids are "<client id>:<counter>"
    QString epoch; //!< the room epoch last seen, empty if never joined
    quint64 seq = 0; //!< the last sequence applied in that epoch
    QList<std::pair<quint64, QByteArray>> pending; //!< encoded ops not yet acknowledged, in cseq order
};

class JournalWorker;

//! A new random client secret: 32 bytes from the system's generator, base64url.
[[nodiscard]] QString newClientSecret();

/** @brief The client's on-disk outbox for one (server, room, identity): client id, cseq counter, unacknowledged ops
 * and the resume point, in SQLite.
 *
 * Every call returns at once: the work runs in order on a worker thread that owns the database connection.
 * Why a thread and not just WAL + synchronous=NORMAL on the GUI thread: a commit in WAL mode is usually tens of
 * microseconds, but a checkpoint fsyncs the database and can take tens of milliseconds on a slow or busy disk,
 * which is a dropped frame or worse. On the worker, writes that arrive together share one transaction, and the
 * GUI thread never touches the disk. The in-memory outbox in Session is the truth while the process runs; the
 * journal trails it by one worker turn (well under a millisecond when idle) and survives a crash of the app
 * (WAL + synchronous=NORMAL is durable against process crashes; a power cut may lose the last transactions).
 *
 * Two running instances never share an identity: each identity is a slot with its own QLockFile. A second
 * instance takes the next free slot, which has its own client id. A slot whose owner crashed is free again
 * (QLockFile detects the dead process). When opening, a free slot that still holds unsent ops is preferred, so
 * whatever a second instance left behind is delivered by the next instance that runs.
 */
class Journal : public QObject
{
    Q_OBJECT

public:
    explicit Journal(QObject *parent = nullptr);
    //! Finishes every queued write and releases the lock (blocks only for the queued writes).
    ~Journal() override;

    //! Opens the journal of server + room in directory. Exactly one of opened() or failed() follows.
    void open(const QString &directory, const QString &server, const QString &room);
    [[nodiscard]] bool isOpen() const { return m_open; }

    //! Store an op (encoded) and the counters that follow it.
    void append(quint64 cseq, const QByteArray &op, quint64 nextCseq, quint64 nextItem);
    //! Drop acknowledged, rejected or otherwise settled ops.
    void remove(const QList<quint64> &cseqs);
    void setCounters(quint64 nextCseq, quint64 nextItem);
    void setResumePoint(const QString &epoch, quint64 seq);
    //! Queued writes finish first, then the file is closed and its lock released.
    void close();
    //! Wait until every queued write is done. For tests and shutdown; never called from code QML reaches.
    void flush();

    //! The file name stem shared by the slots of one server and room.
    [[nodiscard]] static QString fileStem(const QString &server, const QString &room);

Q_SIGNALS:
    void opened(const inkroom::client::JournalState &state);
    void failed(const QString &error);
    //! Every op up to and including cseq that was appended is on disk.
    void saved(quint64 cseq);
    void writeFailed(const QString &error);

private:
    std::unique_ptr<JournalWorker> m_worker;
    bool m_open = false;
};

} // namespace inkroom::client
