// A message framed once and shared by every recipient (server/outframe.*, Connection's per-turn frame list): the
// frame's header for every size class, and a room's fan-out through real sockets with small and large frames mixed.
#include "outframe.h"
#include "protocollimits.h"
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"fanout"_s;

//! The payload of a server frame parsed by RFC 6455 5.2 (final, binary, unmasked, the shortest length form), or
//! nullopt when the header says anything else.
std::optional<QByteArray> parseFrame(const QByteArray &frame)
{
    if (frame.size() < 2 || quint8(frame[0]) != 0x82 || (quint8(frame[1]) & 0x80))
        return std::nullopt;
    quint64 length = quint8(frame[1]) & 0x7f;
    qsizetype header = 2;
    if (length == 126) {
        if (frame.size() < 4)
            return std::nullopt;
        length = (quint64(quint8(frame[2])) << 8) | quint8(frame[3]);
        if (length < 126)
            return std::nullopt;
        header = 4;
    } else if (length == 127) {
        if (frame.size() < 10 || (quint8(frame[2]) & 0x80))
            return std::nullopt;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(frame[2 + i]);
        if (length <= 0xffff)
            return std::nullopt;
        header = 10;
    }
    if (quint64(frame.size() - header) != length)
        return std::nullopt;
    return frame.mid(header);
}

Live liveOf(int points, quint32 from)
{
    Live live;
    live.id = u"stroke-1"_s;
    live.from = from;
    for (int i = 0; i < points; ++i)
        live.points.append(QPointF(i, i * 2));
    return live;
}

} // namespace

class TestServerOutFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesEverySizeClass_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("header");
        for (const auto &[size, header] : {std::pair {0, 2},
                                           {1, 2},
                                           {125, 2},
                                           {126, 4},
                                           {127, 4},
                                           {65535, 4},
                                           {65536, 10},
                                           {65537, 10},
                                           {200000, 10}})
            QTest::addRow("%d", size) << size << header;
    }
    void framesEverySizeClass()
    {
        QFETCH(int, size);
        QFETCH(int, header);
        QByteArray payload(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            payload[i] = char(i * 7 + 3);
        const server::OutFrame frame = server::OutFrame::binary(payload);
        QCOMPARE(frame.size(), qsizetype(header + size));
        QCOMPARE(server::OutFrame::headerSize(quint64(size)), qsizetype(header));
        QCOMPARE(frame.payloadSize(), qsizetype(size));
        QCOMPARE(frame.payload().toByteArray(), payload);
        const std::optional<QByteArray> parsed = parseFrame(frame.bytes());
        QVERIFY(parsed);
        QCOMPARE(*parsed, payload);
    }

    void sharedBytesAreNotCopiedPerRecipient()
    {
        const server::OutFrame frame = server::OutFrame::binary("{\"type\":\"live\"}");
        const server::OutFrame copy = frame; // what a recipient's queue holds
        QCOMPARE(copy.bytes().constData(), frame.bytes().constData());
    }

    void everyMemberGetsTheSameFramesInOrder()
    {
        // Small live messages (their relayed form crossing 125/126 bytes) and ops of more than 64 KiB (written at
        // once, past the turn's queue) from one member: both others get every one, intact, in the same order.
        ServerFixture fixture([](server::ServerConfig &config) {
            config.ratePerSecond = 10000;
            config.rateBurst = 10000;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        const auto bea = rawMember(fixture.url(), u"client-bea-0001"_s, kRoom);
        const auto cy = rawMember(fixture.url(), u"client-cy-00001"_s, kRoom);
        QVERIFY(bea);
        QVERIFY(cy);
        const qsizetype beaBefore = bea->messagesReceived().size();
        const qsizetype cyBefore = cy->messagesReceived().size();

        QList<int> sent; // points of each live message, 0 for an op
        quint32 from = 0;
        for (int round = 0; round < 4; ++round) {
            for (int points = 1; points <= 6; ++points) {
                ann.send(liveOf(points, from));
                from += quint32(points);
                sent.append(points);
            }
            ann.send(ann.makeAdd(limits::MaxPointsPerItem / 2));
            sent.append(0);
        }
        const auto relayed = [&sent](RawClient &member, qsizetype before) {
            QList<int> seen;
            const QList<QByteArray> messages = member.messagesReceived();
            for (qsizetype i = before; i < messages.size(); ++i) {
                const DecodeResult result = decode(messages.at(i), limits::MaxServerMessageBytes);
                if (!result.ok())
                    return QList<int> {-1};
                if (const auto *live = std::get_if<Live>(&result.message()))
                    seen.append(int(live->points.size()));
                else if (const auto *op = std::get_if<Op>(&result.message()); op && op->kind == OpKind::Add)
                    seen.append(op->item.points.size() > 1000 ? 0 : -2);
            }
            return seen;
        };
        // Ops reach the others once committed, so they may come after lives sent later: compare each kind's order.
        const auto kind = [](const QList<int> &list, bool ops) {
            QList<int> only;
            for (int value : list) {
                if ((value == 0) == ops)
                    only.append(value);
            }
            return only;
        };
        QVERIFY(waitUntil([&] { return relayed(*bea, beaBefore).size() >= sent.size(); }, 20000));
        QVERIFY(waitUntil([&] { return relayed(*cy, cyBefore).size() >= sent.size(); }, 20000));
        QCOMPARE(kind(relayed(*bea, beaBefore), false), kind(sent, false));
        QCOMPARE(kind(relayed(*bea, beaBefore), true), kind(sent, true));
        // The very same bytes, in the same order, reached both.
        QCOMPARE(bea->messagesReceived().mid(beaBefore), cy->messagesReceived().mid(cyBefore));
    }
};

QTEST_GUILESS_MAIN(TestServerOutFrame)
#include "tst_server_outframe.moc"
