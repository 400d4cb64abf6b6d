#include "closecodes.h"
#include "protocollimits.h"
#include "serverharness.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"guarded"_s;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

//! Neither the message rate nor the byte rate of ops limits here.
void fastInput(server::ServerConfig &config)
{
    config.ratePerSecond = 1e6;
    config.rateBurst = 1000000;
    config.opKibPerSecond = 1 << 30;
    config.opBurstKib = 1 << 30;
}

//! Valid messages of every kind a client sends, to mutate.
QList<QByteArray> seedMessages(TestClient &client)
{
    Op update = client.makeAdd(5);
    update.kind = OpKind::Update;
    Op move;
    move.kind = OpKind::Move;
    move.cseq = client.nextCseq++;
    move.ids = {client.clientId + u":1"_s};
    move.dx = 3;
    move.dy = 4;
    Live live;
    live.id = u"live-1"_s;
    live.points = {{1, 2}, {3, 4}};
    return {encode(client.makeAdd(4)),
            encode(client.makeChat(u"hello"_s)),
            encode(update),
            encode(move),
            encode(Profile {u"Fuzzy"_s, 0xff123456}),
            encode(Cursor {{}, 10, 20, true}),
            encode(Typing {{}, true}),
            encode(live)};
}

QByteArray mutate(QByteArray bytes, QRandomGenerator &random)
{
    const int kind = int(random.bounded(6));
    switch (kind) {
    case 0: // flip some bytes
        for (int i = 0, n = int(random.bounded(1, 4)); i < n && !bytes.isEmpty(); ++i)
            bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
        break;
    case 1: // truncate
        bytes.truncate(random.bounded(int(bytes.size())));
        break;
    case 2: { // replace a number with something hostile
        const int at = int(bytes.indexOf(':', random.bounded(int(bytes.size()))));
        if (at > 0) {
            static const char *const hostile[] = {"1e309", "-1",   "null", "\"x\"", "[]", "{}", "9007199254740993",
                                                  "0.5",   "true", "-0"};
            bytes.insert(at + 1, QByteArray(hostile[random.bounded(int(std::size(hostile)))]) + ",\"junk\":");
        }
        break;
    }
    case 3: // duplicate a slice
        if (bytes.size() > 4) {
            const int from = int(random.bounded(int(bytes.size()) - 2));
            bytes.insert(int(random.bounded(int(bytes.size()))), bytes.mid(from, random.bounded(1, 20)));
        }
        break;
    case 4: // change the type
        bytes.replace("\"op\"", "\"welcome\"");
        bytes.replace("\"cursor\"", "\"hello\"");
        break;
    default: // random garbage
        bytes = QByteArray(int(random.bounded(1, 64)), Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        break;
    }
    return bytes;
}

} // namespace

