// Roles, host controls and direct messages against the real server, with clients that speak the raw protocol and
// ignore every UI rule (docs/PROTOCOL.md, "Roles and host controls" and "Direct messages"): whatever a viewer, an
// editor or a removed member sends, the server alone decides, and a direct message reaches its two people only.
#include "closecodes.h"
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

Op control(TestClient &sender, OpKind kind, const QString &target = {})
{
    Op op;
    op.kind = kind;
    op.cseq = sender.nextCseq++;
    op.target = target;
    return op;
}

Op roleOp(TestClient &sender, const QString &target, Role role)
{
    Op op = control(sender, OpKind::SetRole, target);
    op.role = role;
    return op;
}

Op directOp(TestClient &sender, const QString &target, const QString &text)
{
    Op op = control(sender, OpKind::Direct, target);
    op.text = text;
    return op;
}

//! Send op and wait for its answer; the answer's error code, or nullopt for an ack.
std::optional<ErrorCode> answer(TestClient &client, const Op &op)
{
    client.send(op);
    if (!client.waitForAnswer(op.cseq))
        return ErrorCode::Internal;
    if (const auto reject = client.rejectFor(op.cseq)) {
        // Every refusal here is permanent: the client drops the op and tells its user.
        if (reject->retry)
            return ErrorCode::HeldBack;
        return reject->code;
    }
    return std::nullopt;
}

std::optional<Role> roleIn(const Welcome &welcome, const QString &client)
{
    for (const Member &member : welcome.members) {
        if (member.client == client)
            return member.role;
    }
    return std::nullopt;
}

//! The texts of every chat or direct message the client received since it connected.
QStringList textsSeen(const TestClient &client)
{
    QStringList texts;
    for (const Op &op : client.all<Op>()) {
        if (isMessageOp(op.kind))
            texts << op.text;
    }
    return texts;
}

} // namespace

