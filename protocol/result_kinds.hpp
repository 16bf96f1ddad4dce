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

namespace result_kind {
inline constexpr std::int32_t void_ = 0x0001;
inline constexpr std::int32_t rows = 0x0002;
inline constexpr std::int32_t set_keyspace = 0x0003;
inline constexpr std::int32_t prepared = 0x0004;
inline constexpr std::int32_t schema_change = 0x0005;
}  // namespace result_kind

struct void_result {
  static constexpr opcode op = opcode::result;
  friend bool operator==(const void_result&, const void_result&) = default;
};

struct set_keyspace_result {
  static constexpr opcode op = opcode::result;
  std::string keyspace;
  friend bool operator==(const set_keyspace_result&, const set_keyspace_result&) = default;
};

// §4.2.5.4: <id>[<result_metadata_id> (v5)]<metadata><result_metadata>
struct prepared_result {
  static constexpr opcode op = opcode::result;
  std::vector<std::byte> id;
  std::vector<std::byte> result_metadata_id;  // v5 only
  prepared_metadata variables;
  rows_metadata result_metadata;
  friend bool operator==(const prepared_result&, const prepared_result&) = default;
};

struct schema_change_result {
  static constexpr opcode op = opcode::result;
  schema_change change;
  friend bool operator==(const schema_change_result&, const schema_change_result&) = default;
};

// Decoders read the body after the kind [int]; encoders write the kind too.
set_keyspace_result decode_set_keyspace_result(reader& r, protocol_version v);
prepared_result decode_prepared_result(reader& r, protocol_version v);
schema_change_result decode_schema_change_result(reader& r, protocol_version v);

void encode(writer& w, const void_result& m, protocol_version v);
void encode(writer& w, const set_keyspace_result& m, protocol_version v);
void encode(writer& w, const prepared_result& m, protocol_version v);
void encode(writer& w, const schema_change_result& m, protocol_version v);

}  // namespace cqlpp::protocol
