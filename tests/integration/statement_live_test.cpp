// Statements against the live node: conditional writes and [applied],
// batches of every type, client timestamps as the server stores them,
// tracing read back with async_trace, server warnings, custom payloads, the
// v5 per-request keyspace, and the errors of a bad batch.
#include <doctest/doctest.h>

#include <vector>

#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

using cqlpp::test::await_result;
using cqlpp::test::outcome;
using cqlpp::test::run;

// A statement that must succeed; its result.
query_result ok(session& s, const statement& st) {
  auto out = run(s, st);  // no structured binding: clang 14 cannot capture one in INFO's lambda
  const auto& ec = out.first;
  INFO(st.cql << ": " << ec.message() << " " << out.second.error_message());
  REQUIRE_FALSE(ec);
  return std::move(out.second);
}

prepared_statement prepare(session& s, const std::string& cql) {
  auto f = s.async_prepare(cql, asio::use_future);
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

outcome run_batch(session& s, const batch& b) {
  return await_result([&](auto h) { s.async_batch(b, std::move(h)); });
}

template <class T>
T cell(const query_result& r, std::size_t col) {
  REQUIRE(r.rows());
  REQUIRE(r.rows()->size() >= 1);
  auto v = streaming::row(*r.rows()->begin()).get<T>(col);
  REQUIRE(v);
  REQUIRE(v->has_value());
  return **v;
}

std::int64_t rows_in(const query_result& r) { return r.rows() ? static_cast<std::int64_t>(r.rows()->size()) : -1; }

void schema(session& s) {
  for (const char* cql : {
           "CREATE KEYSPACE IF NOT EXISTS cqlpp_stmt WITH replication = "
           "{'class': 'SimpleStrategy', 'replication_factor': 1}",
           "CREATE TABLE IF NOT EXISTS cqlpp_stmt.kv (k int PRIMARY KEY, v text)",
           "CREATE TABLE IF NOT EXISTS cqlpp_stmt.counts (k int PRIMARY KEY, n counter)",
           "TRUNCATE cqlpp_stmt.kv", "TRUNCATE cqlpp_stmt.counts"}) {
    statement st(cql);
    st.timeout = 60s;
    ok(s, st);
  }
}

}  // namespace

TEST_CASE("live: conditional writes report [applied], with the row that failed the condition") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);

  statement ins("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (1, 'first') IF NOT EXISTS");
  ins.serial_consistency = protocol::consistency::local_serial;
  CHECK(ok(s, ins).applied() == true);
  statement again("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (1, 'second') IF NOT EXISTS");
  auto r = ok(s, again);
  CHECK(r.applied() == false);
  CHECK(cell<std::string>(r, 2) == "first");  // [applied], k, v: what is there

  auto upd = prepare(s, "UPDATE cqlpp_stmt.kv SET v = ? WHERE k = ? IF v = ?");
  auto [ec, u] = await_result([&](auto h) {
    s.async_execute(upd, {std::string("third"), std::int32_t{1}, std::string("first")}, std::move(h));
  });
  REQUIRE_FALSE(ec);
  CHECK(u.applied() == true);
  CHECK_FALSE(ok(s, statement("SELECT v FROM cqlpp_stmt.kv WHERE k = 1")).applied());  // not conditional
  CHECK(cell<std::string>(ok(s, statement("SELECT v FROM cqlpp_stmt.kv WHERE k = 1")), 0) == "third");
}

