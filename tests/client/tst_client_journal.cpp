#include "journal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostInfo>
#include <QSignalSpy>
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

    void keepsOpsCountersAndTheResumePoint()
    {
        QTemporaryDir dir;
        QString clientId;
        {
            Journal journal;
            const auto state = openJournal(journal, dir.path());
            QVERIFY(state);
            QVERIFY(state->clientId.size() >= 8);
            QCOMPARE(state->nextCseq, 1u);
            QVERIFY(state->pending.isEmpty());
            QCOMPARE(state->slot, 0);
            clientId = state->clientId;
            QSignalSpy saved(&journal, &Journal::saved);
            journal.append(1, "op-1", 2, 5);
            journal.append(2, "op-2", 3, 5);
            journal.append(3, "op-3", 4, 6);
            journal.remove({2});
            journal.setResumePoint(u"epoch-a"_s, 42);
            // Appends that arrive together share a transaction; either way "saved" reaches 3.
            QTRY_VERIFY(!saved.isEmpty() && saved.last().first().toULongLong() == 3u);
        } // destroyed: queued writes finish first
        Journal journal;
        const auto state = openJournal(journal, dir.path());
        QVERIFY(state);
        QCOMPARE(state->clientId, clientId);
        QCOMPARE(state->nextCseq, 4u);
        QCOMPARE(state->nextItem, 6u);
        QCOMPARE(state->epoch, u"epoch-a"_s);
        QCOMPARE(state->seq, 42u);
        QCOMPARE(state->pending.size(), 2);
        QCOMPARE(state->pending.at(0), std::make_pair(quint64(1), QByteArray("op-1")));
        QCOMPARE(state->pending.at(1), std::make_pair(quint64(3), QByteArray("op-3")));
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
            b.append(1, "left behind", 2, 1);
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
        QTemporaryDir dir;
        Journal journal;
        QVERIFY(openJournal(journal, dir.path()));
        const QByteArray op(2000, 'x');
        QElapsedTimer timer;
        timer.start();
        for (quint64 cseq = 1; cseq <= 2000; ++cseq)
            journal.append(cseq, op, cseq + 1, 1);
        const qint64 queued = timer.elapsed();
        journal.flush();
        qInfo("2,000 appends queued in %lld ms, on disk after %lld ms", queued, timer.elapsed());
        QVERIFY2(queued < 200, qPrintable(QString::number(queued)));
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
