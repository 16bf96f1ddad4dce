// session_impl: what a session handle shares with its requests, streams and
// the control connection — private to session/ (session.hpp shows none of it).
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <memory>
#include <optional>

#include "cqlpp/session/cluster.hpp"
#include "cqlpp/session/session.hpp"
#include "cqlpp/session/timestamp_generator.hpp"
#include "cqlpp/streaming/result_stream.hpp"

namespace cqlpp::detail {

class session_impl : public std::enable_shared_from_this<session_impl> {
 public:
  session_impl(asio::any_io_executor ex, session_options o);
  ~session_impl() { close(); }

  protocol::protocol_version version() const {
    return cluster_->version() >= 5 ? protocol::protocol_version::v5 : protocol::protocol_version::v4;
  }
  void close() {
    if (closed_.exchange(true)) return;
    streams_->close_all(streaming::errc::session_closed);
    cluster_->close();
  }
  bool closed() const noexcept { return closed_.load(); }
  // The request's write timestamp: its own, the generator's, or none.
  std::optional<std::int64_t> write_timestamp(const request_options& o) noexcept {
    if (o.timestamp) return o.timestamp;
    if (opts_.cluster.client_timestamps) return timestamps_.next();
    return std::nullopt;
  }

  asio::any_io_executor ex_;
  session_options opts_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::shared_ptr<cluster> cluster_;
  std::shared_ptr<streaming::stream_registry> streams_ = std::make_shared<streaming::stream_registry>();
  std::atomic<bool> closed_{false};
  timestamp_generator timestamps_;
};

}  // namespace cqlpp::detail
