#include "cqlpp/session/cluster.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/session/cluster_metadata.hpp"
#include "cqlpp/session/error.hpp"
#include "cqlpp/transport/handshake.hpp"
#include "cqlpp/transport/join.hpp"
#include "cqlpp/transport/message_io.hpp"

namespace cqlpp::detail {

namespace proto = cqlpp::protocol;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::experimental::as_tuple(asio::use_awaitable);

namespace {

// A host's pool and counters, kept across views while it keeps its address.
struct pool_entry {
  std::string address;
  std::uint16_t port = 0;
  std::shared_ptr<transport::host_pool> pool;
  std::shared_ptr<host_counters> counters = std::make_shared<host_counters>();
};

using endpoint = std::pair<std::string, std::uint16_t>;

// "host", "host:port", "[v6]:port" or a bare IPv6 address; nullopt with
// `why` filled when the port is not a number in 1..65535.
std::optional<endpoint> parse_contact(const std::string& cp, std::uint16_t default_port, std::string& why) {
  std::string host = cp, port;
  if (!cp.empty() && cp.front() == '[') {
    const auto close = cp.find(']');
    if (close == std::string::npos) {
      why = "contact point '" + cp + "': no closing ']'";
      return std::nullopt;
    }
    host = cp.substr(1, close - 1);
    if (close + 1 < cp.size()) {
      if (cp[close + 1] != ':') {
        why = "contact point '" + cp + "': expected ':' after ']'";
        return std::nullopt;
      }
      port = cp.substr(close + 2);
    }
  } else if (const auto colon = cp.find(':'); colon != std::string::npos && cp.find(':', colon + 1) == std::string::npos) {
    host = cp.substr(0, colon);
    port = cp.substr(colon + 1);
  }
  if (host.empty()) {
    why = "contact point '" + cp + "': no host";
    return std::nullopt;
  }
  if (port.empty() && host.size() != cp.size() && cp.front() != '[') {
    why = "contact point '" + cp + "': no port after ':'";
    return std::nullopt;
  }
  if (port.empty()) return endpoint{host, default_port};
  unsigned long n = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || n > 65535) {
      why = "contact point '" + cp + "': port '" + port + "' is not a number 1-65535";
      return std::nullopt;
    }
    n = n * 10 + static_cast<unsigned long>(c - '0');
  }
  if (n == 0 || n > 65535) {
    why = "contact point '" + cp + "': port '" + port + "' is not a number 1-65535";
    return std::nullopt;
  }
  return endpoint{host, static_cast<std::uint16_t>(n)};
}

routing::host_id synthetic_id(std::size_t i) {
  routing::host_id id{};
  id[15] = static_cast<std::byte>(i + 1);
  return id;
}

}  // namespace

struct cluster::impl {
  explicit impl(cluster& c) : owner(c), strand(asio::make_strand(c.s_.ex)), wake(strand) {}

  cluster& owner;
  asio::strand<asio::any_io_executor> strand;

  mutable std::mutex mu;  // view, events
  std::shared_ptr<const cluster_view> view;
  cqlpp::cluster_events counts;
  std::string keyspace;  // the session's, after a USE

  // On the strand only.
  asio::steady_timer wake;  // the loop's sleep: cancelled by events, a close, close()
  std::shared_ptr<transport::connection> control;
  std::shared_ptr<transport::connection> trying;  // an attempt in progress, to abort on close()
  std::string control_address;
  std::uint16_t control_port = 0;
  bool refresh_pending = false;
  clock_type::time_point refresh_due;
  std::map<routing::host_id, pool_entry> pools;
  std::set<routing::host_id> down;  // marked by STATUS_CHANGE DOWN, until UP
  std::function<void(std::error_code, std::string)> start_done;
  routing::host_id start_host{};
  std::vector<endpoint> contacts;  // parsed at start()

  // The contact points as endpoints; false (start failed, in words) on a bad one.
  bool parse_contacts() {
    const auto& cps = owner.s_.cluster.contact_points;
    const auto port = owner.s_.connection.port;
    if (cps.empty()) contacts.emplace_back(owner.s_.connection.host, port);
    for (const auto& cp : cps) {
      std::string why;
      auto e = parse_contact(cp, port, why);
      if (!e) {
        finish_start(std::make_error_code(std::errc::invalid_argument), why);
        return false;
      }
      contacts.push_back(std::move(*e));
    }
    return true;
  }
  std::mt19937 rng{std::random_device{}()};

  proto::protocol_version version() const {
    return owner.version() >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
  }

