// Example: create a keyspace and table, insert rows with a prepared
// statement, and stream them back page by page — with C++20 coroutines.
//
// Usage: stream_example [HOST] [ROWS]
#include <asio.hpp>
#include <cstdlib>
#include <iostream>

#include "cqlpp/session/session.hpp"

using namespace cqlpp;
using asio::use_awaitable;

namespace {

asio::awaitable<int> run(std::string host, int rows) {
  session_options o;
  o.connection.host = host;
  session s = co_await session::async_connect(co_await asio::this_coro::executor, o, use_awaitable);
  std::cout << "connected to " << host << " with protocol v" << int(s.protocol_version()) << "\n";

  // (Named statements: GCC 12 cannot keep a string literal temporary alive
  // across co_await.)
  const statement schema[] = {
      statement("CREATE KEYSPACE IF NOT EXISTS cqlpp_example WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}"),
      statement("CREATE TABLE IF NOT EXISTS cqlpp_example.readings "
                "(sensor int, seq int, value double, note text, PRIMARY KEY (sensor, seq))"),
      statement("TRUNCATE cqlpp_example.readings"),
  };
  for (const auto& st : schema) co_await s.async_query(st, use_awaitable);

  const std::string insert_cql = "INSERT INTO cqlpp_example.readings (sensor, seq, value, note) VALUES (?, ?, ?, ?)";
  auto insert = co_await s.async_prepare(insert_cql, use_awaitable);
  for (int i = 0; i < rows; ++i) {
    std::vector<protocol::cql_value> values{std::int32_t{i % 10}, std::int32_t{i}, 0.5 * i,
                                            "reading " + std::to_string(i)};
    co_await s.async_execute(insert, std::move(values), use_awaitable);
  }
  std::cout << "inserted " << rows << " rows with a prepared statement\n";

  // The stream owns its stream id and at most prefetch + 1 pages; leaving the
  // loop any way at all gives them back.
  statement select("SELECT sensor, seq, value, note FROM cqlpp_example.readings");
  select.page_size = 1000;
  long count = 0;
  double sum = 0;
  {
    auto stream = co_await s.async_stream(select, stream_options{}, use_awaitable);
    while (auto row = co_await stream.async_next(use_awaitable)) {
      sum += row->get<double>(2).value().value_or(0);
      if (count++ == 0) {
        auto note = row->get<std::string_view>(3);
        std::cout << "first row: sensor=" << *row->get<std::int32_t>(0).value() << " note='"
                  << note.value().value_or("") << "'\n";
      }
    }
    // Leaving the scope would release it too; async_release also waits until
    // the release has run, so the counters below have settled.
    co_await stream.async_release(use_awaitable);
  }
  std::cout << "streamed " << count << " rows, sum of values " << sum << "\n";
  auto c = s.stream_counters();
  std::cout << "after the stream: live streams " << c.live_streams << ", pages held " << c.pages_held
            << ", pages fetched " << c.pages_fetched << "\n";
  co_return count == rows ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string host = argc > 1 ? argv[1] : "127.0.0.1";
  const int rows = argc > 2 ? std::atoi(argv[2]) : 5000;
  asio::io_context io;
  auto f = asio::co_spawn(io, run(host, rows), asio::use_future);
  io.run();
  try {
    return f.get();
  } catch (const std::system_error& e) {
    std::cerr << "stream_example: " << e.code().message() << " (" << e.code().category().name() << ")\n";
    return 1;
  }
}
