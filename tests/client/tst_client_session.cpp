// The session against a scripted server: exact protocol behaviour, state machine, backoff, heartbeat.
#include "closecodes.h"
#include "fakeserver.h"
#include "faultproxy.h"
#include "journal.h"
#include "protocollimits.h"
#include "session.h"
#include "testutil.h"
#include "translations.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;
using proto::Op;
using proto::OpKind;

namespace {

constexpr int kWait = 5000;
const QString kOther = u"other-client-0001"_s;

QList<Op> opsOf(const FakeServer &server, int index)
{
    return server.receivedOf<Op>(index);
}

QList<quint64> cseqs(const QList<Op> &ops)
{
    QList<quint64> list;
    for (const Op &op : ops)
        list.append(op.cseq);
    return list;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeServer> m_server;
    std::unique_ptr<Session> m_session;
    QList<Session::State> m_states;

    Session &session(const Timings &timings = fastTimings())
    {
        m_session = std::make_unique<Session>();
        m_session->setTimings(timings);
        m_session->setBackoffSeed(1234);
        m_states.clear();
        connect(m_session.get(), &Session::stateChanged, this, [this] { m_states.append(m_session->state()); });
        return *m_session;
    }

    void join(Session &s, const QUrl &url = {})
    {
        s.join(url.isEmpty() ? m_server->url() : url, u"room"_s, u"Ann"_s, QColor(u"#e53935"_s));
    }

    //! Wait for connection index to say hello, then welcome it and wait until the session is online.
    bool online(Session &s, int index, const QString &epoch = u"epoch-a"_s, quint64 acked = 0, quint64 head = 0,
                const QList<Op> &ops = {}, std::optional<proto::Snapshot> snapshot = std::nullopt)
    {
        if (!QTest::qWaitFor([&] { return m_server->hello(index).has_value(); }, kWait))
            return false;
        m_server->welcome(index, epoch, acked, head, ops, snapshot);
        return QTest::qWaitFor([&] { return s.state() == Session::Online; }, kWait);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The texts are checked in English, with its plural forms ("1 change waiting").
        inkroom::i18n::install(*QCoreApplication::instance(), QLocale(QLocale::English));
    }

    void init()
    {
        m_server = std::make_unique<FakeServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup()
    {
        m_session.reset();
        m_server.reset();
    }

    void connectsJoinsAndGoesOnline()
    {
        Session &s = session();
        QCOMPARE(s.state(), Session::Disconnected);
        join(s);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, kWait);
        QVERIFY(online(s, 0, u"epoch-a"_s, 0, 2, {chatOp(1, kOther, u"hello"_s), chatOp(2, kOther, u"again"_s)},
                       proto::Snapshot {0, {}}));
        QCOMPARE(m_states, (QList<Session::State> {Session::Connecting, Session::Joining, Session::Online}));
        const proto::Hello hello = *m_server->hello(0);
        QCOMPARE(hello.client, s.clientId());
        QCOMPARE(hello.name, u"Ann"_s);
        QCOMPARE(hello.colour, 0xffe53935u);
        QCOMPARE(hello.room, u"room"_s);
        QVERIFY(!hello.resume); // nothing to resume from on the first join
        QCOMPARE(s.chat()->count(), 2);
        QCOMPARE(s.memberCount(), 1);
        QCOMPARE(s.statusText(), u"Online"_s);
        QCOMPARE(s.attempt(), 0);
    }

    void changesWaitForTheWelcomeAndStayUntilAcknowledged()
    {
        Session &s = session();
        join(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
        QVERIFY(s.sendChat(u"first"_s));
        const QString id = s.addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        QVERIFY(!id.isEmpty());
        QCOMPARE(s.pendingCount(), 2);
        QVERIFY(s.board()->isPending(id)); // drawn at once
        QCOMPARE(s.chat()->pendingCount(), 1);
        QTest::qWait(100);
        QVERIFY(opsOf(*m_server, 0).isEmpty()); // nothing before the welcome

        QVERIFY(online(s, 0));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 2, kWait);
        QCOMPARE(cseqs(opsOf(*m_server, 0)), (QList<quint64> {1, 2}));
        QCOMPARE(s.pendingCount(), 2); // sent, not yet acknowledged

        QSignalSpy applied(&s, &Session::opApplied);
        m_server->send(0, proto::Ack {1, 1, false});
        m_server->send(0, addOp(2, kOther, strokeItem(u"theirs"_s)));
        m_server->send(0, proto::Ack {2, 3, false});
        QTRY_COMPARE_WITH_TIMEOUT(s.pendingCount(), 0, kWait);
        QCOMPARE(applied.count(), 3);
        QCOMPARE(s.chat()->pendingCount(), 0);
        QCOMPARE(s.chat()->messages().first().seq, 1u);
        QVERIFY(!s.board()->isPending(id));
        QCOMPARE(s.board()->item(id)->z, 3);
        QCOMPARE(s.board()->confirmed().seq(), 3u);
    }

    void afterAWelcomeWhatWasCommittedIsSettledAndTheRestGoesAgainInOrder()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0));
        for (int i = 1; i <= 4; ++i)
            QVERIFY(s.sendChat(u"m%1"_s.arg(i)));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 4, kWait);
        // The link drops before any ack; the server had committed 1 and 2.
        m_server->abort(0);
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Reconnecting, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 2, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(1).has_value(), kWait);
        const QString me = m_server->hello(1)->client;
        Op one = chatOp(1, me, u"m1"_s, 1);
        Op two = chatOp(2, me, u"m2"_s, 2);
        QVERIFY(online(s, 1, u"epoch-a"_s, 2, 2, {one, two}));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 1).size(), 2, kWait);
        QCOMPARE(cseqs(opsOf(*m_server, 1)), (QList<quint64> {3, 4}));
        QCOMPARE(s.pendingCount(), 2);
        // The two from the catch-up are confirmed, in place, not duplicated.
        QCOMPARE(s.chat()->count(), 4);
        QCOMPARE(s.chat()->pendingCount(), 2);
        QCOMPARE(chatLines(s).size(), 2);
    }

    void resumeAsksForExactlyWhatItMissed()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(
            s, 0, u"epoch-a"_s, 0, 3,
            {addOp(1, kOther, strokeItem(u"a"_s)), chatOp(2, kOther, u"x"_s), addOp(3, kOther, strokeItem(u"b"_s))},
            proto::Snapshot {0, {}}));
        m_server->send(0, chatOp(4, kOther, u"live"_s));
        QTRY_COMPARE_WITH_TIMEOUT(s.board()->confirmed().seq(), 4u, kWait);
        m_server->abort(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(1).has_value(), kWait);
        const proto::Hello hello = *m_server->hello(1);
        QVERIFY(hello.resume);
        QCOMPARE(hello.resume->epoch, u"epoch-a"_s);
        QCOMPARE(hello.resume->seq, 4u);
        // The server sends what came after 4; the board carries on from where it was.
        QVERIFY(online(s, 1, u"epoch-a"_s, 0, 5, {addOp(5, kOther, strokeItem(u"c"_s))}));
        QCOMPARE(s.board()->itemCount(), 3);
        QCOMPARE(s.lastCatchUp().ops, 1);
        QVERIFY(s.lastCatchUp().resumed);
        QCOMPARE(s.lastCatchUp().resumeSeq, 4u);
    }

    void anEpochChangeKeepsUnsentWorkAndSendsItAgain()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0, u"epoch-a"_s, 0, 2, {chatOp(1, kOther, u"old"_s), addOp(2, kOther, strokeItem(u"a"_s))},
                       proto::Snapshot {0, {}}));
        QVERIFY(s.sendChat(u"acked"_s));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 1, kWait);
        m_server->send(0, proto::Ack {1, 3, false});
        QTRY_COMPARE_WITH_TIMEOUT(s.pendingCount(), 0, kWait);
        m_server->abort(0);
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Reconnecting, kWait);
        // Offline work.
        const QString id = s.addShape(BoardDocument::Line, Qt::blue, 2, {0, 0}, {5, 5});
        QVERIFY(s.sendChat(u"offline"_s));
        QCOMPARE(s.pendingCount(), 2);

        QSignalSpy reset(&s, &Session::roomReset);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(1).has_value(), kWait);
        QCOMPARE(m_server->hello(1)->resume->epoch, u"epoch-a"_s);
        proto::Item fresh = strokeItem(u"new-world"_s);
        fresh.z = 1;
        QVERIFY(online(s, 1, u"epoch-b"_s, 0, 1, {}, proto::Snapshot {1, {fresh}}));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(s.epoch(), u"epoch-b"_s);
        // The old log is gone from the board and the chat; the unsent work is still drawn and goes out again.
        QVERIFY(!s.board()->contains(u"a"_s));
        QVERIFY(s.board()->contains(u"new-world"_s));
        QVERIFY(s.board()->isPending(id));
        QCOMPARE(s.chat()->count(), 1);
        QCOMPARE(s.chat()->pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 1).size(), 2, kWait);
        QCOMPARE(cseqs(opsOf(*m_server, 1)), (QList<quint64> {2, 3}));
    }

    void failuresRetryingCannotFix_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("failure");
        QTest::newRow("wrong password") << 4003 << int(Session::WrongPassword);
        QTest::newRow("unsupported version") << 4001 << int(Session::UnsupportedVersion);
        QTest::newRow("room full") << 4004 << int(Session::RoomFull);
        QTest::newRow("replaced") << 4006 << int(Session::Replaced);
        QTest::newRow("bad token") << 4010 << int(Session::BadToken);
        QTest::newRow("too many attempts") << 4011 << int(Session::TooManyAttempts);
        QTest::newRow("bad hello") << 4000 << int(Session::HelloRejected);
    }

    void failuresRetryingCannotFix()
    {
        QFETCH(int, code);
        QFETCH(int, failure);
        Session &s = session();
        join(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
        m_server->send(0, proto::Error {proto::ErrorCode::WrongPassword, u"details"_s, QString(), true});
        m_server->close(0, quint16(code), u"closing"_s);
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Failed, kWait);
        QCOMPARE(int(s.failure()), failure);
        QVERIFY(!s.reason().isEmpty());
        QCOMPARE(s.statusText(), s.reason());
        QTest::qWait(300); // several backoff delays: no new attempt
        QCOMPARE(m_server->connectionCount(), 1);
        // No password was given: the room needs one, which is not the same as a wrong one.
        const QString expected = failure == int(Session::WrongPassword)
            ? u"This room needs a password. Enter it to join."_s
            : failureText(Session::Failure(failure));
        QCOMPARE(s.reason().left(expected.size()), expected);
    }

    void closesRetryingCanFix_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("going away") << 1001;
        QTest::newRow("server full") << 4005;
        QTest::newRow("slow consumer") << 4009;
        QTest::newRow("heartbeat") << 4012;
        QTest::newRow("policy") << 1008;
        QTest::newRow("normal") << 1000;
    }

    void closesRetryingCanFix()
    {
        QFETCH(int, code);
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0));
        // What the session says the moment it starts reconnecting (polling could see a later attempt: on a loaded
        // machine the fast test heartbeat may drop the next connection too).
        int firstAttempt = -1;
        connect(&s, &Session::stateChanged, this, [&s, &firstAttempt] {
            if (firstAttempt < 0 && s.state() == Session::Reconnecting)
                firstAttempt = s.attempt();
        });
        QString shownReason; // the first reason shown after the close
        connect(&s, &Session::reasonChanged, this, [&s, &shownReason] {
            if (shownReason.isEmpty())
                shownReason = s.reason();
        });
        m_server->close(0, quint16(code));
        QTRY_VERIFY_WITH_TIMEOUT(firstAttempt >= 0, kWait);
        QCOMPARE(firstAttempt, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!shownReason.isEmpty(), kWait);
        QVERIFY(online(s, 1));
        QCOMPARE(s.failure(), Session::NoFailure);
    }

    void aMessageTooLargeFromTheServerIsSaidToBeTheServers()
    {
        // Once reported as "larger than the server allows": the client refuses the server's message (1009) and says
        // so, then tries again like after any 1009. (16 MiB take a while on a busy machine: the heartbeat waits.)
        Timings patient = fastTimings();
        patient.deadAfterMs = 60000;
        Session &s = session(patient);
        join(s);
        QVERIFY(online(s, 0));
        QStringList reasons; // every reason shown, in order (a later attempt may say something else)
        connect(&s, &Session::reasonChanged, this, [&reasons, &s] { reasons << s.reason(); });
        m_server->sendBytes(0, QByteArray(qsizetype(limits::MaxServerMessageBytes) + 1, ' '));
        QTRY_VERIFY_WITH_TIMEOUT(!reasons.isEmpty(), 60000);
        QVERIFY2(
            reasons.constFirst().startsWith(u"The server sent a message larger than this client accepts (16 MiB)"_s),
            qPrintable(reasons.join(u" | "_s)));
        QVERIFY(online(s, 1));
    }

    void wrongPasswordThenTheRightOne()
    {
        Session &s = session();
        join(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
        m_server->close(0, quint16(proto::CloseCode::WrongPassword));
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Failed, kWait);
        QCOMPARE(s.failure(), Session::WrongPassword);
        QCOMPARE(s.reason(), u"This room needs a password. Enter it to join."_s);
        s.join(m_server->url(), u"room"_s, u"Ann"_s, QColor(u"#e53935"_s), u"guess"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(1).has_value(), kWait);
        m_server->close(1, quint16(proto::CloseCode::WrongPassword));
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Failed, kWait);
        // A password was given this time: it is the wrong one.
        QCOMPARE(s.reason(), failureText(Session::WrongPassword));
        s.join(m_server->url(), u"room"_s, u"Ann"_s, QColor(u"#e53935"_s), u"sesame"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(2).has_value(), kWait);
        QCOMPARE(m_server->hello(2)->password, u"sesame"_s);
        QCOMPARE(m_server->hello(2)->client, m_server->hello(0)->client);
        QVERIFY(online(s, 2));
        QCOMPARE(s.failure(), Session::NoFailure);
        QVERIFY(s.reason().isEmpty());
    }

    void backoffGrowsToItsCapAndStartsOverAfterAStableConnection()
    {
        Timings t = fastTimings();
        t.backoffInitialMs = 40;
        t.backoffMaxMs = 320;
        t.stableAfterMs = 600;
        Session &s = session(t);
        // Nobody listens on this port: every attempt fails at once, so the gaps are the backoff delays.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl deadUrl(u"ws://127.0.0.1:%1"_s.arg(probe.serverPort()));
        probe.close();
        QElapsedTimer clock;
        clock.start();
        QList<qint64> connecting;
        QStringList reconnecting; // the banner's line while waiting to try again
        connect(&s, &Session::stateChanged, this, [&] {
            if (s.state() == Session::Connecting)
                connecting.append(clock.elapsed());
            if (s.state() == Session::Reconnecting)
                reconnecting.append(s.statusText());
        });
        join(s, deadUrl);
        QTRY_VERIFY_WITH_TIMEOUT(connecting.size() >= 9, 10000);
        // The line says why, not only how often: nobody listens there.
        QVERIFY(!reconnecting.isEmpty());
        QVERIFY2(reconnecting.first().contains(u"Could not reach the server: Connection refused"_s),
                 qPrintable(reconnecting.first()));
        QList<qint64> gaps;
        for (qsizetype i = 1; i < connecting.size(); ++i)
            gaps.append(connecting[i] - connecting[i - 1]);
        qInfo() << "gaps between attempts (ms):" << gaps;
        // Each gap is the delay [d/2, d] for d = 40, 80, 160, 320, 320, ... plus the failed attempt itself, which
        // takes longer on a busy machine: so single gaps are checked from below only (tst_client_backoff checks the
        // delays exactly). That the delay stops growing at its cap shows in the last four gaps together: at most
        // 4 x 320 ms plus overhead, where a backoff without a cap would wait 320 + 640 + 1,280 + 2,560 ms at least.
        const QList<int> bases {40, 80, 160, 320, 320, 320, 320, 320};
        for (qsizetype i = 0; i < std::min(gaps.size(), bases.size()); ++i)
            QVERIFY2(gaps[i] >= bases[i] / 2 - 5, qPrintable(u"gap %1: %2"_s.arg(i).arg(gaps[i])));
        QVERIFY(gaps.size() >= 8);
        const qint64 lastFour = gaps[4] + gaps[5] + gaps[6] + gaps[7];
        QVERIFY2(lastFour < 2400, qPrintable(u"the last four gaps took %1 ms"_s.arg(lastFour)));
        QVERIFY(s.attempt() >= 8);
        // Now a server that answers: online, and once stable the next loss starts from the first delay again.
        s.join(m_server->url(), u"room"_s, u"Ann"_s, Qt::red);
        QVERIFY(online(s, 0));
        QTRY_COMPARE_WITH_TIMEOUT(s.attempt(), 0, kWait);
        m_server->abort(0);
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Reconnecting, kWait);
        QCOMPARE(s.attempt(), 1);
        QVERIFY(s.retryIn() <= 1);
    }

    void theCountdownCountsAndRetryNowSkipsIt()
    {
        Timings t = fastTimings();
        t.backoffInitialMs = 4000;
        t.backoffJitter = 0;
        Session &s = session(t);
        join(s);
        QVERIFY(online(s, 0));
        m_server->abort(0);
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Reconnecting, kWait);
        QCOMPARE(s.retryIn(), 4);
        QVERIFY(s.statusText().contains(u"Reconnecting in 4 s (attempt 1)"_s));
        QTRY_COMPARE_WITH_TIMEOUT(s.retryIn(), 3, 2000);
        s.sendChat(u"waiting"_s);
        QVERIFY(s.statusText().contains(u"1 change waiting"_s));
        s.retryNow();
        QCOMPARE(s.state(), Session::Connecting);
        QVERIFY(online(s, 1));
    }

    void theHeartbeatFindsAHalfOpenLink()
    {
        FaultProxy proxy;
        QVERIFY(proxy.listen(m_server->port()));
        Session &s = session();
        join(s, proxy.url());
        QVERIFY(online(s, 0));
        QTRY_VERIFY_WITH_TIMEOUT(s.roundTripMs() >= 0, kWait);
        // The link goes dead without a word: no FIN, no RST, nothing.
        QElapsedTimer clock;
        qint64 found = -1;
        QString reason;
        connect(&s, &Session::stateChanged, this, [&] {
            if (s.state() == Session::Reconnecting && found < 0) {
                found = clock.elapsed();
                reason = s.reason();
            }
        });
        clock.start();
        proxy.setHalfOpen(true);
        QTRY_VERIFY_WITH_TIMEOUT(found >= 0, kWait);
        qInfo("half-open link found after %lld ms (deadAfter %d ms)", found, fastTimings().deadAfterMs);
        QVERIFY(found >= fastTimings().deadAfterMs - 100);
        QVERIFY(found <= fastTimings().deadAfterMs + 500);
        QVERIFY2(reason.contains(u"No answer"_s), qPrintable(reason));
        // New connections are dead too: the connect timeout gives up on them.
        QTRY_VERIFY_WITH_TIMEOUT(s.reason().contains(u"did not answer"_s), kWait);
        proxy.setHalfOpen(false);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->connectionCount() >= 2, kWait);
        QVERIFY(online(s, m_server->connectionCount() - 1));
    }

    void theRoundTripTimeIsMeasured()
    {
        FaultProxy proxy;
        QVERIFY(proxy.listen(m_server->port()));
        proxy.setDelay(60);
        Session &s = session();
        join(s, proxy.url());
        QVERIFY(online(s, 0));
        QTRY_VERIFY_WITH_TIMEOUT(s.roundTripMs() >= 110, kWait);
        QVERIFY(s.roundTripMs() < 1000);
    }

    void volatileUpdatesAreThrottledAndNeverQueued()
    {
        Session &s = session();
        join(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
        s.setTyping(true); // offline: dropped
        QVERIFY(online(s, 0));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->receivedOf<proto::Typing>(0).size(), 1, kWait); // still typing: said
        for (int i = 0; i < 200; ++i)
            s.moveCursor(i, i);
        QTRY_VERIFY_WITH_TIMEOUT(!m_server->receivedOf<proto::Cursor>(0).isEmpty(), kWait);
        QTest::qWait(100);
        const auto cursors = m_server->receivedOf<proto::Cursor>(0);
        QVERIFY2(cursors.size() <= 3, qPrintable(QString::number(cursors.size())));
        QCOMPARE(cursors.last().x, 199.0);

        // A stroke: live points go out as deltas while drawing, then the add op.
        const QString id = s.beginStroke(BoardDocument::Stroke, Qt::black, 3, {0, 0});
        QCOMPARE(s.liveStrokes()->count(), 1);
        for (int i = 1; i <= 100; ++i) {
            s.extendStroke(QPointF(i, i));
            if (i % 20 == 0)
                QTest::qWait(15);
        }
        const QString committed = s.endStroke();
        QCOMPARE(committed, id);
        QCOMPARE(s.liveStrokes()->count(), 0);
        QVERIFY(s.board()->isPending(id));
        QCOMPARE(s.board()->item(id)->points.size(), 101);
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 1, kWait);
        const auto lives = m_server->receivedOf<proto::Live>(0);
        QVERIFY(lives.size() >= 2);
        qsizetype next = 0;
        for (const proto::Live &live : lives) {
            QCOMPARE(live.id, id);
            QCOMPARE(qsizetype(live.from), next); // contiguous deltas
            next += live.points.size();
        }
        QCOMPARE(next, 101);
        QVERIFY(lives.last().end);
        QCOMPARE(opsOf(*m_server, 0).first().item.id, id);

        s.setTyping(false);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->receivedOf<proto::Typing>(0).last().active, false, kWait);
    }

    void othersCursorsTypingAndStrokesInProgress()
    {
        Session &s = session();
        join(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
        m_server->welcome(0, u"epoch-a"_s, 0, 0, {}, proto::Snapshot {0, {}},
                          {proto::Member {kOther, u"Bo"_s, 0xff00ff00, false}});
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), Session::Online, kWait);
        QCOMPARE(s.people()->count(), 2);
        m_server->send(0, proto::Cursor {kOther, 12, 34, true});
        m_server->send(0, proto::Typing {kOther, true});
        proto::Live live;
        live.client = kOther;
        live.id = u"bo:1"_s;
        live.points = {{0, 0}, {1, 1}};
        m_server->send(0, live);
        QTRY_COMPARE_WITH_TIMEOUT(s.liveStrokes()->count(), 1, kWait);
        QCOMPARE(s.liveStrokes()->strokes().first().author, u"Bo"_s);
        QCOMPARE(s.people()->typingNames(), QStringList {u"Bo"_s});
        QCOMPARE(s.people()->person(kOther)->cursor, QPointF(12, 34));
        // Their add op arrives: the stroke in progress gives way to the item.
        m_server->send(0, addOp(1, kOther, strokeItem(u"bo:1"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(s.liveStrokes()->count(), 0, kWait);
        QVERIFY(s.board()->contains(u"bo:1"_s));
        // Another stroke; they leave: it goes.
        live.id = u"bo:2"_s;
        m_server->send(0, live);
        QTRY_COMPARE_WITH_TIMEOUT(s.liveStrokes()->count(), 1, kWait);
        m_server->send(0, proto::Presence {proto::PresenceEvent::Left, proto::Member {kOther, u"Bo"_s, 0, false}});
        QTRY_COMPARE_WITH_TIMEOUT(s.liveStrokes()->count(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(s.memberCount(), 1, kWait);
    }

    void aRejectedChangeIsTakenBackAndReported()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0));
        const QString id = s.addShape(BoardDocument::Ellipse, Qt::red, 2, {0, 0}, {4, 4});
        QVERIFY(s.sendChat(u"hello"_s));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 2, kWait);
        QSignalSpy rejected(&s, &Session::changeRejected);
        QSignalSpy deferred(&s, &Session::changeDeferred);
        // For good: the shape leaves the board and is listed as refused, with why.
        m_server->send(0, proto::Reject {1, proto::ErrorCode::BoardFull, u"full"_s});
        // For the moment (the rate limit): the message stays and is sent again after a pause.
        m_server->send(0, proto::Reject {2, proto::ErrorCode::RateLimited, u"slow down"_s, true});
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(deferred.count(), 1, kWait);
        QCOMPARE(rejected.first().at(2).toString(), u"board_full"_s);
        QVERIFY(!s.board()->contains(id));
        QCOMPARE(s.refusals()->count(), 1);
        QVERIFY(s.refusals()->latest().contains(u"board"_s));
        QCOMPARE(s.chat()->count(), 1);
        QCOMPARE(s.pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 3, kWait);
        const Op again = opsOf(*m_server, 0).last();
        QCOMPARE(again.cseq, 2u);
        QCOMPARE(again.text, u"hello"_s);
        m_server->send(0, proto::Ack {2, 1, false, 1763700000000});
        QTRY_COMPARE_WITH_TIMEOUT(s.pendingCount(), 0, kWait);
        QCOMPARE(s.chat()->count(), 1);
        QCOMPARE(s.chat()->messages().first().time, 1763700000000); // the server's time, as everybody sees it
        QCOMPARE(rejected.count(), 1);
    }

    void invalidInputIsRefusedLocally()
    {
        Session &s = session();
        QVERIFY(!s.sendChat(u"no room yet"_s));
        join(s);
        QVERIFY(!s.sendChat(u"   "_s));
        QVERIFY(!s.sendChat(QString(5000, u'x')));
        QVERIFY(!s.sendChat(u"bell\a"_s));
        QCOMPARE(s.pendingCount(), 0);
        Session &t = session();
        t.join(QUrl(u"http://example.org"_s), u"room"_s, u"Ann"_s, Qt::red);
        QCOMPARE(t.state(), Session::Failed);
        QCOMPARE(t.failure(), Session::InvalidSettings);
    }

    void leaveSaysGoodbyeAndForgets()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0, u"epoch-a"_s, 0, 1, {chatOp(1, kOther, u"x"_s)}, proto::Snapshot {0, {}}));
        s.leave();
        QCOMPARE(s.state(), Session::Disconnected);
        QCOMPARE(s.chat()->count(), 0);
        QCOMPARE(s.people()->count(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!m_server->isOpen(0), kWait);
        QTest::qWait(200);
        QCOMPARE(m_server->connectionCount(), 1); // and stays away
    }

    void itemsDrawnWhileTheJournalOpensGetIdsOfTheirOwn()
    {
        // Before the journal has said who we are, an item gets a stand-in id; once it has, the item (and every
        // change that names it) goes out under "<client id>:<n>", which the server requires of a new item.
        QTemporaryDir dir;
        Session &s = session();
        s.setStateDirectory(dir.path());
        join(s);
        const QString early = s.addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        QVERIFY(!early.isEmpty());
        QVERIFY(s.clientId().isEmpty()); // the journal is still opening
        QVERIFY(s.moveItems({early}, 5, 5));
        s.beginStroke(BoardDocument::Stroke, Qt::blue, 2, {1, 1}); // begun now, ended once the identity is known
        QVERIFY(online(s, 0));
        s.extendStroke({20, 20});
        const QString stroke = s.endStroke(true);
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 3, kWait);
        const QList<Op> ops = opsOf(*m_server, 0);
        const QString prefix = s.clientId() + u':';
        QVERIFY(ops.at(0).item.id.startsWith(prefix));
        QCOMPARE(ops.at(1).ids, QStringList {ops.at(0).item.id});
        QVERIFY(ops.at(2).item.id.startsWith(prefix));
        QVERIFY(ops.at(2).item.id != ops.at(0).item.id);
        QCOMPARE(stroke, ops.at(2).item.id);
        QVERIFY(s.board()->contains(ops.at(0).item.id));
        QVERIFY(!s.board()->contains(early));
        // Undo follows the item to its real id.
        QVERIFY(s.undo()); // the stroke
        QVERIFY(s.undo()); // the move
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 5, kWait);
        QCOMPARE(opsOf(*m_server, 0).at(4).ids, QStringList {ops.at(0).item.id});
        m_session.reset(); // before the directory goes
    }

    void workMadeWhileTheJournalOpensGoesAfterTheJournalsOwn()
    {
        QTemporaryDir dir;
        {
            Session &s = session();
            s.setStateDirectory(dir.path());
            // A server that never welcomes: everything stays in the outbox.
            join(s);
            QTRY_VERIFY_WITH_TIMEOUT(m_server->hello(0).has_value(), kWait);
            QVERIFY(s.sendChat(u"from before"_s));
            QSignalSpy saved(&s, &Session::outboxSaved);
            QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty(), kWait);
        }
        Session &s = session();
        s.setStateDirectory(dir.path());
        join(s);
        QVERIFY(s.sendChat(u"right away"_s)); // before the journal has opened
        QVERIFY(online(s, 1));
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 1).size(), 2, kWait);
        const QList<Op> ops = opsOf(*m_server, 1);
        QCOMPARE(ops.at(0).text, u"from before"_s);
        QCOMPARE(ops.at(1).text, u"right away"_s);
        // The journal's op keeps its number; the new one is numbered above the journal's ceiling, which covers
        // anything the first run could have given out.
        QCOMPARE(ops.at(0).cseq, 1u);
        QVERIFY(ops.at(1).cseq > ops.at(0).cseq);
        QVERIFY(ops.at(1).cseq >= 1 + inkroom::client::JournalCeilingBlock);
        QCOMPARE(m_server->hello(1)->client, m_server->hello(0)->client);
        m_session.reset(); // before the directory goes
    }

    void undoAndRedoOwnChanges()
    {
        Session &s = session();
        join(s);
        QVERIFY(online(s, 0));
        const QString id = s.addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        QVERIFY(s.moveItems({id}, 5, 5));
        QVERIFY(s.canUndo());
        QVERIFY(s.undo()); // the move
        QCOMPARE(s.board()->item(id)->points.first(), QPointF(0, 0));
        QVERIFY(s.undo()); // the add
        QVERIFY(!s.board()->contains(id));
        QVERIFY(!s.canUndo());
        QVERIFY(s.redo());
        QVERIFY(s.board()->contains(id));
        QVERIFY(s.canRedo());
        QTRY_COMPARE_WITH_TIMEOUT(opsOf(*m_server, 0).size(), 5, kWait);
        const QList<Op> ops = opsOf(*m_server, 0);
        QCOMPARE(ops.at(2).kind, OpKind::Move);
        QCOMPARE(ops.at(2).dx, -5.0);
        QCOMPARE(ops.at(3).kind, OpKind::Remove);
        QCOMPARE(ops.at(4).kind, OpKind::Add);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_client_session.moc"
