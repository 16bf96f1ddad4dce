// token_map: the token ring of one cluster_snapshot and, per keyspace, the
// replicas of every ring range, precomputed so that a lookup is one binary
// search and no allocation.
//
// The ring is every host's tokens, sorted. A token t belongs to the range
// that ends at the first ring token >= t, wrapping to the first ring token
// above the largest one (Cassandra's TokenMetadata#firstToken). Replicas per
// replication strategy:
//  - SimpleStrategy: replication_factor distinct hosts, walking the ring
//    clockwise from the range's token.
//  - NetworkTopologyStrategy: per datacenter, the factor given for it
//    (capped by the DC's host count). The walk prefers racks not used yet in
//    that DC; hosts of already-used racks are remembered and taken, in the
//    order met, once every rack of the DC has a replica. This is the
//    placement of Cassandra 3.x (and the set, not always the order, of 4.x),
//    and the Python driver's, which the tests use as an oracle. The list
//    holds one DC after another, DCs in the order their first token appears
//    in the ring, each DC's replicas in placement order.
//  - EverywhereStrategy (DSE): every host on the ring, the same list for
//    every token.
//  - LocalStrategy (system keyspaces; each node keeps its own copy) and any
//    unknown strategy, or options that do not parse: no replicas. The caller
//    then routes without tokens, as if the keyspace were unknown.
// Class names are accepted short or with the org.apache.cassandra.locator.
// prefix. A replication factor "N/T" (transient replication) counts the
// N - T full replicas, as the Python driver does; a factor that does not
// parse makes the keyspace unroutable rather than guessed.
//
// Lifetime and threads: a token_map copies what it needs from the snapshot
// and does not point into it; it is immutable after construction, so any
// number of threads may call its const members. Host indexes refer to the
// snapshot it was built from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/session/cluster_snapshot.hpp"

namespace cqlpp::routing {

// The ring and replica lists of one snapshot (see the top of this file).
class token_map {
 public:
  // An empty map: no ring, no replicas for any keyspace.
  token_map() = default;

  // Builds the ring and every keyspace's replica lists. Hosts without tokens
  // are not on the ring and are never replicas. If two hosts claim the same
  // token (an inconsistent snapshot), the lower host index keeps it.
  // Cost: O(ring size * walk) per distinct replication setting; keyspaces
  // with the same strategy and options share one precomputed table.
  explicit token_map(const cluster_snapshot& snapshot);

  // The replicas of `token` in `keyspace`, in replica order (see above);
  // empty when the keyspace is unknown, its strategy has no token placement,
  // or the ring is empty. The span stays valid while this token_map lives.
  // No allocation.
  [[nodiscard]] std::span<const host_index> replicas(std::string_view keyspace, std::int64_t token) const noexcept;

  // Whether replicas(keyspace, ...) can be non-empty.
  [[nodiscard]] bool routable(std::string_view keyspace) const noexcept;

  // The sorted ring tokens, and the host owning each.
  [[nodiscard]] std::span<const std::int64_t> ring_tokens() const noexcept { return tokens_; }
  // ring_owners()[i] owns ring_tokens()[i].
  [[nodiscard]] std::span<const host_index> ring_owners() const noexcept { return owners_; }

  // The size of the snapshot's host vector this map was built from.
  [[nodiscard]] std::size_t host_count() const noexcept { return host_count_; }

 private:
  // Replica lists for every ring position, flattened: position i's replicas
  // are flat_[offsets_[i] .. offsets_[i + 1]). Empty offsets_ with a
  // non-empty flat_ means one list for every position (EverywhereStrategy).
  struct replica_table {
    std::vector<host_index> flat_;
    std::vector<std::uint32_t> offsets_;
  };

  std::vector<std::int64_t> tokens_;
  std::vector<host_index> owners_;
  std::vector<replica_table> tables_;
  std::map<std::string, std::size_t, std::less<>> keyspace_table_;  // keyspace -> tables_ index
  std::size_t host_count_ = 0;

  friend struct token_map_builder;  // token_map.cpp
};

}  // namespace cqlpp::routing
