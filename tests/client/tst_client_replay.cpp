// ReplayModel: the history as received, scrubbed and played back, against the log itself and a real room.
#include "replaymodel.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"
#include "translations.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;
using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

constexpr qint64 kStart = 1'780'000'000'000; // ms since the epoch

Op addOp(quint64 seq, const QString &id, ItemKind kind, const QString &author, qint64 time, QList<QPointF> points,
         const QString &text = {})
{
    Op op;
    op.kind = OpKind::Add;
    op.seq = seq;
    op.client = author.toLower();
    op.author = author;
    op.time = time;
    op.item.id = id;
    op.item.kind = kind;
    op.item.points = std::move(points);
    op.item.text = text;
    op.item.width = kind == ItemKind::Text ? 20 : 3;
    return op;
}

Op idsOp(OpKind kind, quint64 seq, QStringList ids, qint64 time)
{
    Op op;
    op.kind = kind;
    op.seq = seq;
    op.client = u"ann"_s;
    op.author = u"Ann"_s;
    op.time = time;
    op.ids = std::move(ids);
    op.dx = 10;
    return op;
}

//! A morning's log: Ann draws, Bo writes, Ann moves and erases, Bo clears and starts again.
QList<Op> morning()
{
    return {addOp(1, u"ann:1"_s, ItemKind::Stroke, u"Ann"_s, kStart, {{0, 0}, {10, 10}}),
            addOp(2, u"bo:1"_s, ItemKind::Text, u"Bo"_s, kStart + 1000, {{5, 5}}, u"hello"_s),
            idsOp(OpKind::Move, 3, {u"ann:1"_s}, kStart + 61'000),
            idsOp(OpKind::Remove, 4, {u"bo:1"_s}, kStart + 62'000),
            idsOp(OpKind::Clear, 5, {}, kStart + 63'000),
            addOp(6, u"bo:2"_s, ItemKind::Rect, u"Bo"_s, kStart + 64'000, {{0, 0}, {4, 4}})};
}

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The texts are checked in English, with its plural forms ("erased an item").
        inkroom::i18n::install(*QCoreApplication::instance(), QLocale(QLocale::English));
    }

    //! Every position shows the base with exactly that many ops of the log applied, and says who did what when.
    void positionsFollowTheLog()
    {
        ReplayModel replay;
        replay.reset(0, {});
        const QList<Op> log = morning();
        for (const Op &op : log)
            replay.append(op);
        QCOMPARE(replay.count(), 6);
        QCOMPARE(replay.position(), 6); // at the live end
        Board expected;
        QCOMPARE(replay.itemsAt(0), expected.orderedItems());
        for (int p = 1; p <= log.size(); ++p) {
            expected.apply(log[p - 1]);
            QCOMPARE(replay.itemsAt(p), expected.orderedItems());
        }
        replay.setPosition(2);
        QCOMPARE(replay.items().size(), 2);
        QCOMPARE(replay.author(), u"Bo"_s);
        QCOMPARE(replay.action(), u"wrote “hello”"_s);
        QCOMPARE(replay.time(), QDateTime::fromMSecsSinceEpoch(kStart + 1000));
        QCOMPARE(replay.seq(), 2.0);
        replay.setPosition(5);
        QCOMPARE(replay.action(), u"cleared the board"_s);
        QVERIFY(replay.items().isEmpty());
        replay.setPosition(99);
        QCOMPARE(replay.position(), 6);
        // Repeats and ops from before the base change nothing.
        replay.append(log[3]);
        QCOMPARE(replay.count(), 6);
    }

    //! Checkpoints make no difference to what a position shows (a long random log, random positions).
    void checkpointsAgreeWithApplyingTheLog()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        ReplayModel replay;
        Item base;
        base.id = u"base:1"_s;
        base.kind = ItemKind::Line;
        base.points = {{0, 0}, {1, 1}};
        base.z = 7;
        replay.reset(7, {base});
        QList<Op> log;
        for (quint64 seq = 8; seq < 8 + 1000; ++seq) {
            const int pick = int(random.bounded(10));
            Op op;
            if (pick < 6 || log.isEmpty()) {
                op = addOp(seq, u"c:%1"_s.arg(seq), ItemKind::Stroke, u"C"_s, kStart + qint64(seq),
                           {{double(random.bounded(100)), 0}, {0, double(random.bounded(100))}});
            } else {
                const Op &earlier = log[random.bounded(int(log.size()))];
                op = idsOp(pick < 8 ? OpKind::Move : OpKind::Remove, seq, {earlier.item.id}, kStart + qint64(seq));
            }
            log.append(op);
            replay.append(op);
        }
        Board full;
        full.reset(7, {base});
        QList<QList<Item>> boards {full.orderedItems()};
        for (const Op &op : std::as_const(log)) {
            full.apply(op);
            boards.append(full.orderedItems());
        }
        for (int i = 0; i < 40; ++i) {
            const int p = int(random.bounded(int(log.size()) + 1));
            QVERIFY2(replay.itemsAt(p) == boards[p], qPrintable(u"position %1 (seed %2)"_s.arg(p).arg(seed)));
        }
        QVERIFY(replay.itemsAt(1000) == boards[1000]);
        QVERIFY(replay.itemsAt(768) == boards[768]); // exactly on a checkpoint
    }

    //! Playback waits the time between ops divided by the speed, never more than 2 s, and stops at the end.
    void playbackPacesAndStops()
    {
        ReplayModel replay;
        replay.reset(0, {});
        for (const Op &op : morning())
            replay.append(op);
        replay.setSpeed(1);
        QCOMPARE(replay.stepDelayMs(1), 1000); // op 2 came a second after op 1
        QCOMPARE(replay.stepDelayMs(2), ReplayModel::MaxStepMs); // a minute's pause is cut short
        replay.setSpeed(16);
        QCOMPARE(replay.stepDelayMs(1), 62);
        replay.setSpeed(100);
        QCOMPARE(replay.speed(), ReplayModel::MaxSpeed);
        replay.setSpeed(0);
        QCOMPARE(replay.speed(), ReplayModel::MinSpeed);

        replay.setSpeed(16);
        replay.setPosition(3);
        QSignalSpy moved(&replay, &ReplayModel::positionChanged);
        replay.play(); // from 3: ops 4, 5, 6 at most 2 s apart at 16x -> 125 ms, 62 ms, 62 ms
        QVERIFY(replay.playing());
        QTRY_COMPARE_WITH_TIMEOUT(replay.position(), 6, 5000);
        QTRY_VERIFY(!replay.playing());
        QCOMPARE(moved.size(), 3);
        replay.play(); // at the end: from the start
        QCOMPARE(replay.position(), 0);
        replay.pause();
        QCOMPARE(replay.position(), 0);
    }

    //! On a real room: the replay follows what the session receives, and scrubbing or playing it changes nothing in
    //! the room, for this client or anybody else.
    void aReplayNeverChangesTheRoom()
    {
        ServerFixture server;
        QVERIFY(server.start());
        Session ann;
        ann.setTimings(fastTimings());
        ann.join(server.url(), u"replay"_s, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, 15000);
        ann.addShape(BoardDocument::Line, Qt::red, 3, {0, 0}, {50, 0});
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, 15000);

        Session bo;
        bo.setTimings(fastTimings());
        ReplayModel replay;
        replay.setSession(&bo);
        bo.join(server.url(), u"replay"_s, u"Bo"_s, Qt::blue);
        QTRY_COMPARE_WITH_TIMEOUT(bo.state(), Session::Online, 15000);
        QTRY_COMPARE(replay.items().size(), 1); // the join's snapshot is the base
        QCOMPARE(replay.count(), 0);

        ann.addText({0, 20}, u"agenda"_s, Qt::black, 20);
        ann.sendChat(u"morning"_s);
        ann.removeItems({ann.board()->orderedItems().first().id});
        QTRY_COMPARE_WITH_TIMEOUT(replay.count(), 3, 15000);
        QCOMPARE(replay.position(), 3);
        QCOMPARE(replay.author(), u"Ann"_s);
        QCOMPARE(replay.action(), u"erased an item"_s);
        QCOMPARE(replay.items(), bo.board()->orderedItems());

        const QList<Item> before = bo.board()->orderedItems();
        const quint64 head = ann.board()->confirmed().seq();
        replay.setPosition(0);
        QCOMPARE(replay.items().size(), 1);
        replay.setSpeed(16);
        replay.play();
        QTRY_VERIFY_WITH_TIMEOUT(!replay.playing(), 10000);
        QTest::qWait(200);
        QCOMPARE(bo.board()->orderedItems(), before);
        QCOMPARE(bo.pendingCount(), 0);
        QCOMPARE(ann.board()->confirmed().seq(), head);
        QCOMPARE(bo.board()->confirmed().seq(), head);

        // The room keeps going while a replay is looked at: new ops join the end, the position stays.
        replay.setPosition(1);
        ann.addShape(BoardDocument::Rect, Qt::green, 3, {0, 0}, {5, 5});
        QTRY_COMPARE_WITH_TIMEOUT(replay.count(), 4, 15000);
        QCOMPARE(replay.position(), 1);
        replay.toEnd();
        QCOMPARE(replay.items(), bo.board()->orderedItems());
    }

    /** The timeline's whole history comes from the server: from the room's snapshot where the log was compacted, then
     *  every op in order with author and time, paged in, without anybody else's direct messages; a refused page
     *  (rate limit) is asked again, and a server that crashes mid-fetch is fetched from again after the reconnect. */
    void theWholeHistoryComesFromTheServer()
    {
        ServerFixture server([](server::ServerConfig &config) {
            config.compactEvery = 10;
            config.retainOps = 4;
            config.historyPageBytes = 1500; // several pages
            config.historyBurst = 1; // and refusals to retry
            config.historyPerSecond = 20;
        });
        QVERIFY(server.start());
        Session ann;
        ann.setTimings(fastTimings());
        QList<Op> annSaw; // Ann made the room: she sees every op but the direct messages of others (there are none)
        connect(&ann, &Session::opApplied, this, [&annSaw](const Op &op, bool) { annSaw.append(op); });
        ann.join(server.url(), u"whole"_s, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, 15000);
        Session cy;
        cy.setTimings(fastTimings());
        cy.join(server.url(), u"whole"_s, u"Cy"_s, Qt::green);
        QTRY_COMPARE_WITH_TIMEOUT(cy.state(), Session::Online, 15000);
        // 12 ops: one compaction (at 10, 11 or 12: ops commit in groups), then 5 more that stay in the log after it.
        for (int i = 0; i < 12; ++i)
            ann.addShape(BoardDocument::Line, Qt::red, 3, {double(i * 10), 0}, {double(i * 10), 50});
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, 15000);
        ann.addShape(BoardDocument::Line, Qt::red, 3, {200, 0}, {200, 50});
        QVERIFY(ann.sendDirect(cy.clientId(), u"only for Cy"_s));
        ann.sendChat(u"for everybody"_s);
        ann.removeItems({ann.board()->orderedItems().first().id});
        ann.addText({0, 80}, u"agenda"_s, Qt::black, 20);
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(annSaw.size(), 17, 15000);

        Session bo;
        bo.setTimings(fastTimings());
        ReplayModel replay;
        replay.setSession(&bo);
        bo.join(server.url(), u"whole"_s, u"Bo"_s, Qt::blue);
        QTRY_COMPARE_WITH_TIMEOUT(bo.state(), Session::Online, 15000);
        QCOMPARE(replay.count(), 0); // nothing is fetched until the timeline asks
        QVERIFY(!replay.wholeHistory());
        replay.fetchWholeHistory();
        QVERIFY(replay.fetching());
        QTRY_VERIFY_WITH_TIMEOUT(!replay.fetching(), 15000);
        QVERIFY2(replay.fetchProblem().isEmpty(), qPrintable(replay.fetchProblem()));
        QVERIFY(replay.wholeHistory());

        // From the snapshot on (the log was compacted past its start), exactly the log but the direct message.
        const quint64 base = replay.baseSeq();
        QVERIFY2(base >= 10 && base <= 12, qPrintable(QString::number(base)));
        QList<Op> expected;
        Board atBase;
        for (const Op &op : std::as_const(annSaw)) {
            if (op.seq <= base)
                atBase.apply(op);
            else if (op.kind != OpKind::Direct)
                expected.append(op);
        }
        QCOMPARE(replay.count(), expected.size());
        QVERIFY(expected.size() >= 4); // the line, the chat, the removal and the text (the direct message is not)
        for (int i = 0; i < expected.size(); ++i) {
            const Op &got = replay.op(i + 1);
            QCOMPARE(got.seq, expected[i].seq);
            QCOMPARE(got.kind, expected[i].kind);
            QCOMPARE(got.author, u"Ann"_s);
            QCOMPARE(got.time, expected[i].time);
            QCOMPARE(got.client, ann.clientId());
        }
        QCOMPARE(replay.itemsAt(0), atBase.orderedItems());
        QCOMPARE(replay.itemsAt(replay.count()), bo.board()->confirmed().orderedItems());
        replay.setPosition(0);
        QCOMPARE(replay.action(), u"The board at change %1, the oldest the server keeps"_s.arg(base));

        // A crash of the server: the history fetched stays (offline), and after the reconnect only what was missed
        // is fetched and the room is followed again.
        const int fetched = replay.count();
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(bo.state() != Session::Online, 15000);
        QCOMPARE(replay.count(), fetched);
        QCOMPARE(replay.itemsAt(0), atBase.orderedItems());
        QVERIFY(server.restart());
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(bo.state(), Session::Online, 15000);
        ann.addShape(BoardDocument::Rect, Qt::red, 3, {0, 0}, {5, 5});
        QTRY_COMPARE_WITH_TIMEOUT(replay.count(), fetched + 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!replay.fetching(), 15000);
        QCOMPARE(replay.op(replay.count()).kind, OpKind::Add);
        QCOMPARE(replay.itemsAt(replay.count()), bo.board()->confirmed().orderedItems());

        // A fetch the crash interrupts goes on after the reconnect and ends with the same history.
        ReplayModel second;
        second.setSession(&bo);
        second.fetchWholeHistory();
        server.kill();
        QVERIFY(server.restart());
        QTRY_VERIFY_WITH_TIMEOUT(second.wholeHistory() && !second.fetching(), 20000);
        QCOMPARE(second.baseSeq(), replay.baseSeq());
        QCOMPARE(second.count(), replay.count());
        QCOMPARE(second.itemsAt(second.count()), replay.itemsAt(replay.count()));
    }

    /** What was fetched is kept with the journal: a restarted client with the server away still scrubs the whole
     *  history (not just what it saw), and once the server is back it fetches only what it lacks. */
    void theFetchedHistoryIsKeptForOffline()
    {
        ServerFixture server;
        QVERIFY(server.start());
        Session ann;
        ann.setTimings(fastTimings());
        ann.join(server.url(), u"kept"_s, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, 15000);
        for (int i = 0; i < 4; ++i)
            ann.addShape(BoardDocument::Rect, Qt::red, 3, {double(i * 20), 0}, {double(i * 20 + 10), 10});
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, 15000);

        QTemporaryDir state;
        QList<Item> end;
        int count = 0;
        {
            Session bo;
            bo.setTimings(fastTimings());
            bo.setStateDirectory(state.path());
            ReplayModel replay;
            replay.setSession(&bo);
            bo.join(server.url(), u"kept"_s, u"Bo"_s, Qt::blue);
            QTRY_COMPARE_WITH_TIMEOUT(bo.state(), Session::Online, 15000);
            replay.fetchWholeHistory();
            QTRY_VERIFY_WITH_TIMEOUT(replay.wholeHistory() && !replay.fetching(), 15000);
            QCOMPARE(replay.count(), 4);
            ann.sendChat(u"one more"_s); // live, after the fetch: kept too
            QTRY_COMPARE_WITH_TIMEOUT(replay.count(), 5, 15000);
            count = replay.count();
            end = replay.itemsAt(count);
            server.stop();
            QTRY_VERIFY_WITH_TIMEOUT(bo.state() != Session::Online, 15000);
        } // the client quits (its writes are finished first)

        Session again;
        again.setTimings(fastTimings());
        again.setStateDirectory(state.path());
        ReplayModel offline;
        offline.setSession(&again);
        again.join(server.url(), u"kept"_s, u"Bo"_s, Qt::blue);
        offline.fetchWholeHistory();
        QTRY_VERIFY_WITH_TIMEOUT(offline.wholeHistory(), 15000);
        QVERIFY(again.state() != Session::Online);
        QVERIFY(!offline.fetching()); // offline: it waits for the server without saying it is loading
        QCOMPARE(offline.count(), count);
        QCOMPARE(offline.baseSeq(), quint64(0));
        QCOMPARE(offline.itemsAt(offline.count()), end);
        QCOMPARE(offline.op(count).text, u"one more"_s);

        // The server comes back: nothing is fetched twice, and what is new follows.
        QVERIFY(server.restart());
        QTRY_COMPARE_WITH_TIMEOUT(again.state(), Session::Online, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, 15000);
        ann.addShape(BoardDocument::Ellipse, Qt::red, 3, {0, 40}, {30, 60});
        QTRY_COMPARE_WITH_TIMEOUT(offline.count(), count + 1, 15000);
        QTRY_VERIFY(!offline.fetching());
        QCOMPARE(offline.count(), count + 1);
        QCOMPARE(offline.itemsAt(offline.count()), again.board()->confirmed().orderedItems());
    }

    //! A kept file that was damaged is read up to its first bad line and never trusted past it.
    void aDamagedKeptHistoryIsReadUpToTheDamage()
    {
        QTemporaryDir dir;
        const QString path = HistoryCache::pathFor(dir.path(), u"127.0.0.1:1"_s, u"room"_s, u"epoch"_s);
        QVERIFY(!path.isEmpty());
        QVERIFY(HistoryCache::pathFor({}, u"s"_s, u"r"_s, u"e"_s).isEmpty()); // no journal: nothing kept
        QList<Op> log = morning();
        for (Op &op : log) {
            op.client = op.author.toLower() + u"-client-01"_s; // client ids and cseqs as the protocol has them
            op.cseq = op.seq;
            if (op.kind != OpKind::Move)
                op.dx = 0; // only a move carries it
        }
        {
            HistoryCache cache;
            cache.setPath(path);
            cache.saveBase(0, {});
            cache.saveOps(log);
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::Append));
        file.write("{\"type\":\"op\",\"kind\":\"chat\"\n"); // torn
        file.write(proto::encode(addOp(9, u"x:1"_s, ItemKind::Stroke, u"X"_s, kStart, {{1, 1}})) + '\n');
        file.close();
        HistoryCache cache;
        cache.setPath(path);
        QSignalSpy loaded(&cache, &HistoryCache::loaded);
        cache.load();
        QVERIFY(loaded.wait(5000));
        QVERIFY(loaded.first().at(1).toBool());
        const auto ops = loaded.first().at(4).value<QList<Op>>();
        QCOMPARE(ops, log); // up to the damage, not the op after it
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_client_replay.moc"
