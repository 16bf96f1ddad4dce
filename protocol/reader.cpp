#include "cqlpp/protocol/reader.hpp"

#include <bit>
#include <cstring>

namespace cqlpp::protocol {

void reader::fail(errc code, const char* field) noexcept {
  if (failed_) return;
  failed_ = true;
  err_ = decode_error{make_error_code(code), offset(), field};
}

void reader::expect_end(const char* field) noexcept {
  if (ok() && !at_end()) fail(errc::trailing_bytes, field);
}

bool reader::check_count(std::int64_t n, std::size_t min_size, const char* field) noexcept {
  if (failed_) return false;
  if (n < 0) {
    fail(errc::invalid_length, field);
    return false;
  }
  // Division instead of multiplication: no overflow for any n.
  if (min_size != 0 && static_cast<std::uint64_t>(n) > remaining() / min_size) {
    fail(errc::truncated, field);
    return false;
  }
  return true;
}

static std::string_view as_sv(bytes_view b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string_view reader::string(const char* field) noexcept {
  const std::uint16_t n = u16(field);
  return as_sv(raw(n, field));
}

std::string_view reader::long_string(const char* field) noexcept {
  const std::int32_t n = i32(field);
  if (n < 0) {
    fail(errc::invalid_length, field);
    return {};
  }
  return as_sv(raw(static_cast<std::size_t>(n), field));
}

value_view reader::bytes(const char* field) noexcept {
  const std::int32_t n = i32(field);
  if (!ok() || n < 0) return value_view::null_value();
  return value_view::of(raw(static_cast<std::size_t>(n), field));
}

value_view reader::value(const char* field) noexcept {
  const std::int32_t n = i32(field);
  if (!ok()) return value_view::null_value();
  if (n == -1) return value_view::null_value();
  if (n == -2) return value_view::unset_value();
  if (n < 0) {
    fail(errc::invalid_length, field);
    return value_view::null_value();
  }
  return value_view::of(raw(static_cast<std::size_t>(n), field));
}

bytes_view reader::short_bytes(const char* field) noexcept {
  const std::uint16_t n = u16(field);
  return raw(n, field);
}

uuid reader::read_uuid(const char* field) noexcept {
  uuid u;
  auto b = raw(16, field);
  if (!b.empty()) std::memcpy(u.bytes.data(), b.data(), 16);
  return u;
}

inet_address reader::inetaddr(const char* field) noexcept {
  inet_address a;
  const std::uint8_t n = u8(field);
  if (!ok()) return a;
  if (n != 4 && n != 16) {
    fail(errc::invalid_value, field);
    return a;
  }
  auto b = raw(n, field);
  if (!b.empty()) std::memcpy(a.bytes.data(), b.data(), n);
  a.size = n;
  return a;
}

inet_endpoint reader::inet(const char* field) noexcept {
  inet_endpoint e;
  e.address = inetaddr(field);
  e.port = i32(field);
  return e;
}

consistency reader::read_consistency(const char* field) noexcept {
  const std::uint16_t v = u16(field);
  if (ok() && !is_valid_consistency(v)) fail(errc::invalid_value, field);
  return static_cast<consistency>(v);
}

std::vector<std::string> reader::string_list(const char* field) {
  std::vector<std::string> out;
  const std::uint16_t n = u16(field);
  if (!check_count(n, 2, field)) return out;
  out.reserve(n);
  for (std::uint16_t i = 0; i < n && ok(); ++i) out.emplace_back(string(field));
  return out;
}

wire_map<std::string> reader::string_map(const char* field) {
  wire_map<std::string> out;
  const std::uint16_t n = u16(field);
  if (!check_count(n, 4, field)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string k(string(field));
    std::string v(string(field));
    if (ok()) out.push_back(std::move(k), std::move(v));
  }
  return out;
}

std::map<std::string, std::vector<std::string>> reader::string_multimap(const char* field) {
  std::map<std::string, std::vector<std::string>> out;
  const std::uint16_t n = u16(field);
  if (!check_count(n, 4, field)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string k(string(field));
    auto v = string_list(field);
    if (ok()) out.insert_or_assign(std::move(k), std::move(v));
  }
  return out;
}

wire_map<std::vector<std::byte>> reader::bytes_map(const char* field) {
  wire_map<std::vector<std::byte>> out;
  const std::uint16_t n = u16(field);
  if (!check_count(n, 6, field)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string k(string(field));
    auto v = bytes(field);
    if (ok()) out.push_back(std::move(k), std::vector<std::byte>(v.bytes.begin(), v.bytes.end()));
  }
  return out;
}

std::size_t decode_uvint(bytes_view b, std::uint64_t& out) noexcept {
  if (b.empty()) return 0;
  const auto first = std::to_integer<std::uint8_t>(b[0]);
  // The number of leading one bits in the first byte is the count of extra bytes.
  const int extra = std::countl_one(first);
  if (b.size() < static_cast<std::size_t>(extra) + 1) return 0;
  std::uint64_t v = extra >= 8 ? 0 : (first & (0xFFu >> extra));
  for (int i = 1; i <= extra; ++i) v = (v << 8) | std::to_integer<std::uint8_t>(b[i]);
  out = v;
  return static_cast<std::size_t>(extra) + 1;
}

std::uint64_t reader::uvint(const char* field) noexcept {
  if (failed_) return 0;
  std::uint64_t v = 0;
  const std::size_t used = decode_uvint(rest(), v);
  if (used == 0) {
    fail(errc::truncated, field);
    return 0;
  }
  pos_ += used;
  return v;
}

std::int64_t reader::vint(const char* field) noexcept {
  const std::uint64_t z = uvint(field);
  // Zig-zag decoding.
  return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

}  // namespace cqlpp::protocol
