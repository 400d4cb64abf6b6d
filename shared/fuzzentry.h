#pragma once

#include <cstddef>
#include <cstdint>

namespace inkroom::proto {

/** @brief The decoder's fuzz entry point, shaped for LLVMFuzzerTestOneInput.
 *
 * Decodes the bytes with decode() and with decodeWithQJsonDocument() and checks that both say the same: both refuse
 * with the same code, field and message, or both give the same message. When they decode, encodes the message again
 * and checks that the encoding decodes to the same message. Aborts on any difference (so a fuzzer reports it, with
 * both answers on stderr). Returns 0.
 */
int fuzzDecode(const std::uint8_t *data, std::size_t size);

} // namespace inkroom::proto
