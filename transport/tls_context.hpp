// TLS for a client connection: building the SSL context from tls_options,
// preparing one stream for its handshake, and turning a failed handshake into
// a message that names the cause (which certificate, which check).
//
// Nothing here throws (apart from bad_alloc): Asio's throwing calls are
// avoided or caught, and OpenSSL's per-thread error queue is drained so a
// failure here never leaks into the next TLS call on the same thread.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <memory>
#include <string>
#include <system_error>

#include "cqlpp/transport/byte_stream.hpp"
#include "cqlpp/transport/options.hpp"

namespace cqlpp::transport {

// A TLS 1.2+ client context. CA file (or the system's default paths when
// tls.ca_file is empty); client certificate and key for mutual TLS, checked to
// match. On failure returns nullptr, sets ec = errc::tls_failed and, when
// detail is given, a sentence naming the file and the cause.
std::shared_ptr<asio::ssl::context> make_tls_context(const tls_options& tls, std::error_code& ec,
                                                     std::string* detail = nullptr);

// The first certificate the verification rejected: filled by the verify
// callback that configure_tls_client installs, read after a failed handshake.
struct tls_verify_failure {
  long error = 0;        // X509_V_ERR_*, 0 = X509_V_OK (nothing rejected)
  int depth = -1;        // 0 = the server's own certificate
  std::string subject;   // RFC 2253
  std::string not_after; // ISO-8601 UTC
  std::string alt_names; // "DNS:a, IP:1.2.3.4" (for name mismatches)
};

// Sets up a client stream before its handshake: SNI when `name` is a host
// name (RFC 6066 §3: never for IP literals); with verify, peer verification
// plus the host name or IP address check (RFC 6125), done by OpenSSL itself so
// a mismatch is an ordinary X509 verify error. Returns the record that the
// verify callback fills (never null); on failure sets ec = errc::tls_failed.
std::shared_ptr<tls_verify_failure> configure_tls_client(byte_stream::tls_stream& s,
                                                         const std::string& name, bool verify,
                                                         std::error_code& ec);

// A sentence for a failed handshake: the X509 verify error and the rejected
// certificate when verification failed, else the TLS error (a plaintext
// port, a refused protocol version, a closed connection).
std::string describe_tls_failure(std::error_code handshake_error, const tls_verify_failure& f,
                                 const std::string& name);

// What a finished handshake settled, for cql-probe and logs.
struct tls_peer_info {
  std::string protocol;       // "TLSv1.3"
  std::string cipher;         // "TLS_AES_256_GCM_SHA384"
  std::string subject;        // peer certificate, RFC 2253; empty without one
  std::string issuer;         // the issuer's name, RFC 2253; empty without a certificate
  std::string not_after;      // ISO-8601 UTC, e.g. "2027-11-25T07:02:57Z"
  long verify_result = 0;     // SSL_get_verify_result
  std::string verify_message; // X509_verify_cert_error_string of it ("ok")
};

// The protocol, cipher and peer certificate of `ssl`, after its handshake;
// all empty for a null `ssl`.
tls_peer_info describe_tls(const SSL* ssl);

}  // namespace cqlpp::transport
