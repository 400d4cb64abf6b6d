// libFuzzer: decoded messages through the server's own handling, without sockets (see server/serverfuzz.h).
#include "serverfuzz.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <cstdlib>

namespace {

void quiet(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    // The server logs what hostile input makes it do; only a fatal message matters here.
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static int count = *argc;
    static QCoreApplication app(count, *argv);
    qInstallMessageHandler(quiet);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return inkroom::server::fuzzServerMessages(data, size);
}
