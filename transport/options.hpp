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

// TLS of a connection (TLS 1.2 at least). The files are read when a connection
// builds its own context, i.e. when no asio::ssl::context is passed to create().
struct tls_options {
  bool enabled = false;          // TLS after TCP connect; default false (plain TCP)
  std::string ca_file;           // PEM CA bundle; default empty = system default paths
  std::string cert_file;         // client certificate (mutual TLS), PEM; default empty = none
  std::string key_file;          // client key, PEM; default empty = none
  std::string server_name;       // SNI and verification name; default empty = the host given
  bool verify = true;            // verify chain and host name (or IP); default true
};

class authenticator;

// Login for PasswordAuthenticator (SASL PLAIN), sent when the server asks.
struct credentials {
  std::string username;  // default empty
  std::string password;  // default empty
};

// Compression of frame bodies (v4) or segments (v5), agreed in STARTUP: none, or lz4.
enum class compression { none, lz4 };

// Options of one connection; a pool or session gives each of its connections a copy.
struct connection_options {
  // Node name or address, resolved at each connect; default "127.0.0.1".
  std::string host = "127.0.0.1";
  std::uint16_t port = 9042;       // CQL native port; default 9042
  std::chrono::milliseconds connect_timeout = 5s;    // TCP + TLS; each handshake request too; default 5 s
  std::chrono::milliseconds request_timeout = 12s;   // for a request that sets none (timeout 0); default 12 s
  std::chrono::milliseconds heartbeat_interval = 30s;  // idle time before an OPTIONS ping; default 30 s
  std::chrono::milliseconds heartbeat_timeout = 10s;   // ping unanswered -> defunct; default 10 s
  // Protocol versions to try, highest first; a refused version steps down,
  // each on a fresh connection. Only v4 and v5 are spoken. Default 5.
  std::uint8_t max_version = 5;
  std::uint8_t min_version = 4;  // lowest version tried; default 4
  compression compress = compression::none;  // preferred; used when the server offers it; default none
  tls_options tls;  // default: TLS off
  std::optional<credentials> auth;  // PasswordAuthenticator (SASL PLAIN); default: none
  // Any other SASL mechanism: called once per handshake; wins over `auth`.
  // Default: empty (none).
  std::function<std::unique_ptr<authenticator>()> authenticator_factory;
  // Sent as USE after the handshake, so that every connection of a pool
  // works in the same keyspace (the session sets it after a USE). Default
  // empty: none.
  std::string keyspace;
  // Requests in flight at once (stream ids), at most 32768; default 32768.
  // A pool counts a connection's orphaned ids against it too.
  int max_stream_ids = 32768;
  // Largest frame body, uncompressed, either way; default 256 MiB. A larger
  // request fails with protocol errc::too_large; a larger response is a
  // protocol violation that closes the connection.
  std::uint32_t max_frame_body = 256u * 1024u * 1024u;
};

}  // namespace cqlpp::transport
