// session/cluster_metadata: system tables -> cluster_snapshot, on Rows
// results built by system_rows.hpp (encoded, then decoded from their bytes)
// for the shapes real clusters send and the ones they should not.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/protocol/value.hpp"
#include "cqlpp/session/cluster_metadata.hpp"
#include "cqlpp/session/policies/load_balancing.hpp"
#include "cqlpp/session/token_map.hpp"
#include "tests/session/system_rows.hpp"

using namespace cqlpp::routing;
using namespace cqlpp::test;
using namespace std::string_literals;
namespace proto = cqlpp::protocol;
using proto::cql_value;
using proto::type_kind;
using proto::type_spec;

namespace {

host_id id_of(std::uint8_t n) {
  host_id id;
  id.fill(static_cast<std::byte>(n));
  return id;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<column> local_columns() {
  return {{"key", text_t},           {"host_id", uuid_t},         {"data_center", text_t}, {"rack", text_t},
          {"tokens", tokens_t},      {"release_version", text_t}, {"schema_version", uuid_t},
          {"rpc_address", inet_t}};
}

// A system.local row with one cell replaced.
table local_with(std::size_t at, cell c, type_spec type = {}) {
  auto cols = local_columns();
  std::vector<cell> r{"local"s, make_uuid(1), "dc1"s, "r1"s, token_set({"-5", "7"}), "5.0.9"s, make_uuid(9),
                      ipv4(0, 0, 0, 0)};
  if (type != type_spec{}) cols[at].type = std::move(type);
  r[at] = std::move(c);
  table t(std::move(cols));
  t.row(std::move(r));
  return t;
}

std::vector<column> peers_v2_columns() {
  return {{"peer", inet_t},   {"native_address", inet_t}, {"native_port", int_t},
          {"host_id", uuid_t}, {"data_center", text_t},    {"rack", text_t},
          {"tokens", tokens_t}, {"release_version", text_t}, {"schema_version", uuid_t}};
}

std::vector<column> peers_columns() {
  return {{"peer", inet_t}, {"rpc_address", inet_t}, {"host_id", uuid_t}, {"data_center", text_t},
          {"rack", text_t}, {"tokens", tokens_t},    {"release_version", text_t}, {"schema_version", uuid_t}};
}

peer_row peer(std::int32_t row, std::optional<std::uint8_t> id, std::string address, std::vector<std::int64_t> tokens) {
  peer_row p;
  p.row = row;
  if (id) p.id = id_of(*id);
  p.info.address = std::move(address);
  p.info.datacenter = "dc1";
  p.info.tokens = std::move(tokens);
  return p;
}

}  // namespace

TEST_CASE("cluster_metadata: system.local gives the host at the contact address") {
  table t(local_columns());
  t.row({"local"s, make_uuid(1), "dc1"s, "rack1"s,
         token_set({"-9223372036854775808", "-42", "0", "9223372036854775807"}), "5.0.9"s, make_uuid(9),
         ipv4(0, 0, 0, 0)});
  const auto h = read_local(t.result(), "127.0.0.1", 9142);
  REQUIRE(h.has_value());
  CHECK(h->id == id_of(1));
  CHECK(h->address == "127.0.0.1");  // the contact address, not rpc_address 0.0.0.0
  CHECK(h->port == 9142);
  CHECK(h->datacenter == "dc1");
  CHECK(h->rack == "rack1");
  CHECK(sorted(h->tokens) == std::vector<std::int64_t>{INT64_MIN, -42, 0, INT64_MAX});
  CHECK(h->release_version == "5.0.9");
  CHECK(h->schema_version == "09090909-0909-0909-0909-090909090909");
  CHECK(h->up);
}

TEST_CASE("cluster_metadata: columns are found by name; optional ones may be absent; nulls read as empty") {
  table t({{"tokens", tokens_t}, {"bootstrapped", text_t}, {"rack", text_t}, {"host_id", uuid_t},
           {"data_center", text_t}});
  t.row({token_set({"12"}), "COMPLETED"s, "r2"s, make_uuid(3), "dc2"s});
  auto h = read_local(t.result(), "10.1.1.1", 9042);
  REQUIRE(h.has_value());
  CHECK(h->id == id_of(3));
  CHECK(h->datacenter == "dc2");
  CHECK(h->rack == "r2");
  CHECK(h->tokens == std::vector<std::int64_t>{12});
  CHECK(h->release_version.empty());
  CHECK(h->schema_version.empty());

  for (std::size_t col : {2u, 3u, 4u, 5u, 6u}) {  // data_center, rack, tokens, release_version, schema_version
    CAPTURE(col);
    auto n = local_with(col, null);
    const auto r = read_local(n.result(), "10.1.1.1", 9042);
    REQUIRE(r.has_value());
    CHECK(r->id == id_of(1));
    CHECK((col != 2 || r->datacenter.empty()));
    CHECK((col != 4 || r->tokens.empty()));
    CHECK((col != 6 || r->schema_version.empty()));
  }
}

TEST_CASE("cluster_metadata: an empty system.local and a result without metadata are errors") {
  table empty(local_columns());
  const auto e = read_local(empty.result(), "127.0.0.1", 9042);
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().code == metadata_errc::no_rows);
  CHECK(e.error().message() == "system.local: the result has no rows");

