#include "cqlpp/protocol/handshake_state.hpp"

namespace cqlpp::protocol {

namespace {

class handshake_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "cqlpp.handshake"; }
  std::string message(int ev) const override {
    switch (static_cast<handshake_errc>(ev)) {
      case handshake_errc::unexpected_response: return "unexpected response during the handshake";
      case handshake_errc::auth_required: return "the server requires authentication";
      case handshake_errc::auth_failed: return "authentication failed";
      case handshake_errc::too_many_rounds: return "too many authentication rounds";
      case handshake_errc::out_of_order: return "handshake call out of order";
    }
    return "unknown handshake error";
  }
};

std::string first_or(const std::map<std::string, std::vector<std::string>>& m, const std::string& key,
                     const std::string& fallback) {
  auto it = m.find(key);
  return it == m.end() || it->second.empty() ? fallback : it->second.front();
}

bool offers(const std::map<std::string, std::vector<std::string>>& m, const std::string& key,
            const std::string& value) {
  auto it = m.find(key);
  if (it == m.end()) return false;
  for (const auto& v : it->second)
    if (v == value) return true;
  return false;
}

handshake_step send(request m, bool switch_framing = false) {
  handshake_step s;
  s.what = handshake_step::kind::send;
  s.message = std::move(m);
  s.switch_framing = switch_framing;
  return s;
}

}  // namespace

const std::error_category& handshake_category() noexcept {
  static const handshake_category_impl c;
  return c;
}

bool is_version_refusal(const error_response& e) noexcept {
  return e.code == static_cast<std::int32_t>(server_errc::protocol_error) &&
         (e.message.find("protocol version") != std::string::npos ||
          e.message.find("USE_BETA") != std::string::npos);
}

handshake_step handshake_state::fail(std::error_code ec, std::string detail) {
  phase_ = phase::done;
  handshake_step s;
  s.what = handshake_step::kind::failed;
  s.ec = ec;
  s.detail = std::move(detail);
  return s;
}

handshake_step handshake_state::refuse(std::string detail) {
  phase_ = phase::done;
  handshake_step s;
  s.what = handshake_step::kind::refused;
  s.detail = std::move(detail);
  return s;
}

handshake_step handshake_state::start() {
  if (phase_ != phase::idle) return fail(handshake_errc::out_of_order, "start() called twice");
  phase_ = phase::options_sent;
  return send(options_request{});
}

handshake_step handshake_state::on_closed() {
  if (phase_ == phase::done) return fail(handshake_errc::out_of_order, "the handshake had ended");
  // Some servers close instead of answering a version they do not know.
  if (phase_ == phase::options_sent) return refuse("the server closed the connection before answering OPTIONS");
  return fail(handshake_errc::unexpected_response, "the server closed the connection during the handshake");
}

handshake_step handshake_state::on_response(const response& m) {
  const auto* err = std::get_if<error_response>(&m);
  switch (phase_) {
    case phase::options_sent: {
      if (err) return is_version_refusal(*err) ? refuse(err->message) : fail(err->error_code(), err->message);
      const auto* sup = std::get_if<supported_response>(&m);
      if (!sup) return fail(handshake_errc::unexpected_response, "OPTIONS was not answered with SUPPORTED");
      result_.supported = sup->options;
      result_.lz4 = cfg_.want_lz4 && offers(result_.supported, "COMPRESSION", "lz4");
      startup_request st;
      st.options["CQL_VERSION"] = first_or(result_.supported, "CQL_VERSION", "3.0.0");
      st.options["DRIVER_NAME"] = cfg_.driver_name;
      st.options["DRIVER_VERSION"] = cfg_.driver_version;
      if (result_.lz4) st.options["COMPRESSION"] = "lz4";
      phase_ = phase::startup_sent;
      return send(std::move(st));
    }
    case phase::startup_sent:
      if (err) return is_version_refusal(*err) ? refuse(err->message) : fail(err->error_code(), err->message);
      return after_startup(m);
    case phase::auth_sent: {
      if (err) return fail(handshake_errc::auth_failed, err->message);
      if (std::holds_alternative<auth_success_response>(m)) {
        phase_ = phase::done;
        handshake_step s;
        s.what = handshake_step::kind::ready;
        return s;
      }
      const auto* ch = std::get_if<auth_challenge_response>(&m);
      if (!ch) return fail(handshake_errc::unexpected_response, "unexpected answer to AUTH_RESPONSE");
      if (++rounds_ > cfg_.max_auth_rounds) return fail(handshake_errc::too_many_rounds, "too many AUTH_CHALLENGE rounds");
      phase_ = phase::authenticating;
      handshake_step s;
      s.what = handshake_step::kind::authenticate;
      s.authenticator = result_.authenticator;
      s.challenge = ch->token;
      return s;
    }
    case phase::idle:
    case phase::authenticating:
    case phase::done:
      break;
  }
  return fail(handshake_errc::out_of_order, "a response the handshake was not waiting for");
}

handshake_step handshake_state::after_startup(const response& m) {
  if (const auto* a = std::get_if<authenticate_response>(&m)) {
    result_.authenticator = a->authenticator;
    phase_ = phase::authenticating;
    handshake_step s;
    s.what = handshake_step::kind::authenticate;
    s.initial = true;
    s.authenticator = a->authenticator;
    s.switch_framing = true;
    return s;
  }
  if (!std::holds_alternative<ready_response>(m))
    return fail(handshake_errc::unexpected_response, "STARTUP was not answered with READY or AUTHENTICATE");
  phase_ = phase::done;
  handshake_step s;
  s.what = handshake_step::kind::ready;
  s.switch_framing = true;
  return s;
}

handshake_step handshake_state::on_token(std::optional<auth_token> token) {
  if (phase_ != phase::authenticating) return fail(handshake_errc::out_of_order, "no token was asked for");
  if (!token) {
    if (rounds_ == 0)
      return fail(handshake_errc::auth_required, "the server requires authentication (" + result_.authenticator +
                                                    ") but no credentials were configured");
    return fail(handshake_errc::auth_failed, "the authenticator gave up on the server's challenge");
  }
  phase_ = phase::auth_sent;
  return send(auth_response_request{std::move(*token)});
}

}  // namespace cqlpp::protocol
