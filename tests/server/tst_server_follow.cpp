// Following and the laser pointer against the real server, with clients that speak the raw protocol and ignore every
// UI rule (docs/PROTOCOL.md, "Following and the laser pointer"): only owners may summon, views and laser trails reach
// the other members of the same room only, a viewer points but does not draw, and bad or flooding input is bounded.
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"classroom"_s;
const QString kTeacher = u"client-teacher-01"_s;
const QString kPupil = u"client-pupil-0001"_s;
const QString kOther = u"client-pupil-0002"_s;
const QString kLate = u"client-pupil-0003"_s;

//! The index of the first message of type T the client received, or -1.
template<class T> qsizetype indexOf(const TestClient &client)
{
    const QList<Message> &messages = client.messages();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (std::holds_alternative<T>(messages[i]))
            return i;
    }
    return -1;
}

//! The errors the client received with this code.
int errorsWith(const TestClient &client, ErrorCode code)
{
    int n = 0;
    for (const Error &error : client.all<Error>())
        n += error.code == code ? 1 : 0;
    return n;
}

//! Let everything sent so far arrive (a chat op's ack comes after every message sent before it).
bool settle(TestClient &client)
{
    const Op chat = client.makeChat(u"sync"_s);
    client.send(chat);
    return client.waitForAnswer(chat.cseq);
}

} // namespace

