// TLS on transport::connection against a TLS fake node with throw-away
// certificates: what a good handshake reports, and for each way verification
// fails, that the error is errc::tls_failed AND the detail names the cause.
// Every wait is bounded.
#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <thread>

#include "cqlpp/protocol/writer.hpp"
#include "tests/support/io_thread.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_fake_node.hpp"
#include "cqlpp/transport/connection.hpp"
#include "cqlpp/transport/tls_context.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::tls_certs;
using cqlpp::test::tls_fake_node;

namespace {

using tls_runner = cqlpp::test::io_thread;

transport::connection_options tls_opts(std::uint16_t port, const std::string& ca, const std::string& host = "127.0.0.1") {
  transport::connection_options o;
  o.host = host;
  o.port = port;
  o.max_version = 4;
  o.connect_timeout = 5s;
  o.tls.enabled = true;
  o.tls.ca_file = ca;
  return o;
}

struct opened {
  std::shared_ptr<transport::connection> conn;
  std::error_code ec;
  std::string detail;
};

opened open_tls(tls_runner& rt, const transport::connection_options& o,
                std::shared_ptr<asio::ssl::context> ctx = nullptr) {
  opened r;
  r.conn = transport::connection::create(rt.io.get_executor(), o, std::move(ctx));
  auto f = r.conn->async_open(asio::use_future);
  REQUIRE(f.wait_for(8s) == std::future_status::ready);
  try {
    f.get();
  } catch (const std::system_error& e) {
    r.ec = e.code();
  }
  r.detail = r.conn->failure_detail();
  return r;
}

// STARTUP over the connection; the error it completed with.
std::error_code startup(transport::connection& c) {
  transport::request r;
  r.op = protocol::opcode::startup;
  protocol::writer w(r.body);
  w.string_map({{"CQL_VERSION", "3.0.0"}});
  auto f = c.async_request(std::move(r), asio::use_future);
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  transport::response resp;
  try {
    resp = f.get();
  } catch (const std::system_error& e) {
    return e.code();
  }
  CHECK(resp.header.op == protocol::opcode::ready);
  return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("tls: a verified connection reports version, cipher and the peer certificate") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.server, certs.server_key, {}});
  tls_runner rt;
  for (const char* host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    auto r = open_tls(rt, tls_opts(node.port(), certs.ca, host));
    REQUIRE_MESSAGE(!r.ec, r.detail);
    CHECK(contains(r.conn->info().tls_version, "TLSv1."));
    CHECK(!r.conn->info().tls_cipher.empty());
    CHECK(startup(*r.conn) == std::error_code());
    const auto peer = transport::describe_tls(r.conn->stream().tls().native_handle());
    CHECK(peer.protocol == r.conn->info().tls_version);
    CHECK(peer.cipher == r.conn->info().tls_cipher);
    CHECK(peer.subject == "CN=localhost");
    CHECK(peer.issuer == "CN=cqlpp test CA");
    CHECK(peer.not_after.size() == 20);  // 2026-11-27T07:00:00Z
    CHECK(peer.not_after.back() == 'Z');
    CHECK(peer.verify_message == "ok");
    r.conn->close();
  }
  CHECK(node.handshakes_ok() == 2);
}

TEST_CASE("tls: a context from make_tls_context, and server_name overriding the host") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.other_name, certs.other_name_key, {}});
  tls_runner rt;
  transport::tls_options t;
  t.ca_file = certs.ca;
  std::error_code ec;
  std::string detail;
  auto ctx = transport::make_tls_context(t, ec, &detail);
  REQUIRE_MESSAGE(ctx, detail);
  auto o = tls_opts(node.port(), certs.ca);
  o.tls.server_name = "other.example";
  auto r = open_tls(rt, o, ctx);
  REQUIRE_MESSAGE(!r.ec, r.detail);
  CHECK(startup(*r.conn) == std::error_code());
}

