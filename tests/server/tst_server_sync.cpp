#include "protocollimits.h"
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"sync"_s;

//! Neither the message rate nor the byte rate of ops limits here.
void fastInput(server::ServerConfig &config)
{
    config.ratePerSecond = 1e6;
    config.rateBurst = 1000000;
    config.opKibPerSecond = 1 << 30;
    config.opBurstKib = 1 << 30;
}

//! Ops of every kind, so a board built from the log exercises all of Board's rules. Returns them as sent.
QList<Op> sendMixedOps(TestClient &client, int rounds)
{
    QList<Op> sent;
    const auto send = [&client, &sent](const Op &op) {
        client.send(op);
        sent.append(op);
    };
    for (int i = 0; i < rounds; ++i) {
        const Op add = client.makeAdd(2 + i % 5);
        send(add);
        Op update;
        update.kind = OpKind::Update;
        update.cseq = client.nextCseq++;
        update.item = add.item;
        update.item.colour = 0xffaa0000 + quint32(i);
        send(update);
        Op move;
        move.kind = OpKind::Move;
        move.cseq = client.nextCseq++;
        move.ids = {add.item.id};
        move.dx = 10;
        move.dy = -5;
        send(move);
        if (i % 4 == 3) {
            Op remove;
            remove.kind = OpKind::Remove;
            remove.cseq = client.nextCseq++;
            remove.ids = {add.item.id};
            send(remove);
        }
        if (i % 3 == 0)
            send(client.makeChat(u"chat %1"_s.arg(i)));
    }
    return sent;
}

} // namespace

class TestServerSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resumeSendsExactlyTheMissedOps()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        for (int i = 0; i < 5; ++i)
            ann.sendOp(ann.makeAdd());
        QVERIFY(bo.waitFor<Op>(5));
        const ResumePoint resume {bo.welcome()->epoch, bo.last<Op>()->seq};
        QCOMPARE(resume.seq, 5u);
        bo.close();

        QList<Op> sent;
        for (int i = 0; i < 3; ++i) {
            const Op op = i == 1 ? ann.makeChat(u"while you were away"_s) : ann.makeAdd();
            ann.send(op);
            sent.append(op);
        }
        QVERIFY(ann.waitForAnswer(sent.last().cseq));

        bo.clear();
        QVERIFY(bo.join(fixture.url(), kRoom, resume));
        const Welcome welcome = *bo.welcome();
        QVERIFY(!welcome.snapshot);
        QCOMPARE(welcome.head, 8u);
        QCOMPARE(welcome.epoch, resume.epoch);
        // welcome, ops 6, 7, 8 and synced: nothing else, no snapshot, no chat history on top.
        QCOMPARE(bo.messages().size(), 5);
        const QList<Op> ops = bo.all<Op>();
        QCOMPARE(ops.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(ops.at(i).seq, quint64(6 + i));
            QCOMPARE(ops.at(i).cseq, sent.at(i).cseq);
            QCOMPARE(ops.at(i).client, ann.clientId);
        }
        QCOMPARE(std::get<Synced>(bo.messages().last()).head, 8u);
        QCOMPARE(bo.count<Snapshot>(), 0);
    }

    void resumeAtHeadSendsNothing()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        const QString epoch = ann.welcome()->epoch;
        ann.close();
        ann.clear();
        QVERIFY(ann.join(fixture.url(), kRoom, ResumePoint {epoch, 1}));
        QCOMPARE(ann.messages().size(), 2);
        QVERIFY(!ann.welcome()->snapshot);
        QCOMPARE(ann.welcome()->acked, cseq);
    }

    void snapshotWhenResumeCannotWork_data()
    {
        QTest::addColumn<QString>("epoch");
        QTest::addColumn<quint64>("seq");
        QTest::addColumn<bool>("snapshot");
        QTest::newRow("no resume") << QString() << quint64(0) << true;
        QTest::newRow("same epoch, retained") << u"same"_s << quint64(36) << false;
        QTest::newRow("same epoch, from the start of the tail") << u"same"_s << quint64(35) << false;
        QTest::newRow("another epoch") << u"0123456789abcdef"_s << quint64(40) << true;
        QTest::newRow("ahead of head") << u"same"_s << quint64(48) << true;
        QTest::newRow("compacted away") << u"same"_s << quint64(34) << true;
        QTest::newRow("too many to send") << u"same"_s << quint64(36) << true;
    }
    void snapshotWhenResumeCannotWork()
    {
        QFETCH(QString, epoch);
        QFETCH(quint64, seq);
        QFETCH(bool, snapshot);
        const bool limitResume = QByteArray(QTest::currentDataTag()) == "too many to send";
        ServerFixture fixture([limitResume](server::ServerConfig &config) {
            config.compactEvery = 10;
            config.retainOps = 5;
            if (limitResume)
                config.maxResumeOps = 10;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        // One at a time, so the snapshots fall at 10, 20, 30 and 40 and the log keeps 36..47.
        for (int i = 0; i < 47; ++i) {
            const quint64 cseq = ann.sendOp(i % 10 == 4 ? ann.makeChat(u"c%1"_s.arg(i)) : ann.makeAdd());
            QVERIFY(ann.waitForAnswer(cseq));
        }
        DatabaseProbe probe(fixture.dataDir());
        QTRY_COMPARE_WITH_TIMEOUT(probe.number(u"SELECT snapshot_seq FROM rooms"_s), 40, kWaitMs);
        QCOMPARE(probe.number(u"SELECT log_start FROM rooms"_s), 35);
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 12);
        QCOMPARE(probe.number(u"SELECT MIN(seq) FROM ops"_s), 36);

        TestClient bo;
        std::optional<ResumePoint> resume;
        if (!epoch.isEmpty())
            resume = ResumePoint {epoch == "same"_L1 ? ann.welcome()->epoch : epoch, seq};
        QVERIFY(bo.join(fixture.url(), kRoom, resume));
        QCOMPARE(bo.welcome()->snapshot, snapshot);
        QCOMPARE(bo.welcome()->head, 47u);
        if (snapshot) {
            QCOMPARE(bo.all<Snapshot>().constFirst().seq, 47u);
        } else {
            const QList<Op> ops = bo.all<Op>();
            QCOMPARE(ops.size(), qsizetype(47 - seq));
            for (int i = 0; i < ops.size(); ++i)
                QCOMPARE(ops.at(i).seq, seq + 1 + quint64(i));
        }
        // Either way the board is the same as the log says.
        TestClient cy;
        QVERIFY(cy.join(fixture.url(), kRoom));
        if (!snapshot) {
            // A resumed client only has the tail; compare the tail's effect on top of a snapshot instead.
            QCOMPARE(cy.boardSinceWelcome().seq(), bo.boardSinceWelcome().seq());
        } else {
            QCOMPARE(bo.boardSinceWelcome().digest(), cy.boardSinceWelcome().digest());
            QCOMPARE(bo.boardSinceWelcome().size(), 42);
        }
    }

    void welcomeAckedSaysWhatWasCommitted()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QCOMPARE(ann.welcome()->acked, 0u);
        for (int i = 0; i < 3; ++i)
            ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitFor<Ack>(3));
        const QString epoch = ann.welcome()->epoch;
        ann.close();

        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(fixture.url(), kRoom, ResumePoint {epoch, 1}));
        QCOMPARE(again.welcome()->acked, 3u);
        // Its own ops in the catch-up carry its client id, so it can confirm them from there.
        const QList<Op> ops = again.all<Op>();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(ops.at(0).client, again.clientId);
        QCOMPARE(ops.at(1).cseq, 3u);
        // Another client id in the same room starts from nothing.
        TestClient other;
        QVERIFY(other.join(fixture.url(), kRoom));
        QCOMPARE(other.welcome()->acked, 0u);
    }

    void snapshotMatchesTheLog()
    {
        ServerFixture fixture(fastInput);
        QVERIFY(fixture.start());
        TestClient ann, watcher;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        sendMixedOps(ann, 40);
        Op clear;
        clear.kind = OpKind::Clear;
        clear.cseq = ann.nextCseq++;
        ann.send(clear);
        sendMixedOps(ann, 30);
        const quint64 last = ann.nextCseq - 1;
        QVERIFY(ann.waitForAnswer(last));
        const quint64 head = ann.ackFor(last)->seq;
        QVERIFY(waitUntil([&watcher, head] { return watcher.last<Op>() && watcher.last<Op>()->seq == head; }));

        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.welcome()->snapshot);
        QCOMPARE(late.welcome()->head, head);
        const Board fromSnapshot = late.boardSinceWelcome();
        const Board fromLog = watcher.boardSinceWelcome();
        QCOMPARE(fromSnapshot.seq(), head);
        QCOMPARE(fromLog.seq(), head);
        QVERIFY(fromSnapshot.size() > 10);
        QCOMPARE(fromSnapshot.digest(), fromLog.digest());
        QVERIFY(fromSnapshot == fromLog);
    }

    void largeBoardsArriveInChunks()
    {
        ServerFixture fixture(fastInput);
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        constexpr int kItems = 2 * limits::MaxItemsPerSnapshotChunk + 500;
        for (int i = 0; i < kItems; ++i)
            ann.send(ann.makeAdd(2));
        QVERIFY(ann.waitForAnswer(quint64(kItems)));
        QCOMPARE(ann.count<Ack>(), kItems);

        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        const QList<Snapshot> chunks = late.all<Snapshot>();
        QCOMPARE(chunks.size(), 3);
        int total = 0;
        qint64 previousZ = 0;
        for (const Snapshot &chunk : chunks) {
            QCOMPARE(chunk.seq, quint64(kItems));
            QVERIFY(chunk.items.size() <= limits::MaxItemsPerSnapshotChunk);
            for (const Item &item : chunk.items) {
                QVERIFY(item.z > previousZ); // bottom to top across chunks
                previousZ = item.z;
            }
            total += int(chunk.items.size());
        }
        QCOMPARE(total, kItems);
        QCOMPARE(late.undecodable(), 0);
    }

    void bigItemsSplitChunksBySize()
    {
        ServerFixture fixture(fastInput);
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        // 40 strokes of 10,000 points: chunks are cut by size long before they reach 1,000 items.
        constexpr int kItems = 40;
        for (int i = 0; i < kItems; ++i)
            ann.send(ann.makeAdd(limits::MaxPointsPerItem));
        QVERIFY(ann.waitForAnswer(quint64(kItems), 60000));
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.undecodable(), 0);
        QVERIFY(late.count<Snapshot>() > 1);
        for (const Snapshot &chunk : late.all<Snapshot>())
            QVERIFY(encode(chunk).size() < limits::MaxServerMessageBytes / 2);
        QCOMPARE(late.boardSinceWelcome().size(), kItems);
    }

    void ackedOpsAreInTheDatabase()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        DatabaseProbe probe(fixture.dataDir());
        for (int i = 0; i < 20; ++i) {
            const quint64 cseq = ann.sendOp(i % 2 ? ann.makeChat(u"x"_s) : ann.makeAdd());
            QVERIFY(ann.waitForAnswer(cseq));
            // The ack means it is committed: another reader sees it at once.
            const quint64 seq = ann.ackFor(cseq)->seq;
            QCOMPARE(probe.number(u"SELECT cseq FROM ops WHERE seq = %1"_s.arg(seq)), qint64(cseq));
            QCOMPARE(probe.number(u"SELECT head FROM rooms"_s), qint64(seq));
            QCOMPARE(probe.number(u"SELECT max_cseq FROM clients"_s), qint64(cseq));
        }
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM chat"_s), 10);
    }

    void aFailedCommitRefusesTransientlyAndHoldsBack()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.busyTimeoutMs = 100; });
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        const quint64 first = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(first));
        QVERIFY(ann.ackFor(first));

        // Another process holds the write lock longer than the server waits.
        DatabaseProbe probe(fixture.dataDir());
        QVERIFY(probe.exec(u"BEGIN IMMEDIATE"_s));
        const Op lost = ann.makeAdd();
        ann.send(lost);
        ann.send(lost); // a repeat of an op whose commit fails is refused too
        const Op chat = ann.makeChat(u"in the same batch"_s);
        ann.send(chat);
        QVERIFY(ann.waitForAnswer(chat.cseq));
        QCOMPARE(ann.all<Reject>().size(), 3);
        QCOMPARE(ann.all<Reject>().at(0),
                 (Reject {lost.cseq, ErrorCode::Internal, ann.all<Reject>().at(0).message, true}));
        QCOMPARE(ann.all<Reject>().at(1).cseq, lost.cseq);
        QCOMPARE(ann.all<Reject>().at(1).code, ErrorCode::Internal);
        // In the failed batch (internal) or, if it arrived a turn later, behind the refused one (held_back).
        const Reject third = ann.all<Reject>().at(2);
        QCOMPARE(third.cseq, chat.cseq);
        QVERIFY(third.retry);
        QVERIFY(third.code == ErrorCode::Internal || third.code == ErrorCode::HeldBack);

        // While the lock is still held, a later op is held back, not attempted: it must not overtake the lost one.
        const Op later = ann.makeAdd();
        ann.send(later);
        QVERIFY(ann.waitForAnswer(later.cseq));
        QCOMPARE(ann.rejectFor(later.cseq)->code, ErrorCode::HeldBack);
        QVERIFY(ann.rejectFor(later.cseq)->retry);
        QVERIFY(probe.exec(u"ROLLBACK"_s));

        // Nothing of it was applied or sent, and sent again from the first refused op, everything is committed once,
        // in order, and the log carries on without a gap.
        ann.clear();
        for (const Op &op : {lost, chat, later})
            ann.send(op);
        QVERIFY(ann.waitForAnswer(later.cseq));
        QCOMPARE(withoutTime(*ann.ackFor(lost.cseq)), (Ack {lost.cseq, 2, false}));
        QCOMPARE(withoutTime(*ann.ackFor(chat.cseq)), (Ack {chat.cseq, 3, false}));
        QCOMPARE(withoutTime(*ann.ackFor(later.cseq)), (Ack {later.cseq, 4, false}));
        QVERIFY(bo.waitFor<Op>(4));
        QCOMPARE(bo.count<Op>(), 4);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(bo.all<Op>().at(i).seq, quint64(i + 1));
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 4);
        QCOMPARE(probe.number(u"SELECT COUNT(DISTINCT cseq) FROM ops"_s), 4);
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.welcome()->head, 4u);
        QCOMPARE(late.boardSinceWelcome().size(), 3);
    }

    void restartServesTheSameRooms()
    {
        ServerFixture fixture(fastInput);
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s), watcher;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        const QList<Op> sent = sendMixedOps(ann, 25);
        const quint64 last = ann.nextCseq - 1;
        QCOMPARE(sent.last().cseq, last);
        QCOMPARE(sent.at(6).cseq, 7u);
        QVERIFY(ann.waitForAnswer(last));
        const quint64 head = ann.ackFor(last)->seq;
        const Ack someAck = *ann.ackFor(7);
        QVERIFY(waitUntil([&watcher, head] { return watcher.last<Op>() && watcher.last<Op>()->seq == head; }));
        const QString epoch = ann.welcome()->epoch;
        const Board before = watcher.boardSinceWelcome();
        const QList<Op> chatsBefore = [&watcher] {
            QList<Op> chats;
            for (const Op &op : watcher.all<Op>()) {
                if (op.kind == OpKind::Chat)
                    chats.append(op);
            }
            return chats;
        }();

        QVERIFY(fixture.restart());
        QVERIFY(ann.waitForClose());

        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.welcome()->epoch, epoch);
        QCOMPARE(late.welcome()->head, head);
        QVERIFY(late.boardSinceWelcome() == before);
        QCOMPARE(late.all<Op>(), chatsBefore);

        // The duplicate memory survived: resending an old op is acknowledged with its original seq and time, and
        // the same cseq with another change is refused.
        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(fixture.url(), kRoom, ResumePoint {epoch, head - 3}));
        QCOMPARE(again.welcome()->acked, last);
        QVERIFY(!again.welcome()->snapshot);
        QCOMPARE(again.count<Op>(), 3);
        again.send(sent.at(6));
        QVERIFY(again.waitFor<Ack>());
        QCOMPARE(*again.last<Ack>(), (Ack {7, someAck.seq, true, someAck.time}));
        again.send(sent.last());
        QVERIFY(again.waitFor<Ack>(2));
        QCOMPARE(withoutTime(*again.last<Ack>()), (Ack {last, head, true}));
        Op changed = sent.at(6);
        changed.kind = OpKind::Chat;
        changed.text = u"not what cseq 7 was"_s;
        again.send(changed);
        QVERIFY(waitUntil([&again] { return again.rejectFor(7).has_value(); }));
        QCOMPARE(again.rejectFor(7)->code, ErrorCode::CseqReused);
        QCOMPARE(again.rejectFor(7)->acked, std::optional<quint64>(last));
        Op next = again.makeAdd(3, again.clientId + u':' + QString::number(last + 1));
        next.cseq = last + 1;
        again.send(next);
        QVERIFY(again.waitForAnswer(last + 1));
        QCOMPARE(again.ackFor(last + 1)->seq, head + 1);
    }

    void emptyRoomsLeaveMemoryAndComeBack()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.roomUnloadDelayMs = 0;
            config.pingIntervalMs = 50;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        for (int i = 0; i < 5; ++i)
            ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitFor<Ack>(5));
        const QString epoch = ann.welcome()->epoch;
        QCOMPARE(fixture.server().loadedRoomCount(), 1);
        ann.close();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().loadedRoomCount(), 0, kWaitMs);

        TestClient bo;
        QVERIFY(bo.join(fixture.url(), kRoom, ResumePoint {epoch, 2}));
        QCOMPARE(fixture.server().loadedRoomCount(), 1);
        QCOMPARE(bo.welcome()->epoch, epoch);
        QCOMPARE(bo.welcome()->head, 5u);
        QCOMPARE(bo.count<Op>(), 3);
    }
};

QTEST_GUILESS_MAIN(TestServerSync)
#include "tst_server_sync.moc"
