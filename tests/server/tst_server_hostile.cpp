// Hostile clients against the real server. Each attack ends in a clear error or close code, the other members of
// the room carry on, the server's memory stays bounded, and nothing already stored is lost or altered.
//
// Covered elsewhere and not repeated here (tests/server/tst_server_protection.cpp): oversized messages and frames
// (1009), the message rate limit (rate_limited, 1008), a client that stops reading (4009), no hello in time (4008),
// a WebSocket handshake trickled a byte at a time that never completes, a failed handshake, too many handshakes at
// once, silent peers (4012), the connection and room limits, and randomly mutated messages. TLS handshakes that
// never finish and plain clients on a TLS port: tests/server/tst_server_tls.cpp.
#include "closecodes.h"
#include "hostilemessages.h"
#include "protocollimits.h"
#include "serverharness.h"

#include <QFile>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"besieged"_s;
//! How much the server's resident memory may grow in one attack: generous (allocators keep what they freed, and
//! sanitizer builds double everything), but far below what an unbounded buffer would take.
constexpr qint64 kMemoryBoundBytes = 256LL * 1024 * 1024;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

//! This process's resident memory (the server runs in it), from /proc/self/status.
qint64 residentBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

//! What a newcomer finds in the room: the board and the chat.
struct RoomView
{
    Board board;
    QStringList chat;
};

RoomView look(const QUrl &url)
{
    TestClient late(QString(), u"Inspector"_s);
    RoomView view;
    if (!late.join(url, kRoom))
        return view;
    view.board = late.boardSinceWelcome();
    for (const Op &op : late.all<Op>()) {
        if (op.kind == OpKind::Chat)
            view.chat << op.author + u": "_s + op.text;
    }
    late.close();
    return view;
}

/** A room with two members and some work in it; check() then proves the attack changed nothing stored, that the
 *  bystander still gets answers and sees others, and that memory stayed bounded. */
class Siege
{
public:
    explicit Siege(const std::function<void(server::ServerConfig &)> &tweak = {})
        : fixture(tweak)
    { }

    bool begin()
    {
        if (!fixture.start() || !bystander.join(fixture.url(), kRoom) || !author.join(fixture.url(), kRoom))
            return false;
        for (int i = 0; i < 5; ++i)
            author.send(author.makeAdd(20));
        author.send(author.makeChat(u"before the attack"_s));
        if (!waitUntil([this] { return author.count<Ack>() == 6; }))
            return false;
        before = look(fixture.url());
        rssBefore = residentBytes();
        return before.board.size() == 5 && before.chat.size() == 1;
    }

    //! After the attack: nothing stored changed, the others carry on, memory is bounded.
    void check()
    {
        // The room answers its members as before.
        QVERIFY(bystander.isConnected());
        QVERIFY(author.isConnected());
        const int seen = author.count<Op>();
        const quint64 cseq = bystander.sendOp(bystander.makeChat(u"still here"_s));
        QVERIFY(bystander.waitForAnswer(cseq));
        QVERIFY(bystander.ackFor(cseq));
        QVERIFY(waitUntil([this, seen] { return author.count<Op>() > seen; }));

        // Nothing stored was lost or altered: the board is the same, the chat only grew by the new message.
        const RoomView after = look(fixture.url());
        QVERIFY(after.board.items() == before.board.items());
        QCOMPARE(after.chat, before.chat + QStringList {bystander.name + u": still here"_s});
        QString problem;
        QVERIFY2(fixture.server().checkConsistency(&problem), qPrintable(problem));
        QCOMPARE(bystander.undecodable(), 0);

        const qint64 grown = residentBytes() - rssBefore;
        QVERIFY2(grown < kMemoryBoundBytes, qPrintable(u"resident memory grew by %1 MiB"_s.arg(grown >> 20)));
    }

    ServerFixture fixture;
    TestClient bystander {QString(), u"Bystander"_s};
    TestClient author {QString(), u"Author"_s};
    RoomView before;
    qint64 rssBefore = 0;
};

//! A raw client that has joined the room (it never answers pings: keep the tests shorter than the heartbeat).
//! The decoded messages a raw client received.
QList<Message> decodedMessages(RawClient &raw)
{
    QList<Message> messages;
    for (const QByteArray &bytes : raw.messagesReceived()) {
        const DecodeResult result = decode(bytes, limits::MaxServerMessageBytes);
        if (result.ok())
            messages.append(result.message());
    }
    return messages;
}

QList<Error> errorsOf(TestClient &client)
{
    return client.all<Error>();
}

//! "code (field): message" of every error a client received, for failure messages.
QString describeErrors(TestClient &client)
{
    QStringList lines;
    for (const Error &error : client.all<Error>())
        lines << u"%1 (%2): %3"_s.arg(errorCodeName(error.code), error.field, error.message);
    return lines.join(u"; "_s);
}

} // namespace

class TestServerHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aHandshakeDribbledAByteAtATimeStillWorks()
    {
        Siege siege;
        QVERIFY(siege.begin());
        RawClient slow;
        QVERIFY(slow.connectTo(siege.fixture.url()));
        const QByteArray request = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        for (const char byte : request) {
            slow.socket().write(&byte, 1);
            slow.socket().flush();
            QTest::qWait(2);
        }
        QVERIFY(waitUntil([&slow] { return slow.socket().canReadLine(); }));
        QVERIFY(slow.socket().readLine().startsWith("HTTP/1.1 101"));
        siege.check();
    }

    void aFrameDribbledAByteAtATimeIsReadWhole()
    {
        Siege siege;
        QVERIFY(siege.begin());
        auto raw = rawMember(siege.fixture.url(), u"client-dribbler-1"_s, kRoom);
        QVERIFY(raw);
        Op chat;
        chat.kind = OpKind::Chat;
        chat.cseq = 1;
        chat.text = u"slowly"_s;
        const QByteArray frame = RawClient::frame(encode(chat));
        for (const char byte : frame) {
            raw->socket().write(&byte, 1);
            raw->socket().flush();
            QTest::qWait(2);
        }
        QVERIFY(siege.author.waitFor<Op>(1));
        QCOMPARE(siege.author.last<Op>()->text, u"slowly"_s);
        raw.reset();
        // Its message is now part of the room, as it should be.
        siege.before.chat << u"Raw: slowly"_s;
        siege.check();
    }

    void aFrameThatNeverEndsIsDroppedByTheHeartbeat()
    {
        Siege siege([](server::ServerConfig &config) {
            config.pingIntervalMs = 100;
            config.heartbeatTimeoutMs = 600;
        });
        QVERIFY(siege.begin());
        auto raw = rawMember(siege.fixture.url(), u"client-dribbler-2"_s, kRoom);
        QVERIFY(raw);
        // A frame that claims 64 KiB and arrives a byte now and then: Qt waits for it, the heartbeat does not.
        const QByteArray frame = RawClient::frame(QByteArray(65536, 'x'));
        qsizetype sent = 0;
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, [&] {
            if (sent < frame.size() && raw->isConnected())
                raw->socket().write(frame.constData() + sent++, 1);
        });
        drip.start(50);
        QVERIFY(raw->waitForDisconnect());
        QCOMPARE(raw->closeCodeReceived(), std::optional<quint16>(closeCode(CloseCode::HeartbeatTimeout)));
        drip.stop();
        siege.check();
    }

    void manyHandshakesThatNeverFinish()
    {
        Siege siege([](server::ServerConfig &config) {
            config.handshakeTimeoutMs = 1500;
            config.maxPendingHandshakes = 32;
        });
        QVERIFY(siege.begin());
        std::vector<std::unique_ptr<RawClient>> stalled;
        for (int i = 0; i < 150; ++i) {
            auto raw = std::make_unique<RawClient>();
            raw->socket().connectToHost(siege.fixture.url().host(), quint16(siege.fixture.url().port()));
            raw->socket().write("GET / HTTP/1.1\r\nHost: x\r\n"); // and never the rest
            stalled.push_back(std::move(raw));
            if (i % 10 == 9)
                waitUntil([] { return false; }, 1); // the server accepts as they come
        }
        // The members are not disturbed while the slots are full.
        const quint64 during = siege.author.sendOp(siege.author.makeAdd(3));
        QVERIFY(siege.author.waitForAnswer(during));
        QVERIFY(siege.author.ackFor(during));
        // Every one of them is gone in the end: most at once (no slot), the rest at the timeout.
        QVERIFY(waitUntil([&stalled] {
            return std::all_of(stalled.begin(), stalled.end(), [](auto &raw) { return !raw->isConnected(); });
        }));
        QCOMPARE(siege.fixture.server().connectionCount(), 2);
        stalled.clear();
        // The new item is the only change.
        const RoomView now = look(siege.fixture.url());
        QCOMPARE(now.board.size(), siege.before.board.size() + 1);
        siege.before = now;
        siege.check();
    }

    void floodsOfValidOpsAreCutOff()
    {
        Siege siege([](server::ServerConfig &config) {
            config.ratePerSecond = 100;
            config.rateBurst = 100;
            config.rateMaxExcess = 200;
        });
        QVERIFY(siege.begin());
        TestClient flooder(u"client-flooder-1"_s, u"Flooder"_s);
        QVERIFY(flooder.join(siege.fixture.url(), kRoom));
        const qint64 rss = residentBytes();
        // As fast as it can, far past the limit, reading what comes back now and then as a real client does.
        for (int i = 0; i < 2000 && flooder.isConnected(); ++i) {
            flooder.send(flooder.makeChat(u"spam %1"_s.arg(i)));
            if (i % 50 == 49)
                waitUntil([] { return false; }, 1);
        }
        QVERIFY(flooder.waitForClose());
        QCOMPARE(flooder.closeCode(), closeCode(CloseCode::Policy));
        QVERIFY(flooder.last<Error>()->fatal);
        QCOMPARE(flooder.last<Error>()->code, ErrorCode::RateLimited);
        QVERIFY(residentBytes() - rss < kMemoryBoundBytes);
        // What got through the limit is in the room, in order (the dropped ones leave gaps): every acknowledged
        // message, and perhaps a few committed as the connection closed, whose acks it never read. Nothing else.
        const RoomView now = look(siege.fixture.url());
        QVERIFY(now.board.items() == siege.before.board.items());
        QCOMPARE(now.chat.mid(0, 1), siege.before.chat);
        QVERIFY(now.chat.size() - 1 >= flooder.count<Ack>());
        int previous = -1;
        for (qsizetype i = 1; i < now.chat.size(); ++i) {
            QVERIFY(now.chat.at(i).startsWith(u"Flooder: spam "_s));
            const int n = QStringView(now.chat.at(i)).mid(14).toInt();
            QVERIFY(n > previous);
            previous = n;
        }
        siege.before = now;
        siege.check();
    }

    void invalidUtf8()
    {
        Siege siege;
        QVERIFY(siege.begin());
        // In a binary frame: the JSON does not decode, a non-fatal error, the connection carries on.
        TestClient sender(u"client-utf8-0001"_s, u"Bytes"_s);
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        sender.sendBytes(hostile::chatWithInvalidUtf8(7));
        QVERIFY(sender.waitFor<Error>());
        QCOMPARE(sender.last<Error>()->code, ErrorCode::BadJson);
        QVERIFY(!sender.ackFor(7));
        QVERIFY(!sender.last<Error>()->fatal);
        QVERIFY(sender.isConnected());
        // In a text frame it breaks the WebSocket protocol itself: close 1007.
        auto raw = rawMember(siege.fixture.url(), u"client-utf8-0002"_s, kRoom);
        QVERIFY(raw);
        raw->sendFrame(hostile::chatWithInvalidUtf8(1), 0x1);
        QVERIFY(raw->waitForDisconnect());
        QCOMPARE(raw->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeWrongDatatype));
        siege.check();
    }

    void fragmentedAndOversizedControlFrames()
    {
        Siege siege;
        QVERIFY(siege.begin());
        const QUrl url = siege.fixture.url();
        // A ping without FIN (control frames must not be fragmented): protocol error 1002.
        auto fragmentedPing = rawMember(url, u"client-control-01"_s, kRoom);
        QVERIFY(fragmentedPing);
        fragmentedPing->sendFrame("ab", 0x9, false);
        fragmentedPing->sendFrame("cd", 0x0, true);
        QVERIFY(fragmentedPing->waitForDisconnect());
        QCOMPARE(fragmentedPing->closeCodeReceived(),
                 std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // A ping longer than 125 bytes: 1002.
        auto longPing = rawMember(url, u"client-control-02"_s, kRoom);
        QVERIFY(longPing);
        longPing->sendFrame(QByteArray(200, 'p'), 0x9);
        QVERIFY(longPing->waitForDisconnect());
        QCOMPARE(longPing->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // A continuation with nothing to continue: 1002.
        auto orphan = rawMember(url, u"client-control-03"_s, kRoom);
        QVERIFY(orphan);
        orphan->sendFrame("{}", 0x0, true);
        QVERIFY(orphan->waitForDisconnect());
        QCOMPARE(orphan->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // Reserved opcodes: 1002.
        auto reserved = rawMember(url, u"client-control-04"_s, kRoom);
        QVERIFY(reserved);
        reserved->sendFrame("x", 0xB);
        QVERIFY(reserved->waitForDisconnect());
        QCOMPARE(reserved->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // A ping between the fragments of a message is fine: the message arrives whole and the pong comes back.
        auto polite = rawMember(url, u"client-control-05"_s, kRoom);
        QVERIFY(polite);
        Op chat;
        chat.kind = OpKind::Chat;
        chat.cseq = 1;
        chat.text = u"in pieces"_s;
        const QByteArray bytes = encode(chat);
        polite->sendFrame(bytes.left(10), 0x1, false);
        polite->sendFrame("hello?", 0x9);
        polite->sendFrame(bytes.mid(10), 0x0, true);
        QVERIFY(waitUntil([&polite] {
            for (const Message &message : decodedMessages(*polite)) {
                if (const auto *ack = std::get_if<Ack>(&message); ack && ack->cseq == 1)
                    return true;
            }
            return false;
        }));
        QVERIFY(waitUntil([&polite] { return polite->pongsReceived() == QList<QByteArray> {"hello?"}; }));
        QVERIFY(polite->isConnected());
        // The client closes: its close is answered with its code, and the server ends the TCP connection.
        QByteArray bye;
        bye.append(char(0x0F)).append(char(0xA0)).append("done"); // 4000
        polite->sendFrame(bye, 0x8);
        QVERIFY(polite->waitForDisconnect());
        QCOMPARE(polite->closeCodeReceived(), std::optional<quint16>(4000));
        polite.reset();
        siege.before.chat << u"Raw: in pieces"_s;
        siege.check();
    }

    /** RFC 6455, 5.1: a server closes with 1002 on a frame from a client without a mask (QtWebSockets 6.4, which the
     *  server once read frames with, took it as masked with the key 0). Before and after the join, in one piece or
     *  split across reads, and also a mask bit that arrives after a large masked frame; a masked frame whose key is
     *  0 is still fine. */
    void unmaskedFramesAreClosedWith1002()
    {
        Siege siege;
        QVERIFY(siege.begin());
        const QUrl url = siege.fixture.url();
        Op chat;
        chat.kind = OpKind::Chat;
        chat.cseq = 1;
        chat.text = u"not masked"_s;
        // A member's op, unmasked: closed with 1002, and the op is not in the room.
        auto member = rawMember(url, u"client-unmasked-1"_s, kRoom);
        QVERIFY(member);
        member->socket().write(RawClient::unmaskedFrame(encode(chat)));
        QVERIFY(member->waitForDisconnect());
        QCOMPARE(member->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // An unmasked hello, its header dribbled in two reads: 1002 before any join.
        RawClient stranger;
        QVERIFY(stranger.connectTo(url) && stranger.upgrade(url));
        const QByteArray hello =
            RawClient::unmaskedFrame(encode(TestClient(u"client-unmasked-2"_s).hello(kRoom)).left(120));
        stranger.socket().write(hello.left(1));
        stranger.socket().flush();
        QTest::qWait(20);
        stranger.socket().write(hello.mid(1));
        QVERIFY(stranger.waitForDisconnect());
        QCOMPARE(stranger.closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // After a large masked message (whose payload holds bytes that look like headers), an unmasked ping: 1002.
        auto large = rawMember(url, u"client-unmasked-3"_s, kRoom);
        QVERIFY(large);
        Op big;
        big.kind = OpKind::Chat;
        big.cseq = 1;
        big.text = QString(3000, u'z'); // 0x7a: read as a header, a frame without a mask
        large->sendFrame(encode(big));
        QVERIFY(siege.author.waitFor<Op>(1));
        large->socket().write(QByteArray::fromHex("8900"));
        QVERIFY(large->waitForDisconnect());
        QCOMPARE(large->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));
        // A mask whose key is 0 is a mask: served as usual.
        auto zero = rawMember(url, u"client-unmasked-4"_s, kRoom);
        QVERIFY(zero);
        Op fine = chat;
        fine.text = u"masked with 0"_s;
        const QByteArray payload = encode(fine);
        QByteArray frame;
        frame.append(char(0x81));
        frame.append(char(0x80 | payload.size()));
        frame.append(QByteArray(4, '\0'));
        frame.append(payload);
        zero->socket().write(frame);
        QVERIFY(siege.author.waitFor<Op>(2));
        QCOMPARE(siege.author.last<Op>()->text, u"masked with 0"_s);
        QVERIFY(zero->isConnected());
        zero.reset();
        siege.before.chat << u"Raw: "_s + big.text << u"Raw: masked with 0"_s;
        siege.check();
    }

    void malformedAndDeeplyNestedJson()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient sender(u"client-json-0001"_s, u"Json"_s);
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        const QList<QByteArray> attacks = {
            hostile::nestedArrays(100000), // far deeper than any parser should follow
            hostile::nestedObjects(50000),
            hostile::opWithNestedItem(9, 500),
            hostile::manyKeys(40000),
            "{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":10,\"text\":\"unterminated",
            "{\"type\":\"op\" \"kind\":\"chat\"}",
            "[{\"type\":\"op\"}]",
            "\"just a string\"",
            "{}",
            "null",
            QByteArray(1000, '{'),
            "{\"type\":\"op\",\"type\":\"hello\",\"kind\":\"chat\",\"cseq\":11,\"text\":\"twice\"}",
        };
        for (const QByteArray &attack : attacks)
            sender.sendBytes(attack);
        const Op last = [&sender] {
            Op op = sender.makeChat(u"the end"_s);
            op.cseq = 100;
            return op;
        }();
        sender.send(last);
        QVERIFY(sender.waitForAnswer(100));
        QVERIFY(sender.ackFor(100));
        QVERIFY(sender.isConnected());
        QVERIFY(sender.count<Error>() >= 8);
        for (const Error &error : errorsOf(sender))
            QVERIFY(!error.fatal);
        // An op whose cseq could be read gets its reject (the item is not an object); the rest just an error.
        QVERIFY(sender.rejectFor(9));
        QCOMPARE(sender.rejectFor(9)->code, ErrorCode::WrongType);
        QVERIFY(!sender.ackFor(10));
        // The board is untouched; the chat has the good message (and, if the repeated key named the op last,
        // "twice": either way exactly what was acknowledged).
        const RoomView now = look(siege.fixture.url());
        QVERIFY(now.board.items() == siege.before.board.items());
        QCOMPARE(now.chat.first(), siege.before.chat.first());
        QCOMPARE(now.chat.last(), u"Json: the end"_s);
        QCOMPARE(now.chat.size(), 1 + sender.count<Ack>());
        siege.before = now;
        siege.check();
    }

    void nanAndAbsurdCoordinates()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient sender(u"client-coords-01"_s, u"Coords"_s);
        sender.nextCseq = 100; // the attacks use cseqs 1 to 11
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        const QList<std::pair<QByteArray, ErrorCode>> attacks = {
            {hostile::addWithPoint(1, "NaN"), ErrorCode::BadJson},
            {hostile::addWithPoint(2, "Infinity"), ErrorCode::BadJson},
            {hostile::addWithPoint(3, "1e309"), ErrorCode::BadJson},
            {hostile::addWithPoint(4, "-1e309"), ErrorCode::BadJson},
            {hostile::addWithPoint(5, "1000000.5"), ErrorCode::OutOfRange},
            {hostile::addWithPoint(6, "-1e300"), ErrorCode::OutOfRange},
            {hostile::addWithPoint(7, "\"12\""), ErrorCode::WrongType},
            {hostile::addWithPoint(8, "null"), ErrorCode::WrongType},
            {hostile::moveBy(9, "1e300"), ErrorCode::OutOfRange},
            {hostile::addWithWidth(10, "0"), ErrorCode::OutOfRange},
            {hostile::addWithWidth(11, "1e308"), ErrorCode::OutOfRange},
            {hostile::addWithCseq("-1"), ErrorCode::OutOfRange},
            {hostile::addWithCseq("1.5"), ErrorCode::OutOfRange},
            {hostile::addWithCseq("1e400"), ErrorCode::BadJson},
        };
        for (const auto &[bytes, code] : attacks)
            sender.sendBytes(bytes);
        sender.sendBytes(hostile::cursorAt("1e12", "0"));
        sender.sendBytes(hostile::cursorAt("NaN", "0"));
        const quint64 fine = sender.sendOp(sender.makeChat(u"done"_s));
        QVERIFY(sender.waitForAnswer(fine));
        for (const auto &[bytes, code] : attacks) {
            const DecodeResult result = decode(bytes, limits::MaxClientMessageBytes);
            QVERIFY2(!result.ok(), bytes.constData());
            QCOMPARE(result.error().code, code);
        }
        for (quint64 cseq = 1; cseq <= 11; ++cseq) {
            QVERIFY2(sender.rejectFor(cseq) || cseq <= 4, qPrintable(QString::number(cseq)));
            QVERIFY(!sender.ackFor(cseq));
        }
        QVERIFY(sender.isConnected());
        for (const Error &error : errorsOf(sender))
            QVERIFY(!error.fatal);
        // The bystander never saw a cursor from it.
        QCOMPARE(siege.bystander.count<Cursor>(), 0);
        // Coordinates at the very edge are fine, and a move clamps to the board's bounds.
        const quint64 edge = sender.sendOp([&sender] {
            Op op = sender.makeAdd(2, u"client-coords-01:edge"_s);
            op.item.points = {QPointF(1e6, -1e6), QPointF(5e-324, -0.0)};
            return op;
        }());
        QVERIFY(sender.waitForAnswer(edge));
        QVERIFY(sender.ackFor(edge));
        Op move;
        move.kind = OpKind::Move;
        move.cseq = sender.nextCseq++;
        move.ids = {u"client-coords-01:edge"_s};
        move.dx = 2e6;
        move.dy = -2e6;
        sender.send(move);
        QVERIFY(sender.waitForAnswer(move.cseq));
        QVERIFY(sender.ackFor(move.cseq));
        const RoomView now = look(siege.fixture.url());
        const Item *moved = now.board.item(u"client-coords-01:edge"_s);
        QVERIFY(moved);
        for (const QPointF &point : moved->points)
            QVERIFY(std::abs(point.x()) <= 1e6 && std::abs(point.y()) <= 1e6);
        siege.before = now;
        siege.check();
    }

    //! A client that ignores the app's panel sends style values past their limits: each is refused with its code and
    //! field named, nothing is stored, and a style within them is stored and reaches the others as sent.
    void badStyleValuesAreRefusedWithTheirField()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient sender(u"client-style-001"_s, u"Style"_s);
        sender.nextCseq = 100; // the attacks use cseqs 1 to 10
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        const auto add = [](int cseq, const char *kind, const char *points, const char *extra) {
            return u"{\"type\":\"op\",\"kind\":\"add\",\"cseq\":%1,\"item\":{\"id\":\"client-style-001:%1\","
                   "\"kind\":\"%2\",\"colour\":\"#000000\",\"width\":4,\"points\":%3%4}}"_s.arg(cseq)
                       .arg(QLatin1StringView(kind), QLatin1StringView(points), QLatin1StringView(extra))
                       .toUtf8();
        };
        QByteArray tooMany = ",\"widths\":[1";
        for (int i = 0; i < limits::MaxPointsPerItem; ++i)
            tooMany += ",1";
        tooMany += ']';
        struct Attack
        {
            QByteArray bytes;
            ErrorCode code;
            QString field;
        };
        const QList<Attack> attacks = {
            {add(1, "stroke", "[0,0,5,5]", ",\"widths\":[2,600]"), ErrorCode::OutOfRange, u"item.widths[1]"_s},
            {add(2, "stroke", "[0,0,5,5]", ",\"widths\":[2,4.5]"), ErrorCode::OutOfRange, u"item.widths"_s},
            {add(3, "stroke", "[0,0,5,5]", ",\"widths\":[2]"), ErrorCode::BadValue, u"item.widths"_s},
            {add(4, "stroke", "[0,0,5,5]", tooMany.constData()), ErrorCode::TooManyPoints, u"item.widths"_s},
            {add(5, "rect", "[0,0,5,5]", ",\"opacity\":0.01"), ErrorCode::OutOfRange, u"item.opacity"_s},
            {add(6, "rect", "[0,0,5,5]", ",\"opacity\":2"), ErrorCode::OutOfRange, u"item.opacity"_s},
            {add(7, "rect", "[0,0,5,5]", ",\"dash\":\"wiggly\""), ErrorCode::BadValue, u"item.dash"_s},
            {add(8, "arrow", "[0,0,5,5]", ",\"heads\":\"up\""), ErrorCode::BadValue, u"item.heads"_s},
            {add(9, "stroke", "[0,0,5,5]", ",\"widths\":[2,\"wide\"]"), ErrorCode::WrongType, u"item.widths[1]"_s},
            {add(10, "rect", "[0,0,5,5]", ",\"opacity\":NaN"), ErrorCode::BadJson, QString()},
        };
        for (const Attack &attack : attacks)
            sender.sendBytes(attack.bytes);
        const quint64 fine = sender.sendOp(sender.makeChat(u"done"_s));
        QVERIFY(sender.waitForAnswer(fine));
        for (quint64 cseq = 1; cseq <= 9; ++cseq) {
            const Attack &attack = attacks.at(qsizetype(cseq - 1));
            const auto reject = sender.rejectFor(cseq);
            QVERIFY2(reject, qPrintable(u"cseq %1: %2"_s.arg(cseq).arg(describeErrors(sender))));
            QCOMPARE(errorCodeName(reject->code), errorCodeName(attack.code));
            QVERIFY2(reject->message.contains(attack.field.section(u'[', 0, 0)), qPrintable(reject->message));
            QVERIFY(!reject->retry);
        }
        // NaN is not JSON: the message is refused whole, with an error rather than a reject (no cseq can be read).
        QVERIFY(!sender.rejectFor(10));
        QVERIFY(!sender.ackFor(10));
        const QList<Error> errors = errorsOf(sender);
        QVERIFY2(std::any_of(errors.cbegin(), errors.cend(),
                             [](const Error &error) { return error.code == ErrorCode::BadJson && !error.fatal; }),
                 qPrintable(describeErrors(sender)));
        QVERIFY(sender.isConnected());
        const RoomView after = look(siege.fixture.url());
        QVERIFY(after.board.items() == siege.before.board.items());
        siege.before = after;

        // Within the limits: stored as sent, and the others get it as sent.
        Op styled = sender.makeAdd(3, u"client-style-001:styled"_s);
        styled.item.width = 6;
        styled.item.widths = {0.5, 6, 3};
        styled.item.opacity = 0.4;
        const quint64 ok = sender.sendOp(styled);
        QVERIFY(sender.waitForAnswer(ok));
        QVERIFY2(sender.ackFor(ok), qPrintable(describeErrors(sender)));
        QVERIFY(waitUntil([&siege] {
            for (const Op &op : siege.bystander.all<Op>()) {
                if (op.kind == OpKind::Add && op.item.id == u"client-style-001:styled"_s)
                    return true;
            }
            return false;
        }));
        const RoomView stored = look(siege.fixture.url());
        const Item *item = stored.board.item(u"client-style-001:styled"_s);
        QVERIFY(item);
        QCOMPARE(item->widths, styled.item.widths);
        QCOMPARE(item->opacity, 0.4);
        siege.before = stored;
        siege.check();
    }

    void millionPointStrokes()
    {
        Siege siege;
        QVERIFY(siege.begin());
        // As one op: past the message size limit, so the connection is closed (1009) before anything is parsed.
        TestClient giant(u"client-giant-001"_s, u"Giant"_s);
        QVERIFY(giant.join(siege.fixture.url(), kRoom));
        giant.sendBytes(hostile::addWithPoints(1, 1000000));
        QVERIFY(giant.waitForClose());
        QCOMPARE(giant.closeCode(), quint16(QWebSocketProtocol::CloseCodeTooMuchData));

        // Just over the point limit, inside the size limit: rejected with too_many_points, and it carries on.
        TestClient big(u"client-giant-002"_s, u"Big"_s);
        QVERIFY(big.join(siege.fixture.url(), kRoom));
        big.sendBytes(hostile::addWithPoints(1, limits::MaxPointsPerItem + 1));
        big.nextCseq = 2;
        QVERIFY(big.waitForAnswer(1));
        QCOMPARE(big.rejectFor(1)->code, ErrorCode::TooManyPoints);
        QVERIFY(big.isConnected());

        // As live strokes: each message is capped, and so is where it may continue.
        Live live;
        live.id = u"client-giant-002:live"_s;
        live.from = 0;
        for (int i = 0; i < limits::MaxPointsPerLive + 1; ++i)
            live.points.append(QPointF(i, i));
        big.send(live);
        live.points.resize(10);
        live.from = limits::MaxPointsPerItem;
        big.send(live);
        const quint64 fine = big.sendOp(big.makeChat(u"ok"_s));
        QVERIFY(big.waitForAnswer(fine));
        QVERIFY2(big.count<Error>() >= 3, qPrintable(describeErrors(big)));
        QCOMPARE(siege.bystander.count<Live>(), 0);
        siege.before = look(siege.fixture.url());
        siege.before.chat.removeLast();
        siege.before.chat << u"Big: ok"_s;
        siege.check();
    }

    void unknownAndMisdirectedMessageTypes()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient sender(u"client-types-001"_s, u"Types"_s);
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        sender.sendBytes("{\"type\":\"admin\",\"command\":\"drop table rooms\"}");
        QVERIFY(sender.waitFor<Error>());
        QCOMPARE(sender.last<Error>()->code, ErrorCode::UnknownType);
        sender.send(Welcome {});
        sender.send(Ack {1, 1, false});
        sender.send(Presence {PresenceEvent::Left, Member {siege.author.clientId, u"Author"_s, 0xff000000, false}});
        sender.send(Synced {1});
        QVERIFY(sender.waitFor<Error>(5));
        // Server-to-client types: unexpected_message, or the decode error of the empty welcome; never fatal.
        for (const Error &error : errorsOf(sender))
            QVERIFY2(!error.fatal, qPrintable(describeErrors(sender)));
        QCOMPARE(sender.count<Error>(), 5);
        QCOMPARE(sender.all<Error>().at(2).code, ErrorCode::UnexpectedMessage);
        QVERIFY(sender.isConnected());
        QCOMPARE(siege.bystander.all<Presence>().size(), siege.bystander.count<Presence>()); // nothing forged
        for (const Presence &presence : siege.bystander.all<Presence>())
            QVERIFY(!(presence.event == PresenceEvent::Left && presence.member.client == siege.author.clientId));
        // Before the hello, an unknown type ends the connection: close 4000.
        TestClient stranger;
        QVERIFY(stranger.connectTo(siege.fixture.url()));
        stranger.sendBytes("{\"type\":\"admin\"}");
        QVERIFY(stranger.waitForClose());
        QCOMPARE(stranger.closeCode(), closeCode(CloseCode::BadHello));
        siege.check();
    }

    void nothingIsAcceptedForARoomNotJoined()
    {
        Siege siege;
        QVERIFY(siege.begin());
        // Before a hello: every kind of operation gets not_joined, and nothing reaches any room.
        TestClient outsider(u"client-outside-01"_s, u"Outsider"_s);
        QVERIFY(outsider.connectTo(siege.fixture.url()));
        outsider.send(outsider.makeAdd(3));
        outsider.send(outsider.makeChat(u"let me in"_s));
        outsider.send(Cursor {{}, 1, 2, true});
        outsider.send(Typing {{}, true});
        outsider.send(Profile {u"Sneaky"_s, 0xff000000});
        Live live;
        live.id = u"x:1"_s;
        live.points = {QPointF(1, 1)};
        outsider.send(live);
        QVERIFY(outsider.waitFor<Error>(6));
        for (const Error &error : errorsOf(outsider)) {
            QCOMPARE(error.code, ErrorCode::NotJoined);
            QVERIFY(!error.fatal);
        }
        QCOMPARE(outsider.count<Ack>(), 0);
        // A member of one room cannot act in another: ops carry no room, they go to the connection's own.
        TestClient elsewhere(u"client-elsewhere1"_s, u"Elsewhere"_s);
        QVERIFY(elsewhere.join(siege.fixture.url(), u"another room"_s));
        const quint64 cseq = elsewhere.sendOp(elsewhere.makeChat(u"only in my room"_s));
        QVERIFY(elsewhere.waitForAnswer(cseq));
        QVERIFY(elsewhere.ackFor(cseq));
        QTest::qWait(200);
        QCOMPARE(siege.bystander.count<Cursor>(), 0);
        QCOMPARE(siege.bystander.count<Typing>(), 0);
        QCOMPARE(siege.bystander.count<Live>(), 0);
        for (const Op &op : siege.bystander.all<Op>())
            QVERIFY(op.client != outsider.clientId && op.client != elsewhere.clientId);
        siege.check();
    }

    void replayedCseqsAndItemIds()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient replayer(u"client-replay-001"_s, u"Replayer"_s);
        QVERIFY(replayer.join(siege.fixture.url(), kRoom));
        // The same bytes three times: applied once, acknowledged as duplicates after.
        const Op add = replayer.makeAdd(4);
        const QByteArray bytes = encode(add);
        for (int i = 0; i < 3; ++i)
            replayer.sendBytes(bytes);
        QVERIFY(waitUntil([&replayer] { return replayer.count<Ack>() == 3; }));
        const QList<Ack> acks = replayer.all<Ack>();
        QVERIFY(!acks.at(0).duplicate && acks.at(1).duplicate && acks.at(2).duplicate);
        QCOMPARE(acks.at(1).seq, acks.at(0).seq);
        QCOMPARE(acks.at(1).time, acks.at(0).time);
        // An older cseq with a different op: refused as reused, never acknowledged, and not applied.
        Op older = replayer.makeChat(u"rewritten history"_s);
        older.cseq = add.cseq;
        replayer.send(older);
        QVERIFY(waitUntil([&replayer, &older] { return replayer.rejectFor(older.cseq).has_value(); }));
        QCOMPARE(replayer.count<Ack>(), 3);
        QCOMPARE(replayer.rejectFor(older.cseq)->code, ErrorCode::CseqReused);
        QCOMPARE(replayer.rejectFor(older.cseq)->acked, std::optional<quint64>(add.cseq));
        // Adding an item under the id of somebody else's item on the board changes nothing: item_exists.
        const QString taken = siege.before.board.orderedItems().first().id;
        const quint64 hijack = replayer.sendOp(replayer.makeAdd(50, taken));
        QVERIFY(replayer.waitForAnswer(hijack));
        QCOMPARE(replayer.rejectFor(hijack)->code, ErrorCode::ItemExists);
        RoomView now = look(siege.fixture.url());
        QVERIFY(now.board.item(taken));
        QVERIFY(*now.board.item(taken) == *siege.before.board.item(taken));
        QCOMPARE(now.board.size(), siege.before.board.size() + 1); // the first add, once
        QVERIFY(!now.chat.contains(u"Replayer: rewritten history"_s));
        siege.before = now;
        siege.check();
    }

    void chatWithMarkupIsKeptAsText()
    {
        Siege siege;
        QVERIFY(siege.begin());
        TestClient sender(u"client-markup-01"_s, u"<b>Mallory</b>"_s);
        QVERIFY(sender.join(siege.fixture.url(), kRoom));
        const QStringList texts = {
            u"<script>alert(1)</script>"_s,
            u"<img src=x onerror=alert(1)>"_s,
            u"<a href=\"javascript:alert(1)\">click</a> & &amp; &lt;"_s,
            u"line one\nline two\t<b>tab</b>"_s,
            u"\u202Egnp.exe"_s, // a right-to-left override is a format character, not markup: kept as it is
        };
        for (const QString &text : texts)
            sender.send(sender.makeChat(text));
        QVERIFY(waitUntil([&sender, &texts] { return sender.count<Ack>() == texts.size(); }));
        // Stored and relayed exactly as written: clients show chat as plain text.
        QVERIFY(waitUntil([&siege, &texts] { return siege.bystander.count<Op>() >= texts.size(); }));
        QStringList relayed;
        for (const Op &op : siege.bystander.all<Op>().mid(siege.bystander.count<Op>() - texts.size())) {
            relayed << op.text;
            QCOMPARE(op.author, u"<b>Mallory</b>"_s);
        }
        QCOMPARE(relayed, texts);
        // Control characters are not text: refused.
        const quint64 bell = sender.sendOp(sender.makeChat(u"ring \u0007 ring"_s));
        const quint64 escape = sender.sendOp(sender.makeChat(u"\u001b[31mred"_s));
        QVERIFY(sender.waitForAnswer(escape));
        QCOMPARE(sender.rejectFor(bell)->code, ErrorCode::BadValue);
        QCOMPARE(sender.rejectFor(escape)->code, ErrorCode::BadValue);
        for (const QString &text : texts)
            siege.before.chat << u"<b>Mallory</b>: "_s + text;
        siege.check();
    }
};

QTEST_GUILESS_MAIN(TestServerHostile)
#include "tst_server_hostile.moc"
