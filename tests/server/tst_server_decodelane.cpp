// Large messages are decoded (and large adds encoded) on worker threads (server/decodelane.h): each connection's
// messages are still handled in the order they arrived, refused in their place, and a decoded message whose
// connection is gone goes nowhere. The clients here send raw protocol and ignore any UI.
#include "protocollimits.h"
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"lane"_s;
//! About 40 KB encoded: above the lane's threshold in these tests, below it by default.
constexpr int kLargePoints = 2000;

//! The acks and rejects a client received, by cseq, in arrival order.
QList<quint64> answeredCseqs(const TestClient &client)
{
    QList<quint64> cseqs;
    for (const Message &message : client.messages()) {
        if (const auto *ack = std::get_if<Ack>(&message))
            cseqs.append(ack->cseq);
        else if (const auto *reject = std::get_if<Reject>(&message))
            cseqs.append(reject->cseq);
    }
    return cseqs;
}

void laneFor(server::ServerConfig &config, qint64 laneBytes)
{
    config.offThreadDecodeBytes = 16 * 1024;
    config.decodeLaneBytes = laneBytes;
    config.ratePerSecond = 100000;
    config.rateBurst = 100000;
}

} // namespace

class TestServerDecodeLane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void largeAndSmallOpsKeepTheirOrder_data()
    {
        QTest::addColumn<qint64>("laneBytes");
        QTest::newRow("room for many") << qint64(8 * 1024 * 1024);
        QTest::newRow("room for one") << qint64(64 * 1024);
        QTest::newRow("no room: on the server's thread") << qint64(1);
    }

    //! Large adds, small adds, chat and a large add that is refused, interleaved: answered one each, in the order
    //! sent, ordered in that order, and the board a late joiner gets is the one the log makes.
    void largeAndSmallOpsKeepTheirOrder()
    {
        QFETCH(qint64, laneBytes);
        ServerFixture fixture([laneBytes](server::ServerConfig &config) { laneFor(config, laneBytes); });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s), watcher, bob(u"client-bob-0001"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), u"elsewhere"_s));

        QList<Op> sent;
        QSet<quint64> refused;
        for (int i = 0; i < 60; ++i) {
            Op op;
            switch (i % 5) {
            case 0:
            case 3:
                op = ann.makeAdd(kLargePoints);
                break;
            case 1:
                op = ann.makeAdd(2);
                break;
            case 2:
                op = ann.makeChat(u"chat %1"_s.arg(i));
                break;
            default:
                // Large, and not ann's to make: refused (not_your_item) in its place.
                op = ann.makeAdd(kLargePoints, u"client-bob-0001:%1"_s.arg(i));
                refused.insert(op.cseq);
                break;
            }
            sent.append(op);
            ann.send(op);
            bob.send(bob.makeAdd(i % 2 ? kLargePoints : 2)); // another room, at the same time
        }
        QVERIFY(ann.waitForAnswer(sent.last().cseq, 60000));
        QVERIFY(bob.waitForAnswer(bob.nextCseq - 1, 60000));

        QList<quint64> expected;
        for (const Op &op : std::as_const(sent))
            expected.append(op.cseq);
        QCOMPARE(answeredCseqs(ann), expected);
        quint64 lastSeq = 0;
        for (const Op &op : std::as_const(sent)) {
            if (refused.contains(op.cseq)) {
                QVERIFY(ann.rejectFor(op.cseq));
                QCOMPARE(ann.rejectFor(op.cseq)->code, ErrorCode::NotYourItem);
                continue;
            }
            const std::optional<Ack> ack = ann.ackFor(op.cseq);
            QVERIFY(ack);
            QVERIFY2(ack->seq > lastSeq, "ordered out of the order sent");
            lastSeq = ack->seq;
        }
        QCOMPARE(bob.count<Reject>(), 0);
        QCOMPARE(answeredCseqs(bob).size(), 60);

        // The watcher saw the ops in seq order, with what ann sent in them; a snapshot gives the same board.
        QVERIFY(waitUntil([&watcher, lastSeq] { return watcher.last<Op>() && watcher.last<Op>()->seq == lastSeq; }));
        const QList<Op> seen = watcher.all<Op>();
        QCOMPARE(seen.size(), sent.size() - refused.size());
        qsizetype next = 0;
        for (const Op &op : std::as_const(sent)) {
            if (refused.contains(op.cseq))
                continue;
            const Op &relayed = seen.at(next++);
            QCOMPARE(relayed.cseq, op.cseq);
            QCOMPARE(relayed.client, ann.clientId);
            QVERIFY(relayed.item == op.item);
            QCOMPARE(relayed.text, op.text);
        }
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.boardSinceWelcome() == watcher.boardSinceWelcome());
        QString problem;
        QVERIFY2(fixture.server().checkConsistency(&problem), qPrintable(problem));
    }

    //! A connection that leaves while its large messages are being decoded: their results go nowhere, nothing of
    //! them is acknowledged, and the same client sending them again has each applied once.
    void decodedMessagesOfAConnectionThatLeftGoNowhere()
    {
        ServerFixture fixture([](server::ServerConfig &config) { laneFor(config, 8 * 1024 * 1024); });
        QVERIFY(fixture.start());
        TestClient watcher;
        QVERIFY(watcher.join(fixture.url(), kRoom));
        QList<Op> ops;
        {
            std::unique_ptr<RawClient> ann = rawMember(fixture.url(), u"client-ann-0001"_s, kRoom);
            QVERIFY(ann);
            for (quint64 cseq = 1; cseq <= 20; ++cseq) {
                Op op;
                op.kind = OpKind::Add;
                op.cseq = cseq;
                op.item = strokeItem(u"client-ann-0001:%1"_s.arg(cseq), 4 * kLargePoints);
                ops.append(op);
                ann->sendFrame(encode(op));
            }
            QVERIFY(waitUntil([&ann] { return ann->socket().bytesToWrite() == 0; }));
            ann->socket().abort(); // gone while the server decodes what it sent
        }
        // Whatever was ordered before the connection went is in the log once; the rest is not.
        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(fixture.url(), kRoom));
        const quint64 acked = again.welcome()->acked;
        for (const Op &op : std::as_const(ops))
            again.send(op);
        QVERIFY(again.waitForAnswer(ops.last().cseq, 60000));
        QCOMPARE(again.count<Reject>(), 0);
        for (const Ack &ack : again.all<Ack>())
            QCOMPARE(ack.duplicate, ack.cseq <= acked);
        QVERIFY(waitUntil([&watcher] { return watcher.boardSinceWelcome().size() == 20; }));
        QCOMPARE(watcher.count<Op>(), 20);
        QString problem;
        QVERIFY2(fixture.server().checkConsistency(&problem), qPrintable(problem));
    }

    //! Rooms that sent a few small ops are committed and answered before rooms with large batches are written, in the
    //! same turn: the large ones do not hold up their acks. (A detached server: what it sends arrives in order.)
    void smallBatchesAreAnsweredBeforeLargeOnes()
    {
        server::ServerConfig config = testConfig(QString());
        config.detached = true;
        config.ratePerSecond = 100000;
        config.rateBurst = 100000;
        server::Server server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        constexpr int kLargeRooms = 6;
        QList<QString> acked; // the client ids whose acks went out, in the order they did
        QList<quint64> connections;
        QList<TestClient *> clients;
        std::vector<std::unique_ptr<TestClient>> owned;
        for (int i = 0; i <= kLargeRooms; ++i) {
            owned.push_back(std::make_unique<TestClient>(u"client-%1-0001"_s.arg(i)));
            TestClient *client = owned.back().get();
            const QString id = client->clientId;
            connections.append(
                server.attachConnection(QHostAddress(u"10.0.0.%1"_s.arg(i + 1)), [&acked, id](const QByteArray &bytes) {
                    const DecodeResult result = decode(bytes, limits::MaxServerMessageBytes);
                    if (result.ok() && std::holds_alternative<Ack>(result.message()))
                        acked.append(id);
                }));
            server.deliver(connections.last(), encode(client->hello(u"room-%1"_s.arg(i))));
            server.settle();
            clients.append(client);
        }
        // In one turn: a large add in each of six rooms, a small one in the last room.
        for (int i = 0; i < kLargeRooms; ++i)
            server.deliver(connections.at(i), encode(clients.at(i)->makeAdd(4 * kLargePoints)));
        server.deliver(connections.at(kLargeRooms), encode(clients.at(kLargeRooms)->makeAdd(2)));
        server.settle();
        QCOMPARE(acked.size(), kLargeRooms + 1);
        QCOMPARE(acked.first(), clients.at(kLargeRooms)->clientId);
        QVERIFY2(server.checkConsistency(&error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestServerDecodeLane)
#include "tst_server_decodelane.moc"
