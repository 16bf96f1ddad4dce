// request_options: how one request is to be executed — consistency, paging,
// retrying, timestamps, tracing, payload — apart from what it executes
// (statement.hpp, batch.hpp). Every execute and stream call takes one.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "cqlpp/protocol/envelope.hpp"
#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp {

struct request_options {
  protocol::consistency consistency = protocol::consistency::local_one;
  // The consistency of a conditional write's Paxos phase (IF …): serial or
  // local_serial. Unset: the server's default, serial.
  std::optional<protocol::consistency> serial_consistency;
  std::int32_t page_size = 5000;        // rows per page for streams and queries
  std::optional<std::string> keyspace;  // v5 only: the keyspace unqualified names are in
  // Safe to send twice: retried on another host after a lost connection or
  // a write timeout, and raced by speculative execution (policies/retry.hpp).
  bool idempotent = false;
  // The whole request's time, retries included; 0: connection.request_timeout.
  std::chrono::milliseconds timeout{0};
  // The write timestamp, in microseconds since the epoch. Unset: the
  // session's generator when cluster_options::client_timestamps is on (the
  // default), else the coordinator's clock.
  std::optional<std::int64_t> timestamp;
  // Asks the server to trace the request: the result's tracing_id() names the
  // trace, and session::async_trace reads it back.
  bool tracing = false;
  // Sent with the request (the frame's custom payload, v4 §2.2) for server
  // plug-ins (QueryHandler); the server's own comes back in the result.
  std::optional<protocol::custom_payload> payload;
};

}  // namespace cqlpp
