#include "cqlpp/protocol/server_error.hpp"

#include <string>

namespace cqlpp::protocol {
namespace {

const char* describe(server_errc e) noexcept {
  switch (e) {
    case server_errc::server_error: return "server error";
    case server_errc::protocol_error: return "protocol error";
    case server_errc::bad_credentials: return "bad credentials";
    case server_errc::unavailable: return "unavailable";
    case server_errc::overloaded: return "coordinator overloaded";
    case server_errc::is_bootstrapping: return "coordinator is bootstrapping";
    case server_errc::truncate_error: return "truncate error";
    case server_errc::write_timeout: return "write timeout";
    case server_errc::read_timeout: return "read timeout";
    case server_errc::read_failure: return "read failure";
    case server_errc::function_failure: return "function failure";
    case server_errc::write_failure: return "write failure";
    case server_errc::cdc_write_failure: return "CDC write failure";
    case server_errc::cas_write_unknown: return "CAS write unknown";
    case server_errc::syntax_error: return "syntax error";
    case server_errc::unauthorized: return "unauthorized";
    case server_errc::invalid: return "invalid request";
    case server_errc::config_error: return "configuration error";
    case server_errc::already_exists: return "already exists";
    case server_errc::unprepared: return "unprepared statement";
  }
  return nullptr;
}

server_condition condition_of(server_errc e) noexcept {
  switch (e) {
    case server_errc::write_timeout:
    case server_errc::read_timeout:
    case server_errc::cas_write_unknown: return server_condition::timeout;
    case server_errc::unavailable: return server_condition::unavailable;
    case server_errc::overloaded:
    case server_errc::is_bootstrapping:
    case server_errc::truncate_error: return server_condition::node_busy;
    case server_errc::read_failure:
    case server_errc::write_failure:
    case server_errc::cdc_write_failure: return server_condition::replica_failure;
    case server_errc::unprepared: return server_condition::unprepared;
    case server_errc::function_failure:  // a UDF fails the same way everywhere
    case server_errc::syntax_error:
    case server_errc::unauthorized:
    case server_errc::invalid:
    case server_errc::config_error:
    case server_errc::already_exists: return server_condition::request_invalid;
    case server_errc::bad_credentials: return server_condition::auth_failure;
    case server_errc::server_error:
    case server_errc::protocol_error: break;
  }
  return server_condition::server_failure;
}

struct code_category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.server"; }
  std::string message(int ev) const override {
    const int wire = ev == server_error_value ? 0 : ev;
    const char* d = describe(static_cast<server_errc>(wire));
    return d ? d : "unknown server error " + std::to_string(wire);
  }
  std::error_condition default_error_condition(int ev) const noexcept override {
    return make_error_condition(condition_of(static_cast<server_errc>(ev == server_error_value ? 0 : ev)));
  }
};

struct condition_category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.server_condition"; }
  std::string message(int ev) const override {
    switch (static_cast<server_condition>(ev)) {
      case server_condition::timeout: return "timeout";
      case server_condition::unavailable: return "unavailable";
      case server_condition::node_busy: return "node busy";
      case server_condition::replica_failure: return "replica failure";
      case server_condition::unprepared: return "unprepared";
      case server_condition::request_invalid: return "invalid request";
      case server_condition::auth_failure: return "authentication failure";
      case server_condition::server_failure: return "server failure";
    }
    return "unknown condition";
  }
};

}  // namespace

const std::error_category& server_category() noexcept {
  static const code_category c;
  return c;
}

const std::error_category& server_condition_category() noexcept {
  static const condition_category c;
  return c;
}

bool is_known_server_errc(std::int32_t code) noexcept {
  return describe(static_cast<server_errc>(code)) != nullptr;
}

bool is_retryable_on_next_host(std::error_code ec) noexcept {
  return ec == server_condition::unavailable || ec == server_condition::node_busy;
}

bool is_retryable_if_idempotent(std::error_code ec) noexcept {
  return is_retryable_on_next_host(ec) || ec == server_condition::timeout ||
         ec == server_condition::replica_failure;
}

}  // namespace cqlpp::protocol