  auto bare = local_with(0, "local"s);
  bare.without_metadata();
  const auto& rows = bare.result();
  CHECK(read_local(rows, "127.0.0.1", 9042).error().code == metadata_errc::no_metadata);
  CHECK(read_peers(rows, true, 9042).error().code == metadata_errc::no_metadata);
  CHECK(read_keyspaces(rows).error().code == metadata_errc::no_metadata);
}

TEST_CASE("cluster_metadata: a missing required column names the column") {
  for (const std::string missing : {"host_id", "data_center", "rack", "tokens"}) {
    CAPTURE(missing);
    auto cols = local_columns();
    std::vector<cell> r{"local"s, make_uuid(1), "dc1"s, "r1"s, token_set({"1"}), "5.0"s, make_uuid(2), ipv4(1, 2, 3, 4)};
    const auto at = static_cast<std::size_t>(
        std::find_if(cols.begin(), cols.end(), [&](const column& c) { return c.name == missing; }) - cols.begin());
    cols.erase(cols.begin() + static_cast<std::ptrdiff_t>(at));
    r.erase(r.begin() + static_cast<std::ptrdiff_t>(at));
    table t(std::move(cols));
    t.row(std::move(r));
    const auto h = read_local(t.result(), "127.0.0.1", 9042);
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().code == metadata_errc::missing_column);
    CHECK(h.error().column == missing);
    CHECK(h.error().row == -1);
    CHECK(h.error().message() == "system.local column " + missing + ": required column missing");
  }
}

TEST_CASE("cluster_metadata: a column of another type is an error, even an optional one") {
  struct wrong {
    std::size_t at;
    cell value;
    type_spec type;
    std::string detail;
  };
  const std::vector<wrong> cases{
      {1, "not-a-uuid"s, text_t, "expected uuid, got text"},
      {2, std::int32_t{7}, int_t, "expected text, got int"},
      {4, proto::cql_list{{std::int32_t{1}}}, type_spec::list_of(int_t), "expected set<text>, got list<int>"},
      {4, "1"s, text_t, "expected set<text>, got text"},
      {6, "v"s, text_t, "expected uuid, got text"},  // schema_version: optional but misread if taken
  };
  for (const auto& w : cases) {
    CAPTURE(w.detail);
    auto t = local_with(w.at, w.value, w.type);
    const auto h = read_local(t.result(), "127.0.0.1", 9042);
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().code == metadata_errc::wrong_type);
    CHECK(h.error().column == local_columns()[w.at].name);
    CHECK(h.error().detail == w.detail);
  }
}

TEST_CASE("cluster_metadata: a null host_id in system.local, bad cells and bad tokens are errors") {
  for (const cell& c : {null, cell(raw_cell{})}) {  // null, and an empty uuid (which reads as null)
    auto t = local_with(1, c);
    const auto h = read_local(t.result(), "127.0.0.1", 9042);
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().code == metadata_errc::null_value);
    CHECK(h.error().message() == "system.local row 0, column host_id: null in a column that cannot be null");
  }
  const std::vector<std::pair<std::size_t, raw_cell>> bad{
      {1, raw_cell{{std::byte{1}, std::byte{2}, std::byte{3}}}},                 // a 3-byte uuid
      {2, raw_cell{{std::byte{0xff}, std::byte{0xfe}}}},                         // not UTF-8
      {4, raw_cell{{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{5}}}}};  // 5 elements, no bytes
  for (const auto& b : bad) {
    CAPTURE(b.first);
    auto t = local_with(b.first, b.second);
    const auto h = read_local(t.result(), "127.0.0.1", 9042);
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().code == metadata_errc::bad_value);
    CHECK(h.error().column == local_columns()[b.first].name);
    CHECK_FALSE(h.error().detail.empty());
  }
  for (const std::string token : {"12x", "", " 1", "+1", "1.5", "0x10", "9223372036854775808", "-9223372036854775809",
                                  "85070591730234615865843651857942052864"}) {  // a RandomPartitioner token
    CAPTURE(token);
    auto t = local_with(4, token_set({"1", token}));
    const auto h = read_local(t.result(), "127.0.0.1", 9042);
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().code == metadata_errc::bad_token);
    CHECK(h.error().message() == "system.local row 0, column tokens: token is not a decimal int64 ('" + token + "')");
  }
}

