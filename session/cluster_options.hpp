// cluster_options and host_metrics: how a session finds and follows the
// cluster, and what it counts per host — plain data, apart from the
// machinery so that session.hpp stays free of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/session/policies/load_balancing.hpp"

namespace cqlpp {

// Speculative execution: an idempotent request that has no answer after
// `delay` is sent to the next host of its plan as well, up to
// max_executions at once; the first answer wins and the others are
// cancelled (their stream ids orphaned until the late answers arrive).
struct speculative_options {
  std::chrono::milliseconds delay{0};  // wait before the next execution; default 0: off
  int max_executions = 2;              // the first included; clamped to 1..4; default 2
};

// How a session finds and follows the cluster (session_options::cluster).
struct cluster_options {
  // Where to find the cluster, tried in order until one answers: "host",
  // "host:port", "[ipv6]:port" or a bare IPv6 address; without a port,
  // connection.port. Empty (the default): connection.host alone. A malformed entry fails
  // async_connect with invalid_argument, naming it. Discovered nodes are
  // reached at the native port they report (system.peers_v2).
  std::vector<std::string> contact_points;
  // true: a control connection reads system.local, system.peers_v2 (or
  // system.peers) and system_schema.keyspaces, registers for topology,
  // status and schema events, and the session sends to every node it finds,
  // token-aware. false: the contact points are the whole cluster, requests
  // go round robin over them, and nothing is read from system tables (a
  // proxy, a test double, a node whose system tables cannot be read).
  // Default true.
  bool discover = true;
  routing::lb_options load_balancing;  // the order hosts are tried in (lb_options); default: token-aware, no DC
  // Events arrive in bursts (a node restarting sends several): the snapshot
  // is re-read once this long after the first of a burst. Default 200 ms.
  std::chrono::milliseconds refresh_delay{200};
  // After a statement that changes the schema (CREATE, ALTER, DROP), its
  // completion waits until every up node reports the same schema version,
  // polled on the control connection, so that the next statement finds the
  // new table on whichever node it reaches. Past this long it completes with
  // session_errc::schema_disagreement (the change itself was applied).
  // 0: do not wait. Default 10 s; not with discover false (nothing to poll).
  std::chrono::milliseconds schema_agreement_timeout{10'000};
  // Speculative execution of idempotent requests; default: off (delay 0).
  speculative_options speculative;
  // Client-side write timestamps; default true.
  // Every QUERY, EXECUTE and BATCH carries a write timestamp from the
  // session's generator (timestamp_generator.hpp: monotonic across threads),
  // unless request_options::timestamp gives one: writes from this client are
  // ordered as issued whichever coordinator applies them, and a retried write
  // keeps its first attempt's timestamp. false: the coordinator's clock.
  bool client_timestamps = true;
  // The control connection's reconnection when its node goes away: every
  // known node is tried, then the contact points; between rounds, the pool's
  // backoff (pool_options reconnect_base/max, jitter).
};

// What the session counts per host, read by session::hosts().
struct host_metrics {
  routing::host host;  // as the latest snapshot has it (up: by events)
  int connections_open = 0;      // connections of its pool open now
  std::uint64_t requests = 0;    // attempts sent to this host (retries and re-prepares included)
  std::uint64_t errors = 0;      // attempts that failed (transport or server error)
  std::uint64_t retries = 0;     // attempts that were a retry of an earlier one
  std::uint64_t speculative = 0; // attempts started by speculative execution
};

// What the control connection has seen, for tests and cql-probe.
struct cluster_events {
  std::uint64_t topology = 0;            // TOPOLOGY_CHANGE events received
  std::uint64_t status = 0;              // STATUS_CHANGE events received
  std::uint64_t schema = 0;              // SCHEMA_CHANGE events received
  std::uint64_t refreshes = 0;           // system tables read and published
  std::uint64_t control_reconnects = 0;  // control connections opened after the first
  std::string control_host;              // where it is now ("" while reconnecting)
};

}  // namespace cqlpp
