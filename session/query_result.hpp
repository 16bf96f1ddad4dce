// query_result: the server's answer to one request, owning its bytes.
// Rows are typed views over those bytes; copying a query_result is cheap
// (shared, immutable).
#pragma once

#include <memory>
#include <string>

#include "protocol/message.hpp"
#include "transport/request.hpp"

namespace cqlpp {

class query_result {
 public:
  struct state {
    transport::response response;           // owns the bytes
    protocol::response_envelope envelope;   // views into response.body
    std::shared_ptr<const protocol::rows_metadata> types;  // for skip_metadata rows
  };

  query_result() = default;
  explicit query_result(std::shared_ptr<const state> s) noexcept : s_(std::move(s)) {}

  bool empty() const noexcept { return !s_; }
  // nullptr unless the server sent rows.
  const protocol::rows_result* rows() const noexcept {
    return s_ ? std::get_if<protocol::rows_result>(&s_->envelope.message) : nullptr;
  }
  const protocol::response* message() const noexcept { return s_ ? &s_->envelope.message : nullptr; }
  // The server's ERROR, when the request failed with a server error.
  const protocol::error_response* server_error() const noexcept {
    return s_ ? std::get_if<protocol::error_response>(&s_->envelope.message) : nullptr;
  }
  std::string error_message() const { return server_error() ? server_error()->message : std::string(); }
  const std::optional<std::vector<std::string>>& warnings() const {
    static const std::optional<std::vector<std::string>> none;
    return s_ ? s_->envelope.extras.warnings : none;
  }

 private:
  std::shared_ptr<const state> s_;
};

}  // namespace cqlpp