TEST_CASE("cluster_metadata: system.peers_v2 connects to native_address:native_port, else to peer") {
  table t(peers_v2_columns());
  t.row({ipv4(10, 0, 0, 2), ipv4(192, 168, 0, 2), std::int32_t{9043}, make_uuid(2), "dc1"s, "r1"s,
         token_set({"100", "-100"}), "5.0.9"s, make_uuid(9)});
  t.row({ipv6(3), ipv6(1), std::int32_t{9042}, make_uuid(3), "dc2"s, "r2"s, token_set({"200"}), null, null});
  t.row({ipv4(10, 0, 0, 4), ipv4(0, 0, 0, 0), null, make_uuid(4), "dc1"s, "r1"s, token_set({"300"}), "4.1"s, null});
  t.row({ipv4(10, 0, 0, 5), null, std::int32_t{9999}, null, null, null, null, null, null});
  t.row({null, null, null, make_uuid(6), "dc1"s, "r1"s, token_set({"600"}), null, null});
  const auto p = read_peers(t.result(), true, 19042);
  REQUIRE(p.has_value());
  REQUIRE(p->size() == 5);
  const auto& a = (*p)[0];
  CHECK(a.row == 0);
  CHECK(a.id == id_of(2));
  CHECK(a.info.address == "192.168.0.2");
  CHECK(a.info.port == 9043);
  CHECK(a.info.datacenter == "dc1");
  CHECK(a.info.rack == "r1");
  CHECK(sorted(a.info.tokens) == std::vector<std::int64_t>{-100, 100});
  CHECK(a.info.release_version == "5.0.9");
  CHECK(a.info.schema_version == make_uuid(9).to_string());
  CHECK(a.info.id == host_id{});  // build_snapshot copies the id in
  CHECK((*p)[1].info.address == "::1");
  CHECK((*p)[1].info.port == 9042);
  CHECK((*p)[1].info.datacenter == "dc2");
  CHECK((*p)[2].info.address == "10.0.0.4");  // bound to 0.0.0.0: the internode address
  CHECK((*p)[2].info.port == 19042);          // no native_port: the caller's default
  CHECK((*p)[3].row == 3);
  CHECK_FALSE((*p)[3].id.has_value());
  CHECK((*p)[3].info.address == "10.0.0.5");
  CHECK((*p)[3].info.port == 9999);
  CHECK((*p)[3].info.tokens.empty());
  CHECK((*p)[4].info.address.empty());  // nothing to connect to

  for (const std::int32_t port : {0, -1, 65536}) {
    CAPTURE(port);
    table bad(peers_v2_columns());
    bad.row({ipv4(10, 0, 0, 2), ipv4(10, 0, 0, 2), port, make_uuid(2), "dc1"s, "r1"s, token_set({"1"}), null, null});
    const auto r = read_peers(bad.result(), true, 9042);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == metadata_errc::bad_value);
    CHECK(r.error().column == "native_port");
  }
}

