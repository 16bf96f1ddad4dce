// pool_options and pool_stats: a host_pool's settings and counters, apart
// from the pool so that the session's public header needs no sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace cqlpp::transport {

// Settings of one host_pool (in a session: of each node's pool).
struct pool_options {
  int connections = 2;  // connections to the node (at least 1); default 2
  // Reconnection delay: reconnect_base * 2^attempt, capped at reconnect_max,
  // then randomised by ±jitter. Base default 100 ms.
  std::chrono::milliseconds reconnect_base{100};
  std::chrono::milliseconds reconnect_max{10'000};  // backoff cap; default 10 s
  double jitter = 0.15;          // fraction each delay varies by, so clients do not reconnect in step; default 0.15
  std::size_t max_queue = 8192;  // requests waiting for a free stream id; beyond: errc::queue_full; default 8192
  int orphan_threshold = 1024;   // more orphaned ids than this: the connection is retired and replaced; default 1024
};

// The counters of a host_pool, summed over its connections: a snapshot.
// Byte, write and request counts cover only the current connections: they
// restart when one is replaced.
struct pool_stats {
  int connections_open = 0;  // connections open now
  int ids_in_use = 0;        // stream ids awaiting a response for a live request
  int orphaned_ids = 0;      // ids whose caller gave up, awaiting the late response
  std::int64_t requests_in_flight = 0;  // issued through the pool, not yet completed
  std::int64_t queued = 0;              // requests waiting in the pool's queue
  std::uint64_t reconnect_attempts = 0;  // reconnections scheduled since the pool started
  std::uint64_t bytes_sent = 0;          // bytes written to the sockets
  std::uint64_t bytes_received = 0;      // bytes read from the sockets
  std::uint64_t writes = 0;              // write operations (requests_sent / writes: coalescing)
  std::uint64_t requests_sent = 0;       // requests submitted to a connection
  std::uint64_t bytes_in_flight = 0;  // encoded requests not yet written

  // Sums another pool's counters into these (a session's over its hosts).
  pool_stats& operator+=(const pool_stats& o) noexcept {
    connections_open += o.connections_open;
    ids_in_use += o.ids_in_use;
    orphaned_ids += o.orphaned_ids;
    requests_in_flight += o.requests_in_flight;
    queued += o.queued;
    reconnect_attempts += o.reconnect_attempts;
    bytes_sent += o.bytes_sent;
    bytes_received += o.bytes_received;
    writes += o.writes;
    requests_sent += o.requests_sent;
    bytes_in_flight += o.bytes_in_flight;
    return *this;
  }
};

}  // namespace cqlpp::transport
