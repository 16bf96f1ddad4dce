// pool_options and pool_stats: a host_pool's settings and counters, apart
// from the pool so that the session's public header needs no sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace cqlpp::transport {

struct pool_options {
  int connections = 2;
  std::chrono::milliseconds reconnect_base{100};
  std::chrono::milliseconds reconnect_max{10'000};
  double jitter = 0.15;
  std::size_t max_queue = 8192;
  int orphan_threshold = 1024;
};

struct pool_stats {
  int connections_open = 0;
  int ids_in_use = 0;
  int orphaned_ids = 0;
  std::int64_t requests_in_flight = 0;  // issued through the pool, not yet completed
  std::int64_t queued = 0;
  std::uint64_t reconnect_attempts = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t writes = 0;
  std::uint64_t requests_sent = 0;
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
