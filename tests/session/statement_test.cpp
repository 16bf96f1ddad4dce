// request_options and batches as they reach the wire: the fake node keeps
// the last QUERY/EXECUTE/BATCH frame, and the protocol's own decoder (itself
// checked against the Python driver's bytes) reads back what the session
// encoded. Also the timestamp generator's promises (timestamp_generator.hpp)
// and re-preparing every entry of a batch that a node forgot.
#include "cqlpp/session/session.hpp"
#include "cqlpp/session/timestamp_generator.hpp"

#include <doctest/doctest.h>

#include <future>
#include <set>
#include <thread>

#include "cqlpp/protocol/message.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/io_thread.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::fake_node;
using cqlpp::test::fake_node_options;

namespace {

session connect(cqlpp::test::io_thread& t, const fake_node& n, bool client_timestamps = true) {
  session_options o;
  o.connection.host = "127.0.0.1";
  o.connection.port = n.port();
  o.cluster.discover = false;
  o.cluster.client_timestamps = client_timestamps;
  auto f = session::async_connect(t.io.get_executor(), std::move(o), asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

template <class F>
auto wait(F&& f) {
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

// The last statement the node saw, decoded by the protocol layer. The frame
// bytes are held in `keep` because the decoded values borrow them.
protocol::request_envelope last_seen(const fake_node& n, std::vector<std::byte>& keep) {
  auto seen = n.last_statement();
  REQUIRE(seen);
  keep = std::move(seen->bytes);
  auto fr = protocol::decode_frame(keep);
  auto* f = std::get_if<protocol::frame_view>(&fr);
  REQUIRE(f);
  const auto v = seen->version >= 5 ? protocol::protocol_version::v5 : protocol::protocol_version::v4;
  auto env = protocol::decode_request(*f, v);
  REQUIRE(env);
  return std::move(*env);
}

std::vector<std::byte> be32(std::int32_t x) {
  const auto u = static_cast<std::uint32_t>(x);
  return {std::byte(u >> 24), std::byte(u >> 16), std::byte(u >> 8), std::byte(u)};
}

bool same_bytes(protocol::bytes_view a, const std::vector<std::byte>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::vector<std::byte> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), reinterpret_cast<const std::byte*>(s.data()) + s.size()};
}

}  // namespace

TEST_CASE("timestamp_generator: strictly increasing when the clock stalls or steps back") {
  detail::timestamp_generator g;
  CHECK(g.next(1'000) == 1'000);
  CHECK(g.next(1'000) == 1'001);  // same reading: one microsecond on
  CHECK(g.next(900) == 1'002);    // the clock stepped back
  CHECK(g.next(5'000) == 5'000);  // caught up: the clock again
  const auto a = g.next();
  const auto b = g.next();
  CHECK(a > 5'000);
  CHECK(b > a);
}

TEST_CASE("timestamp_generator: no two threads get the same timestamp") {
  detail::timestamp_generator g;
  constexpr int threads = 4, each = 20'000;
  std::vector<std::vector<std::int64_t>> got(threads);
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i)
    ts.emplace_back([&, i] {
      got[i].reserve(each);
      for (int k = 0; k < each; ++k) got[i].push_back(g.next(42));  // a stalled clock: all contend
      CHECK(std::is_sorted(got[i].begin(), got[i].end()));
    });
  for (auto& t : ts) t.join();
  std::set<std::int64_t> all;
  for (const auto& v : got) all.insert(v.begin(), v.end());
  CHECK(all.size() == std::size_t{threads * each});
  CHECK(*all.rbegin() == 42 + threads * each - 1);
}

TEST_CASE("request_options reach the wire: consistency, serial, timestamp, page size, tracing, payload, v5 keyspace") {
  for (std::uint8_t v : {4, 5}) {
    CAPTURE(int(v));
    fake_node node(fake_node_options{.max_version = v});
    cqlpp::test::io_thread t;
    auto s = connect(t, node);

    statement q("INSERT something");
    q.consistency = protocol::consistency::quorum;
    q.serial_consistency = protocol::consistency::local_serial;
    q.timestamp = 1'234'567;
    q.page_size = 77;
    q.tracing = true;
    q.payload = protocol::custom_payload{{"k", bytes_of("v")}};
    q.keyspace = "ks";
    wait(s.async_query(q, asio::use_future));

    std::vector<std::byte> keep;
    const auto env = last_seen(node, keep);
    CHECK(env.extras.tracing);
    REQUIRE(env.extras.payload);
    CHECK(env.extras.payload->at("k") == bytes_of("v"));
    const auto& m = std::get<protocol::query_request>(env.message);
    CHECK(m.query == "INSERT something");
    CHECK(m.params.cl == protocol::consistency::quorum);
    CHECK(m.params.serial_consistency == protocol::consistency::local_serial);
    CHECK(m.params.default_timestamp == 1'234'567);
    CHECK(m.params.page_size == 77);
    if (v == 5) CHECK(m.params.keyspace == "ks");
    else CHECK_FALSE(m.params.keyspace);  // v4 has no per-request keyspace
  }
}

TEST_CASE("client timestamps: every write carries one, increasing; none when turned off") {
  fake_node node;
  cqlpp::test::io_thread t;
  std::vector<std::byte> keep;
  {
    auto s = connect(t, node);
    const statement q("INSERT a");
    std::int64_t last = 0;
    for (int i = 0; i < 5; ++i) {
      wait(s.async_query(q, asio::use_future));
      const auto env = last_seen(node, keep);
      const auto ts = std::get<protocol::query_request>(env.message).params.default_timestamp;
      REQUIRE(ts);
      CHECK(*ts > last);
      last = *ts;
    }
    const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    CHECK(last <= now_us + 1'000);  // the system clock, in microseconds
    CHECK(last > now_us - 60'000'000);
  }
  auto s = connect(t, node, /*client_timestamps=*/false);
  wait(s.async_query(statement("INSERT b"), asio::use_future));
  const auto env = last_seen(node, keep);
  CHECK_FALSE(std::get<protocol::query_request>(env.message).params.default_timestamp);
}

TEST_CASE("batch: simple and prepared entries, type, consistency, serial, timestamp and v5 keyspace on the wire") {
  for (std::uint8_t v : {4, 5}) {
    CAPTURE(int(v));
    fake_node node(fake_node_options{.max_version = v});
    cqlpp::test::io_thread t;
    auto s = connect(t, node);
    auto p = wait(s.async_prepare("UPDATE ? ?", asio::use_future));
    REQUIRE(p.variables.columns.size() == 2);

    batch b(protocol::batch_type::unlogged);
    const std::vector<serialized_value> raw{be32(5), std::nullopt};
    REQUIRE_FALSE(b.add("INSERT x", raw));
    REQUIRE_FALSE(b.add(p, {std::int32_t{7}, std::int32_t{8}}));
    // A wrong count or type leaves the batch as it was.
    CHECK(b.add(p, {std::int32_t{7}}) == protocol::errc::type_mismatch);
    CHECK(b.add(p, {std::int32_t{7}, std::string("eight")}) == protocol::errc::type_mismatch);
    CHECK(b.size() == 2);
    b.consistency = protocol::consistency::each_quorum;
    b.serial_consistency = protocol::consistency::serial;
    b.timestamp = 99;
    b.keyspace = "ks";
    wait(s.async_batch(b, asio::use_future));

    std::vector<std::byte> keep;
    const auto env = last_seen(node, keep);
    const auto& m = std::get<protocol::batch_request>(env.message);
    CHECK(m.type == protocol::batch_type::unlogged);
    REQUIRE(m.statements.size() == 2);
    CHECK_FALSE(m.statements[0].prepared);
    CHECK(m.statements[0].query == "INSERT x");
    REQUIRE(m.statements[0].values.size() == 2);
    CHECK(same_bytes(m.statements[0].values[0].bytes, be32(5)));
    CHECK(m.statements[0].values[1].is_null());
    CHECK(m.statements[1].prepared);
    CHECK(m.statements[1].id == p.id);
    REQUIRE(m.statements[1].values.size() == 2);
    CHECK(same_bytes(m.statements[1].values[0].bytes, be32(7)));
    CHECK(same_bytes(m.statements[1].values[1].bytes, be32(8)));
    CHECK(m.cl == protocol::consistency::each_quorum);
    CHECK(m.serial_consistency == protocol::consistency::serial);
    CHECK(m.default_timestamp == 99);
    if (v == 5) CHECK(m.keyspace == "ks");
    else CHECK_FALSE(m.keyspace);

    // Reused after clear(): only what was added since.
    b.clear();
    CHECK(b.empty());
    REQUIRE_FALSE(b.add("INSERT y"));
    wait(s.async_batch(b, asio::use_future));
    const auto env2 = last_seen(node, keep);
    const auto& m2 = std::get<protocol::batch_request>(env2.message);
    REQUIRE(m2.statements.size() == 1);
    CHECK(m2.statements[0].query == "INSERT y");
    CHECK(m2.statements[0].values.empty());
  }
}

TEST_CASE("batch: a node that forgot two prepared entries gets both re-prepared, and the batch succeeds") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, node);
  auto p1 = wait(s.async_prepare("UPDATE one ?", asio::use_future));
  auto p2 = wait(s.async_prepare("UPDATE two ?", asio::use_future));
  batch b;
  REQUIRE_FALSE(b.add(p1, {std::int32_t{1}}));
  REQUIRE_FALSE(b.add(p2, {std::int32_t{2}}));
  REQUIRE_FALSE(b.add("INSERT plain"));
  node.forget_prepared();
  const auto before = node.prepares_seen();
  const auto statements_before = node.statements_seen();
  wait(s.async_batch(b, asio::use_future));  // throws, failing the test, on an error
  CHECK(node.prepares_seen() - before == 2);           // one PREPARE per forgotten id
  CHECK(node.statements_seen() - statements_before == 3);  // UNPREPARED, UNPREPARED, done
}

TEST_CASE("execute: a node that forgot the statement re-prepares it once, then the EXECUTE succeeds") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, node);
  auto p = wait(s.async_prepare("ROWS 3 WHERE ?", asio::use_future));
  node.forget_prepared();
  auto r = wait(s.async_execute(p, {std::int32_t{1}}, asio::use_future));
  REQUIRE(r.rows());
  CHECK(r.rows()->size() == 3);
}

TEST_CASE("session::metrics: requests, failures by kind and the latency the caller saw") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, node);
  CHECK(s.metrics().requests == 0);
  for (int i = 0; i < 5; ++i) wait(s.async_query(statement("ROWS 1"), asio::use_future));
  wait(s.async_query(statement("SLEEP 60 ROWS 1"), asio::use_future));
  auto bad = s.async_query(statement("ERROR 0x2200 no such table"), asio::use_future);
  REQUIRE(bad.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS(bad.get());
  statement hang("HANG");
  hang.timeout = 100ms;
  auto late = s.async_query(hang, asio::use_future);
  REQUIRE(late.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS(late.get());

  const auto m = s.metrics();
  CHECK(m.requests == 8);
  CHECK(m.failed == 2);
  CHECK(m.errors_of(error_kind::invalid_request) == 1);
  CHECK(m.errors_of(error_kind::client_timeout) == 1);
  CHECK(m.errors_of(error_kind::connection) == 0);
  CHECK(m.latency.count == 8);
  CHECK(m.latency.max >= 100ms);                   // the request that timed out
  CHECK(m.latency.p90 >= 60ms);                    // 2 of 8 took 60 ms or more
  CHECK(m.latency.p50 < 60ms);
  s.close();
  CHECK(s.metrics().requests == 8);  // still readable after close()
}
