// RESULT messages (v4/v5 §4.2.5) other than Rows (rows_result.hpp). The body
// starts with an [int] kind: 1 Void, 2 Rows, 3 Set_keyspace, 4 Prepared,
// 5 Schema_change. decode_response() dispatches on it; each type here encodes
// its own kind.
#pragma once

#include <string>
#include <vector>

#include "cqlpp/protocol/result_metadata.hpp"
#include "cqlpp/protocol/schema_change.hpp"

namespace cqlpp::protocol {

// The [int] <kind> that starts a RESULT body; any other value fails decoding with invalid_value.
namespace result_kind {
inline constexpr std::int32_t void_ = 0x0001;          // void_result: no further body
inline constexpr std::int32_t rows = 0x0002;           // rows_result (rows_result.hpp)
inline constexpr std::int32_t set_keyspace = 0x0003;   // set_keyspace_result, after a USE
inline constexpr std::int32_t prepared = 0x0004;       // prepared_result, the answer to PREPARE
inline constexpr std::int32_t schema_change = 0x0005;  // schema_change_result, after a DDL statement
}  // namespace result_kind

// Void (§4.2.5.1): the statement succeeded and returns nothing; the body is just the kind.
struct void_result {
  static constexpr opcode op = opcode::result;  // opcode 0x08
  friend bool operator==(const void_result&, const void_result&) = default;
};

// Set_keyspace (§4.2.5.3): the answer to a `USE` statement.
struct set_keyspace_result {
  static constexpr opcode op = opcode::result;  // opcode 0x08
  std::string keyspace;                         // the keyspace now in use, a [string]
  friend bool operator==(const set_keyspace_result&, const set_keyspace_result&) = default;
};

// §4.2.5.4: <id>[<result_metadata_id> (v5)]<metadata><result_metadata>
struct prepared_result {
  static constexpr opcode op = opcode::result;  // opcode 0x08
  std::vector<std::byte> id;                    // [short bytes] statement id for EXECUTE
  std::vector<std::byte> result_metadata_id;  // v5 only
  prepared_metadata variables;                  // the bind markers and partition key indexes
  rows_metadata result_metadata;                // columns the statement's Rows results will have
  friend bool operator==(const prepared_result&, const prepared_result&) = default;
};

// Schema_change (§4.2.5.5): the answer to a statement that altered the schema.
struct schema_change_result {
  static constexpr opcode op = opcode::result;  // opcode 0x08
  schema_change change;                         // what changed (schema_change.hpp)
  friend bool operator==(const schema_change_result&, const schema_change_result&) = default;
};

// Decoders read the body after the kind [int]; encoders write the kind too.

// Reads the keyspace [string]. Check r.ok() afterwards.
set_keyspace_result decode_set_keyspace_result(reader& r, protocol_version v);
// Reads <id>, the v5 <result_metadata_id>, then both metadata. Check r.ok() afterwards.
prepared_result decode_prepared_result(reader& r, protocol_version v);
// Reads a schema_change description. Check r.ok() afterwards.
schema_change_result decode_schema_change_result(reader& r, protocol_version v);

// Writes the kind only: a Void body has nothing else.
void encode(writer& w, const void_result& m, protocol_version v);
// Writes the kind and the keyspace [string].
void encode(writer& w, const set_keyspace_result& m, protocol_version v);
// Writes the kind, <id>, <result_metadata_id> (v5 only; ignored under v4) and both metadata.
void encode(writer& w, const prepared_result& m, protocol_version v);
// Writes the kind and the schema_change description.
void encode(writer& w, const schema_change_result& m, protocol_version v);

}  // namespace cqlpp::protocol