TEST_CASE("cluster_metadata: system.peers connects to rpc_address on the default port, else to peer") {
  table t(peers_columns());
  t.row({ipv4(10, 0, 0, 2), ipv4(172, 16, 0, 2), make_uuid(2), "dc1"s, "r1"s, token_set({"1"}), "3.11.4"s, null});
  t.row({ipv4(10, 0, 0, 3), ipv4(0, 0, 0, 0), make_uuid(3), "dc1"s, "r1"s, token_set({"2"}), null, null});
  t.row({ipv4(10, 0, 0, 4), null, make_uuid(4), "dc1"s, "r1"s, token_set({"3"}), null, null});
  t.row({ipv4(10, 0, 0, 5), ipv6(0), make_uuid(5), "dc1"s, "r1"s, token_set({"4"}), null, null});  // "::"
  const auto p = read_peers(t.result(), false, 9042);
  REQUIRE(p.has_value());
  REQUIRE(p->size() == 4);
  CHECK((*p)[0].info.address == "172.16.0.2");
  CHECK((*p)[0].info.release_version == "3.11.4");
  CHECK((*p)[1].info.address == "10.0.0.3");
  CHECK((*p)[2].info.address == "10.0.0.4");
  CHECK((*p)[3].info.address == "10.0.0.5");
  for (const auto& r : *p) CHECK(r.info.port == 9042);

  // Without the optional peer column, 0.0.0.0 leaves no address.
  table bare({{"rpc_address", inet_t}, {"host_id", uuid_t}, {"data_center", text_t}, {"rack", text_t},
              {"tokens", tokens_t}});
  bare.row({ipv4(0, 0, 0, 0), make_uuid(2), "dc1"s, "r1"s, token_set({"1"})});
  const auto b = read_peers(bare.result(), false, 9042);
  REQUIRE(b.has_value());
  CHECK(b->at(0).info.address.empty());
}

TEST_CASE("cluster_metadata: peers vs peers_v2 columns, empty peers, bad peer rows") {
  table v1(peers_columns());
  v1.row({ipv4(10, 0, 0, 2), ipv4(10, 0, 0, 2), make_uuid(2), "dc1"s, "r1"s, token_set({"1"}), null, null});
  const auto as_v2 = read_peers(v1.result(), true, 9042);
  REQUIRE_FALSE(as_v2.has_value());
  CHECK(as_v2.error().code == metadata_errc::missing_column);
  CHECK(as_v2.error().message() == "system.peers_v2 column native_address: required column missing");

  table v2(peers_v2_columns());
  const auto none = read_peers(v2.result(), true, 9042);  // a one-node cluster
  REQUIRE(none.has_value());
  CHECK(none->empty());
  const auto as_v1 = read_peers(v2.result(), false, 9042);
  REQUIRE_FALSE(as_v1.has_value());
  CHECK(as_v1.error().column == "rpc_address");

  v2.row({ipv4(10, 0, 0, 2), ipv4(10, 0, 0, 2), std::int32_t{9042}, make_uuid(2), "dc1"s, "r1"s, token_set({"1"}),
          null, null});
  v2.row({ipv4(10, 0, 0, 3), ipv4(10, 0, 0, 3), std::int32_t{9042}, make_uuid(3), "dc1"s, "r1"s,
          token_set({"2", "two"}), null, null});
  const auto bad = read_peers(v2.result(), true, 9042);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == metadata_errc::bad_token);
  CHECK(bad.error().row == 1);
  CHECK(bad.error().message() == "system.peers_v2 row 1, column tokens: token is not a decimal int64 ('two')");
}

TEST_CASE("cluster_metadata: system_schema.keyspaces splits 'class' from the options") {
  table t({{"keyspace_name", text_t}, {"durable_writes", type_spec::simple(type_kind::boolean)},
           {"replication", type_spec::map_of(text_t, text_t)}});
  t.row({"system_schema"s, true, text_map({{"class", "org.apache.cassandra.locator.LocalStrategy"}})});
  t.row({"app"s, true, text_map({{"class", "SimpleStrategy"}, {"replication_factor", "3"}})});
  t.row({"geo"s, true, text_map({{"class", "NetworkTopologyStrategy"}, {"dc1", "3"}, {"dc2", "2"}})});
  t.row({"nulled"s, true, null});
  t.row({"classless"s, true, text_map({{"replication_factor", "1"}})});
  t.row({"app"s, true, text_map({{"class", "LocalStrategy"}})});  // repeated: the first row wins
  const auto k = read_keyspaces(t.result());
  REQUIRE(k.has_value());
  REQUIRE(k->size() == 5);
  CHECK(k->at("system_schema").strategy_class == "org.apache.cassandra.locator.LocalStrategy");
  CHECK(k->at("system_schema").options.empty());
  CHECK(k->at("app").strategy_class == "SimpleStrategy");
  CHECK(k->at("app").options == std::map<std::string, std::string>{{"replication_factor", "3"}});
  CHECK(k->at("geo").options == std::map<std::string, std::string>{{"dc1", "3"}, {"dc2", "2"}});
  CHECK(k->at("nulled").strategy_class.empty());
  CHECK(k->at("classless").strategy_class.empty());
  CHECK(k->at("classless").options.size() == 1);

  table missing({{"keyspace_name", text_t}});
  missing.row({"app"s});
  CHECK(read_keyspaces(missing.result()).error().column == "replication");
  table wrong({{"keyspace_name", text_t}, {"replication", type_spec::map_of(text_t, int_t)}});
  const auto w = read_keyspaces(wrong.result());
  CHECK(w.error().code == metadata_errc::wrong_type);
  CHECK(w.error().detail == "expected map<text, text>, got map<text, int>");
  table nulled({{"keyspace_name", text_t}, {"replication", type_spec::map_of(text_t, text_t)}});
  nulled.row({"app"s, text_map({})}).row({null, text_map({})});
  const auto n = read_keyspaces(nulled.result());
  CHECK(n.error().code == metadata_errc::null_value);
  CHECK(n.error().row == 1);
}

