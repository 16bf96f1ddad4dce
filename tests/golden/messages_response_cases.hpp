// Response cases for the round trip through the Python driver: cqlpp encodes
// them (messages_emit), the driver decodes them (messages_roundtrip.py holds
// the expected values under the same names). Also used by unit tests.
#pragma once

#include "messages_cases.hpp"

namespace cqlpp::golden {

struct response_case {
  std::string name;
  response message;
  envelope_extras extras;
  std::int16_t stream = 0;
};

inline inet_address ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  inet_address x;
  x.bytes = {a, b, c, d};
  x.size = 4;
  return x;
}
inline inet_address ipv6_loopback() {
  inet_address x;
  x.bytes[15] = 1;
  x.size = 16;
  return x;
}

// Serializes rows of [bytes] cells (nullopt = null) into pooled storage.
inline bytes_view rows_content(const std::vector<std::vector<std::optional<std::string>>>& rows) {
  std::vector<std::byte> out;
  writer w(out);
  for (const auto& row : rows)
    for (const auto& c : row) {
      if (c) {
        w.bytes(bv(*c));
      } else {
        w.null_bytes();
      }
    }
  return cell(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
}

inline std::string be32(std::int32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(static_cast<std::uint32_t>(v) >> (24 - 8 * i));
  return s;
}

inline column_spec col(std::string name, type_spec t) {
  return {"ks", "t", std::move(name), std::move(t)};
}

inline rows_metadata two_columns(bool global) {
  rows_metadata md;
  md.column_count = 2;
  if (global) md.global_table = table_spec{"ks", "t"};
  md.columns = {col("k", type_spec::simple(type_kind::int_)),
                col("v", type_spec::simple(type_kind::varchar))};
  return md;
}

inline bytes_view two_rows() {
  return rows_content({{be32(1), "a"}, {be32(2), std::nullopt}});
}

inline error_response err(server_errc code, std::string msg, error_details d = {}) {
  return {static_cast<std::int32_t>(code), std::move(msg), std::move(d)};
}

inline std::vector<response_case> response_cases(protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  std::vector<response_case> cs;
  auto add = [&](std::string name, response m, envelope_extras e = {}, std::int16_t stream = 1) {
    cs.push_back({std::move(name), std::move(m), std::move(e), stream});
  };
  add("ready", ready_response{}, {}, 0);
  add("authenticate", authenticate_response{"org.apache.cassandra.auth.PasswordAuthenticator"});
  add("supported", supported_response{{{"CQL_VERSION", {"3.4.7"}},
                                       {"COMPRESSION", {"lz4", "snappy"}},
                                       {"PROTOCOL_VERSIONS", {"3/v3", "4/v4", "5/v5"}}}});
  add("auth_challenge", auth_challenge_response{bv("\x01\x02\x03")});
  add("auth_success", auth_success_response{bv("ok")});
  add("event_topology_new", event_response{topology_change_event{
                                topology_change_type::new_node, {ipv4(127, 0, 0, 2), 9042}}}, {}, -1);
  add("event_topology_removed", event_response{topology_change_event{
                                    topology_change_type::removed_node, {ipv6_loopback(), 9043}}}, {}, -1);
  add("event_status_up", event_response{status_change_event{status_change_type::up,
                                                            {ipv4(10, 0, 0, 1), 9042}}}, {}, -1);
  add("event_status_down", event_response{status_change_event{status_change_type::down,
                                                              {ipv4(10, 0, 0, 1), 9042}}}, {}, -1);
  const schema_change changes[] = {
      {schema_change_type::created, schema_change_target::keyspace, "ks", "", {}},
      {schema_change_type::updated, schema_change_target::table, "ks", "t", {}},
      {schema_change_type::dropped, schema_change_target::type, "ks", "address", {}},
      {schema_change_type::created, schema_change_target::function, "ks", "f", {"int", "text"}},
      {schema_change_type::dropped, schema_change_target::aggregate, "ks", "agg", {"bigint"}},
  };
  for (const auto& c : changes) {
    std::string target(to_string(c.target));
    for (auto& ch : target) ch = static_cast<char>(ch - 'A' + 'a');
    add("event_schema_" + target, event_response{schema_change_event{c}}, {}, -1);
    add("result_schema_" + target, schema_change_result{c});
  }
  add("result_void", void_result{});
  add("result_set_keyspace", set_keyspace_result{"ks"});
  add("result_rows_plain", rows_result(two_columns(false), 2, two_rows()));
  add("result_rows_global", rows_result(two_columns(true), 2, two_rows()));
  {
    rows_metadata md;
    md.column_count = 3;
    md.global_table = table_spec{"ks", "t"};
    md.columns = {col("l", type_spec::list_of(type_spec::simple(type_kind::int_))),
                  col("m", type_spec::map_of(type_spec::simple(type_kind::varchar),
                                             type_spec::simple(type_kind::bigint))),
                  col("b", type_spec::simple(type_kind::boolean))};
    const std::string list12 = be32(2) + be32(4) + be32(1) + be32(4) + be32(2);
    add("result_rows_collections",
        rows_result(md, 1, rows_content({{list12, std::nullopt, std::string("\x01")}})));
  }
  {
    auto md = two_columns(true);
    md.paging_state = bv("\xca\xfe");
    add("result_rows_paged", rows_result(md, 2, two_rows()));
  }
  {
    rows_metadata md;
    md.column_count = 2;
    md.no_metadata = true;
    md.paging_state = bv("\x01");
    add("result_rows_no_metadata", rows_result(md, 2, two_rows()));
  }
  add("result_rows_empty", rows_result(two_columns(true), 0, {}));
  if (v5) {
    auto md = two_columns(true);
    md.new_metadata_id = bv("\x0d\x0e");
    add("result_rows_metadata_changed", rows_result(md, 2, two_rows()));
  }
  {
    prepared_result p;
    p.id = prepared_id();
    if (v5) p.result_metadata_id = metadata_id();
    p.variables.pk_indexes = {0};
    p.variables.global_table = table_spec{"ks", "t"};
    p.variables.columns = {col("k", type_spec::simple(type_kind::int_))};
    p.result_metadata = two_columns(true);
    add("result_prepared", p);
    prepared_result q;
    q.id = prepared_id();
    if (v5) q.result_metadata_id = metadata_id();
    q.variables.pk_indexes = {1, 0};
    q.variables.columns = {col("a", type_spec::simple(type_kind::varchar)),
                           col("b", type_spec::simple(type_kind::uuid))};
    q.result_metadata.no_metadata = true;
    add("result_prepared_no_result_metadata", q);
  }
  add("error_server", err(server_errc::server_error, "boom"));
  add("error_protocol", err(server_errc::protocol_error, "bad frame"));
  add("error_bad_credentials", err(server_errc::bad_credentials, "no"));
  add("error_unavailable", err(server_errc::unavailable, "u", unavailable_details{consistency::quorum, 3, 1}));
  add("error_overloaded", err(server_errc::overloaded, "busy"));
  add("error_is_bootstrapping", err(server_errc::is_bootstrapping, "boot"));
  add("error_truncate", err(server_errc::truncate_error, "trunc"));
  add("error_write_timeout", err(server_errc::write_timeout, "wt",
                                 write_timeout_details{consistency::local_quorum, 1, 2, "BATCH_LOG", {}}));
  if (v5)
    add("error_write_timeout_cas", err(server_errc::write_timeout, "wt",
                                       write_timeout_details{consistency::serial, 0, 2, "CAS", 7}));
  add("error_read_timeout", err(server_errc::read_timeout, "rt",
                                read_timeout_details{consistency::one, 0, 1, true}));
  {
    failure_details f{consistency::all, 1, 3, 2, {}, false, ""};
    if (v5) f.reasons = {{ipv4(10, 0, 0, 2), 1}, {ipv6_loopback(), 0}};
    add("error_read_failure", err(server_errc::read_failure, "rf", f));
    f.write_type = "COUNTER";
    add("error_write_failure", err(server_errc::write_failure, "wf", f));
  }
  add("error_function_failure", err(server_errc::function_failure, "ff",
                                    function_failure_details{"ks", "f", {"int", "text"}}));
  add("error_cdc_write_failure", err(server_errc::cdc_write_failure, "cdc"));
  add("error_cas_write_unknown", err(server_errc::cas_write_unknown, "cas",
                                     cas_write_unknown_details{consistency::local_serial, 1, 2}));
  add("error_syntax", err(server_errc::syntax_error, "line 1:0"));
  add("error_unauthorized", err(server_errc::unauthorized, "denied"));
  add("error_invalid", err(server_errc::invalid, "invalid"));
  add("error_config", err(server_errc::config_error, "config"));
  add("error_already_exists_table", err(server_errc::already_exists, "exists",
                                        already_exists_details{"ks", "t"}));
  add("error_already_exists_keyspace", err(server_errc::already_exists, "exists",
                                           already_exists_details{"ks", ""}));
  add("error_unprepared", err(server_errc::unprepared, "unprepared", unprepared_details{prepared_id()}));
  {
    envelope_extras e;
    e.tracing = true;
    for (std::uint8_t i = 0; i < 16; ++i) e.tracing_id.bytes[i] = static_cast<std::uint8_t>(0x10 + i);
    add("extras_tracing", void_result{}, e, 5);
    envelope_extras w;
    w.warnings = std::vector<std::string>{"Aggregation query used without partition key", "second"};
    add("extras_warnings", void_result{}, w, 6);
    envelope_extras all = e;
    all.warnings = w.warnings;
    all.payload = case_payload();
    add("extras_all", rows_result(two_columns(true), 2, two_rows()), all, 7);
  }
  return cs;
}

}  // namespace cqlpp::golden
