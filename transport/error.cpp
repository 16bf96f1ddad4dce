#include "cqlpp/transport/error.hpp"

#include <string>

namespace cqlpp::transport {
namespace {

struct category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.transport"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::connect_timeout: return "connect timed out";
      case errc::connection_closed: return "connection closed";
      case errc::defunct: return "connection defunct: heartbeat not answered in time";
      case errc::request_timeout: return "request timed out";
      case errc::no_stream_ids: return "no free stream id on the connection";
      case errc::queue_full: return "request queue full";
      case errc::protocol_violation: return "protocol violation by the peer";
      case errc::unsupported_version: return "no common protocol version";
      case errc::auth_required: return "server requires authentication but no credentials were configured";
      case errc::auth_failed: return "authentication failed";
      case errc::tls_failed: return "TLS failed";
      case errc::unexpected_response: return "unexpected response";
      case errc::not_connected: return "not connected";
      case errc::no_connection:
        return "no connection to the node: all closed and none reopened within the request timeout";
    }
    return "unknown transport error";
  }
};

}  // namespace

const std::error_category& transport_category() noexcept {
  static const category c;
  return c;
}

}  // namespace cqlpp::transport