TEST_CASE("live: logged, unlogged, counter and conditional batches") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);
  auto ins = prepare(s, "INSERT INTO cqlpp_stmt.kv (k, v) VALUES (?, ?)");

  batch logged;
  for (std::int32_t k = 10; k < 20; ++k) REQUIRE_FALSE(logged.add(ins, {k, std::string("b")}));
  REQUIRE_FALSE(logged.add("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (20, 'simple')"));
  auto lr = run_batch(s, logged);
  INFO(lr.second.error_message());
  REQUIRE_FALSE(lr.first);
  CHECK(rows_in(ok(s, statement("SELECT k FROM cqlpp_stmt.kv WHERE k IN (10,11,12,13,14,15,16,17,18,19,20)"))) == 11);

  batch unlogged(protocol::batch_type::unlogged);
  REQUIRE_FALSE(unlogged.add(ins, {std::int32_t{30}, std::string("u")}));
  REQUIRE_FALSE(unlogged.add(ins, {std::int32_t{31}, std::string("u")}));
  REQUIRE_FALSE(run_batch(s, unlogged).first);
  CHECK(rows_in(ok(s, statement("SELECT k FROM cqlpp_stmt.kv WHERE k IN (30, 31)"))) == 2);

  batch counter(protocol::batch_type::counter);
  auto bump = prepare(s, "UPDATE cqlpp_stmt.counts SET n = n + ? WHERE k = ?");
  REQUIRE_FALSE(counter.add(bump, {std::int64_t{2}, std::int32_t{1}}));
  REQUIRE_FALSE(counter.add(bump, {std::int64_t{3}, std::int32_t{1}}));
  REQUIRE_FALSE(run_batch(s, counter).first);
  REQUIRE_FALSE(run_batch(s, counter).first);  // a batch runs any number of times
  CHECK(cell<std::int64_t>(ok(s, statement("SELECT n FROM cqlpp_stmt.counts WHERE k = 1")), 0) == 10);

  // Conditions in a batch: one partition, applied as a whole or not at all.
  batch cas;
  REQUIRE_FALSE(cas.add("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (40, 'x') IF NOT EXISTS"));
  auto first = run_batch(s, cas);
  REQUIRE_FALSE(first.first);
  CHECK(first.second.applied() == true);
  auto second = run_batch(s, cas);
  REQUIRE_FALSE(second.first);
  CHECK(second.second.applied() == false);

  // A SELECT does not belong in a batch: the server says so, by name.
  batch bad;
  REQUIRE_FALSE(bad.add("SELECT * FROM cqlpp_stmt.kv"));
  auto [bec, br] = run_batch(s, bad);
  CHECK(bec == std::error_code(0x2200, protocol::server_category()));
  MESSAGE("a SELECT in a batch: " << br.error_message());
  CHECK(br.error_message().find("batch") != std::string::npos);
  // Wrong values never leave the client.
  CHECK(logged.add(ins, {std::string("not an int"), std::string("v")}) == protocol::errc::type_mismatch);
}

TEST_CASE("live: client timestamps are the writes' timestamps, and order them") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);
  const auto before = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  ok(s, statement("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (50, 'generated')"));
  const auto wt = cell<std::int64_t>(ok(s, statement("SELECT WRITETIME(v) FROM cqlpp_stmt.kv WHERE k = 50")), 0);
  CHECK(wt >= before);
  CHECK(wt < before + 60'000'000);

  statement set("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (51, 'newer')");
  set.timestamp = 2'000'000;
  ok(s, set);
  statement older("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (51, 'older')");
  older.timestamp = 1'000'000;  // sent later, but older: the server keeps the newer write
  ok(s, older);
  auto r = ok(s, statement("SELECT v, WRITETIME(v) FROM cqlpp_stmt.kv WHERE k = 51"));
  CHECK(cell<std::string>(r, 0) == "newer");
  CHECK(cell<std::int64_t>(r, 1) == 2'000'000);

  batch b;
  b.timestamp = 3'000'000;
  REQUIRE_FALSE(b.add("INSERT INTO cqlpp_stmt.kv (k, v) VALUES (52, 'batched')"));
  REQUIRE_FALSE(run_batch(s, b).first);
  CHECK(cell<std::int64_t>(ok(s, statement("SELECT WRITETIME(v) FROM cqlpp_stmt.kv WHERE k = 52")), 0) == 3'000'000);
}

TEST_CASE("live: a traced request's trace, read back with async_trace") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);
  auto sel = prepare(s, "SELECT v FROM cqlpp_stmt.kv WHERE k = ?");
  request_options opts;
  opts.tracing = true;
  auto [ec, r] = await_result([&](auto h) { s.async_execute(sel, {std::int32_t{1}}, opts, std::move(h)); });
  REQUIRE_FALSE(ec);
  REQUIRE(r.tracing_id());
  auto f = s.async_trace(*r.tracing_id(), trace_options{.attempts = 50, .interval = 100ms}, asio::use_future);
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  const auto tr = f.get();
  CHECK(tr.id == *r.tracing_id());
  CHECK(tr.request == "Execute CQL3 prepared query");
  CHECK(tr.coordinator == cqlpp::test::live_host());
  CHECK(tr.duration_us > 0);
  CHECK_FALSE(tr.events.empty());
  MESSAGE("trace: " << tr.events.size() << " events, " << tr.duration_us << " µs at " << tr.coordinator
                    << "; first: " << (tr.events.empty() ? "" : tr.events.front().activity));

  // No tracing asked: no id. An id nobody traced: a clear error, not a hang.
  CHECK_FALSE(ok(s, statement("SELECT v FROM cqlpp_stmt.kv WHERE k = 1")).tracing_id());
  auto missing = s.async_trace(protocol::uuid{}, trace_options{.attempts = 3, .interval = 10ms}, asio::use_future);
  REQUIRE(missing.wait_for(30s) == std::future_status::ready);
  CHECK_THROWS_AS(missing.get(), std::system_error);
}

