// cqlpp in the peers' benchmark contract (bench/peers/README.md): the same
// workloads as the Python, async-cassandra, gocql and Rust programs, printing
// one JSON line. `bench/run_peers --peer cqlpp=build/bench/cqlpp_peer`.
//
// Extra workloads:
//   rss   streams the whole --table (default cqlpp_bench.rows) and prints RSS
//         after 10k, 100k and every 100k rows after: memory stays flat.
//   load  fills --table with --rows rows of the stream schema (2,000-row
//         partitions), --concurrency inserts in flight.
// At the end, the pool's counters go to stderr (ids in use, orphaned ids).
#include <sys/resource.h>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cqlpp/session/session.hpp"

using namespace cqlpp;
using asio::use_awaitable;
using clock_type = std::chrono::steady_clock;

namespace {

struct args {
  std::string host = "127.0.0.1";
  std::string workload;
  long rows = 200000, requests = 200000, concurrency = 1024, page_size = 5000, keys = 100000;
  int prefetch = 1;
  std::string table = "cqlpp_bench.rows";
};

long status_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  return 0;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct outcome {
  long ops = 0, rows = 0, errors = 0;
  double seconds = 0, cpu = 0;
  std::string problem;
  std::vector<std::int64_t> latency_ns;  // per request, when BENCH_LATENCY=1
};

// BENCH_LATENCY=1 (bench/peers/README.md): time every request. Off by
// default so the per-request figures (bench/per_request) carry no clock reads.
bool latency_wanted() {
  const char* v = std::getenv("BENCH_LATENCY");
  return v && std::string(v) == "1";
}

// ", \"p50_ms\": …, \"p99_ms\": …, \"p999_ms\": …" or "" without samples.
std::string percentiles(std::vector<std::int64_t> v) {
  if (v.empty()) return "";
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const auto i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
    return static_cast<double>(v[i]) / 1e6;
  };
  char buf[128];
  std::snprintf(buf, sizeof buf, ", \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f", at(0.50), at(0.99),
                at(0.999));
  return buf;
}

void print(const args& a, const outcome& o) {
  std::printf("{\"driver\": \"cqlpp\", \"workload\": \"%s\", \"ops\": %ld, \"seconds\": %.4f, \"ops_per_s\": %.1f, "
              "\"rows\": %ld, \"rows_per_s\": %.1f, \"peak_rss_kb\": %ld, \"cpu_s\": %.3f, \"errors\": %ld, "
              "\"ok\": %s%s}\n",
              a.workload.c_str(), o.ops, o.seconds, o.seconds > 0 ? static_cast<double>(o.ops) / o.seconds : 0.0,
              o.rows, o.seconds > 0 ? static_cast<double>(o.rows) / o.seconds : 0.0, status_kb("VmHWM:"), o.cpu,
              o.errors, o.problem.empty() ? "true" : "false", percentiles(o.latency_ns).c_str());
  std::fflush(stdout);
  if (!o.problem.empty()) std::fprintf(stderr, "VALIDATION FAILED: %s\n", o.problem.c_str());
}

