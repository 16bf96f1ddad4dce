// policies/retry: every rule of decide_retry, as a table.
#include <doctest/doctest.h>

#include <asio/error.hpp>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/session/policies/retry.hpp"
#include "cqlpp/transport/error.hpp"

using namespace cqlpp;
using routing::retry_action;
using proto_errc = protocol::server_errc;

namespace {

retry_action decide(std::error_code ec, bool idempotent, int retries = 0,
                    const protocol::error_details* d = nullptr) {
  return routing::decide_retry({ec, d}, idempotent, retries);
}

}  // namespace

TEST_CASE("retry: read timeout — once on the same host when enough replicas answered without the data") {
  protocol::error_details enough = protocol::read_timeout_details{protocol::consistency::quorum, 2, 2, false};
  protocol::error_details with_data = protocol::read_timeout_details{protocol::consistency::quorum, 2, 2, true};
  protocol::error_details too_few = protocol::read_timeout_details{protocol::consistency::quorum, 1, 2, false};
  const auto ec = make_error_code(proto_errc::read_timeout);
  CHECK(decide(ec, false, 0, &enough) == retry_action::same_host);
  CHECK(decide(ec, true, 0, &enough) == retry_action::same_host);
  CHECK(decide(ec, true, 1, &enough) == retry_action::fail);
  CHECK(decide(ec, true, 0, &with_data) == retry_action::fail);
  CHECK(decide(ec, true, 0, &too_few) == retry_action::fail);
  CHECK(decide(ec, true, 0, nullptr) == retry_action::fail);
}

TEST_CASE("retry: write timeout — once on the same host, only when idempotent") {
  protocol::error_details d = protocol::write_timeout_details{protocol::consistency::quorum, 1, 2, "SIMPLE", {}};
  const auto ec = make_error_code(proto_errc::write_timeout);
  CHECK(decide(ec, true, 0, &d) == retry_action::same_host);
  CHECK(decide(ec, false, 0, &d) == retry_action::fail);
  CHECK(decide(ec, true, 1, &d) == retry_action::fail);
}

TEST_CASE("retry: unavailable — once on the next host; busy nodes — the next host; unprepared — re-prepare") {
  CHECK(decide(make_error_code(proto_errc::unavailable), false, 0) == retry_action::next_host);
  CHECK(decide(make_error_code(proto_errc::unavailable), true, 1) == retry_action::fail);
  CHECK(decide(make_error_code(proto_errc::overloaded), false, 3) == retry_action::next_host);
  CHECK(decide(make_error_code(proto_errc::is_bootstrapping), false, 0) == retry_action::next_host);
  CHECK(decide(make_error_code(proto_errc::unprepared), false, 0) == retry_action::reprepare);
  CHECK(decide(make_error_code(proto_errc::server_error), true, 0) == retry_action::next_host);
  CHECK(decide(make_error_code(proto_errc::server_error), false, 0) == retry_action::fail);
}

TEST_CASE("retry: request errors and replica failures are never retried") {
  for (const auto e : {proto_errc::syntax_error, proto_errc::invalid, proto_errc::unauthorized,
                       proto_errc::config_error, proto_errc::already_exists, proto_errc::read_failure,
                       proto_errc::write_failure, proto_errc::cas_write_unknown, proto_errc::truncate_error,
                       proto_errc::function_failure, proto_errc::protocol_error}) {
    CAPTURE(static_cast<int>(e));
    CHECK(decide(make_error_code(e), true, 0) == retry_action::fail);
  }
}

TEST_CASE("retry: transport — never sent moves on; lost with its connection moves on only when idempotent") {
  for (const auto e : {transport::errc::no_connection, transport::errc::not_connected, transport::errc::queue_full,
                       transport::errc::no_stream_ids, transport::errc::connect_timeout}) {
    CAPTURE(static_cast<int>(e));
    CHECK(decide(e, false) == retry_action::next_host);
  }
  for (const std::error_code ec : {std::error_code(transport::errc::connection_closed),
                                   std::error_code(transport::errc::defunct),
                                   std::error_code(asio::error::connection_reset),
                                   std::error_code(asio::error::broken_pipe),
                                   std::error_code(asio::error::eof)}) {
    CAPTURE(ec.message());
    CHECK(decide(ec, true) == retry_action::next_host);
    CHECK(decide(ec, false) == retry_action::fail);
  }
  for (const std::error_code ec : {std::error_code(asio::error::connection_refused),
                                   std::error_code(asio::error::host_unreachable)}) {
    CAPTURE(ec.message());
    CHECK(decide(ec, false) == retry_action::next_host);
  }
  // The caller's time is spent, or the caller gave up.
  CHECK(decide(transport::errc::request_timeout, true) == retry_action::fail);
  CHECK(decide(asio::error::operation_aborted, true) == retry_action::fail);
  CHECK(decide(transport::errc::protocol_violation, true) == retry_action::fail);
  CHECK(decide(std::error_code{}, true) == retry_action::fail);
}