TEST_CASE("live: server warnings on the result; a custom payload is accepted") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);
  auto ins = prepare(s, "INSERT INTO cqlpp_stmt.kv (k, v) VALUES (?, ?)");
  batch big;  // over batch_size_warn_threshold (5 KiB) and across partitions
  for (std::int32_t k = 100; k < 110; ++k) REQUIRE_FALSE(big.add(ins, {k, std::string(1000, 'w')}));
  auto [ec, r] = run_batch(s, big);
  REQUIRE_FALSE(ec);
  REQUIRE(r.warnings());
  REQUIRE_FALSE(r.warnings()->empty());
  MESSAGE("warning on a 10 KB batch: " << r.warnings()->front());
  CHECK(r.warnings()->front().find("Batch") != std::string::npos);
  CHECK_FALSE(ok(s, statement("SELECT v FROM cqlpp_stmt.kv WHERE k = 1")).warnings());

  statement with_payload("SELECT v FROM cqlpp_stmt.kv WHERE k = 1");
  with_payload.payload = protocol::custom_payload{{"cqlpp-test", {std::byte{1}, std::byte{2}}}};
  ok(s, with_payload);  // the default query handler ignores it, and answers
}

TEST_CASE("live: v5 keyspace per request, without USE") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  schema(s);
  if (s.protocol_version() < 5) {
    MESSAGE("server negotiated v" << int(s.protocol_version()) << ": no per-request keyspace to test");
    return;
  }
  statement bare("SELECT k FROM kv WHERE k = 1");
  CHECK(run(s, bare).first);  // no keyspace: the server refuses
  bare.keyspace = "cqlpp_stmt";
  auto r = ok(s, bare);
  CHECK(rows_in(r) >= 0);
  auto p = prepare(s, "SELECT k FROM cqlpp_stmt.kv WHERE k = ?");
  CHECK(p.variables.columns.size() == 1);
}

// Cassandra 5.0 describes a duration column to a v4 client as the custom
// class DurationType (v4 has no duration type id): it must still read as a
// duration, as it does over v5.
TEST_CASE("live: a duration column reads as a duration over v4 (DurationType) and v5") {
  for (const std::uint8_t version : {std::uint8_t{4}, std::uint8_t{5}}) {
    CAPTURE(int(version));
    io_thread t;
    auto o = cqlpp::test::live_options();
    o.connection.max_version = version;
    auto s = cqlpp::test::connect(t, o);
    REQUIRE(s.protocol_version() == version);
    schema(s);
    statement ddl("CREATE TABLE IF NOT EXISTS cqlpp_stmt.durations (k int PRIMARY KEY, d duration)");
    ddl.timeout = 60s;
    ok(s, ddl);
    ok(s, statement("INSERT INTO cqlpp_stmt.durations (k, d) VALUES (1, 1mo2d3ns)"));
    ok(s, statement("INSERT INTO cqlpp_stmt.durations (k, d) VALUES (2, -1y2h)"));
    auto r = ok(s, statement("SELECT d FROM cqlpp_stmt.durations WHERE k IN (1, 2)"));
    REQUIRE(r.rows());
    const auto& type = r.rows()->metadata().columns.at(0).type;
    CHECK(type.kind == protocol::type_kind::duration);
    MESSAGE("v" << int(version) << ": duration column described as '" << type.custom_class << "' (kind "
                << int(type.kind) << ")");
    std::vector<protocol::duration> got;
    for (const auto row : *r.rows()) {
      auto v = streaming::row(row).value(0);
      REQUIRE(v);
      REQUIRE(v->get_if<protocol::duration>());
      got.push_back(*v->get_if<protocol::duration>());
    }
    REQUIRE(got.size() == 2);
    CHECK(got[0] == protocol::duration{1, 2, 3});
    CHECK(got[1] == protocol::duration{-12, 0, -2LL * 3600 * 1000000000});
  }
}
