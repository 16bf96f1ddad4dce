// Structure-aware generation (see generate.hpp).
#include "cqlpp/protocol/generate.hpp"

#include <array>
#include <bit>
#include <utility>

namespace cqlpp::protocol {

std::string byte_source::text(std::size_t max_len) {
  std::string s(below(max_len + 1), ' ');
  for (auto& c : s) c = static_cast<char>(' ' + u8() % 95);  // printable ASCII: valid ascii and UTF-8
  return s;
}

std::vector<std::byte> byte_source::bytes(std::size_t max_len) {
  std::vector<std::byte> b(below(max_len + 1));
  for (auto& x : b) x = static_cast<std::byte>(u8());
  return b;
}

namespace {

constexpr std::array native_kinds{
    type_kind::ascii,   type_kind::bigint,   type_kind::blob,     type_kind::boolean, type_kind::counter,
    type_kind::decimal, type_kind::double_,  type_kind::float_,   type_kind::int_,    type_kind::timestamp,
    type_kind::uuid,    type_kind::varchar,  type_kind::varint,   type_kind::timeuuid, type_kind::inet,
    type_kind::date,    type_kind::time,     type_kind::smallint, type_kind::tinyint, type_kind::duration};

// Element types of a vector: fixed-size ones and a few variable-size ones.
constexpr std::array vector_kinds{type_kind::float_, type_kind::double_, type_kind::int_, type_kind::bigint,
                                  type_kind::uuid,   type_kind::varchar, type_kind::boolean};

constexpr std::array consistencies{consistency::any,          consistency::one,         consistency::two,
                                   consistency::three,        consistency::quorum,      consistency::all,
                                   consistency::local_quorum, consistency::each_quorum, consistency::serial,
                                   consistency::local_serial, consistency::local_one};

template <class T, std::size_t N>
T pick(byte_source& src, const std::array<T, N>& from) {
  return from[src.below(N)];
}

type_spec type_at(byte_source& src, const generate_limits& lim, int depth) {
  // Composite kinds only while depth remains: the leaves are native.
  const std::size_t choice = src.below(depth > 0 ? 28 : native_kinds.size());
  if (choice < native_kinds.size()) return type_spec::simple(native_kinds[choice]);
  const std::size_t n = 1 + src.below(lim.max_elements);
  switch (choice - native_kinds.size()) {
    case 0: return type_spec::list_of(type_at(src, lim, depth - 1));
    case 1: return type_spec::set_of(type_at(src, lim, depth - 1));
    case 2: {
      auto k = type_at(src, lim, depth - 1);
      return type_spec::map_of(std::move(k), type_at(src, lim, depth - 1));
    }
    case 3: {
      std::vector<type_spec> elems;
      for (std::size_t i = 0; i < n; ++i) elems.push_back(type_at(src, lim, depth - 1));
      return type_spec::tuple_of(std::move(elems));
    }
    case 4: {
      type_spec t;
      t.kind = type_kind::udt;
      t.udt_keyspace = "ks";
      t.udt_name = "t" + std::to_string(src.below(100));
      for (std::size_t i = 0; i < n; ++i) {
        t.field_names.push_back("f" + std::to_string(i));
        t.params.push_back(type_at(src, lim, depth - 1));
      }
      return t;
    }
    case 5:
      return type_spec::vector_of(type_spec::simple(pick(src, vector_kinds)),
                                  static_cast<std::uint32_t>(n));
    case 6: {
      type_spec t = type_spec::simple(type_kind::custom);
      t.custom_class = "org.example.Type" + std::to_string(src.below(10));
      return t;
    }
    default: return type_spec::simple(type_kind::blob);
  }
}

cql_value value_at(byte_source& src, const type_spec& t, const generate_limits& lim, bool null_allowed) {
  if (null_allowed && src.below(8) == 0) return null_value{};
  switch (t.kind) {
    case type_kind::ascii:
    case type_kind::varchar: return src.text(lim.max_text);
    case type_kind::blob:
    case type_kind::custom: return src.bytes(lim.max_text);
    case type_kind::boolean: return src.boolean();
    case type_kind::tinyint: return static_cast<std::int8_t>(src.u8());
    case type_kind::smallint: return static_cast<std::int16_t>(src.u16());
    case type_kind::int_: return static_cast<std::int32_t>(src.u32());
    case type_kind::bigint:
    case type_kind::counter: return static_cast<std::int64_t>(src.u64());
    case type_kind::float_: return std::bit_cast<float>(src.u32());
    case type_kind::double_: return std::bit_cast<double>(src.u64());
    case type_kind::varint: return varint::from_int64(static_cast<std::int64_t>(src.u64()));
    case type_kind::decimal:
      return decimal{varint::from_int64(static_cast<std::int64_t>(src.u64())), static_cast<std::int32_t>(src.u32())};
    case type_kind::duration: {
      // One sign for all three parts (v5 §6.21).
      const bool neg = src.boolean();
      const auto m = static_cast<std::int32_t>(src.u32() & 0x7FFFFFFF), d = static_cast<std::int32_t>(src.u32() & 0x7FFFFFFF);
      const auto ns = static_cast<std::int64_t>(src.u64() & 0x7FFFFFFFFFFFFFFF);
      return neg ? duration{-m, -d, -ns} : duration{m, d, ns};
    }
    case type_kind::uuid:
    case type_kind::timeuuid: {
      uuid u;
      for (auto& b : u.bytes) b = src.u8();
      if (t.kind == type_kind::timeuuid) u.bytes[6] = static_cast<std::uint8_t>(0x10 | (u.bytes[6] & 0x0F));
      return u;
    }
    case type_kind::inet: {
      inet_address a;
      a.size = src.boolean() ? 16 : 4;
      for (std::size_t i = 0; i < a.size; ++i) a.bytes[i] = src.u8();
      return a;
    }
    case type_kind::date: return date_value{src.u32()};
    case type_kind::time: return time_value{static_cast<std::int64_t>(src.u64() % time_value::nanos_per_day)};
    case type_kind::timestamp: return timestamp_value{static_cast<std::int64_t>(src.u64())};
    case type_kind::list:
    case type_kind::set: {
      cql_list l;
      const std::size_t n = src.below(lim.max_elements + 1);
      for (std::size_t i = 0; i < n; ++i) l.items.push_back(value_at(src, t.params[0], lim, true));
      return l;
    }
    case type_kind::map: {
      cql_map m;
      const std::size_t n = src.below(lim.max_elements + 1);
      for (std::size_t i = 0; i < n; ++i) {
        auto k = value_at(src, t.params[0], lim, true);
        m.entries.emplace_back(std::move(k), value_at(src, t.params[1], lim, true));
      }
      return m;
    }
    case type_kind::tuple:
    case type_kind::udt: {
      cql_tuple tu;
      for (const auto& p : t.params) tu.fields.push_back(value_at(src, p, lim, true));
      return tu;
    }
    case type_kind::vector: {
      cql_list l;
      for (std::uint32_t i = 0; i < t.dimension; ++i) l.items.push_back(value_at(src, t.params[0], lim, false));
      return l;
    }
  }
  return null_value{};
}

// Bound values of generated types, encoded into `out.storage`.
std::vector<value_view> bound_values(byte_source& src, generated_request& out, const generate_limits& lim,
                                     std::size_t n) {
  std::vector<value_view> views;
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = type_at(src, lim, lim.max_depth);
    const auto v = value_at(src, t, lim, true);
    if (v.is_null()) {
      views.push_back(value_view::null_value());
      continue;
    }
    if (src.below(16) == 0) {
      views.push_back(value_view::unset_value());
      continue;
    }
    auto& buf = out.storage.emplace_back();
    writer w(buf);
    (void)encode_value_bytes(w, v, t);  // a generated value always fits its type
    views.push_back(value_view::of(buf));
  }
  return views;
}

std::optional<std::string> maybe_keyspace(byte_source& src, protocol_version v) {
  if (v < protocol_version::v5 || !src.boolean()) return std::nullopt;
  return "ks" + std::to_string(src.below(10));
}

std::optional<std::int32_t> maybe_now(byte_source& src, protocol_version v) {
  if (v < protocol_version::v5 || !src.boolean()) return std::nullopt;
  return static_cast<std::int32_t>(src.u32());
}

std::vector<std::string> marker_names(byte_source& src, std::size_t n) {
  std::vector<std::string> names;
  if (n == 0 || !src.boolean()) return names;
  for (std::size_t i = 0; i < n; ++i) names.push_back("v" + std::to_string(i));
  return names;
}

query_parameters params(byte_source& src, generated_request& out, protocol_version v, const generate_limits& lim) {
  query_parameters p;
  p.cl = pick(src, consistencies);
  if (src.boolean()) {
    const std::size_t n = src.below(lim.max_elements + 1);
    p.values = bound_values(src, out, lim, n);
    p.names = marker_names(src, n);
  }
  p.skip_metadata = src.boolean();
  if (src.boolean()) p.page_size = static_cast<std::int32_t>(src.u32() & 0x7FFFFFFF);
  if (src.boolean()) p.paging_state = src.bytes(lim.max_text);
  if (src.boolean()) p.serial_consistency = src.boolean() ? consistency::serial : consistency::local_serial;
  if (src.boolean()) p.default_timestamp = static_cast<std::int64_t>(src.u64());
  p.keyspace = maybe_keyspace(src, v);
  p.now_in_seconds = maybe_now(src, v);
  return p;
}

std::vector<std::byte> prepared_id(byte_source& src) {
  auto id = src.bytes(16);
  if (id.empty()) id.push_back(std::byte{0});
  return id;
}

}  // namespace

