// transport/ against a real Cassandra 5.0: handshake on v5 and v4, with and
// without lz4, and a pool under load that ends with no id left behind.
#include <doctest/doctest.h>

#include <atomic>

#include "cqlpp/protocol/value.hpp"
#include "tests/integration/live.hpp"
#include "cqlpp/transport/handshake.hpp"
#include "cqlpp/transport/message_io.hpp"
#include "cqlpp/transport/pool.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

std::string release_version(transport::connection& c) {
  const auto v = static_cast<protocol::protocol_version>(c.info().version);
  protocol::query_request q;
  q.query = "SELECT release_version FROM system.local";
  transport::request req;
  REQUIRE_FALSE(transport::make_request(q, v, req));
  auto f = c.async_request(std::move(req), asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  auto resp = f.get();
  auto d = transport::decode(resp, v);
  REQUIRE(d.has_value());
  auto* rows = std::get_if<protocol::rows_result>(&d->message);
  REQUIRE(rows);
  REQUIRE(rows->size() == 1);
  auto row = *rows->begin();
  auto s = protocol::decode_as<std::string_view>(row[0].bytes, *row.type(0));
  REQUIRE(s.has_value());
  return std::string(*s);
}

}  // namespace

TEST_CASE("handshake against Cassandra 5.0: v5 and v4 (forced), with and without lz4") {
  io_thread t;
  for (int version : {5, 4}) {
    for (bool lz4 : {false, true}) {
      CAPTURE(version);
      CAPTURE(lz4);
      transport::connection_options o;
      o.host = cqlpp::test::live_host();
      o.max_version = static_cast<std::uint8_t>(version);
      o.compress = lz4 ? transport::compression::lz4 : transport::compression::none;
      auto f = transport::async_connect(t.io.get_executor(), o, nullptr, asio::use_future);
      REQUIRE(f.wait_for(30s) == std::future_status::ready);
      auto c = f.get();
      CHECK(c->info().version == version);
      CHECK((c->info().compress == transport::compression::lz4) == lz4);
      CHECK(c->info().supported.count("PROTOCOL_VERSIONS") == 1);
      const auto rv = release_version(*c);
      const std::string what = "v" + std::to_string(version) + (lz4 ? " + lz4" : "") + ": release_version " + rv;
      MESSAGE(what);
      CHECK(rv.rfind("5.0", 0) == 0);
      c->close();
    }
  }
}

TEST_CASE("pool of 2 connections: 200,000 requests at concurrency 1,024 all succeed, no id left behind") {
  io_thread t;
  transport::connection_options o;
  o.host = cqlpp::test::live_host();
  transport::pool_options po;
  po.connections = 2;
  auto pool = transport::host_pool::create(t.io.get_executor(), o, po);
  auto started = pool->async_start(asio::use_future);
  REQUIRE(started.wait_for(30s) == std::future_status::ready);
  started.get();
  const auto v = static_cast<protocol::protocol_version>(pool->protocol_version());

  protocol::query_request q;
  q.query = "SELECT release_version FROM system.local";
  transport::request proto_req;
  REQUIRE_FALSE(transport::make_request(q, v, proto_req));

  constexpr int total = 200000;
  constexpr int concurrency = 1024;
  std::atomic<int> issued{0}, ok{0}, failed{0};
  std::promise<void> all_done;
  std::atomic<int> finished_workers{0};
  std::function<void()> issue_one = [&] {
    if (issued.fetch_add(1) >= total) {
      if (finished_workers.fetch_add(1) + 1 == concurrency) all_done.set_value();
      return;
    }
    pool->async_request(proto_req, [&](std::error_code ec, transport::response r) {
      if (!ec && r.header.op == protocol::opcode::result) ok.fetch_add(1);
      else failed.fetch_add(1);
      issue_one();
    });
  };
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < concurrency; ++i) asio::post(t.io, issue_one);
  REQUIRE(all_done.get_future().wait_for(300s) == std::future_status::ready);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto s = pool->stats();
  MESSAGE(total << " requests in " << secs << " s = " << static_cast<long>(total / secs) << " req/s; writes "
                << s.writes << " (" << static_cast<double>(s.requests_sent) / static_cast<double>(s.writes)
                << " requests per write)");
  CHECK(ok == total);
  CHECK(failed == 0);
  CHECK(cqlpp::test::eventually([&] {
    const auto st = pool->stats();
    return st.ids_in_use == 0 && st.orphaned_ids == 0 && st.requests_in_flight == 0 && st.bytes_in_flight == 0;
  }));
  CHECK(pool->stats().connections_open == 2);
  pool->close();
}
