#pragma once

#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <memory>

class QThread;

namespace inkroom::server {

/** @brief Checkpoints an SQLite database's WAL on a thread of its own, so that copying the WAL into the database file
 *  (and syncing that file) is not done by a commit on the server's thread.
 *
 * SQLite checkpoints in the commit that leaves more than 1,000 pages (4 MB) in the WAL, on the committing thread: with
 * 10,000-point strokes arriving that was several times a second, 4 MB copied and the database file synced each time
 * (measured: fdatasync calls of up to 48 ms on the server's thread, a third of its time waiting for the disk). The
 * store's own connection keeps its automatic checkpoint only as a backstop (at a larger WAL), and this runs a PASSIVE
 * checkpoint, which never waits for the writer nor makes it wait, on its own connection soon after commits. Commits
 * are as durable as before: each syncs the WAL (synchronous=FULL); a checkpoint only moves what is durable already into
 * the database file.
 */
class WalCheckpointer
{
public:
    //! For the SQLite database at path (opened in WAL mode by the store); starts its thread.
    WalCheckpointer(const QString &path, int busyTimeoutMs);
    //! Stops the thread (a checkpoint under way finishes first).
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    //! A commit wrote to the WAL: checkpoint soon (several commits close together share one checkpoint).
    void wrote();
    //! Checkpoints run so far (for tests).
    [[nodiscard]] int checkpoints() const;

    //! How long the thread waits after a checkpoint before the next, so that busy commits share them.
    static constexpr int kIntervalMs = 50;

private:
    void run();

    const QString m_path;
    const int m_busyTimeoutMs;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_pending = false;
    bool m_stopping = false;
    int m_checkpoints = 0;
    std::unique_ptr<QThread> m_thread;
};

} // namespace inkroom::server
