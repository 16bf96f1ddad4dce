#include "cqlpp/protocol/writer.hpp"

#include <bit>
#include <limits>

namespace cqlpp::protocol {

void writer::raw(std::string_view s) {
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  out_.insert(out_.end(), p, p + s.size());
}

void writer::string(std::string_view s) {
  if (s.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(s.size()));
  raw(s);
}

void writer::long_string(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) return fail(errc::too_large);
  i32(static_cast<std::int32_t>(s.size()));
  raw(s);
}

void writer::bytes(bytes_view b) {
  if (b.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) return fail(errc::too_large);
  i32(static_cast<std::int32_t>(b.size()));
  raw(b);
}

void writer::value(const value_view& v) {
  switch (v.st) {
    case value_view::state::null: return i32(-1);
    case value_view::state::unset: return i32(-2);
    case value_view::state::set: return bytes(v.bytes);
  }
}

void writer::short_bytes(bytes_view b) {
  if (b.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(b.size()));
  raw(b);
}

void writer::inetaddr(const inet_address& a) {
  if (a.size != 4 && a.size != 16) return fail(errc::invalid_value);
  u8(a.size);
  raw(bytes_view(reinterpret_cast<const std::byte*>(a.bytes.data()), a.size));
}

void writer::string_list(const std::vector<std::string>& l) {
  if (l.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(l.size()));
  for (const auto& s : l) string(s);
}

void writer::string_map(const wire_map<std::string>& m) {
  if (m.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) { string(k); string(v); }
}

void writer::string_multimap(const std::map<std::string, std::vector<std::string>>& m) {
  if (m.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) { string(k); string_list(v); }
}

void writer::bytes_map(const wire_map<std::vector<std::byte>>& m) {
  if (m.size() > std::numeric_limits<std::uint16_t>::max()) return fail(errc::too_large);
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) { string(k); bytes(v); }
}

void writer::uvint(std::uint64_t v) {
  // Size in bytes, 1..9: every extra byte adds 7 payload bits (8 for the 9th).
  const int bits = 64 - std::countl_zero(v | 1);
  const int size = bits > 56 ? 9 : (bits + 6) / 7;
  const int extra = size - 1;
  if (size == 9) {
    u8(0xFF);
    i64(static_cast<std::int64_t>(v));
    return;
  }
  // Leading `extra` one bits mark the length; the rest of the first byte carries
  // the high bits of v.
  const auto mark = static_cast<std::uint8_t>(~(0xFFu >> extra));
  for (int i = extra; i >= 0; --i) {
    auto b = static_cast<std::uint8_t>(v >> (8 * i));
    if (i == extra) b |= mark;
    u8(b);
  }
}

void writer::patch_i32(std::size_t pos, std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (int i = 0; i < 4; ++i) out_[pos + i] = static_cast<std::byte>(u >> (24 - 8 * i));
}

}  // namespace cqlpp::protocol
