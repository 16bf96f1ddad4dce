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

using auth_token = std::optional<std::vector<std::byte>>;

struct authenticate_response {
  static constexpr opcode op = opcode::authenticate;
  std::string authenticator;  // the server's IAuthenticator class name
  friend bool operator==(const authenticate_response&, const authenticate_response&) = default;
};

struct auth_response_request {
  static constexpr opcode op = opcode::auth_response;
  auth_token token;
  friend bool operator==(const auth_response_request&, const auth_response_request&) = default;
};

struct auth_challenge_response {
  static constexpr opcode op = opcode::auth_challenge;
  auth_token token;
  friend bool operator==(const auth_challenge_response&, const auth_challenge_response&) = default;
};

struct auth_success_response {
  static constexpr opcode op = opcode::auth_success;
  auth_token token;
  friend bool operator==(const auth_success_response&, const auth_success_response&) = default;
};

auth_token decode_auth_token(reader& r);
void encode_auth_token(writer& w, const auth_token& t);

authenticate_response decode_authenticate_response(reader& r, protocol_version v);
void encode(writer& w, const authenticate_response& m, protocol_version v);
inline void encode(writer& w, const auth_response_request& m, protocol_version) {
  encode_auth_token(w, m.token);
}
inline void encode(writer& w, const auth_challenge_response& m, protocol_version) {
  encode_auth_token(w, m.token);
}
inline void encode(writer& w, const auth_success_response& m, protocol_version) {
  encode_auth_token(w, m.token);
}

}  // namespace cqlpp::protocol
