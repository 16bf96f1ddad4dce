// session over the in-process fake node, in v4 and v5: queries, prepared
// statements, streams and errors; and the promises of session.hpp, pool.hpp
// and result_stream.hpp that a review found broken (issue "Keep every
// promise the headers make", defects 1, 3, 4, 5 and 7). Every wait is bounded.
#include "cqlpp/session/session.hpp"
#include "cqlpp/transport/pool.hpp"

#include <doctest/doctest.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <future>
#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/io_thread.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using asio::use_awaitable;
using cqlpp::test::eventually;
using cqlpp::test::fake_node;
using cqlpp::test::fake_node_options;

namespace {

constexpr auto tuple_awaitable = asio::experimental::as_tuple(use_awaitable);
using clock = std::chrono::steady_clock;

session_options options_for(const fake_node& n) {
  session_options o;
  o.connection.host = "127.0.0.1";
  o.connection.port = n.port();
  o.cluster.discover = false;  // the fake node has no system tables to read
  return o;
}

session connect(cqlpp::test::io_thread& t, session_options o) {
  auto f = session::async_connect(t.io.get_executor(), std::move(o), asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

std::int32_t key_of(const streaming::row& r) { return r.get<std::int32_t>(0).value().value(); }

// A pool of one connection with two stream ids: two requests fill it, the
// third waits in the pool's queue.
session_options two_slot_options(const fake_node& n, std::chrono::milliseconds request_timeout = 5s) {
  auto o = options_for(n);
  o.pool.connections = 1;
  o.connection.max_stream_ids = 2;
  o.connection.request_timeout = request_timeout;
  return o;
}

// A loopback listener that accepts and never answers, on its own thread.
struct silent_listener {
  asio::io_context io;
  asio::ip::tcp::acceptor acc{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::vector<asio::ip::tcp::socket> held;  // on the listener's thread
  std::atomic<int> accepted{0};
  std::thread thread;
  std::uint16_t port_ = acc.local_endpoint().port();  // read before the thread runs
  silent_listener() {
    accept();
    thread = std::thread([this] { io.run(); });
  }
  ~silent_listener() {
    io.stop();
    thread.join();
  }
  std::uint16_t port() const { return port_; }
  void accept() {
    acc.async_accept([this](std::error_code ec, asio::ip::tcp::socket sk) {
      if (ec) return;
      held.push_back(std::move(sk));
      accepted.fetch_add(1);
      accept();
    });
  }
};

}  // namespace

TEST_CASE("session: query, prepare, execute, stream and errors in v4 and v5") {
  for (std::uint8_t v : {4, 5}) {
    CAPTURE(int(v));
    fake_node node(fake_node_options{.max_version = v});
    cqlpp::test::io_thread t;
    auto s = connect(t, options_for(node));
    CHECK(s.protocol_version() == v);
    t.run([&]() -> asio::awaitable<void> {
      const statement q("ROWS 10");
      auto r = co_await s.async_query(q, use_awaitable);
      if (!r.rows() || r.rows()->size() != 10) throw std::runtime_error("ROWS 10");

      const std::string cql = "ROWS 7 WHERE ?";  // named: GCC 12 and literals in co_await
      auto p = co_await s.async_prepare(cql, use_awaitable);
      if (p.variables.columns.size() != 1) throw std::runtime_error("one bind marker");
      std::vector<protocol::cql_value> args{std::int32_t{1}};
      auto e = co_await s.async_execute(p, std::move(args), use_awaitable);
      // skip_metadata: rows typed from the prepared result metadata.
      if (!e.rows() || e.rows()->size() != 7) throw std::runtime_error("EXECUTE rows");
      if (key_of(streaming::row(*e.rows()->begin())) != 0) throw std::runtime_error("EXECUTE row typed");

      statement big("ROWS 1000");
      big.page_size = 100;
      auto st = co_await s.async_stream(big, stream_options{}, use_awaitable);
      int n = 0;
      while (auto row = co_await st.async_next(use_awaitable))
        if (key_of(*row) != n++) throw std::runtime_error("stream order");
      if (n != 1000) throw std::runtime_error("stream count");

      const statement bad("ERROR 0x2200 no such table");
      auto [ec, res] = co_await s.async_query(bad, tuple_awaitable);
      if (ec != std::error_code(0x2200, protocol::server_category())) throw std::runtime_error("error code");
      if (res.error_message() != "no such table") throw std::runtime_error("error message");

      statement failing("ROWS 1000 FAIL_AT 300");
      failing.page_size = 100;
      auto fs = co_await s.async_stream(failing, stream_options{}, use_awaitable);
      int got = 0;
      std::error_code fec;
      for (;;) {
        auto [e2, row] = co_await fs.async_next(tuple_awaitable);
        if (e2 || !row) { fec = e2; break; }
        ++got;
      }
      if (got != 300 || fec != std::error_code(0x2200, protocol::server_category()))
        throw std::runtime_error("mid-stream error after " + std::to_string(got) + " rows: " + fec.message());
      if (fs.error_detail() != "scripted failure at row 300") throw std::runtime_error("stream error detail");
    }());
  }
}

// Defect 1: close() used to free the current page under a row the caller held.
TEST_CASE("session: close() while a stream row is held keeps the row valid until the next call") {
  fake_node node(fake_node_options{.max_version = 5});
  cqlpp::test::io_thread t;
  auto s = connect(t, options_for(node));
  auto reg = s.stream_registry();
  std::optional<result_stream> st;
  std::optional<streaming::row> row;
  t.run([&]() -> asio::awaitable<void> {
    statement q("ROWS 500");
    q.page_size = 100;
    st.emplace(co_await s.async_stream(q, stream_options{}, use_awaitable));
    for (int i = 0; i < 42; ++i) row = co_await st->async_next(use_awaitable);
  }());
  s.close();
  REQUIRE(eventually([&] { return reg->snapshot().fetches_in_flight == 0 && reg->snapshot().pages_held <= 1; }));
  std::this_thread::sleep_for(50ms);  // the shutdown has run on the stream's strand
  CHECK(reg->snapshot().pages_held == 1);
  CHECK(key_of(*row) == 41);  // under ASan: no heap-use-after-free
  CHECK(row->get<std::string_view>(1).value().value() == "row-41");
  auto ec = t.run([&]() -> asio::awaitable<std::error_code> {
    auto [e, r] = co_await st->async_next(tuple_awaitable);
    co_return e;
  }());
  CHECK(ec == streaming::errc::session_closed);
  CHECK(reg->snapshot().pages_held == 0);
}

// Defect 3: a request waiting in the pool's queue honours its cancellation slot.
TEST_CASE("session: a cancelled queued query completes at once with operation_aborted and is never sent") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_slot_options(node));
  const statement hang("HANG");
  auto h1 = s.async_query(hang, asio::use_future);
  auto h2 = s.async_query(hang, asio::use_future);
  REQUIRE(eventually([&] { return node.statements_seen() == 2; }));
  asio::cancellation_signal sig;
  std::promise<std::error_code> done;
  const statement q("SLEEP 10 ROWS 1");
  asio::post(t.io, [&] {
    s.async_query(q, asio::bind_cancellation_slot(sig.slot(), [&](std::error_code ec, query_result) {
      done.set_value(ec);
    }));
  });
  REQUIRE(eventually([&] { return s.pool_stats().queued == 1; }));
  const auto t0 = clock::now();
  asio::post(t.io, [&] { sig.emit(asio::cancellation_type::terminal); });
  auto f = done.get_future();
  REQUIRE(f.wait_for(2s) == std::future_status::ready);
  CHECK(f.get() == asio::error::operation_aborted);
  CHECK(clock::now() - t0 < 1s);
  CHECK(s.pool_stats().queued == 0);
  std::this_thread::sleep_for(100ms);
  CHECK(node.statements_seen() == 2);
  s.close();
  CHECK(h1.wait_for(2s) == std::future_status::ready);
  CHECK(h2.wait_for(2s) == std::future_status::ready);
}

// Defect 3: the timeout counts from submission, time in the queue included.
TEST_CASE("session: a queued query's timeout counts from submission") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_slot_options(node, 600ms));
  // Far apart, so that a slow (sanitized, loaded) machine cannot blur them:
  // the deadline at 600 ms, the first free slot at 1.5 s.
  const statement slow("SLEEP 1500");
  auto a = s.async_query(slow, asio::use_future);
  auto b = s.async_query(slow, asio::use_future);
  const auto t0 = clock::now();
  auto c = s.async_query(slow, asio::use_future);  // queued 1.5 s, then 1.5 s more at the node
  REQUIRE(c.wait_for(5s) == std::future_status::ready);
  const auto waited = clock::now() - t0;
  std::error_code ec;
  try {
    c.get();
  } catch (const std::system_error& e) {
    ec = e.code();
  }
  CHECK(ec == transport::errc::request_timeout);
  MESSAGE("queued query failed after " << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                                       << " ms (timeout 600 ms)");
  CHECK(waited < 1300ms);  // not when a slot freed (1.5 s) nor after it (2.1 s)
  CHECK(a.wait_for(4s) == std::future_status::ready);
  CHECK(b.wait_for(4s) == std::future_status::ready);
}