TEST_CASE("tls: a server certificate from an unknown CA is refused, naming the cause") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.server, certs.server_key, {}});
  tls_runner rt;
  auto r = open_tls(rt, tls_opts(node.port(), certs.other_ca));
  MESSAGE(r.detail);
  CHECK(r.ec == transport::errc::tls_failed);
  CHECK(contains(r.detail, "certificate verify failed: unable to get local issuer certificate"));
  CHECK(contains(r.detail, "subject CN=localhost"));
  CHECK(!r.conn->is_open());
}

TEST_CASE("tls: an expired server certificate is refused, naming the expiry") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.expired, certs.expired_key, {}});
  tls_runner rt;
  auto r = open_tls(rt, tls_opts(node.port(), certs.ca));
  MESSAGE(r.detail);
  CHECK(r.ec == transport::errc::tls_failed);
  CHECK(contains(r.detail, "certificate has expired"));
  CHECK(contains(r.detail, "CN=expired.localhost"));
  CHECK(contains(r.detail, "notAfter 20"));
}

TEST_CASE("tls: a certificate for another name or IP is refused, naming the mismatch") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.other_name, certs.other_name_key, {}});
  tls_runner rt;
  SUBCASE("host name") {
    auto r = open_tls(rt, tls_opts(node.port(), certs.ca, "localhost"));
    MESSAGE(r.detail);
    CHECK(r.ec == transport::errc::tls_failed);
    CHECK(contains(r.detail, "hostname mismatch: 'localhost' is not among the certificate's names"));
    CHECK(contains(r.detail, "DNS:other.example, IP:10.9.8.7"));
  }
  SUBCASE("IP address") {
    auto r = open_tls(rt, tls_opts(node.port(), certs.ca, "127.0.0.1"));
    MESSAGE(r.detail);
    CHECK(r.ec == transport::errc::tls_failed);
    CHECK(contains(r.detail, "IP address mismatch: '127.0.0.1' is not among the certificate's names"));
  }
}

TEST_CASE("tls: mutual TLS succeeds with a client certificate and fails without one") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.server, certs.server_key, certs.ca});
  tls_runner rt;
  SUBCASE("with a client certificate") {
    auto o = tls_opts(node.port(), certs.ca);
    o.tls.cert_file = certs.client;
    o.tls.key_file = certs.client_key;
    auto r = open_tls(rt, o);
    REQUIRE_MESSAGE(!r.ec, r.detail);
    CHECK(startup(*r.conn) == std::error_code());
  }
  SUBCASE("without one") {
    auto r = open_tls(rt, tls_opts(node.port(), certs.ca));
    // TLS 1.2 fails the client's handshake; in TLS 1.3 the client's handshake
    // completes before the server checks, and the server's alert ends the
    // first read instead. Either way the cause is named.
    std::string why = r.detail;
    if (!r.ec) {
      const auto ec = startup(*r.conn);
      CHECK(ec);
      why = ec.message();
    } else {
      CHECK(r.ec == transport::errc::tls_failed);
    }
    MESSAGE(why);
    CHECK((contains(why, "certificate required") || contains(why, "handshake failure")));
    for (int i = 0; i < 100 && node.handshakes_failed() == 0; ++i) std::this_thread::sleep_for(10ms);
    CHECK(contains(node.last_handshake_error(), "peer did not return a certificate"));
  }
}

TEST_CASE("tls: over TLS 1.2, a missing client certificate fails the handshake itself") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.server, certs.server_key, certs.ca, true});
  tls_runner rt;
  auto o = tls_opts(node.port(), certs.ca);
  o.tls.cert_file = certs.client;
  o.tls.key_file = certs.client_key;
  auto good = open_tls(rt, o);
  REQUIRE_MESSAGE(!good.ec, good.detail);
  CHECK(good.conn->info().tls_version == "TLSv1.2");
  CHECK(startup(*good.conn) == std::error_code());
  auto r = open_tls(rt, tls_opts(node.port(), certs.ca));
  MESSAGE(r.detail);
  CHECK(r.ec == transport::errc::tls_failed);
  CHECK(contains(r.detail, "TLS handshake failed: "));
  CHECK(contains(r.detail, "client certificate"));
}

