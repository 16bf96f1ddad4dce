// The RAII paging stream against a real Cassandra 5.0 with a 100,000-row
// table: every way of leaving a stream gives back its stream ids and pages.
#include <doctest/doctest.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <random>
#include <set>

#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;
using asio::use_awaitable;
using cqlpp::test::eventually;
using cqlpp::test::io_thread;

namespace {

constexpr int partitions = 100;
constexpr int rows_per_partition = 1000;
constexpr int total_rows = partitions * rows_per_partition;

asio::awaitable<void> load(session& s) {
  const statement ddl[] = {
      statement("CREATE KEYSPACE IF NOT EXISTS cqlpp_it WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}"),
      statement("CREATE TABLE IF NOT EXISTS cqlpp_it.big (pk int, ck int, payload text, n bigint, "
                "PRIMARY KEY (pk, ck))"),
      statement("CREATE TABLE IF NOT EXISTS cqlpp_it.loaded (k int PRIMARY KEY, n int)"),
  };
  for (const auto& d : ddl) co_await s.async_query(d, use_awaitable);
  const statement check("SELECT n FROM cqlpp_it.loaded WHERE k = 1");
  auto r = co_await s.async_query(check, use_awaitable);
  if (r.rows() && r.rows()->size() == 1) co_return;  // loaded by an earlier run

  const std::string ins = "INSERT INTO cqlpp_it.big (pk, ck, payload, n) VALUES (?, ?, ?, ?)";
  auto p = co_await s.async_prepare(ins, use_awaitable);
  // 256 inserts in flight at a time.
  auto ex = co_await asio::this_coro::executor;
  int next = 0;
  std::error_code first_error;
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < total_rows) {
      const int i = next++;
      std::vector<protocol::cql_value> v{std::int32_t{i / rows_per_partition}, std::int32_t{i % rows_per_partition},
                                         "payload-" + std::to_string(i), std::int64_t{i} * 7};
      auto [ec, res] = co_await s.async_execute(p, std::move(v), asio::experimental::as_tuple(use_awaitable));
      if (ec && !first_error) first_error = ec;
    }
  };
  std::vector<std::future<void>> done;
  for (int w = 0; w < 256; ++w) done.push_back(asio::co_spawn(ex, worker(), asio::use_future));
  asio::steady_timer t(ex);
  for (auto& d : done) {
    while (d.wait_for(0s) != std::future_status::ready) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  }
  if (first_error) throw std::system_error(first_error);
  const statement mark("INSERT INTO cqlpp_it.loaded (k, n) VALUES (1, 100000)");
  co_await s.async_query(mark, use_awaitable);
}

statement select_all(std::int32_t page_size = 1000) {
  statement st("SELECT pk, ck, payload, n FROM cqlpp_it.big");
  st.page_size = page_size;
  return st;
}

// Everything given back: no stream alive, no page held, no fetch in flight,
// no stream id in use or orphaned on any connection.
void check_clean(session& s, const std::string& scenario) {
  INFO(scenario);
  const bool clean = eventually([&] {
    const auto c = s.stream_counters();
    const auto p = s.pool_stats();
    return c.live_streams == 0 && c.pages_held == 0 && c.bytes_held == 0 && c.fetches_in_flight == 0 &&
           p.ids_in_use == 0 && p.orphaned_ids == 0;
  });
  const auto c = s.stream_counters();
  const auto p = s.pool_stats();
  MESSAGE(scenario << ": live streams " << c.live_streams << ", pages held " << c.pages_held << ", bytes held "
                   << c.bytes_held << ", fetches in flight " << c.fetches_in_flight << ", ids in use "
                   << p.ids_in_use << ", orphaned ids " << p.orphaned_ids << ", pages fetched " << c.pages_fetched
                   << ", abandoned fetches " << c.abandoned_fetches);
  CHECK(clean);
}

struct fixture {
  io_thread t;
  session s = cqlpp::test::connect(t);
  fixture() { t.run(load(s), 600s); }
};

}  // namespace

TEST_CASE_FIXTURE(fixture, "stream: reads all 100,000 rows once, in bounded memory") {
  auto n = t.run([&]() -> asio::awaitable<long> {
    auto st = co_await s.async_stream(select_all(5000), stream_options{}, use_awaitable);
    long count = 0;
    std::int64_t max_pages = 0;
    while (auto row = co_await st.async_next(use_awaitable)) {
      auto nv = row->get<std::int64_t>(3);
      if (!nv || !*nv) throw std::runtime_error("bad n");
      ++count;
      max_pages = std::max(max_pages, s.stream_counters().pages_held);
    }
    if (max_pages > 2) throw std::runtime_error("held more than prefetch + 1 pages");
    co_return count;
  }());
  CHECK(n == total_rows);
  check_clean(s, "full read");
}

