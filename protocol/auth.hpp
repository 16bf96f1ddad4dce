// SASL authentication exchange: AUTHENTICATE (§4.2.3), AUTH_RESPONSE (§4.1.2),
// AUTH_CHALLENGE (§4.2.7), AUTH_SUCCESS (§4.2.8). Tokens are [bytes] and may
// be null (std::nullopt) depending on the authenticator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// A SASL token as sent on the wire ([bytes]); std::nullopt is a null token.
using auth_token = std::optional<std::vector<std::byte>>;

// AUTHENTICATE (§4.2.3): the server's answer to STARTUP when authentication is required; the client replies
// with AUTH_RESPONSE.
struct authenticate_response {
  static constexpr opcode op = opcode::authenticate;  // frame header opcode (0x03)
  std::string authenticator;  // the server's IAuthenticator class name
  friend bool operator==(const authenticate_response&, const authenticate_response&) = default;
};

// AUTH_RESPONSE (§4.1.2): the client's SASL token, sent after AUTHENTICATE and after each AUTH_CHALLENGE.
struct auth_response_request {
  static constexpr opcode op = opcode::auth_response;  // frame header opcode (0x0F)
  auth_token token;  // the client authenticator's initial response or its answer to a challenge
  friend bool operator==(const auth_response_request&, const auth_response_request&) = default;
};

// AUTH_CHALLENGE (§4.2.7): the server wants another round; answered by AUTH_RESPONSE.
struct auth_challenge_response {
  static constexpr opcode op = opcode::auth_challenge;  // frame header opcode (0x0E)
  auth_token token;  // the server's challenge
  friend bool operator==(const auth_challenge_response&, const auth_challenge_response&) = default;
};

// AUTH_SUCCESS (§4.2.8): authentication is complete and the connection is ready for queries.
struct auth_success_response {
  static constexpr opcode op = opcode::auth_success;  // frame header opcode (0x10)
  auth_token token;  // final information from the server, often null
  friend bool operator==(const auth_success_response&, const auth_success_response&) = default;
};

// Reads a [bytes] token; a null token, or a failed read (see r.ok()), gives std::nullopt.
auth_token decode_auth_token(reader& r);
// Writes `t` as [bytes]; std::nullopt is written as null (length -1).
void encode_auth_token(writer& w, const auth_token& t);

// Decodes an AUTHENTICATE body: the authenticator's [string] class name. Check r.ok() afterwards.
authenticate_response decode_authenticate_response(reader& r, protocol_version v);
// Writes an AUTHENTICATE body (the authenticator as [string]).
void encode(writer& w, const authenticate_response& m, protocol_version v);
// Writes an AUTH_RESPONSE body: the token as [bytes].
inline void encode(writer& w, const auth_response_request& m, protocol_version) {
  encode_auth_token(w, m.token);
}
// Writes an AUTH_CHALLENGE body: the token as [bytes].
inline void encode(writer& w, const auth_challenge_response& m, protocol_version) {
  encode_auth_token(w, m.token);
}
// Writes an AUTH_SUCCESS body: the token as [bytes].
inline void encode(writer& w, const auth_success_response& m, protocol_version) {
  encode_auth_token(w, m.token);
}

}  // namespace cqlpp::protocol