// Runs `n` copies of `worker` and returns when all have finished. No polling
// timer: a periodic wakeup would add syscalls and instructions to every
// figure this client prints.
template <class Worker>
asio::awaitable<void> run_workers(asio::any_io_executor ex, long n, Worker& worker) {
  asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
  long running = n;
  for (long w = 0; w < n; ++w)
    asio::co_spawn(ex, worker(), [&](std::exception_ptr) {
      if (--running == 0) all_done.cancel();
    });
  if (running > 0) {
    std::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

// Every column of every row decoded into a C++ value (text and blob as views).
asio::awaitable<outcome> stream(session& s, const args& a, bool report_rss) {
  const std::string cql = "SELECT pk, ck, a, b, c, d, e, f, g, h FROM " + a.table;
  auto p = co_await s.async_prepare(cql, use_awaitable);
  statement opts;
  opts.page_size = static_cast<std::int32_t>(a.page_size);
  stream_options so;
  so.prefetch = a.prefetch;
  outcome o;
  const auto c0 = cpu_seconds();
  const auto t0 = clock_type::now();
  auto st = co_await s.async_stream(p, {}, opts, so, use_awaitable);
  long next_report = 10000;
  std::uint64_t checksum = 0;
  while (const protocol::rows_result* page = co_await st.async_next_page(use_awaitable)) {
    for (const auto row : *page) {
      auto pk = protocol::decode_optional<std::int32_t>(row[0], *row.type(0));
      auto ck = protocol::decode_optional<std::int32_t>(row[1], *row.type(1));
      auto ta = protocol::decode_optional<std::string_view>(row[2], *row.type(2));
      auto tb = protocol::decode_optional<std::int64_t>(row[3], *row.type(3));
      auto tc = protocol::decode_optional<double>(row[4], *row.type(4));
      auto td = protocol::decode_optional<protocol::uuid>(row[5], *row.type(5));
      auto te = protocol::decode_optional<std::int64_t>(row[6], *row.type(6));
      auto tf = protocol::decode_optional<std::string_view>(row[7], *row.type(7));
      auto tg = protocol::decode_optional<bool>(row[8], *row.type(8));
      auto h = protocol::collection_view::make(row[9].bytes, *row.type(9));
      if (!pk || !ck || !ta || !tb || !tc || !td || !te || !tf || !tg || !h) {
        ++o.errors;
        continue;
      }
      long items = 0;
      for (auto e : *h) {
        auto v = protocol::decode_as<std::int32_t>(e.bytes, row.type(9)->params[0]);
        if (v) checksum += static_cast<std::uint32_t>(*v);
        ++items;
      }
      if (items != 3) ++o.errors;
      checksum += static_cast<std::uint64_t>(pk->value_or(0)) + (ta->value_or("").size()) + (tg->value_or(false) ? 1 : 0);
      ++o.rows;
      if (report_rss && o.rows >= next_report) {
        std::fprintf(stderr, "rows %8ld  rss %7ld kB  peak %7ld kB  pages held %ld  bytes held %ld\n", o.rows,
                     status_kb("VmRSS:"), status_kb("VmHWM:"), static_cast<long>(s.stream_counters().pages_held),
                     static_cast<long>(s.stream_counters().bytes_held));
        next_report = next_report < 100000 ? 100000 : next_report + 100000;
      }
    }
  }
  o.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  o.cpu = cpu_seconds() - c0;
  o.ops = 1;
  if (o.rows != a.rows) o.problem = "read " + std::to_string(o.rows) + " rows, expected " + std::to_string(a.rows);
  if (o.errors) o.problem += (o.problem.empty() ? "" : "; ") + std::to_string(o.errors) + " bad rows";
  if (checksum == 42) std::fprintf(stderr, " ");  // keep the decode observable
  co_return o;
}

// `requests` prepared statements with `concurrency` in flight.
asio::awaitable<outcome> requests(session& s, const args& a, bool insert) {
  const std::string cql = insert ? "INSERT INTO cqlpp_bench.kv (k, v) VALUES (?, ?)"
                                 : "SELECT k, v FROM cqlpp_bench.kv WHERE k = ?";
  auto p = co_await s.async_prepare(cql, use_awaitable);
  protocol::blob value;
  for (int i = 0; i < 64; ++i) value.push_back(static_cast<std::byte>(i));
  outcome o;
  const bool timed = latency_wanted();
  if (timed) o.latency_ns.reserve(static_cast<std::size_t>(a.requests));
  long next = 0;
  auto ex = co_await asio::this_coro::executor;
  const auto c0 = cpu_seconds();
  const auto t0 = clock_type::now();
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < a.requests) {
      const long i = next++;
      std::vector<protocol::cql_value> v;
      if (insert) v = {std::int64_t{i}, value};
      else v = {std::int64_t{i % a.keys}};
      const auto sent = timed ? clock_type::now() : clock_type::time_point{};
      auto [ec, r] = co_await s.async_execute(p, std::move(v), asio::experimental::as_tuple(use_awaitable));
      if (timed) o.latency_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - sent).count());
      ++o.ops;
      if (ec) { ++o.errors; continue; }
      if (!insert) {
        const auto* rows = r.rows();
        if (!rows || rows->size() != 1 || (*rows->begin())[1].bytes.size() != 64) ++o.errors;
        else ++o.rows;
      }
    }
  };
  co_await run_workers(ex, a.concurrency, worker);
  o.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  o.cpu = cpu_seconds() - c0;
  if (o.errors) o.problem = std::to_string(o.errors) + " failed requests";
  co_return o;
}