class TestServerFollow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyOwnersMaySummon()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s), other(kOther, u"Cy"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QVERIFY(other.join(fixture.url(), kRoom));

        // A pupil's summon (a client that ignores the UI) is refused and reaches nobody.
        pupil.send(Summon {});
        pupil.send(Summon {kTeacher, true}); // naming somebody else changes nothing: the server sets client
        QVERIFY(waitUntil([&] { return errorsWith(pupil, ErrorCode::NotOwner) == 2; }));
        QCOMPARE(pupil.last<Error>()->field, u"type"_s);
        QVERIFY(!pupil.last<Error>()->fatal);
        QVERIFY(settle(pupil));
        QVERIFY(settle(teacher));
        QVERIFY(settle(other));
        QCOMPARE(teacher.count<Summon>(), 0);
        QCOMPARE(other.count<Summon>(), 0);
        QVERIFY(pupil.isConnected());

        // The owner's reaches everybody else, named by the server.
        teacher.send(Summon {kPupil, true});
        QVERIFY(pupil.waitFor<Summon>());
        QVERIFY(other.waitFor<Summon>());
        QCOMPARE(*pupil.last<Summon>(), (Summon {kTeacher, true}));
        QVERIFY(settle(teacher));
        QCOMPARE(teacher.count<Summon>(), 0);

        // Somebody who joins while it is active is asked too, after the catch-up.
        TestClient late(kLate, u"Di"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.waitFor<Summon>());
        QCOMPARE(*late.last<Summon>(), (Summon {kTeacher, true}));
        QVERIFY(indexOf<Summon>(late) > indexOf<Synced>(late));

        // Withdrawn: everybody hears, and a later joiner is not asked.
        teacher.send(Summon {{}, false});
        QVERIFY(pupil.waitFor<Summon>(2));
        QCOMPARE(*pupil.last<Summon>(), (Summon {kTeacher, false}));
        late.close();
        TestClient again(kLate, u"Di"_s);
        QVERIFY(again.join(fixture.url(), kRoom));
        QVERIFY(settle(again));
        QCOMPARE(again.count<Summon>(), 0);

        // A summon ends with its owner: who joins after the owner left is not asked to follow nobody.
        teacher.send(Summon {});
        QVERIFY(pupil.waitFor<Summon>(3));
        teacher.close();
        QVERIFY(waitUntil([&] {
            return pupil.last<Presence>() && pupil.last<Presence>()->event == PresenceEvent::Left
                && pupil.last<Presence>()->member.client == kTeacher;
        }));
        again.close();
        TestClient third(kLate, u"Di"_s);
        QVERIFY(third.join(fixture.url(), kRoom));
        QVERIFY(settle(third));
        QCOMPARE(third.count<Summon>(), 0);

        // A demoted owner may not summon (the role as ordered decides), a promoted member may.
        TestClient teacherBack(kTeacher, u"Ann"_s);
        teacherBack.nextCseq = teacher.nextCseq;
        QVERIFY(teacherBack.join(fixture.url(), kRoom));
        Op promote;
        promote.kind = OpKind::SetRole;
        promote.cseq = teacherBack.nextCseq++;
        promote.target = kPupil;
        promote.role = Role::Owner;
        teacherBack.send(promote);
        QVERIFY(teacherBack.waitForAnswer(promote.cseq));
        QVERIFY(teacherBack.ackFor(promote.cseq));
        QVERIFY(waitUntil([&] { return pupil.last<Op>() && pupil.last<Op>()->kind == OpKind::SetRole; }));
        pupil.send(Summon {});
        QVERIFY(teacherBack.waitFor<Summon>());
        QCOMPARE(teacherBack.last<Summon>()->client, kPupil);
        QCOMPARE(errorsWith(pupil, ErrorCode::NotOwner), 2);
    }

    void viewsAndLaserStayInTheRoom()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(kTeacher, u"Ann"_s), bo(kPupil, u"Bo"_s), stranger(kOther, u"Cy"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        QVERIFY(stranger.join(fixture.url(), u"another room"_s));

        ann.send(View {kPupil, -100, 50, 1280, 720}); // a forged client is replaced by the sender's
        ann.send(Laser {{}, {{1, 2}, {3, 4}}, false});
        ann.send(Laser {{}, {}, true});
        QVERIFY(bo.waitFor<View>());
        QCOMPARE(*bo.last<View>(), (View {kTeacher, -100, 50, 1280, 720}));
        QVERIFY(bo.waitFor<Laser>(2));
        QCOMPARE(bo.all<Laser>().at(0), (Laser {kTeacher, {{1, 2}, {3, 4}}, false}));
        QCOMPARE(bo.all<Laser>().at(1), (Laser {kTeacher, {}, true}));
        // Never back to the sender, never into another room, never into the log.
        QVERIFY(settle(ann));
        QVERIFY(settle(stranger));
        QCOMPARE(ann.count<View>() + ann.count<Laser>(), 0);
        QCOMPARE(stranger.count<View>() + stranger.count<Laser>(), 0);
        TestClient later(kLate, u"Di"_s);
        QVERIFY(later.join(fixture.url(), kRoom));
        QCOMPARE(later.count<Laser>(), 0);
        for (const Op &op : later.all<Op>())
            QVERIFY(op.kind == OpKind::Chat); // the settle chats, nothing of the pointer

        // A joiner gets everybody's latest view after the catch-up; a member who left takes theirs along.
        QVERIFY(later.waitFor<View>());
        QCOMPARE(later.count<View>(), 1);
        QCOMPARE(*later.last<View>(), (View {kTeacher, -100, 50, 1280, 720}));
        QVERIFY(indexOf<View>(later) > indexOf<Synced>(later));
        ann.close();
        QVERIFY(waitUntil([&] {
            return bo.last<Presence>() && bo.last<Presence>()->event == PresenceEvent::Left
                && bo.last<Presence>()->member.client == kTeacher;
        }));
        later.close();
        TestClient latest(kLate, u"Di"_s);
        QVERIFY(latest.join(fixture.url(), kRoom));
        QVERIFY(settle(latest));
        QCOMPARE(latest.count<View>(), 0);
    }

    void viewerPointsButDoesNotDraw()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        Op guests;
        guests.kind = OpKind::SetDefaultRole;
        guests.cseq = teacher.nextCseq++;
        guests.role = Role::Viewer;
        teacher.send(guests);
        QVERIFY(teacher.waitForAnswer(guests.cseq));
        QVERIFY(teacher.ackFor(guests.cseq));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QCOMPARE(pupil.welcome()->defaultRole, Role::Viewer);

        pupil.send(Laser {{}, {{10, 10}, {20, 20}}, false});
        pupil.send(View {{}, 0, 0, 640, 480});
        QVERIFY(teacher.waitFor<Laser>());
        QCOMPARE(teacher.last<Laser>()->client, kPupil);
        QVERIFY(teacher.waitFor<View>());
        // Followed and pointing, yet the board is not theirs to change.
        const Op add = pupil.makeAdd();
        pupil.send(add);
        QVERIFY(pupil.waitForAnswer(add.cseq));
        QCOMPARE(pupil.rejectFor(add.cseq)->code, ErrorCode::ViewOnly);
        QVERIFY(!pupil.rejectFor(add.cseq)->retry);
        QVERIFY(settle(teacher));
        QCOMPARE(teacher.boardSinceWelcome().size(), 0);
        // And a viewer's summon is refused like any non-owner's.
        pupil.send(Summon {});
        QVERIFY(waitUntil([&] { return errorsWith(pupil, ErrorCode::NotOwner) == 1; }));
    }

    void boundsOnViewsAndLaser()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(kTeacher, u"Ann"_s), bo(kPupil, u"Bo"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        // Malformed: a non-fatal error naming the field, nothing relayed, the connection stays.
        QByteArray tooMany = R"({"type":"laser","points":[0,0)";
        for (int i = 1; i <= 100; ++i)
            tooMany += ",1,1";
        ann.sendBytes(tooMany + "]}");
        ann.sendBytes(R"({"type":"view","x":0,"y":0,"w":0,"h":5})");
        ann.sendBytes(R"({"type":"view","x":0,"y":1e9,"w":5,"h":5})");
        ann.sendBytes(R"({"type":"view","x":0,"y":0,"w":"wide","h":5})");
        ann.sendBytes(R"({"type":"laser","points":[]})");
        QVERIFY(ann.waitFor<Error>(5));
        const QList<Error> errors = ann.all<Error>();
        QCOMPARE(errors.at(0).code, ErrorCode::TooManyPoints);
        QCOMPARE(errors.at(1).code, ErrorCode::OutOfRange);
        QCOMPARE(errors.at(1).field, u"w"_s);
        QCOMPARE(errors.at(2).field, u"y"_s);
        QCOMPARE(errors.at(3).code, ErrorCode::WrongType);
        QCOMPARE(errors.at(4).code, ErrorCode::BadValue);
        for (const Error &error : errors)
            QVERIFY(!error.fatal);
        QVERIFY(settle(bo));
        QCOMPARE(bo.count<View>() + bo.count<Laser>(), 0);
        QVERIFY(ann.isConnected());

        // A flood of views is coalesced like cursors: far fewer arrive, and the newest always does.
        const int sent = 150;
        for (int i = 1; i <= sent; ++i)
            ann.send(View {{}, double(i), 0, 100, 100});
        QVERIFY(waitUntil([&] { return bo.last<View>() && bo.last<View>()->x == sent; }));
        QVERIFY2(bo.count<View>() < sent / 2, qPrintable(QString::number(bo.count<View>())));
        // The server remembers only the newest for joiners.
        TestClient late(kLate, u"Di"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.waitFor<View>());
        QVERIFY(settle(late));
        QCOMPARE(late.count<View>(), 1);
        QCOMPARE(late.last<View>()->x, double(sent));
        QVERIFY(ann.isConnected());
    }
};

QTEST_GUILESS_MAIN(TestServerFollow)
#include "tst_server_follow.moc"
