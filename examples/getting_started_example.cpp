// Getting started, each step three ways: with callbacks, with futures and
// with coroutines — connect, query, prepare and execute, stream, and TLS with
// a password. docs/getting-started.md quotes the parts between the
// `// [name]` markers; scripts/lib/snippets checks that it still does, and
// scripts/test runs this program against its nodes (plain, and TLS + auth).
//
// Usage: getting_started_example [HOST [CA_PEM USER PASSWORD]]
#include <cqlpp/cqlpp.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace cqlpp;

// [options]
session_options plain_options(const std::string& host) {
  session_options o;
  o.connection.host = host;  // one contact point: the other nodes are discovered
  return o;
}
// [options]

// [tls]
session_options secure_options(const std::string& host, const std::string& ca_pem, const std::string& user,
                               const std::string& password) {
  session_options o;
  o.connection.host = host;
  o.connection.tls.enabled = true;
  o.connection.tls.ca_file = ca_pem;  // the node's certificate must chain to it and name the host
  o.connection.auth = transport::credentials{user, password};  // PasswordAuthenticator
  return o;
}
// [tls]

const char* const schema[] = {
    "CREATE KEYSPACE IF NOT EXISTS cqlpp_example WITH replication = "
    "{'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TABLE IF NOT EXISTS cqlpp_example.users (id int PRIMARY KEY, name text)",
};

// [callbacks]
// Each handler runs on an io_context thread and starts the next step. The
// session is a move-only handle: keep it alive as long as its handlers run.
void with_callbacks(asio::io_context& io, session_options o, std::function<void(bool)> done) {
  session::async_connect(io.get_executor(), std::move(o), [done](std::error_code ec, session connected) {
    if (ec) {
      std::cerr << "connect: " << connected.error_detail() << "\n";
      return done(false);
    }
    auto s = std::make_shared<session>(std::move(connected));
    s->async_query(statement("SELECT release_version FROM system.local"), [s, done](std::error_code ec,
                                                                                     query_result r) {
      if (ec) {
        std::cerr << "query: " << ec.message() << ": " << r.error_message() << "\n";
        return done(false);
      }
      const streaming::row row(*r.rows()->begin());
      std::cout << "callbacks: Cassandra " << row.get<std::string>(0).value().value_or("?") << "\n";
      s->async_prepare("INSERT INTO cqlpp_example.users (id, name) VALUES (?, ?)", [s, done](std::error_code ec,
                                                                                            prepared_statement p) {
        if (ec) return done(false);
        s->async_execute(p, {std::int32_t{1}, std::string("ada")}, [s, done](std::error_code ec, query_result) {
          done(!ec);
        });
      });
    });
  });
}

// Reading a stream with callbacks: ask for the next row from the handler.
void count_rows(std::shared_ptr<result_stream> st, int seen, std::function<void(std::error_code, int)> done) {
  st->async_next([st, seen, done](std::error_code ec, std::optional<streaming::row> row) {
    if (ec || !row) return done(ec, seen);  // error, or the end of the result
    count_rows(st, seen + 1, done);
  });
}
// [callbacks]

// [futures]
// From any thread but the io_context's own: get() blocks until the answer and
// throws it as an exception on failure (connect_error, std::system_error).
int with_futures(asio::io_context& io, session_options o) {
  session s = session::async_connect(io.get_executor(), std::move(o), asio::use_future).get();
  for (const char* cql : schema) s.async_query(statement(cql), asio::use_future).get();

  auto insert = s.async_prepare("INSERT INTO cqlpp_example.users (id, name) VALUES (?, ?)", asio::use_future).get();
  s.async_execute(insert, {std::int32_t{2}, std::string("grace")}, asio::use_future).get();

  auto r = s.async_query(statement("SELECT name FROM cqlpp_example.users WHERE id = 2"), asio::use_future).get();
  const streaming::row row(*r.rows()->begin());
  std::cout << "futures: user 2 is " << row.get<std::string>(0).value().value_or("?") << "\n";

  statement all("SELECT id, name FROM cqlpp_example.users");
  all.page_size = 100;  // rows per page; the stream fetches the next page as you read
  result_stream st = s.async_stream(all, stream_options{}, asio::use_future).get();
  int n = 0;
  while (auto user = st.async_next(asio::use_future).get()) ++n;
  return n;
}
// [futures]

