// When the room goes for good, and when the server cannot be reached: real sessions against the real server (through
// the fault proxy where a link must hold what was sent). A room its host closed tells every member who closed it and
// is never retried; what a member had not delivered stays in sight, marked as not delivered, never dropped. A server
// that cannot be reached is tried a bounded number of times, then the session says why and waits for Try again.
#include "faultproxy.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"
#include "translations.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 10000;
const QString kRoom = u"design"_s;

//! A port nothing listens on (it was free a moment ago).
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestClientRoomClosed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The texts are checked in English, with its plural forms ("1 change waiting").
        inkroom::i18n::install(*QCoreApplication::instance(), QLocale(QLocale::English));
    }

    void closedForEveryoneIsFinalAndKeepsUnsentWork()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        const quint16 port = fixture.port();
        FaultProxy proxy;
        QVERIFY(proxy.listen(port));

        Session ann, bo, cy;
        for (Session *s : {&ann, &bo, &cy})
            s->setTimings(fastTimings());
        ann.join(fixture.url(), kRoom, u"Ann"_s, QColor(Qt::black));
        bo.join(proxy.url(), kRoom, u"Bo"_s, QColor(Qt::red)); // Bo's link holds what he sends, on demand
        cy.join(fixture.url(), kRoom, u"Cy"_s, QColor(Qt::blue));
        for (Session *s : {&ann, &bo, &cy})
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), Session::Online, kWait);
        QVERIFY(bo.sendChat(u"delivered"_s));
        QTRY_COMPARE_WITH_TIMEOUT(bo.pendingCount(), 0, kWait);

        // Bo's next changes leave his app but never reach the server.
        proxy.setStalled(true, FaultProxy::ToServer);
        QVERIFY(bo.sendChat(u"not delivered"_s));
        QVERIFY(!bo.addShape(BoardDocument::Rect, QColor(Qt::red), 2, {0, 0}, {40, 30}).isEmpty());
        QCOMPARE(bo.pendingCount(), 2);

        QSignalSpy boStates(&bo, &Session::stateChanged);
        fixture.server()->closeForEveryone(u"Ann"_s);
        for (Session *s : {&ann, &bo, &cy}) {
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), Session::Failed, kWait);
            QCOMPARE(s->failure(), Session::RoomClosed);
            QCOMPARE(s->reason(), u"Ann closed the room."_s);
            QCOMPARE(failureName(s->failure()), u"room_closed"_s);
        }
        QCOMPARE(cy.statusText(), u"Ann closed the room."_s);

        // Bo's unsent work is still there, and said to be undelivered rather than waiting.
        QCOMPARE(bo.pendingCount(), 2);
        QCOMPARE(bo.statusText(),
                 u"Ann closed the room. 2 changes of yours were not delivered; they are still shown here."_s);
        QCOMPARE(bo.board()->itemCount(), 1);
        const ChatModel *chat = bo.chat();
        QCOMPARE(chat->rowCount(), 2);
        QCOMPARE(chat->data(chat->index(1), ChatModel::TextRole).toString(), u"not delivered"_s);
        QVERIFY(chat->data(chat->index(1), ChatModel::PendingRole).toBool());
        QVERIFY(!chat->data(chat->index(0), ChatModel::PendingRole).toBool());

        // Nobody comes back by themselves, even to a server at the same address: the room was closed, not lost.
        fixture.stop();
        proxy.setStalled(false);
        QVERIFY(fixture.start(port));
        const int linksBefore = proxy.acceptedLinks();
        // Well past several reconnect attempts of fastTimings() (backoff 50 to 400 ms).
        QTest::qWait(1500);
        for (Session *s : {&ann, &bo, &cy})
            QCOMPARE(s->state(), Session::Failed);
        QCOMPARE(proxy.acceptedLinks(), linksBefore);
        QCOMPARE(fixture.server()->connectionCount(), 0);
        QCOMPARE(boStates.size(), 1); // Online -> Failed, nothing after
        QCOMPARE(bo.attempt(), 0);
    }

    void anUnreachableServerIsTriedABoundedNumberOfTimes()
    {
        const quint16 port = closedPort();
        Session session;
        Timings timings = fastTimings();
        timings.giveUpAfterAttempts = 3;
        session.setTimings(timings);
        QSignalSpy attempts(&session, &Session::attemptChanged);
        session.join(QUrl(u"ws://127.0.0.1:%1"_s.arg(port)), kRoom, u"Ann"_s, QColor(Qt::black));
        QVERIFY(session.sendChat(u"kept while nobody answers"_s));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::Failed, kWait);
        QCOMPARE(session.failure(), Session::Unreachable);
        QCOMPARE(failureName(session.failure()), u"unreachable"_s);
        // Why, in words: how often it tried, where, and what the last attempt met.
        QVERIFY2(session.reason().contains(u"stopped trying after 3 attempts to reach 127.0.0.1:%1"_s.arg(port)),
                 qPrintable(session.reason()));
        QVERIFY2(session.reason().contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(session.reason()));
        QVERIFY2(session.statusText().contains(u"1 change waiting"_s), qPrintable(session.statusText()));
        QCOMPARE(session.pendingCount(), 1);

        // Try again, once the server is there: it connects and delivers what waited.
        ServerFixture fixture;
        QVERIFY(fixture.start(port));
        session.retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(session.pendingCount(), 0, kWait);
        QCOMPARE(session.failure(), Session::NoFailure);

        // A server that was reached and then lost is a new count: three more failures in a row are needed again.
        fixture.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::Failed, kWait);
        QCOMPARE(session.failure(), Session::Unreachable);
        QVERIFY2(session.reason().contains(u"after 3 attempts"_s), qPrintable(session.reason()));
    }

    void aReachableServerIsNeverGivenUpOn()
    {
        // Attempts that reach the server and are turned away by it (it is full: close 4005, retry later) are not
        // "cannot reach": the session keeps trying, however many attempts that takes.
        ServerFixture fixture([](server::ServerConfig &config) { config.maxConnections = 1; });
        QVERIFY(fixture.start());
        auto first = std::make_unique<Session>();
        first->setTimings(fastTimings());
        first->join(fixture.url(), kRoom, u"Ann"_s, QColor(Qt::black));
        QTRY_COMPARE_WITH_TIMEOUT(first->state(), Session::Online, kWait);

        Session second;
        Timings timings = fastTimings();
        timings.giveUpAfterAttempts = 2;
        second.setTimings(timings);
        second.join(fixture.url(), kRoom, u"Bo"_s, QColor(Qt::red));
        QTRY_VERIFY_WITH_TIMEOUT(second.attempt() >= 4, kWait);
        QCOMPARE(second.failure(), Session::NoFailure);
        QVERIFY(second.state() != Session::Failed);
        first.reset(); // room for one more
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), Session::Online, kWait);
    }
};

QTEST_GUILESS_MAIN(TestClientRoomClosed)
#include "tst_client_roomclosed.moc"