TEST_CASE("tls: verify=false connects to a self-signed certificate; verify=true refuses it") {
  const auto& certs = tls_certs::get();
  tls_fake_node node({certs.self_signed, certs.self_signed_key, {}});
  tls_runner rt;
  auto o = tls_opts(node.port(), certs.ca);
  o.tls.verify = false;
  auto r = open_tls(rt, o);
  REQUIRE_MESSAGE(!r.ec, r.detail);
  CHECK(startup(*r.conn) == std::error_code());
  auto refused = open_tls(rt, tls_opts(node.port(), certs.ca));
  MESSAGE(refused.detail);
  CHECK(refused.ec == transport::errc::tls_failed);
  CHECK(contains(refused.detail, "self-signed certificate"));
}

TEST_CASE("tls: a plaintext node fails the handshake with a clear message") {
  test::fake_node plain;
  tls_runner rt;
  auto r = open_tls(rt, tls_opts(plain.port(), tls_certs::get().ca));
  MESSAGE(r.detail);
  CHECK(r.ec == transport::errc::tls_failed);
  CHECK(contains(r.detail, "TLS handshake failed: "));
  CHECK(contains(r.detail, "plaintext"));
}

TEST_CASE("tls: configuration errors name the file and the cause") {
  const auto& certs = tls_certs::get();
  tls_runner rt;
  SUBCASE("missing CA file, through async_open") {
    tls_fake_node node({certs.server, certs.server_key, {}});
    auto r2 = open_tls(rt, tls_opts(node.port(), certs.dir + "/missing.pem"));
    MESSAGE(r2.detail);
    CHECK(r2.ec == transport::errc::tls_failed);
    CHECK(contains(r2.detail, "cannot open CA file '" + certs.dir + "/missing.pem': No such file or directory"));
  }
  transport::tls_options t;
  std::error_code ec;
  std::string detail;
  SUBCASE("CA file without PEM") {
    const auto junk = certs.dir + "/junk.pem";
    std::ofstream(junk) << "not a certificate\n";
    t.ca_file = junk;
    CHECK(transport::make_tls_context(t, ec, &detail) == nullptr);
    CHECK(contains(detail, "holds no PEM certificate"));
  }
  SUBCASE("corrupt PEM block") {
    const auto bad = certs.dir + "/bad.pem";
    std::ofstream(bad) << "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n";
    t.ca_file = bad;
    CHECK(transport::make_tls_context(t, ec, &detail) == nullptr);
    CHECK(contains(detail, "is not valid PEM"));
  }
  SUBCASE("client key that does not match the certificate") {
    t.ca_file = certs.ca;
    t.cert_file = certs.client;
    t.key_file = certs.server_key;
    CHECK(transport::make_tls_context(t, ec, &detail) == nullptr);
    CHECK(contains(detail, "does not match certificate"));
  }
  SUBCASE("certificate without key") {
    t.ca_file = certs.ca;
    t.cert_file = certs.client;
    CHECK(transport::make_tls_context(t, ec, &detail) == nullptr);
    CHECK(contains(detail, "cert_file given without key_file"));
  }
  SUBCASE("missing client key") {
    t.ca_file = certs.ca;
    t.cert_file = certs.client;
    t.key_file = certs.dir + "/nope.key";
    CHECK(transport::make_tls_context(t, ec, &detail) == nullptr);
    CHECK(contains(detail, "cannot open client key file"));
  }
  if (!detail.empty()) {
    MESSAGE(detail);
    CHECK(ec == transport::errc::tls_failed);
  }
}

TEST_CASE("tls: the system CA paths load when no CA file is given") {
  std::error_code ec;
  std::string detail;
  auto ctx = transport::make_tls_context(transport::tls_options{}, ec, &detail);
  CHECK_MESSAGE(ctx != nullptr, detail);
  CHECK(!ec);
}
