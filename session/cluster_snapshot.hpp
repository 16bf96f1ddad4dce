// cluster_snapshot: what the session knows of the cluster at one instant —
// its hosts and each keyspace's replication — as plain data.
//
// The control connection (later) builds a new snapshot from system.local,
// system.peers(_v2) and system_schema.keyspaces (cluster_metadata.hpp reads
// them) whenever the topology, schema or a host's state changes, and
// publishes it as a std::shared_ptr<const cluster_snapshot>. A snapshot is
// never modified once published, so the policies that read it
// (token_map.hpp, policies/load_balancing.hpp) need no locks: a reader keeps
// its shared_ptr for as long as it looks at the snapshot and at anything
// derived from it.
//
// Host indexes (positions in `hosts`) are how the routing pieces name hosts;
// they are valid for this snapshot only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cqlpp::routing {

// A position in cluster_snapshot::hosts.
using host_index = std::uint32_t;

// A host_id uuid (system.local / system.peers host_id) in its 16 wire bytes.
using host_id = std::array<std::byte, 16>;

// One node as the system tables describe it.
struct host {
  host_id id{};         // its host_id; stable across restarts and address changes
  std::string address;  // the address clients connect to (rpc/native address), as text
  std::uint16_t port = 9042;  // its native port; default 9042
  std::string datacenter;     // data_center, as reported ("datacenter1")
  std::string rack;           // rack, as reported ("rack1")
  // Whether the session may send requests to it. A host the control
  // connection just discovered counts as up until a connection or a status
  // event says otherwise, as the other drivers do.
  bool up = true;
  // The host's ring tokens (Murmur3Partitioner), in any order.
  std::vector<std::int64_t> tokens;
  // As the system tables report them; empty when unknown. The version tells
  // which features a host has; equal schema versions across hosts are how a
  // client sees that a schema change has reached every node.
  std::string release_version;  // "5.0.9"
  std::string schema_version;   // a uuid, 8-4-4-4-12 lowercase hex
};

// A keyspace's `replication` map, with its 'class' entry split out.
struct keyspace_replication {
  // As the server reports it: short ("SimpleStrategy") or fully qualified
  // ("org.apache.cassandra.locator.SimpleStrategy"); both are understood.
  std::string strategy_class;
  // The rest of the map: {"replication_factor": "3"} for SimpleStrategy,
  // {"dc1": "3", "dc2": "2"} for NetworkTopologyStrategy. A "class" key here
  // is ignored.
  std::map<std::string, std::string> options;
};

// The cluster at one instant (see the top of this file); never modified once published.
struct cluster_snapshot {
  std::vector<host> hosts;  // a host_index is a position here; after a refresh, host 0 is the node read from
  // Keyed with std::less<> so a std::string_view finds a keyspace without
  // building a std::string.
  std::map<std::string, keyspace_replication, std::less<>> keyspaces;
};

}  // namespace cqlpp::routing
