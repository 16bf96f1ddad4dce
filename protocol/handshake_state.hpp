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

// Why a handshake failed on the client's side, in handshake_category(); a server ERROR keeps its own code.
enum class handshake_errc {
  unexpected_response = 1,  // a message the handshake does not expect here
  auth_required,            // the server asks for credentials; none configured
  auth_failed,              // the server refused them, or the authenticator gave up
  too_many_rounds,          // AUTH_CHALLENGE without end
  out_of_order,             // a call that does not fit the current step
};
// The category of handshake_errc, named "cqlpp.handshake".
const std::error_category& handshake_category() noexcept;
// Makes handshake_errc values convertible to std::error_code.
inline std::error_code make_error_code(handshake_errc e) noexcept { return {static_cast<int>(e), handshake_category()}; }

// What the client asks for in STARTUP, and how long it lets authentication go on.
struct handshake_config {
  bool want_lz4 = false;  // asked for; used when the server offers it
  // STARTUP's DRIVER_NAME; default "cqlpp".
  std::string driver_name = "cqlpp";
  // STARTUP's DRIVER_VERSION; default "0.1.0".
  std::string driver_version = "0.1.0";
  int max_auth_rounds = 16;  // AUTH_CHALLENGEs answered at most; one more fails with too_many_rounds. Default 16
};

// What the handshake settled, valid once ready.
struct handshake_result {
  protocol_version version = protocol_version::v4;  // the version the handshake ran at
  bool lz4 = false;  // lz4 was asked for and offered: v4 bodies or v5 segments are compressed
  std::map<std::string, std::vector<std::string>> supported;  // the SUPPORTED map
  std::string authenticator;  // empty when the server did not ask
};

// What the caller does next; which fields are set depends on `what`.
struct handshake_step {
  // send: write `message`; authenticate: answer with on_token(); ready: the connection is usable; refused: the
  // server does not speak this version (retry one lower on a fresh connection); failed: give up with `ec`.
  enum class kind { send, authenticate, ready, refused, failed };
  kind what = kind::failed;  // the step; default failed
  std::optional<request> message;  // send: the request
  bool switch_framing = false;     // apply the negotiated framing before sending
  // authenticate: the server's authenticator class (initial) or its challenge.
  bool initial = false;        // the server's first AUTHENTICATE, not a challenge
  std::string authenticator;  // the server's IAuthenticator class name
  auth_token challenge;       // the AUTH_CHALLENGE token; nullopt when `initial`
  // refused / failed
  std::error_code ec;
  std::string detail;  // words for the user: the server's message, or what went wrong
};

// The handshake of one connection; see the top of this file. Once a step is ready, refused or failed, every
// further call fails with out_of_order.
class handshake_state {
 public:
  // A handshake at version `v`, asking for what `cfg` says.
  handshake_state(protocol_version v, handshake_config cfg) : cfg_(std::move(cfg)) { result_.version = v; }

  // The first step: send OPTIONS. A second call fails with out_of_order.
  handshake_step start();
  // The server's answer to the last request sent. SUPPORTED leads to STARTUP (CQL_VERSION the server's first,
  // else "3.0.0"; COMPRESSION lz4 when wanted and offered); AUTHENTICATE or AUTH_CHALLENGE to authenticate
  // (too_many_rounds past max_auth_rounds); READY or AUTH_SUCCESS to ready; an ERROR to refused (a version
  // refusal) or failed with the server's code (auth_failed while authenticating); anything else to failed
  // (unexpected_response).
  handshake_step on_response(const response& m);
  // The peer closed the connection: refused while OPTIONS is unanswered, else failed (unexpected_response).
  handshake_step on_closed();
  // The caller's answer to an authenticate step: send AUTH_RESPONSE with the token, or, for nullopt, fail
  // (auth_required on the first round, auth_failed after a challenge).
  handshake_step on_token(std::optional<auth_token> token);

  // True once the handshake has ended: ready, refused or failed.
  bool done() const noexcept { return phase_ == phase::done; }
  // What was settled; complete once a step is ready.
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
