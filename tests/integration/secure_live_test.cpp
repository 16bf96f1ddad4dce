// A node with PasswordAuthenticator and client TLS (scripts/cassandra start
// --auth --tls): the CA is $CQLPP_TEST_CA. Right credentials over TLS
// succeed; a wrong password, missing credentials, plaintext and an untrusted
// CA each fail with a clear error.
#include <doctest/doctest.h>

#include <cstdlib>

#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

std::string ca_file() {
  const char* ca = std::getenv("CQLPP_TEST_CA");
  REQUIRE_MESSAGE(ca, "CQLPP_TEST_CA is not set (scripts/test sets it)");
  return ca;
}

session_options secure(std::optional<transport::credentials> creds) {
  auto o = cqlpp::test::live_options();
  o.connection.tls.enabled = true;
  o.connection.tls.ca_file = ca_file();
  o.connection.auth = std::move(creds);
  o.pool.connections = 1;
  return o;
}

// Connects and returns the error (empty on success) and the detail words,
// which travel in the completion: through a future, in the connect_error.
std::pair<std::error_code, std::string> try_connect(io_thread& t, session_options o) {
  auto fut = session::async_connect(t.io.get_executor(), std::move(o), asio::use_future);
  REQUIRE(fut.wait_for(30s) == std::future_status::ready);
  try {
    fut.get().close();
    return {};
  } catch (const connect_error& e) {
    return {e.code(), e.detail()};
  }
}

}  // namespace

TEST_CASE("TLS with the right credentials connects and queries") {
  io_thread t;
  auto [ec, detail] = try_connect(t, secure(transport::credentials{"cassandra", "cassandra"}));
  MESSAGE("TLS + cassandra/cassandra: '" << (ec ? ec.message() : std::string("ok")) << "'");
  CHECK_FALSE(ec);
  auto s = cqlpp::test::connect(t, secure(transport::credentials{"cassandra", "cassandra"}));
  auto r = t.run([&]() -> asio::awaitable<std::string> {
    const statement st("SELECT release_version FROM system.local");
    auto res = co_await s.async_query(st, asio::use_awaitable);
    auto row = *res.rows()->begin();
    co_return std::string(*protocol::decode_as<std::string_view>(row[0].bytes, *row.type(0)));
  }());
  CHECK(r.rfind("5.0", 0) == 0);
}

TEST_CASE("a wrong password fails with an authentication error that says so") {
  io_thread t;
  auto [ec, detail] = try_connect(t, secure(transport::credentials{"cassandra", "wrong"}));
  MESSAGE("wrong password: '" << ec.message() << "': " << detail);
  CHECK(ec == transport::errc::auth_failed);
  CHECK(detail.find("password") != std::string::npos);
}

TEST_CASE("no credentials for an authenticating node fails with auth_required") {
  io_thread t;
  auto [ec, detail] = try_connect(t, secure(std::nullopt));
  MESSAGE("no credentials: '" << ec.message() << "': " << detail);
  CHECK(ec == transport::errc::auth_required);
  CHECK(detail.find("PasswordAuthenticator") != std::string::npos);
}

TEST_CASE("a connection without TLS is refused") {
  io_thread t;
  auto o = secure(transport::credentials{"cassandra", "cassandra"});
  o.connection.tls.enabled = false;
  o.connection.connect_timeout = 5s;
  auto [ec, detail] = try_connect(t, o);
  MESSAGE("plaintext to the TLS port: '" << ec.message() << "': " << detail);
  CHECK(ec);
}

TEST_CASE("a CA that did not sign the node's certificate fails the TLS handshake") {
  io_thread t;
  auto o = secure(transport::credentials{"cassandra", "cassandra"});
  o.connection.tls.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // public roots: not our throw-away CA
  auto [ec, detail] = try_connect(t, o);
  MESSAGE("untrusted CA: '" << ec.message() << "' (" << std::string(ec.category().name()) << "): " << detail);
  CHECK(ec);
}
