#include "journal.h"

#include "protocol.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>
#include <QVariant>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

constexpr int MaxSlots = 32;
constexpr int SchemaVersion = 1;

QString newClientId()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

QString newClientSecret()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

namespace { } // namespace

//! Owns the database connection and the lock; runs queued commands in order on its own thread.
class JournalWorker
{
public:
    using Command = std::function<void(JournalWorker &)>;

    explicit JournalWorker(Journal *journal)
        : m_journal(journal)
        , m_connectionName(u"inkroom-journal-%1"_s.arg(quintptr(this), 0, 16))
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->setObjectName(u"inkroom-journal"_s);
        m_thread->start();
    }

    ~JournalWorker()
    {
        post([](JournalWorker &w) { w.closeDatabase(); });
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread->wait();
    }

    void post(Command command)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(command));
        }
        m_wake.notify_all();
    }

    void flush()
    {
        std::unique_lock lock(m_mutex);
        m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
    }

    // ---- called on the worker thread only ----

    void open(const QString &directory, const QString &server, const QString &room)
    {
        closeDatabase();
        if (!QDir().mkpath(directory)) {
            reportOpenFailure(u"cannot create the state directory %1"_s.arg(directory));
            return;
        }
        const QString stem = QDir(directory).filePath(Journal::fileStem(server, room));

        // Find the slots we can lock; prefer the lowest one that still has unsent ops, else the lowest free one.
        int chosen = -1;
        std::unique_ptr<QLockFile> chosenLock;
        for (int slot = 0; slot < MaxSlots; ++slot) {
            const QString path = u"%1.%2.sqlite"_s.arg(stem).arg(slot);
            auto lock = std::make_unique<QLockFile>(u"%1.%2.lock"_s.arg(stem).arg(slot));
            lock->setStaleLockTime(0); // a lock is stale only when its process is gone, never because of its age
            const bool exists = QFileInfo::exists(path);
            if (!lock->tryLock(0)) {
                if (!exists && lock->error() != QLockFile::LockFailedError)
                    break; // cannot lock at all (permissions): stop here
                continue;
            }
            if (!exists) {
                if (chosen < 0) {
                    chosen = slot;
                    chosenLock = std::move(lock);
                }
                break; // slots are created in order: nothing exists past the first missing one
            }
            if (pendingCount(path) > 0) {
                chosen = slot;
                chosenLock = std::move(lock);
                break;
            }
            if (chosen < 0) {
                chosen = slot;
                chosenLock = std::move(lock);
            }
        }
        if (chosen < 0) {
            reportOpenFailure(u"every journal slot for this room is in use by another running instance"_s);
            return;
        }

        const QString path = u"%1.%2.sqlite"_s.arg(stem).arg(chosen);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(path);
        if (!db.open()) {
            const QString error = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            reportOpenFailure(u"cannot open the journal %1: %2"_s.arg(path, error));
            return;
        }
        m_lock = std::move(chosenLock);
        m_dbOpen = true;

        QString error;
        JournalState state;
        state.path = path;
        state.slot = chosen;
        if (!initialise(db, server, room, &state, &error)) {
            closeDatabase();
            reportOpenFailure(u"cannot read the journal %1: %2"_s.arg(path, error));
            return;
        }
        QMetaObject::invokeMethod(
            m_journal, [journal = m_journal, state] { Q_EMIT journal->opened(state); }, Qt::QueuedConnection);
    }

    void closeDatabase()
    {
        commit();
        if (m_dbOpen) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(m_connectionName);
            m_dbOpen = false;
        }
        m_lock.reset();
    }

    //! Runs one write inside the batch's transaction.
    void write(const std::function<bool(QSqlDatabase &)> &statement)
    {
        if (!m_dbOpen)
            return;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (!m_inTransaction) {
            if (!db.transaction()) {
                reportWriteFailure(db.lastError().text());
                return;
            }
            m_inTransaction = true;
        }
        if (!statement(db))
            m_batchFailed = true;
    }

    void noteAppended(quint64 cseq) { m_savedCseq = std::max(m_savedCseq, cseq); }

    void reportWriteFailure(const QString &error)
    {
        QMetaObject::invokeMethod(
            m_journal, [journal = m_journal, error] { Q_EMIT journal->writeFailed(error); }, Qt::QueuedConnection);
    }

