#include "cqlpp/transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "cqlpp/transport/error.hpp"

namespace cqlpp::transport {

namespace {

// Owning handles for the OpenSSL objects used here.
struct bio_free { void operator()(BIO* b) const noexcept { BIO_free(b); } };
struct x509_free { void operator()(X509* x) const noexcept { X509_free(x); } };
struct pkey_free { void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); } };
struct names_free { void operator()(GENERAL_NAMES* n) const noexcept { GENERAL_NAMES_free(n); } };
using bio_ptr = std::unique_ptr<BIO, bio_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

// The reason of the newest queued OpenSSL error, and an empty queue after.
std::string take_openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  const char* r = ERR_reason_error_string(e);
  return r ? r : "OpenSSL error " + std::to_string(e);
}

// True when the last PEM read stopped only because no further PEM block
// follows (the normal end of a bundle), not because a block was malformed.
bool pem_ended_cleanly() {
  const unsigned long e = ERR_peek_last_error();
  return e == 0 || (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE);
}

// Never prompts on a terminal for a pass phrase (OpenSSL's default would).
int no_password(char*, int, int, void*) { return -1; }

bio_ptr open_file(const std::string& path, const char* what, std::string& why) {
  errno = 0;
  bio_ptr b(BIO_new_file(path.c_str(), "r"));
  if (!b) {
    const int err = errno;
    ERR_clear_error();
    why = std::string("cannot open ") + what + " '" + path + "': " +
          (err ? std::strerror(err) : "unreadable");
  }
  return b;
}

std::string print_name(const X509_NAME* n) {
  if (!n) return {};
  bio_ptr b(BIO_new(BIO_s_mem()));
  if (!b || X509_NAME_print_ex(b.get(), n, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(b.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string iso_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  std::array<char, 32> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf.data(), n);
}

// "DNS:localhost, IP:127.0.0.1": the names a certificate is valid for.
std::string alt_names(X509* cert) {
  std::unique_ptr<GENERAL_NAMES, names_free> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  std::string out;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names.get(), i);
    std::string one;
    if (g->type == GEN_DNS) {
      const auto* s = g->d.dNSName;
      one = "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                 static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (g->type == GEN_IPADD) {
      const auto* s = g->d.iPAddress;
      const auto* p = ASN1_STRING_get0_data(s);
      if (ASN1_STRING_length(s) == 4) {
        one = "IP:" + asio::ip::address_v4({p[0], p[1], p[2], p[3]}).to_string();
      } else if (ASN1_STRING_length(s) == 16) {
        asio::ip::address_v6::bytes_type b{};
        std::memcpy(b.data(), p, b.size());
        one = "IP:" + asio::ip::address_v6(b).to_string();
      }
    }
    if (one.empty()) continue;
    if (!out.empty()) out += ", ";
    out += one;
  }
  return out;
}

std::string load_ca_file(SSL_CTX* ctx, const std::string& path) {
  std::string why;
  auto b = open_file(path, "CA file", why);
  if (!b) return why;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int count = 0;
  while (x509_ptr x{PEM_read_bio_X509(b.get(), nullptr, no_password, nullptr)}) {
    if (X509_STORE_add_cert(store, x.get()) != 1) return "CA file '" + path + "': " + take_openssl_reason();
    ++count;
  }
  if (!pem_ended_cleanly()) return "CA file '" + path + "' is not valid PEM: " + take_openssl_reason();
  ERR_clear_error();
  if (count == 0) return "CA file '" + path + "' holds no PEM certificate";
  return {};
}

std::string load_client_identity(SSL_CTX* ctx, const tls_options& tls) {
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return tls.cert_file.empty() ? "client key_file given without cert_file"
                                 : "client cert_file given without key_file";
  }
  std::string why;
  auto cb = open_file(tls.cert_file, "client certificate file", why);
  if (!cb) return why;
  x509_ptr cert(PEM_read_bio_X509(cb.get(), nullptr, no_password, nullptr));
  if (!cert) return "client certificate file '" + tls.cert_file + "' is not a PEM certificate: " + take_openssl_reason();
  auto kb = open_file(tls.key_file, "client key file", why);
  if (!kb) return why;
  pkey_ptr key(PEM_read_bio_PrivateKey(kb.get(), nullptr, no_password, nullptr));
  if (!key) {
    return "client key file '" + tls.key_file + "' is not an unencrypted PEM private key: " + take_openssl_reason();
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return "client key '" + tls.key_file + "' does not match certificate '" + tls.cert_file + "'";
  }
  // The chain file form sends any intermediates that follow the leaf.
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
    return "client certificate '" + tls.cert_file + "': " + take_openssl_reason();
  }
  return {};
}

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_context(const tls_options& tls, std::error_code& ec,
                                                     std::string* detail) {
  ec.clear();
  ERR_clear_error();
  std::shared_ptr<asio::ssl::context> ctx;
  std::string why;
  try {
    ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  } catch (const std::system_error& e) {  // SSL_CTX_new failed
    why = std::string("cannot create a TLS context: ") + e.what();
  }
  if (ctx) {
    SSL_CTX* native = ctx->native_handle();
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
      why = "cannot require TLS 1.2: " + take_openssl_reason();
    } else if (tls.ca_file.empty()) {
      std::error_code e;
      ctx->set_default_verify_paths(e);
      if (e) why = "cannot load the system CA paths: " + e.message();
    } else {
      why = load_ca_file(native, tls.ca_file);
    }
    if (why.empty() && !(tls.cert_file.empty() && tls.key_file.empty())) why = load_client_identity(native, tls);
  }
  ERR_clear_error();
  if (why.empty()) return ctx;
  ec = errc::tls_failed;
  if (detail) *detail = std::move(why);
  return nullptr;
}

