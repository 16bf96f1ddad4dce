// exec_request: a request as the executor takes it — the encoded body and
// what routing and retrying need — in a header free of pools and sockets,
// so that session.hpp's templates can fill one in the caller's thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/protocol/rows_result.hpp"
#include "cqlpp/transport/op_memory.hpp"
#include "cqlpp/transport/request.hpp"

namespace cqlpp::detail {

// Where a request's data lives, carried without allocating.
class route_info {
 public:
  // Cassandra's limit on keyspace names (SchemaConstants.NAME_LENGTH).
  static constexpr std::size_t max_keyspace = 48;
  // A longer name cannot exist on the server: the request is routed without one.
  void set_keyspace(std::string_view ks) noexcept {
    if (ks.size() > max_keyspace) return;
    ks.copy(keyspace_.data(), ks.size());
    keyspace_len_ = static_cast<std::uint8_t>(ks.size());
  }
  void set_token(std::int64_t t) noexcept { token_ = t; }
  std::optional<std::string_view> keyspace() const noexcept {
    if (keyspace_len_ == 0) return std::nullopt;
    return std::string_view(keyspace_.data(), keyspace_len_);
  }
  std::optional<std::int64_t> token() const noexcept { return token_; }

 private:
  std::array<char, max_keyspace> keyspace_{};
  std::uint8_t keyspace_len_ = 0;
  std::optional<std::int64_t> token_;
};

// A prepared statement's id and CQL: what to PREPARE again on a node that
// answers UNPREPARED with that id.
struct prepared_source {
  std::vector<std::byte> id;
  std::shared_ptr<const std::string> cql;
};

// Allocated once per request from per-thread recycled memory and passed by
// handle (request_ptr) from the call to the executor's op: moving the whole
// struct through the initiation cost more than encoding it.
struct exec_request : transport::recycled_op {
  transport::request req;  // encoded for the session's version; req.timeout: 0 = the connection's
  route_info route;
  bool idempotent = false;
  // Rows sent without metadata (skip_metadata) are typed with these.
  std::shared_ptr<const protocol::rows_metadata> types;
  // EXECUTE: the statement's CQL, to PREPARE again where the server forgot it.
  std::shared_ptr<const std::string> prepare_cql;
  // BATCH: the same for each of its prepared entries, found by the id the
  // server names.
  std::shared_ptr<const std::vector<prepared_source>> batch_sources;
  // When encoding failed: the driver's words for what is wrong (which value,
  // which marker), for the result's error_detail().
  std::string error_detail;
};

using request_ptr = std::unique_ptr<exec_request>;
inline request_ptr new_request() { return std::make_unique<exec_request>(); }

}  // namespace cqlpp::detail
