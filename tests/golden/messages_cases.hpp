// The message cases of the golden corpus, rebuilt in C++.
//
// Requests: request_case(name, version) mirrors messages_gen.py (the Python
// driver encodes the same cases into messages.golden). Responses:
// response_cases(version) lists what messages_emit prints for the Python driver
// to decode (messages_roundtrip.py holds the matching expectations).
#pragma once

#include <cstdlib>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/protocol/message.hpp"

namespace cqlpp::golden {

using namespace cqlpp::protocol;

inline std::vector<std::byte> bv(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()),
          reinterpret_cast<const std::byte*>(s.data()) + s.size()};
}

// Static storage for borrowed cells, so value_views stay valid.
inline const std::vector<std::byte>& cell(std::string_view s) {
  static std::deque<std::vector<std::byte>> pool;  // deque: references stay valid
  for (const auto& p : pool)
    if (p == bv(s)) return p;
  pool.push_back(bv(s));
  return pool.back();
}

inline value_view set(std::string_view s) { return value_view::of(cell(s)); }

inline const std::string query_text = "SELECT * FROM ks.t WHERE k = ?";
inline std::vector<value_view> case_values() {
  return {set(std::string_view("\0\0\0\1", 4)), value_view::null_value(),
          value_view::unset_value(), set("")};
}
inline std::vector<std::byte> prepared_id() {
  std::vector<std::byte> id;
  for (int i = 0xa0; i < 0xb0; ++i) id.push_back(static_cast<std::byte>(i));
  return id;
}
inline std::vector<std::byte> metadata_id() { return bv("\x0a\x0b\x0c"); }
inline custom_payload case_payload() { return {{"a", bv("1")}, {"bb", {}}}; }
inline consistency cl_for(int mask) { return static_cast<consistency>(mask % 11); }

inline query_parameters params_for(int mask, bool keyspace_bit) {
  query_parameters p;
  p.cl = cl_for(mask);
  if (mask & 1) p.values = case_values();
  if (mask & 2) p.page_size = 5000;
  if (mask & 4) p.paging_state = bv("\x01\x02\x03\xff");
  if (mask & 8) p.serial_consistency = consistency::local_serial;
  if (mask & 16) p.default_timestamp = 1700000000000001;
  if (keyspace_bit && (mask & 32)) p.keyspace = "ks";
  return p;
}

inline int suffix_int(std::string_view name, std::string_view prefix) {
  return std::atoi(std::string(name.substr(prefix.size())).c_str());
}

struct request_case {
  request message;
  envelope_extras extras;
};

inline std::optional<request_case> make_request_case(std::string_view name, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  request_case c;
  if (name == "startup_cql") {
    c.message = startup_request{{{"CQL_VERSION", "3.0.0"}}};
  } else if (name == "startup_lz4") {
    // In the order the driver wrote them: options keep their wire order.
    c.message = startup_request{{{"COMPRESSION", "lz4"}, {"CQL_VERSION", "3.0.0"}}};
  } else if (name == "startup_full") {
    c.message = startup_request{{{"COMPRESSION", "lz4"}, {"CQL_VERSION", "3.0.0"},
                                 {"DRIVER_NAME", "cqlpp"}, {"DRIVER_VERSION", "0.1.0"},
                                 {"THROW_ON_OVERLOAD", "1"}}};
  } else if (name == "options") {
    c.message = options_request{};
  } else if (name == "auth_response_plain") {
    c.message = auth_response_request{bv(std::string_view("\0cassandra\0cassandra", 20))};
  } else if (name == "auth_response_empty") {
    c.message = auth_response_request{std::vector<std::byte>{}};
  } else if (name == "register_all") {
    c.message = register_request{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"}};
  } else if (name == "register_one") {
    c.message = register_request{{"SCHEMA_CHANGE"}};
  } else if (name.starts_with("query_m")) {
    c.message = query_request{query_text, params_for(suffix_int(name, "query_m"), true)};
  } else if (name.starts_with("execute_m")) {
    c.message = execute_request{prepared_id(), v5 ? metadata_id() : std::vector<std::byte>{},
                                params_for(suffix_int(name, "execute_m"), false)};
  } else if (name == "execute_empty_values") {
    query_parameters p;
    p.cl = consistency::quorum;
    p.values.emplace();
    c.message = execute_request{prepared_id(), v5 ? metadata_id() : std::vector<std::byte>{}, p};
  } else if (name == "prepare_plain") {
    c.message = prepare_request{query_text, std::nullopt};
  } else if (name == "prepare_ks") {
    c.message = prepare_request{query_text, "ks"};
  } else if (name.starts_with("batch_t")) {
    const int t = name[7] - '0';
    const int mask = suffix_int(name, "batch_tX_m");
    batch_request b;
    b.type = static_cast<batch_type>(t);
    b.statements.push_back({false, "INSERT INTO ks.t (k, v) VALUES (?, ?)", {},
                            {set(std::string_view("\0\0\0\1", 4)), value_view::null_value()}, {}});
    b.statements.push_back({true, "", prepared_id(), {value_view::unset_value(), set("xyz")}, {}});
    b.statements.push_back({false, "UPDATE ks.c SET n = n + 1 WHERE k = 1", {}, {}, {}});
    b.cl = cl_for(mask + t);
    if (mask & 1) b.serial_consistency = consistency::local_serial;
    if (mask & 2) b.default_timestamp = 1700000000000001;
    if (mask & 4) b.keyspace = "ks";
    c.message = std::move(b);
  } else if (name == "batch_empty") {
    batch_request b;
    b.type = batch_type::unlogged;
    b.cl = consistency::one;
    c.message = std::move(b);
  } else if (name == "extras_tracing") {
    c.message = query_request{query_text, {}};
    c.extras.tracing = true;
  } else if (name == "extras_payload") {
    c.message = query_request{query_text, {}};
    c.extras.payload = case_payload();
    c.extras.use_beta = v5;
  } else if (name == "extras_payload_tracing") {
    query_parameters p;
    p.cl = consistency::local_quorum;
    p.values = case_values();
    c.message = execute_request{prepared_id(), v5 ? metadata_id() : std::vector<std::byte>{}, p};
    c.extras.payload = case_payload();
    c.extras.tracing = true;
  } else {
    return std::nullopt;
  }
  return c;
}

}  // namespace cqlpp::golden
