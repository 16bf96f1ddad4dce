#include "cqlpp/protocol/type_spec.hpp"

#include <cctype>
#include <string_view>

#include "cqlpp/protocol/marshal_name.hpp"

namespace cqlpp::protocol {

type_spec type_spec::list_of(type_spec e) {
  type_spec t;
  t.kind = type_kind::list;
  t.params.push_back(std::move(e));
  return t;
}
type_spec type_spec::set_of(type_spec e) {
  type_spec t = list_of(std::move(e));
  t.kind = type_kind::set;
  return t;
}
type_spec type_spec::map_of(type_spec k, type_spec v) {
  type_spec t;
  t.kind = type_kind::map;
  t.params.push_back(std::move(k));
  t.params.push_back(std::move(v));
  return t;
}
type_spec type_spec::tuple_of(std::vector<type_spec> elems) {
  type_spec t;
  t.kind = type_kind::tuple;
  t.params = std::move(elems);
  return t;
}
type_spec type_spec::vector_of(type_spec e, std::uint32_t dimension) {
  type_spec t = list_of(std::move(e));
  t.kind = type_kind::vector;
  t.dimension = dimension;
  return t;
}

namespace {

bool is_simple(std::uint16_t id) {
  return (id >= 0x0001 && id <= 0x0015 && id != 0x000A);
}

// Recursive worker; depth counts remaining levels.
bool decode_into(reader& r, type_spec& t, int depth) {
  if (depth <= 0) {
    r.fail(errc::nesting_too_deep, "type");
    return false;
  }
  const std::uint16_t id = r.u16("type id");
  if (!r.ok()) return false;
  if (id == 0x0000) {
    t.kind = type_kind::custom;
    t.custom_class = std::string(r.string("custom type class"));
    if (!r.ok()) return false;
    // Cassandra 5.0 sends vector<T, n> only as its marshal class name, and a
    // duration to a v4 client as DurationType: a class that names a native
    // type is that type (the name is kept, to re-encode the same bytes). An
    // unknown or unparsable name is still a valid, opaque custom type.
    auto parsed = parse_marshal_name(t.custom_class, depth);
    if (parsed && parsed->kind != type_kind::custom) {
      std::string original = std::move(t.custom_class);
      t = std::move(*parsed);
      t.custom_class = std::move(original);
    }
    return true;
  }
  if (is_simple(id)) {
    t.kind = static_cast<type_kind>(id);
    return true;
  }
  switch (id) {
    case 0x0020:
    case 0x0022:
      t.kind = static_cast<type_kind>(id);
      t.params.resize(1);
      return decode_into(r, t.params[0], depth - 1);
    case 0x0021:
      t.kind = type_kind::map;
      t.params.resize(2);
      return decode_into(r, t.params[0], depth - 1) && decode_into(r, t.params[1], depth - 1);
    case 0x0030: {
      t.kind = type_kind::udt;
      t.udt_keyspace = std::string(r.string("udt keyspace"));
      t.udt_name = std::string(r.string("udt name"));
      const std::uint16_t n = r.u16("udt field count");
      // Each field is at least a 2-byte name and a 2-byte type id.
      if (!r.check_count(n, 4, "udt field count")) return false;
      t.params.resize(n);
      t.field_names.resize(n);
      for (std::uint16_t i = 0; i < n; ++i) {
        t.field_names[i] = std::string(r.string("udt field name"));
        if (!decode_into(r, t.params[i], depth - 1)) return false;
      }
      return r.ok();
    }
    case 0x0031: {
      t.kind = type_kind::tuple;
      const std::uint16_t n = r.u16("tuple arity");
      if (!r.check_count(n, 2, "tuple arity")) return false;
      t.params.resize(n);
      for (std::uint16_t i = 0; i < n; ++i)
        if (!decode_into(r, t.params[i], depth - 1)) return false;
      return true;
    }
    default:
      r.fail(errc::invalid_value, "type id");
      return false;
  }
}

}  // namespace

result<type_spec> decode_type_spec(reader& r, int max_depth) {
  type_spec t;
  if (!decode_into(r, t, max_depth) || !r.ok()) {
    if (r.ok()) r.fail(errc::invalid_value, "type");
    return r.error();
  }
  return t;
}

void encode_type_spec(writer& w, const type_spec& t) {
  if (!t.custom_class.empty() && t.kind != type_kind::custom && t.kind != type_kind::vector) {
    w.u16(0);  // received as a custom class: sent back as one
    w.string(t.custom_class);
    return;
  }
  switch (t.kind) {
    case type_kind::custom:
      w.u16(0);
      w.string(t.custom_class);
      return;
    case type_kind::vector:
      // Sent as a custom type with its marshal class name (the name as
      // received when there is one, else the one Cassandra would write).
      w.u16(0);
      w.string(t.custom_class.empty() ? to_marshal_name(t) : t.custom_class);
      return;
    case type_kind::list:
    case type_kind::set:
      w.u16(static_cast<std::uint16_t>(t.kind));
      if (t.params.size() != 1) return w.fail(errc::invalid_value);
      return encode_type_spec(w, t.params[0]);
    case type_kind::map:
      w.u16(static_cast<std::uint16_t>(t.kind));
      if (t.params.size() != 2) return w.fail(errc::invalid_value);
      encode_type_spec(w, t.params[0]);
      return encode_type_spec(w, t.params[1]);
    case type_kind::udt:
      w.u16(0x0030);
      w.string(t.udt_keyspace);
      w.string(t.udt_name);
      if (t.field_names.size() != t.params.size()) return w.fail(errc::invalid_value);
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        w.string(t.field_names[i]);
        encode_type_spec(w, t.params[i]);
      }
      return;
    case type_kind::tuple:
      w.u16(0x0031);
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (const auto& p : t.params) encode_type_spec(w, p);
      return;
    default:
      w.u16(static_cast<std::uint16_t>(t.kind));
      return;
  }
}

