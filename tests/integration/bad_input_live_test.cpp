// Bad input and failure against the live node (scripts/test's single node):
// every mistake a caller or the network can make gives a clear error that
// names what is wrong, within its timeout — never a hang — and the session
// stays usable. The endpoints that are not Cassandra are in-process sockets:
// a real server will not misbehave on request.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

using cqlpp::test::await_result;
using cqlpp::test::outcome;
using cqlpp::test::run;

std::pair<std::error_code, prepared_statement> prepare(session& s, const std::string& cql) {
  std::promise<std::pair<std::error_code, prepared_statement>> p;
  s.async_prepare(cql, [&p](std::error_code ec, prepared_statement ps) { p.set_value({ec, std::move(ps)}); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::error_code invalid_query(0x2200, protocol::server_category());

void still_usable(session& s) {
  auto r = run(s, statement("SELECT release_version FROM system.local"));
  CHECK_FALSE(r.first);
}

// A TCP listener on 127.0.0.1 that is not Cassandra: it answers whatever
// arrives with `reply` (nothing when empty) and then closes, or, with
// hold_open, keeps the connection silent until it is destroyed.
class not_cassandra {
 public:
  not_cassandra(std::string reply, bool hold_open)
      : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        reply_(std::move(reply)),
        hold_open_(hold_open) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~not_cassandra() {
    asio::post(io_, [this] {
      asio::error_code ignored;
      acceptor_.close(ignored);
      for (auto& c : held_) c->close(ignored);
    });
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_.load(); }

 private:
  void accept() {
    acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket sock) {
      if (ec) return;
      ++accepted_;
      auto c = std::make_shared<asio::ip::tcp::socket>(std::move(sock));
      if (hold_open_) {
        held_.push_back(c);
      } else {
        auto buf = std::make_shared<std::array<char, 512>>();
        c->async_read_some(asio::buffer(*buf), [this, c, buf](asio::error_code, std::size_t) {
          if (reply_.empty()) return c->close();
          asio::async_write(*c, asio::buffer(reply_), [c](asio::error_code, std::size_t) {
            asio::error_code ignored;
            c->close(ignored);
          });
        });
      }
      accept();
    });
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::string reply_;
  bool hold_open_;
  std::atomic<int> accepted_{0};
  std::vector<std::shared_ptr<asio::ip::tcp::socket>> held_;
  std::thread thread_;
};

struct connect_outcome {
  std::error_code ec;
  std::string detail;
  std::chrono::milliseconds took;
};

connect_outcome try_connect(io_thread& t, session_options o) {
  std::promise<std::pair<std::error_code, std::string>> p;
  const auto t0 = std::chrono::steady_clock::now();
  session::async_connect(t.io.get_executor(), std::move(o),
                         [&p](std::error_code ec, session s) { p.set_value({ec, s.error_detail()}); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  auto got = f.get();
  return {got.first, got.second,
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)};
}

}  // namespace

TEST_CASE("bad input: an unknown keyspace or table is named in the error; the session goes on") {
  io_thread t;
  auto s = cqlpp::test::connect(t);

  auto ks = run(s, statement("SELECT * FROM cqlpp_no_such_ks.t"));
  CHECK(ks.first == invalid_query);
  MESSAGE("unknown keyspace: " << ks.first.message() << ": " << ks.second.error_message());
  CHECK(contains(ks.second.error_message(), "cqlpp_no_such_ks"));

  auto table = run(s, statement("SELECT * FROM system.cqlpp_no_such_table"));
  CHECK(table.first == invalid_query);
  MESSAGE("unknown table: " << table.second.error_message());
  CHECK(contains(table.second.error_message(), "cqlpp_no_such_table"));

  // A failed PREPARE keeps the server's words on the statement it returns.
  auto prep = prepare(s, "SELECT * FROM system.cqlpp_no_such_table WHERE k = ?");
  CHECK(prep.first == invalid_query);
  MESSAGE("PREPARE of an unknown table: " << prep.second.error_message);
  CHECK(contains(prep.second.error_message, "cqlpp_no_such_table"));

  auto syntax = run(s, statement("SELEKT * FROM system.local"));
  CHECK(syntax.first == std::error_code(0x2000, protocol::server_category()));
  MESSAGE("a syntax error: " << syntax.second.error_message());
  CHECK(contains(syntax.second.error_message(), "SELEKT"));
  still_usable(s);
}

TEST_CASE("bad input: a wrong number or type of bound values fails before sending, naming the value") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  auto prep = prepare(s, "SELECT release_version FROM system.local WHERE key = ?");
  REQUIRE_FALSE(prep.first);
  const auto& p = prep.second;
  const auto before = s.metrics().requests;

  auto none = await_result([&](auto h) { s.async_execute(p, {}, std::move(h)); });
  CHECK(none.first == protocol::errc::type_mismatch);
  MESSAGE("no values: " << none.second.error_detail());
  CHECK(contains(none.second.error_detail(), "1 bind marker(s); 0 value(s)"));

  auto two = await_result([&](auto h) { s.async_execute(p, {std::string("local"), std::int32_t{2}}, std::move(h)); });
  CHECK(two.first == protocol::errc::type_mismatch);
  CHECK(contains(two.second.error_detail(), "2 value(s)"));

  auto wrong = await_result([&](auto h) { s.async_execute(p, {std::int32_t{7}}, std::move(h)); });
  CHECK(wrong.first == protocol::errc::type_mismatch);
  MESSAGE("an int for a text marker: " << wrong.second.error_detail());
  CHECK(contains(wrong.second.error_detail(), "value 0"));
  CHECK(contains(wrong.second.error_detail(), "'key'"));
  CHECK(contains(wrong.second.error_detail(), "text"));

  // None of them reached the server (or the metrics' request count).
  CHECK(s.metrics().requests == before);
  auto right = await_result([&](auto h) { s.async_execute(p, {std::string("local")}, std::move(h)); });
  CHECK_FALSE(right.first);
  REQUIRE(right.second.rows());
  CHECK(right.second.rows()->row_count() == 1);
}

TEST_CASE("bad input: a routing key where there is nothing to route by is ignored, not an error") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  const std::vector<std::byte> key{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{1}};
  // A keyspace that does not exist, one without token placement (system's
  // LocalStrategy), an empty key: each request goes out by round robin.
  for (const std::string ks : {"cqlpp_no_such_ks", "system"}) {
    CAPTURE(ks);
    statement st("SELECT release_version FROM system.local");
    st.routing_key = key;
    st.routing_keyspace = ks;
    auto r = run(s, st);
    CHECK_FALSE(r.first);
  }
  statement empty("SELECT release_version FROM system.local");
  empty.routing_key = std::vector<std::byte>{};
  CHECK_FALSE(run(s, empty).first);
  // A prepared statement that binds no partition key is routed without a token.
  auto prep = prepare(s, "SELECT key FROM system.local WHERE cluster_name = ? ALLOW FILTERING");
  REQUIRE_FALSE(prep.first);
  CHECK(prep.second.variables.pk_indexes.empty());
  auto r = await_result([&](auto h) { s.async_execute(prep.second, {std::string("x")}, std::move(h)); });
  CHECK_FALSE(r.first);
}

