#include "cqlpp/protocol/result_kinds.hpp"

namespace cqlpp::protocol {

set_keyspace_result decode_set_keyspace_result(reader& r, protocol_version) {
  return {.keyspace = std::string(r.string("keyspace"))};
}

prepared_result decode_prepared_result(reader& r, protocol_version v) {
  prepared_result m;
  const auto id = r.short_bytes("prepared id");
  m.id.assign(id.begin(), id.end());
  if (v >= protocol_version::v5) {
    const auto mid = r.short_bytes("result metadata id");
    m.result_metadata_id.assign(mid.begin(), mid.end());
  }
  if (!r.ok()) return m;
  m.variables = decode_prepared_metadata(r, v);
  if (!r.ok()) return m;
  m.result_metadata = decode_rows_metadata(r, v);
  return m;
}

schema_change_result decode_schema_change_result(reader& r, protocol_version) {
  return {.change = decode_schema_change(r)};
}

void encode(writer& w, const void_result&, protocol_version) { w.i32(result_kind::void_); }

void encode(writer& w, const set_keyspace_result& m, protocol_version) {
  w.i32(result_kind::set_keyspace);
  w.string(m.keyspace);
}

void encode(writer& w, const prepared_result& m, protocol_version v) {
  w.i32(result_kind::prepared);
  w.short_bytes(m.id);
  if (v >= protocol_version::v5) w.short_bytes(m.result_metadata_id);
  encode(w, m.variables, v);
  encode(w, m.result_metadata, v);
}

void encode(writer& w, const schema_change_result& m, protocol_version) {
  w.i32(result_kind::schema_change);
  encode(w, m.change);
}

}  // namespace cqlpp::protocol
