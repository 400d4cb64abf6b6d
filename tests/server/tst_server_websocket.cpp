// The server's own WebSocket layer without sockets: the frame reader (RFC 6455, 5) fed from devices that hand out
// bytes as slowly as a test likes, and the opening handshake's parser and responses (RFC 6455, 4.2).
#include "wsframereader.h"
#include "wshandshake.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTest>

#include <cstring>

using namespace Qt::StringLiterals;
namespace ws = inkroom::server::ws;
using ws::FrameReader;
using Event = FrameReader::Event;

namespace {

using ws::OpBinary;
using ws::OpClose;
using ws::OpContinuation;
using ws::OpPing;
using ws::OpPong;
using ws::OpText;
constexpr quint8 Fin = 0x80;
constexpr qint64 OneMiB = 1024 * 1024;

//! Masks and payloads; seeded (and the seed printed) in initTestCase.
QRandomGenerator g_random;

enum class Mask {
    Random, //!< a random key, never all zero
    Zero, //!< the all-zero key: the payload goes on the wire as it is
    None //!< no mask at all, as only a server may send
};

//! A frame's header announcing length bytes, in the shortest length form; key gets the masking key it carries.
QByteArray frameHeader(quint8 first, quint64 length, Mask mask, quint8 key[4])
{
    QByteArray out;
    out.append(char(first));
    const quint8 maskBit = mask == Mask::None ? 0 : 0x80;
    if (length < 126) {
        out.append(char(maskBit | length));
    } else if (length <= 0xFFFF) {
        out.append(char(maskBit | 126));
        out.append(char(length >> 8));
        out.append(char(length & 0xFF));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((length >> shift) & 0xFF));
    }
    std::memset(key, 0, 4);
    if (mask == Mask::Random) {
        do {
            for (int i = 0; i < 4; ++i)
                key[i] = quint8(g_random.bounded(256));
        } while (!key[0] && !key[1] && !key[2] && !key[3]);
    }
    if (mask != Mask::None)
        out.append(reinterpret_cast<const char *>(key), 4);
    return out;
}

//! A header alone, masked: for lengths no test could send the payload of.
QByteArray frameHeader(quint8 first, quint64 length)
{
    quint8 key[4];
    return frameHeader(first, length, Mask::Random, key);
}

//! A client's frame as RFC 6455 5.2 lays it out. first: FIN, RSV bits and the opcode.
QByteArray frame(quint8 first, QByteArrayView payload, Mask mask = Mask::Random)
{
    quint8 key[4];
    QByteArray out = frameHeader(first, quint64(payload.size()), mask, key);
    const qsizetype at = out.size();
    out.append(payload);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out[at + i] = char(quint8(out[at + i]) ^ key[i & 3]);
    return out;
}

QByteArray closePayload(quint16 code, QByteArrayView reason = {})
{
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xFF));
    payload.append(reason);
    return payload;
}

//! The payload length the header at the start of bytes announces.
quint64 announcedLength(QByteArrayView bytes)
{
    const int length = quint8(bytes.at(1)) & 0x7F;
    if (length < 126)
        return quint64(length);
    quint64 value = 0;
    for (int i = 0; i < (length == 126 ? 2 : 8); ++i)
        value = (value << 8) | quint8(bytes.at(2 + i));
    return value;
}

//! How many bytes the frame at the start of bytes has before its payload.
int headerLength(QByteArrayView bytes)
{
    const auto second = quint8(bytes.at(1));
    const int length = second & 0x7F;
    return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + ((second & 0x80) ? 4 : 0);
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(g_random.bounded(256));
    return bytes;
}

//! UTF-8 by hand (RFC 3629, 3), so the tests do not lean on the code they check.
QByteArray encodeUtf8(char32_t cp)
{
    QByteArray out;
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
    return out;
}

