// tls_certs: throw-away certificates for the TLS tests, made once per test
// process with the `openssl` command-line tool in a fresh temporary folder
// (removed at exit). Keys are P-256; everything is valid for two days except
// the expired certificate.
#pragma once

#include <string>

namespace cqlpp::test {

struct tls_certs {
  std::string dir;
  std::string ca, ca_key;                  // the CA the tests trust
  std::string other_ca;                    // an unrelated CA
  std::string server, server_key;          // by ca; SAN IP:127.0.0.1, DNS:localhost
  std::string expired, expired_key;        // by ca, same names, expired yesterday
  std::string other_name, other_name_key;  // by ca; SAN DNS:other.example, IP:10.9.8.7 only
  std::string client, client_key;          // by ca; clientAuth, CN=cqlpp-client
  std::string self_signed, self_signed_key;  // its own issuer; SAN IP:127.0.0.1, DNS:localhost

  // The process-wide set, generated on first use. Throws std::runtime_error
  // (with the failed command) when openssl is missing or fails.
  static const tls_certs& get();
};

}  // namespace cqlpp::test