TEST_CASE_FIXTURE(fixture, "stream: an exception thrown from the loop body releases everything") {
  auto scenario = [&]() -> asio::awaitable<void> {
    auto st = co_await s.async_stream(select_all(), stream_options{}, use_awaitable);
    int n = 0;
    while (auto row = co_await st.async_next(use_awaitable))
      if (++n == 1234) throw std::runtime_error("boom in the loop body");
  };
  CHECK_THROWS_WITH_AS(t.run(scenario()), "boom in the loop body", std::runtime_error);
  check_clean(s, "exception");
}

TEST_CASE_FIXTURE(fixture, "stream: break after 100 rows releases everything") {
  auto n = t.run([&]() -> asio::awaitable<int> {
    auto st = co_await s.async_stream(select_all(), stream_options{}, use_awaitable);
    int count = 0;
    while (auto row = co_await st.async_next(use_awaitable))
      if (++count == 100) break;
    co_return count;
  }());
  CHECK(n == 100);
  check_clean(s, "break");
}

TEST_CASE_FIXTURE(fixture, "stream: cancellation while a page is awaited (cancellation signal)") {
  int cancelled = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    cancelled += t.run([&]() -> asio::awaitable<int> {
      auto st = co_await s.async_stream(select_all(5000), stream_options{}, use_awaitable);
      asio::cancellation_signal sig;
      // Emitted from the coroutine's executor in the next turn: the first
      // page (5,000 rows) is still on its way then, every time.
      asio::post(co_await asio::this_coro::executor, [&] { sig.emit(asio::cancellation_type::terminal); });
      auto [ec, row] = co_await st.async_next(
          asio::bind_cancellation_slot(sig.slot(), asio::experimental::as_tuple(use_awaitable)));
      co_return ec == asio::error::operation_aborted ? 1 : 0;
    }());
  }
  MESSAGE("cancelled while awaiting a page in " << cancelled << " of 10 attempts");
  CHECK(cancelled == 10);
  check_clean(s, "cancellation signal");
}

TEST_CASE_FIXTURE(fixture, "stream: a timeout while a page is awaited (awaitable operator ||)") {
  int timed_out = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    timed_out += t.run([&]() -> asio::awaitable<int> {
      auto st = co_await s.async_stream(select_all(5000), stream_options{}, use_awaitable);
      // Already due: it fires before the first page (5,000 rows) can arrive.
      asio::steady_timer timeout(co_await asio::this_coro::executor, 0ms);
      auto r = co_await (st.async_next(use_awaitable) || timeout.async_wait(use_awaitable));
      co_return r.index() == 1 ? 1 : 0;
    }());
  }
  MESSAGE("timed out while awaiting a page in " << timed_out << " of 10 attempts");
  CHECK(timed_out == 10);
  check_clean(s, "timeout");
}

TEST_CASE_FIXTURE(fixture, "stream: the export endpoint — 10,000 streams, each abandoned at a random row") {
  std::mt19937 rng(42);
  auto rows_read = t.run([&]() -> asio::awaitable<long> {
    long total = 0;
    for (int i = 0; i < 10000; ++i) {
      const int stop_at = std::uniform_int_distribution<int>(0, 1500)(rng);
      auto st = co_await s.async_stream(select_all(500), stream_options{}, use_awaitable);
      int n = 0;
      while (n < stop_at) {
        auto row = co_await st.async_next(use_awaitable);
        if (!row) break;
        ++n;
      }
      total += n;
    }  // each stream dies here, mid-page or mid-fetch
    co_return total;
  }(), 900s);
  MESSAGE("rows read over 10,000 abandoned streams: " << rows_read);
  CHECK(rows_read > 0);
  check_clean(s, "export endpoint");
}

