// cql-probe: a standalone diagnostic for one CQL node.
//
//   cql-probe HOST[:PORT] [--tls] [--tls-ca FILE] [--tls-cert FILE --tls-key FILE]
//             [--server-name NAME] [--insecure] [--user U --password P]
//             [--pings N] [--timeout MS] [--json]
//
// Reports, step by step with timings: TCP connect; TLS (version, cipher, peer
// certificate subject, issuer, expiry, verification); the protocol versions
// the node accepts (v4, v5 and v6-beta, each on its own connection); the
// compressions and CQL version offered; the authentication outcome; and the
// OPTIONS round-trip latency over N pings (p50/p99/max).
//
// Exit codes: 0 healthy, 1 usage, 2 unreachable, 3 TLS failure,
// 4 authentication failure, 5 protocol error.
#include <asio.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cqlpp/protocol/error_response.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/transport/handshake.hpp"
#include "cqlpp/transport/message_io.hpp"
#include "cqlpp/transport/tls_context.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

enum exit_code { ok = 0, usage = 1, unreachable = 2, tls_failure = 3, auth_failure = 4, protocol_failure = 5 };

struct probe_options {
  transport::connection_options conn;
  int pings = 20;
  bool json = false;
};

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if (static_cast<unsigned char>(c) < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += c;
  }
  return o;
}

// The report: ordered key/value lines, printed as text or as one JSON object.
struct report {
  std::vector<std::pair<std::string, std::string>> fields;  // value already JSON-encoded
  std::vector<std::string> lines;
  void text(const std::string& l) { lines.push_back(l); }
  void str(const std::string& k, const std::string& v) { fields.emplace_back(k, "\"" + json_escape(v) + "\""); }
  void num(const std::string& k, double v) { std::ostringstream o; o << v; fields.emplace_back(k, o.str()); }
  void print(bool json) const {
    if (!json) {
      for (const auto& l : lines) std::cout << l << "\n";
      return;
    }
    std::cout << "{";
    for (std::size_t i = 0; i < fields.size(); ++i)
      std::cout << (i ? ", " : "") << "\"" << fields[i].first << "\": " << fields[i].second;
    std::cout << "}\n";
  }
};

template <class T>
bool wait(std::future<T>& f, std::chrono::milliseconds bound) {
  return f.wait_for(bound + 2s) == std::future_status::ready;
}

// One handshake attempt at exactly version v; returns the connection or the error.
std::pair<std::error_code, std::shared_ptr<transport::connection>> connect_at(
    asio::io_context& io, transport::connection_options o, int v) {
  o.max_version = o.min_version = static_cast<std::uint8_t>(v);
  std::promise<std::pair<std::error_code, std::shared_ptr<transport::connection>>> p;
  auto f = p.get_future();
  transport::async_connect(io.get_executor(), o, nullptr,
                           [&p](std::error_code ec, std::shared_ptr<transport::connection> c) { p.set_value({ec, c}); });
  if (!wait(f, o.connect_timeout)) return {transport::errc::connect_timeout, nullptr};
  return f.get();
}

// v6-beta is not a version the codec speaks: ask with a bare OPTIONS frame
// carrying USE_BETA, and read only SUPPORTED or ERROR back.
std::pair<bool, std::string> probe_v6(asio::io_context& io, const transport::connection_options& o) {
  auto c = transport::connection::create(io.get_executor(), o);
  auto opened = c->async_open(asio::use_future);
  if (!wait(opened, o.connect_timeout)) return {false, "timed out"};
  try { opened.get(); } catch (const std::system_error& e) { return {false, e.code().message()}; }
  c->set_handshake_version(6);
  transport::request r;
  r.op = protocol::opcode::options;
  r.flags = protocol::frame_flags::use_beta;
  r.timeout = o.connect_timeout;
  auto f = c->async_request(std::move(r), asio::use_future);
  if (!wait(f, o.connect_timeout)) return {false, "timed out"};
  try {
    auto resp = f.get();
    c->close();
    if (resp.header.op == protocol::opcode::supported) return {true, "accepted (v" + std::to_string(resp.header.version) + ")"};
    if (resp.header.op == protocol::opcode::error) {
      protocol::reader rd(resp.body);
      auto e = protocol::decode_error_response(rd, protocol::protocol_version::v5);
      return {false, e.message};
    }
    return {false, "unexpected " + std::string(protocol::to_string(resp.header.op))};
  } catch (const std::system_error& e) {
    return {false, e.code().message()};
  }
}

int classify(std::error_code ec) {
  if (ec == transport::errc::tls_failed) return tls_failure;
  if (ec == transport::errc::auth_failed || ec == transport::errc::auth_required) return auth_failure;
  if (ec == transport::errc::protocol_violation || ec == transport::errc::unsupported_version ||
      ec == transport::errc::unexpected_response || ec.category() == protocol::server_category())
    return protocol_failure;
  return unreachable;
}

