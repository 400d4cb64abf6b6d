#include "journal.h"

#include "crashpoints.h"
#include "privatefiles.h"
#include "protocol.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSaveFile>
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
#include <optional>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

constexpr int MaxSlots = 32;
constexpr int SchemaVersion = 2;

QString newClientId()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

//! Why the last statement of a write failed (on the journal's thread).
thread_local QString t_statementError;

//! q.exec(), remembering why it failed.
bool runStatement(QSqlQuery &q, const QString &sql = {})
{
    if (sql.isEmpty() ? q.exec() : q.exec(sql))
        return true;
    t_statementError = q.lastError().text();
    return false;
}

bool execSql(QSqlQuery &query, const QString &sql, QString *error)
{
    if (query.exec(sql))
        return true;
    *error = query.lastError().text();
    return false;
}

bool setMeta(QSqlDatabase &db, const QString &key, const QString &value)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
    q.addBindValue(key);
    q.addBindValue(value.isNull() ? u""_s : value); // a null QString would bind as NULL
    return runStatement(q);
}

//! A ceiling only ever rises: a stored value above the one written wins.
bool raiseMeta(QSqlDatabase &db, const QString &key, quint64 value)
{
    QSqlQuery q(db);
    q.prepare(
        u"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
        "CASE WHEN CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER) THEN excluded.value ELSE value END"_s);
    q.addBindValue(key);
    q.addBindValue(QString::number(value));
    return runStatement(q);
}

} // namespace

QString newClientSecret()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::shared_ptr<JournalFaults> JournalFaults::fromEnvironment()
{
    const QString spec = qEnvironmentVariable("INKROOM_JOURNAL_FAULTS");
    if (spec.isEmpty())
        return nullptr;
    auto faults = std::make_shared<JournalFaults>();
    for (const QString &part : spec.split(u',', Qt::SkipEmptyParts)) {
        const QString key = part.section(u'=', 0, 0);
        const QString value = part.section(u'=', 1);
        bool ok = true;
        if (key == "delay"_L1) {
            faults->commitDelayMs = value.toInt(&ok);
        } else if (key == "fail"_L1) {
            bool ok2 = false;
            faults->failFrom = value.section(u':', 0, 0).toInt(&ok);
            faults->failCount = value.section(u':', 1).toInt(&ok2);
            ok = ok && ok2;
        } else if (key == "snapshot"_L1) {
            faults->snapshotDirectory = value;
        } else {
            ok = false;
        }
        if (!ok) {
            qWarning("INKROOM_JOURNAL_FAULTS: cannot read '%s'; no faults", qPrintable(part));
            return nullptr;
        }
    }
    return faults;
}

QString JournalFaults::latestSnapshot(const QString &snapshotDirectory)
{
    QFile pointer(QDir(snapshotDirectory).filePath(u"current"_s));
    if (!pointer.open(QIODevice::ReadOnly))
        return {};
    const QString generation = QString::fromUtf8(pointer.readAll()).trimmed();
    return generation.isEmpty() ? QString() : QDir(snapshotDirectory).filePath(generation);
}

//! Owns the database connection and the lock; runs queued commands in order on its own thread.
class JournalWorker
{
public:
    using Command = std::function<void(JournalWorker &)>;

    JournalWorker(Journal *journal, std::shared_ptr<JournalFaults> faults)
        : m_journal(journal)
        , m_faults(std::move(faults))
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