  transport::connection_options options_for(const std::string& address, std::uint16_t port) const {
    auto o = owner.s_.connection;
    o.host = address;
    o.port = port;
    {
      std::lock_guard lk(mu);
      o.keyspace = keyspace;
    }
    if (const auto v = owner.version()) o.min_version = o.max_version = v;
    return o;
  }

  void finish_start(std::error_code ec, std::string detail) {
    if (!start_done) return;
    auto done = std::move(start_done);
    start_done = nullptr;
    done(ec, std::move(detail));
  }

  // ------------------------------------------------------------------
  // Views and pools

  void publish(routing::cluster_snapshot snap) {
    auto v = std::make_shared<cluster_view>();
    for (auto& h : snap.hosts) h.up = !down.contains(h.id);
    std::map<routing::host_id, pool_entry> kept;
    for (const auto& h : snap.hosts) {
      auto it = pools.find(h.id);
      if (it != pools.end() && it->second.address == h.address && it->second.port == h.port) {
        kept.emplace(h.id, std::move(it->second));
        pools.erase(it);
        continue;
      }
      pool_entry e;
      e.address = h.address;
      e.port = h.port;
      if (it != pools.end()) e.counters = it->second.counters;  // same host, new address
      e.pool = transport::host_pool::create(owner.s_.ex, options_for(h.address, h.port), owner.s_.pool,
                                            owner.s_.tls);
      open_pool(h.id, e.pool);
      kept.emplace(h.id, std::move(e));
    }
    // Hosts that left: no new request reaches them; what is in flight has
    // its timeout to finish before the pool closes.
    for (auto& [id, e] : pools) retire(e.pool);
    pools = std::move(kept);
    for (const auto& h : snap.hosts) {
      const auto& e = pools.at(h.id);
      v->pools.push_back(e.pool);
      v->counters.push_back(e.counters);
    }
    v->tokens = routing::token_map(snap);
    v->snapshot = std::move(snap);
    std::lock_guard lk(mu);
    view = std::move(v);
  }

  void open_pool(const routing::host_id& id, const std::shared_ptr<transport::host_pool>& pool) {
    pool->async_start(asio::bind_executor(strand, [this, self = owner.shared_from_this(), id,
                                                   pool](std::error_code ec) {
      if (id != start_host || !start_done) return;
      if (ec) {
        auto detail = pool->last_error_detail();
        pool->close();
        return finish_start(ec, detail.empty() ? ec.message() : detail);
      }
      if (owner.version() == 0) owner.version_.store(pool->protocol_version());
      finish_start({}, {});
    }));
  }

  void retire(const std::shared_ptr<transport::host_pool>& pool) {
    auto t = std::make_shared<asio::steady_timer>(strand, owner.s_.connection.request_timeout);
    retiring.push_back(t);
    // Also when close() cancels it.
    t->async_wait([this, self = owner.shared_from_this(), t, pool](std::error_code) {
      pool->close();
      std::erase(retiring, t);
    });
  }
  std::vector<std::shared_ptr<asio::steady_timer>> retiring;

  // A copy of the current snapshot with host `id`'s up flag set, published.
  void set_up(const routing::host_id& id, bool up) {
    if (up) down.erase(id);
    else down.insert(id);
    auto v = current();
    if (!v) return;
    auto snap = v->snapshot;
    publish(std::move(snap));
  }

  std::shared_ptr<const cluster_view> current() const {
    std::lock_guard lk(mu);
    return view;
  }

  const routing::host* host_at(const proto::inet_endpoint& ep, const cluster_view& v) const {
    const auto addr = ep.address.to_string();
    for (const auto& h : v.snapshot.hosts)
      if (h.address == addr) return &h;
    return nullptr;
  }

  // ------------------------------------------------------------------
  // Events (on the strand)

  void on_event(const proto::event_response& e) {
    std::lock_guard lk(mu);
    if (std::holds_alternative<proto::topology_change_event>(e.event)) ++counts.topology;
    else if (std::holds_alternative<proto::status_change_event>(e.event)) ++counts.status;
    else ++counts.schema;
  }

  void handle_event(const proto::event_response& e) {
    on_event(e);
    if (const auto* s = std::get_if<proto::status_change_event>(&e.event)) {
      auto v = current();
      const auto* h = v ? host_at(s->address, *v) : nullptr;
      if (h) {
        const bool up = s->change == proto::status_change_type::up;
        const auto id = h->id;
        set_up(id, up);
        if (up) {
          if (auto it = pools.find(id); it != pools.end()) it->second.pool->reconnect_now();
        }
      }
    }
    schedule_refresh();
  }

