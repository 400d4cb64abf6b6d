// Every op whose cseq can be read gets exactly one answer, in the order of the ops, and a transient refusal never
// lets a later op of the same client overtake the refused one (docs/PROTOCOL.md, "Answers to ops" and "Before the
// join"). The clients here ignore any UI: they send raw protocol and resend the way the protocol tells clients to.
#include "closecodes.h"
#include "protocollimits.h"
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"answers"_s;
const QString kPassword = u"a password that takes a while"_s;
//! PBKDF2 iterations that take about a second here: a join in a password room stays undecided meanwhile, long after
//! the messages sent with its hello (already in the server's socket) have been read.
constexpr int kSlowIterations = 2000000;

//! One answer to an op, as it arrived.
struct Answer
{
    quint64 cseq = 0;
    std::optional<Ack> ack;
    std::optional<Reject> reject;
};

//! The acks and rejects a client received, in arrival order.
QList<Answer> answersOf(const TestClient &client)
{
    QList<Answer> answers;
    for (const Message &message : client.messages()) {
        if (const auto *ack = std::get_if<Ack>(&message))
            answers.append(Answer {ack->cseq, *ack, std::nullopt});
        else if (const auto *reject = std::get_if<Reject>(&message))
            answers.append(Answer {reject->cseq, std::nullopt, *reject});
    }
    return answers;
}

//! Chat ops with the next cseqs.
QList<Op> chats(TestClient &client, int count, const QString &prefix)
{
    QList<Op> ops;
    for (int i = 0; i < count; ++i)
        ops.append(client.makeChat(prefix + QString::number(i)));
    return ops;
}

/** The answers to sent, one each, in order, or why not. Acks must come first (a contiguous run), every refusal after
 *  them must be transient and one of allowed. Returns how many were acknowledged through *acked. */
QString checkAnswers(const QList<Answer> &answers, const QList<Op> &sent, const QList<ErrorCode> &allowed,
                     qsizetype *acked)
{
    if (answers.size() != sent.size())
        return u"%1 answers to %2 ops"_s.arg(answers.size()).arg(sent.size());
    *acked = 0;
    for (qsizetype i = 0; i < sent.size(); ++i) {
        const Answer &answer = answers.at(i);
        if (answer.cseq != sent.at(i).cseq)
            return u"answer %1 is for cseq %2, not %3"_s.arg(i).arg(answer.cseq).arg(sent.at(i).cseq);
        if (answer.ack) {
            if (*acked != i)
                return u"cseq %1 was acknowledged after a refused one"_s.arg(answer.cseq);
            ++*acked;
            continue;
        }
        if (!answer.reject->retry || !allowed.contains(answer.reject->code))
            return u"cseq %1: %2 (retry %3)"_s.arg(answer.cseq)
                .arg(errorCodeName(answer.reject->code))
                .arg(answer.reject->retry);
    }
    return {};
}

//! Neither the message rate nor the byte rate of ops limits here.
void fastInput(server::ServerConfig &config)
{
    config.ratePerSecond = 1e6;
    config.rateBurst = 1000000;
    config.opKibPerSecond = 1 << 30;
    config.opBurstKib = 1 << 30;
}

} // namespace

