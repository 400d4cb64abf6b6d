// Following and the laser pointer as a user meets them: real sessions and inkroom-cli against the real server
// in-process (docs/PROTOCOL.md, "Following and the laser pointer"). A follower sees the presenter's view, stops by
// hand and follows again, follows an owner who summons, keeps following across its own reconnect, and is told when
// the presenter leaves or crashes; a laser trail reaches the others, fades, and never touches the board.
#include "cliprocess.h"
#include "session.h"
#include "sessionroom.h"
#include "testutil.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 10000;
const QString kRoom = u"lecture"_s;

} // namespace

class TestClientFollow : public QObject
{
    Q_OBJECT

    std::unique_ptr<SessionRoom> m_room;

    //! A session in the room, online; through the proxy when asked.
    Session *join(const QString &name, bool viaProxy = false) { return m_room->join(name, viaProxy); }

    std::unique_ptr<CliProcess> cli(const QString &name, const QString &stateDir, bool volatileEvents = false)
    {
        QStringList arguments {
            u"--server"_s, m_room->server()->url().toString(), u"--room"_s, kRoom, u"--name"_s, name, u"--state-dir"_s,
            stateDir};
        if (volatileEvents)
            arguments << u"--volatile"_s;
        return std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE), arguments);
    }

private Q_SLOTS:
    void init()
    {
        m_room = std::make_unique<SessionRoom>(kRoom, QColor(0xe5, 0x39, 0x35));
        QVERIFY(m_room->start());
    }

    void cleanup() { m_room.reset(); }

    void followStopAndFollowAgain()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        ann->setView(0, 0, 800, 600);
        Session *bo = join(u"Bo"_s);
        QVERIFY(bo);
        Following *following = bo->following();
        QVERIFY(!bo->followMember(bo->clientId())); // never ourselves
        QVERIFY(!bo->followMember(u"client-nobody-01"_s));
        QVERIFY(!following->active());

        QSignalSpy targets(following, &Following::targetChanged);
        // Ann's view reached Bo when he joined (the server keeps it), so following starts at once.
        QTRY_VERIFY_WITH_TIMEOUT(!following->viewOf(ann->clientId()).isEmpty(), kWait);
        QVERIFY(bo->followMember(ann->clientId()));
        QVERIFY(following->active());
        QCOMPARE(following->presenterName(), u"Ann"_s);
        QCOMPARE(following->target(), QRectF(0, 0, 800, 600));
        QCOMPARE(targets.size(), 1);

        ann->setView(-500, 200, 1600, 900);
        QTRY_COMPARE_WITH_TIMEOUT(following->target(), QRectF(-500, 200, 1600, 900), kWait);

        // By hand: following stops, "Follow again" is offered and takes it up.
        following->interrupt();
        QVERIFY(!following->active());
        QVERIFY(following->resumable());
        QVERIFY(following->target().isEmpty());
        ann->setView(10, 10, 100, 100);
        QTRY_COMPARE_WITH_TIMEOUT(following->viewOf(ann->clientId()), QRectF(10, 10, 100, 100), kWait);
        QVERIFY(following->followAgain());
        QCOMPARE(following->target(), QRectF(10, 10, 100, 100));
        following->stop();
        QVERIFY(!following->active());
        QVERIFY(!following->resumable());
    }

    void anOwnerSummonsEverybodyAndOnlyAnOwnerCan()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        ann->setView(0, 0, 1000, 500);
        Session *bo = join(u"Bo"_s);
        Session *cy = join(u"Cy"_s);
        QVERIFY(bo && cy);
        QTRY_VERIFY_WITH_TIMEOUT(cy->people()->person(bo->clientId()), kWait);

        // Bo is no owner: his app refuses and says why, and nobody follows him.
        QSignalSpy boProblems(bo, &Session::problem);
        QVERIFY(!bo->summonEveryone(true));
        QCOMPARE(boProblems.size(), 1);
        QVERIFY(!bo->summoning());

        QVERIFY(ann->summonEveryone(true));
        QVERIFY(ann->summoning());
        for (Session *s : {bo, cy}) {
            QTRY_VERIFY_WITH_TIMEOUT(s->following()->active(), kWait);
            QVERIFY(s->following()->summoned());
            QCOMPARE(s->following()->presenterId(), ann->clientId());
            QCOMPARE(s->following()->target(), QRectF(0, 0, 1000, 500));
        }
        QVERIFY(!ann->following()->active());
        // Each may stop; the others keep following.
        cy->following()->stop();
        QVERIFY(!cy->following()->active());
        QVERIFY(bo->following()->active());

        // A latecomer follows too, from the moment it joins.
        Session *di = join(u"Di"_s);
        QVERIFY(di);
        QTRY_VERIFY_WITH_TIMEOUT(di->following()->active() && di->following()->summoned(), kWait);
        QCOMPARE(di->following()->target(), QRectF(0, 0, 1000, 500));

        // Let go: the summoned stop with a notice.
        QVERIFY(ann->summonEveryone(false));
        QTRY_VERIFY_WITH_TIMEOUT(!bo->following()->active(), kWait);
        QVERIFY(bo->following()->notice().contains(u"Ann stopped presenting"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!di->following()->active(), kWait);
    }

    void thePresenterLeavingEndsFollowingAndReconnectsKeepIt()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        ann->setView(0, 0, 640, 480);
        Session *bo = join(u"Bo"_s, true);
        QVERIFY(bo);
        QTRY_VERIFY_WITH_TIMEOUT(bo->followMember(ann->clientId()), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->following()->target(), QRectF(0, 0, 640, 480), kWait);

        // Bo's own link drops: he keeps following, and Ann's view while he was away reaches him after the welcome.
        m_room->proxy()->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(bo->state() != Session::Online, kWait);
        ann->setView(100, 100, 320, 240);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QVERIFY(bo->following()->active());
        QTRY_COMPARE_WITH_TIMEOUT(bo->following()->target(), QRectF(100, 100, 320, 240), kWait);

        // Ann leaves while Bo is away: his welcome tells him, and following ends with a plain notice.
        m_room->proxy()->setRefuse(true);
        m_room->proxy()->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(bo->state() != Session::Online, kWait);
        ann->leave();
        m_room->proxy()->setRefuse(false);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!bo->following()->active(), kWait);
        QVERIFY(bo->following()->notice().contains(u"Ann left"_s));
        QVERIFY(!bo->following()->resumable());
    }

    void aPresenterWhoCrashesIsNoLongerFollowed()
    {
        QTemporaryDir state;
        auto presenter = cli(u"Ann"_s, state.path());
        QVERIFY(presenter->waitForEvent(u"synced"_s));
        presenter->write(u"/view 50 60 700 400"_s);
        Session *bo = join(u"Bo"_s);
        QVERIFY(bo);
        const QString ann = presenter->clientId();
        QTRY_COMPARE_WITH_TIMEOUT(bo->following()->viewOf(ann), QRectF(50, 60, 700, 400), kWait);
        QVERIFY(bo->followMember(ann));
        presenter->kill(); // SIGKILL: no goodbye
        QTRY_VERIFY_WITH_TIMEOUT(!bo->following()->active(), kWait);
        QVERIFY(bo->following()->notice().contains(u"Ann left"_s));
    }

    void laserTrailsReachOthersFadeAndStayOffTheBoard()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        QVERIFY(ann->setGuestsReadOnly(true));
        QTRY_VERIFY_WITH_TIMEOUT(ann->pendingCount() == 0, kWait);
        Session *bo = join(u"Bo"_s);
        QVERIFY(bo);
        QVERIFY(bo->viewOnly());
        const int annItems = ann->board()->itemCount();

        // A viewer points: Ann sees the trail, with its pointer lifted at the end.
        ann->laser()->setLifeMs(400);
        for (int i = 0; i < 10; ++i)
            bo->laserTo(10 * i, 5 * i);
        bo->laserEnd();
        QVERIFY(bo->laser()->pointCount(bo->clientId()) > 0); // our own trail shows at once too
        QTRY_COMPARE_WITH_TIMEOUT(ann->laser()->pointCount(bo->clientId()), 10, kWait);
        QVERIFY(ann->laser()->isVisible());
        // ...and it fades by itself.
        QTRY_VERIFY_WITH_TIMEOUT(!ann->laser()->isVisible(), kWait);
        QCOMPARE(ann->laser()->pointCount(bo->clientId()), 0);

        // Never a change: nothing on the board, in undo, in the outbox or refused.
        QCOMPARE(ann->board()->itemCount(), annItems);
        QCOMPARE(bo->board()->itemCount(), annItems);
        QVERIFY(!bo->canUndo());
        QCOMPARE(bo->pendingCount(), 0);
        QCOMPARE(bo->refusals()->rowCount(), 0);
        // A non-finite point is not sent (and not shown).
        const qsizetype before = bo->laser()->pointCount(bo->clientId());
        bo->laserTo(qQNaN(), 1);
        QCOMPARE(bo->laser()->pointCount(bo->clientId()), before);
    }

    void theCommandLineFollowsSummonsAndSeesPointers()
    {
        QTemporaryDir state;
        auto teacher = cli(u"Teacher"_s, state.path());
        QVERIFY(teacher->waitForEvent(u"synced"_s));
        auto pupil = cli(u"Pupil"_s, state.path(), true);
        QVERIFY(pupil->waitForEvent(u"synced"_s));
        QVERIFY(teacher->waitFor([](const QJsonObject &e) { return e.value("type"_L1) == "presence"_L1; }));

        // Pupil's summon is refused by his own client (not an owner); Teacher's reaches him.
        pupil->write(u"/summon"_s);
        QVERIFY(QTest::qWaitFor([&pupil] { return pupil->errors().contains(u"owners"_s); }, kWait));
        teacher->write(QStringList {u"/view 0 0 800 450"_s, u"/summon"_s, u"/laser 1 2 3 4"_s});
        QVERIFY(pupil->waitFor(
            [](const QJsonObject &e) { return e.value("type"_L1) == "summon"_L1 && e.value("active"_L1).toBool(); }));
        QVERIFY(pupil->waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "following"_L1 && e.value("active"_L1).toBool()
                && e.value("name"_L1) == "Teacher"_L1 && e.value("summoned"_L1).toBool();
        }));
        QVERIFY(pupil->waitFor(
            [](const QJsonObject &e) { return e.value("type"_L1) == "view"_L1 && e.value("w"_L1).toDouble() == 800; }));
        QVERIFY(pupil->waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "laser"_L1 && e.value("end"_L1).toBool()
                && e.value("points"_L1).toArray().size() == 4;
        }));
        pupil->write(QStringList {u"/unfollow"_s, u"/follow Nobody"_s});
        QVERIFY(pupil->waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "following"_L1 && !e.value("active"_L1).toBool();
        }));
        QVERIFY(QTest::qWaitFor([&pupil] { return pupil->errors().contains(u"Nobody"_s); }, kWait));
        pupil->closeInput();
        QVERIFY(pupil->waitForExit());
        QCOMPARE(pupil->exitCode(), 3); // the refused summon and the unknown name
        teacher->closeInput();
        QVERIFY(teacher->waitForExit());
        QCOMPARE(teacher->exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestClientFollow)
#include "tst_client_follow.moc"
