// encode_value: cql_value -> v4 §6 / v5 §6 serialization formats.
#include <bit>
#include <limits>
#include <optional>

#include "cqlpp/protocol/detail/utf8.hpp"
#include "cqlpp/protocol/detail/value_layout.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

namespace {

constexpr auto int32_max = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

// Any integer alternative (not bool) widened to int64.
std::optional<std::int64_t> as_int64(const cql_value& v) {
  if (auto* p = v.get_if<std::int8_t>()) return *p;
  if (auto* p = v.get_if<std::int16_t>()) return *p;
  if (auto* p = v.get_if<std::int32_t>()) return *p;
  if (auto* p = v.get_if<std::int64_t>()) return *p;
  return std::nullopt;
}

template <class T>
std::optional<T> as_int(const cql_value& v) {
  const auto x = as_int64(v);
  if (!x || *x < std::numeric_limits<T>::min() || *x > std::numeric_limits<T>::max()) return std::nullopt;
  return static_cast<T>(*x);
}

class value_encoder {
 public:
  explicit value_encoder(writer& w) : w_(w) {}

  // The serialized bytes of non-null `v` as type `t`.
  std::error_code bytes(const cql_value& v, const type_spec& t, int depth) {
    if (depth <= 0) return errc::nesting_too_deep;
    if (v.is_null() || v.is_unset()) return errc::type_mismatch;
    if (v.is_empty()) return {};  // 0 bytes, as it was read
    const auto ec = scalar_or_collection(v, t, depth);
    if (ec) return ec;
    return w_.error();
  }

  // A [bytes] element inside a collection, tuple or UDT: null is -1.
  std::error_code element(const cql_value& v, const type_spec& t, int depth) {
    if (v.is_null()) { w_.i32(-1); return {}; }
    return prefixed(v, t, depth);
  }

  // [int] length, then the bytes, patched once their size is known.
  std::error_code prefixed(const cql_value& v, const type_spec& t, int depth) {
    const std::size_t at = w_.reserve_i32();
    if (auto ec = bytes(v, t, depth)) return ec;
    const std::size_t n = w_.size() - at - 4;
    if (n > int32_max) return errc::too_large;
    w_.patch_i32(at, static_cast<std::int32_t>(n));
    return {};
  }

 private:
  template <class T>
  std::error_code put_int(const cql_value& v) {
    const auto x = as_int<T>(v);
    if (!x) return errc::type_mismatch;
    if constexpr (sizeof(T) == 1) w_.u8(static_cast<std::uint8_t>(*x));
    if constexpr (sizeof(T) == 2) w_.i16(*x);
    if constexpr (sizeof(T) == 4) w_.i32(*x);
    if constexpr (sizeof(T) == 8) w_.i64(*x);
    return {};
  }

  std::error_code put_text(const cql_value& v, bool ascii) {
    const auto* s = v.get_if<std::string>();
    if (!s) return errc::type_mismatch;
    // Cassandra rejects non-ASCII in ascii columns; say so before sending.
    if (ascii && !detail::is_ascii(*s)) return errc::type_mismatch;
    w_.raw(std::string_view(*s));
    return {};
  }

  std::error_code put_varint(const varint& x) {
    w_.raw(x.view());
    return {};
  }

