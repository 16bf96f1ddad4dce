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

// The [int] <flags> of a metadata; Prepared metadata allows only global_tables_spec. Unknown bits fail
// decoding with invalid_value.
namespace rows_flags {
inline constexpr std::int32_t global_tables_spec = 0x0001;  // one table spec for all columns
inline constexpr std::int32_t has_more_pages = 0x0002;      // a <paging_state> follows
inline constexpr std::int32_t no_metadata = 0x0004;         // no column specs, e.g. the request set skip_metadata
inline constexpr std::int32_t metadata_changed = 0x0008;  // v5
}  // namespace rows_flags

// The <global_table_spec>: a keyspace and table name, two [string]s.
struct table_spec {
  std::string keyspace;  // keyspace name
  std::string table;     // table name
  friend bool operator==(const table_spec&, const table_spec&) = default;
};

// One <col_spec>: a result column or bind marker, with its CQL type.
struct column_spec {
  std::string keyspace;  // filled from the global table spec when one is sent
  std::string table;     // likewise
  std::string name;      // column name, or the bind marker's name
  type_spec type;        // the column's CQL type (type_spec.hpp)
  friend bool operator==(const column_spec&, const column_spec&) = default;
};

// Rows <metadata>. With `no_metadata`, `columns` is empty and `column_count`
// alone says how many cells each row has.
struct rows_metadata {
  std::int32_t column_count = 0;  // <columns_count>; must equal columns.size() unless `no_metadata`
  std::optional<std::vector<std::byte>> paging_state;     // Has_more_pages
  bool no_metadata = false;       // No_metadata: no column specs were sent
  std::optional<std::vector<std::byte>> new_metadata_id;  // v5 Metadata_changed
  // When set, written once as <global_table_spec>; every column's keyspace and
  // table are taken from it (on encode, the columns' own names are ignored).
  std::optional<table_spec> global_table;
  std::vector<column_spec> columns;  // one per column, in result order
  friend bool operator==(const rows_metadata&, const rows_metadata&) = default;
};

// Prepared <metadata>: the bind markers.
struct prepared_metadata {
  std::vector<std::uint16_t> pk_indexes;   // index into `columns` of each partition key component, in key order
  std::optional<table_spec> global_table;  // as in rows_metadata
  std::vector<column_spec> columns;        // one per bind marker, in statement order
  friend bool operator==(const prepared_metadata&, const prepared_metadata&) = default;
};

// Decodes Rows <metadata>; an unknown flag, Metadata_changed with No_metadata, a negative count or a null
// paging state fails `r`. Check r.ok() afterwards.
rows_metadata decode_rows_metadata(reader& r, protocol_version v);
// Writes Rows <metadata>, flags derived from the fields. Fails `w` with not_in_version for `new_metadata_id`
// under v4, invalid_value when it is combined with `no_metadata` or `column_count` is negative or (with
// metadata) not columns.size().
void encode(writer& w, const rows_metadata& m, protocol_version v);

// Decodes Prepared <metadata>; a flag other than global_tables_spec fails `r`. Check r.ok() afterwards.
prepared_metadata decode_prepared_metadata(reader& r, protocol_version v);
// Writes Prepared <metadata>; the counts come from `pk_indexes` and `columns`.
void encode(writer& w, const prepared_metadata& m, protocol_version v);

}  // namespace cqlpp::protocol