class TestServerAnswers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anOpBeforeHelloIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        const Op early = ann.makeChat(u"too early"_s);
        ann.send(early);
        ann.send(Cursor {{}, 1, 1, true});
        QVERIFY(ann.waitFor<Error>(2));
        QVERIFY(ann.waitForAnswer(early.cseq));
        // The op: the error and its answer, refused for good; the cursor: only the error.
        QCOMPARE(ann.all<Error>().at(0).code, ErrorCode::NotJoined);
        QCOMPARE(*ann.rejectFor(early.cseq),
                 (Reject {early.cseq, ErrorCode::NotJoined, ann.rejectFor(early.cseq)->message, false}));
        QCOMPARE(ann.count<Reject>(), 1);
        QVERIFY(ann.join(fixture.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeChat(u"in time"_s));
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
    }

    void aFloodGetsOneAnswerPerOpInOrderAndResendingCommitsEachOnce()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.ratePerSecond = 500;
            config.rateBurst = 100;
            config.rateMaxExcess = 1000000; // dropped, never closed: this test is about the answers
        });
        QVERIFY(fixture.start());
        TestClient flooder(u"client-flooder-01"_s, u"Flooder"_s), watcher;
        QVERIFY(flooder.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));

        constexpr int kOps = 2000;
        const QList<Op> all = chats(flooder, kOps, u"flood "_s);
        QList<Op> outstanding = all;
        int rounds = 0;
        int refusedInTheFirstRound = 0;
        // As a client does: send everything waiting, wait for every answer, pause, send again from the first op
        // that was refused. Each round must commit some (tokens come back during the pause).
        while (!outstanding.isEmpty()) {
            QVERIFY2(++rounds <= 200, "the flood never drained");
            flooder.clear();
            for (const Op &op : std::as_const(outstanding))
                flooder.send(op);
            const quint64 last = outstanding.last().cseq;
            QVERIFY(flooder.waitForAnswer(last, 60000));
            // Nothing arrives after the answer to the last op: every answer is there, or the order is broken.
            QTest::qWait(20);
            qsizetype acked = 0;
            const QString problem =
                checkAnswers(answersOf(flooder), outstanding, {ErrorCode::RateLimited, ErrorCode::HeldBack}, &acked);
            QVERIFY2(problem.isEmpty(), qPrintable(u"round %1: %2"_s.arg(rounds).arg(problem)));
            if (rounds == 1)
                refusedInTheFirstRound = int(outstanding.size() - acked);
            outstanding = outstanding.mid(acked);
            if (!outstanding.isEmpty())
                waitUntil([] { return false; }, 250); // about 125 tokens come back
        }
        QVERIFY2(refusedInTheFirstRound > kOps / 2, "the flood was not far past the rate limit");

        // The log holds every op exactly once, in cseq order, without gaps; the watcher saw the same.
        DatabaseProbe probe(fixture.dataDir());
        QList<qint64> expected;
        for (qint64 cseq = 1; cseq <= kOps; ++cseq)
            expected.append(cseq);
        QCOMPARE(probe.numbers(u"SELECT cseq FROM ops ORDER BY seq"_s), expected);
        QCOMPARE(probe.numbers(u"SELECT seq FROM ops ORDER BY seq"_s), expected);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= kOps; }));
        const QList<Op> seen = watcher.all<Op>();
        QCOMPARE(seen.size(), kOps);
        for (int i = 0; i < kOps; ++i) {
            QCOMPARE(seen.at(i).cseq, quint64(i + 1));
            QCOMPARE(seen.at(i).text, all.at(i).text);
        }
    }

    void opsPastTheByteRateAreRefusedForTheMomentAndCommittedOnceWhenSentAgain()
    {
        // A client that ignores the welcome's byte rate of ops: large strokes as fast as it can write them.
        ServerFixture fixture([](server::ServerConfig &config) {
            fastInput(config); // only the byte rate limits here
            config.opKibPerSecond = 512;
            config.opBurstKib = 1024;
        });
        QVERIFY(fixture.start());
        TestClient flooder(u"client-flooder-01"_s, u"Flooder"_s), watcher;
        QVERIFY(flooder.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        QCOMPARE(flooder.welcome()->opByteRate, 512.0 * 1024);
        QCOMPARE(flooder.welcome()->opByteBurst, qint64(1024) * 1024);

        constexpr int kOps = 40;
        QList<Op> all;
        for (int i = 0; i < kOps; ++i)
            all.append(flooder.makeAdd(5000));
        const qint64 each = encode(all.first()).size();
        QVERIFY2(each > 48 * 1024 && kOps * each > 2 * 1024 * 1024, qPrintable(QString::number(each)));
        QList<Op> outstanding = all;
        int rounds = 0;
        while (!outstanding.isEmpty()) {
            QVERIFY2(++rounds <= 40, "the ops never all went through");
            flooder.clear();
            for (const Op &op : std::as_const(outstanding))
                flooder.send(op);
            QVERIFY(flooder.waitForAnswer(outstanding.last().cseq, 60000));
            QTest::qWait(20);
            qsizetype acked = 0;
            const QString problem =
                checkAnswers(answersOf(flooder), outstanding, {ErrorCode::RateLimited, ErrorCode::HeldBack}, &acked);
            QVERIFY2(problem.isEmpty(), qPrintable(u"round %1: %2"_s.arg(rounds).arg(problem)));
            if (rounds == 1) {
                // The burst went through, then the first op past it was refused for the moment, the rest held back.
                QVERIFY2(acked >= 1024 * 1024 / each && acked < kOps, qPrintable(QString::number(acked)));
                const Reject first = *flooder.rejectFor(outstanding.at(acked).cseq);
                QCOMPARE(first.code, ErrorCode::RateLimited);
                QVERIFY(first.retry);
                QVERIFY(first.message.contains(u"512 KiB"_s));
                QCOMPARE(flooder.rejectFor(outstanding.last().cseq)->code, ErrorCode::HeldBack);
            }
            outstanding = outstanding.mid(acked);
            if (!outstanding.isEmpty())
                waitUntil([] { return false; }, 500); // 256 KiB come back
        }
        // How many rounds it takes depends on how fast this machine sends (a slow build refills the bucket while it
        // writes), so it is not checked: the first round's refusals above show the flood was past the byte rate.
        QVERIFY(flooder.isConnected()); // refused, never closed

        // Each op committed once, in order; the watcher saw them once each.
        DatabaseProbe probe(fixture.dataDir());
        QList<qint64> expected;
        for (qint64 cseq = 1; cseq <= kOps; ++cseq)
            expected.append(cseq);
        QCOMPARE(probe.numbers(u"SELECT cseq FROM ops ORDER BY seq"_s), expected);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= kOps; }));
        QTest::qWait(50);
        const QList<Op> seen = watcher.all<Op>();
        QCOMPARE(seen.size(), kOps);
        for (int i = 0; i < kOps; ++i)
            QCOMPARE(seen.at(i).item.id, all.at(i).item.id);
    }

    void opsPastTheDeferralCapAreRefusedInTheirPlace()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            fastInput(config);
            config.passwordIterations = kSlowIterations;
            config.maxDeferredMessages = 30;
        });
        QVERIFY(fixture.start());
        // Bo creates a password room: its join waits for the password's hash, and everything sent with the hello
        // arrives meanwhile.
        TestClient bo(u"client-bo-000001"_s, u"Bo"_s);
        QVERIFY(bo.connectTo(fixture.url()));
        bo.send(bo.hello(kRoom, kPassword));
        QList<Op> sent = chats(bo, 50, u"early "_s);
        for (const Op &op : std::as_const(sent))
            bo.send(op);
        QVERIFY(bo.waitForAnswer(sent.last().cseq));
        QVERIFY(bo.welcome());
        QTest::qWait(20);
        // The first 30 were kept and handled after the join; the other 20 refused for now, in their place.
        qsizetype acked = 0;
        const QString problem = checkAnswers(answersOf(bo), sent, {ErrorCode::ServerBusy}, &acked);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(acked, 30);
        QCOMPARE(bo.count<Reject>(), 20);
        // Sent again, they are committed once each, in order.
        bo.clear();
        sent = sent.mid(30);
        for (const Op &op : std::as_const(sent))
            bo.send(op);
        QVERIFY(bo.waitForAnswer(sent.last().cseq));
        QVERIFY(checkAnswers(answersOf(bo), sent, {}, &acked).isEmpty());
        QCOMPARE(acked, 20);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(DISTINCT cseq) FROM ops"_s), 50);
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 50);
        QCOMPARE(probe.number(u"SELECT MAX(cseq) FROM ops WHERE seq = 50"_s), 50);
    }

    void theDeferralCapCountsBytes()
    {
        constexpr qint64 kBytes = 16 * 1024;
        ServerFixture fixture([](server::ServerConfig &config) {
            fastInput(config);
            config.passwordIterations = kSlowIterations;
            config.maxDeferredBytes = kBytes;
        });
        QVERIFY(fixture.start());
        TestClient bo(u"client-bo-000001"_s, u"Bo"_s);
        QVERIFY(bo.connectTo(fixture.url()));
        bo.send(bo.hello(kRoom, kPassword));
        QList<Op> sent;
        for (int i = 0; i < 10; ++i) {
            sent.append(bo.makeAdd(300));
            bo.send(sent.last());
        }
        const qint64 each = encode(sent.first()).size();
        QVERIFY(each > 3000);
        QVERIFY(bo.waitForAnswer(sent.last().cseq));
        QTest::qWait(20);
        qsizetype acked = 0;
        const QString problem = checkAnswers(answersOf(bo), sent, {ErrorCode::ServerBusy}, &acked);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // As many as fit in the bytes kept, and no more.
        QVERIFY(acked >= 1);
        QVERIFY2(acked * each <= kBytes + acked * 8 && (acked + 1) * (each - 8) > kBytes,
                 qPrintable(u"%1 of %2 bytes each kept"_s.arg(acked).arg(each)));
    }

    void opsTheRateLimitDropsWhileJoiningAreRefusedInTheirPlace()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.passwordIterations = kSlowIterations;
            config.ratePerSecond = 10;
            config.rateBurst = 30; // the hello and 29 ops
            config.rateMaxExcess = 1000;
        });
        QVERIFY(fixture.start());
        TestClient bo(u"client-bo-000001"_s, u"Bo"_s);
        QVERIFY(bo.connectTo(fixture.url()));
        bo.send(bo.hello(kRoom, kPassword));
        QList<Op> sent = chats(bo, 40, u"early "_s);
        for (const Op &op : std::as_const(sent))
            bo.send(op);
        QVERIFY(bo.waitForAnswer(sent.last().cseq));
        QTest::qWait(20);
        qsizetype acked = 0;
        const QString problem =
            checkAnswers(answersOf(bo), sent, {ErrorCode::RateLimited, ErrorCode::HeldBack}, &acked);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // Tokens come back while the password is hashed (ten a second), so a few more than 29 may get through.
        QVERIFY2(acked >= 29 && acked < 40, qPrintable(QString::number(acked)));
        QCOMPARE(bo.rejectFor(sent.at(acked).cseq)->code, ErrorCode::RateLimited);
    }

    void aConnectionThatKeepsSendingWhileJoiningIsClosed()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            fastInput(config);
            config.passwordIterations = kSlowIterations;
            config.maxDeferredMessages = 5;
        });
        QVERIFY(fixture.start());
        TestClient bo(u"client-bo-000001"_s, u"Bo"_s);
        QVERIFY(bo.connectTo(fixture.url()));
        bo.send(bo.hello(kRoom, kPassword));
        // 5 kept, 5 refused in their place, and the next one is one too many: the connection is closed.
        for (const Op &op : chats(bo, 11, u"early "_s))
            bo.send(op);
        QVERIFY(bo.waitForClose());
        QCOMPARE(bo.closeCode(), quint16(CloseCode::Policy));
        QCOMPARE(bo.last<Error>()->code, ErrorCode::ServerBusy);
        QVERIFY(bo.last<Error>()->fatal);
        QCOMPARE(bo.count<Welcome>(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().connectionCount(), 0, kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestServerAnswers)
#include "tst_server_answers.moc"
