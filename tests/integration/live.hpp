// Helpers for tests against a live node (scripts/test starts one).
// The node: $CQLPP_TEST_HOST (default 127.0.0.1), port 9042.
// Every wait here is bounded, so a hang fails the test instead of CI.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <utility>
#include <thread>

#include "cqlpp/session/session.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/io_thread.hpp"

namespace cqlpp::test {

inline std::string live_host() {
  const char* h = std::getenv("CQLPP_TEST_HOST");
  return h && *h ? h : "127.0.0.1";
}

inline session_options live_options() {
  session_options o;
  o.connection.host = live_host();
  return o;
}

inline session connect(io_thread& t, session_options o = live_options()) {
  auto f = session::async_connect(t.io.get_executor(), std::move(o), asio::use_future);
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) throw std::runtime_error("connect timed out");
  return f.get();
}

using outcome = std::pair<std::error_code, query_result>;

// Runs `launch(handler)` and waits for the handler's (error, result); a
// minute without one throws (the test fails, CI does not hang).
template <class Launch>
outcome await_result(Launch&& launch) {
  std::promise<outcome> p;
  launch([&p](std::error_code ec, query_result r) { p.set_value({ec, std::move(r)}); });
  auto f = p.get_future();
  if (f.wait_for(std::chrono::seconds(60)) != std::future_status::ready)
    throw std::runtime_error("no completion within 60 s");
  return f.get();
}

inline outcome run(session& s, const statement& st) {
  return await_result([&](auto h) { s.async_query(st, std::move(h)); });
}

}  // namespace cqlpp::test
