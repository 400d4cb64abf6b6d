// libFuzzer: the server's WebSocket frame reader (server/wsframereader.h) fed a client's byte stream in pieces, and
// the opening handshake's parser (server/wshandshake.h) fed the same bytes.
//
// The first input byte picks how the rest arrives: its low 5 bits and the second byte's make two piece sizes that
// alternate (1 to 32 bytes each); a first byte with its top bit set sends everything at once.
#include "wsframereader.h"
#include "wshandshake.h"

#include <QIODevice>
#include <QStringDecoder>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ws = inkroom::server::ws;

//! Abort with a message libFuzzer keeps (assert() is compiled out in the optimised fuzz build).
#define WS_CHECK(condition)                                                                                            \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "wsframes: %s (line %d)\n", #condition, __LINE__);                                    \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

namespace {

constexpr qint64 kMaxMessage = 1024 * 1024;

//! Hands out what it was fed and no more, like a socket's buffer.
class FeedDevice final : public QIODevice
{
public:
    FeedDevice() { open(QIODevice::ReadOnly | QIODevice::Unbuffered); }
    void feed(const char *bytes, qsizetype size) { m_data.append(bytes, size); }
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override { return m_data.size() - m_at + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, qint64(m_data.size() - m_at));
        if (n > 0)
            std::memcpy(data, m_data.constData() + m_at, size_t(n));
        m_at += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qsizetype m_at = 0;
};

//! Qt's own judgement, as a second opinion on isValidUtf8 (both follow RFC 3629).
bool qtSaysUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

void fuzzFrames(const char *data, qsizetype size)
{
    if (size < 2)
        return;
    const bool atOnce = (quint8(data[0]) & 0x80) != 0;
    const qsizetype pieces[2] = {1 + (quint8(data[0]) & 0x1F), 1 + (quint8(data[1]) & 0x1F)};
    data += 2;
    size -= 2;

    FeedDevice device;
    ws::FrameReader reader(kMaxMessage);
    bool violated = false;
    qsizetype at = 0;
    for (int piece = 0; at < size; ++piece) {
        const qsizetype n = atOnce ? size : std::min(pieces[piece & 1], size - at);
        device.feed(data + at, n);
        at += n;
        while (true) {
            const ws::FrameReader::Event event = reader.next(&device);
            WS_CHECK(reader.frameRemaining() <= quint64(kMaxMessage));
            if (event.kind == ws::FrameReader::Event::NeedMore) {
                // NeedMore means the device is empty: the server waits for more bytes after it.
                WS_CHECK(device.bytesAvailable() == 0);
                break;
            }
            switch (event.kind) {
            case ws::FrameReader::Event::Message:
                WS_CHECK(!violated);
                WS_CHECK(event.payload.size() <= kMaxMessage);
                if (event.text) {
                    WS_CHECK(ws::isValidUtf8(event.payload.constData(), event.payload.size()));
                    WS_CHECK(qtSaysUtf8(event.payload));
                }
                break;
            case ws::FrameReader::Event::Ping:
                WS_CHECK(!violated);
                WS_CHECK(event.payload.size() <= 125);
                break;
            case ws::FrameReader::Event::Pong:
                WS_CHECK(!violated);
                break;
            case ws::FrameReader::Event::Close:
                // Draining after a violation, the peer's close still ends the handshake (without its code).
                WS_CHECK(!violated || event.code == ws::CloseNoStatus);
                WS_CHECK(event.code == ws::CloseNoStatus || (event.code >= 1000 && event.code <= 4999));
                break;
            case ws::FrameReader::Event::Violation:
                WS_CHECK(!violated); // one violation, then only draining
                WS_CHECK(event.code == ws::CloseProtocolError || event.code == ws::CloseBadData
                         || event.code == ws::CloseTooBig);
                WS_CHECK(!event.reason.isEmpty());
                violated = true;
                break;
            case ws::FrameReader::Event::NeedMore:
                break;
            }
            WS_CHECK(reader.hasFailed() == violated);
        }
    }
}

void fuzzHandshake(const char *data, qsizetype size)
{
    const QByteArrayView input(data, size);
    const qsizetype end = ws::requestEnd(input);
    WS_CHECK(end == -1 || (end >= 4 && end <= size));
    const ws::RequestVerdict verdict = ws::parseUpgradeRequest(end < 0 ? input : input.first(end));
    if (verdict.request) {
        WS_CHECK(verdict.request->key.size() == 24);
        WS_CHECK(ws::acceptFor(verdict.request->key).size() == 28);
        const QByteArray response = ws::switchingProtocols(verdict.request->key);
        WS_CHECK(ws::requestEnd(response) == response.size());
        return;
    }
    WS_CHECK(verdict.status == 400 || verdict.status == 405 || verdict.status == 426 || verdict.status == 431);
    WS_CHECK(!verdict.why.isEmpty());
    const QByteArray response = ws::refusal(verdict.status, verdict.why);
    const qsizetype headEnd = ws::requestEnd(response);
    WS_CHECK(headEnd > 0);
    const QByteArray length = "Content-Length: " + QByteArray::number(response.size() - headEnd) + "\r\n";
    WS_CHECK(response.first(headEnd).contains(length));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto *bytes = reinterpret_cast<const char *>(data);
    fuzzFrames(bytes, qsizetype(size));
    fuzzHandshake(bytes, qsizetype(size));
    return 0;
}
