#include "cqlpp/protocol/varint.hpp"

#include <algorithm>

namespace cqlpp::protocol {

namespace {

// Drops leading bytes that only repeat the sign (0x00 before a byte < 0x80,
// 0xFF before a byte >= 0x80).
void minimise(std::vector<std::uint8_t>& b) {
  std::size_t i = 0;
  while (i + 1 < b.size() && ((b[i] == 0x00 && (b[i + 1] & 0x80) == 0) ||
                              (b[i] == 0xFF && (b[i + 1] & 0x80) != 0)))
    ++i;
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(i));
}

// Two's-complement negation in place (big-endian).
void negate(std::vector<std::uint8_t>& b) {
  unsigned carry = 1;
  for (std::size_t i = b.size(); i-- > 0;) {
    const unsigned v = static_cast<std::uint8_t>(~b[i]) + carry;
    b[i] = static_cast<std::uint8_t>(v);
    carry = v >> 8;
  }
}

}  // namespace

varint varint::from_int64(std::int64_t v) {
  varint r;
  r.bytes_.assign(8, 0);
  const auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) r.bytes_[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(u >> (56 - 8 * i));
  minimise(r.bytes_);
  return r;
}

varint varint::from_bytes(bytes_view b) {
  varint r;
  if (b.empty()) return r;
  r.bytes_.resize(b.size());
  std::transform(b.begin(), b.end(), r.bytes_.begin(), [](std::byte x) { return std::to_integer<std::uint8_t>(x); });
  minimise(r.bytes_);
  return r;
}

std::optional<varint> varint::from_string(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  // Magnitude as big-endian base-256, grown by multiply-add per digit; one
  // spare leading zero byte keeps it non-negative as two's complement.
  std::vector<std::uint8_t> mag{0};
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    unsigned carry = static_cast<unsigned>(c - '0');
    for (std::size_t i = mag.size(); i-- > 0;) {
      const unsigned v = mag[i] * 10u + carry;
      mag[i] = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
    if (carry != 0 || mag[0] != 0) mag.insert(mag.begin(), static_cast<std::uint8_t>(carry));
    if (mag[0] != 0) mag.insert(mag.begin(), 0);
  }
  if (neg) negate(mag);
  minimise(mag);
  varint r;
  r.bytes_ = std::move(mag);
  return r;
}

std::optional<std::int64_t> varint::to_int64() const {
  if (bytes_.size() > 8) return std::nullopt;
  std::uint64_t u = is_negative() ? ~std::uint64_t{0} : 0;
  for (auto b : bytes_) u = (u << 8) | b;
  return static_cast<std::int64_t>(u);
}

std::string varint::to_string() const {
  std::vector<std::uint8_t> mag = bytes_;
  const bool neg = is_negative();
  if (neg) negate(mag);  // magnitude; the top bit may now be set (e.g. -128)
  // Repeated division by 10^9 of the base-256 magnitude.
  std::string digits;
  auto nonzero = [&] { return std::any_of(mag.begin(), mag.end(), [](std::uint8_t b) { return b != 0; }); };
  while (nonzero()) {
    std::uint64_t rem = 0;
    for (auto& b : mag) {
      const std::uint64_t cur = (rem << 8) | b;
      b = static_cast<std::uint8_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    for (int i = 0; i < 9; ++i) {
      digits += static_cast<char>('0' + rem % 10);
      rem /= 10;
    }
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits.empty()) digits.push_back('0');
  if (neg) digits += '-';
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace cqlpp::protocol
