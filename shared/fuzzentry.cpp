#include "fuzzentry.h"

#include "protocol.h"
#include "protocollimits.h"

#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace inkroom::proto {

namespace {

//! Stops the fuzzer with what went wrong: libFuzzer saves the input that did it.
[[noreturn]] void disagree(const char *what, const QString &fast, const QString &reference)
{
    std::fprintf(stderr, "fuzzDecode: %s\n  decode():                  %s\n  decodeWithQJsonDocument(): %s\n", what,
                 qPrintable(fast), qPrintable(reference));
    std::abort();
}

QString describe(const DecodeResult &result)
{
    if (result.ok())
        return QString::fromUtf8(encode(result.message()));
    const DecodeError &error = result.error();
    return errorCodeName(error.code) + u" at '"_s + error.field + u"': "_s + error.message;
}

} // namespace

int fuzzDecode(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const DecodeResult first = decode(bytes, limits::MaxServerMessageBytes);
    // decode() reads most messages with its own parser and must say exactly what the QJsonDocument path says.
    const DecodeResult reference = decodeWithQJsonDocument(bytes, limits::MaxServerMessageBytes);
    if (first.ok() != reference.ok())
        disagree(first.ok() ? "only decode() accepts" : "only the reference accepts", describe(first),
                 describe(reference));
    if (!first.ok()) {
        const DecodeError &a = first.error();
        const DecodeError &b = reference.error();
        if (a.code != b.code || a.field != b.field || a.message != b.message)
            disagree("different errors", describe(first), describe(reference));
        return 0;
    }
    // Equal values can still encode differently (-0 and 0 compare equal): compare the bytes too.
    if (!(first.message() == reference.message()) || encode(first.message()) != encode(reference.message()))
        disagree("different messages", describe(first), describe(reference));
    const QByteArray again = encode(first.message());
    const DecodeResult second = decode(again, limits::MaxServerMessageBytes);
    if (!second.ok() || !(second.message() == first.message()))
        disagree("the encoding does not decode to the same message", describe(first), describe(second));
    return 0;
}

} // namespace inkroom::proto
