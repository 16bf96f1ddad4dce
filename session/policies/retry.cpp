#include "cqlpp/session/policies/retry.hpp"

#include <asio/error.hpp>
#include <variant>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/transport/error.hpp"

namespace cqlpp::routing {

namespace {

namespace proto = cqlpp::protocol;

retry_action on_server_error(const attempt_failure& f, bool idempotent, int retries) noexcept {
  using proto::server_errc;
  switch (static_cast<server_errc>(proto::wire_code(f.ec))) {
    case server_errc::unprepared:
      return retry_action::reprepare;
    case server_errc::read_timeout: {
      const auto* d = f.details ? std::get_if<proto::read_timeout_details>(f.details) : nullptr;
      if (retries == 0 && d && d->received >= d->block_for && !d->data_present) return retry_action::same_host;
      return retry_action::fail;
    }
    case server_errc::write_timeout:
      return retries == 0 && idempotent ? retry_action::same_host : retry_action::fail;
    case server_errc::unavailable:
      return retries == 0 ? retry_action::next_host : retry_action::fail;
    case server_errc::overloaded:
    case server_errc::is_bootstrapping:
      return retry_action::next_host;
    case server_errc::server_error:
      return idempotent ? retry_action::next_host : retry_action::fail;
    default:
      return retry_action::fail;
  }
}

retry_action on_transport_error(std::error_code ec, bool idempotent) noexcept {
  using transport::errc;
  switch (static_cast<errc>(ec.value())) {
    case errc::connection_closed:
    case errc::defunct:
      return idempotent ? retry_action::next_host : retry_action::fail;
    case errc::request_timeout:
    case errc::protocol_violation:
    case errc::unexpected_response:
      return retry_action::fail;
    default:
      // Never sent: no connection, queue full, no id, the connect failed.
      return retry_action::next_host;
  }
}

}  // namespace

retry_action decide_retry(const attempt_failure& f, bool idempotent, int retries) noexcept {
  if (!f.ec) return retry_action::fail;
  if (f.ec.category() == proto::server_category()) return on_server_error(f, idempotent, retries);
  if (f.ec.category() == transport::transport_category()) return on_transport_error(f.ec, idempotent);
  if (f.ec == asio::error::operation_aborted) return retry_action::fail;
  // Socket errors. Those only a connect gives (refused, unreachable) reach a
  // request through a pool with no connection: never sent. The rest (reset,
  // broken pipe, end of stream) end a connection with requests on it.
  if (f.ec.category() == asio::error::get_system_category() || f.ec.category() == std::system_category() ||
      f.ec.category() == std::generic_category() || f.ec.category() == asio::error::get_misc_category()) {
    if (f.ec == asio::error::connection_refused || f.ec == asio::error::host_unreachable ||
        f.ec == asio::error::network_unreachable)
      return retry_action::next_host;
    return idempotent ? retry_action::next_host : retry_action::fail;
  }
  return retry_action::fail;
}

const char* to_string(retry_action a) noexcept {
  switch (a) {
    case retry_action::fail: return "fail";
    case retry_action::same_host: return "same host";
    case retry_action::next_host: return "next host";
    case retry_action::reprepare: return "re-prepare";
  }
  return "?";
}

}  // namespace cqlpp::routing
