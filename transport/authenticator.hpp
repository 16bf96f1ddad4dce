// SASL authenticators for the AUTHENTICATE exchange (v4 §4.2.3, §4.2.7).
// The connection asks a fresh authenticator for each handshake.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cqlpp::transport {

// One SASL mechanism's side of the exchange; a fresh object per handshake, so
// it may keep the state of one exchange.
class authenticator {
 public:
  virtual ~authenticator() = default;
  // The first AUTH_RESPONSE token, given the server's authenticator class.
  virtual std::vector<std::byte> initial_response(std::string_view server_authenticator) = 0;
  // The answer to an AUTH_CHALLENGE; nullopt ends the exchange as a failure.
  virtual std::optional<std::vector<std::byte>> evaluate_challenge(std::span<const std::byte> challenge) = 0;
};

// Makes the authenticator of each handshake (connection_options::authenticator_factory).
using authenticator_factory = std::function<std::unique_ptr<authenticator>()>;

// PasswordAuthenticator: SASL PLAIN, "\0username\0password" (RFC 4616).
class plain_text_authenticator final : public authenticator {
 public:
  // Sends these in its one token, whatever authenticator the server names.
  plain_text_authenticator(std::string username, std::string password)
      : username_(std::move(username)), password_(std::move(password)) {}

  std::vector<std::byte> initial_response(std::string_view) override {
    std::vector<std::byte> t;
    t.reserve(username_.size() + password_.size() + 2);
    t.push_back(std::byte{0});
    for (char c : username_) t.push_back(static_cast<std::byte>(c));
    t.push_back(std::byte{0});
    for (char c : password_) t.push_back(static_cast<std::byte>(c));
    return t;
  }
  // PLAIN has no second round: a challenge means the server wants something else.
  std::optional<std::vector<std::byte>> evaluate_challenge(std::span<const std::byte>) override {
    return std::nullopt;
  }

 private:
  std::string username_;
  std::string password_;
};

}  // namespace cqlpp::transport