class TestServerProtection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oversizedMessagesAreClosedWith1009()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        // Exactly at the limit is accepted (it is not a valid message, so it gets an error and nothing else).
        QByteArray atLimit(limits::MaxClientMessageBytes, ' ');
        atLimit[0] = '{';
        atLimit[atLimit.size() - 1] = '}';
        ann.sendBytes(atLimit);
        QVERIFY(ann.waitFor<Error>());
        QCOMPARE(ann.last<Error>()->code, ErrorCode::MissingField);
        QVERIFY(ann.isConnected());
        // One byte more closes the connection.
        ann.sendBytes(QByteArray(limits::MaxClientMessageBytes + 1, ' '));
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), quint16(QWebSocketProtocol::CloseCodeTooMuchData));
    }

    void oversizedFramesAreClosedWith1009()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        RawClient raw;
        QVERIFY(raw.connectTo(fixture.url()));
        QVERIFY(raw.upgrade(fixture.url()));
        raw.sendFrame(QByteArray(limits::MaxClientMessageBytes + 1, 'x'));
        QVERIFY(raw.waitForDisconnect());
        QCOMPARE(raw.closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeTooMuchData));
    }

    void theRateLimitWarnsThenCloses()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.ratePerSecond = 50;
            config.rateBurst = 50;
            config.rateMaxExcess = 100;
        });
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        // A burst past the bucket: a warning, the excess is dropped, and an op in the excess is rejected.
        for (int i = 0; i < 60; ++i)
            ann.send(Cursor {{}, double(i), 0, true});
        const Op dropped = ann.makeChat(u"one too many"_s);
        ann.send(dropped);
        QVERIFY(ann.waitForAnswer(dropped.cseq));
        QCOMPARE(ann.rejectFor(dropped.cseq)->code, ErrorCode::RateLimited);
        QCOMPARE(ann.count<Error>(), 1);
        QCOMPARE(ann.last<Error>()->code, ErrorCode::RateLimited);
        QVERIFY(!ann.last<Error>()->fatal);
        QVERIFY(ann.isConnected());

        QVERIFY(ann.rejectFor(dropped.cseq)->retry);
        // A later op waits for the dropped one (held_back), so the resend cannot be overtaken.
        const Op overtaking = ann.makeChat(u"not before the dropped one"_s);
        QTest::qWait(100); // a few tokens come back at 50 a second
        ann.send(overtaking);
        QVERIFY(ann.waitForAnswer(overtaking.cseq));
        QCOMPARE(ann.rejectFor(overtaking.cseq)->code, ErrorCode::HeldBack);
        QVERIFY(ann.rejectFor(overtaking.cseq)->retry);

        // After a pause the connection is as good as new: sent again in order, both are committed.
        QTest::qWait(1100);
        ann.clear();
        ann.send(dropped);
        ann.send(overtaking);
        const quint64 later = ann.sendOp(ann.makeChat(u"calm again"_s));
        QVERIFY(ann.waitForAnswer(later));
        QVERIFY(ann.ackFor(dropped.cseq));
        QVERIFY(ann.ackFor(overtaking.cseq));
        QVERIFY(ann.ackFor(later));

        // A flood that goes on is closed with 1008.
        for (int i = 0; i < 400; ++i)
            ann.send(Cursor {{}, double(i), 0, true});
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::Policy));
        QVERIFY(ann.last<Error>()->fatal);
        QCOMPARE(ann.last<Error>()->code, ErrorCode::RateLimited);
        // The others were not disturbed.
        QVERIFY(bo.isConnected());
        QVERIFY(bo.waitFor<Presence>());
    }

    void aClientThatStopsReadingIsDroppedWhileOthersCarryOn()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            fastInput(config);
            config.maxOutputBytes = 1024 * 1024;
            config.volatileDropBytes = 256 * 1024;
        });
        QVERIFY(fixture.start());
        TestClient ann, cy;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(cy.join(fixture.url(), kRoom));

        RawClient stuck;
        QVERIFY(stuck.connectTo(fixture.url()));
        QVERIFY(stuck.upgrade(fixture.url()));
        TestClient identity(u"client-stuck-01"_s, u"Stuck"_s);
        stuck.sendHello(identity.hello(kRoom));
        QVERIFY(ann.waitFor<Presence>(2));
        stuck.stopReading();

        // Big strokes, until the server gives up on the reader that never reads.
        int sent = 0;
        const bool dropped = waitUntil(
            [&] {
                if (fixture.server().connectionCount() == 2)
                    return true;
                if (sent < 600 && ann.count<Ack>() + 20 >= sent) {
                    for (int i = 0; i < 10; ++i, ++sent)
                        ann.send(ann.makeAdd(limits::MaxPointsPerItem));
                }
                return false;
            },
            60000);
        QVERIFY2(dropped, qPrintable(u"still connected after %1 big ops"_s.arg(sent)));
        QVERIFY(waitUntil([&cy] {
            for (const Presence &presence : cy.all<Presence>()) {
                if (presence.event == PresenceEvent::Left && presence.member.client == "client-stuck-01"_L1)
                    return true;
            }
            return false;
        }));

        // Everybody else got everything, and still does.
        const quint64 after = ann.sendOp(ann.makeChat(u"still here"_s));
        QVERIFY(ann.waitForAnswer(after));
        QVERIFY(ann.ackFor(after));
        QVERIFY(waitUntil([&cy, after] { return cy.last<Op>() && cy.last<Op>()->cseq == after; }));
        QCOMPARE(cy.count<Op>(), sent + 1);
        QVERIFY(ann.isConnected());
        QVERIFY(cy.isConnected());
    }

    void noHelloInTimeIsClosedWith4008()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 300; });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::HandshakeTimeout));
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().connectionCount(), 0, kWaitMs);
        // A prompt hello is fine.
        TestClient bo;
        QVERIFY(bo.join(fixture.url(), kRoom));
        QTest::qWait(500);
        QVERIFY(bo.isConnected());
    }

    void noWebSocketHandshakeInTimeIsDropped()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 300; });
        QVERIFY(fixture.start());
        RawClient silent;
        QVERIFY(silent.connectTo(fixture.url()));
        RawClient trickle;
        QVERIFY(trickle.connectTo(fixture.url()));
        // A byte now and then never completes a request.
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, [&trickle] { trickle.socket().write("G"); });
        drip.start(50);
        QVERIFY(silent.waitForDisconnect());
        QVERIFY(trickle.waitForDisconnect());
    }

    void aFailedWebSocketHandshakeIsDisconnected()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 2000; });
        QVERIFY(fixture.start());
        RawClient plainHttp;
        QVERIFY(plainHttp.connectTo(fixture.url()));
        plainHttp.socket().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QVERIFY(plainHttp.waitForDisconnect());
        RawClient badVersion;
        QVERIFY(badVersion.connectTo(fixture.url()));
        badVersion.socket().write("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n\r\n");
        QVERIFY(badVersion.waitForDisconnect());
        QCOMPARE(fixture.server().connectionCount(), 0);
    }

    /** A refused handshake is answered with the status that says why and closed; a client's frames may follow its
     *  request in the same write (the server reads nothing past the request's end). */
    void handshakesAreAnsweredWithTheirStatus()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 3000; });
        QVERIFY(fixture.start());
        const auto answerTo = [&fixture](const QByteArray &request) {
            RawClient raw;
            if (!raw.connectTo(fixture.url()))
                return QByteArray("no connection");
            raw.socket().write(request);
            QByteArray line;
            waitUntil([&raw, &line] {
                if (raw.socket().canReadLine()) {
                    line = raw.socket().readLine().trimmed();
                    return true;
                }
                return raw.socket().state() != QAbstractSocket::ConnectedState;
            });
            return raw.waitForDisconnect() ? line : line + " (left open)";
        };
        const QByteArray head = "GET / HTTP/1.1\r\nHost: localhost\r\n";
        const QByteArray upgrade =
            head + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        QCOMPARE(answerTo(head + "\r\n"), QByteArray("HTTP/1.1 426 Upgrade Required"));
        QCOMPARE(answerTo("POST / HTTP/1.1\r\nHost: localhost\r\n\r\n"), QByteArray("HTTP/1.1 405 Method Not Allowed"));
        QCOMPARE(answerTo(upgrade + "Sec-WebSocket-Version: 8\r\n\r\n"), QByteArray("HTTP/1.1 426 Upgrade Required"));
        QCOMPARE(answerTo(upgrade + "\r\n"), QByteArray("HTTP/1.1 426 Upgrade Required"));
        QCOMPARE(answerTo(upgrade + "Sec-WebSocket-Version: 13\r\nX-Filler: " + QByteArray(9000, 'x') + "\r\n\r\n"),
                 QByteArray("HTTP/1.1 431 Request Header Fields Too Large"));
        QCOMPARE(answerTo(upgrade + "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n"),
                 QByteArray("HTTP/1.1 403 Forbidden"));
        QCOMPARE(fixture.server().connectionCount(), 0);

        // A hello right behind the request, in the same write: answered, joined.
        RawClient eager;
        QVERIFY(eager.connectTo(fixture.url()));
        eager.socket().write(upgrade + "Sec-WebSocket-Version: 13\r\n\r\n"
                             + RawClient::frame(encode(TestClient(u"client-eager-01"_s).hello(kRoom))));
        QByteArray response;
        QVERIFY(waitUntil([&eager, &response] {
            while (eager.socket().canReadLine() && !response.endsWith("\r\n\r\n"))
                response += eager.socket().readLine();
            return response.endsWith("\r\n\r\n");
        }));
        QVERIFY(response.startsWith("HTTP/1.1 101 Switching Protocols"));
        QVERIFY(waitUntil([&eager] {
            for (const QByteArray &message : eager.messagesReceived()) {
                const proto::DecodeResult result = proto::decode(message, limits::MaxServerMessageBytes);
                if (result.ok() && proto::typeOf(result.message()) == proto::MessageType::Synced)
                    return true;
            }
            return false;
        }));
    }

    void tooManyHandshakesAtOnceAreRefused()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxPendingHandshakes = 2; });
        QVERIFY(fixture.start());
        RawClient first, second, third;
        QVERIFY(first.connectTo(fixture.url()));
        QVERIFY(second.connectTo(fixture.url()));
        QTest::qWait(100);
        QVERIFY(third.connectTo(fixture.url()));
        QVERIFY(third.waitForDisconnect());
        QVERIFY(first.isConnected());
        QVERIFY(second.isConnected());
        // Completed handshakes make room again.
        QVERIFY(first.upgrade(fixture.url()));
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
    }

    void heartbeatsDropSilentPeers()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.pingIntervalMs = 100;
            config.heartbeatTimeoutMs = 500;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));

        // A peer that stops answering (as a half-open connection does): no pongs, no messages.
        RawClient silent;
        QVERIFY(silent.connectTo(fixture.url()));
        QVERIFY(silent.upgrade(fixture.url()));
        TestClient identity(u"client-silent-1"_s);
        silent.sendHello(identity.hello(kRoom));
        QVERIFY(ann.waitFor<Presence>());
        QVERIFY(silent.waitForDisconnect());
        QCOMPARE(silent.closeCodeReceived(), std::optional<quint16>(closeCode(CloseCode::HeartbeatTimeout)));
        QVERIFY(ann.waitFor<Presence>(2));
        QCOMPARE(ann.last<Presence>()->event, PresenceEvent::Left);
        QCOMPARE(ann.last<Presence>()->member.client, identity.clientId);

        // A live client answers the pings and stays, however long it is quiet.
        QTest::qWait(1500);
        QVERIFY(ann.isConnected());
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
    }

    void maxConnectionsPerServer()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxConnections = 2; });
        QVERIFY(fixture.start());
        TestClient ann, bo, cy;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), u"elsewhere"_s));
        QVERIFY(cy.connectTo(fixture.url()) || cy.closeCode() != 0);
        QVERIFY(cy.waitForClose());
        QCOMPARE(cy.closeCode(), closeCode(CloseCode::ServerFull));
        QCOMPARE(cy.last<Error>()->code, ErrorCode::ServerFull);
        QVERIFY(proto::isRetryable(cy.closeCode()));
        bo.close();
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().connectionCount(), 1, kWaitMs);
        TestClient dee;
        QVERIFY(dee.join(fixture.url(), kRoom));
    }

    void maxMembersPerRoom()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxRoomMembers = 2; });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s), bo, cy;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        QVERIFY(!cy.join(fixture.url(), kRoom));
        QCOMPARE(cy.closeCode(), closeCode(CloseCode::RoomFull));
        QCOMPARE(cy.last<Error>()->code, ErrorCode::RoomFull);
        // Another room has space, and a member reconnecting with its own id takes its own place.
        TestClient dee;
        QVERIFY(dee.join(fixture.url(), u"another room"_s));
        TestClient annAgain(u"client-ann-0001"_s);
        QVERIFY(annAgain.join(fixture.url(), kRoom));
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), closeCode(CloseCode::Replaced));
    }

    void malformedInputNeverCrashesOrCorruptsTheRoom()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("malformed input seed: %u (set INKROOM_SEED to repeat)", seed);
        QRandomGenerator random(
            qEnvironmentVariableIsSet("INKROOM_SEED") ? quint32(qEnvironmentVariableIntValue("INKROOM_SEED")) : seed);
        ServerFixture fixture(fastInput);
        QVERIFY(fixture.start());
        TestClient fuzzer, watcher;
        QVERIFY(fuzzer.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        const QList<QByteArray> seeds = seedMessages(fuzzer);
        constexpr int kMessages = 3000;
        for (int i = 0; i < kMessages; ++i) {
            const QByteArray bytes = mutate(seeds.at(random.bounded(int(seeds.size()))), random);
            if (random.bounded(2))
                fuzzer.sendBytes(bytes);
            else
                fuzzer.sendText(QString::fromUtf8(bytes));
        }
        // Then one good op, which must be answered after everything before it. The mutations made cseqs the test
        // cannot know: as a client does, it takes a number above what the room says it has committed for it.
        Op last = fuzzer.makeChat(u"the end"_s);
        last.cseq = limits::MaxCseqAhead;
        fuzzer.send(last);
        QVERIFY(fuzzer.waitForAnswer(last.cseq, 60000));
        if (const auto refused = fuzzer.rejectFor(last.cseq)) {
            QVERIFY2(refused->code == ErrorCode::CseqReused || refused->code == ErrorCode::CseqAhead,
                     qPrintable(errorCodeName(refused->code)));
            QVERIFY(refused->acked);
            last.cseq = *refused->acked + 1;
            fuzzer.send(last);
            QVERIFY(fuzzer.waitForAnswer(last.cseq, 60000));
        }
        QVERIFY(fuzzer.ackFor(last.cseq));
        QVERIFY(fuzzer.isConnected());
        for (const Error &error : fuzzer.all<Error>())
            QVERIFY(!error.fatal);
        QVERIFY(fuzzer.count<Error>() > kMessages / 10);

        // The room still makes sense: a newcomer's snapshot equals the log the watcher saw.
        QVERIFY(waitUntil([&watcher, &fuzzer, &last] {
            return watcher.last<Op>() && watcher.last<Op>()->seq == fuzzer.ackFor(last.cseq)->seq;
        }));
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.boardSinceWelcome() == watcher.boardSinceWelcome());
        QCOMPARE(watcher.undecodable(), 0);
        QCOMPARE(late.undecodable(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerProtection)
#include "tst_server_protection.moc"