TEST_CASE_FIXTURE(fixture, "stream: session shutdown with 100 live streams mid-page") {
  auto registry = s.stream_registry();
  std::vector<result_stream> streams;
  t.run([&]() -> asio::awaitable<void> {
    for (int i = 0; i < 100; ++i) {
      streams.push_back(co_await s.async_stream(select_all(500), stream_options{}, use_awaitable));
      for (int r = 0; r < 10; ++r) co_await streams.back().async_next(use_awaitable);
    }
  }());
  CHECK(registry->snapshot().live_streams == 100);
  s.close();
  int closed = 0;
  t.run([&]() -> asio::awaitable<void> {
    for (auto& st : streams) {
      // Rows already buffered may still come; then the clear error.
      for (;;) {
        auto [ec, row] = co_await st.async_next(asio::experimental::as_tuple(use_awaitable));
        if (ec == streaming::errc::session_closed) { ++closed; break; }
        if (ec || !row) break;
      }
    }
  }());
  CHECK(closed == 100);
  streams.clear();
  CHECK(eventually([&] {
    auto c = registry->snapshot();
    return c.live_streams == 0 && c.pages_held == 0 && c.bytes_held == 0;
  }));
}

TEST_CASE_FIXTURE(fixture, "stream: resume from a paging state after the first connection closed") {
  std::set<std::pair<int, int>> seen;
  std::optional<streaming::paging_state> state;
  t.run([&]() -> asio::awaitable<void> {
    auto st = co_await s.async_stream(select_all(1000), stream_options{}, use_awaitable);
    for (int p = 0; p < 3; ++p) {
      auto page = co_await st.async_next_page(use_awaitable);
      for (auto r : *page) seen.insert({*protocol::decode_as<std::int32_t>(r[0].bytes, *r.type(0)),
                                        *protocol::decode_as<std::int32_t>(r[1].bytes, *r.type(1))});
    }
    state = st.paging_state_for_resume();
  }());
  REQUIRE(state.has_value());
  CHECK(seen.size() == 3000);
  s.close();  // the connection that served the first pages is gone

  io_thread t2;
  auto s2 = cqlpp::test::connect(t2);
  stream_options so;
  so.resume_from = state;
  t2.run([&]() -> asio::awaitable<void> {
    auto st = co_await s2.async_stream(select_all(1000), so, use_awaitable);
    while (auto row = co_await st.async_next(use_awaitable))
      seen.insert({*row->get<std::int32_t>(0).value(), *row->get<std::int32_t>(1).value()});
  }());
  CHECK(seen.size() == static_cast<std::size_t>(total_rows));  // nothing lost, nothing twice
  check_clean(s2, "resume");
}

TEST_CASE_FIXTURE(fixture, "stream: a consumer that stops reading stops the fetching") {
  t.run([&]() -> asio::awaitable<void> {
    auto st = co_await s.async_stream(select_all(1000), stream_options{}, use_awaitable);
    co_await st.async_next(use_awaitable);
    asio::steady_timer idle(co_await asio::this_coro::executor, 500ms);
    co_await idle.async_wait(use_awaitable);
    const auto c = s.stream_counters();
    MESSAGE("after 500 ms without reading: pages held " << c.pages_held << ", pages fetched " << c.pages_fetched
                                                        << ", fetches in flight " << c.fetches_in_flight);
    CHECK(c.pages_held <= 2);  // prefetch (1) + 1
    CHECK(c.pages_fetched <= 2);
    CHECK(c.fetches_in_flight == 0);
  }());
  check_clean(s, "back-pressure");
}

TEST_CASE_FIXTURE(fixture, "stream: a prepared statement's pages come without metadata and are typed from PREPARE") {
  auto [rows, without_md] = t.run([&]() -> asio::awaitable<std::pair<long, long>> {
    const std::string cql = "SELECT pk, ck, payload, n FROM cqlpp_it.big WHERE pk = ?";
    auto p = co_await s.async_prepare(cql, use_awaitable);
    statement opts;
    opts.page_size = 300;
    std::vector<protocol::cql_value> key{std::int32_t{3}};  // named: GCC 12 and braced lists in co_await
    auto st = co_await s.async_stream(p, key, opts, stream_options{}, use_awaitable);
    long n = 0, pages_without_md = 0;
    while (const protocol::rows_result* page = co_await st.async_next_page(use_awaitable)) {
      if (page->metadata().no_metadata && page->column_types().columns.size() == 4) ++pages_without_md;
      for (auto r : *page) {
        streaming::row row(r);
        const auto ck = row.get<std::int32_t>(1);
        const auto payload = row.get<std::string_view>(2);
        if (!ck || !payload || payload->value_or("") != "payload-" + std::to_string(3000 + **ck))
          throw std::runtime_error("row typed wrongly");
        ++n;
      }
    }
    co_return std::make_pair(n, pages_without_md);
  }());
  CHECK(rows == rows_per_partition);
  CHECK(without_md >= 3);  // 1000 rows in pages of 300
  check_clean(s, "prepared stream");
}
