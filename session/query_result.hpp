// query_result: the server's answer to one request, owning its bytes.
// Rows are typed views over those bytes; copying a query_result is cheap
// (shared, immutable).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <vector>
#include <string>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/transport/request.hpp"

namespace cqlpp {

// One attempt of a request that failed or was retried: where it went, what
// came back, and what the driver did next.
struct attempt_record {
  std::string host;      // "127.0.0.2:9042"
  std::error_code ec;    // the attempt's failure
  std::string detail;    // the server's message, or the code's words
  std::string decision;  // "same host", "next host", "re-prepare", "fail"
};

// The answer to one request (see the top of this file). Immutable: copies
// share it and may be read from any thread.
class query_result {
 public:
  // What a result holds, made by the session's request path.
  struct state {
    transport::response response;           // owns the bytes
    protocol::response_envelope envelope;   // views into response.body
    std::shared_ptr<const protocol::rows_metadata> types;  // for skip_metadata rows
    std::vector<attempt_record> attempts;   // filled only when an attempt failed
    std::string detail;                     // the driver's words for its own errors
    std::optional<routing::host_id> coordinator;  // the host that gave the answer
  };

  query_result() = default;
  // Shares `s`.
  explicit query_result(std::shared_ptr<const state> s) noexcept : s_(std::move(s)) {}

  // Holds nothing: default-constructed, or the request failed with no answer
  // and no failed attempt to record (session_closed, say). Accessors still work.
  bool empty() const noexcept { return !s_; }
  // nullptr unless the server sent rows.
  const protocol::rows_result* rows() const noexcept {
    return s_ ? std::get_if<protocol::rows_result>(&s_->envelope.message) : nullptr;
  }
  // The decoded answer (a RESULT kind or ERROR); nullptr when empty(). A failed
  // result that no server answered holds a default (empty) error_response.
  const protocol::response* message() const noexcept { return s_ ? &s_->envelope.message : nullptr; }
  // The server's ERROR, when the request failed with a server error.
  const protocol::error_response* server_error() const noexcept {
    return s_ ? std::get_if<protocol::error_response>(&s_->envelope.message) : nullptr;
  }
  // server_error()'s message, in the server's words; empty without one.
  std::string error_message() const { return server_error() ? server_error()->message : std::string(); }
  // Why the driver failed a request it judged itself (schema disagreement:
  // which hosts, at which versions); empty otherwise.
  const std::string& error_detail() const noexcept {
    static const std::string none;
    return s_ ? s_->detail : none;
  }
  // Every attempt when one failed (the last entry is the one answered with
  // the completion's code, unless a later attempt succeeded); empty when the
  // first attempt succeeded. Also on a failed result without a server answer.
  std::span<const attempt_record> attempts() const noexcept {
    return s_ ? std::span<const attempt_record>(s_->attempts) : std::span<const attempt_record>();
  }
  // The host that coordinated the request (host_metrics::host.id names it);
  // nullopt when no host answered.
  std::optional<routing::host_id> coordinator() const noexcept {
    return s_ ? s_->coordinator : std::nullopt;
  }
  // The trace's id, when request_options::tracing asked for one
  // (session::async_trace reads the trace).
  std::optional<protocol::uuid> tracing_id() const noexcept {
    if (!s_ || !s_->envelope.extras.tracing) return std::nullopt;
    return s_->envelope.extras.tracing_id;
  }
  // What the server sent back in the frame's custom payload.
  const std::optional<protocol::custom_payload>& custom_payload() const noexcept {
    static const std::optional<protocol::custom_payload> none;
    return s_ ? s_->envelope.extras.payload : none;
  }
  // A conditional statement's outcome (INSERT … IF NOT EXISTS, UPDATE … IF,
  // a batch with conditions): the `[applied]` column of its first row. When
  // false, the row's other columns hold the values that failed the
  // condition (rows()). nullopt: the result is not a conditional one.
  std::optional<bool> applied() const noexcept;
  // The server's warnings (v4 §2.2 flag 0x08): a batch too large, a query
  // that read many tombstones.
  const std::optional<std::vector<std::string>>& warnings() const {
    static const std::optional<std::vector<std::string>> none;
    return s_ ? s_->envelope.extras.warnings : none;
  }

 private:
  std::shared_ptr<const state> s_;
};

}  // namespace cqlpp
