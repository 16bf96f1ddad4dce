// cluster: the session's view of the cluster and the I/O that keeps it
// current — the control connection, its events, and one host_pool per host
// keyed by host_id. Internal to session/ (session.cpp and the request
// executor use it; nothing public includes it).
//
// The control connection (discover = true) connects to a contact point,
// REGISTERs for TOPOLOGY_CHANGE, STATUS_CHANGE and SCHEMA_CHANGE, reads the
// system tables (cluster_metadata.hpp) and publishes a cluster_view: an
// immutable snapshot, its token map, and the pool and counters of each host,
// by host index. A request takes the current view (one shared_ptr copy under
// a mutex) and keeps it for its life; a newer view never changes an older
// one. Events are applied on the cluster's strand:
//  - STATUS_CHANGE DOWN: the host is marked down in a new view at once;
//  - STATUS_CHANGE UP: marked up at once, its pool reconnects now rather
//    than at its next backoff, and the tables are re-read;
//  - TOPOLOGY_CHANGE, SCHEMA_CHANGE: the tables are re-read refresh_delay
//    after the first event of a burst.
// When the control connection closes (its node went down), every other
// known host is tried, up ones first, then the contact points, with the
// pool's backoff between rounds; once connected the tables are re-read, so
// what changed meanwhile is seen.
//
// The protocol version is negotiated by the first connection (the control
// connection, or the first contact point's pool without discovery) and
// pinned: every pool opened later asks for exactly that version, so a
// request is encoded once, before its host is chosen.
//
// Thread-safety: view(), version(), close() and the counters may be called
// from any thread. Lifetime: shared_ptr; close() ends the control
// connection, its timers and every pool, after which nothing of the cluster
// keeps an io_context busy.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/session/cluster_options.hpp"
#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/session/metrics.hpp"
#include "cqlpp/session/token_map.hpp"
#include "cqlpp/transport/options.hpp"
#include "cqlpp/transport/pool.hpp"
#include "cqlpp/transport/pool_options.hpp"

namespace cqlpp::detail {

struct host_counters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> speculative{0};
};

// One published state of the cluster; immutable once published.
struct cluster_view {
  routing::cluster_snapshot snapshot;
  routing::token_map tokens;
  // By host index. The same pool and counters carry over from view to view
  // while the host keeps its host_id and address.
  std::vector<std::shared_ptr<transport::host_pool>> pools;
  std::vector<std::shared_ptr<host_counters>> counters;
};

struct cluster_settings {
  asio::any_io_executor ex;
  transport::connection_options connection;
  transport::pool_options pool;
  cluster_options cluster;
  std::shared_ptr<asio::ssl::context> tls;
};

class cluster : public std::enable_shared_from_this<cluster> {
 public:
  static std::shared_ptr<cluster> create(cluster_settings s);
  ~cluster();
  cluster(const cluster&) = delete;
  cluster& operator=(const cluster&) = delete;

  // Finds the cluster; `done` runs once, on an arbitrary thread, when the
  // first view is published and one host's pool is open — or with the error
  // and, in words, why (every contact point failed; the tables could not be
  // read). Call once.
  void start(std::function<void(std::error_code, std::string)> done);

  // The current view; null before start() succeeded.
  std::shared_ptr<const cluster_view> view() const;
  // Pinned at start (4 or 5); 0 before.
  std::uint8_t version() const noexcept { return version_.load(std::memory_order_relaxed); }
  std::uint64_t next_round_robin() noexcept { return rr_.fetch_add(1, std::memory_order_relaxed); }
  const cluster_settings& settings() const noexcept { return s_; }
  bool closed() const noexcept { return closed_.load(); }

  // Polls the schema versions of every up host on the control connection
  // until they all equal the version of the node behind `coordinator` (the
  // one that applied the change; null: until they agree among themselves)
  // or cluster_options::schema_agreement_timeout passes;
  // `done` runs on an arbitrary thread with {} or schema_disagreement and
  // the hosts' versions in words.
  void await_schema_agreement(std::shared_ptr<transport::host_pool> coordinator,
                              std::function<void(std::error_code, std::string)> done);

  // After a USE: every pool's connections switch to `keyspace`, and pools
  // and connections opened later start in it. `done` runs once every open
  // connection answered, with the first failure if any.
  void use_keyspace(std::string keyspace, std::function<void(std::error_code)> done);

  void close();
  cqlpp::cluster_events events() const;
  std::vector<host_metrics> metrics() const;
  // Every request's latency and outcome, and the session-wide retry and
  // speculation counts (hosts leave; these stay).
  request_metrics& requests() noexcept { return requests_; }
  const request_metrics& requests() const noexcept { return requests_; }

 private:
  struct impl;
  explicit cluster(cluster_settings s);
  cluster_settings s_;
  std::atomic<std::uint8_t> version_{0};
  std::atomic<bool> closed_{false};
  std::atomic<std::uint64_t> rr_{0};
  request_metrics requests_;
  std::unique_ptr<impl> impl_;
};

}  // namespace cqlpp::detail
