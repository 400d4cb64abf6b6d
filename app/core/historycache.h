#pragma once

#include "protocol.h"

#include <QObject>
#include <QThread>

namespace inkroom::client {

class HistoryCacheWorker;

/** @brief The room history a client has fetched, kept on disk so that the timeline works offline, after a restart too.
 *
 * One file per server, room and epoch in the session's state directory (`history/<hash>.jsonl`, mode 0600 in a
 * 0700 folder): the board the history starts from as snapshot lines, then every op after it as op lines, in the
 * room's encoding, appended as pages and live ops arrive. Every file operation runs on a thread of its own: the GUI
 * thread only posts. A file that does not decode is read up to its first bad line (the ops are in order, so a torn
 * end is only less history) and never trusted further.
 */
class HistoryCache : public QObject
{
    Q_OBJECT

public:
    explicit HistoryCache(QObject *parent = nullptr);
    ~HistoryCache() override;

    //! The file for a room's history in stateDirectory (empty: nothing is kept, e.g. a session without a journal).
    [[nodiscard]] static QString pathFor(const QString &stateDirectory, const QString &server, const QString &room,
                                         const QString &epoch);

    //! Keep the history in path from now on (empty: keep nothing).
    void setPath(const QString &path);
    [[nodiscard]] QString path() const { return m_path; }
    //! Read what is kept; loaded() answers.
    void load();
    //! The history starts again from this board: what the file held is replaced.
    void saveBase(quint64 seq, const QList<proto::Item> &items);
    //! The next ops of the history, in seq order.
    void saveOps(const QList<proto::Op> &ops);

Q_SIGNALS:
    //! What path holds: found false when nothing (or nothing readable) is kept there.
    void loaded(const QString &path, bool found, quint64 seq, const QList<inkroom::proto::Item> &items,
                const QList<inkroom::proto::Op> &ops);
    //! A file could not be written (why, for people); the history in memory is not affected.
    void problem(const QString &message);

private:
    QString m_path;
    QThread m_thread;
    HistoryCacheWorker *m_worker;
};

} // namespace inkroom::client
