// libFuzzer: the message decoder (and that what decodes encodes and decodes to the same message).
#include "fuzzentry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return inkroom::proto::fuzzDecode(data, size);
}
