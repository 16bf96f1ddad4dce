// handshake_state without a server: each step is checked, each answer is a
// message built here. Versions, lz4, SASL rounds, refusals and failures.
#include "cqlpp/protocol/handshake_state.hpp"

#include <doctest/doctest.h>

using namespace cqlpp::protocol;
using kind = handshake_step::kind;

namespace {

supported_response supported(bool lz4) {
  supported_response s;
  s.options["CQL_VERSION"] = {"3.4.7"};
  if (lz4) s.options["COMPRESSION"] = {"snappy", "lz4"};
  return s;
}

error_response server_error(server_errc code, std::string text) {
  error_response e;
  e.code = static_cast<std::int32_t>(code);
  e.message = std::move(text);
  return e;
}

std::vector<std::byte> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), reinterpret_cast<const std::byte*>(s.data()) + s.size()};
}

}  // namespace

TEST_CASE("handshake_state: OPTIONS, STARTUP with the server's CQL version, READY switches the framing") {
  handshake_state hs(protocol_version::v5, handshake_config{});
  auto s = hs.start();
  REQUIRE(s.what == kind::send);
  CHECK(std::holds_alternative<options_request>(*s.message));
  CHECK_FALSE(s.switch_framing);
  s = hs.on_response(supported(true));
  REQUIRE(s.what == kind::send);
  const auto& st = std::get<startup_request>(*s.message);
  CHECK(st.options.at("CQL_VERSION") == "3.4.7");
  CHECK(st.options.at("DRIVER_NAME") == "cqlpp");
  CHECK_FALSE(st.options.count("COMPRESSION"));  // not asked for
  CHECK_FALSE(s.switch_framing);
  s = hs.on_response(ready_response{});
  CHECK(s.what == kind::ready);
  CHECK(s.switch_framing);
  CHECK(hs.done());
  CHECK_FALSE(hs.result().lz4);
  CHECK(hs.result().version == protocol_version::v5);
  CHECK(hs.result().supported.at("COMPRESSION").size() == 2);
  // Nothing more is accepted once done.
  CHECK(hs.on_response(ready_response{}).ec == handshake_errc::out_of_order);
}

TEST_CASE("handshake_state: lz4 only when asked for and offered") {
  handshake_config cfg;
  cfg.want_lz4 = true;
  {
    handshake_state hs(protocol_version::v4, cfg);
    hs.start();
    auto s = hs.on_response(supported(true));
    CHECK(std::get<startup_request>(*s.message).options.at("COMPRESSION") == "lz4");
    CHECK(hs.on_response(ready_response{}).what == kind::ready);
    CHECK(hs.result().lz4);
  }
  {
    handshake_state hs(protocol_version::v4, cfg);
    hs.start();
    auto s = hs.on_response(supported(false));
    CHECK_FALSE(std::get<startup_request>(*s.message).options.count("COMPRESSION"));
    hs.on_response(ready_response{});
    CHECK_FALSE(hs.result().lz4);
  }
}

TEST_CASE("handshake_state: SASL with a challenge round, framing switched before the first AUTH_RESPONSE") {
  handshake_state hs(protocol_version::v4, handshake_config{});
  hs.start();
  hs.on_response(supported(false));
  auto s = hs.on_response(authenticate_response{"org.apache.cassandra.auth.PasswordAuthenticator"});
  REQUIRE(s.what == kind::authenticate);
  CHECK(s.initial);
  CHECK(s.switch_framing);
  CHECK(s.authenticator == "org.apache.cassandra.auth.PasswordAuthenticator");
  s = hs.on_token(auth_token(bytes_of("\0user\0pass")));
  REQUIRE(s.what == kind::send);
  CHECK(std::get<auth_response_request>(*s.message).token == auth_token(bytes_of("\0user\0pass")));
  s = hs.on_response(auth_challenge_response{auth_token(bytes_of("nonce"))});
  REQUIRE(s.what == kind::authenticate);
  CHECK_FALSE(s.initial);
  CHECK(s.challenge == auth_token(bytes_of("nonce")));
  s = hs.on_token(auth_token(std::nullopt));  // a null token is an answer
  REQUIRE(s.what == kind::send);
  CHECK_FALSE(std::get<auth_response_request>(*s.message).token.has_value());
  s = hs.on_response(auth_success_response{});
  CHECK(s.what == kind::ready);
  CHECK_FALSE(s.switch_framing);  // already switched
  CHECK(hs.result().authenticator == "org.apache.cassandra.auth.PasswordAuthenticator");
}

