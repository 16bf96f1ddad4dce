// alloc_bench: steady-state heap allocations on the request path, counted
// by a replaced global operator new, against the in-process fake node
// (tests/support/fake_node), so the figures need no server and do not move
// with the machine. Only the client's thread is counted: the io_context runs
// on main, the fake node on its own thread.
//
// Workloads (callbacks, so no coroutine frames are counted):
//   QUERY -> Void            an INSERT-shaped QUERY the node answers with Void
//   EXECUTE 4 ints -> Void   a prepared statement with four int markers
//   streamed row             ROWS 100000 in pages of 5000, async_next per row
// Each runs `warmup` requests first; the figure is allocations / request
// over the next `n`. Not a test: it prints figures.
//
// Usage: alloc_bench [n, default 20000]
#include <array>
#include <atomic>
#include <functional>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "cqlpp/session/session.hpp"
#include "tests/support/fake_node.hpp"

namespace {
thread_local bool t_counted = false;
std::atomic<std::uint64_t> g_allocs{0};
void* counted_alloc(std::size_t n) {
  if (t_counted) g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* counted_aligned(std::size_t n, std::align_val_t a) {
  if (t_counted) g_allocs.fetch_add(1, std::memory_order_relaxed);
  const auto al = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_aligned(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

using namespace cqlpp;

// `concurrency` chains, each issuing its next request from the previous one's
// completion, until `total` have completed.
template <class Issue>
struct chains {
  asio::io_context& io;
  Issue issue;
  long total;
  long started = 0, done = 0, failed = 0;
  void start(int concurrency) {
    for (int i = 0; i < concurrency && started < total; ++i) next();
  }
  void next() {
    ++started;
    issue([this](std::error_code ec) {
      ++done;
      if (ec) ++failed;
      if (started < total) next();
    });
  }
};

template <class Issue>
double per_request(asio::io_context& io, Issue issue, int concurrency, long warmup, long n, long& failed) {
  chains<Issue> w{io, issue, warmup};
  w.start(concurrency);
  io.restart();
  while (w.done < warmup) io.run_one();
  const auto before = g_allocs.load();
  chains<Issue> m{io, issue, n};
  m.start(concurrency);
  while (m.done < n) io.run_one();
  failed = w.failed + m.failed;
  return static_cast<double>(g_allocs.load() - before) / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 20000;
  const long warmup = n / 10;
  cqlpp::test::fake_node node(cqlpp::test::fake_node_options{.max_version = 5});
  asio::io_context io;
  t_counted = true;

  session_options o;
  o.connection.host = "127.0.0.1";
  o.connection.port = node.port();
  o.cluster.discover = false;  // the fake node has no system tables
  o.pool.connections = 1;
  session s;
  bool finished = false;
  session::async_connect(io.get_executor(), o, [&](std::error_code ec, session got) {
    if (ec) std::fprintf(stderr, "alloc_bench: connect: %s\n", ec.message().c_str());
    s = std::move(got);
    finished = true;
  });
  while (!finished) io.run_one();
  if (!s.valid()) return 1;
  std::printf("alloc_bench: heap allocations per request on the client thread, fake node, protocol v%d\n",
              int(s.protocol_version()));
  std::printf("%-28s %11s %8s %14s\n", "workload", "concurrency", "n", "allocs/request");

  const statement insert("INSERT INTO ks.readings (sensor, seq, value) VALUES (1, 2, 3.5)");
  auto query = [&](auto done) {
    s.async_query(insert, [done](std::error_code ec, query_result) mutable { done(ec); });
  };
  prepared_statement p;
  const std::string cql = "INSERT INTO ks.t (a, b, c, d) VALUES (?, ?, ?, ?)";
  s.async_prepare(cql, [&](std::error_code ec, prepared_statement got) {
    if (ec) std::fprintf(stderr, "alloc_bench: prepare: %s\n", ec.message().c_str());
    p = std::move(got);
  });
  io.restart();
  while (p.id.empty()) io.run_one();
  auto execute = [&](auto done) {
    // The values are serialised before the call returns: an array will do.
    const std::array<protocol::cql_value, 4> v{std::int32_t{1}, std::int32_t{2}, std::int32_t{3}, std::int32_t{4}};
    s.async_execute(p, v, [done](std::error_code ec, query_result) mutable { done(ec); });
  };
  int rc = 0;
  for (int c : {1, 64}) {
    long failed = 0;
    const double q = per_request(io, query, c, warmup, n, failed);
    std::printf("%-28s %11d %8ld %14.2f\n", "QUERY -> Void", c, n, q);
    rc |= failed != 0;
    const double e = per_request(io, execute, c, warmup, n, failed);
    std::printf("%-28s %11d %8ld %14.2f\n", "EXECUTE 4 ints -> Void", c, n, e);
    rc |= failed != 0;
  }

  // Rows of one stream: allocations over the whole read / rows read.
  statement all("ROWS 100000");
  all.page_size = 5000;
  result_stream st;
  s.async_stream(all, stream_options{}, [&](std::error_code ec, result_stream got) {
    if (ec) rc = 1;
    st = std::move(got);
  });
  io.restart();
  while (!st.valid()) io.run_one();
  long rows = 0;
  bool end = false;
  const auto before = g_allocs.load();
  std::function<void()> read = [&] {
    st.async_next([&](std::error_code ec, std::optional<streaming::row> r) {
      if (ec || !r) {
        end = true;
        if (ec) rc = 1;
        return;
      }
      ++rows;
      read();
    });
  };
  read();
  while (!end) io.run_one();
  std::printf("%-28s %11d %8ld %14.3f\n", "streamed row (async_next)", 1, rows,
              static_cast<double>(g_allocs.load() - before) / static_cast<double>(rows ? rows : 1));
  if (rc) std::fprintf(stderr, "alloc_bench: some requests failed\n");
  s.close();
  io.restart();
  io.run_for(std::chrono::milliseconds(200));
  return rc;
}