  std::error_code scalar_or_collection(const cql_value& v, const type_spec& t, int depth) {
    switch (t.kind) {
      case type_kind::custom:
      case type_kind::blob: {
        const auto* b = v.get_if<blob>();
        if (!b) return errc::type_mismatch;
        w_.raw(bytes_view(*b));
        return {};
      }
      case type_kind::ascii: return put_text(v, true);
      case type_kind::varchar: return put_text(v, false);
      case type_kind::boolean: {
        const auto* b = v.get_if<bool>();
        if (!b) return errc::type_mismatch;
        w_.u8(*b ? 1 : 0);
        return {};
      }
      case type_kind::tinyint: return put_int<std::int8_t>(v);
      case type_kind::smallint: return put_int<std::int16_t>(v);
      case type_kind::int_: return put_int<std::int32_t>(v);
      case type_kind::bigint:
      case type_kind::counter: return put_int<std::int64_t>(v);
      case type_kind::float_: {
        const auto* f = v.get_if<float>();
        if (!f) return errc::type_mismatch;
        w_.u32(std::bit_cast<std::uint32_t>(*f));
        return {};
      }
      case type_kind::double_: {
        double d = 0;
        if (const auto* p = v.get_if<double>()) d = *p;
        else if (const auto* q = v.get_if<float>()) d = *q;
        else return errc::type_mismatch;
        w_.i64(std::bit_cast<std::int64_t>(d));
        return {};
      }
      case type_kind::timestamp: {
        if (const auto* p = v.get_if<timestamp_value>()) { w_.i64(p->milliseconds); return {}; }
        return put_int<std::int64_t>(v);
      }
      case type_kind::time: {
        std::int64_t ns = 0;
        if (const auto* p = v.get_if<time_value>()) ns = p->nanoseconds;
        else if (const auto* q = v.get_if<std::int64_t>()) ns = *q;
        else return errc::type_mismatch;
        if (ns < 0 || ns >= time_value::nanos_per_day) return errc::type_mismatch;
        w_.i64(ns);
        return {};
      }
      case type_kind::date: {
        const auto* p = v.get_if<date_value>();
        if (!p) return errc::type_mismatch;
        w_.u32(p->days);
        return {};
      }
      case type_kind::uuid:
      case type_kind::timeuuid: {
        const auto* p = v.get_if<uuid>();
        if (!p || (t.kind == type_kind::timeuuid && !is_time_uuid(*p))) return errc::type_mismatch;
        w_.write_uuid(*p);
        return {};
      }
      case type_kind::inet: {
        const auto* p = v.get_if<inet_address>();
        if (!p || (p->size != 4 && p->size != 16)) return errc::type_mismatch;
        w_.raw(bytes_view(reinterpret_cast<const std::byte*>(p->bytes.data()), p->size));
        return {};
      }
      case type_kind::varint: {
        if (const auto* p = v.get_if<varint>()) return put_varint(*p);
        const auto x = as_int64(v);
        if (!x) return errc::type_mismatch;
        return put_varint(varint::from_int64(*x));
      }
      case type_kind::decimal: {
        const auto* p = v.get_if<decimal>();
        if (!p) return errc::type_mismatch;
        w_.i32(p->scale);
        return put_varint(p->unscaled);
      }
      case type_kind::duration: {
        const auto* p = v.get_if<duration>();
        if (!p || !same_sign(*p)) return errc::type_mismatch;
        w_.vint(p->months);
        w_.vint(p->days);
        w_.vint(p->nanoseconds);
        return {};
      }
      case type_kind::list:
      case type_kind::set: return sequence(v, t, depth);
      case type_kind::map: return map(v, t, depth);
      case type_kind::tuple:
      case type_kind::udt: return tuple(v, t, depth);
      case type_kind::vector: return vector(v, t, depth);
    }
    return errc::type_mismatch;
  }

  std::error_code sequence(const cql_value& v, const type_spec& t, int depth) {
    const auto* l = v.get_if<cql_list>();
    if (!l || t.params.size() != 1) return errc::type_mismatch;
    if (l->items.size() > int32_max) return errc::too_large;
    w_.i32(static_cast<std::int32_t>(l->items.size()));
    for (const auto& e : l->items)
      if (auto ec = element(e, t.params[0], depth - 1)) return ec;
    return {};
  }