//! A random code point whose UTF-8 takes bytes bytes (1 to 4), never a surrogate.
char32_t randomCodePoint(int bytes)
{
    switch (bytes) {
    case 1:
        return char32_t(g_random.bounded(0x80));
    case 2:
        return char32_t(g_random.bounded(0x80, 0x800));
    case 3: {
        char32_t cp;
        do {
            cp = char32_t(g_random.bounded(0x800, 0x10000));
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        return cp;
    }
    default:
        return char32_t(g_random.bounded(0x10000, 0x110000));
    }
}

//! Valid UTF-8 of exactly size bytes, with characters of every length.
QByteArray randomText(qsizetype size)
{
    QByteArray text;
    text.reserve(size);
    while (text.size() < size) {
        const int room = int(std::min<qsizetype>(4, size - text.size()));
        text.append(encodeUtf8(randomCodePoint(1 + g_random.bounded(room))));
    }
    return text;
}

/** @brief A device that hands out only the bytes a test has fed it, at most chunk of them a read.
 *
 * Unbuffered, so a read takes exactly what the reader asked for and nothing is read ahead behind its back.
 */
class FeedDevice final : public QIODevice
{
public:
    explicit FeedDevice(qint64 chunk = std::numeric_limits<qint64>::max())
        : m_chunk(chunk)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    void feed(QByteArrayView bytes) { m_data.append(bytes); }
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override { return m_data.size() - m_at + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min({maxSize, m_chunk, qint64(m_data.size() - m_at)});
        if (n > 0)
            std::memcpy(data, m_data.constData() + m_at, size_t(n));
        m_at += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_at = 0;
    const qint64 m_chunk;
};

//! Every event the device's bytes make, up to the NeedMore that ends them.
QList<Event> drain(FrameReader *reader, QIODevice *device)
{
    QList<Event> events;
    for (int i = 0; i < 10'000; ++i) {
        Event event = reader->next(device);
        if (event.kind == Event::NeedMore)
            return events;
        events.append(std::move(event));
    }
    qWarning("the reader never asked for more");
    return events;
}

QString kindName(Event::Kind kind)
{
    switch (kind) {
    case Event::NeedMore:
        return u"NeedMore"_s;
    case Event::Message:
        return u"Message"_s;
    case Event::Ping:
        return u"Ping"_s;
    case Event::Pong:
        return u"Pong"_s;
    case Event::Close:
        return u"Close"_s;
    case Event::Violation:
        return u"Violation"_s;
    }
    return u"?"_s;
}

QString describe(const QList<Event> &events)
{
    QStringList parts;
    for (const Event &event : events)
        parts.append(u"%1(%2 bytes, code %3: %4)"_s.arg(kindName(event.kind))
                         .arg(event.payload.size())
                         .arg(event.code)
                         .arg(event.reason));
    return parts.join(u", "_s);
}

//! A request head: the lines, each ended by CRLF, and the empty line.
QByteArray request(const QList<QByteArray> &lines)
{
    QByteArray out;
    for (const QByteArray &line : lines)
        out += line + "\r\n";
    return out + "\r\n";
}

//! The sample request of RFC 6455 1.2.
const QList<QByteArray> kSampleRequest = {
    "GET /chat HTTP/1.1",
    "Host: server.example.com",
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Origin: http://example.com",
    "Sec-WebSocket-Protocol: chat, superchat",
    "Sec-WebSocket-Version: 13",
};

//! The sample request without the header name (case-insensitive), and with extra lines at the end.
QList<QByteArray> sampleWithout(QByteArrayView name, const QList<QByteArray> &extra = {})
{
    QList<QByteArray> lines;
    for (const QByteArray &line : kSampleRequest) {
        if (!line.toLower().startsWith(QByteArray(name.toByteArray().toLower() + ':')))
            lines.append(line);
    }
    return lines + extra;
}

//! An HTTP response split up: status line, headers (names lowercased) and body.
struct Response
{
    QByteArray statusLine;
    QMultiMap<QByteArray, QByteArray> headers;
    QByteArray body;
};

bool parseResponse(const QByteArray &bytes, Response *response)
{
    const qsizetype end = ws::requestEnd(bytes);
    if (end < 0)
        return false;
    QList<QByteArray> lines = bytes.first(end - 2).split('\n'); // each line with its CR; an empty one after the last
    lines.removeLast();
    for (const QByteArray &line : lines) {
        if (!line.endsWith('\r'))
            return false; // a bare LF
    }
    response->statusLine = lines.first().chopped(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).chopped(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        response->headers.insert(line.first(colon).toLower(), line.sliced(colon + 1).trimmed());
    }
    response->body = bytes.sliced(end);
    return true;
}

} // namespace

class TestServerWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const quint32 seed = qEnvironmentVariableIsSet("INKROOM_SEED")
            ? quint32(qEnvironmentVariableIntValue("INKROOM_SEED"))
            : QRandomGenerator::global()->generate();
        qInfo("seed %u (set INKROOM_SEED to repeat)", seed);
        g_random.seed(seed);
    }

    // ---- Messages in one frame ----

    void singleFrameMessagesComeBackExact_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("text");
        QTest::addColumn<bool>("zeroKey");
        QTest::addColumn<int>("headerBytes");
        for (const int size : {0, 1, 125, 126, 65535, 65536, 200000}) {
            // 7-bit length up to 125, 16-bit up to 65535, 64-bit past it; 4 bytes of key after it.
            const int headerBytes = 2 + (size < 126 ? 0 : size <= 0xFFFF ? 2 : 8) + 4;
            for (const bool text : {false, true}) {
                for (const bool zeroKey : {false, true}) {
                    QTest::addRow("%s %d, %s key", text ? "text" : "binary", size, zeroKey ? "zero" : "random")
                        << size << text << zeroKey << headerBytes;
                }
            }
        }
    }

    //! Every length form, either kind, any key: the payload comes back unmasked, byte for byte, in one Message.
    void singleFrameMessagesComeBackExact()
    {
        QFETCH(int, size);
        QFETCH(bool, text);
        QFETCH(bool, zeroKey);
        QFETCH(int, headerBytes);
        const QByteArray payload = text ? randomText(size) : randomBytes(size);
        QByteArray bytes = frame(Fin | (text ? OpText : OpBinary), payload, zeroKey ? Mask::Zero : Mask::Random);
        QCOMPARE(headerLength(bytes), headerBytes);
        QCOMPARE(bytes.size(), headerBytes + size);
        if (zeroKey)
            QCOMPARE(bytes.sliced(headerBytes), payload);
        else if (size >= 16)
            QVERIFY(bytes.sliced(headerBytes) != payload); // the key did change the bytes on the wire

        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        FrameReader reader(OneMiB);
        const Event event = reader.next(&buffer);
        QCOMPARE(kindName(event.kind), u"Message"_s);
        QCOMPARE(event.text, text);
        QCOMPARE(event.payload.size(), qsizetype(size));
        QVERIFY(event.payload == payload);
        QCOMPARE(reader.next(&buffer).kind, Event::NeedMore);
        QVERIFY(buffer.atEnd());
        QCOMPARE(reader.takeFramesRead(), 1);
        QCOMPARE(reader.frameRemaining(), quint64(0));
        QVERIFY(!reader.hasFailed());
    }

    //! The reader takes no byte past the message it reports: the rest stays in the device for the next call.
    void messagesInOneBufferComeOneAtATime()
    {
        const QByteArray first = randomBytes(300);
        const QByteArray second = randomText(70);
        const QByteArray third = randomBytes(1000);
        const QByteArray thirdFrame = frame(Fin | OpBinary, third);
        FeedDevice device;
        device.feed(frame(Fin | OpBinary, first));
        const QByteArray secondFrame = frame(Fin | OpText, second);
        device.feed(secondFrame);
        device.feed(thirdFrame.first(500));
        FrameReader reader(OneMiB);

        Event event = reader.next(&device);
        QCOMPARE(event.kind, Event::Message);
        QVERIFY(event.payload == first);
        QCOMPARE(device.bytesAvailable(), qint64(secondFrame.size() + 500));
        event = reader.next(&device);
        QCOMPARE(event.kind, Event::Message);
        QVERIFY(event.text);
        QVERIFY(event.payload == second);
        QCOMPARE(device.bytesAvailable(), qint64(500));
        QCOMPARE(reader.next(&device).kind, Event::NeedMore);
        QCOMPARE(reader.frameRemaining(), quint64(thirdFrame.size() - 500));
        device.feed(thirdFrame.sliced(500));
        event = reader.next(&device);
        QCOMPARE(event.kind, Event::Message);
        QVERIFY(event.payload == third);
    }

    // ---- Bytes arriving slowly ----

    void messageArrivesOneByteAtATime_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("text");
        for (const int size : {0, 1, 3, 125, 126, 300, 65536}) {
            QTest::addRow("binary %d", size) << size << false;
            QTest::addRow("text %d", size) << size << true;
        }
    }

    //! NeedMore after every byte but the last, with frameRemaining() counting down through the payload; then one
    //! Message.
    void messageArrivesOneByteAtATime()
    {
        QFETCH(int, size);
        QFETCH(bool, text);
        const QByteArray payload = text ? randomText(size) : randomBytes(size);
        const QByteArray bytes = frame(Fin | (text ? OpText : OpBinary), payload);
        const int header = headerLength(bytes);
        FeedDevice device;
        FrameReader reader(OneMiB);
        for (qsizetype i = 0; i + 1 < bytes.size(); ++i) {
            device.feed(bytes.sliced(i, 1));
            const Event event = reader.next(&device);
            if (event.kind != Event::NeedMore)
                QFAIL(qPrintable(u"%1 after byte %2 of %3"_s.arg(kindName(event.kind)).arg(i).arg(bytes.size())));
            const quint64 remaining = i + 1 < header ? 0 : quint64(bytes.size() - (i + 1));
            if (reader.frameRemaining() != remaining)
                QFAIL(qPrintable(
                    u"frameRemaining() %1 after byte %2, not %3"_s.arg(reader.frameRemaining()).arg(i).arg(remaining)));
            QCOMPARE(reader.takeFramesRead(), 0);
        }
        device.feed(bytes.last(1));
        const QList<Event> events = drain(&reader, &device);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).kind, Event::Message);
        QCOMPARE(events.at(0).text, text);
        QVERIFY(events.at(0).payload == payload);
        QCOMPARE(reader.takeFramesRead(), 1);
        QCOMPARE(reader.frameRemaining(), quint64(0));
    }

    /** A device whose reads return a few bytes at a time even when it holds more: each call goes on where the last
     * stopped. (A short read of a header ends a call with NeedMore: a socket's reads are only short when its buffer is
     * empty, and a socket's caller reads again on readyRead.)
     */
    void shortReadsStillMakeTheMessage()
    {
        const QByteArray payload = randomBytes(70000);
        FeedDevice device(3);
        const QByteArray bytes = frame(Fin | OpBinary, payload) + frame(Fin | OpPing, "p");
        device.feed(bytes);
        FrameReader reader(OneMiB);
        QList<Event> events;
        for (int call = 0; call < bytes.size() && device.bytesAvailable() > 0; ++call)
            events += drain(&reader, &device);
        QVERIFY2(events.size() == 2 && events.at(1).kind == Event::Ping, qPrintable(describe(events)));
        QVERIFY(events.at(0).payload == payload);
        QCOMPARE(device.bytesAvailable(), qint64(0));
    }

    // ---- Fragmented messages ----

    void fragmentedMessageWithControlFramesBetween_data()
    {
        QTest::addColumn<bool>("text");
        QTest::addColumn<QList<int>>("fragments");
        QTest::addColumn<bool>("byteAtATime");
        for (const bool byteAtATime : {false, true}) {
            const char *how = byteAtATime ? "byte at a time" : "at once";
            QTest::addRow("text, %s", how) << true << QList<int> {10, 7, 0, 20} << byteAtATime;
            QTest::addRow("binary, %s", how) << false << QList<int> {10, 7, 0, 20} << byteAtATime;
            QTest::addRow("binary, empty first, %s", how) << false << QList<int> {0, 5} << byteAtATime;
        }
        // Fragments of every length form, so the message grows by resizing.
        QTest::addRow("binary, large fragments") << false << QList<int> {70000, 1, 130000, 126} << false;
        QTest::addRow("text, large fragments") << true << QList<int> {65536, 300, 125} << false;
    }

    /** Pings (125 bytes is the most a control frame may carry) and a pong between the fragments come out as they
     * arrive; the message comes out whole after its last fragment. A text message is UTF-8 only as a whole: its
     * characters are split across fragments.
     */
    void fragmentedMessageWithControlFramesBetween()
    {
        QFETCH(bool, text);
        QFETCH(QList<int>, fragments);
        QFETCH(bool, byteAtATime);
        int total = 0;
        for (const int size : fragments)
            total += size;
        // A text message of 3-byte characters only (with a few ASCII ones to fill), so most cuts split a character.
        QByteArray message;
        if (text) {
            while (message.size() + 3 <= total)
                message += encodeUtf8(randomCodePoint(3));
            while (message.size() < total)
                message += 'a';
        } else {
            message = randomBytes(total);
        }

        QByteArray stream;
        QList<QByteArray> pings;
        qsizetype at = 0;
        for (qsizetype i = 0; i < fragments.size(); ++i) {
            const bool last = i + 1 == fragments.size();
            const quint8 opcode = i == 0 ? (text ? OpText : OpBinary) : OpContinuation;
            stream += frame((last ? Fin : 0) | opcode, QByteArrayView(message).sliced(at, fragments.at(i)));
            at += fragments.at(i);
            if (last)
                break;
            // Between fragments: a ping of its index's length class, and a pong after the second.
            const QByteArray ping = i == 0 ? randomBytes(125) : i == 1 ? QByteArray() : randomBytes(i);
            pings.append(ping);
            stream += frame(Fin | OpPing, ping);
            if (i == 1)
                stream += frame(Fin | OpPong, "unsolicited");
        }
        if (text && fragments.at(0) % 3 != 0)
            QVERIFY(!ws::isValidUtf8(message.constData(), fragments.at(0))); // a character is cut in two

        FeedDevice device;
        FrameReader reader(OneMiB);
        QList<Event> events;
        if (byteAtATime) {
            for (qsizetype i = 0; i < stream.size(); ++i) {
                device.feed(stream.sliced(i, 1));
                events += drain(&reader, &device);
            }
        } else {
            device.feed(stream);
            events = drain(&reader, &device);
        }

        QList<Event::Kind> expected;
        for (qsizetype i = 0; i < pings.size(); ++i) {
            expected.append(Event::Ping);
            if (i == 1)
                expected.append(Event::Pong);
        }
        expected.append(Event::Message);
        QList<Event::Kind> kinds;
        for (const Event &event : events)
            kinds.append(event.kind);
        QVERIFY2(kinds == expected, qPrintable(describe(events)));
        qsizetype ping = 0;
        for (const Event &event : events) {
            if (event.kind == Event::Ping)
                QVERIFY(event.payload == pings.at(ping++));
        }
        QCOMPARE(events.last().text, text);
        QCOMPARE(events.last().payload.size(), message.size());
        QVERIFY(events.last().payload == message);
        QCOMPARE(reader.takeFramesRead(), int(fragments.size() + pings.size() + (pings.size() > 1 ? 1 : 0)));
        QVERIFY(!reader.hasFailed());

        // The next message starts afresh: its own kind, none of the last one's bytes.
        device.feed(frame(Fin | (text ? OpBinary : OpText), "next"));
        const QList<Event> after = drain(&reader, &device);
        QCOMPARE(after.size(), 1);
        QCOMPARE(after.at(0).text, !text);
        QCOMPARE(after.at(0).payload, QByteArray("next"));
    }

    // ---- Violations ----

    void violations_data()
    {
        QTest::addColumn<QByteArray>("before"); //!< frames read first: no violation in them
        QTest::addColumn<QByteArray>("offending");
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("fromHeader"); //!< refused as soon as the header is in, before any payload
        QTest::addColumn<qint64>("maxBytes");
        const QByteArray none;

        QTest::addRow("unmasked binary") << none << frame(Fin | OpBinary, "hello", Mask::None) << 1002 << true
                                         << OneMiB;
        QTest::addRow("unmasked text, 16-bit length")
            << none << frame(Fin | OpText, QByteArray(300, 'a'), Mask::None) << 1002 << true << OneMiB;
        QTest::addRow("unmasked empty binary")
            << none << frame(Fin | OpBinary, "", Mask::None) << 1002 << true << OneMiB;
        QTest::addRow("unmasked ping") << none << frame(Fin | OpPing, "p", Mask::None) << 1002 << true << OneMiB;
        QTest::addRow("unmasked close") << none << frame(Fin | OpClose, closePayload(1000), Mask::None) << 1002 << true
                                        << OneMiB;
        QTest::addRow("unmasked continuation")
            << frame(OpBinary, "first") << frame(Fin | OpContinuation, "rest", Mask::None) << 1002 << true << OneMiB;

        for (const quint8 rsv : {0x40, 0x20, 0x10, 0x70}) {
            QTest::addRow("RSV 0x%x on binary", rsv)
                << none << frame(Fin | rsv | OpBinary, "x") << 1002 << true << OneMiB;
            QTest::addRow("RSV 0x%x on text", rsv) << none << frame(Fin | rsv | OpText, "x") << 1002 << true << OneMiB;
            QTest::addRow("RSV 0x%x on ping", rsv) << none << frame(Fin | rsv | OpPing, "") << 1002 << true << OneMiB;
            QTest::addRow("RSV 0x%x on continuation", rsv)
                << frame(OpBinary, "a") << frame(Fin | rsv | OpContinuation, "b") << 1002 << true << OneMiB;
        }
        for (const quint8 opcode : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            QTest::addRow("reserved opcode 0x%x", opcode) << none << frame(Fin | opcode, "x") << 1002 << true << OneMiB;
            QTest::addRow("reserved opcode 0x%x, empty", opcode)
                << none << frame(Fin | opcode, "") << 1002 << true << OneMiB;
            QTest::addRow("reserved opcode 0x%x inside a message", opcode)
                << frame(OpText, "a") << frame(Fin | opcode, "x") << 1002 << true << OneMiB;
        }
        QTest::addRow("fragmented ping") << none << frame(OpPing, "p") << 1002 << true << OneMiB;
        QTest::addRow("fragmented pong") << none << frame(OpPong, "p") << 1002 << true << OneMiB;
        QTest::addRow("fragmented close") << none << frame(OpClose, closePayload(1000)) << 1002 << true << OneMiB;
        QTest::addRow("fragmented empty ping inside a message")
            << frame(OpBinary, "a") << frame(OpPing, "") << 1002 << true << OneMiB;
        QTest::addRow("ping of 126 bytes")
            << none << frame(Fin | OpPing, QByteArray(126, 'p')) << 1002 << true << OneMiB;
        QTest::addRow("pong of 126 bytes")
            << none << frame(Fin | OpPong, QByteArray(126, 'p')) << 1002 << true << OneMiB;
        QTest::addRow("close of 126 bytes")
            << none << frame(Fin | OpClose, closePayload(1000, QByteArray(124, 'r'))) << 1002 << true << OneMiB;
        QTest::addRow("ping of 70000 bytes")
            << none << frame(Fin | OpPing, QByteArray(70000, 'p')) << 1002 << true << OneMiB;

        QTest::addRow("continuation without a message")
            << none << frame(Fin | OpContinuation, "x") << 1002 << true << OneMiB;
        QTest::addRow("unfinished continuation without a message")
            << none << frame(OpContinuation, "x") << 1002 << true << OneMiB;
        QTest::addRow("empty continuation without a message")
            << none << frame(Fin | OpContinuation, "") << 1002 << true << OneMiB;
        QTest::addRow("continuation after a finished message")
            << frame(Fin | OpText, "done") << frame(Fin | OpContinuation, "x") << 1002 << true << OneMiB;
        QTest::addRow("continuation after a fragmented message ended")
            << frame(OpBinary, "a") + frame(Fin | OpContinuation, "b") << frame(OpContinuation, "c") << 1002 << true
            << OneMiB;
        for (const quint8 outer : {OpText, OpBinary}) {
            for (const quint8 inner : {OpText, OpBinary}) {
                const char *outerName = outer == OpText ? "text" : "binary";
                const char *innerName = inner == OpText ? "text" : "binary";
                QTest::addRow("%s inside a fragmented %s", innerName, outerName)
                    << frame(outer, "first") << frame(Fin | inner, "second") << 1002 << true << OneMiB;
                QTest::addRow("unfinished %s inside a fragmented %s, after a ping", innerName, outerName)
                    << frame(outer, "first") + frame(OpContinuation, "") + frame(Fin | OpPing, "p")
                    << frame(inner, "second") << 1002 << true << OneMiB;
            }
        }

        QTest::addRow("64-bit length with its top bit")
            << none << frameHeader(Fin | OpBinary, 1ull << 63) << 1002 << true << OneMiB;
        QTest::addRow("64-bit length of all ones")
            << none << frameHeader(Fin | OpBinary, ~0ull) << 1002 << true << OneMiB;
        QTest::addRow("64-bit length with its top bit, continuation")
            << frame(OpText, "a") << frameHeader(Fin | OpContinuation, (1ull << 63) | 5) << 1002 << true << OneMiB;

        QTest::addRow("binary of max + 1 bytes")
            << none << frame(Fin | OpBinary, randomBytes(1001)) << 1009 << true << qint64(1000);
        QTest::addRow("text of max + 1 bytes")
            << none << frame(Fin | OpText, QByteArray(1001, 't')) << 1009 << true << qint64(1000);
        QTest::addRow("binary of 2^40 bytes announced")
            << none << frameHeader(Fin | OpBinary, 1ull << 40) << 1009 << true << OneMiB;
        QTest::addRow("binary of 2^63 - 1 bytes announced")
            << none << frameHeader(Fin | OpBinary, (1ull << 63) - 1) << 1009 << true << OneMiB;
        QTest::addRow("unfinished first fragment past max")
            << none << frame(OpBinary, randomBytes(1001)) << 1009 << true << qint64(1000);
        QTest::addRow("fragments past max")
            << frame(OpText, QByteArray(600, 'a')) + frame(OpContinuation, QByteArray(400, 'b'))
            << frame(Fin | OpContinuation, "c") << 1009 << true << qint64(1000);
        QTest::addRow("fragments past max, pings between")
            << frame(OpBinary, randomBytes(999)) + frame(Fin | OpPing, randomBytes(125))
            << frame(OpContinuation, randomBytes(2)) << 1009 << true << qint64(1000);
        QTest::addRow("fragments past max by 2^40")
            << frame(OpBinary, randomBytes(10)) << frameHeader(Fin | OpContinuation, 1ull << 40) << 1009 << true
            << OneMiB;
        QTest::addRow("any message past a max of 0") << none << frame(Fin | OpBinary, "x") << 1009 << true << qint64(0);

        QTest::addRow("text not UTF-8") << none << frame(Fin | OpText, "caf\xE9") << 1007 << false << OneMiB;
        QTest::addRow("text overlong") << none << frame(Fin | OpText, "\xC0\x80") << 1007 << false << OneMiB;
        QTest::addRow("text surrogate") << none << frame(Fin | OpText, "a\xED\xA0\x80z") << 1007 << false << OneMiB;
        QTest::addRow("text past U+10FFFF")
            << none << frame(Fin | OpText, "\xF4\x90\x80\x80") << 1007 << false << OneMiB;
        QTest::addRow("large text, bad byte at the end")
            << none << frame(Fin | OpText, QByteArray(QByteArray(70000, 'a') + "\xFF")) << 1007 << false << OneMiB;
        QTest::addRow("fragmented text not UTF-8")
            << frame(OpText, "abc\xE2\x82") << frame(Fin | OpContinuation, "(") << 1007 << false << OneMiB;
        QTest::addRow("fragmented text ending in half a character")
            << frame(OpText, "abc\xE2\x82") << frame(Fin | OpContinuation, "") << 1007 << true << OneMiB;

        QTest::addRow("close of one byte") << none << frame(Fin | OpClose, "\x03") << 1002 << false << OneMiB;
        for (const int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            QTest::addRow("close code %d", code)
                << none << frame(Fin | OpClose, closePayload(quint16(code))) << 1002 << false << OneMiB;
            QTest::addRow("close code %d with a reason", code)
                << none << frame(Fin | OpClose, closePayload(quint16(code), "why")) << 1002 << false << OneMiB;
        }
        QTest::addRow("close reason not UTF-8")
            << none << frame(Fin | OpClose, closePayload(1000, "bad \xFF")) << 1007 << false << OneMiB;
        QTest::addRow("close reason overlong")
            << none << frame(Fin | OpClose, closePayload(1001, "\xC1\xBF")) << 1007 << false << OneMiB;
        QTest::addRow("close reason cut in a character")
            << none << frame(Fin | OpClose, closePayload(1000, "\xF0\x9D\x84")) << 1007 << false << OneMiB;
    }

    /** Each refusal with its status; a header that tells is refused before any payload; after a violation the reader
     * only drains (hasFailed()): no message, ping or violation comes any more, only the peer's close.
     */
    void violations()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, offending);
        QFETCH(int, code);
        QFETCH(bool, fromHeader);
        QFETCH(qint64, maxBytes);
        FeedDevice device;
        FrameReader reader(maxBytes);
        device.feed(before);
        const QList<Event> first = drain(&reader, &device);
        for (const Event &event : first)
            QVERIFY2(event.kind != Event::Violation, qPrintable(describe(first)));
        QVERIFY(!reader.hasFailed());

        const int header = headerLength(offending);
        device.feed(offending.first(header));
        QList<Event> events = drain(&reader, &device);
        if (!fromHeader) {
            QVERIFY2(events.isEmpty(), qPrintable(describe(events)));
            QVERIFY(!reader.hasFailed());
            device.feed(offending.sliced(header));
            events = drain(&reader, &device);
        }
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Violation, qPrintable(describe(events)));
        QCOMPARE(int(events.at(0).code), code);
        QVERIFY(!events.at(0).reason.isEmpty());
        QVERIFY(reader.hasFailed());
        QCOMPARE(reader.frameRemaining(), quint64(0));

        // Then it drains: what follows is skipped, all of it, and nothing but the peer's close is reported (with no
        // code: the close is only the end of the handshake now). A frame that announces more than is sent swallows
        // what follows as its payload; a length with the top bit set leaves nothing to follow.
        if (fromHeader)
            device.feed(offending.sliced(header));
        device.feed(frame(Fin | OpBinary, "a good frame, too late"));
        device.feed(frame(Fin | OpPing, "ping"));
        device.feed(frame(OpText, "unfinished"));
        device.feed(frame(Fin | OpPong, ""));
        device.feed(frame(Fin | 0x3, "reserved"));
        device.feed(frame(Fin | OpBinary, "unmasked", Mask::None));
        events = drain(&reader, &device);
        QVERIFY2(events.isEmpty(), qPrintable(describe(events)));
        QCOMPARE(device.bytesAvailable(), qint64(0));
        device.feed(frame(Fin | OpClose, closePayload(1000, "bye")));
        events = drain(&reader, &device);
        QCOMPARE(device.bytesAvailable(), qint64(0));
        const bool followable =
            !(announcedLength(offending) >> 63) && announcedLength(offending) == quint64(offending.size() - header);
        if (followable) {
            QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Close, qPrintable(describe(events)));
            QCOMPARE(int(events.at(0).code), int(ws::CloseNoStatus));
        } else {
            QVERIFY2(events.isEmpty(), qPrintable(describe(events)));
        }
        QVERIFY(reader.hasFailed());
    }

    //! Draining, the peer's close is read however it arrives; a close the reader could not follow (unmasked, too
    //! long) is skipped like any frame; what it carries does not matter any more.
    void drainingReportsOnlyTheClose()
    {
        FeedDevice device;
        FrameReader reader(OneMiB);
        device.feed(frame(Fin | OpBinary, "x", Mask::None));
        QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Violation, qPrintable(describe(events)));

        device.feed(frame(Fin | OpClose, closePayload(1000), Mask::None));
        device.feed(frame(Fin | OpClose, closePayload(1000, QByteArray(124, 'r'))));
        device.feed(frame(OpClose, closePayload(1000)));
        QVERIFY(drain(&reader, &device).isEmpty());
        QCOMPARE(device.bytesAvailable(), qint64(0));

        const QByteArray close = frame(Fin | OpClose, closePayload(1004, "\xFF"));
        for (qsizetype i = 0; i + 1 < close.size(); ++i) {
            device.feed(close.sliced(i, 1));
            QVERIFY(drain(&reader, &device).isEmpty());
        }
        device.feed(close.last(1));
        events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Close, qPrintable(describe(events)));
        QCOMPARE(int(events.at(0).code), int(ws::CloseNoStatus));
        QVERIFY(reader.hasFailed());
        device.feed(frame(Fin | OpClose, ""));
        events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Close, qPrintable(describe(events)));
    }

    //! Draining, a length it cannot follow loses the stream: from then on everything is skipped, in the same call.
    void drainingSkipsAStreamItCannotFollow()
    {
        FeedDevice device;
        FrameReader reader(OneMiB);
        device.feed(frame(Fin | 0x5, "reserved"));
        QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Violation, qPrintable(describe(events)));
        device.feed(frameHeader(Fin | OpBinary, 1ull << 63));
        device.feed(frame(Fin | OpClose, closePayload(1000)));
        device.feed(randomBytes(100));
        // NeedMore means the device is empty: a caller waits for more bytes after it, and none may wait unread.
        QVERIFY(drain(&reader, &device).isEmpty());
        QCOMPARE(device.bytesAvailable(), qint64(0));
        device.feed(frame(Fin | OpClose, closePayload(1000)));
        QVERIFY(drain(&reader, &device).isEmpty());
        QCOMPARE(device.bytesAvailable(), qint64(0));
        QVERIFY(reader.hasFailed());
    }

    // ---- Close frames ----

    void validCloseFrames_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addRow("no payload") << QByteArray() << 1005 << QString();
        for (const int code :
             {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
            QTest::addRow("code %d", code) << closePayload(quint16(code)) << code << QString();
        QTest::addRow("code and reason") << closePayload(1000, "bye") << 1000 << u"bye"_s;
        const QString unicode = u"f\u00fcr \u20ac \U0001D11E"_s;
        QTest::addRow("code and UTF-8 reason") << closePayload(4001, unicode.toUtf8()) << 4001 << unicode;
        QTest::addRow("reason filling 125 bytes")
            << closePayload(1001, QByteArray(123, 'r')) << 1001 << QString(123, u'r');
    }

    void validCloseFrames()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, code);
        QFETCH(QString, reason);
        FeedDevice device;
        device.feed(frame(Fin | OpClose, payload));
        FrameReader reader(OneMiB);
        const QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Close, qPrintable(describe(events)));
        QCOMPARE(int(events.at(0).code), code);
        QCOMPARE(events.at(0).reason, reason);
        QVERIFY(!reader.hasFailed());
        QCOMPARE(reader.takeFramesRead(), 1);
    }

    //! A close between a message's fragments is reported at once.
    void closeInsideAFragmentedMessage()
    {
        FeedDevice device;
        device.feed(frame(OpText, "part"));
        device.feed(frame(Fin | OpClose, closePayload(1001, "going")));
        FrameReader reader(OneMiB);
        const QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Close, qPrintable(describe(events)));
        QCOMPARE(int(events.at(0).code), 1001);
        QCOMPARE(events.at(0).reason, u"going"_s);
    }

    // ---- The size limit ----

    //! A message of exactly the limit passes, in one frame or in pieces, again and again: the count starts afresh.
    void exactlyTheMaxSizeIsAccepted()
    {
        constexpr int Max = 1000;
        FeedDevice device;
        FrameReader reader(Max);
        const QByteArray whole = randomText(Max);
        const QByteArray binary = randomBytes(Max);
        device.feed(frame(Fin | OpText, whole));
        device.feed(frame(OpBinary, binary.first(1)));
        device.feed(frame(OpContinuation, binary.sliced(1, Max - 2)));
        device.feed(frame(Fin | OpPing, randomBytes(125)));
        device.feed(frame(OpContinuation, ""));
        device.feed(frame(Fin | OpContinuation, binary.last(1)));
        device.feed(frame(Fin | OpBinary, binary));
        const QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 4, qPrintable(describe(events)));
        QCOMPARE(events.at(0).kind, Event::Message);
        QVERIFY(events.at(0).payload == whole);
        QCOMPARE(events.at(1).kind, Event::Ping);
        QCOMPARE(events.at(2).kind, Event::Message);
        QVERIFY(events.at(2).payload == binary);
        QCOMPARE(events.at(3).kind, Event::Message);
        QVERIFY(events.at(3).payload == binary);
        QVERIFY(!reader.hasFailed());

        // A limit of nothing still lets empty messages and control frames through.
        FeedDevice empty;
        FrameReader strict(0);
        empty.feed(frame(Fin | OpBinary, ""));
        empty.feed(frame(Fin | OpPing, "p"));
        const QList<Event> emptyEvents = drain(&strict, &empty);
        QVERIFY2(emptyEvents.size() == 2, qPrintable(describe(emptyEvents)));
        QCOMPARE(emptyEvents.at(0).kind, Event::Message);
        QVERIFY(emptyEvents.at(0).payload.isEmpty());
        QCOMPARE(emptyEvents.at(1).kind, Event::Ping);
    }

    // ---- Counting ----

    //! takeFramesRead() counts frames read whole, control and data alike, and resets; frameRemaining() tells what a
    //! part-read frame still needs, and is 0 while a header is part read.
    void framesReadCountsWholeFramesOnly()
    {
        FeedDevice device;
        FrameReader reader(OneMiB);
        QCOMPARE(reader.takeFramesRead(), 0);
        QCOMPARE(reader.frameRemaining(), quint64(0));

        const QByteArray big = frame(Fin | OpBinary, randomBytes(5000));
        const int bigHeader = headerLength(big);
        device.feed(frame(Fin | OpBinary, "one"));
        device.feed(frame(Fin | OpPing, ""));
        device.feed(frame(OpText, "a"));
        device.feed(frame(Fin | OpContinuation, ""));
        device.feed(big.first(bigHeader + 1000));
        QList<Event> events = drain(&reader, &device);
        QVERIFY2(events.size() == 3, qPrintable(describe(events)));
        QCOMPARE(reader.takeFramesRead(), 4); // the message, the ping and two fragments; not the part-read frame
        QCOMPARE(reader.takeFramesRead(), 0);
        QCOMPARE(reader.frameRemaining(), quint64(4000));

        device.feed(big.sliced(bigHeader + 1000, 3999));
        QVERIFY(drain(&reader, &device).isEmpty());
        QCOMPARE(reader.takeFramesRead(), 0);
        QCOMPARE(reader.frameRemaining(), quint64(1));

        // The last byte, and half of the next frame's header: nothing of that frame's payload is known yet.
        device.feed(big.last(1));
        const QByteArray next = frame(Fin | OpBinary, randomBytes(70000));
        device.feed(next.first(5));
        events = drain(&reader, &device);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Message, qPrintable(describe(events)));
        QCOMPARE(reader.takeFramesRead(), 1);
        QCOMPARE(reader.frameRemaining(), quint64(0));
        device.feed(next.sliced(5, headerLength(next) - 5));
        QVERIFY(drain(&reader, &device).isEmpty());
        QCOMPARE(reader.frameRemaining(), quint64(70000));
        QCOMPARE(reader.takeFramesRead(), 0);

        // A frame refused is not a frame read.
        FeedDevice refused;
        FrameReader second(OneMiB);
        refused.feed(frame(OpText, "a"));
        refused.feed(frame(OpContinuation, "b"));
        refused.feed(frame(Fin | OpBinary, "inside"));
        events = drain(&second, &refused);
        QVERIFY2(events.size() == 1 && events.at(0).kind == Event::Violation, qPrintable(describe(events)));
        QCOMPARE(second.takeFramesRead(), 2);
    }

    // ---- UTF-8 ----

    void isValidUtf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        const auto add = [](const char *name, QByteArray bytes, bool valid) { QTest::newRow(name) << bytes << valid; };
        add("empty", QByteArray(), true);
        add("ASCII", "hello, world", true);
        add("NUL", QByteArray(1, '\0'), true);
        add("U+007F", "\x7F", true);
        add("U+0080", "\xC2\x80", true);
        add("U+00E9", "\xC3\xA9", true);
        add("U+07FF", "\xDF\xBF", true);
        add("U+0800", "\xE0\xA0\x80", true);
        add("U+20AC", "\xE2\x82\xAC", true);
        add("U+D7FF", "\xED\x9F\xBF", true);
        add("U+E000", "\xEE\x80\x80", true);
        add("U+FEFF (BOM)", "\xEF\xBB\xBF", true);
        add("BOM after text", "a\xEF\xBB\xBF", true);
        add("U+FFFE (noncharacter)", "\xEF\xBF\xBE", true);
        add("U+FFFF", "\xEF\xBF\xBF", true);
        add("U+10000", "\xF0\x90\x80\x80", true);
        add("U+1D11E", "\xF0\x9D\x84\x9E", true);
        add("U+FFFFF", "\xF3\xBF\xBF\xBF", true);
        add("U+100000", "\xF4\x80\x80\x80", true);
        add("U+10FFFF", "\xF4\x8F\xBF\xBF", true);
        add("mixed", "a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9Ez", true);

        add("overlong C0 80", "\xC0\x80", false);
        add("overlong C0 AF", "\xC0\xAF", false);
        add("overlong C1 BF", "\xC1\xBF", false);
        add("overlong E0 80 80", "\xE0\x80\x80", false);
        add("overlong E0 9F BF", "\xE0\x9F\xBF", false);
        add("overlong F0 80 80 80", "\xF0\x80\x80\x80", false);
        add("overlong F0 8F BF BF", "\xF0\x8F\xBF\xBF", false);
        add("surrogate ED A0 80", "\xED\xA0\x80", false);
        add("surrogate ED BF BF", "\xED\xBF\xBF", false);
        add("surrogate pair (CESU-8)", "\xED\xA0\xBD\xED\xB8\x80", false);
        add("U+110000 F4 90 80 80", "\xF4\x90\x80\x80", false);
        add("F4 BF BF BF", "\xF4\xBF\xBF\xBF", false);
        add("F5 80 80 80", "\xF5\x80\x80\x80", false);
        add("F7 BF BF BF", "\xF7\xBF\xBF\xBF", false);
        add("F8 (5 bytes)", "\xF8\x88\x80\x80\x80", false);
        add("FC (6 bytes)", "\xFC\x84\x80\x80\x80\x80", false);
        add("FE", "\xFE", false);
        add("FF", "\xFF", false);
        add("truncated C2", "\xC2", false);
        add("truncated E2 82", "\xE2\x82", false);
        add("truncated E0", "\xE0", false);
        add("truncated F0 9D 84", "\xF0\x9D\x84", false);
        add("truncated F4", "\xF4", false);
        add("ASCII then truncated", "abc\xE2\x82", false);
        add("stray 80", "\x80", false);
        add("stray BF", "\xBF", false);
        add("stray between ASCII", "a\x80z", false);
        add("continuation too many", "\xC2\x80\x80", false);
        add("lead then ASCII", "\xC2\x41", false);
        add("lead then lead", "\xC2\xC2\x80", false);
        add("3-byte, bad second", "\xE2\x28\xA1", false);
        add("3-byte, bad third", "\xE2\x82\x28", false);
        add("4-byte, bad third", "\xF0\x9D\x28\x9E", false);
        add("4-byte, bad fourth", "\xF0\x9D\x84\xC0", false);
    }

    //! RFC 3629 4's table, and each case again inside ASCII of every alignment (the check goes 8 bytes at a time).
    void isValidUtf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(ws::isValidUtf8(bytes.constData(), bytes.size()), valid);
        for (int before = 0; before < 10; ++before) {
            for (int after = 0; after < 10; ++after) {
                const QByteArray padded = QByteArray(before, 'a') + bytes + QByteArray(after, 'z');
                if (ws::isValidUtf8(padded.constData(), padded.size()) != valid)
                    QFAIL(qPrintable(u"wrong with %1 bytes before and %2 after"_s.arg(before).arg(after)));
            }
        }
        // The size is where the string ends: a valid string cut inside its last character is not valid.
        if (valid && !bytes.isEmpty() && quint8(bytes.back()) >= 0x80)
            QVERIFY(!ws::isValidUtf8(bytes.constData(), bytes.size() - 1));
    }

    /** Random bytes (mostly high ones, shaped like UTF-8 characters) judged by isValidUtf8 and by Qt's decoder. Qt 6's
     * UTF-8 decoder follows RFC 3629 as well (no overlongs, surrogates or code points past U+10FFFF; noncharacters
     * pass), so they must agree; were they ever to differ, RFC 3629 is the rule the server follows and the case belongs
     * in isValidUtf8_data instead.
     */
    void isValidUtf8AgreesWithQt()
    {
        int validSeen = 0;
        for (int round = 0; round < 20000; ++round) {
            // Whole characters, ASCII runs (past the 8-byte fast path) and pieces that look like a character: a
            // lead byte and up to three bytes after it, mostly from the continuation range, so a string is often
            // wrong in one place only and every boundary of RFC 3629's table gets tried.
            QByteArray bytes;
            const int pieces = g_random.bounded(0, 6);
            for (int piece = 0; piece < pieces; ++piece) {
                const int pick = g_random.bounded(10);
                if (pick < 4) {
                    bytes.append(encodeUtf8(randomCodePoint(1 + g_random.bounded(4))));
                } else if (pick < 5) {
                    bytes.append(QByteArray(g_random.bounded(1, 12), char(g_random.bounded(0x20, 0x7F))));
                } else {
                    bytes.append(char(g_random.bounded(0x80, 0x100)));
                    const int after = g_random.bounded(0, 4);
                    for (int i = 0; i < after; ++i) {
                        bytes.append(g_random.bounded(5) ? char(g_random.bounded(0x80, 0xC0))
                                                         : char(g_random.bounded(0x100)));
                    }
                }
            }
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString decoded = decoder.decode(bytes);
            const bool qtValid = !decoder.hasError();
            const bool ours = ws::isValidUtf8(bytes.constData(), bytes.size());
            if (ours != qtValid)
                QFAIL(qPrintable(u"%1: isValidUtf8 says %2, Qt says %3"_s.arg(QString::fromLatin1(bytes.toHex(' ')))
                                     .arg(ours)
                                     .arg(qtValid)));
            // Valid UTF-8 comes back byte for byte from a round trip through UTF-16; invalid bytes cannot. (After a
            // byte of ASCII: QString::fromUtf8 drops a BOM at the start, which is valid UTF-8 all the same.)
            const QByteArray prefixed = 'a' + bytes;
            if (ours != (QString::fromUtf8(prefixed).toUtf8() == prefixed))
                QFAIL(qPrintable(u"%1: round trip disagrees"_s.arg(QString::fromLatin1(bytes.toHex(' ')))));
            validSeen += ours;
        }
        // The bias is right when both kinds come up often.
        QVERIFY2(validSeen > 2000 && validSeen < 18000, qPrintable(QString::number(validSeen)));

        // Long valid strings of random characters, and each with one byte flipped.
        for (int round = 0; round < 300; ++round) {
            QByteArray text = randomText(g_random.bounded(1, 200));
            QVERIFY(ws::isValidUtf8(text.constData(), text.size()));
            text[g_random.bounded(text.size())] = char(g_random.bounded(0x80, 0x100));
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString decoded = decoder.decode(text);
            QCOMPARE(ws::isValidUtf8(text.constData(), text.size()), !decoder.hasError());
        }
    }

    // ---- The opening handshake ----

    void requestEndFindsTheEmptyLine()
    {
        QCOMPARE(ws::requestEnd(""), qsizetype(-1));
        QCOMPARE(ws::requestEnd("GET / HTTP/1.1\r\nHost: x\r\n"), qsizetype(-1));
        QCOMPARE(ws::requestEnd("GET / HTTP/1.1\r\nHost: x\r\n\r"), qsizetype(-1));
        QCOMPARE(ws::requestEnd("GET / HTTP/1.1\r\nHost: x\n\n"), qsizetype(-1));
        const QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        QCOMPARE(ws::requestEnd(head), head.size());
        // Bytes after it (a client's first frame) are not the request's.
        QCOMPARE(ws::requestEnd(QByteArray(head + "\x81\x85rest\r\n\r\n")), head.size());
        QCOMPARE(ws::requestEnd("\r\n\r\n"), qsizetype(4));
    }

    void rfcSampleRequestIsAccepted()
    {
        const QByteArray head = request(kSampleRequest);
        QCOMPARE(ws::requestEnd(head), head.size());
        const ws::RequestVerdict verdict = ws::parseUpgradeRequest(head);
        QVERIFY2(verdict.request.has_value(), qPrintable(verdict.why));
        QCOMPARE(verdict.request->key, "dGhlIHNhbXBsZSBub25jZQ==");
        QCOMPARE(verdict.request->origin, u"http://example.com"_s);
        QCOMPARE(verdict.status, 0);
        // RFC 6455 1.3: the sample key's accept value.
        QCOMPARE(ws::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    void switchingProtocolsCompletesTheHandshake()
    {
        const QByteArray response = ws::switchingProtocols("dGhlIHNhbXBsZSBub25jZQ==");
        Response parsed;
        QVERIFY(parseResponse(response, &parsed));
        QCOMPARE(parsed.statusLine, "HTTP/1.1 101 Switching Protocols");
        QCOMPARE(parsed.headers.value("upgrade").toLower(), "websocket");
        QCOMPARE(parsed.headers.value("connection").toLower(), "upgrade");
        QCOMPARE(parsed.headers.value("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        QVERIFY(parsed.body.isEmpty()); // nothing after the empty line: the next bytes are frames
    }

    void headerNamesAndValuesIgnoreCase()
    {
        const QByteArray head = request({
            "GET /room?x=1 HTTP/1.1",
            "host: 10.0.0.2:7777",
            "UPGRADE: WebSocket",
            "connection: keep-alive, Upgrade",
            "sec-websocket-key:   dGhlIHNhbXBsZSBub25jZQ==  ",
            "SEC-WEBSOCKET-VERSION: 13",
            "oRiGiN: https://board.example",
            "X-Something: else",
        });
        const ws::RequestVerdict verdict = ws::parseUpgradeRequest(head);
        QVERIFY2(verdict.request.has_value(), qPrintable(verdict.why));
        QCOMPARE(verdict.request->key, "dGhlIHNhbXBsZSBub25jZQ==");
        QCOMPARE(verdict.request->origin, u"https://board.example"_s);

        // Firefox's Connection, and the tokens in other cases and spacing.
        for (const QByteArray &connection :
             {QByteArray("Connection: keep-alive, Upgrade"), QByteArray("Connection: UPGRADE"),
              QByteArray("Connection: upgrade ,close"), QByteArray("Connection:Upgrade")}) {
            const ws::RequestVerdict ok = ws::parseUpgradeRequest(request(sampleWithout("connection", {connection})));
            QVERIFY2(ok.request.has_value(), connection.constData());
        }
        // Native clients send no Origin.
        const ws::RequestVerdict native = ws::parseUpgradeRequest(request(sampleWithout("origin")));
        QVERIFY2(native.request.has_value(), qPrintable(native.why));
        QVERIFY(native.request->origin.isEmpty());
    }

    void handshakeRefusals_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        const auto withFirstLine = [](const QByteArray &line) {
            QList<QByteArray> lines = kSampleRequest;
            lines[0] = line;
            return request(lines);
        };
        QTest::newRow("POST") << withFirstLine("POST /chat HTTP/1.1") << 405;
        QTest::newRow("lowercase get") << withFirstLine("get /chat HTTP/1.1") << 405;
        QTest::newRow("HTTP/1.0") << withFirstLine("GET /chat HTTP/1.0") << 400;
        QTest::newRow("HTTP/2") << withFirstLine("GET /chat HTTP/2") << 400;
        QTest::newRow("no target") << withFirstLine("GET HTTP/1.1") << 400;
        QTest::newRow("two spaces") << withFirstLine("GET  /chat HTTP/1.1") << 400;
        QTest::newRow("garbage") << QByteArray::fromHex("160301020001000001fc0303") + "\r\n\r\n" << 400;
        QTest::newRow("empty") << QByteArray("\r\n\r\n") << 400;
        QTest::newRow("missing Upgrade") << request(sampleWithout("upgrade")) << 426;
        QTest::newRow("Upgrade: h2c") << request(sampleWithout("upgrade", {"Upgrade: h2c"})) << 426;
        QTest::newRow("missing Connection") << request(sampleWithout("connection")) << 400;
        QTest::newRow("Connection: close") << request(sampleWithout("connection", {"Connection: close"})) << 400;
        QTest::newRow("version 7") << request(sampleWithout("sec-websocket-version", {"Sec-WebSocket-Version: 7"}))
                                   << 426;
        QTest::newRow("version 8") << request(sampleWithout("sec-websocket-version", {"Sec-WebSocket-Version: 8"}))
                                   << 426;
        QTest::newRow("missing version") << request(sampleWithout("sec-websocket-version")) << 426;
        QTest::newRow("missing key") << request(sampleWithout("sec-websocket-key")) << 400;
        QTest::newRow("space before a colon")
            << request(sampleWithout("origin", {"Origin : http://example.com"})) << 400;
        QTest::newRow("folded header") << request(sampleWithout("origin", {"Origin: http://a", " .example.com"}))
                                       << 400;
        QTest::newRow("empty key") << request(sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key:"})) << 400;
        QTest::newRow("short key") << request(sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key: c2hvcnQ="}))
                                   << 400;
        QTest::newRow("17-byte key") << request(
            sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="}))
                                     << 400;
        // Qt's base64 decoding forgives both; the key must still be the 24 characters RFC 6455 4.1 says.
        QTest::newRow("key without its padding")
            << request(sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"})) << 400;
        QTest::newRow("key with junk after it")
            << request(sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==..."})) << 400;
        QTest::newRow("key not base64") << request(
            sampleWithout("sec-websocket-key", {"Sec-WebSocket-Key: this is not base 64!!!!"}))
                                        << 400;
        QTest::newRow("duplicated key") << request(kSampleRequest
                                                   + QList<QByteArray> {"Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="})
                                        << 400;
        QTest::newRow("duplicated key, same value")
            << request(kSampleRequest + QList<QByteArray> {"sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ=="}) << 400;
        QTest::newRow("duplicated Upgrade")
            << request(kSampleRequest + QList<QByteArray> {"Upgrade: websocket"}) << 400;
        QTest::newRow("duplicated version")
            << request(kSampleRequest + QList<QByteArray> {"Sec-WebSocket-Version: 8"}) << 400;
        QTest::newRow("header without a colon") << request(kSampleRequest + QList<QByteArray> {"Broken header"}) << 400;
        QTest::newRow("header with an empty name") << request(kSampleRequest + QList<QByteArray> {": value"}) << 400;
        QTest::newRow("over MaxRequestBytes")
            << request(kSampleRequest + QList<QByteArray> {"X-Pad: " + QByteArray(ws::MaxRequestBytes, 'p')}) << 431;
    }

    void handshakeRefusals()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        const ws::RequestVerdict verdict = ws::parseUpgradeRequest(head);
        QVERIFY2(!verdict.request.has_value(), "accepted");
        QCOMPARE(verdict.status, status);
        QVERIFY(!verdict.why.isEmpty());
    }

    //! The limit is on the request's bytes: exactly MaxRequestBytes passes, one more is 431.
    void requestOfExactlyMaxBytesIsAccepted()
    {
        const QByteArray base = request(kSampleRequest + QList<QByteArray> {"X-Pad: "});
        const QByteArray padding(ws::MaxRequestBytes - base.size(), 'p');
        QList<QByteArray> lines = kSampleRequest;
        lines.append("X-Pad: " + padding);
        const QByteArray exact = request(lines);
        QCOMPARE(exact.size(), ws::MaxRequestBytes);
        const ws::RequestVerdict ok = ws::parseUpgradeRequest(exact);
        QVERIFY2(ok.request.has_value(), qPrintable(ok.why));
        lines.last() += 'p';
        QCOMPARE(ws::parseUpgradeRequest(request(lines)).status, 431);
    }

    void refusalIsAWellFormedResponse_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("phrase");
        QTest::newRow("400") << 400 << QByteArray("Bad Request");
        QTest::newRow("403") << 403 << QByteArray("Forbidden");
        QTest::newRow("405") << 405 << QByteArray("Method Not Allowed");
        QTest::newRow("426") << 426 << QByteArray("Upgrade Required");
        QTest::newRow("431") << 431 << QByteArray("Request Header Fields Too Large");
    }

    //! Status line, headers, and a body whose Content-Length counts its bytes (not its characters); 426 says which
    //! version to speak (RFC 6455 4.4).
    void refusalIsAWellFormedResponse()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, phrase);
        const QString why = u"pas de \u00e9t\u00e9 \u20ac ici"_s;
        const QByteArray response = ws::refusal(status, why);
        Response parsed;
        QVERIFY2(parseResponse(response, &parsed), response.constData());
        QCOMPARE(parsed.statusLine, "HTTP/1.1 " + QByteArray::number(status) + ' ' + phrase);
        QCOMPARE(parsed.headers.values("content-length").size(), 1);
        bool number = false;
        QCOMPARE(parsed.headers.value("content-length").toLongLong(&number), qint64(parsed.body.size()));
        QVERIFY(number);
        QVERIFY(parsed.body.startsWith(why.toUtf8()));
        QCOMPARE(QString::fromUtf8(parsed.body).trimmed(), why);
        QCOMPARE(parsed.headers.value("connection").toLower(), "close");
        QVERIFY(parsed.headers.value("content-type").startsWith("text/plain"));
        if (status == 426) {
            QCOMPARE(parsed.headers.value("sec-websocket-version"), "13");
            QCOMPARE(parsed.headers.value("upgrade").toLower(), "websocket");
        } else {
            QVERIFY(!parsed.headers.contains("sec-websocket-version"));
        }
    }
};

QTEST_GUILESS_MAIN(TestServerWebSocket)
#include "tst_server_websocket.moc"