// Defect 3: with the node gone, nothing waits in the queue past its timeout.
TEST_CASE("session: queued queries fail with no_connection when the node goes away and does not come back") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto o = two_slot_options(node, 800ms);
  o.pool.reconnect_base = 50ms;
  auto s = connect(t, o);
  const statement hang("HANG");
  auto a = s.async_query(hang, asio::use_future);
  auto b = s.async_query(hang, asio::use_future);
  REQUIRE(eventually([&] { return node.statements_seen() == 2; }));
  auto c = s.async_query(hang, asio::use_future);
  REQUIRE(eventually([&] { return s.pool_stats().queued == 1; }));
  const auto t0 = clock::now();
  node.stop_listening();
  REQUIRE(c.wait_for(3s) == std::future_status::ready);
  std::error_code ec;
  try {
    c.get();
  } catch (const std::system_error& e) {
    ec = e.code();
  }
  CHECK(ec == transport::errc::no_connection);
  CHECK(clock::now() - t0 < 1500ms);
  MESSAGE("queued query with the node gone: " << ec.message());
  CHECK(a.wait_for(2s) == std::future_status::ready);
  CHECK(b.wait_for(2s) == std::future_status::ready);
}

// Defect 3: a stream destroyed while its first fetch waits in the queue never sends it.
TEST_CASE("session: a stream destroyed while its fetch is queued does not send the fetch") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_slot_options(node));
  const statement slow("SLEEP 300");
  auto a = s.async_query(slow, asio::use_future);
  auto b = s.async_query(slow, asio::use_future);
  REQUIRE(eventually([&] { return node.statements_seen() == 2; }));
  {
    statement q("ROWS 100");
    auto f = s.async_stream(q, stream_options{}, asio::use_future);
    REQUIRE(f.wait_for(2s) == std::future_status::ready);
    auto st = f.get();
    REQUIRE(eventually([&] { return s.pool_stats().queued == 1; }));
  }  // destroyed with its fetch queued
  CHECK(a.wait_for(2s) == std::future_status::ready);
  CHECK(b.wait_for(2s) == std::future_status::ready);
  std::this_thread::sleep_for(200ms);
  CHECK(node.statements_seen() == 2);
  CHECK(eventually([&] { return s.stream_counters().live_streams == 0 && s.pool_stats().queued == 0; }));
}

