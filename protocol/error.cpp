#include "cqlpp/protocol/error.hpp"

namespace cqlpp::protocol {
namespace {

struct category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::truncated: return "truncated input";
      case errc::invalid_length: return "invalid length";
      case errc::frame_too_large: return "frame exceeds maximum length";
      case errc::unsupported_version: return "unsupported protocol version";
      case errc::unknown_opcode: return "unknown opcode";
      case errc::unexpected_opcode: return "unexpected opcode";
      case errc::invalid_value: return "invalid value";
      case errc::nesting_too_deep: return "nesting too deep";
      case errc::trailing_bytes: return "trailing bytes";
      case errc::bad_header_crc24: return "segment header CRC24 mismatch";
      case errc::bad_payload_crc32: return "segment payload CRC32 mismatch";
      case errc::decompression_failed: return "decompression failed";
      case errc::too_large: return "value too large for the protocol";
      case errc::type_mismatch: return "value does not match CQL type";
      case errc::not_in_version: return "not supported by this protocol version";
    }
    return "unknown protocol error";
  }
};

}  // namespace

const std::error_category& protocol_category() noexcept {
  static const category c;
  return c;
}

std::string decode_error::message() const {
  std::string m = code.message();
  m += " at offset ";
  m += std::to_string(offset);
  if (field && *field) {
    m += " (reading '";
    m += field;
    m += "')";
  }
  return m;
}

}  // namespace cqlpp::protocol
