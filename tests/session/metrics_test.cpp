// The latency histogram's buckets and percentiles, and how errors are
// grouped by kind (session/metrics.hpp), without a session.
#include "cqlpp/session/metrics.hpp"

#include <doctest/doctest.h>

#include <asio/error.hpp>
#include <random>
#include <thread>
#include <vector>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/streaming/error.hpp"
#include "cqlpp/transport/error.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;

TEST_CASE("latency_histogram: every value lies in its bucket, within 12.5% of the bound") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100'000; ++i) {
    const std::uint64_t v = rng() >> (rng() % 64);
    const auto b = latency_histogram::bucket_of(v);
    REQUIRE(b < latency_histogram::buckets);
    if (v >= (std::uint64_t{1} << 36)) {
      CHECK(b == latency_histogram::buckets - 1);  // past the range: the last bucket
      continue;
    }
    const auto hi = latency_histogram::upper_bound(b);
    const auto lo = b == 0 ? 0 : latency_histogram::upper_bound(b - 1) + 1;
    CHECK(lo <= v);
    CHECK(v <= hi);
    CHECK(static_cast<double>(hi) <= static_cast<double>(v) * 1.125 + 1);
  }
  for (std::uint64_t v = 0; v < 16; ++v) CHECK(latency_histogram::upper_bound(latency_histogram::bucket_of(v)) == v);
  // Buckets tile the range: each starts one past the previous one's end.
  for (std::size_t b = 1; b < latency_histogram::buckets; ++b)
    CHECK(latency_histogram::bucket_of(latency_histogram::upper_bound(b - 1) + 1) == b);
}

TEST_CASE("latency_histogram: percentiles of a known distribution") {
  latency_histogram h;
  CHECK(h.summary().count == 0);
  for (std::uint64_t us = 1; us <= 10'000; ++us) h.record(us);  // 1 µs .. 10 ms, uniform
  const auto s = h.summary();
  CHECK(s.count == 10'000);
  CHECK(s.max == 10'000us);
  CHECK(s.mean == 5'000us);
  auto near = [](std::chrono::microseconds got, std::int64_t want) {
    return got.count() >= want && static_cast<double>(got.count()) <= want * 1.125 + 1;
  };
  CHECK(near(s.p50, 5'000));
  CHECK(near(s.p90, 9'000));
  CHECK(near(s.p99, 9'900));
  CHECK(s.p999 <= s.max);
  CHECK(s.p50 <= s.p90);
  CHECK(s.p90 <= s.p99);
}

TEST_CASE("latency_histogram: concurrent recorders lose nothing") {
  latency_histogram h;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 50'000; ++i) h.record(static_cast<std::uint64_t>(t * 1000 + i % 1000));
    });
  for (auto& t : ts) t.join();
  const auto s = h.summary();
  CHECK(s.count == 200'000);
  CHECK(s.max == 3'999us);
}

TEST_CASE("kind_of: server, transport and driver errors by kind") {
  auto server = [](protocol::server_errc e) { return protocol::make_server_error_code(static_cast<std::int32_t>(e)); };
  using protocol::server_errc;
  CHECK(kind_of(server(server_errc::read_timeout)) == error_kind::server_timeout);
  CHECK(kind_of(server(server_errc::write_timeout)) == error_kind::server_timeout);
  CHECK(kind_of(server(server_errc::unavailable)) == error_kind::unavailable);
  CHECK(kind_of(server(server_errc::overloaded)) == error_kind::overloaded);
  CHECK(kind_of(server(server_errc::is_bootstrapping)) == error_kind::overloaded);
  CHECK(kind_of(server(server_errc::read_failure)) == error_kind::replica_failure);
  CHECK(kind_of(server(server_errc::invalid)) == error_kind::invalid_request);
  CHECK(kind_of(server(server_errc::syntax_error)) == error_kind::invalid_request);
  CHECK(kind_of(server(server_errc::server_error)) == error_kind::server_error);
  CHECK(kind_of(server(server_errc::protocol_error)) == error_kind::server_error);
  CHECK(kind_of(transport::errc::request_timeout) == error_kind::client_timeout);
  CHECK(kind_of(transport::errc::connection_closed) == error_kind::connection);
  CHECK(kind_of(transport::errc::no_connection) == error_kind::connection);
  CHECK(kind_of(transport::errc::protocol_violation) == error_kind::server_error);
  CHECK(kind_of(asio::error::operation_aborted) == error_kind::cancelled);
  CHECK(kind_of(streaming::errc::session_closed) == error_kind::other);
  CHECK(to_string(error_kind::client_timeout) == "client timeout");
}