// Defect 4: every composed operation resumes on the caller's executor.
TEST_CASE("session: coroutines on a strand resume on it after every call") {
  fake_node node(fake_node_options{.max_version = 5});
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread t1([&] { io.run(); }), t2([&] { io.run(); });
  auto strand = asio::make_strand(io);
  auto f = asio::co_spawn(strand, [&]() -> asio::awaitable<std::vector<std::string>> {
    std::vector<std::string> off;
    auto check = [&](const char* what) {
      if (!strand.running_in_this_thread()) off.push_back(what);
    };
    // The session's own executor is the io_context, not the caller's strand.
    auto s = co_await session::async_connect(io.get_executor(), options_for(node), use_awaitable);
    check("async_connect");
    const statement q("ROWS 3");
    co_await s.async_query(q, use_awaitable);
    check("async_query");
    const std::string cql = "ROWS 3 WHERE ?";
    auto p = co_await s.async_prepare(cql, use_awaitable);
    check("async_prepare");
    std::vector<protocol::cql_value> args{std::int32_t{1}};
    co_await s.async_execute(p, std::move(args), use_awaitable);
    check("async_execute");
    auto st = co_await s.async_stream(q, stream_options{}, use_awaitable);
    check("async_stream");
    co_await st.async_next(use_awaitable);
    check("async_next");
    co_await st.async_release(use_awaitable);
    check("async_release");
    co_return off;
  }, asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  auto off = f.get();
  std::string list;
  for (auto& o : off) list += o + " ";
  INFO("resumed off the strand after: " << list);
  CHECK(off.empty());
  guard.reset();
  io.stop();
  t1.join();
  t2.join();
}

// Defect 4: async_prepare passes the caller's cancellation slot through.
TEST_CASE("session: a cancelled async_prepare completes at once with operation_aborted") {
  fake_node node;
  cqlpp::test::io_thread t;
  auto s = connect(t, options_for(node));
  auto r = t.run([&]() -> asio::awaitable<std::pair<std::error_code, clock::duration>> {
    asio::cancellation_signal sig;
    asio::steady_timer timer(co_await asio::this_coro::executor, 50ms);
    timer.async_wait([&](std::error_code) { sig.emit(asio::cancellation_type::terminal); });
    const auto t0 = clock::now();
    const std::string cql = "SLEEP 3000 ROWS 1";
    auto [ec, p] = co_await s.async_prepare(cql, asio::bind_cancellation_slot(sig.slot(), tuple_awaitable));
    co_return std::pair{ec, clock::now() - t0};
  }());
  CHECK(r.first == asio::error::operation_aborted);
  CHECK(r.second < 1s);
}

// Defect 5: after close(), nothing of cqlpp keeps the io_context busy.
TEST_CASE("session: io_context::run() returns promptly after close(), reconnect timers included") {
  fake_node node;
  asio::io_context io;
  auto o = options_for(node);
  o.pool.connections = 2;
  o.pool.reconnect_base = 5s;  // long backoff: an armed timer would hold run() for 5 s
  o.pool.reconnect_max = 30s;
  o.pool.jitter = 0;
  auto f = session::async_connect(io.get_executor(), o, asio::use_future);
  auto ran = std::async(std::launch::async, [&] { io.run(); });
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  auto s = f.get();
  REQUIRE(eventually([&] { return s.pool_stats().connections_open == 2; }));
  node.drop_connections();  // both die; each slot arms a 5 s reconnect timer
  REQUIRE(eventually([&] { return s.pool_stats().reconnect_attempts >= 2; }));
  const auto t0 = clock::now();
  s.close();
  const bool returned = ran.wait_for(2s) == std::future_status::ready;
  MESSAGE("io_context::run() returned " << std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count()
                                        << " ms after close()");
  CHECK(returned);
  if (!returned) io.stop();
  ran.wait();
}

// Defect 5: a connection attempt in progress at close() ends at once too, and
// the start completes (with connection_closed) instead of holding work.
TEST_CASE("host_pool: close() during a connection attempt ends it and completes the start") {
  silent_listener listener;  // the handshake would wait for connect_timeout (20 s)
  asio::io_context io;
  transport::connection_options c;
  c.host = "127.0.0.1";
  c.port = listener.port();
  c.connect_timeout = 20s;
  auto pool = transport::host_pool::create(io.get_executor(), c);
  std::promise<std::error_code> started;
  pool->async_start([&](std::error_code ec) { started.set_value(ec); });
  auto ran = std::async(std::launch::async, [&] { io.run(); });
  REQUIRE(eventually([&] { return listener.accepted.load() >= 1; }));
  std::this_thread::sleep_for(50ms);
  const auto t0 = clock::now();
  pool->close();
  auto sf = started.get_future();
  REQUIRE(sf.wait_for(2s) == std::future_status::ready);
  CHECK(sf.get() == transport::errc::connection_closed);
  const bool returned = ran.wait_for(2s) == std::future_status::ready;
  MESSAGE("io_context::run() returned " << std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count()
                                        << " ms after close() during a handshake");
  CHECK(returned);
  if (!returned) io.stop();
  ran.wait();
}

// Cancellation slots are honoured by async_connect too: a handshake that
// would wait for connect_timeout ends at once.
TEST_CASE("session: a cancelled async_connect completes at once with operation_aborted and holds nothing") {
  silent_listener listener;
  asio::io_context io;
  session_options o;
  o.connection.host = "127.0.0.1";
  o.connection.port = listener.port();
  o.connection.connect_timeout = 20s;
  asio::cancellation_signal sig;
  std::promise<std::error_code> done;
  session::async_connect(io.get_executor(), o, asio::bind_cancellation_slot(sig.slot(),
      [&](std::error_code ec, session) { done.set_value(ec); }));
  asio::steady_timer later(io, 200ms);
  clock::time_point t0;
  later.async_wait([&](std::error_code) {
    t0 = clock::now();
    sig.emit(asio::cancellation_type::terminal);
  });
  auto ran = std::async(std::launch::async, [&] { io.run(); });
  auto f = done.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == asio::error::operation_aborted);
  const bool returned = ran.wait_for(2s) == std::future_status::ready;
  CHECK(returned);  // nothing left armed
  if (!returned) io.stop();
  ran.wait();
  CHECK(clock::now() - t0 < 2s);
}