std::shared_ptr<tls_verify_failure> configure_tls_client(byte_stream::tls_stream& s,
                                                         const std::string& name, bool verify,
                                                         std::error_code& ec) {
  ec.clear();
  auto record = std::make_shared<tls_verify_failure>();
  SSL* ssl = s.native_handle();
  std::error_code addr_ec;
  (void)asio::ip::make_address(name, addr_ec);
  const bool is_ip = !addr_ec;
  bool ok = is_ip || SSL_set_tlsext_host_name(ssl, name.c_str()) == 1;
  if (ok && verify) {
    // OpenSSL checks the name during chain verification, so a mismatch is an
    // X509 verify error like any other and reaches the callback below.
    ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) == 1
               : SSL_set1_host(ssl, name.c_str()) == 1;
    if (ok) SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  }
  std::error_code e;
  if (ok) s.set_verify_mode(verify ? asio::ssl::verify_peer : asio::ssl::verify_none, e);
  if (ok && !e && verify) {
    s.set_verify_callback(
        [record](bool preverified, asio::ssl::verify_context& vc) {
          if (!preverified && record->error == 0) {
            X509_STORE_CTX* sc = vc.native_handle();
            X509* cert = X509_STORE_CTX_get_current_cert(sc);
            record->error = X509_STORE_CTX_get_error(sc);
            record->depth = X509_STORE_CTX_get_error_depth(sc);
            if (cert) {
              record->subject = print_name(X509_get_subject_name(cert));
              record->not_after = iso_time(X509_get0_notAfter(cert));
              record->alt_names = alt_names(cert);
            }
          }
          return preverified;
        },
        e);
  }
  if (!ok || e) {
    ERR_clear_error();
    ec = errc::tls_failed;
  }
  return record;
}

std::string describe_tls_failure(std::error_code handshake_error, const tls_verify_failure& f,
                                 const std::string& name) {
  if (f.error != X509_V_OK) {
    std::string s = "certificate verify failed: ";
    s += X509_verify_cert_error_string(f.error);
    if (f.error == X509_V_ERR_HOSTNAME_MISMATCH || f.error == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      s += ": '" + name + "' is not among the certificate's names (" +
           (f.alt_names.empty() ? "no subjectAltName" : f.alt_names) + ")";
    }
    s += " [depth " + std::to_string(f.depth) + ", subject " + f.subject;
    if (f.error == X509_V_ERR_CERT_HAS_EXPIRED || f.error == X509_V_ERR_CERT_NOT_YET_VALID) {
      s += ", notAfter " + f.not_after;
    }
    return s + "]";
  }
  std::string s = "TLS handshake failed: " + handshake_error.message();
  const bool ssl_error = handshake_error.category() == asio::error::get_ssl_category();
  const int reason = ssl_error ? ERR_GET_REASON(static_cast<unsigned long>(handshake_error.value())) : 0;
  if (reason == SSL_R_WRONG_VERSION_NUMBER) {
    s += " (the server did not answer with TLS: is the port plaintext?)";
  } else if (reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE || reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED) {
    s += " (the server refused the handshake: does it require a client certificate?)";
  } else if (handshake_error == asio::error::eof || handshake_error == asio::ssl::error::stream_truncated) {
    s += " (the server closed the connection during the handshake: plaintext port, or TLS refused)";
  }
  return s;
}

tls_peer_info describe_tls(const SSL* ssl) {
  tls_peer_info info;
  if (!ssl) return info;
  info.protocol = SSL_get_version(ssl);
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) info.cipher = SSL_CIPHER_get_name(c);
  if (X509* cert = SSL_get0_peer_certificate(ssl)) {
    info.subject = print_name(X509_get_subject_name(cert));
    info.issuer = print_name(X509_get_issuer_name(cert));
    info.not_after = iso_time(X509_get0_notAfter(cert));
  }
  info.verify_result = SSL_get_verify_result(ssl);
  info.verify_message = X509_verify_cert_error_string(info.verify_result);
  return info;
}

}  // namespace cqlpp::transport