TEST_CASE("bad input: contact points that are not Cassandra, or down, fail async_connect within the timeout") {
  io_thread t;
  auto options_for = [](std::vector<std::string> contacts) {
    session_options o;
    o.cluster.contact_points = std::move(contacts);
    o.connection.connect_timeout = 2s;
    return o;
  };

  SUBCASE("an HTTP server") {
    not_cassandra http("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false);
    const auto c = try_connect(t, options_for({"127.0.0.1:" + std::to_string(http.port())}));
    MESSAGE("an HTTP server: '" << c.ec.message() << "' after " << c.took.count() << " ms: " << c.detail);
    CHECK(c.ec);
    CHECK(c.took < 10s);
    CHECK(contains(c.detail, std::to_string(http.port())));
    CHECK(contains(c.detail, "is not a CQL frame"));
    CHECK(http.accepted() >= 1);
  }
  SUBCASE("a server that closes at once") {
    not_cassandra closer("", false);
    const auto c = try_connect(t, options_for({"127.0.0.1:" + std::to_string(closer.port())}));
    MESSAGE("a server that closes: '" << c.ec.message() << "' after " << c.took.count() << " ms: " << c.detail);
    CHECK(c.ec);
    CHECK(c.took < 10s);
    CHECK(contains(c.detail, std::to_string(closer.port())));
  }
  SUBCASE("a server that never answers") {
    not_cassandra silent("", true);
    const auto c = try_connect(t, options_for({"127.0.0.1:" + std::to_string(silent.port())}));
    MESSAGE("a silent server: '" << c.ec.message() << "' after " << c.took.count() << " ms: " << c.detail);
    CHECK(c.ec == transport::errc::connect_timeout);
    CHECK(contains(c.detail, "no answer to OPTIONS"));
    CHECK(c.took >= 1900ms);
    CHECK(c.took < 10s);
  }
  SUBCASE("every contact point down") {
    // Nothing listens on these ports of the loopback.
    const auto c = try_connect(t, options_for({"127.0.0.1:1", "127.0.0.1:2"}));
    MESSAGE("all contact points down: '" << c.ec.message() << "' after " << c.took.count() << " ms: " << c.detail);
    CHECK(c.ec);
    CHECK(c.took < 10s);
    CHECK(contains(c.detail, "127.0.0.1:1"));
    CHECK(contains(c.detail, "127.0.0.1:2"));
  }
}