namespace {

// An identifier as CQL reads it back: bare when it is lower-case letters,
// digits and '_' (not first a digit), else in double quotes ("" for a quote).
std::string cql_identifier(const std::string& id) {
  // A type keyword is a UDT's name only when quoted.
  static constexpr std::string_view keywords[] = {
      "ascii", "bigint", "blob", "boolean", "counter", "date", "decimal", "double", "duration", "float",
      "frozen", "inet", "int", "list", "map", "set", "smallint", "text", "time", "timestamp", "timeuuid",
      "tinyint", "tuple", "uuid", "varchar", "varint", "vector"};
  bool bare = !id.empty() && !std::isdigit(static_cast<unsigned char>(id[0]));
  for (auto k : keywords) bare = bare && id != k;
  for (char c : id) bare = bare && (std::islower(static_cast<unsigned char>(c)) ||
                                    std::isdigit(static_cast<unsigned char>(c)) || c == '_');
  if (bare) return id;
  std::string q = "\"";
  for (char c : id) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string cql_name(const type_spec& t);

}  // namespace

std::string to_cql_string(const type_spec& t) {
  return t.frozen ? "frozen<" + cql_name(t) + ">" : cql_name(t);
}

namespace {

std::string cql_name(const type_spec& t) {
  auto join = [](const std::vector<type_spec>& ps) {
    std::string s;
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (i) s += ", ";
      s += to_cql_string(ps[i]);
    }
    return s;
  };
  switch (t.kind) {
    case type_kind::custom: return "'" + t.custom_class + "'";
    case type_kind::ascii: return "ascii";
    case type_kind::bigint: return "bigint";
    case type_kind::blob: return "blob";
    case type_kind::boolean: return "boolean";
    case type_kind::counter: return "counter";
    case type_kind::decimal: return "decimal";
    case type_kind::double_: return "double";
    case type_kind::float_: return "float";
    case type_kind::int_: return "int";
    case type_kind::timestamp: return "timestamp";
    case type_kind::uuid: return "uuid";
    case type_kind::varchar: return "text";
    case type_kind::varint: return "varint";
    case type_kind::timeuuid: return "timeuuid";
    case type_kind::inet: return "inet";
    case type_kind::date: return "date";
    case type_kind::time: return "time";
    case type_kind::smallint: return "smallint";
    case type_kind::tinyint: return "tinyint";
    case type_kind::duration: return "duration";
    case type_kind::list: return "list<" + join(t.params) + ">";
    case type_kind::set: return "set<" + join(t.params) + ">";
    case type_kind::map: return "map<" + join(t.params) + ">";
    case type_kind::tuple: return "tuple<" + join(t.params) + ">";
    case type_kind::udt:
      return t.udt_keyspace.empty() ? cql_identifier(t.udt_name)
                                    : cql_identifier(t.udt_keyspace) + "." + cql_identifier(t.udt_name);
    case type_kind::vector: return "vector<" + join(t.params) + ", " + std::to_string(t.dimension) + ">";
  }
  return "?";
}

}  // namespace

}  // namespace cqlpp::protocol