// [coroutines]
// co_await suspends the coroutine, never a thread; a failure is thrown.
asio::awaitable<int> with_coroutines(session_options o) {
  auto ex = co_await asio::this_coro::executor;
  session s = co_await session::async_connect(ex, std::move(o), asio::use_awaitable);

  const std::string insert_cql = "INSERT INTO cqlpp_example.users (id, name) VALUES (?, ?)";
  auto insert = co_await s.async_prepare(insert_cql, asio::use_awaitable);
  // (Values in a named vector: GCC 12 cannot keep an initializer list across a co_await.)
  std::vector<protocol::cql_value> barbara{std::int32_t{3}, std::string("barbara")};
  co_await s.async_execute(insert, barbara, asio::use_awaitable);

  const std::string by_id_cql = "SELECT name FROM cqlpp_example.users WHERE id = ?";
  auto by_id = co_await s.async_prepare(by_id_cql, asio::use_awaitable);
  std::vector<protocol::cql_value> key{std::int32_t{3}};
  auto r = co_await s.async_execute(by_id, key, asio::use_awaitable);  // sent to a replica of id 3
  const streaming::row row(*r.rows()->begin());
  std::cout << "coroutines: user 3 is " << row.get<std::string>(0).value().value_or("?") << "\n";

  // Leaving the loop early (break, an exception, cancellation) gives the
  // stream's pages and stream ids back: there is nothing to close.
  auto st = co_await s.async_stream(statement("SELECT id, name FROM cqlpp_example.users"), stream_options{},
                                    asio::use_awaitable);
  int n = 0;
  while (auto user = co_await st.async_next(asio::use_awaitable)) ++n;
  co_return n;
}
// [coroutines]

int main(int argc, char** argv) {
  const std::string host = argc > 1 ? argv[1] : "127.0.0.1";
  auto options = [&] { return argc > 4 ? secure_options(host, argv[2], argv[3], argv[4]) : plain_options(host); };
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  int rc = 1;
  try {
    // Futures first: they create the keyspace and table.
    const int after_futures = with_futures(io, options());
    std::cout << "futures: streamed " << after_futures << " users\n";

    std::promise<bool> cb;
    with_callbacks(io, options(), [&](bool ok) { cb.set_value(ok); });
    const bool callbacks_ok = cb.get_future().get();
    std::promise<int> counted;
    // A stream read with callbacks, from a session connected with a future.
    session s = session::async_connect(io.get_executor(), options(), asio::use_future).get();
    auto st = std::make_shared<result_stream>(
        s.async_stream(statement("SELECT id FROM cqlpp_example.users"), stream_options{}, asio::use_future).get());
    count_rows(st, 0, [&](std::error_code ec, int n) { counted.set_value(ec ? -1 : n); });
    const int by_callbacks = counted.get_future().get();
    std::cout << "callbacks: streamed " << by_callbacks << " users\n";

    const int by_coroutines = asio::co_spawn(io, with_coroutines(options()), asio::use_future).get();
    std::cout << "coroutines: streamed " << by_coroutines << " users\n";
    rc = callbacks_ok && after_futures >= 1 && by_callbacks >= 2 && by_coroutines >= 3 ? 0 : 1;
  } catch (const connect_error& e) {
    std::cerr << "getting_started_example: cannot connect: " << e.detail() << "\n";
  } catch (const std::system_error& e) {
    std::cerr << "getting_started_example: " << e.code().message() << "\n";
  }
  work.reset();
  runner.join();
  return rc;
}
