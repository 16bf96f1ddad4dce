// Options of one connection. Defaults are what a production service wants;
// every duration has a bound, so nothing waits forever.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>

namespace cqlpp::transport {

using namespace std::chrono_literals;

struct tls_options {
  bool enabled = false;
  std::string ca_file;           // PEM CA bundle; empty = system default paths
  std::string cert_file;         // client certificate (mutual TLS), PEM
  std::string key_file;          // client key, PEM
  std::string server_name;       // SNI and verification name; empty = the host given
  bool verify = true;            // verify chain and host name (or IP)
};

class authenticator;

struct credentials {
  std::string username;
  std::string password;
};

enum class compression { none, lz4 };

struct connection_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9042;
  std::chrono::milliseconds connect_timeout = 5s;    // TCP + TLS + handshake
  std::chrono::milliseconds request_timeout = 12s;   // default per request
  std::chrono::milliseconds heartbeat_interval = 30s;  // idle time before an OPTIONS ping
  std::chrono::milliseconds heartbeat_timeout = 10s;   // ping unanswered -> defunct
  // Protocol versions to try, highest first; a refused version steps down.
  std::uint8_t max_version = 5;
  std::uint8_t min_version = 4;
  compression compress = compression::none;  // preferred; used when the server offers it
  tls_options tls;
  std::optional<credentials> auth;  // PasswordAuthenticator (SASL PLAIN)
  // Any other SASL mechanism: called once per handshake; wins over `auth`.
  std::function<std::unique_ptr<authenticator>()> authenticator_factory;
  // Sent as USE after the handshake, so that every connection of a pool
  // works in the same keyspace (the session sets it after a USE). Empty: none.
  std::string keyspace;
  int max_stream_ids = 32768;
  std::uint32_t max_frame_body = 256u * 1024u * 1024u;
};

}  // namespace cqlpp::transport
