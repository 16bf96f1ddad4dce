#include "cqlpp/protocol/result_metadata.hpp"

#include <limits>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {
namespace {

// Reads the optional global table spec and `count` column specs.
void decode_columns(reader& r, std::int32_t count, bool global, std::optional<table_spec>& gts,
                    std::vector<column_spec>& cols) {
  if (global) {
    gts.emplace();
    gts->keyspace = std::string(r.string("global keyspace"));
    gts->table = std::string(r.string("global table"));
  }
  // Smallest col_spec: empty name [string] and a 2-byte type id, plus two empty
  // [string]s without a global table spec.
  if (!r.check_count(count, global ? 4 : 8, "column count")) return;
  cols.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count && r.ok(); ++i) {
    column_spec c;
    if (global) {
      c.keyspace = gts->keyspace;
      c.table = gts->table;
    } else {
      c.keyspace = std::string(r.string("column keyspace"));
      c.table = std::string(r.string("column table"));
    }
    c.name = std::string(r.string("column name"));
    auto t = decode_type_spec(r);
    if (!t) return;  // the reader already carries the error
    c.type = std::move(*t);
    cols.push_back(std::move(c));
  }
}

void encode_columns(writer& w, const std::optional<table_spec>& gts,
                    const std::vector<column_spec>& cols) {
  if (gts) {
    w.string(gts->keyspace);
    w.string(gts->table);
  }
  for (const auto& c : cols) {
    if (!gts) {
      w.string(c.keyspace);
      w.string(c.table);
    }
    w.string(c.name);
    encode_type_spec(w, c.type);
  }
}

std::int32_t checked_count(writer& w, std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    w.fail(errc::too_large);
    return 0;
  }
  return static_cast<std::int32_t>(n);
}

}  // namespace

rows_metadata decode_rows_metadata(reader& r, protocol_version v) {
  rows_metadata m;
  const std::int32_t flags = r.i32("rows flags");
  const std::int32_t known = v >= protocol_version::v5 ? 0x0F : 0x07;
  if (r.ok() && (flags & ~known) != 0) r.fail(errc::invalid_value, "rows flags");
  m.column_count = r.i32("column count");
  if (r.ok() && m.column_count < 0) r.fail(errc::invalid_length, "column count");
  if (!r.ok()) return m;
  if (flags & rows_flags::has_more_pages) m.paging_state = read_non_null_bytes(r, "paging state");
  m.no_metadata = (flags & rows_flags::no_metadata) != 0;
  if (flags & rows_flags::metadata_changed) {
    // v5 §4.2.5.2: Metadata_changed requires No_metadata to be unset.
    if (m.no_metadata) r.fail(errc::invalid_value, "rows flags");
    const auto id = r.short_bytes("new metadata id");
    m.new_metadata_id.emplace(id.begin(), id.end());
  }
  if (m.no_metadata || !r.ok()) return m;
  decode_columns(r, m.column_count, (flags & rows_flags::global_tables_spec) != 0, m.global_table,
                 m.columns);
  return m;
}

void encode(writer& w, const rows_metadata& m, protocol_version v) {
  std::int32_t flags = 0;
  if (m.global_table && !m.no_metadata) flags |= rows_flags::global_tables_spec;
  if (m.paging_state) flags |= rows_flags::has_more_pages;
  if (m.no_metadata) flags |= rows_flags::no_metadata;
  if (m.new_metadata_id) {
    if (v < protocol_version::v5) return w.fail(errc::not_in_version);
    if (m.no_metadata) return w.fail(errc::invalid_value);
    flags |= rows_flags::metadata_changed;
  }
  if (!m.no_metadata && static_cast<std::size_t>(m.column_count) != m.columns.size())
    return w.fail(errc::invalid_value);
  if (m.column_count < 0) return w.fail(errc::invalid_value);
  w.i32(flags);
  w.i32(m.column_count);
  if (m.paging_state) w.bytes(*m.paging_state);
  if (m.new_metadata_id) w.short_bytes(*m.new_metadata_id);
  if (!m.no_metadata) encode_columns(w, m.global_table, m.columns);
}

prepared_metadata decode_prepared_metadata(reader& r, protocol_version) {
  prepared_metadata m;
  const std::int32_t flags = r.i32("prepared flags");
  if (r.ok() && (flags & ~rows_flags::global_tables_spec) != 0)
    r.fail(errc::invalid_value, "prepared flags");
  const std::int32_t count = r.i32("column count");
  const std::int32_t pk_count = r.i32("pk count");
  if (!r.check_count(pk_count, 2, "pk count")) return m;
  m.pk_indexes.reserve(static_cast<std::size_t>(pk_count));
  for (std::int32_t i = 0; i < pk_count; ++i) m.pk_indexes.push_back(r.u16("pk index"));
  decode_columns(r, count, (flags & rows_flags::global_tables_spec) != 0, m.global_table,
                 m.columns);
  return m;
}

void encode(writer& w, const prepared_metadata& m, protocol_version) {
  w.i32(m.global_table ? rows_flags::global_tables_spec : 0);
  w.i32(checked_count(w, m.columns.size()));
  w.i32(checked_count(w, m.pk_indexes.size()));
  for (auto i : m.pk_indexes) w.u16(i);
  encode_columns(w, m.global_table, m.columns);
}

}  // namespace cqlpp::protocol
