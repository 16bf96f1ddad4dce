// session/cluster_metadata against a real Cassandra 5.0: the queries a
// control connection sends, read into a snapshot, and checked against what
// the node says about itself when asked directly, and against token_map.
#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <span>
#include <string>
#include <utility>

#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/session/cluster_metadata.hpp"
#include "cqlpp/session/murmur3.hpp"
#include "cqlpp/session/token_map.hpp"
#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

constexpr std::string_view test_keyspace = "cqlpp_meta_test";

// One query, with its error (the server's words go in the query_result).
std::pair<std::error_code, query_result> try_query(io_thread& t, session& s, std::string_view cql) {
  return t.run(
      [&]() -> asio::awaitable<std::pair<std::error_code, query_result>> {
        auto [ec, r] = co_await s.async_query(statement(std::string(cql)),
                                              asio::experimental::as_tuple(asio::use_awaitable));
        co_return std::pair(ec, std::move(r));
      }(),
      60s);
}

// A query that must succeed and return rows.
query_result rows_of(io_thread& t, session& s, std::string_view cql) {
  auto res = try_query(t, s, cql);
  INFO(cql);
  INFO(res.first.message() << ": " << res.second.error_message());
  REQUIRE_FALSE(res.first);
  REQUIRE(res.second.rows() != nullptr);
  return std::move(res.second);
}

bool ends_with(std::string_view s, std::string_view tail) { return s.ends_with(tail); }

// Why a read failed, for REQUIRE_MESSAGE; empty when it did not (doctest
// prints the message for passing checks too under -s).
template <class T>
std::string why(const routing::metadata_result<T>& r) {
  return r ? std::string() : r.error().message();
}

}  // namespace

