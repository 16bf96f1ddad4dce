// "Calls may come from any thread", under load: 4 io threads, 8 calling
// threads, 100,000 requests and 1,000 streams read partly and destroyed on a
// thread other than the one that made them, while sessions are closed and
// replaced underneath. Run in the ThreadSanitizer build by scripts/test; the
// promise is no report, every completion delivered once, counters back to 0.
#include "cqlpp/session/session.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/support/fake_node.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::eventually;

namespace {

constexpr int io_threads = 4;
constexpr int callers = 8;
constexpr int requests_per_caller = 12'500;  // 100,000 in all
constexpr int streams_per_caller = 125;      // 1,000 in all
constexpr int per_batch = 50;

// Errors a request may meet when its session is closed under it.
bool expected_while_closing(std::error_code ec) {
  return ec == streaming::errc::session_closed || ec == transport::errc::connection_closed ||
         ec == transport::errc::not_connected || ec == asio::error::operation_aborted;
}

struct sessions {
  asio::any_io_executor ex;
  session_options opts;
  std::mutex mu;
  std::shared_ptr<session> current;
  std::vector<std::shared_ptr<session>> all;

  std::shared_ptr<session> get() {
    std::lock_guard lk(mu);
    return current;
  }
  // Connects a new session, makes it current, and closes the one before it
  // while the callers may still be using it.
  void replace() {
    auto f = session::async_connect(ex, opts, asio::use_future);
    if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("connect timed out");
    auto fresh = std::make_shared<session>(f.get());
    std::shared_ptr<session> old;
    {
      std::lock_guard lk(mu);
      old = std::exchange(current, fresh);
      all.push_back(fresh);
    }
    if (old) old->close();
  }
};

}  // namespace

