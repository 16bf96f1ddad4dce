#include "cqlpp/protocol/query_parameters.hpp"

#include <algorithm>
#include <limits>

namespace cqlpp::protocol {

bool same_value(const value_view& a, const value_view& b) noexcept {
  if (a.st != b.st) return false;
  if (a.st != value_view::state::set) return true;
  return std::equal(a.bytes.begin(), a.bytes.end(), b.bytes.begin(), b.bytes.end());
}

bool same_values(const std::vector<value_view>& a, const std::vector<value_view>& b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_value);
}

bool operator==(const query_parameters& a, const query_parameters& b) {
  if (a.values.has_value() != b.values.has_value()) return false;
  if (a.values && !same_values(*a.values, *b.values)) return false;
  return a.cl == b.cl && a.names == b.names && a.skip_metadata == b.skip_metadata &&
         a.page_size == b.page_size && a.paging_state == b.paging_state &&
         a.serial_consistency == b.serial_consistency &&
         a.default_timestamp == b.default_timestamp && a.keyspace == b.keyspace &&
         a.now_in_seconds == b.now_in_seconds;
}

std::vector<std::byte> read_non_null_bytes(reader& r, const char* field) {
  const auto v = r.bytes(field);
  if (r.ok() && v.is_null()) r.fail(errc::invalid_value, field);
  return {v.bytes.begin(), v.bytes.end()};
}

void decode_values(reader& r, bool named, std::vector<value_view>& values,
                   std::vector<std::string>& names) {
  const std::uint16_t n = r.u16("value count");
  // Every [value] is at least its 4-byte length; a name adds a 2-byte length.
  if (!r.check_count(n, named ? 6 : 4, "value count")) return;
  values.reserve(n);
  if (named) names.reserve(n);
  for (std::uint16_t i = 0; i < n && r.ok(); ++i) {
    if (named) names.emplace_back(r.string("value name"));
    values.push_back(r.value("value"));
  }
}

void encode_values(writer& w, const std::vector<value_view>& values,
                   const std::vector<std::string>& names) {
  if (values.size() > std::numeric_limits<std::uint16_t>::max()) return w.fail(errc::too_large);
  if (!names.empty() && names.size() != values.size()) return w.fail(errc::invalid_value);
  w.u16(static_cast<std::uint16_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!names.empty()) w.string(names[i]);
    w.value(values[i]);
  }
}

query_parameters decode_query_parameters(reader& r, protocol_version v) {
  query_parameters p;
  const bool v5 = v >= protocol_version::v5;
  p.cl = r.read_consistency("consistency");
  const std::uint32_t flags = v5 ? r.u32("query flags") : r.u8("query flags");
  const std::uint32_t known = v5 ? 0x1FF : 0x7F;
  if (r.ok() && (flags & ~known) != 0) r.fail(errc::invalid_value, "query flags");
  if (!r.ok()) return p;
  if (flags & query_flags::values) {
    p.values.emplace();
    decode_values(r, (flags & query_flags::names_for_values) != 0, *p.values, p.names);
  }
  p.skip_metadata = (flags & query_flags::skip_metadata) != 0;
  if (flags & query_flags::page_size) p.page_size = r.i32("result page size");
  if (flags & query_flags::paging_state) p.paging_state = read_non_null_bytes(r, "paging state");
  if (flags & query_flags::serial_consistency)
    p.serial_consistency = r.read_consistency("serial consistency");
  if (flags & query_flags::default_timestamp) p.default_timestamp = r.i64("timestamp");
  if (flags & query_flags::keyspace) p.keyspace = std::string(r.string("keyspace"));
  if (flags & query_flags::now_in_seconds) p.now_in_seconds = r.i32("now in seconds");
  return p;
}

namespace {
std::uint32_t flags_of(const query_parameters& p, bool with_values, bool named) {
  std::uint32_t flags = 0;
  if (with_values) flags |= query_flags::values;
  if (with_values && named) flags |= query_flags::names_for_values;
  if (p.skip_metadata) flags |= query_flags::skip_metadata;
  if (p.page_size) flags |= query_flags::page_size;
  if (p.paging_state) flags |= query_flags::paging_state;
  if (p.serial_consistency) flags |= query_flags::serial_consistency;
  if (p.default_timestamp) flags |= query_flags::default_timestamp;
  if (p.keyspace) flags |= query_flags::keyspace;
  if (p.now_in_seconds) flags |= query_flags::now_in_seconds;
  return flags;
}

void write_head(writer& w, const query_parameters& p, protocol_version v, std::uint32_t flags) {
  const bool v5 = v >= protocol_version::v5;
  if (!v5 && (p.keyspace || p.now_in_seconds)) return w.fail(errc::not_in_version);
  w.write_consistency(p.cl);
  if (v5) {
    w.u32(flags);
  } else {
    w.u8(static_cast<std::uint8_t>(flags));
  }
}
}  // namespace

void encode_head(writer& w, const query_parameters& p, protocol_version v, bool with_values) {
  write_head(w, p, v, flags_of(p, with_values, false));
}

void encode_tail(writer& w, const query_parameters& p, protocol_version) {
  if (p.page_size) w.i32(*p.page_size);
  if (p.paging_state) w.bytes(*p.paging_state);
  if (p.serial_consistency) w.write_consistency(*p.serial_consistency);
  if (p.default_timestamp) w.i64(*p.default_timestamp);
  if (p.keyspace) w.string(*p.keyspace);
  if (p.now_in_seconds) w.i32(*p.now_in_seconds);
}

void encode(writer& w, const query_parameters& p, protocol_version v) {
  const bool v5 = v >= protocol_version::v5;
  if (!v5 && (p.keyspace || p.now_in_seconds)) return w.fail(errc::not_in_version);
  write_head(w, p, v, flags_of(p, p.values.has_value(), !p.names.empty()));
  if (p.values) encode_values(w, *p.values, p.names);
  encode_tail(w, p, v);
}

}  // namespace cqlpp::protocol
