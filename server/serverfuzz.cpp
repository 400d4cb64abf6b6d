#include "serverfuzz.h"

#include "protocol.h"
#include "protocollimits.h"
#include "server.h"

#include <array>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

constexpr int kConnections = 4;
constexpr int kMaxLines = 256;

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "fuzzServerMessages: %s\n", qPrintable(what));
    std::abort();
}

ServerConfig fuzzConfig()
{
    ServerConfig config;
    config.detached = true;
    config.passwordIterations = 1;
    config.ratePerSecond = 1e6; // the most welcome.rate may say (a larger one would not decode); the burst is endless

    config.rateBurst = 1 << 30;
    config.rateMaxExcess = 1 << 30;
    config.opKibPerSecond = 1 << 30; // 2^40 bytes: the most welcome.opByteRate and opByteBurst may say
    config.opBurstKib = 1 << 30;
    config.maxConnections = 2 * kConnections;
    config.maxRoomMembers = 3;
    config.maxBoardItems = 40;
    config.maxBatchOps = 4;
    config.compactEvery = 6;
    config.retainOps = 3;
    config.maxResumeOps = 12;
    config.chatHistory = 4;
    config.maxPasswordFailures = 3;
    return config;
}

} // namespace

int fuzzServerMessages(const std::uint8_t *data, std::size_t size)
{
    Server server(fuzzConfig());
    QString error;
    if (!server.start(&error))
        fail(u"the detached server does not start: "_s + error);

    const auto sink = [](const QByteArray &bytes) {
        const proto::DecodeResult result = proto::decode(bytes, limits::MaxServerMessageBytes);
        if (!result.ok())
            fail(u"the server sent a message that does not decode (%1): %2"_s.arg(result.error().message,
                                                                                  QString::fromUtf8(bytes.left(300))));
    };
    std::array<quint64, kConnections> connections {};
    int nextPeer = 1;
    const auto attach = [&server, &sink, &nextPeer] {
        // Two addresses, so per-address password limits are shared and also not.
        return server.attachConnection(QHostAddress(u"10.0.0.%1"_s.arg(nextPeer++ % 2 + 1)), sink);
    };
    for (quint64 &connection : connections)
        connection = attach();

    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    qsizetype start = 0;
    for (int line = 0; line < kMaxLines && start <= input.size(); ++line) {
        qsizetype end = input.indexOf('\n', start);
        if (end < 0)
            end = input.size();
        QByteArrayView message = input.sliced(start, end - start);
        start = end + 1;
        int slot = 0;
        if (message.size() >= 2 && message[1] == '>' && message[0] >= '0' && message[0] < '0' + kConnections) {
            slot = message[0] - '0';
            message = message.sliced(2);
        }
        if (message == "~") {
            server.detachConnection(connections[slot]);
            server.settle();
            connections[slot] = attach();
            continue;
        }
        if (!server.hasConnection(connections[slot]))
            connections[slot] = attach();
        server.deliver(connections[slot], message.toByteArray());
        server.settle();
    }

    if (!server.checkConsistency(&error))
        fail(error);
    return 0;
}

} // namespace inkroom::server
