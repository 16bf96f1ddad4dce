#include "cqlpp/protocol/auth.hpp"

namespace cqlpp::protocol {

auth_token decode_auth_token(reader& r) {
  const auto v = r.bytes("auth token");
  if (!r.ok() || v.is_null()) return std::nullopt;
  return std::vector<std::byte>(v.bytes.begin(), v.bytes.end());
}

void encode_auth_token(writer& w, const auth_token& t) {
  if (t) {
    w.bytes(*t);
  } else {
    w.null_bytes();
  }
}

authenticate_response decode_authenticate_response(reader& r, protocol_version) {
  return {.authenticator = std::string(r.string("authenticator"))};
}

void encode(writer& w, const authenticate_response& m, protocol_version) {
  w.string(m.authenticator);
}

}  // namespace cqlpp::protocol