TEST_CASE("cluster_metadata: build_snapshot puts the local host first and skips unusable peers, saying why") {
  host local;
  local.id = id_of(1);
  local.address = "127.0.0.1";
  local.tokens = {0};
  std::vector<peer_row> peers{peer(0, 2, "10.0.0.2", {100}),   peer(1, std::nullopt, "10.0.0.3", {200}),
                              peer(2, 4, "10.0.0.4", {}),      peer(3, 1, "10.0.0.5", {300}),
                              peer(4, 2, "10.0.0.6", {400}),   peer(5, 7, "", {500}),
                              peer(6, 8, "10.0.0.8", {200})};
  keyspace_map ks{{"app", {"SimpleStrategy", {{"replication_factor", "2"}}}}};
  const auto b = build_snapshot(local, std::move(peers), ks);
  const auto& hosts = b.snapshot.hosts;
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0].address == "127.0.0.1");
  CHECK(hosts[1].id == id_of(2));
  CHECK(hosts[1].address == "10.0.0.2");
  CHECK(hosts[2].id == id_of(8));
  CHECK(hosts[2].tokens == std::vector<std::int64_t>{200});
  CHECK(b.skipped == std::vector<std::string>{
                         "peer row 1 (10.0.0.3:9042): host_id is null",
                         "peer row 2 (10.0.0.4:9042): no tokens",
                         "peer row 3 (10.0.0.5:9042): host_id 01010101-0101-0101-0101-010101010101 already belongs to host 0",
                         "peer row 4 (10.0.0.6:9042): host_id 02020202-0202-0202-0202-020202020202 already belongs to host 1",
                         "peer row 5: no address to connect to"});
  CHECK(b.snapshot.keyspaces.size() == 1);

  // The snapshot is what token_map and plan() consume: ring 0 (host 0),
  // 100 (host 1), 200 (host 2).
  const token_map tm(b.snapshot);
  const auto replicas = [&](std::int64_t t) { auto s = tm.replicas("app", t); return std::vector<host_index>(s.begin(), s.end()); };
  CHECK(replicas(50) == std::vector<host_index>{1, 2});
  CHECK(replicas(150) == std::vector<host_index>{2, 0});
  CHECK(replicas(250) == std::vector<host_index>{0, 1});
  const auto order = plan(b.snapshot, tm, {"app", std::int64_t{150}}, lb_options{}, 0);
  CHECK(order.size() == 3);
  CHECK(order.front() == 2);

  const auto alone = build_snapshot(local, {}, {});
  CHECK(alone.snapshot.hosts.size() == 1);
  CHECK(alone.skipped.empty());
}

TEST_CASE("cluster_metadata: error category, and when peers_v2 falls back to peers") {
  const std::error_code ec = metadata_errc::bad_token;
  CHECK(ec.category().name() == std::string("cqlpp.metadata"));
  CHECK(ec.message() == "token is not a decimal int64");
  CHECK(should_fall_back_to_peers(proto::make_error_code(proto::server_errc::invalid)));
  CHECK_FALSE(should_fall_back_to_peers(proto::make_error_code(proto::server_errc::read_timeout)));
  CHECK_FALSE(should_fall_back_to_peers(proto::make_error_code(proto::server_errc::syntax_error)));
  CHECK_FALSE(should_fall_back_to_peers({}));
}
