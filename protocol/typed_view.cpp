#include "cqlpp/protocol/typed_view.hpp"

#include <bit>
#include <cstring>

#include "cqlpp/protocol/detail/utf8.hpp"
#include "cqlpp/protocol/detail/value_layout.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

namespace {

decode_error error_at(errc e, std::size_t offset, const char* field) {
  return decode_error{make_error_code(e), offset, field};
}

bool kind_in(type_kind k, std::initializer_list<type_kind> ks) {
  for (auto x : ks)
    if (x == k) return true;
  return false;
}

// Big-endian unsigned integer of exactly `n` bytes, after the type and size checks.
template <class T>
result<T> fixed(bytes_view cell, const type_spec& t, std::initializer_list<type_kind> kinds, const char* field) {
  if (!kind_in(t.kind, kinds)) return error_at(errc::type_mismatch, 0, field);
  if (cell.size() != sizeof(T)) return error_at(errc::invalid_length, 0, field);
  using U = std::conditional_t<sizeof(T) == 1, std::uint8_t,
            std::conditional_t<sizeof(T) == 2, std::uint16_t,
            std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  U u = 0;
  for (std::byte b : cell) u = static_cast<U>((u << 8) | std::to_integer<U>(b));
  return std::bit_cast<T>(u);
}

// Walks `count` elements (or, when `up_to_end`, as many as are present, at
// most `count`) and checks every length. Returns the number found.
result<std::size_t> validate(bytes_view body, std::size_t base, std::size_t count, element_framing f,
                             std::size_t fixed_size, bool up_to_end, bool nulls_allowed) {
  reader r(body, base);
  std::size_t n = 0;
  for (; n < count; ++n) {
    if (up_to_end && r.at_end()) break;
    switch (f) {
      case element_framing::int32_length: {
        const std::int32_t len = r.i32("element length");
        if (r.ok() && len < 0 && !nulls_allowed) r.fail(errc::invalid_value, "element");
        if (len > 0) r.skip(static_cast<std::size_t>(len), "element");
        break;
      }
      case element_framing::uvint_length: {
        const std::uint64_t len = r.uvint("vector element length");
        if (r.ok() && len > r.remaining()) r.fail(errc::truncated, "vector element");
        r.skip(static_cast<std::size_t>(len), "vector element");
        break;
      }
      case element_framing::fixed_size: r.skip(fixed_size, "vector element"); break;
    }
    if (!r.ok()) return r.error();
  }
  r.expect_end("composite value");
  if (!r.ok()) return r.error();
  return n;
}

}  // namespace

void element_iterator::load() {
  if (left_ == 0) return;
  // The view validated every length, so these reads stay in bounds.
  switch (framing_) {
    case element_framing::int32_length: {
      std::uint32_t u = 0;
      for (int i = 0; i < 4; ++i) u = (u << 8) | std::to_integer<std::uint32_t>(rest_[static_cast<std::size_t>(i)]);
      const auto len = static_cast<std::int32_t>(u);
      rest_ = rest_.subspan(4);
      if (len < 0) { cur_ = value_view::null_value(); return; }
      cur_ = value_view::of(rest_.first(static_cast<std::size_t>(len)));
      rest_ = rest_.subspan(static_cast<std::size_t>(len));
      return;
    }
    case element_framing::uvint_length: {
      std::uint64_t len = 0;
      const std::size_t used = decode_uvint(rest_, len);
      rest_ = rest_.subspan(used);
      cur_ = value_view::of(rest_.first(static_cast<std::size_t>(len)));
      rest_ = rest_.subspan(static_cast<std::size_t>(len));
      return;
    }
    case element_framing::fixed_size:
      cur_ = value_view::of(rest_.first(fixed_));
      rest_ = rest_.subspan(fixed_);
      return;
  }
}

