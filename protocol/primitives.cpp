#include "cqlpp/protocol/primitives.hpp"

#include <cstdio>

namespace cqlpp::protocol {

std::string uuid::to_string() const {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[bytes[i] >> 4];
    s += hex[bytes[i] & 0xF];
  }
  return s;
}

std::string inet_address::to_string() const {
  char buf[64];
  if (size == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return buf;
  }
  // Plain uncompressed form; good enough for diagnostics.
  std::string s;
  for (int i = 0; i < 16; i += 2) {
    if (i) s += ':';
    std::snprintf(buf, sizeof buf, "%x", (bytes[i] << 8) | bytes[i + 1]);
    s += buf;
  }
  return s;
}

bool is_valid_consistency(std::uint16_t v) noexcept { return v <= 0x000A; }

}  // namespace cqlpp::protocol
