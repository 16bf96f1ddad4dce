// Message opcodes (v4 §2.4, v5 §2.4) and protocol versions.
#pragma once

#include <cstdint>
#include <string_view>

namespace cqlpp::protocol {

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

bool is_known_opcode(std::uint8_t v) noexcept;
bool is_request_opcode(opcode op) noexcept;
std::string_view to_string(opcode op) noexcept;

enum class protocol_version : std::uint8_t { v4 = 4, v5 = 5 };

// Header flags (v4 §2.2; v5 §2.2 adds use_beta and ignores compression in envelopes).
namespace frame_flags {
inline constexpr std::uint8_t compression = 0x01;
inline constexpr std::uint8_t tracing = 0x02;
inline constexpr std::uint8_t custom_payload = 0x04;
inline constexpr std::uint8_t warning = 0x08;
inline constexpr std::uint8_t use_beta = 0x10;
}  // namespace frame_flags

}  // namespace cqlpp::protocol
