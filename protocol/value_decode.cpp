// decode_value: v4 §6 / v5 §6 serialization formats -> cql_value.
#include <bit>
#include <cstring>
#include <optional>

#include "cqlpp/protocol/detail/utf8.hpp"
#include "cqlpp/protocol/detail/value_layout.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

namespace {

// Decodes the bytes of one non-null value. `r` spans exactly the value's
// bytes (its base gives offsets relative to the outermost cell).
class value_decoder {
 public:
  // The value occupying all of `r`.
  cql_value decode(reader& r, const type_spec& t, int depth) {
    if (depth <= 0) {
      r.fail(errc::nesting_too_deep, "value");
      return {};
    }
    if (r.at_end() && !detail::empty_is_value(t.kind)) return empty_value{};
    cql_value v = decode_non_empty(r, t, depth);
    r.expect_end(field_name(t));
    return v;
  }

 private:
  static const char* field_name(const type_spec& t) {
    switch (t.kind) {
      case type_kind::list: return "list";
      case type_kind::set: return "set";
      case type_kind::map: return "map";
      case type_kind::tuple: return "tuple";
      case type_kind::udt: return "udt";
      case type_kind::vector: return "vector";
      default: return "value";
    }
  }

  template <class T>
  static T fixed(reader& r, std::size_t n, const char* field) {
    if (r.remaining() != n) {
      r.fail(errc::invalid_length, field);
      return T{};
    }
    if constexpr (sizeof(T) == 1) return static_cast<T>(r.u8(field));
    if constexpr (sizeof(T) == 2) return static_cast<T>(r.u16(field));
    if constexpr (sizeof(T) == 4) return std::bit_cast<T>(r.u32(field));
    if constexpr (sizeof(T) == 8) return std::bit_cast<T>(r.i64(field));
  }

  static std::string text(reader& r, bool ascii) {
    const bytes_view b = r.raw(r.remaining(), "text");
    std::string s(reinterpret_cast<const char*>(b.data()), b.size());
    const bool valid = ascii ? detail::is_ascii(s) : detail::is_valid_utf8(s);
    if (!valid) r.fail(errc::invalid_value, ascii ? "ascii" : "text");
    return s;
  }

  cql_value decode_non_empty(reader& r, const type_spec& t, int depth) {
    switch (t.kind) {
      case type_kind::custom:
      case type_kind::blob: {
        const bytes_view b = r.raw(r.remaining(), "blob");
        return blob(b.begin(), b.end());
      }
      case type_kind::ascii: return text(r, true);
      case type_kind::varchar: return text(r, false);
      case type_kind::boolean: return fixed<std::uint8_t>(r, 1, "boolean") != 0;
      case type_kind::tinyint: return fixed<std::int8_t>(r, 1, "tinyint");
      case type_kind::smallint: return fixed<std::int16_t>(r, 2, "smallint");
      case type_kind::int_: return fixed<std::int32_t>(r, 4, "int");
      case type_kind::bigint:
      case type_kind::counter: return fixed<std::int64_t>(r, 8, "bigint");
      case type_kind::float_: return fixed<float>(r, 4, "float");
      case type_kind::double_: return fixed<double>(r, 8, "double");
      case type_kind::timestamp: return timestamp_value{fixed<std::int64_t>(r, 8, "timestamp")};
      case type_kind::date: return date_value{fixed<std::uint32_t>(r, 4, "date")};
      case type_kind::time: {
        const auto ns = fixed<std::int64_t>(r, 8, "time");
        if (ns < 0 || ns >= time_value::nanos_per_day) r.fail(errc::invalid_value, "time");
        return time_value{ns};
      }
      case type_kind::uuid:
      case type_kind::timeuuid: {
        uuid u;
        if (r.remaining() != 16) r.fail(errc::invalid_length, "uuid");
        const bytes_view b = r.raw(16, "uuid");
        if (!b.empty()) std::memcpy(u.bytes.data(), b.data(), 16);
        // A timeuuid is a version-1 UUID (Cassandra's TimeUUIDType rejects others).
        if (r.ok() && t.kind == type_kind::timeuuid && !is_time_uuid(u))
          r.fail(errc::invalid_value, "timeuuid: not a version 1 UUID");
        return u;
      }
      case type_kind::inet: {
        // v4 §6.10: 4 or 16 address bytes, no size byte.
        inet_address a;
        const std::size_t n = r.remaining();
        if (n != 4 && n != 16) r.fail(errc::invalid_length, "inet");
        const bytes_view b = r.raw(n, "inet");
        if (r.ok()) std::memcpy(a.bytes.data(), b.data(), n);
        a.size = static_cast<std::uint8_t>(n);
        return a;
      }
      case type_kind::varint: return varint::from_bytes(r.raw(r.remaining(), "varint"));
      case type_kind::decimal: {
        // v4 §6.7: [int] scale then a non-empty varint.
        decimal d;
        d.scale = r.i32("decimal scale");
        if (r.ok() && r.at_end()) r.fail(errc::truncated, "decimal unscaled");
        d.unscaled = varint::from_bytes(r.raw(r.remaining(), "decimal unscaled"));
        return d;
      }
      case type_kind::duration: {
        duration d;
        const std::int64_t m = r.vint("duration months");
        const std::int64_t days = r.vint("duration days");
        d.nanoseconds = r.vint("duration nanoseconds");
        if (m < INT32_MIN || m > INT32_MAX) r.fail(errc::invalid_value, "duration months");
        if (days < INT32_MIN || days > INT32_MAX) r.fail(errc::invalid_value, "duration days");
        d.months = static_cast<std::int32_t>(m);
        d.days = static_cast<std::int32_t>(days);
        // v5 §6.18 / Cassandra's DurationSerializer: one sign for all three.
        if (r.ok() && !same_sign(d)) r.fail(errc::invalid_value, "duration: months, days and nanoseconds of mixed signs");
        return d;
      }
      case type_kind::list:
      case type_kind::set: return sequence(r, t, depth);
      case type_kind::map: return map(r, t, depth);
      case type_kind::tuple:
      case type_kind::udt: return tuple(r, t, depth);
      case type_kind::vector: return vector(r, t, depth);
    }
    r.fail(errc::invalid_value, "type");
    return {};
  }