  void schedule_refresh() {
    if (!refresh_pending) {
      refresh_pending = true;
      refresh_due = clock_type::now() + owner.s_.cluster.refresh_delay;
    }
    wake.cancel();
  }

  // ------------------------------------------------------------------
  // The control connection

  struct answer {
    std::error_code ec;
    transport::response response;
  };

  asio::awaitable<answer> ask(const proto::request& m) {
    transport::request req;
    if (auto ec = transport::make_request(m, version(), req)) co_return answer{ec, {}};
    auto c = control;
    if (!c) co_return answer{transport::errc::connection_closed, {}};
    auto [ec, r] = co_await c->async_request(std::move(req), tuple_awaitable);
    co_return answer{ec, std::move(r)};
  }

  // A query on the control connection; rows (or the error) into `out`.
  struct rows_answer {
    std::error_code ec;
    std::string detail;
    transport::response response;  // owns what envelope points into
    proto::response_envelope envelope;
    const proto::rows_result* rows() const { return std::get_if<proto::rows_result>(&envelope.message); }
  };

  asio::awaitable<std::unique_ptr<rows_answer>> query(std::string_view cql) {
    auto out = std::make_unique<rows_answer>();
    proto::query_request q;
    q.query = std::string(cql);
    q.params.cl = proto::consistency::one;
    auto a = co_await ask(proto::request(std::move(q)));
    out->ec = a.ec;
    if (out->ec) {
      out->detail = std::string(cql) + ": " + out->ec.message();
      co_return out;
    }
    out->response = std::move(a.response);
    auto d = transport::decode(out->response, version());
    if (!d) {
      out->ec = d.error().code;
      out->detail = std::string(cql) + ": " + out->ec.message();
      co_return out;
    }
    out->envelope = std::move(*d);
    if (const auto* e = std::get_if<proto::error_response>(&out->envelope.message)) {
      out->ec = e->error_code();
      out->detail = std::string(cql) + ": " + e->message;
    } else if (!out->rows()) {
      out->ec = transport::errc::unexpected_response;
      out->detail = std::string(cql) + ": not a Rows result";
    }
    co_return out;
  }

  // Reads the system tables and publishes them. Errors in words.
  asio::awaitable<std::pair<std::error_code, std::string>> refresh() {
    auto local_rows = co_await query(routing::local_query);
    if (local_rows->ec) co_return std::pair(local_rows->ec, local_rows->detail);
    auto local = routing::read_local(*local_rows->rows(), control_address, control_port);
    if (!local) co_return std::pair(local.error().code, local.error().message());

    bool v2 = true;
    auto peer_rows = co_await query(routing::peers_v2_query);
    if (peer_rows->ec && routing::should_fall_back_to_peers(peer_rows->ec)) {
      v2 = false;
      peer_rows = co_await query(routing::peers_query);
    }
    if (peer_rows->ec) co_return std::pair(peer_rows->ec, peer_rows->detail);
    auto peers = routing::read_peers(*peer_rows->rows(), v2, owner.s_.connection.port);
    if (!peers) co_return std::pair(peers.error().code, peers.error().message());

    auto ks_rows = co_await query(routing::keyspaces_query);
    if (ks_rows->ec) co_return std::pair(ks_rows->ec, ks_rows->detail);
    auto keyspaces = routing::read_keyspaces(*ks_rows->rows());
    if (!keyspaces) co_return std::pair(keyspaces.error().code, keyspaces.error().message());

    auto built = routing::build_snapshot(std::move(*local), std::move(*peers), std::move(*keyspaces));
    if (start_done) start_host = built.snapshot.hosts.front().id;
    publish(std::move(built.snapshot));
    {
      std::lock_guard lk(mu);
      ++counts.refreshes;
    }
    co_return std::pair(std::error_code{}, std::string{});
  }

  // Where to look for a control connection, best first: up hosts of the
  // current view (rotated, so that not every client picks the same), the
  // hosts marked down, then the contact points.
  std::vector<std::pair<std::string, std::uint16_t>> candidates() {
    std::vector<std::pair<std::string, std::uint16_t>> out;
    auto add = [&](const std::string& a, std::uint16_t p) {
      if (std::find(out.begin(), out.end(), std::pair(a, p)) == out.end()) out.emplace_back(a, p);
    };
    if (auto v = current()) {
      std::vector<const routing::host*> up, rest;
      for (const auto& h : v->snapshot.hosts) (h.up ? up : rest).push_back(&h);
      if (!up.empty()) std::rotate(up.begin(), up.begin() + static_cast<std::ptrdiff_t>(rng() % up.size()), up.end());
      for (const auto* h : up) add(h->address, h->port);
      for (const auto* h : rest) add(h->address, h->port);
    }
    for (const auto& [a, p] : contacts) add(a, p);
    return out;
  }

