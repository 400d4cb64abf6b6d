#include "walcheckpointer.h"

#include "logging.h"

#include <QAtomicInt>
#include <QDeadlineTimer>
#include <QMutexLocker>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {
QAtomicInt s_counter;
} // namespace

WalCheckpointer::WalCheckpointer(const QString &path, int busyTimeoutMs)
    : m_path(path)
    , m_busyTimeoutMs(busyTimeoutMs)
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(u"inkroom-wal-checkpointer"_s);
    m_thread->start(QThread::LowPriority);
}

WalCheckpointer::~WalCheckpointer()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

void WalCheckpointer::wrote()
{
    QMutexLocker lock(&m_mutex);
    if (!m_pending) {
        m_pending = true;
        m_wake.wakeAll();
    }
}

int WalCheckpointer::checkpoints() const
{
    QMutexLocker lock(&m_mutex);
    return m_checkpoints;
}

void WalCheckpointer::run()
{
    const QString name = u"inkroom-wal-checkpointer-%1"_s.arg(s_counter.fetchAndAddRelaxed(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(qMax(0, m_busyTimeoutMs)));
        if (!db.open())
            qCWarning(lcStore).noquote() << "cannot open" << m_path
                                         << "to checkpoint its WAL:" << db.lastError().text();
        QMutexLocker lock(&m_mutex);
        while (!m_stopping) {
            if (!m_pending) {
                m_wake.wait(&m_mutex);
                continue;
            }
            m_pending = false;
            lock.unlock();
            if (db.isOpen()) {
                QSqlQuery q(db);
                // PASSIVE: as many frames as can be copied without waiting for the writer or readers.
                if (!q.exec(u"PRAGMA wal_checkpoint(PASSIVE)"_s))
                    qCDebug(lcStore).noquote() << "a WAL checkpoint did not run:" << q.lastError().text();
            }
            lock.relock();
            ++m_checkpoints;
            // Commits close together share the next checkpoint.
            const QDeadlineTimer pause(kIntervalMs);
            while (!m_stopping && !pause.hasExpired())
                m_wake.wait(&m_mutex, pause);
        }
        lock.unlock();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace inkroom::server
