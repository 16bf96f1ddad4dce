// Error codes of transport/: what can go wrong on a connection, apart from
// the server's own ERROR responses (those keep the protocol's server category).
#pragma once

#include <system_error>

namespace cqlpp::transport {

// What went wrong on a connection or pool; an std::error_code enum of transport_category().
enum class errc {
  connect_timeout = 1,   // TCP connect (or TLS/handshake) did not finish in time
  connection_closed,     // the connection was closed (by us, the peer, or an error)
  defunct,               // heartbeat unanswered: connection declared dead
  request_timeout,       // no response within the request's timeout
  no_stream_ids,         // every stream id of the connection is in use or orphaned
  queue_full,            // the pool's bounded wait queue is full
  protocol_violation,    // the peer sent bytes that break the protocol
  unsupported_version,   // the server refuses every protocol version we speak
  auth_required,         // the server wants authentication but no credentials were given
  auth_failed,           // the server rejected the credentials
  tls_failed,            // TLS handshake or verification failed
  unexpected_response,   // a response of the wrong kind for the request
  not_connected,         // used before async_connect completed
  no_connection,         // no connection to the node open, none reopened within the request timeout
};

const std::error_category& transport_category() noexcept;  // named "cqlpp.transport"
// `e` in transport_category(): lets errc convert to std::error_code.
inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), transport_category()}; }

}  // namespace cqlpp::transport

template <>
struct std::is_error_code_enum<cqlpp::transport::errc> : std::true_type {};