type_spec generate_type(byte_source& src, const generate_limits& lim) { return type_at(src, lim, lim.max_depth); }

cql_value generate_value(byte_source& src, const type_spec& t, const generate_limits& lim) {
  return value_at(src, t, lim, true);
}

generated_request generate_request(byte_source& src, protocol_version v, const generate_limits& lim) {
  generated_request out;
  switch (src.below(8)) {
    case 0: {
      startup_request s;
      s.options["CQL_VERSION"] = "3.0.0";
      const std::size_t n = src.below(lim.max_elements + 1);
      for (std::size_t i = 0; i < n; ++i) s.options.push_back("OPT_" + std::to_string(src.below(100)), src.text(lim.max_text));
      out.message = std::move(s);
      break;
    }
    case 1: out.message = options_request{}; break;
    case 2: {
      auth_response_request a;
      if (src.below(4) != 0) a.token = src.bytes(lim.max_text);
      out.message = std::move(a);
      break;
    }
    case 3: {
      static constexpr std::array<const char*, 3> events{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
      register_request r;
      const std::size_t n = 1 + src.below(3);
      for (std::size_t i = 0; i < n; ++i) r.event_types.emplace_back(events[src.below(3)]);
      out.message = std::move(r);
      break;
    }
    case 4: {
      query_request q;
      q.query = "SELECT " + src.text(lim.max_text);
      q.params = params(src, out, v, lim);
      out.message = std::move(q);
      break;
    }
    case 5: {
      prepare_request p;
      p.query = "INSERT " + src.text(lim.max_text);
      p.keyspace = maybe_keyspace(src, v);
      out.message = std::move(p);
      break;
    }
    case 6: {
      execute_request e;
      e.id = prepared_id(src);
      if (v >= protocol_version::v5) e.result_metadata_id = prepared_id(src);
      e.params = params(src, out, v, lim);
      out.message = std::move(e);
      break;
    }
    default: {
      batch_request b;
      b.type = static_cast<batch_type>(src.below(3));
      b.cl = pick(src, consistencies);
      const std::size_t n = src.below(lim.max_elements + 1);
      for (std::size_t i = 0; i < n; ++i) {
        batch_statement st;
        st.prepared = src.boolean();
        if (st.prepared) st.id = prepared_id(src);
        else st.query = "UPDATE " + src.text(lim.max_text);
        st.values = bound_values(src, out, lim, src.below(lim.max_elements + 1));
        b.statements.push_back(std::move(st));
      }
      if (src.boolean()) b.serial_consistency = src.boolean() ? consistency::serial : consistency::local_serial;
      if (src.boolean()) b.default_timestamp = static_cast<std::int64_t>(src.u64());
      b.keyspace = maybe_keyspace(src, v);
      b.now_in_seconds = maybe_now(src, v);
      out.message = std::move(b);
      break;
    }
  }
  return out;
}

}  // namespace cqlpp::protocol