template <> result<std::int8_t> decode_as(bytes_view c, const type_spec& t) { return fixed<std::int8_t>(c, t, {type_kind::tinyint}, "tinyint"); }
template <> result<std::int16_t> decode_as(bytes_view c, const type_spec& t) { return fixed<std::int16_t>(c, t, {type_kind::smallint}, "smallint"); }
template <> result<std::int32_t> decode_as(bytes_view c, const type_spec& t) { return fixed<std::int32_t>(c, t, {type_kind::int_}, "int"); }
template <> result<std::uint32_t> decode_as(bytes_view c, const type_spec& t) { return fixed<std::uint32_t>(c, t, {type_kind::date}, "date"); }
template <> result<float> decode_as(bytes_view c, const type_spec& t) { return fixed<float>(c, t, {type_kind::float_}, "float"); }
template <> result<double> decode_as(bytes_view c, const type_spec& t) { return fixed<double>(c, t, {type_kind::double_}, "double"); }

template <>
result<std::int64_t> decode_as(bytes_view c, const type_spec& t) {
  auto r = fixed<std::int64_t>(c, t, {type_kind::bigint, type_kind::counter, type_kind::timestamp, type_kind::time}, "bigint");
  if (r && t.kind == type_kind::time && (*r < 0 || *r >= 86'400'000'000'000)) return error_at(errc::invalid_value, 0, "time");
  return r;
}

namespace {

// The owning types: decoded as decode_value does (one set of rules), after
// the type check, and taken out of the cql_value.
template <class T>
result<T> owned(bytes_view c, const type_spec& t, type_kind kind, const char* field) {
  if (t.kind != kind) return error_at(errc::type_mismatch, 0, field);
  if (c.empty()) return error_at(errc::invalid_length, 0, field);  // decode_optional: an empty cell is null
  auto v = decode_value(value_view{value_view::state::set, c}, t);
  if (!v) return v.error();
  const T* x = v->get_if<T>();
  if (x == nullptr) return error_at(errc::invalid_value, 0, field);
  return *x;
}

}  // namespace

template <> result<varint> decode_as(bytes_view c, const type_spec& t) { return owned<varint>(c, t, type_kind::varint, "varint"); }
template <> result<decimal> decode_as(bytes_view c, const type_spec& t) { return owned<decimal>(c, t, type_kind::decimal, "decimal"); }
template <> result<duration> decode_as(bytes_view c, const type_spec& t) { return owned<duration>(c, t, type_kind::duration, "duration"); }
template <> result<date_value> decode_as(bytes_view c, const type_spec& t) { return owned<date_value>(c, t, type_kind::date, "date"); }
template <> result<time_value> decode_as(bytes_view c, const type_spec& t) { return owned<time_value>(c, t, type_kind::time, "time"); }
template <> result<timestamp_value> decode_as(bytes_view c, const type_spec& t) { return owned<timestamp_value>(c, t, type_kind::timestamp, "timestamp"); }

template <>
result<bool> decode_as(bytes_view c, const type_spec& t) {
  auto r = fixed<std::uint8_t>(c, t, {type_kind::boolean}, "boolean");
  if (!r) return r.error();
  return *r != 0;
}

template <>
result<std::string_view> decode_as(bytes_view c, const type_spec& t) {
  if (!kind_in(t.kind, {type_kind::ascii, type_kind::varchar, type_kind::blob, type_kind::custom}))
    return error_at(errc::type_mismatch, 0, "text");
  const std::string_view s(reinterpret_cast<const char*>(c.data()), c.size());
  if (t.kind == type_kind::ascii && !detail::is_ascii(s)) return error_at(errc::invalid_value, 0, "ascii");
  if (t.kind == type_kind::varchar && !detail::is_valid_utf8(s)) return error_at(errc::invalid_value, 0, "text");
  return s;
}

template <>
result<std::string> decode_as(bytes_view c, const type_spec& t) {
  auto r = decode_as<std::string_view>(c, t);
  if (!r) return r.error();
  return std::string(*r);
}

