// cluster_metadata: the server's system tables, read into the plain data of
// cluster_snapshot.hpp. Pure functions over decoded Rows results — no
// sockets, no clocks — so the control connection (later) only sends the
// queries below and hands the answers here, and every odd row a real cluster
// can produce is a unit test.
//
// Columns are found by name in the rows metadata, never by position, so the
// readers accept any SELECT that includes the columns they need, in any
// order, with extra columns ignored.
//
// Two kinds of trouble, kept apart on purpose:
//  - A result no sane server sends for these queries — a required column
//    missing or of another type, a cell that does not decode, a token that
//    is not a decimal int64 (a partitioner other than Murmur3), a null where
//    the table's key forbids one, no system.local row — fails the whole read
//    with a metadata_error: a snapshot from misunderstood tables would route
//    wrongly, and the caller keeps its previous snapshot instead.
//  - Rows real clusters do hold — peers with a null host_id or no tokens
//    (ghost entries left by a replaced or decommissioned node, a node still
//    joining), or no address to connect to — are read, then left out by
//    build_snapshot, which says why in `skipped`.
//
// Each reader takes one result holding every row: the caller fetches all
// pages first (system tables are node-local and small, so one page usually
// does).
//
// Errors are returned, never thrown; the one exception is bad_alloc.
// Lifetime: the readers copy everything they keep; nothing returned borrows
// the rows_result. Thread-safety: pure functions, safe from any thread.
#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "cqlpp/protocol/rows_result.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/session/cluster_snapshot.hpp"

namespace cqlpp::routing {

// ---------------------------------------------------------------------------
// The queries a control connection sends. Each selects what the readers
// below need, plus release_version and schema_version, which they keep.

// The node the control connection is connected to. WHERE key = 'local' lets
// the server read its one partition directly.
inline constexpr std::string_view local_query =
    "SELECT host_id, data_center, rack, tokens, release_version, schema_version "
    "FROM system.local WHERE key = 'local'";

// Every other node (Cassandra 4.0+): native_address/native_port are the
// address and port clients connect to.
inline constexpr std::string_view peers_v2_query =
    "SELECT peer, native_address, native_port, host_id, data_center, rack, tokens, "
    "release_version, schema_version FROM system.peers_v2";

// The same before 4.0, where peers_v2 does not exist: rpc_address is the
// client address, and every node listens on the one native port.
inline constexpr std::string_view peers_query =
    "SELECT peer, rpc_address, host_id, data_center, rack, tokens, "
    "release_version, schema_version FROM system.peers";

// Every keyspace's replication (read by read_keyspaces).
inline constexpr std::string_view keyspaces_query =
    "SELECT keyspace_name, replication FROM system_schema.keyspaces";

// Whether the error that answered peers_v2_query means "no such table" —
// a server before 4.0 answers Invalid ("unconfigured table peers_v2") — so
// that the caller sends peers_query and reads it with peers_v2 = false.
// Any other error (a timeout, a closed connection) is not a reason to fall
// back: the caller retries peers_v2 instead.
[[nodiscard]] bool should_fall_back_to_peers(std::error_code ec) noexcept;

// ---------------------------------------------------------------------------
// Errors

// Why a system table's answer could not be read; an std::error_code enum.
enum class metadata_errc {
  no_rows = 1,     // system.local returned no row
  no_metadata,     // the result has no column specs, so no column can be found by name
  missing_column,  // a required column is not in the result
  wrong_type,      // a column's type is not the one the table has
  null_value,      // a null where the table's primary key forbids one
  bad_value,       // a cell that does not decode as its type (bad UTF-8, wrong size, a port out of range)
  bad_token,       // a token that is not a decimal int64 (a partitioner other than Murmur3)
};

const std::error_category& metadata_category() noexcept;  // named "cqlpp.metadata"
// `e` in metadata_category(): lets metadata_errc convert to std::error_code.
inline std::error_code make_error_code(metadata_errc e) noexcept {
  return {static_cast<int>(e), metadata_category()};
}

// A failed read, with where and why.
struct metadata_error {
  std::error_code code;   // a metadata_errc
  std::string table;      // "system.peers_v2"
  std::string column;     // empty when not about one column (no_rows, no_metadata)
  std::int32_t row = -1;  // the row number in the result; -1 when not about one row
  std::string detail;     // the type found, the bad token, the decoder's words