int run(const probe_options& po) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread th([&] { io.run(); });
  struct joiner { asio::io_context& io; std::thread& t; decltype(guard)& g;
    ~joiner() { g.reset(); io.stop(); t.join(); } } j{io, th, guard};

  report rep;
  const auto& o = po.conn;
  rep.str("host", o.host);
  rep.num("port", o.port);
  rep.text("cql-probe " + o.host + ":" + std::to_string(o.port));

  // 1. TCP connect.
  {
    asio::ip::tcp::resolver res(io);
    std::error_code ec;
    const auto t0 = clock_type::now();
    auto eps = res.resolve(o.host, std::to_string(o.port), ec);
    asio::ip::tcp::socket s(io);
    if (!ec) asio::connect(s, eps, ec);
    const double took = ms_since(t0);
    if (ec) {
      rep.text("  TCP connect      FAILED after " + std::to_string(took) + " ms: " + ec.message());
      rep.str("result", "unreachable");
      rep.str("error", ec.message());
      rep.print(po.json);
      return unreachable;
    }
    char b[64];
    std::snprintf(b, sizeof b, "%.2f", took);
    rep.text(std::string("  TCP connect      ") + b + " ms (" + s.remote_endpoint().address().to_string() + ")");
    rep.num("tcp_connect_ms", took);
  }

  // 2. The full handshake at the best version (TLS, OPTIONS, STARTUP, auth).
  const auto t0 = clock_type::now();
  std::promise<std::pair<std::error_code, std::shared_ptr<transport::connection>>> p;
  auto f = p.get_future();
  transport::async_connect(io.get_executor(), o, nullptr,
                           [&p](std::error_code ec, std::shared_ptr<transport::connection> c) { p.set_value({ec, c}); });
  if (!wait(f, o.connect_timeout)) {
    rep.text("  handshake        timed out");
    rep.str("result", "unreachable");
    rep.print(po.json);
    return unreachable;
  }
  auto [ec, conn] = f.get();
  const double hs_ms = ms_since(t0);
  if (o.tls.enabled && conn && conn->stream().is_tls() && (!ec || ec != transport::errc::tls_failed)) {
    const auto ti = transport::describe_tls(conn->stream().tls().native_handle());
    rep.text("  TLS              " + ti.protocol + ", " + ti.cipher);
    rep.text("    peer subject   " + ti.subject);
    rep.text("    issuer         " + ti.issuer);
    rep.text("    expires        " + ti.not_after);
    rep.text("    verification   " + ti.verify_message + (o.tls.verify ? "" : " (not enforced: --insecure)"));
    rep.str("tls_version", ti.protocol);
    rep.str("tls_cipher", ti.cipher);
    rep.str("tls_subject", ti.subject);
    rep.str("tls_issuer", ti.issuer);
    rep.str("tls_expires", ti.not_after);
    rep.str("tls_verify", ti.verify_message);
  }
  if (ec) {
    const std::string detail = conn ? conn->failure_detail() : std::string();
    const int code = classify(ec);
    const char* what = code == tls_failure ? "TLS" : code == auth_failure ? "authentication" : code == protocol_failure ? "protocol" : "connect";
    rep.text(std::string("  ") + what + " FAILED: " + ec.message() + (detail.empty() ? "" : ": " + detail));
    rep.str("result", code == tls_failure ? "tls_failure" : code == auth_failure ? "auth_failure"
                      : code == protocol_failure ? "protocol_error" : "unreachable");
    rep.str("error", ec.message());
    rep.str("detail", detail);
    rep.print(po.json);
    return code;
  }
  const auto& info = conn->info();
  auto join = [](const std::map<std::string, std::vector<std::string>>& m, const std::string& k) {
    std::string s;
    if (auto it = m.find(k); it != m.end())
      for (const auto& v : it->second) s += (s.empty() ? "" : ", ") + v;
    return s;
  };
  char b[64];
  std::snprintf(b, sizeof b, "%.2f", hs_ms);
  rep.text(std::string("  handshake        ") + b + " ms, protocol v" + std::to_string(info.version) +
           (info.compress == transport::compression::lz4 ? " with lz4" : ""));
  rep.text("  CQL version      " + join(info.supported, "CQL_VERSION"));
  rep.text("  compressions     " + join(info.supported, "COMPRESSION"));
  rep.text("  server versions  " + join(info.supported, "PROTOCOL_VERSIONS"));
  rep.text("  authentication   " + (info.authenticator.empty() ? std::string("none required")
                                                                : info.authenticator + ": accepted"));
  rep.num("handshake_ms", hs_ms);
  rep.num("protocol_version", info.version);
  rep.str("cql_version", join(info.supported, "CQL_VERSION"));
  rep.str("compressions", join(info.supported, "COMPRESSION"));
  rep.str("authenticator", info.authenticator);

  // 3. Each protocol version on its own connection.
  for (int v : {4, 5}) {
    auto [vec, vc] = connect_at(io, o, v);
    const std::string outcome = vec ? "refused: " + (vc && !vc->failure_detail().empty() ? vc->failure_detail() : vec.message())
                                    : "accepted";
    if (vc) vc->close();
    rep.text("  protocol v" + std::to_string(v) + "      " + outcome);
    rep.str("v" + std::to_string(v), outcome);
  }
  {
    auto [accepted, what] = probe_v6(io, o);
    rep.text("  protocol v6-beta " + std::string(accepted ? "" : "refused: ") + what);
    rep.str("v6_beta", (accepted ? "" : "refused: ") + what);
  }

  // 4. OPTIONS round trips on the established connection.
  std::vector<double> rtt;
  for (int i = 0; i < po.pings; ++i) {
    transport::request r;
    r.op = protocol::opcode::options;
    const auto p0 = clock_type::now();
    auto pf = conn->async_request(std::move(r), asio::use_future);
    if (!wait(pf, o.request_timeout)) break;
    try { pf.get(); } catch (const std::system_error&) { break; }
    rtt.push_back(ms_since(p0));
  }
  conn->close();
  if (!rtt.empty()) {
    std::sort(rtt.begin(), rtt.end());
    auto pct = [&](double q) { return rtt[std::min(rtt.size() - 1, static_cast<std::size_t>(q * static_cast<double>(rtt.size())))]; };
    std::snprintf(b, sizeof b, "%.3f / %.3f / %.3f", pct(0.5), pct(0.99), rtt.back());
    rep.text("  OPTIONS RTT      p50/p99/max " + std::string(b) + " ms over " + std::to_string(rtt.size()) + " pings");
    rep.num("ping_p50_ms", pct(0.5));
    rep.num("ping_p99_ms", pct(0.99));
    rep.num("ping_max_ms", rtt.back());
    rep.num("pings", static_cast<double>(rtt.size()));
  }
  rep.str("result", "ok");
  rep.print(po.json);
  return ok;
}

