// Message opcodes (v4 §2.4, v5 §2.4) and protocol versions.
#pragma once

#include <cstdint>
#include <string_view>

namespace cqlpp::protocol {

// The frame header's opcode byte. 0x04 (CREDENTIALS, v1 only) is not a v4/v5 opcode.
enum class opcode : std::uint8_t {
  error = 0x00,
  startup = 0x01,
  ready = 0x02,
  authenticate = 0x03,
  options = 0x05,
  supported = 0x06,
  query = 0x07,
  result = 0x08,
  prepare = 0x09,
  execute = 0x0A,
  register_ = 0x0B,
  event = 0x0C,
  batch = 0x0D,
  auth_challenge = 0x0E,
  auth_response = 0x0F,
  auth_success = 0x10,
};

// True if `v` is one of the opcodes above (0x00-0x10 except 0x04); frame decoding fails with unknown_opcode
// otherwise.
bool is_known_opcode(std::uint8_t v) noexcept;
// True for the messages a client sends: STARTUP, OPTIONS, QUERY, PREPARE, EXECUTE, REGISTER, BATCH and
// AUTH_RESPONSE.
bool is_request_opcode(opcode op) noexcept;
// The spec's name of the message ("QUERY", "AUTH_SUCCESS"), or "UNKNOWN" for a value outside the enum.
std::string_view to_string(opcode op) noexcept;

// Native protocol version, the low 7 bits of the header's version byte. Ordered: `v >= protocol_version::v5`
// tests for v5 features.
enum class protocol_version : std::uint8_t { v4 = 4, v5 = 5 };

// Header flags (v4 §2.2; v5 §2.2 adds use_beta and ignores compression in envelopes).
namespace frame_flags {
inline constexpr std::uint8_t compression = 0x01;     // body is compressed (v4 only; v5 compresses segments)
inline constexpr std::uint8_t tracing = 0x02;         // request: trace it; response: body starts with the trace [uuid]
inline constexpr std::uint8_t custom_payload = 0x04;  // body starts with a [bytes map] custom payload
inline constexpr std::uint8_t warning = 0x08;         // response body starts with a [string list] of warnings
inline constexpr std::uint8_t use_beta = 0x10;        // the client opts in to a beta protocol version (v5)
}  // namespace frame_flags

}  // namespace cqlpp::protocol
