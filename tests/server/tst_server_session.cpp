#include "closecodes.h"
#include "rawmessages.h"
#include "serverharness.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"design review"_s;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

//! Every op and ack a client received after its welcome, as (seq, "op"/"ack") in arrival order.
QList<quint64> sequenceOrder(const TestClient &client)
{
    QList<quint64> seqs;
    for (const Message &message : client.messages()) {
        if (const auto *op = std::get_if<Op>(&message))
            seqs.append(op->seq);
        else if (const auto *ack = std::get_if<Ack>(&message))
            seqs.append(ack->seq);
    }
    return seqs;
}

} // namespace

class TestServerSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void welcomeCarriesTheRoom()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));

        // welcome, one (empty) snapshot chunk, synced: in this order and nothing else.
        QCOMPARE(ann.messages().size(), 3);
        const auto welcome = std::get<Welcome>(ann.messages().at(0));
        QCOMPARE(welcome.protocol, ProtocolVersion);
        QCOMPARE(welcome.room, kRoom);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{16}$"_s).match(welcome.epoch).hasMatch());
        QCOMPARE(welcome.you, u"client-ann-0001"_s);
        QCOMPARE(welcome.members.size(), 1);
        QCOMPARE(welcome.members.at(0), (Member {u"client-ann-0001"_s, u"Ann"_s, ann.colour, false, Role::Owner}));
        QCOMPARE(welcome.acked, 0u);
        QCOMPARE(welcome.head, 0u);
        QVERIFY(welcome.snapshot);
        QVERIFY(!welcome.hasPassword);
        QCOMPARE(std::get<Snapshot>(ann.messages().at(1)), (Snapshot {0, {}}));
        QCOMPARE(std::get<Synced>(ann.messages().at(2)).head, 0u);
        QCOMPARE(ann.undecodable(), 0);
        QCOMPARE(fixture.server().connectionCount(), 1);
        QCOMPARE(fixture.server().loadedRoomCount(), 1);
    }

    void textFramesAreAccepted()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        ann.sendText(QString::fromUtf8(encode(ann.hello(kRoom))));
        QVERIFY(ann.waitFor<Synced>());
        Op chat = ann.makeChat(u"hello in a text frame"_s);
        ann.sendText(QString::fromUtf8(encode(chat)));
        QVERIFY(ann.waitForAnswer(chat.cseq));
        QVERIFY(ann.ackFor(chat.cseq));
    }

    void membersAndPresence()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        TestClient bo(u"client-bo-00002"_s, u"Bo"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        const auto welcome = *bo.welcome();
        QCOMPARE(welcome.members.size(), 2);
        QCOMPARE(welcome.members.at(0).client, ann.clientId);
        QCOMPARE(welcome.members.at(1).client, bo.clientId);
        // Ann hears that Bo joined; Bo hears nothing about himself.
        QVERIFY(ann.waitFor<Presence>());
        QCOMPARE(ann.last<Presence>()->event, PresenceEvent::Joined);
        QCOMPARE(ann.last<Presence>()->member, (Member {bo.clientId, u"Bo"_s, bo.colour, false}));
        QCOMPARE(bo.count<Presence>(), 0);

        bo.close();
        QVERIFY(ann.waitFor<Presence>(2));
        QCOMPARE(ann.last<Presence>()->event, PresenceEvent::Left);
        QCOMPARE(ann.last<Presence>()->member.client, bo.clientId);
        // The room keeps its members encoded for welcomes: the next one lists who is there now.
        TestClient cy(u"client-cy-00003"_s, u"Cy"_s);
        QVERIFY(cy.join(fixture.url(), kRoom));
        QCOMPARE(cy.welcome()->members.size(), 2);
        QCOMPARE(cy.welcome()->members.at(0), (Member {ann.clientId, u"Ann"_s, ann.colour, false, Role::Owner}));
        QCOMPARE(cy.welcome()->members.at(1), (Member {cy.clientId, u"Cy"_s, cy.colour, false}));
    }

    void opIsStampedAckedAndBroadcast()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        TestClient bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        Op op = ann.makeAdd(4);
        // Whatever the client claims about order, identity, author and time is ignored.
        op.seq = 999;
        op.client = u"someone-else-01"_s;
        op.author = u"Mallory"_s;
        op.time = 1;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        ann.send(op);
        QVERIFY(ann.waitForAnswer(op.cseq));
        QCOMPARE(withoutTime(*ann.ackFor(op.cseq)), (Ack {op.cseq, 1, false}));
        QVERIFY(bo.waitFor<Op>());
        const Op received = *bo.last<Op>();
        QCOMPARE(received.seq, 1u);
        QCOMPARE(received.cseq, op.cseq);
        QCOMPARE(received.client, ann.clientId);
        QCOMPARE(received.author, u"Ann"_s);
        QVERIFY(received.time >= before - 1000 && received.time <= QDateTime::currentMSecsSinceEpoch() + 1000);
        QCOMPARE(received.item, op.item);
        // The sender gets the ack, not its own op back.
        QCOMPARE(ann.count<Op>(), 0);
    }

    void opsAndAcksArriveInSeqOrderEverywhere()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo, cy;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        QVERIFY(cy.join(fixture.url(), kRoom));
        constexpr int kEach = 60;
        for (int i = 0; i < kEach; ++i) {
            ann.sendOp(i % 3 == 0 ? ann.makeChat(u"a%1"_s.arg(i)) : ann.makeAdd());
            bo.sendOp(bo.makeAdd());
        }
        QVERIFY(ann.waitFor<Ack>(kEach));
        QVERIFY(bo.waitFor<Ack>(kEach));
        QVERIFY(cy.waitFor<Op>(2 * kEach));
        for (TestClient *client : {&ann, &bo, &cy}) {
            const QList<quint64> seqs = sequenceOrder(*client);
            QCOMPARE(seqs.size(), 2 * kEach);
            for (int i = 0; i < seqs.size(); ++i)
                QCOMPARE(seqs.at(i), quint64(i + 1));
        }
        // Every client's acks are for its cseqs in order.
        const QList<Ack> acks = ann.all<Ack>();
        for (int i = 0; i < acks.size(); ++i)
            QCOMPARE(acks.at(i).cseq, quint64(i + 1));
    }

    void duplicatesAreAcknowledgedButNotApplied()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        const Op first = ann.makeAdd();
        ann.send(first);
        QVERIFY(ann.waitForAnswer(first.cseq));
        QCOMPARE(withoutTime(*ann.ackFor(first.cseq)), (Ack {first.cseq, 1, false}));

        // A resend of a committed op.
        ann.clear();
        ann.send(first);
        QVERIFY(ann.waitFor<Ack>());
        QCOMPARE(withoutTime(*ann.last<Ack>()), (Ack {first.cseq, 1, true}));

        // A resend while the original is still in flight: the duplicate ack follows the original's.
        ann.clear();
        const Op second = ann.makeAdd();
        ann.send(second);
        ann.send(second);
        QVERIFY(ann.waitFor<Ack>(2));
        QCOMPARE(withoutTime(ann.all<Ack>().at(0)), (Ack {second.cseq, 2, false}));
        QCOMPARE(withoutTime(ann.all<Ack>().at(1)), (Ack {second.cseq, 2, true}));

        // Duplicate acks carry the original's seq and time.
        QCOMPARE(ann.all<Ack>().at(1).time, ann.all<Ack>().at(0).time);
        QVERIFY(ann.all<Ack>().at(0).time > 0);

        // An older cseq the server never saw (cseqs need not be contiguous) is not applied either: there is nothing
        // to compare it with, so it is refused as reused, and the answer says how far the room got.
        ann.clear();
        Op jump = ann.makeAdd();
        jump.cseq = 10;
        ann.send(jump);
        Op older = ann.makeAdd();
        older.cseq = 7;
        ann.send(older);
        QVERIFY(ann.waitForAnswer(7));
        QCOMPARE(withoutTime(*ann.ackFor(10)), (Ack {10, 3, false}));
        QCOMPARE(*ann.rejectFor(7), (Reject {7, ErrorCode::CseqReused, ann.rejectFor(7)->message, false, 10}));

        // Bo saw each op exactly once, and a late joiner's board holds exactly three items.
        QVERIFY(waitUntil([&bo] { return bo.count<Op>() >= 3; }));
        QTest::qWait(50);
        QCOMPARE(bo.count<Op>(), 3);
        TestClient cy;
        QVERIFY(cy.join(fixture.url(), kRoom));
        QCOMPARE(cy.welcome()->head, 3u);
        QCOMPARE(cy.boardSinceWelcome().size(), 3);
    }

    void boardLimitRejectsAdds()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxBoardItems = 3; });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QList<quint64> cseqs;
        for (int i = 0; i < 4; ++i)
            cseqs.append(ann.sendOp(ann.makeAdd()));
        QVERIFY(ann.waitForAnswer(cseqs.last()));
        for (int i = 0; i < 3; ++i)
            QVERIFY(ann.ackFor(cseqs.at(i)));
        QVERIFY(!ann.ackFor(cseqs.at(3)));
        QCOMPARE(ann.rejectFor(cseqs.at(3))->code, ErrorCode::BoardFull);

        // Other ops still work; after a remove there is room again.
        Op remove;
        remove.kind = OpKind::Remove;
        remove.cseq = ann.nextCseq++;
        remove.ids = {ann.clientId + u":1"_s};
        ann.send(remove);
        const quint64 again = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(again));
        QVERIFY(ann.ackFor(remove.cseq));
        QVERIFY(ann.ackFor(again));
        QCOMPARE(ann.ackFor(again)->seq, 5u);
        // The limit counts what the pending batch will do: remove then add in one go fits as well.
        Op removeAgain = remove;
        removeAgain.cseq = ann.nextCseq++;
        removeAgain.ids = {ann.clientId + u":2"_s};
        ann.send(removeAgain);
        const quint64 fits = ann.sendOp(ann.makeAdd());
        const quint64 full = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(full));
        QVERIFY(ann.ackFor(fits));
        QCOMPARE(ann.rejectFor(full)->code, ErrorCode::BoardFull);
    }

    void lateJoinerGetsRecentChat()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.chatHistory = 3; });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        for (int i = 1; i <= 5; ++i) {
            ann.sendOp(ann.makeChat(u"message %1"_s.arg(i)));
            ann.sendOp(ann.makeAdd());
        }
        QVERIFY(ann.waitFor<Ack>(10));

        TestClient bo;
        QVERIFY(bo.join(fixture.url(), kRoom));
        // welcome, the snapshot, the newest three chats oldest first, synced.
        const QList<Message> &messages = bo.messages();
        QVERIFY(std::holds_alternative<Welcome>(messages.at(0)));
        QVERIFY(std::holds_alternative<Snapshot>(messages.at(1)));
        QCOMPARE(std::get<Snapshot>(messages.at(1)).items.size(), 5);
        QStringList texts;
        for (int i = 2; i < 5; ++i) {
            const Op chat = std::get<Op>(messages.at(i));
            QCOMPARE(chat.kind, OpKind::Chat);
            QCOMPARE(chat.client, ann.clientId);
            texts << chat.text;
        }
        QCOMPARE(texts, (QStringList {u"message 3"_s, u"message 4"_s, u"message 5"_s}));
        QCOMPARE(std::get<Synced>(messages.at(5)).head, 10u);
    }

    void profileChangesNameAndColour()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        TestClient bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        ann.clear();
        ann.send(Profile {u"Annie"_s, 0xffff0000});
        const Member updated {ann.clientId, u"Annie"_s, 0xffff0000, false, Role::Owner};
        // Everybody hears it, the sender included.
        QVERIFY(bo.waitFor<Presence>());
        QCOMPARE(*bo.last<Presence>(), (Presence {PresenceEvent::Updated, updated}));
        QVERIFY(ann.waitFor<Presence>());
        QCOMPARE(*ann.last<Presence>(), (Presence {PresenceEvent::Updated, updated}));
        // Ops carry the new name, and a late joiner lists it.
        const quint64 cseq = ann.sendOp(ann.makeChat(u"renamed"_s));
        QVERIFY(bo.waitFor<Op>());
        QCOMPARE(bo.last<Op>()->cseq, cseq);
        QCOMPARE(bo.last<Op>()->author, u"Annie"_s);
        TestClient cy;
        QVERIFY(cy.join(fixture.url(), kRoom));
        QCOMPARE(cy.welcome()->members.at(0), updated);
    }

    void typingIsRelayedAndListed()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        ann.send(Typing {u"spoofed-id-0001"_s, true});
        QVERIFY(bo.waitFor<Typing>());
        QCOMPARE(*bo.last<Typing>(), (Typing {ann.clientId, true}));
        TestClient cy;
        QVERIFY(cy.join(fixture.url(), kRoom));
        QVERIFY(cy.welcome()->members.at(0).typing);
        ann.send(Typing {{}, false});
        QVERIFY(bo.waitFor<Typing>(2));
        QCOMPARE(*bo.last<Typing>(), (Typing {ann.clientId, false}));
        QCOMPARE(ann.count<Typing>(), 0);
    }

    void cursorsAreThrottledButTheLatestArrives()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        constexpr int kSent = 120;
        for (int i = 1; i <= kSent; ++i)
            ann.send(Cursor {{}, double(i), double(-i), true});
        QVERIFY(waitUntil([&bo] { return bo.count<Cursor>() > 0 && bo.last<Cursor>()->x == double(kSent); }));
        QCOMPARE(*bo.last<Cursor>(), (Cursor {ann.clientId, double(kSent), double(-kSent), true}));
        QVERIFY2(bo.count<Cursor>() < kSent, "cursor updates were not coalesced");
        // Positions only move forward: coalescing keeps the newest.
        const QList<Cursor> cursors = bo.all<Cursor>();
        for (int i = 1; i < cursors.size(); ++i)
            QVERIFY(cursors.at(i).x > cursors.at(i - 1).x);
        QCOMPARE(ann.count<Cursor>(), 0);
    }

    void liveStrokesAreRelayedAsIs()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        Live live;
        live.id = ann.clientId + u":7"_s;
        live.colour = 0xff00ff00;
        live.width = 4;
        live.from = 0;
        live.points = {{1, 2}, {3, 4}};
        ann.send(live);
        Live more = live;
        more.from = 2;
        more.points = {{5, 6}};
        more.end = true;
        ann.send(more);
        QVERIFY(bo.waitFor<Live>(2));
        live.client = ann.clientId;
        more.client = ann.clientId;
        QCOMPARE(bo.all<Live>().at(0), live);
        QCOMPARE(bo.all<Live>().at(1), more);
        QCOMPARE(ann.count<Live>(), 0);
    }

    void malformedMessagesGetErrorsAndTheConnectionCarriesOn()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        ann.clear();

        ann.sendBytes("{not json");
        QVERIFY(ann.waitFor<Error>());
        QCOMPARE(ann.last<Error>()->code, ErrorCode::BadJson);
        QVERIFY(!ann.last<Error>()->fatal);

        ann.sendBytes(raw::opWithBadPoint());
        QVERIFY(ann.waitFor<Error>(2));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::OutOfRange);
        QCOMPARE(ann.last<Error>()->field, u"item.points[2]"_s);
        // A malformed op with a usable cseq is rejected, so the client can drop it.
        QVERIFY(ann.waitForAnswer(5));
        QCOMPARE(ann.rejectFor(5)->code, ErrorCode::OutOfRange);

        ann.sendBytes(raw::unknownType());
        QVERIFY(ann.waitFor<Error>(3));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::UnknownType);

        // Server-to-client messages are not accepted from a client.
        ann.send(Ack {1, 1, false});
        QVERIFY(ann.waitFor<Error>(4));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::UnexpectedMessage);

        ann.send(ann.hello(kRoom));
        QVERIFY(ann.waitFor<Error>(5));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::AlreadyJoined);

        // Still connected and usable, and the room is intact.
        QVERIFY(ann.isConnected());
        const Op op = ann.makeAdd();
        ann.send(op);
        QVERIFY(ann.waitForAnswer(op.cseq));
        QCOMPARE(ann.ackFor(op.cseq)->seq, 1u);
        QVERIFY(bo.waitFor<Op>());
        QCOMPARE(bo.count<Op>(), 1);
        QCOMPARE(bo.count<Error>(), 0);
        for (const Error &error : ann.all<Error>())
            QVERIFY(!error.fatal);
    }

    void messagesBeforeHelloGetNotJoined()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        ann.send(ann.makeChat(u"too early"_s));
        ann.send(Cursor {{}, 1, 1, true});
        QVERIFY(ann.waitFor<Error>(2));
        QCOMPARE(ann.all<Error>().at(0).code, ErrorCode::NotJoined);
        QVERIFY(!ann.all<Error>().at(0).fatal);
        QVERIFY(ann.join(fixture.url(), kRoom));
    }

    void badFirstMessageClosesWithBadHello()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        ann.sendBytes(raw::helloWithShortClientId());
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::BadHello));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::BadValue);
        QCOMPARE(ann.last<Error>()->field, u"client"_s);
        QVERIFY(ann.last<Error>()->fatal);

        TestClient bo;
        QVERIFY(bo.connectTo(fixture.url()));
        bo.sendBytes("garbage");
        QVERIFY(bo.waitForClose());
        QCOMPARE(bo.closeCode(), closeCode(CloseCode::BadHello));
        QCOMPARE(bo.last<Error>()->code, ErrorCode::BadJson);
    }

    void otherProtocolVersionIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        ann.sendBytes(raw::helloVersion2());
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::UnsupportedVersion));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::UnsupportedVersion);
        QVERIFY(ann.last<Error>()->fatal);
    }

    void sameClientIdReplacesTheOldConnection()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient first(u"client-ann-0001"_s), second(u"client-ann-0001"_s), bo;
        QVERIFY(first.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        const quint64 cseq = first.sendOp(first.makeAdd());
        QVERIFY(first.waitForAnswer(cseq));
        bo.clear();

        second.nextCseq = first.nextCseq;
        QVERIFY(second.join(fixture.url(), kRoom));
        QVERIFY(first.waitForClose());
        QCOMPARE(first.closeCode(), closeCode(CloseCode::Replaced));
        QCOMPARE(first.last<Error>()->code, ErrorCode::Replaced);
        QVERIFY(first.last<Error>()->fatal);
        // The new connection knows what was committed; the others see the old one leave and the new one join.
        QCOMPARE(second.welcome()->acked, cseq);
        QCOMPARE(second.welcome()->members.size(), 2);
        QVERIFY(bo.waitFor<Presence>(2));
        QCOMPARE(bo.all<Presence>().at(0).event, PresenceEvent::Left);
        QCOMPARE(bo.all<Presence>().at(1).event, PresenceEvent::Joined);
        QCOMPARE(bo.all<Presence>().at(1).member.client, second.clientId);
        const quint64 next = second.sendOp(second.makeAdd());
        QVERIFY(second.waitForAnswer(next));
        QCOMPARE(second.ackFor(next)->seq, 2u);
    }

    void joinTokenIsRequiredWhenSet()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.joinToken = u"s3cret"_s; });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(!ann.join(fixture.url(), kRoom));
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::BadToken));
        QCOMPARE(ann.last<Error>()->code, ErrorCode::BadToken);

        TestClient bo;
        QVERIFY(bo.connectTo(fixture.url()));
        Hello hello = bo.hello(kRoom);
        hello.token = u"s3cret"_s;
        bo.send(hello);
        QVERIFY(bo.waitFor<Synced>());
    }

    void browserOriginsMustBeAllowed()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.allowedOrigins = {u"https://Good.Example:443"_s, u"http://localhost:8080"_s};
            config.handshakeTimeoutMs = 2000;
        });
        QVERIFY(fixture.start());
        // A page on any other origin is refused at the handshake, and its connection does not linger.
        for (const QString &origin : {u"http://evil.example"_s, u"https://good.example.evil"_s,
                                      u"http://good.example"_s, u"http://localhost:8081"_s, u"null"_s}) {
            TestClient evil({}, u"Eve"_s, origin);
            QVERIFY2(!evil.connectTo(fixture.url()), qPrintable(origin));
        }
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().connectionCount(), 0, kWaitMs);
        // Listed origins (however they are written) and native clients, which send no Origin, join.
        TestClient good({}, u"Ann"_s, u"https://good.example"_s);
        QVERIFY(good.join(fixture.url(), kRoom));
        TestClient local({}, u"Bo"_s, u"http://LOCALHOST:8080"_s);
        QVERIFY(local.join(fixture.url(), kRoom));
        TestClient native({}, u"Cy"_s);
        QVERIFY(native.join(fixture.url(), kRoom));
    }

    void withoutAnAllowListEveryBrowserOriginIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient page({}, u"Eve"_s, u"http://127.0.0.1"_s);
        QVERIFY(!page.connectTo(fixture.url()));
        TestClient native;
        QVERIFY(native.join(fixture.url(), kRoom));
    }

    void roomsAreSeparate()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), u"one"_s));
        QVERIFY(bo.join(fixture.url(), u"two"_s));
        QVERIFY(ann.welcome()->epoch != bo.welcome()->epoch);
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        const quint64 other = bo.sendOp(bo.makeAdd());
        QVERIFY(bo.waitForAnswer(other));
        QCOMPARE(bo.ackFor(other)->seq, 1u);
        QCOMPARE(bo.count<Op>(), 0);
        QCOMPARE(ann.count<Presence>(), 0);
        QCOMPARE(fixture.server().loadedRoomCount(), 2);
    }

    void shutdownClosesWithGoingAway()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        QSignalSpy finished(&fixture.server(), &server::Server::finished);
        fixture.server().shutdown();
        QVERIFY(ann.waitForClose());
        QVERIFY(bo.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::GoingAway));
        QCOMPARE(bo.closeCode(), closeCode(CloseCode::GoingAway));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(!fixture.server().isListening());
        // What was committed is there after a restart.
        QVERIFY(fixture.restart());
        TestClient cy;
        QVERIFY(cy.join(fixture.url(), kRoom));
        QCOMPARE(cy.welcome()->head, 1u);
    }

    void runsOnAWorkerThread()
    {
        QTemporaryDir dir;
        QThread thread;
        thread.start();
        server::Server *server = nullptr;
        QUrl url;
        bool started = false;
        // Created, started and destroyed on the worker thread, as the desktop app does.
        QObject context;
        context.moveToThread(&thread);
        QMetaObject::invokeMethod(
            &context,
            [&] {
                server = new server::Server(testConfig(dir.path()));
                started = server->start();
                url = server->localUrl();
            },
            Qt::BlockingQueuedConnection);
        QVERIFY(server);
        QVERIFY(started);
        QCOMPARE(server->thread(), &thread);
        TestClient ann, bo;
        QVERIFY(ann.join(url, kRoom));
        QVERIFY(bo.join(url, kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(bo.waitFor<Op>());

        QSignalSpy finished(server, &server::Server::finished);
        QMetaObject::invokeMethod(server, &server::Server::shutdown, Qt::QueuedConnection);
        QVERIFY(ann.waitForClose());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QMetaObject::invokeMethod(
            &context, [server] { delete server; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(kWaitMs));
    }

    void joinUrlsListTheLoopbackLast()
    {
        QTemporaryDir dir;
        server::ServerConfig config = testConfig(dir.path());
        config.bind = QHostAddress::Any;
        server::Server server(config);
        QVERIFY(server.joinUrls().isEmpty());
        QVERIFY(server.start());
        const QList<QUrl> urls = server.joinUrls();
        QVERIFY(!urls.isEmpty());
        bool sawLoopback = false;
        for (const QUrl &url : urls) {
            QCOMPARE(url.scheme(), u"ws"_s);
            QCOMPARE(url.port(), int(server.port()));
            const bool loopback = QHostAddress(url.host()).isLoopback();
            QVERIFY2(!sawLoopback || loopback, "a LAN address after a loopback one");
            sawLoopback = sawLoopback || loopback;
        }
        QVERIFY(sawLoopback);
        QCOMPARE(server.localUrl().host(), u"127.0.0.1"_s);
        // A second server cannot use the same data directory.
        server::Server second(config);
        QString error;
        QVERIFY(!second.start(&error));
        QVERIFY(error.contains(u"in use"_s));
    }
};

QTEST_GUILESS_MAIN(TestServerSession)
#include "tst_server_session.moc"