// Fills a.table (same schema as cqlpp_bench.rows) with a.rows rows.
asio::awaitable<outcome> load(session& s, const args& a) {
  const statement ddl("CREATE TABLE IF NOT EXISTS " + a.table +
                      " (pk int, ck int, a text, b bigint, c double, d uuid, e timestamp, f blob, g boolean, "
                      "h list<int>, PRIMARY KEY ((pk), ck))");
  co_await s.async_query(ddl, use_awaitable);
  auto p = co_await s.async_prepare("INSERT INTO " + a.table + " (pk, ck, a, b, c, d, e, f, g, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    use_awaitable);
  outcome o;
  long next = 0;
  auto ex = co_await asio::this_coro::executor;
  const auto t0 = clock_type::now();
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < a.rows) {
      const long i = next++;
      protocol::uuid id;
      for (int b = 0; b < 16; ++b) id.bytes[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(i >> ((b % 8) * 8));
      protocol::blob blob(32, static_cast<std::byte>(i));
      protocol::cql_list list;
      for (int k = 0; k < 3; ++k) list.items.push_back(std::int32_t{static_cast<std::int32_t>(i + k)});
      std::vector<protocol::cql_value> v{std::int32_t{static_cast<std::int32_t>(i / 2000)},
                                         std::int32_t{static_cast<std::int32_t>(i % 2000)},
                                         "row text number " + std::to_string(i), std::int64_t{i} * 1000,
                                         static_cast<double>(i) / 7.0, id, protocol::timestamp_value{1700000000000 + i},
                                         std::move(blob), (i % 2) == 0, std::move(list)};
      auto [ec, r] = co_await s.async_execute(p, std::move(v), asio::experimental::as_tuple(use_awaitable));
      ++o.ops;
      if (ec) ++o.errors;
    }
  };
  co_await run_workers(ex, a.concurrency, worker);
  o.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  if (o.errors) o.problem = std::to_string(o.errors) + " failed inserts";
  co_return o;
}

}  // namespace

int main(int argc, char** argv) {
  args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) { std::fprintf(stderr, "cqlpp_peer: %s needs a value\n", k.c_str()); return 2; }
    const std::string v = argv[++i];
    if (k == "--host") a.host = v;
    else if (k == "--workload") a.workload = v;
    else if (k == "--rows") a.rows = std::atol(v.c_str());
    else if (k == "--requests") a.requests = std::atol(v.c_str());
    else if (k == "--concurrency") a.concurrency = std::atol(v.c_str());
    else if (k == "--page-size") a.page_size = std::atol(v.c_str());
    else if (k == "--keys") a.keys = std::atol(v.c_str());
    else if (k == "--prefetch") a.prefetch = std::atoi(v.c_str());
    else if (k == "--table") a.table = v;
    else { std::fprintf(stderr, "cqlpp_peer: unknown option %s\n", k.c_str()); return 2; }
  }
  if (a.workload != "stream" && a.workload != "insert" && a.workload != "select1" && a.workload != "rss" &&
      a.workload != "load") {
    std::fprintf(stderr, "cqlpp_peer: --workload stream|insert|select1|rss|load\n");
    return 2;
  }
  asio::io_context io(1);
  session_options o;
  o.connection.host = a.host;
  auto f = asio::co_spawn(io, [&]() -> asio::awaitable<outcome> {
    session s = co_await session::async_connect(co_await asio::this_coro::executor, o, use_awaitable);
    outcome r;
    if (a.workload == "stream" || a.workload == "rss") r = co_await stream(s, a, a.workload == "rss");
    else if (a.workload == "load") r = co_await load(s, a);
    else r = co_await requests(s, a, a.workload == "insert");
    const auto ps = s.pool_stats();
    const auto sc = s.stream_counters();
    std::fprintf(stderr, "pool: connections %d, ids in use %d, orphaned ids %d, in flight %lld, requests sent %llu, "
                 "writes %llu; streams: live %lld, pages held %lld\n", ps.connections_open, ps.ids_in_use,
                 ps.orphaned_ids, static_cast<long long>(ps.requests_in_flight),
                 static_cast<unsigned long long>(ps.requests_sent), static_cast<unsigned long long>(ps.writes),
                 static_cast<long long>(sc.live_streams), static_cast<long long>(sc.pages_held));
    s.close();
    co_return r;
  }(), asio::use_future);
  io.run();
  outcome r;
  try {
    r = f.get();
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "cqlpp_peer: %s\n", e.code().message().c_str());
    return 2;
  }
  print(a, r);
  return r.problem.empty() ? 0 : 1;
}
