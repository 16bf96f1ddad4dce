// What a session measures of its requests, read by session::metrics():
// counts, failures by kind, and a latency histogram — from each request's
// submission to its caller's completion, retries and speculation included,
// so that it is the latency the application sees. Stream pages count as
// requests too. (Per host: session::hosts(), host_metrics.)
//
// Recording is lock-free (relaxed atomics, one clock read per request), so
// any thread may read while the io threads record; a reading is a
// consistent-enough snapshot, not an atomic one.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace cqlpp {

// What a failed request failed with, as an operator groups it.
enum class error_kind : std::uint8_t {
  client_timeout,   // no answer within the request's timeout (the driver gave up)
  server_timeout,   // the coordinator's replicas did not answer in time (read/write timeout)
  unavailable,      // not enough replicas alive for the consistency level
  overloaded,       // overloaded, bootstrapping, truncate error
  replica_failure,  // read/write failure on replicas
  invalid_request,  // syntax, invalid, unauthorized, configuration, already exists
  server_error,     // server or protocol error
  connection,       // no connection, connection lost, TLS or authentication failed
  cancelled,        // the caller cancelled
  other,            // the driver's own (bad values, session closed, …)
};
inline constexpr std::size_t error_kinds = 10;  // how many error_kind values there are
// The kind's name in words ("client timeout", "replica failure"), for logs and reports.
std::string_view to_string(error_kind k) noexcept;
// The kind a request's error counts as: server codes by their condition,
// transport codes by cause, operation_aborted as cancelled, the rest other.
error_kind kind_of(std::error_code ec) noexcept;

// Latencies of a set of requests, read from a latency_histogram; all zero
// when count is 0.
struct latency_summary {
  std::uint64_t count = 0;            // requests recorded
  std::chrono::microseconds mean{0};  // the exact mean, rounded down
  // Percentiles are the upper bounds of their histogram buckets: at most
  // 12.5% over the true value (and never past max). p50: the median.
  std::chrono::microseconds p50{0}, p90{0}, p99{0}, p999{0};  // p999: the 99.9th percentile
  std::chrono::microseconds max{0};   // the largest recorded, exact
  // \var p90
  // The 90th percentile (see p50).
  // \var p99
  // The 99th percentile (see p50).
};

// What session::metrics() returns: every request since the session started.
struct session_metrics {
  std::uint64_t requests = 0;   // completed, successes and failures
  std::uint64_t failed = 0;     // completed with an error
  std::array<std::uint64_t, error_kinds> errors{};  // by error_kind
  // errors[k]: the failures of kind k.
  std::uint64_t errors_of(error_kind k) const noexcept { return errors[static_cast<std::size_t>(k)]; }
  std::uint64_t retries = 0;      // attempts after the first, on any host
  std::uint64_t speculative = 0;  // speculative executions started
  latency_summary latency;        // of every completed request
};

// A log-linear histogram of microseconds: exact below 16 µs, then 8
// buckets per power of two (12.5% resolution) up to 2^36 µs (about 19 h);
// longer ones count in the last bucket. 272 counters, no allocation.
class latency_histogram {
 public:
  static constexpr int sub_bits = 3;          // 2^3 = 8 buckets per power of two
  static constexpr std::size_t linear = 16;   // values below this have a bucket each
  static constexpr int max_exponent = 35;     // the last power of two with buckets (2^35..2^36 µs)
  static constexpr std::size_t buckets = linear + (max_exponent - 3) * (1u << sub_bits);  // 272

  // Counts one latency, in µs. Lock-free; any thread.
  void record(std::uint64_t us) noexcept;
  // Count, mean, percentiles and max of what was recorded so far.
  latency_summary summary() const noexcept;

  // The bucket a value falls in, 0..buckets - 1.
  static std::size_t bucket_of(std::uint64_t us) noexcept;
  static std::uint64_t upper_bound(std::size_t bucket) noexcept;  // the largest value it holds

 private:
  std::array<std::atomic<std::uint64_t>, buckets> counts_{};
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> sum_{0};
  std::atomic<std::uint64_t> max_{0};
};

namespace detail {

// The session's recorder, written by the request executor.
struct request_metrics {
  latency_histogram latency;
  std::atomic<std::uint64_t> failed{0};
  std::array<std::atomic<std::uint64_t>, error_kinds> errors{};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> speculative{0};

  void completed(std::chrono::steady_clock::duration took, std::error_code ec) noexcept {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    latency.record(us > 0 ? static_cast<std::uint64_t>(us) : 0);
    if (ec) {
      failed.fetch_add(1, std::memory_order_relaxed);
      errors[static_cast<std::size_t>(kind_of(ec))].fetch_add(1, std::memory_order_relaxed);
    }
  }
};

// The reading session::metrics() returns.
session_metrics read(const request_metrics& m) noexcept;

}  // namespace detail

}  // namespace cqlpp
