#include "cqlpp/session/metrics.hpp"

#include <algorithm>
#include <asio/error.hpp>
#include <bit>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/streaming/error.hpp"
#include "cqlpp/transport/error.hpp"

namespace cqlpp {

std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::client_timeout: return "client timeout";
    case error_kind::server_timeout: return "server timeout";
    case error_kind::unavailable: return "unavailable";
    case error_kind::overloaded: return "overloaded";
    case error_kind::replica_failure: return "replica failure";
    case error_kind::invalid_request: return "invalid request";
    case error_kind::server_error: return "server error";
    case error_kind::connection: return "connection";
    case error_kind::cancelled: return "cancelled";
    case error_kind::other: return "other";
  }
  return "other";
}

error_kind kind_of(std::error_code ec) noexcept {
  using protocol::server_condition;
  if (ec.category() == protocol::server_category()) {
    if (ec == server_condition::timeout) return error_kind::server_timeout;
    if (ec == server_condition::unavailable) return error_kind::unavailable;
    if (ec == server_condition::node_busy) return error_kind::overloaded;
    if (ec == server_condition::replica_failure) return error_kind::replica_failure;
    if (ec == server_condition::request_invalid) return error_kind::invalid_request;
    if (ec == server_condition::auth_failure) return error_kind::connection;
    return error_kind::server_error;  // server or protocol error; unprepared left over
  }
  if (ec.category() == transport::transport_category()) {
    switch (static_cast<transport::errc>(ec.value())) {
      case transport::errc::request_timeout: return error_kind::client_timeout;
      case transport::errc::no_stream_ids:
      case transport::errc::queue_full:
      case transport::errc::unexpected_response:
        return error_kind::other;
      case transport::errc::protocol_violation: return error_kind::server_error;
      default: return error_kind::connection;
    }
  }
  if (ec == asio::error::operation_aborted) return error_kind::cancelled;
  return error_kind::other;
}

std::size_t latency_histogram::bucket_of(std::uint64_t us) noexcept {
  if (us < linear) return static_cast<std::size_t>(us);
  const int e = std::bit_width(us) - 1;  // >= 4
  if (e > max_exponent) return buckets - 1;
  const auto sub = static_cast<std::size_t>((us >> (e - sub_bits)) & ((1u << sub_bits) - 1));
  return linear + static_cast<std::size_t>(e - 4) * (1u << sub_bits) + sub;
}

std::uint64_t latency_histogram::upper_bound(std::size_t b) noexcept {
  if (b < linear) return b;
  const auto group = (b - linear) >> sub_bits;
  const auto sub = (b - linear) & ((1u << sub_bits) - 1);
  const int shift = static_cast<int>(group) + 4 - sub_bits;
  const std::uint64_t lower = static_cast<std::uint64_t>((1u << sub_bits) + sub) << shift;
  return lower + (std::uint64_t{1} << shift) - 1;
}

void latency_histogram::record(std::uint64_t us) noexcept {
  counts_[bucket_of(us)].fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(us, std::memory_order_relaxed);
  auto m = max_.load(std::memory_order_relaxed);
  while (us > m && !max_.compare_exchange_weak(m, us, std::memory_order_relaxed)) {
  }
}

latency_summary latency_histogram::summary() const noexcept {
  std::array<std::uint64_t, buckets> c;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < buckets; ++i) total += c[i] = counts_[i].load(std::memory_order_relaxed);
  latency_summary s;
  s.count = total;
  if (total == 0) return s;
  const auto max = max_.load(std::memory_order_relaxed);
  s.max = std::chrono::microseconds(max);
  s.mean = std::chrono::microseconds(sum_.load(std::memory_order_relaxed) / std::max<std::uint64_t>(total_.load(std::memory_order_relaxed), 1));
  // The smallest bucket bound below which at least q of the values lie.
  auto at = [&](double q) {
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(q * static_cast<double>(total) + 0.999999));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
      seen += c[i];
      if (seen >= rank) return std::chrono::microseconds(std::min(upper_bound(i), max));
    }
    return std::chrono::microseconds(max);
  };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  s.p999 = at(0.999);
  return s;
}

namespace detail {

session_metrics read(const request_metrics& m) noexcept {
  session_metrics out;
  out.latency = m.latency.summary();
  out.requests = out.latency.count;
  out.failed = m.failed.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < error_kinds; ++i) out.errors[i] = m.errors[i].load(std::memory_order_relaxed);
  out.retries = m.retries.load(std::memory_order_relaxed);
  out.speculative = m.speculative.load(std::memory_order_relaxed);
  return out;
}

}  // namespace detail

}  // namespace cqlpp