TEST_CASE("handshake_state: no credentials, refused credentials, a giving-up authenticator, endless challenges") {
  auto to_auth = [] {
    handshake_config cfg;
    cfg.max_auth_rounds = 3;
    handshake_state hs(protocol_version::v4, cfg);
    hs.start();
    hs.on_response(supported(false));
    hs.on_response(authenticate_response{"PasswordAuthenticator"});
    return hs;
  };
  {
    auto hs = to_auth();
    auto s = hs.on_token(std::nullopt);
    CHECK(s.what == kind::failed);
    CHECK(s.ec == handshake_errc::auth_required);
    CHECK(s.detail.find("PasswordAuthenticator") != std::string::npos);
  }
  {
    auto hs = to_auth();
    hs.on_token(auth_token(bytes_of("x")));
    auto s = hs.on_response(server_error(server_errc::bad_credentials, "Provided username and/or password are incorrect"));
    CHECK(s.ec == handshake_errc::auth_failed);
    CHECK(s.detail == "Provided username and/or password are incorrect");
  }
  {
    auto hs = to_auth();
    hs.on_token(auth_token(bytes_of("x")));
    hs.on_response(auth_challenge_response{});
    auto s = hs.on_token(std::nullopt);
    CHECK(s.ec == handshake_errc::auth_failed);
  }
  {
    auto hs = to_auth();
    handshake_step s;
    int sent = 0;
    for (int i = 0; i < 10; ++i) {
      s = hs.on_token(auth_token(bytes_of("x")));
      if (s.what != kind::send) break;
      ++sent;
      s = hs.on_response(auth_challenge_response{});
      if (s.what != kind::authenticate) break;
    }
    CHECK(s.what == kind::failed);
    CHECK(s.ec == handshake_errc::too_many_rounds);
    CHECK(sent == 4);  // the initial response, then 3 challenge rounds
  }
}

TEST_CASE("handshake_state: a version refusal, a close before OPTIONS is answered, other errors fail") {
  {
    handshake_state hs(protocol_version::v5, handshake_config{});
    hs.start();
    auto s = hs.on_response(server_error(server_errc::protocol_error,
        "Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)"));
    CHECK(s.what == kind::refused);
    CHECK(s.detail.find("supported versions") != std::string::npos);
  }
  {
    handshake_state hs(protocol_version::v5, handshake_config{});
    hs.start();
    hs.on_response(supported(false));
    CHECK(hs.on_response(server_error(server_errc::protocol_error, "Beta version of the protocol used (5/v5-beta), "
                                                                    "but USE_BETA flag is unset")).what == kind::refused);
  }
  {
    handshake_state hs(protocol_version::v5, handshake_config{});
    hs.start();
    CHECK(hs.on_closed().what == kind::refused);
  }
  {
    handshake_state hs(protocol_version::v4, handshake_config{});
    hs.start();
    hs.on_response(supported(false));
    auto s = hs.on_closed();
    CHECK(s.what == kind::failed);
    CHECK(s.ec == handshake_errc::unexpected_response);
  }
  {
    handshake_state hs(protocol_version::v4, handshake_config{});
    hs.start();
    hs.on_response(supported(false));
    auto s = hs.on_response(server_error(server_errc::server_error, "boom"));
    CHECK(s.what == kind::failed);
    CHECK(s.ec == std::error_code(make_error_code(server_errc::server_error)));
    CHECK(s.detail == "boom");
  }
  {
    handshake_state hs(protocol_version::v4, handshake_config{});
    hs.start();
    auto s = hs.on_response(ready_response{});  // READY before SUPPORTED
    CHECK(s.what == kind::failed);
    CHECK(s.ec == handshake_errc::unexpected_response);
  }
  {
    handshake_state hs(protocol_version::v4, handshake_config{});
    CHECK(hs.on_response(supported(false)).ec == handshake_errc::out_of_order);  // before start()
  }
}
