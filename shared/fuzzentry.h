#pragma once

#include <cstddef>
#include <cstdint>

namespace inkroom::proto {

/** @brief The decoder's fuzz entry point, shaped for LLVMFuzzerTestOneInput.
 *
 * Decodes the bytes; when they decode, encodes the message again and checks that the encoding decodes to the
 * same message (aborting if not, so a fuzzer reports it). Returns 0.
 */
int fuzzDecode(const std::uint8_t *data, std::size_t size);

} // namespace inkroom::proto
