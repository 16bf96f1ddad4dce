// Error codes of the sans-I/O codec (protocol/).
//
// Decoders never throw: every failure is a `decode_error` that says what went
// wrong (`code`), where (`offset`, in bytes from the start of the buffer the
// decoder was given) and which field was being read (`field`, a static string).
#pragma once

#include <cstddef>
#include <string>
#include <system_error>

namespace cqlpp::protocol {

// Codec failures, in protocol_category(); values start at 1 so that 0 stays "no error".
enum class errc {
  truncated = 1,          // a field runs past the end of its frame or body
  invalid_length,         // a length field is negative (where not allowed) or impossible
  frame_too_large,        // body length exceeds the configured maximum
  unsupported_version,    // version byte is not 4 or 5 (or direction bit is wrong)
  unknown_opcode,         // opcode byte is not one the spec defines
  unexpected_opcode,      // a valid opcode in the wrong place (a request where a response belongs)
  invalid_value,          // bytes that cannot represent the declared type or enum
  nesting_too_deep,       // type or value nesting above the configured limit
  trailing_bytes,         // a value or message has bytes left after its last field
  bad_header_crc24,       // v5 segment header CRC24 mismatch
  bad_payload_crc32,      // v5 segment payload CRC32 mismatch
  decompression_failed,   // lz4 block is corrupt or inflates to the wrong size
  too_large,              // an encoder was given more than the protocol can express
  type_mismatch,          // a C++ value does not fit the CQL type it is encoded as
  not_in_version,         // a field or message the chosen protocol version cannot carry
};

// The category of errc, named "cqlpp.protocol"; its messages are short phrases ("truncated input").
const std::error_category& protocol_category() noexcept;

// Makes errc values convertible to std::error_code.
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}

// Where a decoder failed. `field` points at a string literal.
struct decode_error {
  std::error_code code;    // what went wrong: an errc
  std::size_t offset = 0;  // bytes from the start of the decoder's buffer (plus the reader's base)
  // The field being read, e.g. "keyspace"; empty when none.
  const char* field = "";

  // "truncated at offset 12 (reading 'keyspace')"
  std::string message() const;
  friend bool operator==(const decode_error&, const decode_error&) = default;
};

}  // namespace cqlpp::protocol

template <>
struct std::is_error_code_enum<cqlpp::protocol::errc> : std::true_type {};