  // "system.peers_v2 row 2, column tokens: token is not a decimal int64 ('12x')"
  std::string message() const;
};

// A value or a metadata_error (C++20 has no std::expected).
template <class T>
using metadata_result = protocol::result<T, metadata_error>;

// ---------------------------------------------------------------------------
// Readers

// system.local (local_query). The node's client address is not in the row
// that matters (rpc_address may be 0.0.0.0, or a NAT hides it), so the
// caller passes the address and port it reached the node at: the control
// connection's peer.
// Required columns: host_id uuid (not null), data_center text, rack text,
// tokens set<text>. Optional: release_version text, schema_version uuid.
// Null data_center/rack/versions read as empty; null tokens as none. Only
// the first row is read (system.local has one).
// Errors: no_rows, no_metadata, missing_column, wrong_type, null_value
// (host_id), bad_value, bad_token.
[[nodiscard]] metadata_result<host> read_local(const protocol::rows_result& rows, std::string_view contact_address,
                                               std::uint16_t contact_port);

// One row of system.peers or system.peers_v2, read but not yet vetted:
// build_snapshot decides whether it becomes a host.
struct peer_row {
  std::int32_t row = 0;      // its row number in the result, for diagnostics
  std::optional<host_id> id;  // nullopt: host_id is null
  // Everything else; info.id is left zero (build_snapshot copies `id` in).
  // info.address is empty when the row has no address to connect to;
  // info.tokens empty when the row has none.
  host info;
};

// system.peers_v2 (peers_v2 = true, peers_v2_query) or system.peers (false,
// peers_query). The address to connect to:
//  - peers_v2: native_address, port native_port (default_port when null);
//  - peers: rpc_address, port default_port (all nodes share the native port);
// in both, `peer` (the node's internode address) when that address is null
// or the bind-all address 0.0.0.0 / :: — a node configured with
// rpc_address 0.0.0.0 reports that, and its internode address is the best
// guess left. No address at all leaves info.address empty.
// Required columns: host_id uuid, data_center text, rack text, tokens
// set<text>, and native_address inet + native_port int (peers_v2) or
// rpc_address inet (peers). Optional: peer inet, release_version text,
// schema_version uuid. An empty result gives no peers (a one-node cluster).
// Errors: no_metadata, missing_column, wrong_type, bad_value, bad_token.
[[nodiscard]] metadata_result<std::vector<peer_row>> read_peers(const protocol::rows_result& rows, bool peers_v2,
                                                                std::uint16_t default_port);

// Keyspaces by name, as cluster_snapshot::keyspaces holds them.
using keyspace_map = std::map<std::string, keyspace_replication, std::less<>>;

// system_schema.keyspaces (keyspaces_query): keyspace_name text (not null),
// replication map<text, text>. The 'class' entry becomes strategy_class,
// the rest options; a null replication, or one without 'class', gives an
// empty strategy_class, which token_map treats as unroutable. A repeated
// keyspace_name keeps its first row.
// Errors: no_metadata, missing_column, wrong_type, null_value
// (keyspace_name), bad_value.
[[nodiscard]] metadata_result<keyspace_map> read_keyspaces(const protocol::rows_result& rows);

// ---------------------------------------------------------------------------
// Snapshot

// What build_snapshot returns: the snapshot, and the peer rows it left out.
struct built_snapshot {
  cluster_snapshot snapshot;  // `local` first, then the usable peers
  // One line per peer row left out, saying which and why, for the control
  // connection to log: "peer row 1 (10.0.0.3:9042): host_id is null".
  std::vector<std::string> skipped;
};

// The snapshot of one refresh: `local` is host 0, then every usable peer in
// row order. A peer is left out (and named in `skipped`) when its host_id is
// null, it has no tokens, it has no address, or its host_id is already taken
// — by the local node (a node can list itself in peers after an address
// change) or by an earlier row: the first one wins. Every host starts up.
[[nodiscard]] built_snapshot build_snapshot(host local, std::vector<peer_row> peers, keyspace_map keyspaces);

}  // namespace cqlpp::routing

template <>
struct std::is_error_code_enum<cqlpp::routing::metadata_errc> : std::true_type {};