class TestServerControls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void creatorOwnsTheRoomAndRolesSurviveARestart()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QCOMPARE(roleIn(*teacher.welcome(), kTeacher), Role::Owner);
        QCOMPARE(teacher.welcome()->defaultRole, Role::Editor);
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QCOMPARE(roleIn(*pupil.welcome(), kPupil), std::nullopt); // the room's default: editor
        QCOMPARE(answer(pupil, pupil.makeAdd()), std::nullopt);

        QCOMPARE(answer(teacher, roleOp(teacher, kPupil, Role::Viewer)), std::nullopt);
        QVERIFY(waitUntil([&pupil] { return pupil.last<Op>() && pupil.last<Op>()->kind == OpKind::SetRole; }));
        QCOMPARE(pupil.last<Op>()->role, Role::Viewer);
        QCOMPARE(pupil.last<Op>()->target, kPupil);

        // A viewer's board ops are refused for good; it may still chat.
        const qsizetype before = teacher.all<Op>().size();
        for (OpKind kind : {OpKind::Add, OpKind::Update, OpKind::Remove, OpKind::Move}) {
            Op op = pupil.makeAdd();
            op.kind = kind;
            op.ids = {op.item.id};
            op.item.id = kPupil + u":1"_s;
            QCOMPARE(answer(pupil, op), ErrorCode::ViewOnly);
        }
        QCOMPARE(answer(pupil, pupil.makeChat(u"may I draw?"_s)), std::nullopt);
        QVERIFY(teacher.waitFor<Op>(int(before) + 1));
        QTest::qWait(50);
        QCOMPARE(teacher.all<Op>().size(), before + 1); // the chat, nothing else

        // Roles are the room's durable state, keyed to the identity.
        fixture.restart();
        TestClient again(kPupil, u"Bo"_s);
        again.nextCseq = pupil.nextCseq;
        QVERIFY(again.join(fixture.url(), kRoom));
        QCOMPARE(roleIn(*again.welcome(), kPupil), Role::Viewer);
        QCOMPARE(answer(again, again.makeAdd()), ErrorCode::ViewOnly);
        TestClient teacherAgain(kTeacher, u"Ann"_s);
        teacherAgain.nextCseq = teacher.nextCseq;
        QVERIFY(teacherAgain.join(fixture.url(), kRoom));
        QCOMPARE(roleIn(*teacherAgain.welcome(), kTeacher), Role::Owner);
        QCOMPARE(roleIn(*teacherAgain.welcome(), kPupil), Role::Viewer);
        QCOMPARE(answer(teacherAgain, roleOp(teacherAgain, kPupil, Role::Editor)), std::nullopt);
        QCOMPARE(answer(again, again.makeAdd()), std::nullopt);
    }

    void onlyOwnersMayControl()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QCOMPARE(answer(teacher, teacher.makeAdd()), std::nullopt);

        Op defaults = control(pupil, OpKind::SetDefaultRole);
        defaults.role = Role::Viewer;
        Op rollback = control(pupil, OpKind::Rollback, kTeacher);
        rollback.count = 1;
        const QList<Op> attempts {control(pupil, OpKind::Clear),          roleOp(pupil, kPupil, Role::Owner),
                                  roleOp(pupil, kTeacher, Role::Viewer),  defaults,
                                  control(pupil, OpKind::Lock),           control(pupil, OpKind::Unlock),
                                  control(pupil, OpKind::Kick, kTeacher), rollback};
        const qsizetype seen = teacher.all<Op>().size();
        for (const Op &op : attempts)
            QCOMPARE(answer(pupil, op), ErrorCode::NotOwner);
        QTest::qWait(50);
        QCOMPARE(teacher.all<Op>().size(), seen);
        QVERIFY(teacher.isConnected());

        // Nothing changed: the board, the roles, the lock.
        TestClient late(kOther, u"Cy"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.boardSinceWelcome().size(), 1);
        QCOMPARE(roleIn(*late.welcome(), kTeacher), Role::Owner);
        QCOMPARE(roleIn(*late.welcome(), kPupil), std::nullopt);
        QVERIFY(!late.welcome()->locked);
        QCOMPARE(late.welcome()->defaultRole, Role::Editor);

        // Targets must be people the room knows; the last owner stays an owner.
        QCOMPARE(answer(teacher, roleOp(teacher, u"client-nobody-01"_s, Role::Editor)), ErrorCode::UnknownClient);
        QCOMPARE(answer(teacher, control(teacher, OpKind::Kick, u"client-nobody-01"_s)), ErrorCode::UnknownClient);
        QCOMPARE(answer(teacher, roleOp(teacher, kTeacher, Role::Viewer)), ErrorCode::BadValue);
        QCOMPARE(answer(teacher, control(teacher, OpKind::Kick, kTeacher)), ErrorCode::BadValue);
        // An owner may make others owners, who then may do everything.
        QCOMPARE(answer(teacher, roleOp(teacher, kPupil, Role::Owner)), std::nullopt);
        QCOMPARE(answer(pupil, control(pupil, OpKind::Clear)), std::nullopt);
        QCOMPARE(answer(teacher, roleOp(teacher, kTeacher, Role::Editor)), std::nullopt);
        QCOMPARE(answer(teacher, control(teacher, OpKind::Clear)), ErrorCode::NotOwner);
    }

    void lockAndDefaultRole()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));

        QCOMPARE(answer(teacher, control(teacher, OpKind::Lock)), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd()), ErrorCode::ViewOnly);
        QCOMPARE(answer(teacher, teacher.makeAdd()), std::nullopt); // owners still draw
        QCOMPARE(answer(pupil, pupil.makeChat(u"locked?"_s)), std::nullopt);
        TestClient late(kOther, u"Cy"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.welcome()->locked);
        QCOMPARE(answer(late, late.makeAdd()), ErrorCode::ViewOnly);
        QCOMPARE(answer(teacher, control(teacher, OpKind::Unlock)), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd()), std::nullopt);

        // Read-only for guests: everybody without a role of their own, newcomers included, becomes a viewer.
        Op guests = control(teacher, OpKind::SetDefaultRole);
        guests.role = Role::Viewer;
        QCOMPARE(answer(teacher, guests), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd()), ErrorCode::ViewOnly);
        TestClient newcomer(u"client-pupil-0003"_s, u"Di"_s);
        QVERIFY(newcomer.join(fixture.url(), kRoom));
        QCOMPARE(newcomer.welcome()->defaultRole, Role::Viewer);
        QCOMPARE(answer(newcomer, newcomer.makeAdd()), ErrorCode::ViewOnly);
        QCOMPARE(answer(teacher, roleOp(teacher, kPupil, Role::Editor)), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd()), std::nullopt);
        // An owner cannot make newcomers owners: that op does not even decode.
        QByteArray ownerDefault = encode(guests);
        ownerDefault.replace("\"viewer\"", "\"owner\"");
        ownerDefault.replace(QByteArray("\"cseq\":" + QByteArray::number(guests.cseq)),
                             QByteArray("\"cseq\":" + QByteArray::number(teacher.nextCseq)));
        teacher.sendBytes(ownerDefault);
        QVERIFY(teacher.waitForAnswer(teacher.nextCseq));
        QCOMPARE(teacher.rejectFor(teacher.nextCseq)->code, ErrorCode::BadValue);
        ++teacher.nextCseq;
    }

    void removedAndBannedMembers()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s), other(kOther, u"Cy"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QVERIFY(other.join(fixture.url(), kRoom));

        QCOMPARE(answer(teacher, control(teacher, OpKind::Kick, kPupil)), std::nullopt);
        QVERIFY(pupil.waitForClose());
        QCOMPARE(pupil.closeCode(), quint16(CloseCode::Removed));
        QVERIFY(pupil.last<Error>());
        QCOMPARE(pupil.last<Error>()->code, ErrorCode::Removed);
        QVERIFY(pupil.last<Error>()->fatal);
        QVERIFY(waitUntil([&other] {
            const auto presence = other.last<Presence>();
            return presence && presence->event == PresenceEvent::Left && presence->member.client == kPupil;
        }));
        // Removed, not banned: a deliberate join again is let in.
        TestClient back(kPupil, u"Bo"_s);
        QVERIFY(back.join(fixture.url(), kRoom));

        Op ban = control(teacher, OpKind::Kick, kPupil);
        ban.ban = true;
        QCOMPARE(answer(teacher, ban), std::nullopt);
        QVERIFY(back.waitForClose());
        QCOMPARE(back.closeCode(), quint16(CloseCode::Banned));
        TestClient banned(kPupil, u"Bo"_s);
        QVERIFY(!banned.join(fixture.url(), kRoom));
        QCOMPARE(banned.closeCode(), quint16(CloseCode::Banned));
        QCOMPARE(banned.last<Error>()->code, ErrorCode::Banned);

        // The ban is the room's durable state.
        fixture.restart();
        TestClient stillBanned(kPupil, u"Bo"_s);
        QVERIFY(!stillBanned.join(fixture.url(), kRoom));
        QCOMPARE(stillBanned.closeCode(), quint16(CloseCode::Banned));
        // The kick ops are in the log, in order, for everybody.
        TestClient late(u"client-pupil-0003"_s, u"Di"_s);
        QVERIFY(late.join(fixture.url(), kRoom, ResumePoint {teacher.welcome()->epoch, 0}));
        QStringList kinds;
        for (const Op &op : late.all<Op>())
            kinds << opKindName(op.kind) + (op.ban ? u"+ban"_s : QString());
        QCOMPARE(kinds, (QStringList {u"kick"_s, u"kick+ban"_s}));
    }

    void rollbackRestoresWhatWasThere()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s), watcher(kOther, u"Cy"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        const Op first = teacher.makeAdd(3);
        const Op second = teacher.makeAdd(4);
        QCOMPARE(answer(teacher, first), std::nullopt);
        QCOMPARE(answer(teacher, second), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd(5)), std::nullopt); // kept: older than what is rolled back
        QVERIFY(waitUntil([&watcher] { return watcher.boardSinceWelcome().size() == 3; }));
        const Board before = watcher.boardSinceWelcome();

        // The vandal: scribbles, moves the teacher's first stroke, removes her second, then changes the first.
        QCOMPARE(answer(pupil, pupil.makeAdd(6)), std::nullopt);
        QCOMPARE(answer(pupil, pupil.makeAdd(7)), std::nullopt);
        Op move = control(pupil, OpKind::Move);
        move.ids = {first.item.id};
        move.dx = 500;
        QCOMPARE(answer(pupil, move), std::nullopt);
        Op remove = control(pupil, OpKind::Remove);
        remove.ids = {second.item.id};
        QCOMPARE(answer(pupil, remove), std::nullopt);
        Op update = control(pupil, OpKind::Update);
        update.item = first.item;
        update.item.colour = 0xffff0000;
        QCOMPARE(answer(pupil, update), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.boardSinceWelcome().size() == 4; }));
        // Somebody else's change after the vandal's is kept.
        const Op later = teacher.makeAdd(8);
        QCOMPARE(answer(teacher, later), std::nullopt);

        Op rollback = control(teacher, OpKind::Rollback, kPupil);
        rollback.count = 5;
        QCOMPARE(answer(teacher, rollback), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.last<Op>() && watcher.last<Op>()->kind == OpKind::Rollback; }));
        const Op logged = *watcher.last<Op>();
        QCOMPARE(logged.count, 5);
        QCOMPARE(logged.undone, 5);
        QCOMPARE(logged.ids.size(), 2); // the two scribbles
        QCOMPARE(logged.items.size(), 2); // the first stroke as it was, the second back

        Board expected = before;
        Op keep;
        keep.kind = OpKind::Add;
        keep.seq = teacher.ackFor(later.cseq)->seq;
        keep.item = later.item;
        QVERIFY(expected.apply(keep));
        const Board now = watcher.boardSinceWelcome();
        QCOMPARE(now.orderedItems(), expected.orderedItems());
        // The teacher learns what it did from the op itself, before its ack.
        QVERIFY(teacher.ackFor(rollback.cseq));
        const QList<Op> teacherSaw = teacher.all<Op>();
        QVERIFY(std::any_of(teacherSaw.cbegin(), teacherSaw.cend(), [&rollback](const Op &op) {
            return op.kind == OpKind::Rollback && op.cseq == rollback.cseq;
        }));

        // A second rollback does not count the ops the first undid: nothing of Bo's is left after his first add.
        Op again = control(teacher, OpKind::Rollback, kPupil);
        again.count = 1;
        QCOMPARE(answer(teacher, again), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.boardSinceWelcome().size() == 3; }));
        QVERIFY(!watcher.boardSinceWelcome().contains(kPupil + u":1"_s));
        // The same request sent again is a repeat, acknowledged as the first.
        teacher.send(again);
        QVERIFY(waitUntil([&teacher, &again] {
            return teacher.all<Ack>().size() > 0 && teacher.all<Ack>().constLast().duplicate
                && teacher.all<Ack>().constLast().cseq == again.cseq;
        }));

        // A late joiner's snapshot and a restart agree with the log.
        fixture.restart();
        TestClient late(u"client-pupil-0003"_s, u"Di"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.boardSinceWelcome().orderedItems(), watcher.boardSinceWelcome().orderedItems());
    }

    void rollbackSaysHowManyItUndidAcrossASnapshot()
    {
        // A snapshot every 5 ops: the limit of a rollback (docs/PROTOCOL.md) is reached quickly.
        ServerFixture fixture([](server::ServerConfig &config) { config.compactEvery = 5; });
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(answer(pupil, pupil.makeAdd(3)), std::nullopt);
        // Ops 4 to 8: the room writes a snapshot at op 5, so Bo's three strokes are before it.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(answer(teacher, teacher.makeChat(u"next slide"_s)), std::nullopt);
        TestClient probe(kOther, u"Cy"_s);
        QVERIFY(probe.join(fixture.url(), kRoom));
        const Op recent = pupil.makeAdd(4);
        QCOMPARE(answer(pupil, recent), std::nullopt);

        Op rollback = control(teacher, OpKind::Rollback, kPupil);
        rollback.count = 4;
        QCOMPARE(answer(teacher, rollback), std::nullopt);
        QVERIFY(waitUntil([&probe] { return probe.last<Op>() && probe.last<Op>()->kind == OpKind::Rollback; }));
        const Op logged = *probe.last<Op>();
        QCOMPARE(logged.count, 4);
        QCOMPARE(logged.undone, 1); // only the stroke after the snapshot
        QCOMPARE(logged.ids, QStringList {recent.item.id});
        QCOMPARE(probe.boardSinceWelcome().size(), 3);
        // Nothing left to undo: the op says so (undone 0), and changes nothing.
        Op again = control(teacher, OpKind::Rollback, kPupil);
        again.count = 2;
        QCOMPARE(answer(teacher, again), std::nullopt);
        QVERIFY(waitUntil([&probe] {
            return probe.last<Op>() && probe.last<Op>()->kind == OpKind::Rollback && probe.last<Op>()->count == 2;
        }));
        QCOMPARE(probe.last<Op>()->undone, 0);
        QCOMPARE(probe.boardSinceWelcome().size(), 3);
    }

    void directMessagesReachTheirTwoPeopleOnly()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.compactEvery = 0; });
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s), third(kOther, u"Cy"_s);
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        QVERIFY(third.join(fixture.url(), kRoom));
        const ResumePoint start {teacher.welcome()->epoch, third.welcome()->head};

        QCOMPARE(answer(teacher, teacher.makeChat(u"hello everyone"_s)), std::nullopt);
        QCOMPARE(answer(teacher, directOp(teacher, kPupil, u"see me after class"_s)), std::nullopt);
        QCOMPARE(answer(pupil, directOp(pupil, kTeacher, u"yes, miss"_s)), std::nullopt);
        QCOMPARE(answer(third, third.makeChat(u"after"_s)), std::nullopt);
        QVERIFY(waitUntil([&pupil] { return textsSeen(pupil).size() >= 3; }));
        QVERIFY(waitUntil([&teacher] { return textsSeen(teacher).size() >= 2; }));
        QCOMPARE(textsSeen(pupil), (QStringList {u"hello everyone"_s, u"see me after class"_s, u"after"_s}));
        QCOMPARE(textsSeen(teacher), (QStringList {u"yes, miss"_s, u"after"_s}));
        QCOMPARE(pupil.all<Op>().at(1).kind, OpKind::Direct);
        QCOMPARE(pupil.all<Op>().at(1).target, kPupil);
        QCOMPARE(pupil.all<Op>().at(1).client, kTeacher);
        QTest::qWait(50);
        QCOMPARE(textsSeen(third), (QStringList {u"hello everyone"_s}));

        const auto historyOf = [&fixture, &start](const QString &client, bool resume) {
            TestClient probe(client);
            if (!probe.join(fixture.url(), kRoom, resume ? std::optional(start) : std::nullopt))
                return QStringList {u"join failed"_s};
            return textsSeen(probe);
        };
        const QStringList everything {u"hello everyone"_s, u"see me after class"_s, u"yes, miss"_s, u"after"_s};
        const QStringList publicOnly {u"hello everyone"_s, u"after"_s};
        // Every path: a snapshot's chat history and a resume, before and after a restart of the server.
        for (int round = 0; round < 2; ++round) {
            QCOMPARE(historyOf(kOther, false), publicOnly);
            QCOMPARE(historyOf(kOther, true), publicOnly);
            QCOMPARE(historyOf(kPupil, false), everything);
            QCOMPARE(historyOf(kPupil, true), everything);
            QCOMPARE(historyOf(kTeacher, true), everything);
            QCOMPARE(historyOf(u"client-newcomer-1"_s, false), publicOnly);
            fixture.restart();
        }

        // Direct messages to nobody the room knows, or to oneself, are refused.
        TestClient self(kOther, u"Cy"_s);
        self.nextCseq = third.nextCseq;
        QVERIFY(self.join(fixture.url(), kRoom));
        QCOMPARE(answer(self, directOp(self, u"client-nobody-01"_s, u"hi"_s)), ErrorCode::UnknownClient);
        QCOMPARE(answer(self, directOp(self, kOther, u"me"_s)), ErrorCode::BadValue);
    }

    //! The host closes the room for everyone: each member, and a connection that only asked for the room list, is
    //! told who closed it (a fatal room_closed error) and closed with 4030, which no client retries; nothing
    //! committed is lost, and the server stops.
    void closedForEveryone()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient teacher(kTeacher, u"Ann"_s), pupil(kPupil, u"Bo"_s), asker;
        QVERIFY(teacher.join(fixture.url(), kRoom));
        QVERIFY(pupil.join(fixture.url(), kRoom));
        const quint64 cseq = pupil.sendOp(pupil.makeChat(u"before the end"_s));
        QVERIFY(pupil.waitForAnswer(cseq));
        QVERIFY(pupil.ackFor(cseq));
        QVERIFY(asker.connectTo(fixture.url()));
        asker.send(ListRooms {});
        QVERIFY(asker.waitFor<RoomList>());

        bool finished = false;
        QObject::connect(&fixture.server(), &server::Server::finished, [&finished] { finished = true; });
        fixture.server().closeForEveryone(u"  Ann "_s);
        for (TestClient *client : {&teacher, &pupil, &asker}) {
            QVERIFY(client->waitForClose());
            QCOMPARE(client->closeCode(), quint16(CloseCode::RoomClosed));
            QVERIFY(client->last<Error>());
            QCOMPARE(client->last<Error>()->code, ErrorCode::RoomClosed);
            QCOMPARE(client->last<Error>()->message, u"Ann closed the room."_s);
            QVERIFY(client->last<Error>()->fatal);
        }
        QVERIFY(!isRetryable(quint16(CloseCode::RoomClosed)));
        QVERIFY(waitUntil([&finished] { return finished; }));

        // Committed before the close, kept after it: the room opens again with its chat when hosted again.
        fixture.restart();
        TestClient back(kTeacher, u"Ann"_s);
        QVERIFY(back.join(fixture.url(), kRoom, ResumePoint {teacher.welcome()->epoch, 0}));
        QVERIFY(waitUntil([&back] { return back.count<Op>() >= 1; }));
        QCOMPARE(back.all<Op>().constLast().text, u"before the end"_s);

        // Without a name the words still say what happened.
        bool again = false;
        QObject::connect(&fixture.server(), &server::Server::finished, [&again] { again = true; });
        fixture.server().closeForEveryone(QString());
        QVERIFY(back.waitForClose());
        QCOMPARE(back.last<Error>()->message, u"The host closed the room."_s);
        QVERIFY(waitUntil([&again] { return again; }));
    }
};

QTEST_GUILESS_MAIN(TestServerControls)
#include "tst_server_controls.moc"
