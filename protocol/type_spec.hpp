// CQL data type descriptors: the [option] of v4 §4.2.5.2 / v5 §4.2.5.2 as a
// tree, shared by result metadata (messages) and the value codec (types).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// The [option] id of a CQL type (v4/v5 §4.2.5.2), plus `vector`, which has none.
enum class type_kind : std::uint16_t {
  custom = 0x0000,
  ascii = 0x0001,
  bigint = 0x0002,
  blob = 0x0003,
  boolean = 0x0004,
  counter = 0x0005,
  decimal = 0x0006,
  double_ = 0x0007,
  float_ = 0x0008,
  int_ = 0x0009,
  timestamp = 0x000B,
  uuid = 0x000C,
  varchar = 0x000D,
  varint = 0x000E,
  timeuuid = 0x000F,
  inet = 0x0010,
  date = 0x0011,
  time = 0x0012,
  smallint = 0x0013,
  tinyint = 0x0014,
  duration = 0x0015,
  list = 0x0020,
  map = 0x0021,
  set = 0x0022,
  udt = 0x0030,
  tuple = 0x0031,
  // Not an [option] id: Cassandra 5.0 sends vectors as the custom type
  // "org.apache.cassandra.db.marshal.VectorType(<element>, <dimension>)".
  vector = 0xF000,
};

// One CQL type; collection, tuple, UDT and vector types hold their element types in `params`.
struct type_spec {
  type_kind kind = type_kind::blob;  // default blob
  std::string custom_class;          // custom: the Java class name as sent
  std::vector<type_spec> params;     // list/set: 1, map: 2, tuple: n, udt: field types, vector: 1
  std::string udt_keyspace;          // udt
  std::string udt_name;              // udt
  std::vector<std::string> field_names;  // udt, parallel to params
  std::uint32_t dimension = 0;       // vector
  // Written frozen<...> in CQL (parse_cql_type sets it, to_cql_string prints
  // it). The wire's [option] has no such flag: decode never sets it, encode
  // ignores it.
  bool frozen = false;

  // A type with no parameters (ascii, int_, uuid, ...): only `kind` is set.
  static type_spec simple(type_kind k) { type_spec t; t.kind = k; return t; }
  static type_spec list_of(type_spec e);  // list<e>
  static type_spec set_of(type_spec e);  // set<e>
  static type_spec map_of(type_spec k, type_spec v);  // map<k, v>
  static type_spec tuple_of(std::vector<type_spec> elems);  // tuple<elems...>
  static type_spec vector_of(type_spec e, std::uint32_t dimension);  // vector<e, dimension>

  friend bool operator==(const type_spec&, const type_spec&) = default;
};

// Default nesting limit for types and values (a list of maps of tuples ... ).
inline constexpr int default_max_type_depth = 64;

// Reads one [option]. Fails with nesting_too_deep past `max_depth`.
result<type_spec> decode_type_spec(reader& r, int max_depth = default_max_type_depth);
// Writes `t` as an [option]. A type received as a custom class name is sent back as that name; a vector is
// sent as its VectorType custom class. Fails with invalid_value when `params` does not fit the kind.
void encode_type_spec(writer& w, const type_spec& t);

// The CQL name ("map<int, frozen<list<text>>>") for diagnostics and tools;
// parse_cql_type (type_syntax.hpp) reads it back. UDT names that CQL would
// lower-case are "quoted"; a custom type is its class name in 'quotes'.
std::string to_cql_string(const type_spec& t);

}  // namespace cqlpp::protocol