private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty() && m_stop)
                break;
            std::deque<Command> batch;
            batch.swap(m_queue);
            m_busy = true;
            lock.unlock();
            for (Command &command : batch)
                command(*this);
            commit();
            lock.lock();
            m_busy = false;
            m_idle.notify_all();
        }
        lock.unlock();
        closeDatabase();
    }

    void commit()
    {
        if (!m_inTransaction)
            return;
        m_inTransaction = false;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (m_batchFailed || !db.commit()) {
            const QString error = m_batchFailed ? u"a statement failed"_s : db.lastError().text();
            db.rollback();
            m_batchFailed = false;
            m_savedCseq = 0;
            reportWriteFailure(error);
            return;
        }
        if (m_savedCseq) {
            const quint64 cseq = m_savedCseq;
            m_savedCseq = 0;
            QMetaObject::invokeMethod(
                m_journal, [journal = m_journal, cseq] { Q_EMIT journal->saved(cseq); }, Qt::QueuedConnection);
        }
    }

    void reportOpenFailure(const QString &error)
    {
        QMetaObject::invokeMethod(
            m_journal, [journal = m_journal, error] { Q_EMIT journal->failed(error); }, Qt::QueuedConnection);
    }

    qint64 pendingCount(const QString &path)
    {
        const QString name = m_connectionName + u"-probe"_s;
        qint64 count = 0;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(u"SELECT count(*) FROM outbox"_s) && query.next())
                    count = query.value(0).toLongLong();
                query.finish();
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(name);
        return count;
    }

    static bool exec(QSqlQuery &query, const QString &sql, QString *error)
    {
        if (query.exec(sql))
            return true;
        *error = query.lastError().text();
        return false;
    }

    static bool initialise(QSqlDatabase &db, const QString &server, const QString &room, JournalState *state,
                           QString *error)
    {
        QSqlQuery query(db);
        // WAL + NORMAL: each commit is durable against a crash of the app, and writers never fsync per commit.
        if (!exec(query, u"PRAGMA journal_mode=WAL"_s, error) || !exec(query, u"PRAGMA synchronous=NORMAL"_s, error)
            || !exec(query, u"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s, error)
            || !exec(query, u"CREATE TABLE IF NOT EXISTS outbox (cseq INTEGER PRIMARY KEY, op BLOB NOT NULL)"_s,
                     error)) {
            return false;
        }
        QHash<QString, QString> meta;
        if (!exec(query, u"SELECT key, value FROM meta"_s, error))
            return false;
        while (query.next())
            meta.insert(query.value(0).toString(), query.value(1).toString());

        state->clientId = meta.value(u"client_id"_s);
        state->secret = meta.value(u"secret"_s);
        const bool fresh = !proto::isValidClientId(state->clientId);
        if (fresh)
            state->clientId = newClientId();
        if (fresh || !proto::isValidSecret(state->secret))
            state->secret = newClientSecret();
        state->nextCseq = std::max<quint64>(1, meta.value(u"next_cseq"_s).toULongLong());
        state->nextItem = std::max<quint64>(1, meta.value(u"next_item"_s).toULongLong());
        state->epoch = meta.value(u"epoch"_s);
        state->seq = meta.value(u"seq"_s).toULongLong();

        if (!exec(query, u"SELECT cseq, op FROM outbox ORDER BY cseq"_s, error))
            return false;
        while (query.next()) {
            const quint64 cseq = query.value(0).toULongLong();
            state->pending.append({cseq, query.value(1).toByteArray()});
            state->nextCseq = std::max(state->nextCseq, cseq + 1);
        }
        query.finish();

        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        const auto set = [&db](const QString &key, const QString &value) {
            QSqlQuery q(db);
            q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
            q.addBindValue(key);
            q.addBindValue(value);
            return q.exec();
        };
        const bool ok = set(u"version"_s, QString::number(SchemaVersion)) && set(u"client_id"_s, state->clientId)
            && set(u"secret"_s, state->secret) && set(u"server"_s, server) && set(u"room"_s, room)
            && set(u"next_cseq"_s, QString::number(state->nextCseq))
            && set(u"next_item"_s, QString::number(state->nextItem));
        if (!ok || !db.commit()) {
            *error = db.lastError().text();
            db.rollback();
            return false;
        }
        return true;
    }

    Journal *m_journal;
    QString m_connectionName;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Command> m_queue;
    bool m_stop = false;
    bool m_busy = false;

    // worker thread state
    std::unique_ptr<QLockFile> m_lock;
    bool m_dbOpen = false;
    bool m_inTransaction = false;
    bool m_batchFailed = false;
    quint64 m_savedCseq = 0;
};

