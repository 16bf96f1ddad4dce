// Error codes of session/ (server errors keep protocol::server_category,
// transport and codec errors theirs).
#pragma once

#include <system_error>

namespace cqlpp {

// What the session itself can fail a request with; an std::error_code enum.
enum class session_errc {
  // A schema change was applied, but the nodes did not all report the same
  // schema version within cluster_options::schema_agreement_timeout; the
  // result's error_detail() names the hosts and their versions.
  schema_disagreement = 1,
  // session::async_trace: the trace was not in system_traces (or not yet
  // complete) after trace_options::attempts reads — tracing disabled on
  // the server, or its writes slow.
  trace_unavailable = 2,
  // A system table's answer could not be read (a column missing or of
  // another type than Cassandra's).
  unexpected_system_table = 3,
};

const std::error_category& session_category() noexcept;  // named "cqlpp.session"
// `e` in session_category(): lets session_errc convert to std::error_code.
inline std::error_code make_error_code(session_errc e) noexcept { return {static_cast<int>(e), session_category()}; }

}  // namespace cqlpp

template <>
struct std::is_error_code_enum<cqlpp::session_errc> : std::true_type {};
