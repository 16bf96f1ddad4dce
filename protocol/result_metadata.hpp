// Column metadata of RESULT messages: <metadata> of Rows (v4/v5 §4.2.5.2) and
// of Prepared (§4.2.5.4, with partition key indexes).
//
//   rows:     <flags><columns_count>[<paging_state>][<new_metadata_id>]
//             [<global_table_spec>?<col_spec_1>...<col_spec_n>]
//   prepared: <flags><columns_count><pk_count>[<pk_index_1>...]
//             [<global_table_spec>?<col_spec_1>...<col_spec_n>]
//   col_spec: (<ks_name><table_name>)?<name><type>
//
// Everything here is owned: metadata is small next to the rows it describes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/type_spec.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

namespace rows_flags {
inline constexpr std::int32_t global_tables_spec = 0x0001;
inline constexpr std::int32_t has_more_pages = 0x0002;
inline constexpr std::int32_t no_metadata = 0x0004;
inline constexpr std::int32_t metadata_changed = 0x0008;  // v5
}  // namespace rows_flags

struct table_spec {
  std::string keyspace;
  std::string table;
  friend bool operator==(const table_spec&, const table_spec&) = default;
};

struct column_spec {
  std::string keyspace;  // filled from the global table spec when one is sent
  std::string table;
  std::string name;
  type_spec type;
  friend bool operator==(const column_spec&, const column_spec&) = default;
};

// Rows <metadata>. With `no_metadata`, `columns` is empty and `column_count`
// alone says how many cells each row has.
struct rows_metadata {
  std::int32_t column_count = 0;
  std::optional<std::vector<std::byte>> paging_state;     // Has_more_pages
  bool no_metadata = false;
  std::optional<std::vector<std::byte>> new_metadata_id;  // v5 Metadata_changed
  // When set, written once as <global_table_spec>; every column's keyspace and
  // table are taken from it (on encode, the columns' own names are ignored).
  std::optional<table_spec> global_table;
  std::vector<column_spec> columns;
  friend bool operator==(const rows_metadata&, const rows_metadata&) = default;
};

// Prepared <metadata>: the bind markers.
struct prepared_metadata {
  std::vector<std::uint16_t> pk_indexes;
  std::optional<table_spec> global_table;
  std::vector<column_spec> columns;
  friend bool operator==(const prepared_metadata&, const prepared_metadata&) = default;
};

rows_metadata decode_rows_metadata(reader& r, protocol_version v);
void encode(writer& w, const rows_metadata& m, protocol_version v);

prepared_metadata decode_prepared_metadata(reader& r, protocol_version v);
void encode(writer& w, const prepared_metadata& m, protocol_version v);

}  // namespace cqlpp::protocol
