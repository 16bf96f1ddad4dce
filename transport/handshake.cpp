#include "transport/handshake.hpp"

#include <asio/experimental/as_tuple.hpp>

#include "protocol/message.hpp"
#include "transport/authenticator.hpp"
#include "transport/message_io.hpp"

namespace cqlpp::transport::detail {

namespace proto = cqlpp::protocol;
using asio::experimental::as_tuple;

namespace {

constexpr auto use_tuple = as_tuple(asio::use_awaitable);

struct exchange_result {
  std::error_code ec;
  std::optional<proto::response> message;
};

// One request/response on a connection that is still handshaking.
asio::awaitable<exchange_result> exchange(connection& c, const proto::request& m, proto::protocol_version v) {
  request req;
  if (auto ec = make_request(m, v, req)) co_return exchange_result{ec, std::nullopt};
  req.timeout = c.options().connect_timeout;
  auto [ec, resp] = co_await c.async_request(std::move(req), use_tuple);
  if (ec) co_return exchange_result{ec, std::nullopt};
  auto decoded = decode(resp, v);
  if (!decoded) {
    c.set_failure_detail("cannot decode the server's " + std::string(proto::to_string(resp.header.op)) +
                         ": " + decoded.error().message());
    co_return exchange_result{errc::protocol_violation, std::nullopt};
  }
  co_return exchange_result{{}, std::move(decoded->message)};
}

bool is_version_refusal(const proto::error_response& e) {
  // Cassandra: "Invalid or unsupported protocol version (5); supported versions are ..."
  // ScyllaDB answers in the same shape; both use PROTOCOL_ERROR.
  return e.code == static_cast<std::int32_t>(proto::server_errc::protocol_error) &&
         (e.message.find("protocol version") != std::string::npos ||
          e.message.find("USE_BETA") != std::string::npos);
}

std::string pick(const std::map<std::string, std::vector<std::string>>& supported,
                 const std::string& key, const std::string& fallback) {
  auto it = supported.find(key);
  return it == supported.end() || it->second.empty() ? fallback : it->second.front();
}

bool offers(const std::map<std::string, std::vector<std::string>>& supported,
            const std::string& key, const std::string& value) {
  auto it = supported.find(key);
  if (it == supported.end()) return false;
  for (const auto& v : it->second)
    if (v == value) return true;
  return false;
}

enum class attempt_result { ok, refused, failed };

struct attempt_outcome {
  attempt_result kind = attempt_result::failed;
  std::error_code ec;
};

// One handshake at one version on a fresh connection.
asio::awaitable<attempt_outcome> attempt(connection& c, proto::protocol_version v) {
  const auto& o = c.options();
  auto fail = [&c](std::error_code ec, std::string detail) {
    if (c.failure_detail().empty()) c.set_failure_detail(std::move(detail));
    c.close();
    return attempt_outcome{attempt_result::failed, ec};
  };
  auto [oec] = co_await c.async_open(use_tuple);
  if (oec) co_return fail(oec, "cannot connect to " + o.host + ":" + std::to_string(o.port) + ": " + oec.message());
  c.set_handshake_version(static_cast<std::uint8_t>(v));

  handshake_info info;
  info.version = static_cast<std::uint8_t>(v);
  const proto::request options_msg = proto::options_request{};
  auto sup = co_await exchange(c, options_msg, v);
  if (sup.ec == errc::connection_closed) {
    // Some servers close instead of answering a version they do not know.
    co_return attempt_outcome{attempt_result::refused, errc::unsupported_version};
  }
  if (sup.ec == asio::error::connection_reset && !o.tls.enabled)
    co_return fail(sup.ec, "the server reset the connection before answering OPTIONS: is this a TLS port? "
                           "(enable TLS)");
  if (sup.ec) co_return fail(sup.ec, "OPTIONS failed: " + sup.ec.message());
  if (auto* e = std::get_if<proto::error_response>(&*sup.message)) {
    if (is_version_refusal(*e)) {
      c.set_failure_detail(e->message);
      c.close();
      co_return attempt_outcome{attempt_result::refused, errc::unsupported_version};
    }
    co_return fail(e->error_code(), e->message);
  }
  auto* supported = std::get_if<proto::supported_response>(&*sup.message);
  if (!supported) co_return fail(errc::unexpected_response, "OPTIONS was not answered with SUPPORTED");
  info.supported = supported->options;

  proto::startup_request startup;
  startup.options["CQL_VERSION"] = pick(info.supported, "CQL_VERSION", "3.0.0");
  startup.options["DRIVER_NAME"] = "cqlpp";
  startup.options["DRIVER_VERSION"] = "0.1.0";
  const bool lz4 = o.compress == compression::lz4 && offers(info.supported, "COMPRESSION", "lz4");
  if (lz4) startup.options["COMPRESSION"] = "lz4";
  info.compress = lz4 ? compression::lz4 : compression::none;

  const proto::request startup_msg = startup;
  auto st = co_await exchange(c, startup_msg, v);
  if (st.ec) co_return fail(st.ec, "STARTUP failed: " + st.ec.message());
  if (auto* e = std::get_if<proto::error_response>(&*st.message)) {
    if (is_version_refusal(*e)) {
      c.set_failure_detail(e->message);
      c.close();
      co_return attempt_outcome{attempt_result::refused, errc::unsupported_version};
    }
    co_return fail(e->error_code(), e->message);
  }
  // From here on the new framing / compression applies in both directions.
  if (v == proto::protocol_version::v5) c.enable_segments(lz4);
  else if (lz4) c.enable_body_compression();

  if (auto* a = std::get_if<proto::authenticate_response>(&*st.message)) {
    info.authenticator = a->authenticator;
    std::unique_ptr<authenticator> auth;
    if (o.authenticator_factory) auth = o.authenticator_factory();
    else if (o.auth) auth = std::make_unique<plain_text_authenticator>(o.auth->username, o.auth->password);
    if (!auth)
      co_return fail(errc::auth_required, "the server requires authentication (" + a->authenticator +
                                              ") but no credentials were configured");
    proto::auth_token token = auth->initial_response(a->authenticator);
    for (int round = 0;; ++round) {
      if (round > 16) co_return fail(errc::auth_failed, "too many AUTH_CHALLENGE rounds");
      // A named request: GCC 12 destroys non-trivial temporaries inside a
      // co_await expression twice.
      const proto::request auth_msg = proto::auth_response_request{std::move(token)};
      auto ar = co_await exchange(c, auth_msg, v);
      if (ar.ec) co_return fail(ar.ec, "AUTH_RESPONSE failed: " + ar.ec.message());
      if (std::holds_alternative<proto::auth_success_response>(*ar.message)) break;
      if (auto* e = std::get_if<proto::error_response>(&*ar.message))
        co_return fail(errc::auth_failed, e->message);
      auto* ch = std::get_if<proto::auth_challenge_response>(&*ar.message);
      if (!ch) co_return fail(errc::unexpected_response, "unexpected answer to AUTH_RESPONSE");
      auto next = auth->evaluate_challenge(ch->token ? std::span<const std::byte>(*ch->token)
                                                     : std::span<const std::byte>());
      if (!next) co_return fail(errc::auth_failed, "the authenticator gave up on the server's challenge");
      token = std::move(*next);
    }
  } else if (!std::holds_alternative<proto::ready_response>(*st.message)) {
    co_return fail(errc::unexpected_response, "STARTUP was not answered with READY or AUTHENTICATE");
  }
  c.set_negotiated(std::move(info));
  co_return attempt_outcome{attempt_result::ok, {}};
}

}  // namespace

asio::awaitable<connect_outcome> run_connect(asio::any_io_executor ex, connection_options opts,
                                             std::shared_ptr<asio::ssl::context> tls_ctx,
                                             connect_observer observe) {
  std::shared_ptr<connection> last;
  std::string refusals;
  for (int v = opts.max_version; v >= opts.min_version; --v) {
    if (v != 4 && v != 5) continue;  // the versions this codec speaks
    auto c = connection::create(ex, opts, tls_ctx);
    if (observe) observe(c);
    auto r = co_await attempt(*c, static_cast<proto::protocol_version>(v));
    // Closed by its owner meanwhile: no other version is worth a try.
    if (c->aborted()) co_return connect_outcome{errc::connection_closed, c};
    if (r.kind == attempt_result::ok) co_return connect_outcome{{}, c};
    if (r.kind == attempt_result::failed) co_return connect_outcome{r.ec, c};
    if (!refusals.empty()) refusals += "; ";
    refusals += "v" + std::to_string(v) + ": " + (c->failure_detail().empty() ? "refused" : c->failure_detail());
    last = c;
  }
  if (last) last->set_failure_detail("the server accepted none of protocol v" + std::to_string(opts.min_version) +
                                     "..v" + std::to_string(opts.max_version) + " (" + refusals + ")");
  co_return connect_outcome{errc::unsupported_version, last};
}

}  // namespace cqlpp::transport::detail