template <>
result<uuid> decode_as(bytes_view c, const type_spec& t) {
  if (!kind_in(t.kind, {type_kind::uuid, type_kind::timeuuid})) return error_at(errc::type_mismatch, 0, "uuid");
  if (c.size() != 16) return error_at(errc::invalid_length, 0, "uuid");
  uuid u;
  std::memcpy(u.bytes.data(), c.data(), 16);
  if (t.kind == type_kind::timeuuid && !is_time_uuid(u))
    return error_at(errc::invalid_value, 6, "timeuuid: not a version 1 UUID");
  return u;
}

template <>
result<inet_address> decode_as(bytes_view c, const type_spec& t) {
  if (t.kind != type_kind::inet) return error_at(errc::type_mismatch, 0, "inet");
  if (c.size() != 4 && c.size() != 16) return error_at(errc::invalid_length, 0, "inet");
  inet_address a;
  std::memcpy(a.bytes.data(), c.data(), c.size());
  a.size = static_cast<std::uint8_t>(c.size());
  return a;
}

result<collection_view> collection_view::make(bytes_view cell, const type_spec& t) {
  collection_view v;
  v.type_ = &t;
  const bool is_map = t.kind == type_kind::map;
  if (!kind_in(t.kind, {type_kind::list, type_kind::set, type_kind::map, type_kind::vector}) ||
      t.params.size() != (is_map ? 2u : 1u))
    return error_at(errc::type_mismatch, 0, "collection");
  if (t.kind == type_kind::vector) {
    // Cassandra 5.0 VectorType: no count prefix; `dimension` elements.
    v.body_ = cell;
    v.count_ = t.dimension;
    if (const auto fs = detail::fixed_value_size(t.params[0])) {
      if (*fs == 0 || cell.size() != *fs * t.dimension) return error_at(errc::invalid_length, 0, "vector");
      v.framing_ = element_framing::fixed_size;
      v.fixed_ = static_cast<std::size_t>(*fs);
      return v;
    }
    // Each element takes at least its one-byte length.
    if (t.dimension > cell.size()) return error_at(errc::truncated, 0, "vector dimension");
    v.framing_ = element_framing::uvint_length;
    auto n = validate(cell, 0, v.count_, v.framing_, 0, false, false);
    if (!n) return n.error();
    return v;
  }
  // v4 §6.4/§6.5/§6.11: [int] count, then [bytes] elements (map: key, value).
  reader r(cell);
  const std::int32_t count = r.i32("collection count");
  if (!r.check_count(count, is_map ? 8 : 4, "collection count")) return r.error();
  v.count_ = static_cast<std::size_t>(count);
  v.body_ = r.rest();
  auto n = validate(v.body_, 4, v.items(), element_framing::int32_length, 0, false, true);
  if (!n) return n.error();
  return v;
}

result<map_view> map_view::make(bytes_view cell, const type_spec& t) {
  if (t.kind != type_kind::map) return error_at(errc::type_mismatch, 0, "map");
  auto c = collection_view::make(cell, t);
  if (!c) return c.error();
  return map_view(*c, &t);
}

result<tuple_view> tuple_view::make(bytes_view cell, const type_spec& t) {
  if (t.kind != type_kind::tuple && t.kind != type_kind::udt) return error_at(errc::type_mismatch, 0, "tuple");
  tuple_view v;
  v.type_ = &t;
  v.body_ = cell;
  auto n = validate(cell, 0, t.params.size(), element_framing::int32_length, 0, true, true);
  if (!n) return n.error();
  v.count_ = *n;
  return v;
}

value_view tuple_view::at(std::size_t i) const {
  if (i >= count_) return value_view::null_value();
  auto it = begin();
  for (std::size_t k = 0; k < i; ++k) ++it;
  return *it;
}

}  // namespace cqlpp::protocol