    std::optional<JournalState> takeOpenedState()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_openedState, std::nullopt);
    }

    // ---- called on the worker thread only ----

    void open(const QString &directory, const QString &server, const QString &room)
    {
        closeDatabase();
        if (!files::makePrivateDirectory(directory)) {
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
                if (lock->error() != QLockFile::LockFailedError) {
                    reportOpenFailure(u"cannot write in the state directory %1 (the lock file %2 cannot be made)"_s.arg(
                        directory, QFileInfo(lock->fileName()).fileName()));
                    return;
                }
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

        m_path = u"%1.%2.sqlite"_s.arg(stem).arg(chosen);
        m_server = server;
        m_room = room;
        QString error;
        if (!openDatabase(&error)) {
            reportOpenFailure(u"cannot open the journal %1: %2"_s.arg(m_path, error));
            return;
        }
        m_lock = std::move(chosenLock);

        JournalState state;
        state.path = m_path;
        state.slot = chosen;
        if (!initialise(&state, &error)) {
            closeDatabase();
            reportOpenFailure(u"cannot read the journal %1: %2"_s.arg(m_path, error));
            return;
        }
        if (m_faults && !m_faults->snapshotDirectory.isEmpty())
            snapshot(); // the identity is on disk from here on
        {
            std::lock_guard lock(m_mutex);
            m_openedState = state;
        }
        QMetaObject::invokeMethod(
            m_journal, [journal = m_journal, state] { Q_EMIT journal->opened(state); }, Qt::QueuedConnection);
    }

    void closeDatabase()
    {
        commit();
        dropConnection();
        m_lock.reset();
    }

    //! Runs one write inside the batch's transaction; dropped while the journal is broken.
    void write(JournalTicket ticket, const std::function<bool(QSqlDatabase &)> &statement)
    {
        if (!m_dbOpen || m_broken)
            return;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (!m_inTransaction) {
            if (!db.transaction()) {
                breakWith(db.lastError().text());
                return;
            }
            m_inTransaction = true;
        }
        t_statementError.clear();
        if (!statement(db)) {
            m_batchFailed = true;
            m_batchError = t_statementError.isEmpty() ? u"a statement failed"_s : t_statementError;
        }
        m_batchTicket = std::max(m_batchTicket, ticket);
    }

    //! Everything again, in one transaction of its own; the way out of a broken journal.
    void rewrite(JournalTicket ticket, const JournalState &state)
    {
        commit();
        QString error;
        if ((!m_dbOpen || !QFileInfo::exists(m_path)) && !reopen(&error)) {
            breakWith(error);
            return;
        }
        m_broken = false;
        write(ticket, [&state](QSqlDatabase &db) {
            QSqlQuery q(db);
            if (!runStatement(q, u"DELETE FROM outbox"_s))
                return false;
            q.prepare(u"INSERT INTO outbox (cseq, op) VALUES (?, ?)"_s);
            for (const auto &[cseq, bytes] : state.pending) {
                q.bindValue(0, qlonglong(cseq));
                q.bindValue(1, bytes);
                if (!runStatement(q))
                    return false;
            }
            return setMeta(db, u"client_id"_s, state.clientId) && setMeta(db, u"secret"_s, state.secret)
                && raiseMeta(db, u"cseq_ceiling"_s, state.cseqCeiling)
                && raiseMeta(db, u"item_ceiling"_s, state.itemCeiling) && setMeta(db, u"epoch"_s, state.epoch)
                && setMeta(db, u"seq"_s, QString::number(state.seq));
        });
        if (commit())
            QMetaObject::invokeMethod(
                m_journal, [journal = m_journal] { Q_EMIT journal->recovered(); }, Qt::QueuedConnection);
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

    bool openDatabase(QString *error)
    {
        // What this user drew and wrote, and the client id's secret: for this user only.
        if (!files::preparePrivateDatabase(m_path, error))
            return false;
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(m_path);
        if (!db.open()) {
            *error = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            return false;
        }
        m_dbOpen = true;
        QSqlQuery query(db);
        // WAL + FULL: a commit has synced the WAL when it returns, so it survives a power cut as well as a crash.
        // Only durable commits let ops go to the server (see Journal), so NORMAL's lost tail would be lost work.
        if (!execSql(query, u"PRAGMA journal_mode=WAL"_s, error) || !execSql(query, u"PRAGMA synchronous=FULL"_s, error)
            || !execSql(query, u"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s, error)
            || !execSql(query, u"CREATE TABLE IF NOT EXISTS outbox (cseq INTEGER PRIMARY KEY, op BLOB NOT NULL)"_s,
                        error)) {
            query.finish();
            dropConnection();
            return false;
        }
        return true;
    }

    //! The file went away (or never opened): make it again where it was.
    bool reopen(QString *error)
    {
        dropConnection();
        if (!files::makePrivateDirectory(QFileInfo(m_path).absolutePath())) {
            *error = u"cannot create the state directory %1"_s.arg(QFileInfo(m_path).absolutePath());
            return false;
        }
        if (!openDatabase(error))
            return false;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        return setMeta(db, u"version"_s, QString::number(SchemaVersion)) && setMeta(db, u"server"_s, m_server)
            && setMeta(db, u"room"_s, m_room);
    }

    void dropConnection()
    {
        m_inTransaction = false;
        m_batchFailed = false;
        if (!m_dbOpen)
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
        m_dbOpen = false;
    }

    //! Commit the batch; true when it reached the disk (or there was nothing to commit).
    bool commit()
    {
        if (!m_inTransaction)
            return true;
        m_inTransaction = false;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        QString error;
        ++m_commits;
        if (m_faults && m_faults->commitDelayMs > 0)
            QThread::msleep(ulong(m_faults->commitDelayMs));
        if (m_batchFailed)
            error = m_batchError;
        else if (m_faults && m_faults->failFrom > 0 && m_commits >= m_faults->failFrom
                 && m_commits < m_faults->failFrom + m_faults->failCount)
            error = u"simulated write failure (commit %1)"_s.arg(m_commits);
        else if (!QFileInfo::exists(m_path))
            error = u"the journal file %1 was deleted"_s.arg(m_path);
        else if (!db.commit())
            error = db.lastError().text();
        m_batchFailed = false;
        if (!error.isEmpty()) {
            db.rollback();
            breakWith(error);
            return false;
        }
        if (m_faults && !m_faults->snapshotDirectory.isEmpty())
            snapshot();
        crashPoint("journal");
        const JournalTicket ticket = std::exchange(m_batchTicket, 0);
        if (ticket) {
            QMetaObject::invokeMethod(
                m_journal, [journal = m_journal, ticket] { Q_EMIT journal->durable(ticket); }, Qt::QueuedConnection);
        }
        return true;
    }

    //! The files as they are at this sync point: what a power cut right now would leave.
    void snapshot()
    {
        // The database and its WAL belong together: each sync point gets a folder of its own, and a pointer that
        // is replaced atomically names the last complete one (a kill in the middle leaves the previous one named).
        const QDir root(m_faults->snapshotDirectory);
        const QString previous = JournalFaults::latestSnapshot(root.path());
        const QString generation =
            QString::number(QDateTime::currentMSecsSinceEpoch()) + u'-' + QString::number(++m_snapshots);
        if (!root.mkpath(generation))
            return;
        const QDir target(root.filePath(generation));
        for (const QString &suffix : {QString(), u"-wal"_s}) {
            const QString from = m_path + suffix;
            if (QFile::exists(from) && !QFile::copy(from, target.filePath(QFileInfo(m_path).fileName() + suffix)))
                return;
        }
        QSaveFile pointer(root.filePath(u"current"_s));
        if (!pointer.open(QIODevice::WriteOnly) || pointer.write(generation.toUtf8()) < 0 || !pointer.commit())
            return;
        if (!previous.isEmpty())
            QDir(previous).removeRecursively();
    }

    void breakWith(const QString &error)
    {
        m_broken = true;
        m_batchTicket = 0;
        QMetaObject::invokeMethod(
            m_journal, [journal = m_journal, error] { Q_EMIT journal->writeFailed(error); }, Qt::QueuedConnection);
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

    bool initialise(JournalState *state, QString *error)
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        QSqlQuery query(db);
        QHash<QString, QString> meta;
        if (!execSql(query, u"SELECT key, value FROM meta"_s, error))
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
        // Version 1 kept the next numbers instead of ceilings: they are ceilings as good as any.
        state->cseqCeiling = std::max<quint64>(
            1, std::max(meta.value(u"cseq_ceiling"_s).toULongLong(), meta.value(u"next_cseq"_s).toULongLong()));
        state->itemCeiling = std::max<quint64>(
            1, std::max(meta.value(u"item_ceiling"_s).toULongLong(), meta.value(u"next_item"_s).toULongLong()));
        state->epoch = meta.value(u"epoch"_s);
        state->seq = meta.value(u"seq"_s).toULongLong();
        if (!execSql(query, u"PRAGMA synchronous"_s, error) || !query.next())
            return false;
        state->synchronous = query.value(0).toInt();

        if (!execSql(query, u"SELECT cseq, op FROM outbox ORDER BY cseq"_s, error))
            return false;
        while (query.next()) {
            const quint64 cseq = query.value(0).toULongLong();
            state->pending.append({cseq, query.value(1).toByteArray()});
            state->cseqCeiling = std::max(state->cseqCeiling, cseq + 1);
        }
        query.finish();

        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        const bool ok = setMeta(db, u"version"_s, QString::number(SchemaVersion))
            && setMeta(db, u"client_id"_s, state->clientId) && setMeta(db, u"secret"_s, state->secret)
            && setMeta(db, u"server"_s, m_server) && setMeta(db, u"room"_s, m_room)
            && raiseMeta(db, u"cseq_ceiling"_s, state->cseqCeiling)
            && raiseMeta(db, u"item_ceiling"_s, state->itemCeiling);
        if (!ok || !db.commit()) {
            *error = db.lastError().text();
            db.rollback();
            return false;
        }
        return true;
    }

    Journal *m_journal;
    std::shared_ptr<JournalFaults> m_faults;
    QString m_connectionName;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Command> m_queue;
    std::optional<JournalState> m_openedState; //!< what the last open found, until taken (under m_mutex)
    bool m_stop = false;
    bool m_busy = false;

    // worker thread state
    std::unique_ptr<QLockFile> m_lock;
    QString m_path;
    QString m_server;
    QString m_room;
    bool m_dbOpen = false;
    bool m_inTransaction = false;
    bool m_batchFailed = false;
    QString m_batchError;
    bool m_broken = false;
    JournalTicket m_batchTicket = 0;
    int m_commits = 0;
    int m_snapshots = 0;
};

Journal::Journal(QObject *parent)
    : QObject(parent)
{
    connect(this, &Journal::opened, this, [this] { m_open = true; });
    connect(this, &Journal::writeFailed, this, [this] { m_broken = true; });
    connect(this, &Journal::recovered, this, [this] { m_broken = false; });
}

Journal::~Journal()
{
    m_worker.reset();
}

void Journal::setFaults(std::shared_ptr<JournalFaults> faults)
{
    Q_ASSERT(!m_worker);
    // None given: the environment may still ask for them (the crash tests run inkroom-cli so).
    m_worker = std::make_unique<JournalWorker>(this, faults ? std::move(faults) : JournalFaults::fromEnvironment());
}

QString Journal::fileStem(const QString &server, const QString &room)
{
    const QByteArray key = server.toUtf8() + '\n' + room.toUtf8();
    return u"room-"_s + QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
}

bool Journal::exists(const QString &directory, const QString &server, const QString &room)
{
    return !directory.isEmpty() && QFileInfo::exists(QDir(directory).filePath(fileStem(server, room) + u".0.sqlite"_s));
}

JournalTicket Journal::post(std::function<void(JournalWorker &, JournalTicket)> command)
{
    if (!m_worker)
        m_worker = std::make_unique<JournalWorker>(this, JournalFaults::fromEnvironment());
    const JournalTicket ticket = m_nextTicket++;
    m_worker->post([ticket, command = std::move(command)](JournalWorker &w) { command(w, ticket); });
    return ticket;
}

void Journal::open(const QString &directory, const QString &server, const QString &room)
{
    m_open = false;
    m_broken = false;
    post([directory, server, room](JournalWorker &w, JournalTicket) { w.open(directory, server, room); });
}

JournalTicket Journal::append(quint64 cseq, const QByteArray &op)
{
    return post([cseq, op](JournalWorker &w, JournalTicket ticket) {
        w.write(ticket, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"INSERT OR REPLACE INTO outbox (cseq, op) VALUES (?, ?)"_s);
            q.addBindValue(qlonglong(cseq));
            q.addBindValue(op);
            return runStatement(q);
        });
    });
}

