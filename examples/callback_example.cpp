// Example: a prepared insert loop driven by callbacks, with a bounded
// number of requests in flight, and a blocking read with a future at the
// end — no coroutines.
//
// Usage: callback_example [HOST] [ROWS]
#include <asio.hpp>
#include <atomic>
#include <cstdlib>
#include <future>
#include <iostream>

#include "cqlpp/session/session.hpp"

using namespace cqlpp;

int main(int argc, char** argv) {
  const std::string host = argc > 1 ? argv[1] : "127.0.0.1";
  const int rows = argc > 2 ? std::atoi(argv[2]) : 10000;
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  int rc = 1;
  try {
    session_options o;
    o.connection.host = host;
    // Futures block the calling thread (here: main), never the io thread.
    session s = session::async_connect(io.get_executor(), o, asio::use_future).get();
    s.async_query(statement("CREATE KEYSPACE IF NOT EXISTS cqlpp_example WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}"), asio::use_future).get();
    s.async_query(statement("CREATE TABLE IF NOT EXISTS cqlpp_example.events (id int PRIMARY KEY, payload text)"),
                  asio::use_future).get();
    auto insert = s.async_prepare("INSERT INTO cqlpp_example.events (id, payload) VALUES (?, ?)", asio::use_future).get();

    // 64 chains: each completion issues the chain's next insert.
    constexpr int concurrency = 64;
    std::atomic<int> next{0}, done{0}, failed{0};
    std::promise<void> all_done;
    std::function<void()> issue = [&] {
      const int id = next.fetch_add(1);
      if (id >= rows) return;
      statement opts;
      opts.idempotent = true;  // an INSERT of fixed values may be retried on another node
      s.async_execute(insert, {std::int32_t{id}, "event " + std::to_string(id)}, opts,
                      [&](std::error_code ec, query_result) {
                        if (ec) failed.fetch_add(1);
                        if (done.fetch_add(1) + 1 == rows) all_done.set_value();
                        issue();
                      });
    };
    const auto t0 = std::chrono::steady_clock::now();
    for (int c = 0; c < concurrency; ++c) issue();
    all_done.get_future().wait();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "inserted " << rows - failed.load() << " rows (" << failed.load() << " failed) with " << concurrency
              << " in flight in " << secs << " s: " << static_cast<long>(rows / secs) << " inserts/s\n";

    // A blocking read with a future.
    auto r = s.async_query(statement("SELECT count(*) FROM cqlpp_example.events"), asio::use_future).get();
    const streaming::row row(*r.rows()->begin());
    std::cout << "SELECT count(*): " << row.get<std::int64_t>(0).value().value_or(-1) << " rows in the table\n";
    rc = failed.load() == 0 ? 0 : 1;
  } catch (const connect_error& e) {
    std::cerr << "callback_example: cannot connect: " << e.detail() << "\n";
  } catch (const std::system_error& e) {
    std::cerr << "callback_example: " << e.code().message() << "\n";
  }
  work.reset();
  runner.join();
  return rc;
}