int usage_error(const std::string& msg) {
  std::cerr << "cql-probe: " << msg << " (usage: cql-probe HOST[:PORT] [--tls] [--tls-ca FILE] "
            << "[--tls-cert FILE --tls-key FILE] [--server-name NAME] [--insecure] [--user U --password P] "
            << "[--pings N] [--timeout MS] [--json])\n";
  return usage;
}

}  // namespace

int main(int argc, char** argv) {
  probe_options po;
  po.conn.connect_timeout = 5s;
  po.conn.request_timeout = 5s;
  std::string target;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (a == "--json") po.json = true;
    else if (a == "--tls") po.conn.tls.enabled = true;
    else if (a == "--insecure") { po.conn.tls.enabled = true; po.conn.tls.verify = false; }
    else if (a == "--tls-ca" || a == "--tls-cert" || a == "--tls-key" || a == "--server-name" || a == "--user" ||
             a == "--password" || a == "--pings" || a == "--timeout") {
      const char* v = value(a.c_str());
      if (!v) return usage_error(a + " needs a value");
      if (a == "--tls-ca") { po.conn.tls.enabled = true; po.conn.tls.ca_file = v; }
      else if (a == "--tls-cert") { po.conn.tls.enabled = true; po.conn.tls.cert_file = v; }
      else if (a == "--tls-key") { po.conn.tls.enabled = true; po.conn.tls.key_file = v; }
      else if (a == "--server-name") po.conn.tls.server_name = v;
      else if (a == "--user") { if (!po.conn.auth) po.conn.auth.emplace(); po.conn.auth->username = v; }
      else if (a == "--password") { if (!po.conn.auth) po.conn.auth.emplace(); po.conn.auth->password = v; }
      else if (a == "--pings") { po.pings = std::atoi(v); if (po.pings < 0 || po.pings > 100000) return usage_error("--pings must be 0..100000"); }
      else { const int t = std::atoi(v); if (t <= 0) return usage_error("--timeout must be a positive number of milliseconds");
             po.conn.connect_timeout = po.conn.request_timeout = std::chrono::milliseconds(t); }
    } else if (a == "-h" || a == "--help") {
      usage_error("help");
      return ok;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (target.empty()) {
      target = a;
    } else {
      return usage_error("more than one HOST given");
    }
  }
  if (target.empty()) return usage_error("no HOST given");
  // HOST, HOST:PORT, [v6]:PORT
  std::string host = target;
  if (target.front() == '[') {
    const auto close = target.find(']');
    if (close == std::string::npos) return usage_error("bad address '" + target + "'");
    host = target.substr(1, close - 1);
    if (close + 1 < target.size() && target[close + 1] == ':') po.conn.port = static_cast<std::uint16_t>(std::atoi(target.c_str() + close + 2));
  } else if (const auto colon = target.rfind(':'); colon != std::string::npos && target.find(':') == colon) {
    host = target.substr(0, colon);
    const int port = std::atoi(target.c_str() + colon + 1);
    if (port <= 0 || port > 65535) return usage_error("bad port in '" + target + "'");
    po.conn.port = static_cast<std::uint16_t>(port);
  }
  if (po.conn.auth && (po.conn.auth->username.empty() || po.conn.auth->password.empty()))
    return usage_error("--user and --password go together");
  po.conn.host = host;
  return run(po);
}
