// Retry: what to do after one attempt of a request failed, as a pure
// function of the failure, the statement's idempotence and the retries made
// so far — no connections, no clocks — so every rule is a unit test.
//
// The rules (those of the Java driver 4.x default policy, with the issue's
// idempotence rule for write timeouts):
//  - UNPREPARED: re-prepare on the same host, then send again (reprepare).
//  - Read timeout: once on the same host when enough replicas answered but
//    the data did not arrive (received >= block_for && !data_present): the
//    coordinator timed out waiting for the one data replica, which a second
//    try usually finds in its cache.
//  - Write timeout: once on the same host, and only when idempotent — the
//    write may have been applied.
//  - Unavailable: once on the next host — another coordinator may see more
//    replicas alive.
//  - Overloaded, bootstrapping: the next host; the request was not executed.
//  - Server error (0x0000): the next host, when idempotent.
//  - Failures on replicas, CAS write unknown, truncate errors, and every
//    request error (syntax, invalid, unauthorized, ...): never retried.
//  - Transport: a request that was never sent (no connection open, queue
//    full, no stream id, the connect refused or unreachable) goes to the
//    next host whatever the statement; one lost with its connection (closed,
//    defunct, reset, broken pipe, end of stream) only when idempotent. A
//    client-side timeout or a cancellation is final: the request's time is
//    spent, or its caller gave up.
//  - Anything else (a codec error, an unexpected response): final.
// The executor caps the attempts at the plan's length; `retries` here is how
// many times this request was already retried for a retry-once rule.
#pragma once

#include <system_error>

#include "cqlpp/protocol/error_response.hpp"

namespace cqlpp::routing {

// What the executor does after a failed attempt.
enum class retry_action {
  fail,       // complete the caller with this failure
  same_host,  // send again to the host that answered
  next_host,  // send to the next host of the plan
  reprepare,  // PREPARE on the same host, then send again
};

// One failed attempt, as decide_retry sees it.
struct attempt_failure {
  std::error_code ec;  // a transport, server or codec code
  // The server's error details when ec is a server code (nullptr otherwise).
  const protocol::error_details* details = nullptr;
};

// The rules above for `f`; `retries`: how many times the request was already
// retried. A success (no ec) gives fail. Thread-safe, no state.
[[nodiscard]] retry_action decide_retry(const attempt_failure& f, bool idempotent, int retries) noexcept;

// "fail", "same host", ... for diagnostics.
[[nodiscard]] const char* to_string(retry_action a) noexcept;

}  // namespace cqlpp::routing
