#include "fuzzentry.h"

#include "protocol.h"
#include "protocollimits.h"

#include <cstdlib>

namespace inkroom::proto {

int fuzzDecode(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const DecodeResult first = decode(bytes, limits::MaxServerMessageBytes);
    if (!first.ok())
        return 0;
    const QByteArray again = encode(first.message());
    const DecodeResult second = decode(again, limits::MaxServerMessageBytes);
    if (!second.ok() || !(second.message() == first.message()))
        std::abort();
    return 0;
}

} // namespace inkroom::proto
