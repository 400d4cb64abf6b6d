// list_rooms: the open rooms before joining, to anybody who asks (with the join token when there is one), at a rate
// the server decides; never a member's name, and never a way into a room.
#include "closecodes.h"
#include "roomdirectory.h"
#include "serverharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

//! Connect, ask for the list, and wait for an answer (rooms or error) or a close.
bool ask(TestClient &client, const QUrl &url, const QString &token = {})
{
    if (!client.connectTo(url))
        return false;
    const int before = int(client.messages().size());
    client.send(ListRooms {token});
    return waitUntil([&] { return client.messages().size() > before || !client.isConnected(); });
}

} // namespace

class TestServerRoomList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsOpenRoomsBusiestFirst()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-01"_s, u"Ann"_s), bo(u"client-bo-001"_s, u"Bo"_s), cy(u"client-cy-001"_s, u"Cy"_s);
        QVERIFY(ann.join(fixture.url(), u"quiet"_s));
        QVERIFY(bo.join(fixture.url(), u"busy"_s, std::nullopt, u"a long enough password"_s));
        QVERIFY(cy.join(fixture.url(), u"busy"_s, std::nullopt, u"a long enough password"_s));

        TestClient asker;
        QVERIFY(ask(asker, fixture.url()));
        const auto list = asker.last<RoomList>();
        QVERIFY(list);
        QCOMPARE(list->rooms, (QList<RoomInfo> {{u"busy"_s, 2, true}, {u"quiet"_s, 1, false}}));
        // Asking is not joining: nobody in the rooms heard of the asker.
        QTest::qWait(50);
        QCOMPARE(ann.count<Presence>(), 0);
        QCOMPARE(bo.count<Presence>(), 1); // cy joining
        QVERIFY(asker.isConnected());

        // The same connection may then join a room.
        asker.send(asker.hello(u"quiet"_s));
        QVERIFY(asker.waitFor<Synced>());
        QCOMPARE(asker.welcome()->members.size(), 2);
    }

    void aRoomEveryoneLeftIsNotListed()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        {
            TestClient ann;
            QVERIFY(ann.join(fixture.url(), u"gone"_s));
            ann.close();
            QVERIFY(ann.waitForClose());
        }
        QVERIFY(waitUntil([&] { return fixture.server().connectionCount() == 0; }));
        TestClient asker;
        QVERIFY(ask(asker, fixture.url()));
        QVERIFY(asker.last<RoomList>());
        QVERIFY(asker.last<RoomList>()->rooms.isEmpty());
    }

    //! A room its host serves in the background stays listed (with nobody in it) and in memory, so newcomers still
    //! find it on the network; the server counts the people it serves as they come and go.
    void aKeptOpenRoomIsListedWhileEmpty()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.roomUnloadDelayMs = 0;
            config.pingIntervalMs = 50; // the heartbeat is what unloads idle rooms
        });
        QVERIFY(fixture.start());
        QSignalSpy counts(&fixture.server(), &server::Server::memberCountChanged);
        {
            TestClient ann(u"client-ann-01"_s, u"Ann"_s);
            QVERIFY(ann.join(fixture.url(), u"Design"_s));
            QCOMPARE(fixture.server().memberCount(), 1);
            // Kept open by any spelling that names the same room.
            fixture.server().keepOpen(u"design"_s);
            TestClient other(u"client-bo-001"_s, u"Bo"_s);
            QVERIFY(other.join(fixture.url(), u"elsewhere"_s));
            QCOMPARE(fixture.server().memberCount(), 2);
        }
        QVERIFY(waitUntil([&] { return fixture.server().memberCount() == 0; }));
        QCOMPARE(counts.size(), 4); // two joins, two leaves
        QCOMPARE(counts.constLast().at(0).toInt(), 0);
        // Unloading drops an empty room at the next heartbeat (delay 0): "elsewhere" goes, the kept one stays.
        QVERIFY(waitUntil([&] { return fixture.server().loadedRoomCount() == 1; }));
        TestClient asker;
        QVERIFY(ask(asker, fixture.url()));
        QVERIFY(asker.last<RoomList>());
        QCOMPARE(asker.last<RoomList>()->rooms, (QList<RoomInfo> {{u"Design"_s, 0, false}}));
    }

    void theJoinTokenIsNeeded()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.joinToken = u"s3cret"_s; });
        QVERIFY(fixture.start());
        TestClient without;
        QVERIFY(ask(without, fixture.url()));
        QVERIFY(without.waitForClose());
        QCOMPARE(without.closeCode(), quint16(CloseCode::BadToken));
        QCOMPARE(without.count<RoomList>(), 0);
        QCOMPARE(without.last<Error>()->code, ErrorCode::BadToken);

        TestClient wrong;
        QVERIFY(ask(wrong, fixture.url(), u"guess"_s));
        QVERIFY(wrong.waitForClose());
        QCOMPARE(wrong.closeCode(), quint16(CloseCode::BadToken));

        TestClient with;
        QVERIFY(ask(with, fixture.url(), u"s3cret"_s));
        QVERIFY(with.last<RoomList>());
    }

    //! Past the burst an address gets rate_limited (not fatal) instead of the list, on any of its connections.
    void askingIsRateLimitedPerAddress()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient first;
        QVERIFY(first.connectTo(fixture.url()));
        for (int i = 0; i < server::RoomDirectory::ListBurst + 3; ++i)
            first.send(ListRooms {});
        QVERIFY(waitUntil([&] { return first.messages().size() >= server::RoomDirectory::ListBurst + 3; }));
        QCOMPARE(first.count<RoomList>(), server::RoomDirectory::ListBurst);
        QCOMPARE(first.count<Error>(), 3);
        QCOMPARE(first.last<Error>()->code, ErrorCode::RateLimited);
        QVERIFY(!first.last<Error>()->fatal);
        QVERIFY(first.isConnected());

        // Another connection from the same address shares the budget.
        TestClient second;
        QVERIFY(ask(second, fixture.url()));
        QCOMPARE(second.count<RoomList>(), 0);
        QCOMPARE(second.last<Error>()->code, ErrorCode::RateLimited);
        // The budget comes back.
        QVERIFY(waitUntil(
            [&] {
                second.send(ListRooms {});
                QTest::qWait(200);
                return second.count<RoomList>() > 0;
            },
            5000));
    }

    //! Asking does not hold the hello's deadline open: a connection that only asks is closed like any silent one.
    void askingDoesNotKeepAConnectionOpen()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 300; });
        QVERIFY(fixture.start());
        TestClient asker;
        QVERIFY(ask(asker, fixture.url()));
        QVERIFY(asker.waitForClose());
        QCOMPARE(asker.closeCode(), quint16(CloseCode::HandshakeTimeout));
    }

    void aMemberWhoAsksIsToldItIsTheWrongTime()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), u"room"_s));
        ann.send(ListRooms {});
        QVERIFY(ann.waitFor<Error>());
        QCOMPARE(ann.last<Error>()->code, ErrorCode::UnexpectedMessage);
        QVERIFY(!ann.last<Error>()->fatal);
        QCOMPARE(ann.count<RoomList>(), 0);
        // And stays in the room.
        const quint64 cseq = ann.sendOp(ann.makeChat(u"still here"_s));
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
    }

    void aClientCannotSendTheAnswer()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient liar;
        QVERIFY(liar.connectTo(fixture.url()));
        liar.send(RoomList {{RoomInfo {u"fake"_s, 999, false}}});
        QVERIFY(liar.waitFor<Error>());
        QCOMPARE(liar.last<Error>()->code, ErrorCode::NotJoined);
        TestClient asker;
        QVERIFY(ask(asker, fixture.url()));
        QVERIFY(asker.last<RoomList>()->rooms.isEmpty());
    }
};

QTEST_MAIN(TestServerRoomList)
#include "tst_server_roomlist.moc"
