#include "fuzzentry.h"
#include "imagesniff.h"
#include "opbytes.h"
#include "protocol.h"
#include "protocollimits.h"
#include "tst_shared_protocol_data.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <array>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;

Q_DECLARE_METATYPE(inkroom::proto::Message)
Q_DECLARE_METATYPE(inkroom::proto::ErrorCode)

namespace {

const QString kClient = u"client-0001"_s;
const QString kSecret = u"q8Xw0n3JvYb5-Kc2TzR1aL7fHs9dE4gU6iOpMm_NtBk"_s;
constexpr int kMessageTypeCount = int(std::variant_size_v<Message>);

Item stroke()
{
    Item item;
    item.id = u"client-0001:1"_s;
    item.kind = ItemKind::Stroke;
    item.colour = 0xffe53935;
    item.width = 3.5;
    item.points = {{0, 0}, {10.25, -4.5}, {1e6, -1e6}};
    return item;
}

//! Kept outside the test class: moc's parser trips over this loop's template arguments.
bool everyTypeNameRoundTrips()
{
    for (int i = 0; i < kMessageTypeCount; ++i) {
        const QString name = messageTypeName(MessageType(i));
        if (name.isEmpty() || messageTypeFromName(name) != std::optional(MessageType(i)))
            return false;
    }
    return true;
}

QList<Message> sampleMessages()
{
    Item rect = stroke();
    rect.kind = ItemKind::Rect;
    rect.points = {{1, 2}, {3, 4}};
    rect.fill = 0x40ffffff;
    rect.z = 17;
    Item curve = stroke();
    curve.points = {{-1234.5678901, 0.1}, {1e6, -1e6}, {3.25, -0.0}, {7, 8e-5}};
    return {
        Hello {2, kClient, kSecret, u"Ann \u00e9"_s, 0xff123456, u"Design review"_s, u"pw"_s, u"tok"_s,
               ResumePoint {u"epoch-1"_s, 42}},
        Welcome {2, u"room"_s, u"ep0ch"_s, kClient, {Member {kClient, u"Ann"_s, 0xff00ff00, true}}, 7, 99, true, true},
        Snapshot {18, {rect, curve}},
        Op {OpKind::Add, 7, 12, kClient, u"Ann"_s, 1763700000000, curve, {}, 0, 0, {}},
        Op {OpKind::Move, 3, 0, {}, {}, 0, {}, {u"a"_s, u"b:1"_s}, -2e6, 0.5, {}},
        Op {OpKind::Chat, 5, 9, kClient, u"Ann"_s, 1, {}, {}, 0, 0, u"\"quoted\"\t\\ \u00e9\U0001F600 <b>"_s},
        Live {kClient, u"s:1"_s, ItemKind::Stroke, 0xff000000, 4, 10, {{1, 2}, {3, 4}}, false},
        Error {ErrorCode::WrongType, u"field 'x' must be a number"_s, u"x"_s, true},
    };
}

//! decode() and decodeWithQJsonDocument() give the same message, or the same error.
bool agreesWithReference(const QByteArray &bytes)
{
    const DecodeResult fast = decode(bytes, limits::MaxServerMessageBytes);
    const DecodeResult reference = decodeWithQJsonDocument(bytes, limits::MaxServerMessageBytes);
    if (fast.ok() != reference.ok()) {
        qWarning("decode() %s, the reference %s", fast.ok() ? "accepts" : "refuses",
                 reference.ok() ? "accepts" : "refuses");
        return false;
    }
    if (fast.ok()) {
        if (!(fast.message() == reference.message()) || encode(fast.message()) != encode(reference.message())) {
            qWarning("different messages: %s / %s", encode(fast.message()).constData(),
                     encode(reference.message()).constData());
            return false;
        }
        return true;
    }
    if (fast.error().code != reference.error().code || fast.error().field != reference.error().field
        || fast.error().message != reference.error().message) {
        qWarning("different errors: %s / %s", qPrintable(fast.error().message), qPrintable(reference.error().message));
        return false;
    }
    return true;
}

} // namespace

class TestProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    //! encode() writes the points of ops and snapshots itself: byte for byte what QJsonDocument writes.
    void numbersAsQJsonDocumentWritesThem()
    {
        const auto reference = [](double value) {
            const QByteArray array = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
            return array.mid(1, array.size() - 2);
        };
        QList<double> values {0.0,
                              -0.0,
                              1.0,
                              -1.0,
                              0.5,
                              0.0001,
                              -0.0001,
                              0.00005,
                              0.1 + 0.2,
                              1e-5,
                              99999.9999,
                              -99999.9999,
                              1e5,
                              -1e5,
                              123456.78,
                              1e6,
                              1e21,
                              1e-300,
                              5e-324,
                              1.7976931348623157e308,
                              3.141592653589793,
                              1000000,
                              99999,
                              10000.5,
                              42.42,
                              -7.07,
                              0.25};
        const quint64 seed = QRandomGenerator::global()->generate64();
        qInfo() << "seed" << seed;
        QRandomGenerator random(seed);
        for (int i = 0; i < 200000; ++i) {
            const int scale = std::array {1, 10, 100, 1000, 10000}[random.bounded(5)];
            values.append(double(qint64(random.bounded(2'000'000'000)) - 1'000'000'000) / scale / 10);
            values.append((random.generateDouble() - 0.5) * 2e6);
        }
        // encode() writes the points of a snapshot's items itself: each coordinate as QJsonDocument would.
        for (qsizetype from = 0; from < values.size(); from += 10000) {
            Item item = stroke();
            item.points.clear();
            QByteArray expected = "\"points\":[";
            for (qsizetype i = from; i + 1 < std::min(values.size(), from + 10000); i += 2) {
                item.points.append({values.at(i), values.at(i + 1)});
                expected += (i > from ? "," : "") + reference(values.at(i)) + ',' + reference(values.at(i + 1));
            }
            expected += ']';
            const QByteArray bytes = encode(Snapshot {1, {item}});
            const qsizetype at = bytes.indexOf("\"points\":[");
            QVERIFY(at >= 0);
            const QByteArray mine = bytes.mid(at, bytes.indexOf(']', at) - at + 1);
            if (mine != expected) {
                for (qsizetype i = 0; i < std::min(mine.size(), expected.size()); ++i) {
                    if (mine.at(i) != expected.at(i)) {
                        QFAIL(qPrintable(u"differs at %1: %2 / %3"_s.arg(i).arg(
                            QString::fromLatin1(mine.mid(i - 20, 40)), QString::fromLatin1(expected.mid(i - 20, 40)))));
                    }
                }
                QCOMPARE(mine.size(), expected.size());
            }
        }
        // And in a whole op: the points decode to what was encoded.
        Item big = stroke();
        big.points.clear();
        for (int i = 0; i < 10000; ++i)
            big.points.append({100 + (i % 1000) * 1.37, 200 + (i / 1000) * 41.3 + (i % 7) * 0.91});
        const Op add {OpKind::Add, 3, 0, {}, {}, 0, big, {}, 0, 0, {}};
        const DecodeResult decoded = decode(encode(add), limits::MaxClientMessageBytes);
        QVERIFY(decoded.ok());
        QCOMPARE(std::get<Op>(decoded.message()).item.points, big.points);
    }

    void roundTrip_data()
    {
        QTest::addColumn<Message>("message");

        QTest::newRow("hello") << Message(Hello {2, kClient, kSecret, u"Ann <b>"_s, 0xff123456, u"Design review"_s,
                                                 u"pw"_s, u"tok"_s, ResumePoint {u"epoch-1"_s, 42}});
        QTest::newRow("hello minimal") << Message(Hello {2, kClient, kSecret, u"Bo"_s, 0x80123456, u"r"_s, {}, {}, {}});
        QTest::newRow("welcome") << Message(Welcome {
            2,
            u"room"_s,
            u"ep0ch"_s,
            kClient,
            {Member {kClient, u"Ann"_s, 0xff00ff00, true}, Member {u"client-0002"_s, u"Bo"_s, 0xff0000ff, false}},
            7,
            99,
            true,
            true,
            200,
            400});
        Welcome paced {2, u"room"_s, u"ep0ch"_s, kClient, {}, 7, 99, true, false, 200, 400};
        paced.opByteRate = 1048576;
        paced.opByteBurst = 4194304;
        QTest::newRow("welcome with a byte rate") << Message(paced);
        Item rect = stroke();
        rect.kind = ItemKind::Rect;
        rect.points = {{1, 2}, {3, 4}};
        rect.fill = 0x40ffffff;
        rect.z = 17;
        Item text = stroke();
        text.kind = ItemKind::Text;
        text.points = {{5, 5}};
        text.text = u"Hello\nworld <i>plain</i>"_s;
        text.z = 18;
        QTest::newRow("snapshot") << Message(Snapshot {18, {rect, text}});
        QTest::newRow("synced") << Message(Synced {18});

        Op add {OpKind::Add, 1, 0, {}, {}, 0, stroke(), {}, 0, 0, {}};
        QTest::newRow("op add (client)") << Message(add);
        Op addServer = add;
        addServer.seq = 5;
        addServer.client = kClient;
        addServer.author = u"Ann"_s;
        addServer.time = 1763700000000;
        QTest::newRow("op add (server)") << Message(addServer);
        Op update = add;
        update.kind = OpKind::Update;
        update.item = text;
        update.item.z = 0;
        QTest::newRow("op update") << Message(update);
        // Style: opacity, dash, arrow heads and a pen's widths at each point travel and come back exactly.
        Item styled = stroke();
        styled.opacity = 0.5;
        styled.widths.clear();
        for (qsizetype i = 0; i < styled.points.size(); ++i)
            styled.widths.append(0.25 + double(i % 3));
        styled.width = 4;
        QTest::newRow("op add pressure stroke") << Message(Op {OpKind::Add, 1, 0, {}, {}, 0, styled, {}, 0, 0, {}});
        Item arrow = stroke();
        arrow.kind = ItemKind::Arrow;
        arrow.points = {{0, 0}, {40, 30}};
        arrow.dash = Dash::Dotted;
        arrow.heads = Heads::Both;
        arrow.opacity = 0.1;
        QTest::newRow("op add styled arrow") << Message(Op {OpKind::Add, 1, 0, {}, {}, 0, arrow, {}, 0, 0, {}});
        Item box = rect;
        box.dash = Dash::Dashed;
        box.z = 0;
        QTest::newRow("op update styled box") << Message(Op {OpKind::Update, 1, 0, {}, {}, 0, box, {}, 0, 0, {}});
        QTest::newRow("snapshot styled") << Message(Snapshot {18, {rect, box, styled, text}});
        Live pressure {kClient, u"s:1"_s, ItemKind::Stroke, 0xff000000, 6, 4, {{1, 1}, {2, 2}}, false, {1.5, 6}};
        QTest::newRow("live pressure") << Message(pressure);
        Live shape {{},    u"s:2"_s, ItemKind::Rect, 0xff000000, 2,           0, {{1, 1}, {9, 9}},
                    false, {},       0xffa5d8ff,     0.6,        Dash::Dashed};
        QTest::newRow("live styled box") << Message(shape);
        QTest::newRow("op remove") << Message(Op {OpKind::Remove, 2, 0, {}, {}, 0, {}, {u"a"_s, u"b:1"_s}, 0, 0, {}});
        QTest::newRow("op move") << Message(Op {OpKind::Move, 3, 0, {}, {}, 0, {}, {u"a"_s}, -2e6, 0.5, {}});
        Op restack;
        restack.kind = OpKind::Restack;
        restack.cseq = 3;
        restack.ids = {u"a"_s, u"b:1"_s};
        restack.z = {-qint64(limits::MaxStackOrder), qint64(limits::MaxStackOrder)};
        QTest::newRow("op restack") << Message(restack);
        Item below = text;
        below.z = -42;
        QTest::newRow("snapshot below zero") << Message(Snapshot {18, {below}});
        QTest::newRow("op clear") << Message(Op {OpKind::Clear, 4, 0, {}, {}, 0, {}, {}, 0, 0, {}});
        QTest::newRow("op chat") << Message(Op {
            OpKind::Chat, 5, 9, kClient, u"Ann"_s, 1, {}, {}, 0, 0, u"<script>alert(1)</script>\n\u00e9\U0001F600"_s});
        // Qt drops a raw U+FEFF at the start of a string as a byte order mark: encode() escapes it.
        QTest::newRow("op chat starting with U+FEFF")
            << Message(Op {OpKind::Chat, 5, 9, kClient, u"\uFEFFAnn"_s, 1, {}, {}, 0, 0, u"\uFEFF\uFEFFhi \uFEFF"_s});
        QTest::newRow("profile starting with U+FEFF") << Message(Profile {u"\uFEFFAnna"_s, 0xffabcdef});
        QTest::newRow("ack") << Message(Ack {5, 9, false});
        QTest::newRow("ack duplicate") << Message(Ack {5, 9, true});
        QTest::newRow("ack with time") << Message(Ack {5, 9, false, 1763700000123});
        QTest::newRow("reject") << Message(Reject {6, ErrorCode::BoardFull, u"full"_s});
        QTest::newRow("reject transient") << Message(Reject {6, ErrorCode::RateLimited, u"slow down"_s, true});
        QTest::newRow("reject cseq_reused")
            << Message(Reject {6, ErrorCode::CseqReused, u"used"_s, false, quint64(41)});
        QTest::newRow("presence") << Message(
            Presence {PresenceEvent::Left, Member {kClient, u"Ann"_s, 0xff000000, false}});
        QTest::newRow("profile") << Message(Profile {u"Anna"_s, 0xffabcdef});
        QTest::newRow("cursor") << Message(Cursor {kClient, 1.5, -2.25, true});
        QTest::newRow("cursor hidden") << Message(Cursor {{}, 0, 0, false});
        QTest::newRow("typing") << Message(Typing {kClient, true});
        QTest::newRow("live") << Message(
            Live {kClient, u"s:1"_s, ItemKind::Stroke, 0xff000000, 4, 10, {{1, 2}, {3, 4}}, false});
        QTest::newRow("live end") << Message(Live {{}, u"s:1"_s, ItemKind::Line, 0xff000000, 4, 0, {}, true});
        QTest::newRow("error") << Message(Error {ErrorCode::WrongType, u"field 'x' must be a number"_s, u"x"_s, true});
        QTest::newRow("list_rooms") << Message(ListRooms {});
        QTest::newRow("list_rooms token") << Message(ListRooms {u"s3cret"_s});
        QTest::newRow("rooms") << Message(
            RoomList {{RoomInfo {u"Room 214"_s, 12, true}, RoomInfo {u"design é"_s, 0, false}}});
        QTest::newRow("rooms none") << Message(RoomList {});
        const QString hash = blobHashOf("picture");
        Item image = stroke();
        image.kind = ItemKind::Image;
        image.points = {{0, 0}, {640, 480}};
        image.blob = hash;
        image.bytes = 7;
        QTest::newRow("op add image") << Message(Op {OpKind::Add, 9, 0, {}, {}, 0, image, {}, 0, 0, {}});
        image.z = 4;
        QTest::newRow("snapshot image") << Message(Snapshot {4, {image}});
        QTest::newRow("blob_offer") << Message(BlobOffer {hash, 7});
        QTest::newRow("blob_put") << Message(BlobPut {hash, 7, 3, "ture"});
        QTest::newRow("blob_put binary") << Message(BlobPut {hash, 3, 0, QByteArray("\0\xff\n", 3)});
        QTest::newRow("blob_status") << Message(BlobStatus {hash, 7, 3});
        QTest::newRow("blob_status refused")
            << Message(BlobStatus {hash, 7, 0, ErrorCode::RoomImagesFull, u"full"_s, false});
        QTest::newRow("blob_status retry") << Message(BlobStatus {hash, 7, 3, ErrorCode::RateLimited, u"slow"_s, true});
        QTest::newRow("blob_get") << Message(BlobGet {hash, 0});
        QTest::newRow("blob_get offset") << Message(BlobGet {hash, 524288});
        QTest::newRow("blob_data") << Message(BlobData {hash, 7, 0, "picture"});
        QTest::newRow("history start") << Message(History {});
        QTest::newRow("history part") << Message(History {std::nullopt, 3, 10});
        QTest::newRow("history after") << Message(History {quint64(0), 0, 1});
        Op chat;
        chat.kind = OpKind::Chat;
        chat.cseq = 2;
        chat.seq = 8;
        chat.client = kClient;
        chat.author = u"Ann"_s;
        chat.time = 1763700000000;
        chat.text = u"hi"_s;
        Item item;
        item.id = u"s:1"_s;
        item.points = {{1, 2}};
        item.z = 3;
        QTest::newRow("history_page") << Message(HistoryPage {5, 9, 2, 1, {item}, {chat}, 8});
        QTest::newRow("history_page empty") << Message(HistoryPage {0, 0, 0, 0, {}, {}, 0});
        QTest::newRow("history_page refused")
            << Message(HistoryPage {0, 9, 0, 0, {}, {}, 0, ErrorCode::HistoryGone, u"gone"_s, false});
        QTest::newRow("view") << Message(View {kClient, -12.5, 30, 1280.25, 720});
        QTest::newRow("view sent") << Message(View {{}, 0, 0, 0.01, 2000000});
        QTest::newRow("laser") << Message(Laser {kClient, {{1, 2}, {3.5, -4}}, false});
        QTest::newRow("laser end") << Message(Laser {{}, {}, true});
        QTest::newRow("summon") << Message(Summon {kClient, true});
        QTest::newRow("summon withdrawn") << Message(Summon {{}, false});
        QTest::newRow("handover") << Message(Handover {kClient});
        Replica first {true, u"a41f09c2e7d35b10"_s, u"design"_s, QByteArray(16, 's'), QByteArray(32, 'h'), 1000, 9};
        first.defaultRole = Role::Viewer;
        first.locked = true;
        QTest::newRow("replica reset") << Message(first);
        Replica base {false, u"a41f09c2e7d35b10"_s, {}, {}, {}, 0, 9};
        base.items = {item};
        Op chatAt = chat;
        chatAt.seq = 8;
        base.chat = {chatAt};
        base.clients = {ReplicaClient {kClient, 4, 8, 2, QByteArray(32, 'x'), Role::Owner, false},
                        ReplicaClient {u"client-0002"_s, 0, 0, 0, {}, std::nullopt, true}};
        base.complete = true;
        QTest::newRow("replica base") << Message(base);
        Replica commit {false, u"a41f09c2e7d35b10"_s, {}, {}, {}, 0, 10};
        Op next = chat;
        next.seq = 10;
        commit.ops = {next};
        QTest::newRow("replica ops") << Message(commit);
        QTest::newRow("replica_ack") << Message(ReplicaAck {10});
        QTest::newRow("standby ready") << Message(Standby {{}, {}, {}, {}, 40017});
        QTest::newRow("standby announced")
            << Message(Standby {kClient, u"Bob"_s, u"wss://192.168.1.23:40017"_s,
                                QStringList(32, u"A0"_s).join(u':') /* as decoding writes a fingerprint */});
        QTest::newRow("standby none") << Message(Standby {});
        QTest::newRow("moved") << Message(Moved {kClient, u"Bob"_s, u"ws://[fe80::1]:7420"_s});
        Hello serving;
        serving.client = kClient;
        serving.secret = QString(22, u'a');
        serving.name = u"Bob"_s;
        serving.room = u"design"_s;
        serving.serve = true;
        QTest::newRow("hello serve") << Message(serving);
    }

    void roundTrip()
    {
        QFETCH(Message, message);
        const QByteArray bytes = encode(message);
        const DecodeResult result = decode(bytes, limits::MaxServerMessageBytes);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(typeOf(result.message()), typeOf(message));
        QVERIFY2(result.message() == message, bytes.constData());
        m_roundTripped.insert(int(typeOf(message)));
    }

    //! Every entry of the authoritative list has a round-trip row above.
    void roundTripCoversEveryType()
    {
        QCOMPARE(m_roundTripped.size(), kMessageTypeCount);
        QVERIFY(everyTypeNameRoundTrips());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("field");
        for (const MalformedCase &c : malformedCases())
            QTest::newRow(c.name) << c.bytes << c.code << c.field;
    }

    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(ErrorCode, code);
        QFETCH(QString, field);
        const DecodeResult result = decode(bytes, limits::MaxServerMessageBytes);
        QVERIFY(!result.ok());
        QCOMPARE(errorCodeName(result.error().code), errorCodeName(code));
        QCOMPARE(result.error().field, field);
        QVERIFY(!result.error().message.isEmpty());
        if (!field.isEmpty())
            QVERIFY2(result.error().message.contains(field.section(u'[', 0, 0)), qPrintable(result.error().message));
    }

    //! The server's header check of an uploaded image: the format and size are read, anything else is refused.
    void imageHeaders()
    {
        const auto be32 = [](quint32 v) {
            const char bytes[] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
            return QByteArray(bytes, 4);
        };
        const auto png = [&](quint32 w, quint32 h) -> QByteArray {
            return QByteArray("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h)
                + QByteArray("\x08\x06\0\0\0", 5) + be32(0);
        };
        const auto jpeg = [](int w, int h) -> QByteArray {
            // SOI, an APP0 of 4 bytes, then SOF0 (length 11): precision, height, width.
            QByteArray b("\xff\xd8\xff\xe0\0\x04"
                         "ab\xff\xc0\0\x0b\x08",
                         13);
            b += char(h >> 8);
            b += char(h);
            b += char(w >> 8);
            b += char(w);
            return b + QByteArray("\x01\x01\x11\0", 4);
        };
        const auto webpX = [](int w, int h) -> QByteArray {
            QByteArray b = "RIFF";
            b += QByteArray(4, '\0') + "WEBPVP8X" + QByteArray(4, '\0') + QByteArray(4, '\0');
            for (int v : {w - 1, h - 1}) {
                b += char(v);
                b += char(v >> 8);
                b += char(v >> 16);
            }
            return b;
        };
        QString why;
        auto header = sniffImage(png(640, 480), &why);
        QVERIFY2(header, qPrintable(why));
        QCOMPARE(header->format, u"png"_s);
        QCOMPARE(header->width, 640);
        QCOMPARE(header->height, 480);
        header = sniffImage(jpeg(800, 600), &why);
        QVERIFY2(header, qPrintable(why));
        QCOMPARE(header->format, u"jpeg"_s);
        QCOMPARE(header->width, 800);
        QCOMPARE(header->height, 600);
        header = sniffImage(webpX(300, 200), &why);
        QVERIFY2(header, qPrintable(why));
        QCOMPARE(header->format, u"webp"_s);
        QCOMPARE(header->width, 300);
        QCOMPARE(header->height, 200);

        // Hostile or broken: each refused with words, none read past its end.
        QVERIFY(!sniffImage(png(4097, 10), &why));
        QVERIFY2(why.contains(u"4096"_s), qPrintable(why));
        QVERIFY(!sniffImage(png(4096, 4097), &why));
        QVERIFY(!sniffImage(png(4096, 4096 + 1), &why));
        QVERIFY(!sniffImage(png(0, 10), &why));
        QVERIFY(!sniffImage(png(0xffffffffu, 0xffffffffu), &why));
        QVERIFY(!sniffImage(jpeg(60000, 60000), &why));
        QVERIFY(!sniffImage(png(640, 480).left(20), &why));
        QVERIFY2(why.contains(u"PNG"_s), qPrintable(why));
        QVERIFY(!sniffImage(jpeg(10, 10).left(9), &why));
        QVERIFY(!sniffImage(webpX(10, 10).left(20), &why));
        QVERIFY(!sniffImage("GIF89a", &why));
        QVERIFY2(why.contains(u"not a PNG, JPEG or WebP"_s), qPrintable(why));
        QVERIFY(!sniffImage(QByteArray(), &why));
        // A JPEG whose marker lengths go nowhere.
        QVERIFY(!sniffImage(QByteArray("\xff\xd8\xff\xe0\0\x00", 6), &why));
        QVERIFY(!sniffImage(QByteArray("\xff\xd8\xff\xe0\xff\xff", 6), &why));
        // 4096 x 4096 is exactly the limit of both rules.
        QVERIFY(sniffImage(png(4096, 4096), &why));
    }

    void oversizeMessageIsRejectedBeforeParsing()
    {
        const QByteArray big =
            "{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":1,\"text\":\"" + QByteArray(2000, 'x') + "\"}";
        const DecodeResult result = decode(big, 1000);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::TooLong);
    }

    void unknownFieldsAreIgnored()
    {
        const DecodeResult result = decode(R"({"type":"typing","active":true,"future":{"x":1}})", 1000);
        QVERIFY(result.ok());
        QCOMPARE(std::get<Typing>(result.message()).active, true);
    }

    //! A server may keep its members encoded: encodeWelcome() writes the bytes encode() writes.
    void welcomeFromEncodedMembers()
    {
        QList<Member> members {
            Member {kClient, u"Ann \"members\":[]"_s, 0xff00ff00, true},
            Member {u"client-0002"_s, u"\u00e9\U0001F600 <b>"_s, 0x80123456, false},
            Member {u"client-0003"_s, u"Bo"_s, 0xff000000, false},
        };
        for (qsizetype n = 1; n <= members.size(); ++n) {
            Welcome welcome {1, u"room \"members\":[]"_s, u"ep0ch"_s, kClient, members.first(n), 7, 99, true, n == 2};
            QByteArray joined;
            for (const Member &member : welcome.members)
                joined += (joined.isEmpty() ? "" : ",") + encodeMember(member);
            QCOMPARE(encodeWelcome(welcome, joined), encode(welcome));
        }
    }

    //! A server sends the log's own op bytes in a page: the same bytes encode() would write, and they decode to the
    //! ops.
    void historyPageFromEncodedOps()
    {
        HistoryPage page {0, 12, 0, 0, {}, {}, 12};
        QList<QByteArray> bodies;
        for (quint64 seq = 10; seq <= 12; ++seq) {
            Op op;
            op.kind = OpKind::Chat;
            op.cseq = seq;
            op.seq = seq;
            op.client = kClient;
            op.author = u"Ann \"ops\":[]"_s;
            op.time = 1763700000000 + qint64(seq);
            op.text = u"line \"ops\":[] %1"_s.arg(seq);
            page.ops.append(op);
            bodies.append(encode(op)); // with "type":"op", as the log keeps it
        }
        const QByteArray spliced = encodeHistoryPage(page, bodies);
        const DecodeResult decoded = decode(spliced, limits::MaxServerMessageBytes);
        QVERIFY2(decoded.ok(), spliced.constData());
        QCOMPARE(std::get<HistoryPage>(decoded.message()), page);
        QCOMPARE(encodeHistoryPage(page, {}), encode(HistoryPage {0, 12, 0, 0, {}, {}, 12}));
    }

    //! What the server makes of an op's bytes instead of encoding it again: the op stamped afterwards
    //! (encodeStamped()) and a snapshot's item taken from the op (snapshotItemFromOp()), byte for byte encode()'s.
    void stampedOpsAndSnapshotItemsAreWhatEncodeWrites()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        // Strings that look like the keys these functions look for, escapes, a byte order mark, and nothing.
        const QStringList strings {u"Ann"_s,
                                   u"x\",\"item\":{\"id\":\"y\"},\"kind\":\"add\""_s,
                                   u"}{\"z\":1},\"type\":\"op\"}"_s,
                                   u"\ufeff\u00e9\U0001F600\\\"\n\t"_s,
                                   {}};
        const auto pick = [&random](const QStringList &list) { return list.at(random.bounded(int(list.size()))); };
        const auto number = [&random] {
            switch (random.bounded(3)) {
            case 0:
                return double(random.bounded(100000)) / 100.0;
            case 1:
                return -double(random.bounded(1000000)) / 10000.0;
            default:
                return (random.generateDouble() - 0.5) * 2e6;
            }
        };
        for (int round = 0; round < 2000; ++round) {
            Item item;
            item.id = u"client-0001:"_s + QString::number(round);
            item.kind = ItemKind(random.bounded(int(ItemKind::Image) + 1));
            item.colour = random.generate();
            if (random.bounded(2))
                item.fill = random.generate();
            item.width = 0.5 + random.bounded(200) / 4.0;
            const int points = random.bounded(3) == 0 ? random.bounded(2000) : random.bounded(5);
            for (int i = 0; i < points; ++i)
                item.points.append(QPointF(number(), number()));
            if (item.kind == ItemKind::Stroke && random.bounded(2)) {
                for (int i = 0; i < points; ++i)
                    item.widths.append(number());
            }
            if (item.kind == ItemKind::Text)
                item.text = pick(strings);
            if (item.kind == ItemKind::Image) {
                item.blob = QString(64, u'a');
                item.bytes = random.bounded(1, 1 << 30);
            }
            item.opacity = random.bounded(2) ? 1.0 : random.bounded(100) / 100.0;
            item.dash = Dash(random.bounded(3));
            if (random.bounded(2))
                item.heads = Heads(random.bounded(4));

            Op stamped;
            stamped.kind = random.bounded(2) ? OpKind::Add : OpKind::Update;
            stamped.cseq = 1 + random.bounded(1 << 30);
            stamped.item = item;
            Op bare = stamped;
            stamped.seq = random.bounded(4) ? 1 + random.bounded(1 << 30) : 0;
            stamped.client = pick(strings);
            stamped.author = pick(strings);
            stamped.time = random.bounded(4) ? 1763700000000 + random.bounded(1 << 30) : 0;
            const QByteArray bytes = encode(stamped);
            QCOMPARE(encodeStamped(stamped, encode(bare)), bytes);

            const qint64 zs[] {0, 1, -7, qint64(random.bounded(1 << 30)), (qint64(1) << 53) - 1};
            for (qint64 z : zs) {
                Item onBoard = item;
                onBoard.z = z;
                const QByteArray snapshot = encode(Snapshot {0, {onBoard}});
                const qsizetype begin = snapshot.indexOf('[') + 1;
                const QByteArray expected = snapshot.mid(begin, snapshot.lastIndexOf("],\"seq\":") - begin);
                QCOMPARE(snapshotItemFromOp(bytes, z), expected);
            }
        }
        // What is not an add or update as encode() writes it is encoded (stamped) or refused (snapshot items).
        const Op chat {OpKind::Chat, 5, 9, kClient, u"Ann"_s, 1, {}, {}, 0, 0, u"hi"_s};
        QCOMPARE(encodeStamped(chat, "{\"cseq\":5,\"type\":\"op\"}"), encode(chat));
        QVERIFY(snapshotItemFromOp(encode(chat), 3).isEmpty());
        QVERIFY(snapshotItemFromOp("{\"item\":{\"id\":\"a\"", 3).isEmpty());
    }

    void colours()
    {
        QCOMPARE(colourToString(0xffe53935), u"#e53935"_s);
        QCOMPARE(colourToString(0x80e53935), u"#80e53935"_s);
        QCOMPARE(colourFromString(u"#E53935"), std::optional<Colour>(0xffe53935));
        QCOMPARE(colourFromString(u"#00000000"), std::optional<Colour>(0));
        QVERIFY(!colourFromString(u"#12345"));
        QVERIFY(!colourFromString(u"#12345g"));
        QVERIFY(!colourFromString(u"123456"));
    }

    void everyErrorCodeHasANameAndText()
    {
        QVERIFY(std::size(AllErrorCodes) > 0);
        for (const ErrorCode code : AllErrorCodes) {
            QVERIFY(!errorCodeName(code).isEmpty());
            QVERIFY(!errorCodeDescription(code).isEmpty());
            QCOMPARE(errorCodeFromName(errorCodeName(code)), std::optional(code));
        }
    }

    void refusalClasses()
    {
        // The transient codes are exactly the four PROTOCOL.md marks "transient".
        QList<ErrorCode> transient;
        for (const ErrorCode code : AllErrorCodes) {
            if (isTransient(code))
                transient.append(code);
        }
        QCOMPARE(transient,
                 (QList<ErrorCode> {ErrorCode::RateLimited, ErrorCode::Internal, ErrorCode::ServerBusy,
                                    ErrorCode::HeldBack}));
    }

    void secrets()
    {
        QVERIFY(isValidSecret(kSecret));
        QVERIFY(isValidSecret(QString(limits::MinSecretLength, u'a')));
        QVERIFY(!isValidSecret(QString(limits::MinSecretLength - 1, u'a')));
        QVERIFY(isValidSecret(QString(limits::MaxSecretLength, u'-')));
        QVERIFY(!isValidSecret(QString(limits::MaxSecretLength + 1, u'_')));
        QVERIFY(!isValidSecret(u"0123456789abcdefghijk:m"_s));
        QVERIFY(!isValidSecret(u"0123456789abcdefghijk\u00e9"_s));
    }

    void itemIdsNameTheirMaker()
    {
        QCOMPARE(makeItemId(kClient, 12), u"client-0001:12"_s);
        const auto parts = splitItemId(u"client-0001:12"_s);
        QVERIFY(parts);
        QCOMPARE(parts->client, QStringView(u"client-0001"));
        QCOMPARE(parts->number, quint64(12));
        // The last colon separates: client ids may hold colons themselves.
        const auto colons = splitItemId(u"a:b:c:d:e:7"_s);
        QVERIFY(colons);
        QCOMPARE(colons->client, QStringView(u"a:b:c:d:e"));
        QCOMPARE(colons->number, quint64(7));
        for (const QString &bad :
             {u"client-0001"_s, u"client-0001:"_s, u"client-0001:0"_s, u"client-0001:07"_s, u"client-0001:-1"_s,
              u"client-0001:1x"_s, u"short:1"_s, u"client-0001:90071992547409930"_s}) {
            QVERIFY2(!splitItemId(bad), qPrintable(bad));
        }
        QVERIFY(isOwnItemId(u"client-0001:5"_s, kClient));
        QVERIFY(isOwnItemId(u"client-0001:label"_s, kClient));
        QVERIFY(!isOwnItemId(u"client-00012:5"_s, kClient));
        QVERIFY(!isOwnItemId(u"client-0001"_s, kClient));
        QVERIFY(!isOwnItemId(u"client-0001:5"_s, QString()));
    }

    //! decode() reads most messages with its own parser; for every input it must say what QJsonDocument says.
    void fastParserAgreesWithQJsonDocument_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const auto add = [](const char *name, const QByteArray &bytes) { QTest::newRow(name) << bytes; };
        for (const Message &message : sampleMessages())
            add(qPrintable(u"encoded "_s + messageTypeName(typeOf(message))), encode(message));
        for (const MalformedCase &c : malformedCases())
            add(c.name, c.bytes);
        for (const auto &[name, bytes] : jsonEdgeCases())
            add(name.constData(), bytes);
    }

    void fastParserAgreesWithQJsonDocument()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(agreesWithReference(bytes));
    }

    //! The same for random edits of real messages (a cheap, seeded stand-in for a differential fuzzer).
    void fastParserAgreesOnRandomEdits()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        const QList<Message> messages = sampleMessages();
        const char alphabet[] = "{}[]\",:\\-+.eE0123456789 tfnu\x80\xc3\xa9\xff";
        for (int round = 0; round < 5000; ++round) {
            QByteArray bytes = encode(messages[rng.bounded(int(messages.size()))]);
            const int edits = 1 + rng.bounded(4);
            for (int e = 0; e < edits && !bytes.isEmpty(); ++e) {
                const char c =
                    rng.bounded(2) ? alphabet[rng.bounded(int(sizeof(alphabet) - 1))] : char(rng.bounded(256));
                const int at = rng.bounded(int(bytes.size()));
                switch (rng.bounded(3)) {
                case 0:
                    bytes[at] = c;
                    break;
                case 1:
                    bytes.insert(at, c);
                    break;
                default:
                    bytes.remove(at, 1);
                    break;
                }
            }
            if (!agreesWithReference(bytes))
                QFAIL(bytes.toPercentEncoding().constData());
        }
    }

    //! The fuzz entry point survives arbitrary bytes (a cheap, seeded stand-in for the real fuzzer).
    void fuzzEntrySurvivesRandomBytes()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator rng(seed);
        const QByteArray sample = encode(Op {OpKind::Add, 1, 0, {}, {}, 0, stroke(), {}, 0, 0, {}});
        for (int round = 0; round < 3000; ++round) {
            QByteArray bytes = sample;
            const int edits = 1 + rng.bounded(6);
            for (int e = 0; e < edits && !bytes.isEmpty(); ++e)
                bytes[rng.bounded(bytes.size())] = char(rng.bounded(256));
            QCOMPARE(fuzzDecode(reinterpret_cast<const std::uint8_t *>(bytes.constData()), size_t(bytes.size())), 0);
        }
    }

private:
    QSet<int> m_roundTripped;
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_shared_protocol.moc"
