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

// How to execute one request; a statement is one, and async_execute and
// async_stream take one for a prepared statement.
struct request_options {
  // The consistency level of the request; default local_one.
  protocol::consistency consistency = protocol::consistency::local_one;
  // The consistency of a conditional write's Paxos phase (IF …): serial or
  // local_serial. Unset (the default): the server's default, serial.
  std::optional<protocol::consistency> serial_consistency;
  std::int32_t page_size = 5000;        // rows per page for streams and queries; default 5000
  // v5 only: the keyspace unqualified names are in; not sent on v4 (a
  // statement still routes by it). Default: unset.
  std::optional<std::string> keyspace;
  // Safe to send twice: retried on another host after a lost connection or
  // a write timeout, and raced by speculative execution (policies/retry.hpp).
  // Default false.
  bool idempotent = false;
  // The whole request's time, retries included; 0 (the default):
  // connection.request_timeout.
  std::chrono::milliseconds timeout{0};
  // The write timestamp, in microseconds since the epoch. Unset: the
  // session's generator when cluster_options::client_timestamps is on (the
  // default), else the coordinator's clock.
  std::optional<std::int64_t> timestamp;
  // Asks the server to trace the request: the result's tracing_id() names the
  // trace, and session::async_trace reads it back. Default false.
  bool tracing = false;
  // Sent with the request (the frame's custom payload, v4 §2.2) for server
  // plug-ins (QueryHandler); the server's own comes back in the result.
  // Default: unset (none sent).
  std::optional<protocol::custom_payload> payload;
};

}  // namespace cqlpp
