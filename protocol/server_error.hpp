// The server's ERROR codes (v4 §9, v5 §8) as a std::error_category, so that
// callers can carry them in std::error_code next to protocol and transport
// errors, and so retry policies test conditions rather than raw codes.
#pragma once

#include <cstdint>
#include <system_error>

namespace cqlpp::protocol {

// The [int] error code at the start of an ERROR body; is_error_code_enum, so `ec == server_errc::unavailable`
// works. Codes the server sends outside this list still travel (see make_server_error_code()).
enum class server_errc : std::int32_t {
  server_error = 0x0000,
  protocol_error = 0x000A,
  bad_credentials = 0x0100,
  unavailable = 0x1000,
  overloaded = 0x1001,
  is_bootstrapping = 0x1002,
  truncate_error = 0x1003,
  write_timeout = 0x1100,
  read_timeout = 0x1200,
  read_failure = 0x1300,
  function_failure = 0x1400,
  write_failure = 0x1500,
  cdc_write_failure = 0x1600,
  cas_write_unknown = 0x1700,
  syntax_error = 0x2000,
  unauthorized = 0x2100,
  invalid = 0x2200,
  config_error = 0x2300,
  already_exists = 0x2400,
  unprepared = 0x2500,
};

// What a retry policy needs to know about a server error (each code maps to
// exactly one through default_error_condition).
enum class server_condition {
  timeout = 1,       // read/write timeout, CAS write unknown: retry only if idempotent
  unavailable,       // not enough replicas alive: try another coordinator
  node_busy,         // overloaded, bootstrapping, truncate: try another node
  replica_failure,   // read/write/CDC failure on replicas
  unprepared,        // re-prepare on this node, then retry
  request_invalid,   // syntax, invalid, unauthorized, config, already exists, UDF failure: never retry
  auth_failure,      // bad credentials
  server_failure,    // server or protocol error: the node or the driver is broken
};

// "cqlpp.server": messages name the code; default_error_condition() gives its server_condition.
const std::error_category& server_category() noexcept;
// "cqlpp.server_condition": the category of server_condition.
const std::error_category& server_condition_category() noexcept;

// std::error_code reads 0 as "no error", so the server's code 0x0000
// (Server error) travels as this value: an ERROR is never mistaken for
// success. wire_code() gives the server's code back.
inline constexpr int server_error_value = 0x7fff0000;

// The error_code for an ERROR's wire code, known or not (0 becomes server_error_value).
inline std::error_code make_server_error_code(std::int32_t wire) noexcept {
  return {wire == 0 ? server_error_value : static_cast<int>(wire), server_category()};
}
// The server's code carried by `ec` (server_error_value back to 0). Does not check the category.
inline std::int32_t wire_code(std::error_code ec) noexcept {
  return ec.value() == server_error_value ? 0 : static_cast<std::int32_t>(ec.value());
}
// For std::error_code's implicit conversion from server_errc.
inline std::error_code make_error_code(server_errc e) noexcept {
  return make_server_error_code(static_cast<std::int32_t>(e));
}
// For std::error_condition's implicit conversion from server_condition.
inline std::error_condition make_error_condition(server_condition c) noexcept {
  return {static_cast<int>(c), server_condition_category()};
}

// True when `code` (a wire code) is one of the server_errc values.
bool is_known_server_errc(std::int32_t code) noexcept;

// Helpers for retry policies.
// Safe to send again to another node whatever the statement.
bool is_retryable_on_next_host(std::error_code ec) noexcept;
// Safe to send again only when the statement is idempotent.
bool is_retryable_if_idempotent(std::error_code ec) noexcept;

}  // namespace cqlpp::protocol

template <>
struct std::is_error_code_enum<cqlpp::protocol::server_errc> : std::true_type {};
template <>
struct std::is_error_condition_enum<cqlpp::protocol::server_condition> : std::true_type {};
