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

// <change_type>: the [string] "CREATED", "UPDATED" or "DROPPED".
enum class schema_change_type : std::uint8_t { created, updated, dropped };
// <target>: the [string] "KEYSPACE", "TABLE", "TYPE", "FUNCTION" or "AGGREGATE".
enum class schema_change_target : std::uint8_t { keyspace, table, type, function, aggregate };

// The wire name ("CREATED", ...).
std::string_view to_string(schema_change_type t) noexcept;
// The wire name ("KEYSPACE", ...).
std::string_view to_string(schema_change_target t) noexcept;

// What changed: the decoded <change_type><target><options>.
struct schema_change {
  schema_change_type change = schema_change_type::created;  // default created
  schema_change_target target = schema_change_target::keyspace;  // decides which fields below are sent
  std::string keyspace;  // always sent
  std::string name;                         // table, type, function or aggregate
  std::vector<std::string> argument_types;  // function, aggregate (CQL type names)
  friend bool operator==(const schema_change&, const schema_change&) = default;
};

// Unknown change types or targets fail with invalid_value.
schema_change decode_schema_change(reader& r);
// Writes the fields `target` calls for (see above); fields it does not call for are ignored.
void encode(writer& w, const schema_change& c);

}  // namespace cqlpp::protocol