  // Opens, registers and reads; on failure the reason in words.
  asio::awaitable<std::pair<std::error_code, std::string>> connect_control() {
    std::error_code last = transport::errc::not_connected;
    std::string why;  // each candidate's failure, in the order tried
    auto tried = [&why](const std::string& failure) {
      if (!why.empty()) why += "; ";
      why += failure;
    };
    std::weak_ptr<cluster> w = owner.shared_from_this();
    for (const auto& [address, port] : candidates()) {
      if (owner.closed()) co_return std::pair(std::error_code(asio::error::operation_aborted), std::string());
      auto observe = [this, w](const std::shared_ptr<transport::connection>& c) {
        // Before it opens: events come on its strand and go to ours.
        c->on_event([this, w](const transport::response& r) {
          auto self = w.lock();
          if (!self) return;
          auto d = transport::decode(r, version());
          if (!d) return;
          auto* e = std::get_if<proto::event_response>(&d->message);
          if (!e) return;
          asio::post(strand, [this, self, ev = *e] { handle_event(ev); });
        });
        asio::dispatch(strand, [this, self = w.lock(), c] {
          if (!self || owner.closed()) return c->abort();
          trying = c;
        });
      };
      auto [ec, c] = co_await transport::async_connect(owner.s_.ex, options_for(address, port), owner.s_.tls,
                                                       observe, tuple_awaitable);
      trying.reset();
      if (ec) {
        last = ec;
        tried(address + ":" + std::to_string(port) + ": " +
              (c && !c->failure_detail().empty() ? c->failure_detail() : ec.message()));
        continue;
      }
      if (owner.closed()) {
        c->close();
        co_return std::pair(std::error_code(asio::error::operation_aborted), std::string());
      }
      control = c;
      control_address = address;
      control_port = port;
      if (owner.version() == 0) owner.version_.store(c->info().version);
      c->on_close([this, w](std::error_code) {
        if (auto self = w.lock()) asio::post(strand, [this, self] { wake.cancel(); });
      });

      proto::register_request reg;
      reg.event_types = {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
      auto a = co_await ask(proto::request(std::move(reg)));
      std::string here;
      if (!a.ec) {
        auto d = transport::decode(a.response, version());
        if (!d) a.ec = d.error().code;
        else if (const auto* e = std::get_if<proto::error_response>(&d->message)) {
          a.ec = e->error_code();
          here = address + ": REGISTER: " + e->message;
        } else if (!std::holds_alternative<proto::ready_response>(d->message)) {
          a.ec = transport::errc::unexpected_response;
        }
      }
      std::error_code ec2 = a.ec;
      if (!ec2) {
        auto [rec, rwhy] = co_await refresh();
        ec2 = rec;
        if (rec) here = address + ": " + rwhy;
      } else if (here.empty()) {
        here = address + ": REGISTER: " + ec2.message();
      }
      if (!ec2) {
        std::lock_guard lk(mu);
        counts.control_host = address;
        co_return std::pair(std::error_code{}, std::string{});
      }
      last = ec2;
      tried(here);
      c->close();
      control.reset();
    }
    co_return std::pair(last, why);
  }

  std::chrono::milliseconds backoff(int attempt) {
    const auto& p = owner.s_.pool;
    const double base = std::min<double>(static_cast<double>(p.reconnect_max.count()),
                                         static_cast<double>(p.reconnect_base.count()) * double(1 << std::min(attempt, 20)));
    std::uniform_real_distribution<double> d(1.0 - p.jitter, 1.0 + p.jitter);
    return std::chrono::milliseconds(static_cast<long long>(base * d(rng)));
  }

  asio::awaitable<void> sleep(clock_type::time_point until) {
    wake.expires_at(until);
    co_await wake.async_wait(tuple_awaitable);
  }

  // The control connection's life: connect, follow events, reconnect.
  asio::awaitable<void> run(std::shared_ptr<cluster> self) {
    int attempt = 0;
    bool first = true;
    while (!owner.closed()) {
      auto [ec, why] = co_await connect_control();
      if (owner.closed()) break;
      if (ec) {
        if (start_done) {
          finish_start(ec, why);
          break;
        }
        co_await sleep(clock_type::now() + backoff(attempt++));
        continue;
      }
      attempt = 0;
      if (!first) {
        std::lock_guard lk(mu);
        ++counts.control_reconnects;
      }
      first = false;
      co_await follow();
      {
        std::lock_guard lk(mu);
        counts.control_host.clear();
      }
      if (control) control->close();
      control.reset();
    }
    (void)self;
  }

  // Until the control connection closes: re-read the tables when events ask.
  asio::awaitable<void> follow() {
    while (!owner.closed() && control && control->is_open()) {
      if (refresh_pending && clock_type::now() >= refresh_due) {
        refresh_pending = false;
        auto [ec, why] = co_await refresh();
        (void)why;  // a failed refresh keeps the previous view; the next event tries again
        if (ec && control && control->is_open()) schedule_refresh_later();
        continue;
      }
      co_await sleep(refresh_pending ? refresh_due : clock_type::now() + 1h);
    }
  }

  void schedule_refresh_later() {
    refresh_pending = true;
    refresh_due = clock_type::now() + 1s;
  }

  // ------------------------------------------------------------------
  // Schema agreement

  // The schema versions of every node, by host_id text; empty on failure.
  asio::awaitable<std::map<routing::host_id, std::string>> schema_versions() {
    std::map<routing::host_id, std::string> out;
    auto local_rows = co_await query(routing::local_query);
    if (local_rows->ec) co_return out;
    auto local = routing::read_local(*local_rows->rows(), control_address, control_port);
    if (!local) co_return out;
    out[local->id] = local->schema_version;
    auto peer_rows = co_await query(routing::peers_v2_query);
    bool v2 = true;
    if (peer_rows->ec && routing::should_fall_back_to_peers(peer_rows->ec)) {
      v2 = false;
      peer_rows = co_await query(routing::peers_query);
    }
    if (peer_rows->ec) co_return std::map<routing::host_id, std::string>{};
    auto peers = routing::read_peers(*peer_rows->rows(), v2, owner.s_.connection.port);
    if (!peers) co_return std::map<routing::host_id, std::string>{};
    for (const auto& p : *peers)
      if (p.id) out[*p.id] = p.info.schema_version;
    co_return out;
  }

  // The schema version of the node behind `pool` (the DDL's coordinator,
  // which has applied it); empty when it cannot be read.
  asio::awaitable<std::string> version_at(std::shared_ptr<transport::host_pool> pool) {
    proto::query_request q;
    q.query = std::string(routing::local_query);
    q.params.cl = proto::consistency::one;
    transport::request req;
    if (transport::make_request(proto::request(std::move(q)), version(), req)) co_return std::string();
    auto [ec, r] = co_await pool->async_request(std::move(req), tuple_awaitable);
    if (ec) co_return std::string();
    auto d = transport::decode(r, version());
    if (!d) co_return std::string();
    const auto* rows = std::get_if<proto::rows_result>(&d->message);
    if (!rows) co_return std::string();
    auto local = routing::read_local(*rows, "", 0);
    co_return local ? local->schema_version : std::string();
  }

  asio::awaitable<void> agree(std::shared_ptr<cluster> self, std::shared_ptr<transport::host_pool> coordinator,
                              std::function<void(std::error_code, std::string)> done) {
    const auto until = clock_type::now() + owner.s_.cluster.schema_agreement_timeout;
    std::string why = "no control connection";
    asio::steady_timer pause(strand);
    // What every node must reach: the version of the node that applied the
    // change. (All the others agreeing among themselves is not enough — the
    // control node may not have heard of the change yet.)
    // (Not a ?: around co_await: GCC 12 destroys such a temporary twice.)
    std::string target;
    if (coordinator) target = co_await version_at(coordinator);
    for (;;) {
      if (control && control->is_open()) {
        const auto versions = co_await schema_versions();
        auto v = current();
        std::set<std::string> distinct;
        why.clear();
        if (versions.empty()) why = "the system tables could not be read";
        if (v) {
          for (const auto& h : v->snapshot.hosts) {
            if (!h.up) continue;
            const auto it = versions.find(h.id);
            const std::string ver = it == versions.end() ? "(not listed)" : it->second;
            distinct.insert(ver);
            why += (why.empty() ? "" : ", ") + h.address + " at " + ver;
          }
        }
        if (!versions.empty() && distinct.size() == 1 && (target.empty() || *distinct.begin() == target)) {
          done({}, {});
          co_return;
        }
      }
      if (owner.closed() || clock_type::now() >= until) break;
      pause.expires_after(200ms);
      co_await pause.async_wait(tuple_awaitable);
    }
    (void)self;
    done(cqlpp::session_errc::schema_disagreement, "schema versions: " + why);
  }

  // ------------------------------------------------------------------
  // Without discovery: the contact points are the cluster.

  void start_static() {
    routing::cluster_snapshot snap;
    for (std::size_t i = 0; i < contacts.size(); ++i) {
      routing::host h;
      h.id = synthetic_id(i);
      h.address = contacts[i].first;
      h.port = contacts[i].second;
      snap.hosts.push_back(std::move(h));
    }
    start_host = snap.hosts.front().id;
    // The first host's pool opens first and pins the version for the rest.
    auto first = snap;
    first.hosts.resize(1);
    auto rest = std::make_shared<routing::cluster_snapshot>(std::move(snap));
    auto done = std::move(start_done);
    start_done = [this, rest, done = std::move(done)](std::error_code ec, std::string why) {
      if (!ec && rest->hosts.size() > 1) publish(std::move(*rest));
      done(ec, std::move(why));
    };
    publish(std::move(first));
  }

  void close() {
    wake.cancel();
    if (trying) trying->abort();
    trying.reset();
    if (control) control->close();
    for (auto& [id, e] : pools) e.pool->close();
    for (auto& t : retiring) t->cancel();
    finish_start(asio::error::operation_aborted, "closed");
  }
};

std::shared_ptr<cluster> cluster::create(cluster_settings s) {
  std::shared_ptr<cluster> c(new cluster(std::move(s)));
  c->impl_ = std::make_unique<impl>(*c);
  return c;
}

cluster::cluster(cluster_settings s) : s_(std::move(s)) {}

cluster::~cluster() = default;

void cluster::start(std::function<void(std::error_code, std::string)> done) {
  asio::dispatch(impl_->strand, [self = shared_from_this(), done = std::move(done)]() mutable {
    auto& i = *self->impl_;
    i.start_done = std::move(done);
    if (!i.parse_contacts()) return;
    if (!self->s_.cluster.discover) return i.start_static();
    asio::co_spawn(i.strand, i.run(self), asio::detached);
  });
}

std::shared_ptr<const cluster_view> cluster::view() const { return impl_->current(); }

void cluster::close() {
  if (closed_.exchange(true)) return;
  // Pools first, from here: requests fail now, whatever the strand is doing.
  if (auto v = view())
    for (const auto& p : v->pools) p->close();
  asio::dispatch(impl_->strand, [self = shared_from_this()] { self->impl_->close(); });
}

void cluster::await_schema_agreement(std::shared_ptr<transport::host_pool> coordinator,
                                     std::function<void(std::error_code, std::string)> done) {
  if (!s_.cluster.discover || s_.cluster.schema_agreement_timeout.count() <= 0) return done({}, {});
  asio::dispatch(impl_->strand, [self = shared_from_this(), coordinator = std::move(coordinator),
                                 done = std::move(done)]() mutable {
    asio::co_spawn(self->impl_->strand, self->impl_->agree(self, std::move(coordinator), std::move(done)),
                   asio::detached);
  });
}

void cluster::use_keyspace(std::string keyspace, std::function<void(std::error_code)> done) {
  {
    std::lock_guard lk(impl_->mu);
    impl_->keyspace = keyspace;
  }
  // Pools created from now on start in it (options_for); the ones of the
  // current view switch now. A pool a refresh creates meanwhile starts in it.
  auto v = view();
  if (!v || v->pools.empty()) return done({});
  auto one_done = transport::join_n(v->pools.size(), std::move(done));
  for (const auto& p : v->pools) p->use_keyspace(keyspace, one_done);
}

cqlpp::cluster_events cluster::events() const {
  std::lock_guard lk(impl_->mu);
  return impl_->counts;
}

std::vector<host_metrics> cluster::metrics() const {
  std::vector<host_metrics> out;
  auto v = view();
  if (!v) return out;
  for (std::size_t i = 0; i < v->snapshot.hosts.size(); ++i) {
    host_metrics m;
    m.host = v->snapshot.hosts[i];
    m.connections_open = v->pools[i]->stats().connections_open;
    m.requests = v->counters[i]->requests.load();
    m.errors = v->counters[i]->errors.load();
    m.retries = v->counters[i]->retries.load();
    m.speculative = v->counters[i]->speculative.load();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace cqlpp::detail
