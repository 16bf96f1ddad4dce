#include "cqlpp/transport/handshake.hpp"

#include <asio/experimental/as_tuple.hpp>

#include "cqlpp/protocol/handshake_state.hpp"
#include "cqlpp/protocol/message.hpp"
#include "cqlpp/transport/authenticator.hpp"
#include "cqlpp/transport/message_io.hpp"

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

// The handshake's codes, as the transport has always reported them.
std::error_code map_handshake(std::error_code ec) {
  if (ec.category() != proto::handshake_category()) return ec;
  switch (static_cast<proto::handshake_errc>(ec.value())) {
    case proto::handshake_errc::auth_required: return errc::auth_required;
    case proto::handshake_errc::auth_failed:
    case proto::handshake_errc::too_many_rounds: return errc::auth_failed;
    case proto::handshake_errc::unexpected_response:
    case proto::handshake_errc::out_of_order: return errc::unexpected_response;
  }
  return ec;
}

enum class attempt_result { ok, refused, failed };

struct attempt_outcome {
  attempt_result kind = attempt_result::failed;
  std::error_code ec;
};

// One handshake at one version on a fresh connection: the I/O around
// protocol::handshake_state, which makes every decision.
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

  proto::handshake_config cfg;
  cfg.want_lz4 = o.compress == compression::lz4;
  proto::handshake_state hs(v, cfg);
  std::unique_ptr<authenticator> auth;
  auto step = hs.start();
  for (;;) {
    if (step.switch_framing) {
      // From here on the new framing / compression applies in both directions.
      if (v == proto::protocol_version::v5) c.enable_segments(hs.result().lz4);
      else if (hs.result().lz4) c.enable_body_compression();
    }
    using kind = proto::handshake_step::kind;
    switch (step.what) {
      case kind::send: {
        const bool options = std::holds_alternative<proto::options_request>(*step.message);
        auto ex = co_await exchange(c, *step.message, v);
        if (ex.ec == errc::connection_closed) {
          step = hs.on_closed();
          continue;
        }
        if (ex.ec == asio::error::connection_reset && options && !o.tls.enabled)
          co_return fail(ex.ec, "the server reset the connection before answering OPTIONS: is this a TLS port? "
                                "(enable TLS)");
        if (ex.ec) {
          const std::string what = options ? "OPTIONS" : std::holds_alternative<proto::startup_request>(*step.message)
                                                             ? "STARTUP" : "AUTH_RESPONSE";
          const std::string where = o.host + ":" + std::to_string(o.port);
          // The handshake is part of connecting: its silence is a connect timeout.
          if (ex.ec == errc::request_timeout)
            co_return fail(errc::connect_timeout, "no answer to " + what + " from " + where + " within " +
                                                      std::to_string(o.connect_timeout.count()) +
                                                      " ms: is this a CQL native port?");
          if (ex.ec == errc::protocol_violation && options)
            co_return fail(ex.ec, "the answer to OPTIONS from " + where +
                                      " is not a CQL frame: is this a CQL native port?");
          co_return fail(ex.ec, what + " failed: " + ex.ec.message());
        }
        step = hs.on_response(*ex.message);
        continue;
      }
      case kind::authenticate: {
        std::optional<proto::auth_token> token;
        if (step.initial) {
          if (o.authenticator_factory) auth = o.authenticator_factory();
          else if (o.auth) auth = std::make_unique<plain_text_authenticator>(o.auth->username, o.auth->password);
          if (auth) token = proto::auth_token(auth->initial_response(step.authenticator));
        } else if (auth) {
          // nullopt: the authenticator gives up (a null token would be an answer).
          if (auto next = auth->evaluate_challenge(step.challenge ? std::span<const std::byte>(*step.challenge)
                                                                  : std::span<const std::byte>()))
            token = proto::auth_token(std::move(*next));
        }
        step = hs.on_token(std::move(token));
        continue;
      }
      case kind::ready: {
        handshake_info info;
        info.version = static_cast<std::uint8_t>(v);
        info.compress = hs.result().lz4 ? compression::lz4 : compression::none;
        info.supported = hs.result().supported;
        info.authenticator = hs.result().authenticator;
        c.set_negotiated(std::move(info));
        if (!o.keyspace.empty()) {
          auto ex = co_await exchange(c, proto::request(use_keyspace_query(o.keyspace)), v);
          if (ex.ec) co_return fail(ex.ec, "USE " + o.keyspace + " failed: " + ex.ec.message());
          if (const auto* e = std::get_if<proto::error_response>(&*ex.message))
            co_return fail(e->error_code(), "USE " + o.keyspace + ": " + e->message);
        }
        co_return attempt_outcome{attempt_result::ok, {}};
      }
      case kind::refused:
        c.set_failure_detail(step.detail);
        c.close();
        co_return attempt_outcome{attempt_result::refused, errc::unsupported_version};
      case kind::failed:
        co_return fail(map_handshake(step.ec), step.detail);
    }
  }
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
