// handshake_state: the STARTUP/AUTH exchange of one connection at one
// protocol version (v4/v5 §4.1.1, §4.2.3), as a state machine without I/O.
//
// It says what to send and is told what came back; each call returns the
// next step:
//   start()                  -> send OPTIONS
//   on_response(message)     -> send STARTUP / AUTH_RESPONSE, authenticate,
//                               ready, refused or failed
//   on_closed()              -> the peer closed before answering
//   on_token(token)          -> the answer to an `authenticate` step
//                               (nullopt: none; a null token is a value)
// `authenticate` asks the caller for a SASL token (its authenticator object
// lives in the shell): the initial response to the server's authenticator
// class, or the answer to a challenge; nullopt means the caller has none
// (no credentials, or it gives up) and the handshake fails.
//
// `refused` means "this server does not speak this version": the caller may
// retry one version lower on a fresh connection (the server answered OPTIONS
// or STARTUP with a version PROTOCOL_ERROR, or closed before answering
// OPTIONS). `failed` carries a code — handshake_errc or the server's own
// (server_category) — and words for the user.
//
// Framing: once STARTUP is answered the connection's new framing applies in
// both directions (v5 segments, or lz4 bodies in v4, §2.3 / §5): the step
// returned by that on_response has switch_framing set; apply it before
// sending that step's message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "cqlpp/protocol/message.hpp"

namespace cqlpp::protocol {

enum class handshake_errc {
  unexpected_response = 1,  // a message the handshake does not expect here
  auth_required,            // the server asks for credentials; none configured
  auth_failed,              // the server refused them, or the authenticator gave up
  too_many_rounds,          // AUTH_CHALLENGE without end
  out_of_order,             // a call that does not fit the current step
};
const std::error_category& handshake_category() noexcept;
inline std::error_code make_error_code(handshake_errc e) noexcept { return {static_cast<int>(e), handshake_category()}; }

struct handshake_config {
  bool want_lz4 = false;  // asked for; used when the server offers it
  std::string driver_name = "cqlpp";
  std::string driver_version = "0.1.0";
  int max_auth_rounds = 16;
};

// What the handshake settled, valid once ready.
struct handshake_result {
  protocol_version version = protocol_version::v4;
  bool lz4 = false;
  std::map<std::string, std::vector<std::string>> supported;  // the SUPPORTED map
  std::string authenticator;  // empty when the server did not ask
};

struct handshake_step {
  enum class kind { send, authenticate, ready, refused, failed };
  kind what = kind::failed;
  std::optional<request> message;  // send: the request
  bool switch_framing = false;     // apply the negotiated framing before sending
  // authenticate: the server's authenticator class (initial) or its challenge.
  bool initial = false;
  std::string authenticator;
  auth_token challenge;
  // refused / failed
  std::error_code ec;
  std::string detail;
};

class handshake_state {
 public:
  handshake_state(protocol_version v, handshake_config cfg) : cfg_(std::move(cfg)) { result_.version = v; }

  handshake_step start();
  handshake_step on_response(const response& m);
  handshake_step on_closed();
  handshake_step on_token(std::optional<auth_token> token);

  bool done() const noexcept { return phase_ == phase::done; }
  const handshake_result& result() const noexcept { return result_; }

 private:
  enum class phase { idle, options_sent, startup_sent, authenticating, auth_sent, done };
  handshake_step fail(std::error_code ec, std::string detail);
  handshake_step refuse(std::string detail);
  handshake_step after_startup(const response& m);

  handshake_config cfg_;
  handshake_result result_;
  phase phase_ = phase::idle;
  int rounds_ = 0;
};

// A server's PROTOCOL_ERROR that refuses the protocol version itself
// (Cassandra: "Invalid or unsupported protocol version (5); supported
// versions are ..."; ScyllaDB answers in the same shape).
bool is_version_refusal(const error_response& e) noexcept;

}  // namespace cqlpp::protocol

template <>
struct std::is_error_code_enum<cqlpp::protocol::handshake_errc> : std::true_type {};
