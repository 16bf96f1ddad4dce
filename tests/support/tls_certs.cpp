#include "tests/support/tls_certs.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cqlpp::test {

namespace fs = std::filesystem;

namespace {

void run(const std::string& cmd) {
  // Quiet on success; the command itself is the error message otherwise.
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

const char* const new_key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

void make_ca(const std::string& dir, const std::string& name, const std::string& cn) {
  run("openssl req -x509 -new " + std::string(new_key) + " -keyout " + quote(dir + "/" + name + ".key") +
      " -out " + quote(dir + "/" + name + ".pem") + " -days 2 -subj " + quote("/CN=" + cn) +
      " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
}

// A leaf signed by `ca` (its .pem and .key in dir), valid for `days` (-1 = expired).
void make_leaf(const std::string& dir, const std::string& ca, const std::string& name, const std::string& cn,
               const std::string& extensions, int days) {
  const std::string base = dir + "/" + name;
  std::ofstream(base + ".ext") << "basicConstraints=CA:FALSE\n" << extensions;
  run("openssl req -new " + std::string(new_key) + " -keyout " + quote(base + ".key") + " -out " +
      quote(base + ".csr") + " -subj " + quote("/CN=" + cn));
  run("openssl x509 -req -in " + quote(base + ".csr") + " -CA " + quote(dir + "/" + ca + ".pem") + " -CAkey " +
      quote(dir + "/" + ca + ".key") + " -CAserial " + quote(dir + "/" + ca + ".srl") +
      " -CAcreateserial -days " + std::to_string(days) + " -extfile " + quote(base + ".ext") + " -out " +
      quote(base + ".pem"));
}

struct owned_certs : tls_certs {
  owned_certs() {
    std::string tmpl = (fs::temp_directory_path() / "cqlpp-tls-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    const std::string server_names = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n";
    make_ca(dir, "ca", "cqlpp test CA");
    make_ca(dir, "other_ca", "unrelated test CA");
    make_leaf(dir, "ca", "server", "localhost", server_names, 2);
    make_leaf(dir, "ca", "expired", "expired.localhost", server_names, -1);
    make_leaf(dir, "ca", "other_name", "other.example",
              "subjectAltName=DNS:other.example,IP:10.9.8.7\nextendedKeyUsage=serverAuth\n", 2);
    make_leaf(dir, "ca", "client", "cqlpp-client", "extendedKeyUsage=clientAuth\n", 2);
    run("openssl req -x509 -new " + std::string(new_key) + " -keyout " + quote(dir + "/self_signed.key") +
        " -out " + quote(dir + "/self_signed.pem") + " -days 2 -subj /CN=self-signed" +
        " -addext subjectAltName=IP:127.0.0.1,DNS:localhost");
    auto at = [&](const char* f) { return dir + "/" + f; };
    ca = at("ca.pem");
    ca_key = at("ca.key");
    other_ca = at("other_ca.pem");
    server = at("server.pem");
    server_key = at("server.key");
    expired = at("expired.pem");
    expired_key = at("expired.key");
    other_name = at("other_name.pem");
    other_name_key = at("other_name.key");
    client = at("client.pem");
    client_key = at("client.key");
    self_signed = at("self_signed.pem");
    self_signed_key = at("self_signed.key");
  }
  ~owned_certs() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  owned_certs(const owned_certs&) = delete;
  owned_certs& operator=(const owned_certs&) = delete;
};

}  // namespace

const tls_certs& tls_certs::get() {
  static const owned_certs certs;
  return certs;
}

}  // namespace cqlpp::test