TEST_CASE("cluster metadata of the live node: one host, as the node describes itself") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  {
    const auto made = try_query(t, s,
                                "CREATE KEYSPACE IF NOT EXISTS cqlpp_meta_test WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    INFO(made.second.error_message());
    REQUIRE_FALSE(made.first);
  }

  // What a control connection does on (re)connect.
  const auto local_rows = rows_of(t, s, routing::local_query);
  const auto peers_rows = rows_of(t, s, routing::peers_v2_query);
  const auto keyspace_rows = rows_of(t, s, routing::keyspaces_query);
  const std::string contact = cqlpp::test::live_host();
  auto local = routing::read_local(*local_rows.rows(), contact, 9042);
  REQUIRE_MESSAGE(local.has_value(), why(local));
  auto peers = routing::read_peers(*peers_rows.rows(), true, 9042);
  REQUIRE_MESSAGE(peers.has_value(), why(peers));
  auto keyspaces = routing::read_keyspaces(*keyspace_rows.rows());
  REQUIRE_MESSAGE(keyspaces.has_value(), why(keyspaces));
  const auto built = routing::build_snapshot(std::move(*local), std::move(*peers), std::move(*keyspaces));
  for (const auto& why : built.skipped) MESSAGE("skipped: " << why);
  CHECK(built.skipped.empty());

  const auto& snap = built.snapshot;
  REQUIRE(snap.hosts.size() == 1);
  const auto& h = snap.hosts[0];
  MESSAGE("host " << h.address << ":" << h.port << " dc " << h.datacenter << " rack " << h.rack << " release "
                  << h.release_version << " schema " << h.schema_version << ", " << h.tokens.size()
                  << " token(s), " << snap.keyspaces.size() << " keyspaces");
  CHECK(h.address == contact);
  CHECK(h.port == 9042);
  CHECK(h.up);
  CHECK(h.release_version.rfind("5.0", 0) == 0);
  CHECK(h.schema_version.size() == 36);

  // The same row, asked for directly and decoded here without the readers.
  const auto direct = rows_of(t, s, "SELECT data_center, rack, tokens, host_id FROM system.local");
  REQUIRE(direct.rows()->size() == 1);
  const auto row = *direct.rows()->begin();
  const auto dc = protocol::decode_as<std::string_view>(row[0].bytes, *row.type(0));
  const auto rack = protocol::decode_as<std::string_view>(row[1].bytes, *row.type(1));
  const auto tokens = protocol::collection_view::make(row[2].bytes, *row.type(2));
  const auto id = protocol::decode_as<protocol::uuid>(row[3].bytes, *row.type(3));
  REQUIRE((dc && rack && tokens && id));
  CHECK_FALSE(h.datacenter.empty());
  CHECK_FALSE(h.rack.empty());
  CHECK(h.datacenter == *dc);
  CHECK(h.rack == *rack);
  CHECK(std::equal(h.id.begin(), h.id.end(), id->bytes.begin(),
                   [](std::byte a, std::uint8_t b) { return std::to_integer<std::uint8_t>(a) == b; }));
  // num_tokens is in cassandra.yaml, not in the system tables: the count to
  // match is the set's own size.
  CHECK(h.tokens.size() == tokens->size());
  CHECK_FALSE(h.tokens.empty());
  for (const auto element : *tokens) {
    const auto text = protocol::decode_as<std::string_view>(element.bytes, tokens->element_type());
    REQUIRE(text);
    std::int64_t v = 0;
    REQUIRE(std::from_chars(text->data(), text->data() + text->size(), v).ec == std::errc{});
    CHECK(std::find(h.tokens.begin(), h.tokens.end(), v) != h.tokens.end());
  }

  // Keyspaces: the system ones and the one made above.
  REQUIRE(snap.keyspaces.count("system_schema") == 1);
  REQUIRE(snap.keyspaces.count("system_auth") == 1);
  REQUIRE(snap.keyspaces.count(test_keyspace) == 1);
  const auto& auth = snap.keyspaces.find("system_auth")->second;
  MESSAGE("system_auth: " << auth.strategy_class << ", system_schema: "
                          << snap.keyspaces.find("system_schema")->second.strategy_class);
  CHECK(ends_with(snap.keyspaces.find("system_schema")->second.strategy_class, "LocalStrategy"));
  CHECK((ends_with(auth.strategy_class, "SimpleStrategy") || ends_with(auth.strategy_class, "NetworkTopologyStrategy")));
  CHECK_FALSE(auth.options.empty());
  const auto& mine = snap.keyspaces.find(test_keyspace)->second;
  CHECK(ends_with(mine.strategy_class, "SimpleStrategy"));
  CHECK(mine.options == std::map<std::string, std::string>{{"replication_factor", "1"}});

  // token_map over the snapshot: every key of the SimpleStrategy keyspace
  // lives on the one host; LocalStrategy keyspaces have no placement.
  const routing::token_map tm(snap);
  CHECK(tm.ring_tokens().size() == h.tokens.size());
  CHECK(tm.routable(test_keyspace));
  CHECK_FALSE(tm.routable("system_schema"));
  for (const std::string key : {"a", "cqlpp", "some partition key"}) {
    const auto token = routing::murmur3_token(std::as_bytes(std::span(key.data(), key.size())));
    const std::int64_t probes[] = {token, INT64_MIN + 1, 0, INT64_MAX};
    for (const auto probe : probes) {
      const auto replicas = tm.replicas(test_keyspace, probe);
      CAPTURE(probe);
      REQUIRE(replicas.size() == 1);
      CHECK(replicas[0] == 0);
    }
  }
}

TEST_CASE("cluster metadata of the live node: the pre-4.0 peers query, and when to fall back to it") {
  io_thread t;
  auto s = cqlpp::test::connect(t);
  // Cassandra 5.0 still has system.peers: the fallback text is accepted and
  // reads as the same (empty) peer list.
  const auto v1 = rows_of(t, s, routing::peers_query);
  const auto peers = routing::read_peers(*v1.rows(), false, 9042);
  REQUIRE_MESSAGE(peers.has_value(), why(peers));
  CHECK(peers->empty());

  // A server without peers_v2 answers as this one does for any unknown
  // system table: that is the answer that sends the caller to peers_query.
  const auto missing = try_query(t, s, "SELECT peer FROM system.cqlpp_no_such_table");
  MESSAGE("unknown table: " << missing.first.message() << ": " << missing.second.error_message());
  CHECK(routing::should_fall_back_to_peers(missing.first));
  const auto syntax = try_query(t, s, "SELEC peer FROM system.peers_v2");
  CHECK(static_cast<bool>(syntax.first));
  CHECK_FALSE(routing::should_fall_back_to_peers(syntax.first));
  const auto v2 = try_query(t, s, routing::peers_v2_query);
  CHECK_FALSE(static_cast<bool>(v2.first));
  CHECK_FALSE(routing::should_fall_back_to_peers(v2.first));
}
