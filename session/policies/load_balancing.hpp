// Load balancing: the order in which one request tries hosts, as a pure
// function of the cluster snapshot and the request — no connections, no
// clocks, no state, so every order is reproducible in a unit test. The
// executor (later) owns the round-robin counter and walks the plan,
// moving to the next host on a retryable failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/session/token_map.hpp"

namespace cqlpp::routing {

// What a request tells the policy about where its data lives.
struct request_routing {
  // The keyspace the statement reads or writes; borrowed for the call only.
  std::optional<std::string_view> keyspace;
  // murmur3_token() of its routing key, when it has one.
  std::optional<std::int64_t> token;
};

// How plan() orders hosts (cluster_options::load_balancing).
struct lb_options {
  // The datacenter the client runs in. Empty (the default): no DC awareness —
  // every DC counts as local, and used_hosts_per_remote_dc has nothing to act on.
  std::string local_dc;
  // The client's rack within local_dc (within any DC when local_dc is
  // empty); empty (the default) for none. Local-rack hosts go before the rest of the DC.
  std::string local_rack;
  // How many up hosts of each remote DC follow the local ones, as a last
  // resort; 0 (the default) keeps requests in the local DC.
  std::size_t used_hosts_per_remote_dc = 0;
  // Whether replicas of the request's token go first; default true.
  bool token_aware = true;
};

// The hosts to try, best first; no host twice, never a host that is down.
//  1. when token_aware and the request has a keyspace and a token that
//     `tokens` can place: the up replicas in the local DC — local-rack ones
//     first when local_rack is set — each group rotated by the counter so
//     equal replicas share the load;
//  2. the other up local-DC hosts (local rack first), round robin: in host
//     index order, rotated by the counter;
//  3. up to used_hosts_per_remote_dc up hosts of each remote DC, DCs in the
//     order they first appear in snapshot.hosts, each DC rotated by the
//     counter.
// A keyspace the token map cannot place (unknown, LocalStrategy, ...) falls
// back to 2 and 3. Remote replicas get no preference: a remote DC is a
// fallback, where latency, not data locality, dominates.
// `tokens` must have been built from `snapshot` (asserted on host count).
// Thread-safe; reads its arguments during the call only.
[[nodiscard]] std::vector<host_index> plan(const cluster_snapshot& snapshot, const token_map& tokens,
                                           const request_routing& request, const lb_options& options,
                                           std::uint64_t round_robin_counter);

// plan(...)[0] without building the plan: one pass per group over the
// candidates, no allocation. nullopt when the plan would be empty. The
// request path sends its first attempt here and builds the whole plan only
// when it moves on.
[[nodiscard]] std::optional<host_index> first_host(const cluster_snapshot& snapshot, const token_map& tokens,
                                                   const request_routing& request, const lb_options& options,
                                                   std::uint64_t round_robin_counter);

// The same plan into reused buffers: a request path that keeps them (one per
// thread) plans without allocating once they have grown to the cluster.
struct plan_buffers {
  std::vector<host_index> hosts;  // the plan
  std::vector<bool> taken;        // scratch
};
// plan(...) into out.hosts (cleared first); out.taken is scratch.
void plan_into(const cluster_snapshot& snapshot, const token_map& tokens, const request_routing& request,
               const lb_options& options, std::uint64_t round_robin_counter, plan_buffers& out);

}  // namespace cqlpp::routing
