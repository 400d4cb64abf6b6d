#include "journal.h"
#include "protocol.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace inkroom::client;

namespace {

const QString kServer = u"ws://127.0.0.1:7420"_s;
const QString kRoom = u"design"_s;

//! Open a journal and wait for it.
std::optional<JournalState> openJournal(Journal &journal, const QString &dir, const QString &room = kRoom)
{
    QSignalSpy opened(&journal, &Journal::opened);
    QSignalSpy failed(&journal, &Journal::failed);
    journal.open(dir, kServer, room);
    if (!QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, 5000) || opened.isEmpty())
        return std::nullopt;
    return opened.first().first().value<JournalState>();
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<JournalState>(); }

    void keepsOpsCeilingsAndTheResumePoint()
    {
        QTemporaryDir dir;
        QString clientId;
        QString secret;
        {
            Journal journal;
            const auto state = openJournal(journal, dir.path());
            QVERIFY(state);
            QVERIFY(state->clientId.size() >= 8);
            QVERIFY(inkroom::proto::isValidSecret(state->secret));
            QCOMPARE(state->cseqCeiling, 1u);
            QVERIFY(state->pending.isEmpty());
            QCOMPARE(state->slot, 0);
            clientId = state->clientId;
            secret = state->secret;
            QSignalSpy durable(&journal, &Journal::durable);
            journal.raiseCeilings(257, 300);
            journal.append(1, "op-1");
            journal.append(2, "op-2");
            const JournalTicket last = journal.append(3, "op-3");
            journal.remove({2});
            journal.raiseCeilings(100, 100); // never lowers them
            journal.setResumePoint(u"epoch-a"_s, 42);
            // Writes that arrive together share a transaction; either way "durable" reaches the last append.
            QTRY_VERIFY(!durable.isEmpty() && durable.last().first().toULongLong() >= last);
        } // destroyed: queued writes finish first
        Journal journal;
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QCOMPARE(state->clientId, clientId);
        QCOMPARE(state->secret, secret);
        QCOMPARE(state->cseqCeiling, 257u);
        QCOMPARE(state->itemCeiling, 300u);
        QCOMPARE(state->epoch, u"epoch-a"_s);
        QCOMPARE(state->seq, 42u);
        QCOMPARE(state->pending.size(), 2);
        QCOMPARE(state->pending.at(0), std::make_pair(quint64(1), QByteArray("op-1")));
        QCOMPARE(state->pending.at(1), std::make_pair(quint64(3), QByteArray("op-3")));
    }

    void syncsEveryCommit()
    {
        // WAL with synchronous=FULL (2): a commit survives a power cut, which is what lets an op go to the server.
        QTemporaryDir dir;
        Journal journal;
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QCOMPARE(state->synchronous, 2);
        journal.close();
        journal.flush();
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        {
            db.setDatabaseName(state->path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal"_s);
        }
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"probe"_s);
    }

    void aFailedCommitBreaksTheJournalUntilARewrite()
    {
        QTemporaryDir dir;
        auto faults = std::make_shared<JournalFaults>();
        Journal journal;
        journal.setFaults(faults);
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QSignalSpy durable(&journal, &Journal::durable);
        QSignalSpy failed(&journal, &Journal::writeFailed);
        QSignalSpy recovered(&journal, &Journal::recovered);
        const JournalTicket first = journal.append(1, "kept");
        QTRY_VERIFY(!durable.isEmpty() && durable.last().first().toULongLong() >= first);

        // The next two commits fail (the append above was the first).
        faults->failFrom = 2;
        faults->failCount = 2;
        journal.append(2, "lost-1");
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(journal.isBroken());
        durable.clear();
        journal.append(3, "dropped while broken");
        journal.flush();
        QVERIFY(durable.isEmpty());

        // A rewrite that fails too keeps it broken; the next one puts everything back.
        JournalState whole = *state;
        whole.cseqCeiling = 512;
        whole.pending = {{1, "kept"}, {2, "lost-1"}, {3, "dropped while broken"}};
        journal.rewrite(whole);
        QTRY_COMPARE(failed.count(), 2);
        const JournalTicket back = journal.rewrite(whole);
        QTRY_COMPARE(recovered.count(), 1);
        QTRY_VERIFY(!durable.isEmpty() && durable.last().first().toULongLong() >= back);
        QVERIFY(!journal.isBroken());
        const JournalTicket after = journal.append(4, "after");
        QTRY_VERIFY(durable.last().first().toULongLong() >= after);
        journal.close();
        journal.flush();

        Journal again;
        const auto reopened = openJournal(again, dir.path());
        QVERIFY(reopened);
        QCOMPARE(reopened->pending.size(), 4);
        QCOMPARE(reopened->cseqCeiling, 512u);
        QCOMPARE(reopened->clientId, state->clientId);
    }

    void aDeletedFileIsNoticedAndMadeAgain()
    {
        QTemporaryDir dir;
        Journal journal;
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QSignalSpy failed(&journal, &Journal::writeFailed);
        QSignalSpy recovered(&journal, &Journal::recovered);
        journal.append(1, "one");
        journal.flush();
        QVERIFY(QFile::remove(state->path));
        QFile::remove(state->path + u"-wal"_s);
        QFile::remove(state->path + u"-shm"_s);
        journal.append(2, "two");
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(u"deleted"_s));
        JournalState whole = *state;
        whole.pending = {{1, "one"}, {2, "two"}};
        journal.rewrite(whole);
        QTRY_VERIFY2(recovered.count() == 1, qPrintable(failed.last().first().toString()));
        QVERIFY(QFile::exists(state->path));
        journal.close();
        journal.flush();
        Journal again;
        const auto reopened = openJournal(again, dir.path());
        QVERIFY(reopened);
        QCOMPARE(reopened->clientId, state->clientId);
        QCOMPARE(reopened->pending.size(), 2);
    }

    void snapshotsAreTheFilesAsAtASyncPoint()
    {
        QTemporaryDir dir;
        QTemporaryDir copies;
        auto faults = std::make_shared<JournalFaults>();
        faults->snapshotDirectory = copies.path();
        QString name;
        {
            Journal journal;
            journal.setFaults(faults);
            const auto state = openJournal(journal, dir.path());
            QVERIFY(state);
            name = QFileInfo(state->path).fileName();
            journal.append(1, "synced");
            journal.flush();
            faults->snapshotDirectory.clear(); // later commits are "lost in the power cut"
            journal.append(2, "never synced");
            journal.flush();
        }
        // Restart from the copy: only what was on disk at the last sync point is there.
        QTemporaryDir restarted;
        const QString latest = JournalFaults::latestSnapshot(copies.path());
        QVERIFY(!latest.isEmpty());
        QVERIFY(QFile::copy(QDir(latest).filePath(name), QDir(restarted.path()).filePath(name)));
        QFile::copy(QDir(latest).filePath(name + u"-wal"_s), QDir(restarted.path()).filePath(name + u"-wal"_s));
        Journal journal;
        const auto state = openJournal(journal, restarted.path());
        QVERIFY(state);
        QCOMPARE(state->pending.size(), 1);
        QCOMPARE(state->pending.first().second, QByteArray("synced"));
    }

    void aVersionOneJournalKeepsItsNumbers()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(Journal::fileStem(kServer, kRoom) + u".0.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s));
            QVERIFY(q.exec(u"CREATE TABLE outbox (cseq INTEGER PRIMARY KEY, op BLOB NOT NULL)"_s));
            QVERIFY(q.exec(u"INSERT INTO meta VALUES ('version','1'),('client_id','old-client-0001'),"
                           "('next_cseq','40'),('next_item','77')"_s));
            QVERIFY(q.exec(u"INSERT INTO outbox VALUES (39, 'op-39')"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"v1"_s);
        Journal journal;
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QCOMPARE(state->clientId, u"old-client-0001"_s);
        QVERIFY(inkroom::proto::isValidSecret(state->secret)); // version 1 had none: one is made
        QCOMPARE(state->cseqCeiling, 40u);
        QCOMPARE(state->itemCeiling, 77u);
        QCOMPARE(state->pending.size(), 1);
    }

    void eachRoomHasItsOwnJournal()
    {
        QTemporaryDir dir;
        Journal a;
        Journal b;
        const auto first = openJournal(a, dir.path(), u"one"_s);
        const auto second = openJournal(b, dir.path(), u"two"_s);
        QVERIFY(first && second);
        QCOMPARE(first->slot, 0);
        QCOMPARE(second->slot, 0);
        QVERIFY(first->path != second->path);
        QVERIFY(first->clientId != second->clientId);
    }

    void twoRunningInstancesNeverShareAnIdentity()
    {
        QTemporaryDir dir;
        auto a = std::make_unique<Journal>();
        auto b = std::make_unique<Journal>();
        const auto first = openJournal(*a, dir.path());
        const auto second = openJournal(*b, dir.path());
        QVERIFY(first && second);
        QCOMPARE(first->slot, 0);
        QCOMPARE(second->slot, 1);
        QVERIFY(first->clientId != second->clientId);
        // The first goes away: the next instance takes its (empty) identity back.
        a.reset();
        Journal c;
        const auto third = openJournal(c, dir.path());
        QVERIFY(third);
        QCOMPARE(third->clientId, first->clientId);
    }

    void aFreeIdentityWithUnsentWorkIsPreferred()
    {
        QTemporaryDir dir;
        QString busyId;
        {
            Journal a;
            Journal b;
            QVERIFY(openJournal(a, dir.path()));
            const auto second = openJournal(b, dir.path());
            QVERIFY(second);
            busyId = second->clientId;
            b.append(1, "left behind");
        }
        // One instance now: it picks up the identity that still has something to deliver.
        Journal c;
        const auto state = openJournal(c, dir.path());
        QVERIFY(state);
        QCOMPARE(state->clientId, busyId);
        QCOMPARE(state->pending.size(), 1);
    }

    void aLockLeftByACrashedProcessIsTakenOver()
    {
        QTemporaryDir dir;
        QString clientId;
        QString lockPath;
        {
            Journal a;
            const auto state = openJournal(a, dir.path());
            QVERIFY(state);
            clientId = state->clientId;
            lockPath = state->path;
            lockPath.replace(u".sqlite"_s, u".lock"_s);
        }
        // What a crashed process leaves: a lock file naming a process that is gone.
        QFile lock(lockPath);
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write("2147483000\ninkroom\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        lock.close();
        Journal b;
        const auto state = openJournal(b, dir.path());
        QVERIFY(state);
        QCOMPARE(state->slot, 0);
        QCOMPARE(state->clientId, clientId);
    }

    void writesNeverWaitForTheDisk()
    {
        // Two thousand appends queue without touching the disk on this thread: a slow disk (every commit takes
        // 200 ms here) costs the caller nothing. Checked by order, not by a clock: every append returned before
        // the first commit could have finished.
        QTemporaryDir dir;
        auto faults = std::make_shared<JournalFaults>();
        Journal journal;
        journal.setFaults(faults);
        QVERIFY(openJournal(journal, dir.path()));
        faults->commitDelayMs = 200;
        QSignalSpy durable(&journal, &Journal::durable);
        const QByteArray op(2000, 'x');
        JournalTicket last = 0;
        for (quint64 cseq = 1; cseq <= 2000; ++cseq)
            last = journal.append(cseq, op);
        QVERIFY(durable.isEmpty());
        journal.flush();
        QTRY_VERIFY(!durable.isEmpty() && durable.last().first().toULongLong() == last);
        // Appends that were queued together shared a few transactions, not one each.
        QVERIFY2(durable.count() < 20, qPrintable(QString::number(durable.count())));
    }

    void anUnusableDirectoryFails()
    {
        Journal journal;
        QSignalSpy failed(&journal, &Journal::failed);
        journal.open(u"/proc/inkroom-cannot-be-here"_s, kServer, kRoom);
        QTRY_COMPARE(failed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_client_journal.moc"