namespace {

bool setMeta(QSqlDatabase &db, const QString &key, const QString &value)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
    q.addBindValue(key);
    q.addBindValue(value);
    return q.exec();
}

} // namespace

Journal::Journal(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<JournalWorker>(this))
{
    connect(this, &Journal::opened, this, [this] { m_open = true; });
}

Journal::~Journal()
{
    m_worker.reset();
}

QString Journal::fileStem(const QString &server, const QString &room)
{
    const QByteArray key = server.toUtf8() + '\n' + room.toUtf8();
    return u"room-"_s + QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
}

void Journal::open(const QString &directory, const QString &server, const QString &room)
{
    m_open = false;
    m_worker->post([directory, server, room](JournalWorker &w) { w.open(directory, server, room); });
}

void Journal::append(quint64 cseq, const QByteArray &op, quint64 nextCseq, quint64 nextItem)
{
    m_worker->post([=](JournalWorker &w) {
        w.write([&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"INSERT OR REPLACE INTO outbox (cseq, op) VALUES (?, ?)"_s);
            q.addBindValue(qlonglong(cseq));
            q.addBindValue(op);
            return q.exec() && setMeta(db, u"next_cseq"_s, QString::number(nextCseq))
                && setMeta(db, u"next_item"_s, QString::number(nextItem));
        });
        w.noteAppended(cseq);
    });
}

void Journal::remove(const QList<quint64> &cseqs)
{
    if (cseqs.isEmpty())
        return;
    m_worker->post([cseqs](JournalWorker &w) {
        w.write([&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"DELETE FROM outbox WHERE cseq = ?"_s);
            for (quint64 cseq : cseqs) {
                q.bindValue(0, qlonglong(cseq));
                if (!q.exec())
                    return false;
            }
            return true;
        });
    });
}

void Journal::setCounters(quint64 nextCseq, quint64 nextItem)
{
    m_worker->post([=](JournalWorker &w) {
        w.write([&](QSqlDatabase &db) {
            return setMeta(db, u"next_cseq"_s, QString::number(nextCseq))
                && setMeta(db, u"next_item"_s, QString::number(nextItem));
        });
    });
}

void Journal::setResumePoint(const QString &epoch, quint64 seq)
{
    m_worker->post([=](JournalWorker &w) {
        w.write([&](QSqlDatabase &db) {
            return setMeta(db, u"epoch"_s, epoch) && setMeta(db, u"seq"_s, QString::number(seq));
        });
    });
}

void Journal::close()
{
    m_open = false;
    m_worker->post([](JournalWorker &w) { w.closeDatabase(); });
}

void Journal::flush()
{
    m_worker->flush();
}

} // namespace inkroom::client