  // One [bytes] element of a collection, tuple or UDT; negative length = null.
  cql_value element(reader& r, const type_spec& t, int depth, const char* field) {
    const std::int32_t n = r.i32(field);
    if (!r.ok() || n < 0) return null_value{};
    const std::size_t start = r.offset();
    const bytes_view b = r.raw(static_cast<std::size_t>(n), field);
    if (!r.ok()) return {};
    reader sub(b, start);
    cql_value v = decode(sub, t, depth);
    if (!sub.ok()) fail_from(r, sub);
    return v;
  }

  // Decoding stops at the first error, so the first nested failure is the
  // innermost one: keep it, it names the precise offset and field.
  void fail_from(reader& r, const reader& sub) {
    if (!inner_) inner_ = sub.error();
    r.fail(errc::invalid_value, "element");
  }

  // v4 §6.4 list / §6.11 set: [int] n, then n [bytes].
  cql_value sequence(reader& r, const type_spec& t, int depth) {
    cql_list out;
    if (t.params.size() != 1) { r.fail(errc::invalid_value, "type"); return {}; }
    const std::int32_t n = r.i32("collection count");
    if (!r.check_count(n, 4, "collection count")) return {};
    out.items.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n && r.ok(); ++i)
      out.items.push_back(element(r, t.params[0], depth - 1, "collection element"));
    return out;
  }

  // v4 §6.5 map: [int] n, then n pairs of [bytes] key, [bytes] value.
  cql_value map(reader& r, const type_spec& t, int depth) {
    cql_map out;
    if (t.params.size() != 2) { r.fail(errc::invalid_value, "type"); return {}; }
    const std::int32_t n = r.i32("map count");
    if (!r.check_count(n, 8, "map count")) return {};
    out.entries.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n && r.ok(); ++i) {
      cql_value k = element(r, t.params[0], depth - 1, "map key");
      cql_value v = element(r, t.params[1], depth - 1, "map value");
      out.entries.emplace_back(std::move(k), std::move(v));
    }
    return out;
  }

  // v4 §6.17 tuple / §6.16 UDT: [bytes] per field; trailing fields may be
  // missing (a UDT that gained fields after the value was written).
  cql_value tuple(reader& r, const type_spec& t, int depth) {
    cql_tuple out;
    for (const auto& ft : t.params) {
      if (r.at_end() || !r.ok()) break;
      out.fields.push_back(element(r, ft, depth - 1, "field"));
    }
    return out;
  }

  // Cassandra 5.0 VectorType: exactly `dimension` elements, packed when the
  // element size is fixed, else each prefixed by an [unsigned vint] length.
  // Elements may be neither null nor empty.
  cql_value vector(reader& r, const type_spec& t, int depth) {
    cql_list out;
    if (t.params.size() != 1) { r.fail(errc::invalid_value, "type"); return {}; }
    const type_spec& et = t.params[0];
    const auto fixed_size = detail::fixed_value_size(et);
    if (fixed_size) {
      if (*fixed_size == 0 || r.remaining() != *fixed_size * t.dimension) {
        r.fail(errc::invalid_length, "vector");
        return {};
      }
    } else if (!r.check_count(t.dimension, 1, "vector dimension")) {
      return {};
    }
    out.items.reserve(t.dimension);
    for (std::uint32_t i = 0; i < t.dimension && r.ok(); ++i) {
      std::uint64_t n = fixed_size ? *fixed_size : r.uvint("vector element length");
      if (!r.ok()) break;
      if (n > r.remaining()) { r.fail(errc::truncated, "vector element"); break; }
      if (n == 0 && !detail::empty_is_value(et.kind)) { r.fail(errc::invalid_value, "vector element"); break; }
      const std::size_t start = r.offset();
      reader sub(r.raw(static_cast<std::size_t>(n), "vector element"), start);
      out.items.push_back(decode(sub, et, depth - 1));
      if (!sub.ok()) fail_from(r, sub);
    }
    return out;
  }

 public:
  std::optional<decode_error> inner_;
};

}  // namespace

result<cql_value> decode_value(value_view cell, const type_spec& t, int max_depth) {
  if (cell.is_null()) return cql_value{null_value{}};
  if (cell.is_unset()) return cql_value{unset_value{}};
  value_decoder d;
  reader r(cell.bytes);
  cql_value v = d.decode(r, t, max_depth);
  if (!r.ok()) return d.inner_ ? *d.inner_ : r.error();
  return v;
}

}  // namespace cqlpp::protocol
