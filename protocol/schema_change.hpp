// The schema change description shared by the SCHEMA_CHANGE event (v4/v5
// §4.2.6) and the Schema_change result (§4.2.5.5):
//   <change_type><target><options>
//   KEYSPACE: [string] keyspace
//   TABLE, TYPE: [string] keyspace, [string] name
//   FUNCTION, AGGREGATE: [string] keyspace, [string] name, [string list] arg types
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

enum class schema_change_type : std::uint8_t { created, updated, dropped };
enum class schema_change_target : std::uint8_t { keyspace, table, type, function, aggregate };

std::string_view to_string(schema_change_type t) noexcept;
std::string_view to_string(schema_change_target t) noexcept;

struct schema_change {
  schema_change_type change = schema_change_type::created;
  schema_change_target target = schema_change_target::keyspace;
  std::string keyspace;
  std::string name;                         // table, type, function or aggregate
  std::vector<std::string> argument_types;  // function, aggregate (CQL type names)
  friend bool operator==(const schema_change&, const schema_change&) = default;
};

// Unknown change types or targets fail with invalid_value.
schema_change decode_schema_change(reader& r);
void encode(writer& w, const schema_change& c);

}  // namespace cqlpp::protocol