  std::error_code map(const cql_value& v, const type_spec& t, int depth) {
    const auto* m = v.get_if<cql_map>();
    if (!m || t.params.size() != 2) return errc::type_mismatch;
    if (m->entries.size() > int32_max) return errc::too_large;
    w_.i32(static_cast<std::int32_t>(m->entries.size()));
    for (const auto& [k, x] : m->entries) {
      if (auto ec = element(k, t.params[0], depth - 1)) return ec;
      if (auto ec = element(x, t.params[1], depth - 1)) return ec;
    }
    return {};
  }

  // Fields beyond those given are simply absent (v4 §6.16/§6.17 allow a
  // shorter value); a null field is written as -1.
  std::error_code tuple(const cql_value& v, const type_spec& t, int depth) {
    const auto* tu = v.get_if<cql_tuple>();
    if (!tu || tu->fields.size() > t.params.size()) return errc::type_mismatch;
    for (std::size_t i = 0; i < tu->fields.size(); ++i)
      if (auto ec = element(tu->fields[i], t.params[i], depth - 1)) return ec;
    return {};
  }

  std::error_code vector(const cql_value& v, const type_spec& t, int depth) {
    const auto* l = v.get_if<cql_list>();
    if (!l || t.params.size() != 1 || l->items.size() != t.dimension) return errc::type_mismatch;
    const type_spec& et = t.params[0];
    const bool fixed = detail::fixed_value_size(et).has_value();
    std::vector<std::byte> tmp;
    for (const auto& e : l->items) {
      if (e.is_empty()) return errc::type_mismatch;  // a vector element has no empty form
      if (fixed) {
        if (auto ec = bytes(e, et, depth - 1)) return ec;
        continue;
      }
      // Variable-size element: [unsigned vint] length, then the bytes. The
      // length comes first, so serialize the element aside.
      tmp.clear();
      writer sub(tmp);
      value_encoder inner(sub);
      if (auto ec = inner.bytes(e, et, depth - 1)) return ec;
      if (tmp.empty() && !detail::empty_is_value(et.kind)) return errc::type_mismatch;
      w_.uvint(tmp.size());
      w_.raw(bytes_view(tmp));
    }
    return {};
  }

  writer& w_;
};

}  // namespace

std::error_code encode_value(writer& w, const cql_value& v, const type_spec& t, int max_depth) {
  // The common cells, their length known up front: the same bytes as the
  // general path below, without reserving and patching the length.
  switch (t.kind) {
    case type_kind::int_:
      if (const auto* p = v.get_if<std::int32_t>()) { w.i32(4); w.i32(*p); return {}; }
      break;
    case type_kind::bigint:
    case type_kind::counter:
      if (const auto* p = v.get_if<std::int64_t>()) { w.i32(8); w.i64(*p); return {}; }
      break;
    case type_kind::double_:
      if (const auto* p = v.get_if<double>()) { w.i32(8); w.i64(std::bit_cast<std::int64_t>(*p)); return {}; }
      break;
    case type_kind::boolean:
      if (const auto* p = v.get_if<bool>()) { w.i32(1); w.u8(*p ? 1 : 0); return {}; }
      break;
    case type_kind::blob:
      if (const auto* p = v.get_if<blob>(); p && p->size() <= int32_max) {
        w.i32(static_cast<std::int32_t>(p->size()));
        w.raw(bytes_view(*p));
        return {};
      }
      break;
    case type_kind::varchar:
      if (const auto* p = v.get_if<std::string>(); p && p->size() <= int32_max) {
        w.i32(static_cast<std::int32_t>(p->size()));
        w.raw(std::string_view(*p));
        return {};
      }
      break;
    default:
      break;
  }
  if (v.is_null()) { w.i32(-1); return {}; }
  if (v.is_unset()) { w.i32(-2); return {}; }
  return value_encoder(w).prefixed(v, t, max_depth);
}

std::error_code encode_value_bytes(writer& w, const cql_value& v, const type_spec& t, int max_depth) {
  return value_encoder(w).bytes(v, t, max_depth);
}

}  // namespace cqlpp::protocol