JournalTicket Journal::raiseCeilings(quint64 cseqCeiling, quint64 itemCeiling)
{
    return post([=](JournalWorker &w, JournalTicket ticket) {
        w.write(ticket, [&](QSqlDatabase &db) {
            return raiseMeta(db, u"cseq_ceiling"_s, cseqCeiling) && raiseMeta(db, u"item_ceiling"_s, itemCeiling);
        });
    });
}

JournalTicket Journal::remove(const QList<quint64> &cseqs)
{
    return post([cseqs](JournalWorker &w, JournalTicket ticket) {
        w.write(ticket, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"DELETE FROM outbox WHERE cseq = ?"_s);
            for (quint64 cseq : cseqs) {
                q.bindValue(0, qlonglong(cseq));
                if (!runStatement(q))
                    return false;
            }
            return true;
        });
    });
}

JournalTicket Journal::rewrite(const JournalState &state)
{
    return post([state](JournalWorker &w, JournalTicket ticket) { w.rewrite(ticket, state); });
}

JournalTicket Journal::setResumePoint(const QString &epoch, quint64 seq)
{
    return post([=](JournalWorker &w, JournalTicket ticket) {
        w.write(ticket, [&](QSqlDatabase &db) {
            return setMeta(db, u"epoch"_s, epoch) && setMeta(db, u"seq"_s, QString::number(seq));
        });
    });
}

void Journal::close()
{
    m_open = false;
    if (m_worker)
        m_worker->post([](JournalWorker &w) { w.closeDatabase(); });
}

void Journal::flush()
{
    if (m_worker)
        m_worker->flush();
}

std::optional<JournalState> Journal::waitUntilOpen()
{
    if (!m_worker)
        return std::nullopt;
    m_worker->flush();
    return m_worker->takeOpenedState();
}

} // namespace inkroom::client