// Defect 7: the connect failure's words travel in the completion: in the
// session a callback gets, and in the exception a future or coroutine gets.
TEST_CASE("session: a failed async_connect says why in the completion (callback, future, coroutine)") {
  fake_node node;  // v4 only
  cqlpp::test::io_thread t;
  auto o = options_for(node);
  o.cluster.discover = true;  // the control connection's handshake fails, and says why
  o.connection.min_version = 5;
  const std::string why = "Invalid or unsupported protocol version (5)";

  std::promise<std::pair<std::error_code, std::string>> cb;
  session::async_connect(t.io.get_executor(), o, [&](std::error_code ec, session s) {
    cb.set_value({ec, s.valid() ? "valid?" : s.error_detail()});
  });
  auto cf = cb.get_future();
  REQUIRE(cf.wait_for(10s) == std::future_status::ready);
  auto [ec, detail] = cf.get();
  CHECK(ec == transport::errc::unsupported_version);
  MESSAGE("callback: " << detail);
  CHECK(detail.find(why) != std::string::npos);

  auto f = session::async_connect(t.io.get_executor(), o, asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  try {
    f.get();
    FAIL("connected");
  } catch (const connect_error& e) {
    MESSAGE("future: " << std::string(e.what()));
    CHECK(e.code() == transport::errc::unsupported_version);
    CHECK(e.detail().find(why) != std::string::npos);
    CHECK(std::string(e.what()).find(why) != std::string::npos);
  }

  auto aw = t.run([&]() -> asio::awaitable<std::string> {
    try {
      co_await session::async_connect(co_await asio::this_coro::executor, o, use_awaitable);
    } catch (const connect_error& e) {
      co_return e.detail();
    }
    co_return "connected";
  }());
  MESSAGE("coroutine: " << aw);
  CHECK(aw.find(why) != std::string::npos);
}

// Issue "A sans-I/O connection core": the API shape. The token is the last
// parameter; asio::experimental::deferred works as one (nothing is sent
// until the deferred operation is launched); values may be a braced list, an
// array or a vector, and are serialised before the call returns.
TEST_CASE("session: deferred tokens launch later; values as a braced list, an array or a vector") {
  fake_node node(fake_node_options{.max_version = 5});
  cqlpp::test::io_thread t;
  auto o = options_for(node);
  o.pool.connections = 1;  // no second handshake counted while we watch
  auto s = connect(t, o);
  REQUIRE(s.valid());

  const statement q("ROWS 4");
  auto op = s.async_query(q, asio::experimental::deferred);
  const auto sent_before = s.pool_stats().requests_sent;
  std::this_thread::sleep_for(50ms);
  CHECK(s.pool_stats().requests_sent == sent_before);  // deferred: not started yet
  std::promise<std::pair<std::error_code, std::size_t>> done;
  std::move(op)([&](std::error_code ec, query_result r) {
    done.set_value({ec, r.rows() ? r.rows()->row_count() : 0});
  });
  auto f = done.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  auto [ec, rows] = f.get();
  CHECK_FALSE(ec);
  CHECK(rows == 4);

  const std::string cql = "ROWS 2 WHERE ?";
  auto p = s.async_prepare(cql, asio::use_future).get();
  REQUIRE(p.variables.columns.size() == 1);
  CHECK_FALSE(s.async_execute(p, {std::int32_t{7}}, asio::use_future).get().empty());
  const std::array<protocol::cql_value, 1> arr{std::int32_t{8}};
  CHECK_FALSE(s.async_execute(p, arr, asio::use_future).get().empty());
  std::vector<protocol::cql_value> vec{std::int32_t{9}};
  statement opts;
  opts.consistency = protocol::consistency::quorum;
  CHECK_FALSE(s.async_execute(p, vec, opts, asio::use_future).get().empty());
  // A wrong number of values fails through the completion, not by throwing at the call.
  auto bad = s.async_execute(p, {}, asio::use_future);
  REQUIRE(bad.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS_AS(bad.get(), std::system_error);
}