TEST_CASE("stress: 4 io threads, 8 calling threads, 100,000 requests, 1,000 streams, sessions closed under load") {
  cqlpp::test::fake_node node(cqlpp::test::fake_node_options{.max_version = 5});
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::vector<std::thread> pool;
  for (int i = 0; i < io_threads; ++i) pool.emplace_back([&] { io.run(); });

  sessions ss;
  ss.ex = io.get_executor();
  ss.opts.connection.host = "127.0.0.1";
  ss.opts.connection.port = node.port();
  ss.opts.pool.connections = 2;
  ss.opts.cluster.discover = false;  // the fake node has no system tables
  ss.replace();

  std::atomic<long> issued{0}, completed{0}, ok{0}, closing_errors{0}, other_errors{0};
  std::atomic<long> streams_made{0}, streams_moved{0}, stream_rows{0};
  std::atomic<int> closes{0};
  std::atomic<bool> done{false};
  std::mutex handoff_mu;
  std::deque<result_stream> handoff;  // streams made on one thread, finished on another
  std::mutex first_error_mu;
  std::string first_other_error;

  auto record = [&](std::error_code ec) {
    if (!ec) ok.fetch_add(1);
    else if (expected_while_closing(ec)) closing_errors.fetch_add(1);
    else {
      other_errors.fetch_add(1);
      std::lock_guard lk(first_error_mu);
      if (first_other_error.empty()) first_other_error = ec.message();
    }
    completed.fetch_add(1);
  };

  // Reads up to n rows through futures (from a non-io thread); false at the end or on error.
  auto read_some = [&](result_stream& st, int n) {
    for (int i = 0; i < n; ++i) {
      std::promise<std::pair<std::error_code, std::optional<streaming::row>>> p;
      st.async_next([&p](std::error_code ec, std::optional<streaming::row> r) { p.set_value({ec, r}); });
      auto f = p.get_future();
      if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("stream read hung");
      auto [ec, row] = f.get();
      if (ec || !row) return false;
      if (row->get<std::int32_t>(0).value().value() < 0) throw std::runtime_error("bad row");
      stream_rows.fetch_add(1);
    }
    return true;
  };

  auto caller = [&](int id) {
    const statement rows2("ROWS 2");
    const statement plain("INSERT");
    statement paged("ROWS 400");
    paged.page_size = 50;
    const int batches = requests_per_caller / per_batch;
    const int stream_every = batches / streams_per_caller;
    int streams_left = streams_per_caller;
    for (int b = 0; b < batches; ++b) {
      auto s = ss.get();
      // Shared: the last count_down may still be running when wait() returns.
      auto landed = std::make_shared<std::latch>(per_batch);
      for (int i = 0; i < per_batch; ++i) {
        issued.fetch_add(1);
        s->async_query((i + id) % 2 ? rows2 : plain, [&record, landed](std::error_code ec, query_result r) {
          if (!ec && r.rows() && r.rows()->size() != 2) ec = std::make_error_code(std::errc::bad_message);
          record(ec);
          landed->count_down();
        });
      }
      if (streams_left > 0 && b % stream_every == 0) {
        --streams_left;
        std::promise<std::pair<std::error_code, result_stream>> p;
        s->async_stream(paged, stream_options{}, [&p](std::error_code ec, result_stream st) {
          p.set_value({ec, std::move(st)});
        });
        auto f = p.get_future();
        if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("async_stream hung");
        auto [ec, st] = f.get();
        streams_made.fetch_add(1);
        if (!ec) read_some(st, 20 + id);
        std::lock_guard lk(handoff_mu);
        handoff.push_back(std::move(st));
      }
      // Finish a stream someone else made: read on, then destroy it here.
      std::optional<result_stream> theirs;
      {
        std::lock_guard lk(handoff_mu);
        if (handoff.size() > 4) {
          theirs.emplace(std::move(handoff.front()));
          handoff.pop_front();
        }
      }
      if (theirs) {
        streams_moved.fetch_add(1);
        read_some(*theirs, 60);
        theirs.reset();
      }
      landed->wait();
    }
  };

  std::thread closer([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(150ms);
      if (done.load()) break;
      ss.replace();
      closes.fetch_add(1);
    }
  });
  std::vector<std::thread> threads;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < callers; ++i) threads.emplace_back(caller, i);
  for (auto& th : threads) th.join();
  done = true;
  closer.join();
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  {
    std::lock_guard lk(handoff_mu);
    handoff.clear();
  }
  ss.get()->close();

  MESSAGE("stress: " << io_threads << " io threads, " << callers << " calling threads, " << issued.load()
                     << " requests (" << ok.load() << " ok, " << closing_errors.load()
                     << " failed by a session closing, " << other_errors.load() << " other), " << streams_made.load()
                     << " streams (" << streams_moved.load() << " finished on another thread, " << stream_rows.load()
                     << " rows read), " << closes.load() << " sessions closed under load, " << secs << " s");
  INFO("first unexpected error: " << first_other_error);
  CHECK(issued.load() == callers * requests_per_caller);
  CHECK(completed.load() == issued.load());
  CHECK(other_errors.load() == 0);
  CHECK(ok.load() > issued.load() / 2);
  CHECK(streams_made.load() == callers * streams_per_caller);
  CHECK(closes.load() >= 1);

  // Counters back to 0 on every session, closed or not.
  for (auto& s : ss.all) {
    const bool clean = eventually([&] {
      const auto c = s->stream_counters();
      const auto p = s->pool_stats();
      return c.live_streams == 0 && c.pages_held == 0 && c.bytes_held == 0 && c.fetches_in_flight == 0 &&
             p.requests_in_flight == 0 && p.queued == 0;
    });
    const auto c = s->stream_counters();
    INFO("live " << c.live_streams << " pages " << c.pages_held << " fetches " << c.fetches_in_flight
                 << " in flight " << s->pool_stats().requests_in_flight);
    CHECK(clean);
  }
  ss.all.clear();
  {
    std::lock_guard lk(ss.mu);
    ss.current.reset();
  }
  // Nothing of cqlpp keeps the io_context busy once every session is closed.
  guard.reset();
  auto joined = std::async(std::launch::async, [&] {
    for (auto& th : pool) th.join();
  });
  const bool returned = joined.wait_for(10s) == std::future_status::ready;
  CHECK(returned);
  if (!returned) io.stop();
  joined.wait();
}
