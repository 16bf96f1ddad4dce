// The pure routing pieces of session/: Murmur3 tokens and routing keys
// against golden vectors from the Python driver, token_map against the
// driver's own replica placement on synthetic rings (tests/golden/tokens_gen.py
// writes both into tokens.golden), and plan() against hand-built clusters.
#include <doctest/doctest.h>

#include <random>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/session/murmur3.hpp"
#include "cqlpp/session/policies/load_balancing.hpp"
#include "cqlpp/session/routing_key.hpp"
#include "cqlpp/session/token_map.hpp"
#include "tests/protocol/test_bytes.hpp"

using namespace cqlpp::routing;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

using fields = std::vector<std::string>;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// tokens.golden, grouped by its first column (see tokens_gen.py).
const std::map<std::string, std::vector<fields>>& golden() {
  static const auto lines = [] {
    std::map<std::string, std::vector<fields>> out;
    std::ifstream in(std::string(CQLPP_GOLDEN_DIR) + "/tokens.golden");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto f = split(line, '\t');
      out[f[0]].push_back(std::move(f));
    }
    return out;
  }();
  return lines;
}

std::vector<std::byte> hex_or_empty(const std::string& h) { return h == "-" ? std::vector<std::byte>{} : from_hex(h); }

std::vector<host_index> indexes(const std::string& list) {
  std::vector<host_index> out;
  if (list == "-") return out;
  for (const auto& s : split(list, ',')) out.push_back(static_cast<host_index>(std::stoul(s)));
  return out;
}

std::vector<host_index> to_vector(std::span<const host_index> s) { return {s.begin(), s.end()}; }

// The rings of tokens.golden as snapshots.
std::map<std::string, cluster_snapshot> golden_rings() {
  std::map<std::string, cluster_snapshot> rings;
  for (const auto& f : golden().at("host")) {
    auto& s = rings[f[1]];
    REQUIRE(std::stoul(f[2]) == s.hosts.size());
    host h;
    h.id[15] = static_cast<std::byte>(s.hosts.size());
    h.address = "10.0.0." + f[2];
    h.datacenter = f[3];
    h.rack = f[4];
    if (f[5] != "-")
      for (const auto& t : split(f[5], ',')) h.tokens.push_back(std::stoll(t));
    s.hosts.push_back(std::move(h));
  }
  for (const auto& f : golden().at("keyspace")) {
    keyspace_replication r{f[3], {}};
    if (f[4] != "-")
      for (const auto& kv : split(f[4], ';')) {
        const auto eq = kv.find('=');
        r.options.emplace(kv.substr(0, eq), kv.substr(eq + 1));
      }
    rings[f[1]].keyspaces.emplace(f[2], std::move(r));
  }
  return rings;
}

}  // namespace

TEST_CASE("murmur3_token: the Python driver's tokens for keys of 0..40 and 1000 bytes") {
  const auto& cases = golden().at("murmur3");
  REQUIRE(cases.size() >= 41 * 5);
  for (const auto& f : cases) {
    CAPTURE(f[1]);
    const auto key = hex_or_empty(f[2]);
    CHECK(murmur3_token(key) == std::stoll(f[3]));
  }
}

TEST_CASE("murmur3_token: tail bytes are sign-extended, INT64_MIN is normalised") {
  // high1 is the one byte 0x81: reference MurmurHash3 mixes 0x81 into k1,
  // Cassandra 0xffffffffffffff81, so only the quirk gives the driver's token.
  bool found = false;
  for (const auto& f : golden().at("murmur3"))
    if (f[1] == "high1") {
      found = true;
      REQUIRE(f[2] == "81");
      CHECK(murmur3_token(from_hex(f[2])) == std::stoll(f[3]));
    }
  CHECK(found);
  CHECK(murmur3_token({}) == 0);  // empty key: every step mixes zeros
  CHECK(detail::normalize_token(INT64_MIN) == INT64_MAX);
  CHECK(detail::normalize_token(INT64_MIN + 1) == INT64_MIN + 1);
  CHECK(detail::normalize_token(-1) == -1);
  CHECK(detail::normalize_token(INT64_MAX) == INT64_MAX);
}

TEST_CASE("routing keys: the Python driver's keys and tokens") {
  const auto& cases = golden().at("routing");
  REQUIRE(cases.size() >= 8);
  for (const auto& f : cases) {
    CAPTURE(f[1]);
    std::vector<std::vector<std::byte>> parts;
    for (const auto& p : split(f[2], ',')) parts.push_back(hex_or_empty(p));
    std::vector<key_component> components(parts.begin(), parts.end());
    const auto expected = hex_or_empty(f[3]);

    const auto key = make_routing_key(components);
    REQUIRE(key.has_value());
    CHECK(to_hex(*key) == to_hex(expected));
    CHECK(routing_key_size(components) == expected.size());
    CHECK(murmur3_token(*key) == std::stoll(f[4]));

    std::vector<std::byte> buf(expected.size() + 3, std::byte{0xee});
    const auto n = write_routing_key(components, buf);
    REQUIRE(n.has_value());
    CHECK(*n == expected.size());
    CHECK(to_hex(buf.data(), *n) == to_hex(expected));
    CHECK(buf.back() == std::byte{0xee});  // nothing written past the key
  }
}

TEST_CASE("routing keys: limits and bad input are reported, not thrown") {
  CHECK_FALSE(make_routing_key({}).has_value());  // no partition key, no token
  CHECK_FALSE(routing_key_size({}).has_value());

  const std::vector<std::byte> max(max_key_component, std::byte{1});
  const std::vector<std::byte> over(max_key_component + 1, std::byte{2});
  const std::vector<std::byte> small{std::byte{3}};

  // A single component is the key as it is: no length field, no limit.
  const key_component lone[] = {over};
  REQUIRE(make_routing_key(lone).has_value());
  CHECK(make_routing_key(lone)->size() == over.size());

  const key_component fits[] = {max, small};
  const auto key = make_routing_key(fits);
  REQUIRE(key.has_value());
  CHECK(key->size() == (2 + max.size() + 1) + (2 + 1 + 1));
  CHECK((*key)[0] == std::byte{0xff});
  CHECK((*key)[1] == std::byte{0xff});
  CHECK((*key)[2 + max.size()] == std::byte{0});

  const key_component too_long[] = {small, over};
  CHECK_FALSE(make_routing_key(too_long).has_value());
  CHECK_FALSE(routing_key_size(too_long).has_value());

  // A buffer one byte short is left untouched.
  const key_component two[] = {small, small};
  std::vector<std::byte> buf(7, std::byte{0xee});
  CHECK_FALSE(write_routing_key(two, std::span(buf).first(7)).has_value());
  CHECK(std::all_of(buf.begin(), buf.end(), [](std::byte b) { return b == std::byte{0xee}; }));
  std::vector<std::byte> exact(8);
  CHECK(write_routing_key(two, exact) == 8u);
  CHECK(to_hex(exact) == "0001030000010300");
}

TEST_CASE("token_map: replicas equal the Python driver's on synthetic rings") {
  const auto rings = golden_rings();
  REQUIRE(rings.size() == 2);
  std::map<std::string, token_map> maps;
  for (const auto& [name, s] : rings) {
    const auto& m = maps.emplace(name, token_map(s)).first->second;
    std::vector<std::int64_t> all;
    for (const auto& h : s.hosts) all.insert(all.end(), h.tokens.begin(), h.tokens.end());
    std::sort(all.begin(), all.end());
    CHECK(std::vector<std::int64_t>(m.ring_tokens().begin(), m.ring_tokens().end()) == all);
    CHECK(m.host_count() == s.hosts.size());
  }

  std::set<std::string> keyspaces_seen;
  int exact = 0;
  for (const auto& f : golden().at("replicas")) {
    CAPTURE(f[1]);
    CAPTURE(f[2]);
    CAPTURE(f[3]);
    const auto got = to_vector(maps.at(f[1]).replicas(f[2], std::stoll(f[3])));
    CHECK(got == indexes(f[4]));
    CHECK(maps.at(f[1]).routable(f[2]) == (f[4] != "-"));
    keyspaces_seen.insert(f[2]);
    if (got == indexes(f[4])) ++exact;
  }
  CHECK(keyspaces_seen.size() == 15);
  MESSAGE("replica lists equal to the driver's: " << exact);
}

TEST_CASE("token_map: where the driver repeats a host, it is a prefix of ours (per DC)") {
  // See tokens_gen.py ('replicas_dup'): the driver adds a skipped host once
  // per token the walk met; Cassandra (and cqlpp) add it once and walk on.
  const auto rings = golden_rings();
  const auto& dup_lines = golden().at("replicas_dup");
  REQUIRE(!dup_lines.empty());
  for (const auto& f : dup_lines) {
    CAPTURE(f[1]);
    CAPTURE(f[2]);
    CAPTURE(f[3]);
    const auto& s = rings.at(f[1]);
    const token_map m(s);
    const auto ours = to_vector(m.replicas(f[2], std::stoll(f[3])));
    const auto theirs = indexes(f[4]);
    for (const auto& [dc, rf_text] : s.keyspaces.at(f[2]).options) {
      std::size_t dc_hosts = 0;
      for (const auto& h : s.hosts) dc_hosts += h.datacenter == dc && !h.tokens.empty();
      std::vector<host_index> our_dc, their_dc;
      for (const auto h : ours)
        if (s.hosts[h].datacenter == dc) our_dc.push_back(h);
      for (const auto h : theirs)
        if (s.hosts[h].datacenter == dc && std::find(their_dc.begin(), their_dc.end(), h) == their_dc.end())
          their_dc.push_back(h);
      CHECK(our_dc.size() == std::min<std::size_t>(std::stoul(rf_text), dc_hosts));
      REQUIRE(their_dc.size() <= our_dc.size());
      CHECK(std::equal(their_dc.begin(), their_dc.end(), our_dc.begin()));
    }
    CHECK(std::set<host_index>(ours.begin(), ours.end()).size() == ours.size());
  }
}

namespace {

host make_host(std::string dc, std::string rack, std::vector<std::int64_t> tokens, bool up = true) {
  host h;
  h.address = "127.0.0.1";
  h.datacenter = std::move(dc);
  h.rack = std::move(rack);
  h.up = up;
  h.tokens = std::move(tokens);
  return h;
}

std::vector<host_index> v(std::initializer_list<host_index> l) { return l; }

}  // namespace

TEST_CASE("token_map: ring ranges, wrap-around and the simple strategy") {
  cluster_snapshot s;
  s.hosts = {make_host("dc1", "r1", {-100}), make_host("dc1", "r1", {0}), make_host("dc1", "r1", {100}),
             make_host("dc1", "r1", {})};  // the last is still joining: not on the ring
  s.keyspaces["ks"] = {"SimpleStrategy", {{"replication_factor", "2"}}};
  s.keyspaces["all"] = {"SimpleStrategy", {{"replication_factor", "9"}}};
  const token_map m(s);
  CHECK(to_vector(m.replicas("ks", INT64_MIN)) == v({0, 1}));
  CHECK(to_vector(m.replicas("ks", -100)) == v({0, 1}));  // a ring token ends its own range
  CHECK(to_vector(m.replicas("ks", -99)) == v({1, 2}));
  CHECK(to_vector(m.replicas("ks", 100)) == v({2, 0}));
  CHECK(to_vector(m.replicas("ks", 101)) == v({0, 1}));  // past the last token: wraps
  CHECK(to_vector(m.replicas("ks", INT64_MAX)) == v({0, 1}));
  CHECK(to_vector(m.replicas("all", 1)) == v({2, 0, 1}));  // RF capped by the hosts on the ring
  CHECK(m.replicas("nope", 1).empty());
  CHECK_FALSE(m.routable("nope"));
  // Precomputed: the same range gives the same storage, nothing is built.
  CHECK(m.replicas("ks", -50).data() == m.replicas("ks", -1).data());

  const token_map empty;
  CHECK(empty.replicas("ks", 0).empty());
  CHECK(token_map(cluster_snapshot{}).replicas("ks", 0).empty());
}

TEST_CASE("token_map: NTS adds a skipped host once, however many of its tokens the walk meets") {
  // dc1 racks r1 {h0, h1}, r2 {h2, h3}; ring 10:h0 20:h1 30:h1 40:h2 50:h3.
  // From 10: h0 (r1), h1 skipped (r1 used) — twice —, h2 (r2: all racks
  // used, so the skipped h1 follows), then h3. The Python driver lists h1
  // twice here ([0, 2, 1, 1]); Cassandra's skipped set gives [0, 2, 1, 3].
  cluster_snapshot s;
  s.hosts = {make_host("dc1", "r1", {10}), make_host("dc1", "r1", {20, 30}), make_host("dc1", "r2", {40}),
             make_host("dc1", "r2", {50})};
  s.keyspaces["ks"] = {"NetworkTopologyStrategy", {{"dc1", "4"}}};
  s.keyspaces["three"] = {"NetworkTopologyStrategy", {{"dc1", "3"}}};
  const token_map m(s);
  CHECK(to_vector(m.replicas("ks", 10)) == v({0, 2, 1, 3}));
  CHECK(to_vector(m.replicas("three", 10)) == v({0, 2, 1}));
  CHECK(to_vector(m.replicas("three", 45)) == v({3, 0, 1}));  // h3 (r2), h0 (r1): racks done, h1 next
}

TEST_CASE("token_map: strategy names, options and the strategies without placement") {
  cluster_snapshot s;
  s.hosts = {make_host("dc1", "r1", {0, 300}), make_host("dc1", "r2", {100}), make_host("dc2", "r1", {200})};
  auto& ks = s.keyspaces;
  ks["short"] = {"NetworkTopologyStrategy", {{"dc1", "2"}, {"dc2", "1"}}};
  ks["long"] = {"org.apache.cassandra.locator.NetworkTopologyStrategy", {{"dc1", "2"}, {"dc2", "1"}}};
  ks["with_class"] = {"NetworkTopologyStrategy", {{"class", "x"}, {"dc1", "2"}, {"dc2", "1"}}};
  ks["transient"] = {"NetworkTopologyStrategy", {{"dc1", "3/1"}, {"dc2", "1"}}};
  ks["everywhere"] = {"org.apache.cassandra.locator.EverywhereStrategy", {}};
  ks["local"] = {"org.apache.cassandra.locator.LocalStrategy", {}};
  ks["custom"] = {"com.example.MyStrategy", {{"replication_factor", "2"}}};
  ks["bad_rf"] = {"NetworkTopologyStrategy", {{"dc1", "two"}, {"dc2", "1"}}};
  ks["no_rf"] = {"SimpleStrategy", {}};
  ks["zero"] = {"SimpleStrategy", {{"replication_factor", "0"}}};
  const token_map m(s);
  for (const auto* name : {"short", "long", "with_class", "transient"}) {
    CAPTURE(name);
    CHECK(to_vector(m.replicas(name, 50)) == v({1, 0, 2}));
    CHECK(to_vector(m.replicas(name, 250)) == v({0, 1, 2}));
    CHECK(m.routable(name));
  }
  CHECK(to_vector(m.replicas("everywhere", 50)) == v({0, 1, 2}));
  CHECK(to_vector(m.replicas("everywhere", 999)) == v({0, 1, 2}));
  for (const auto* name : {"local", "custom", "bad_rf", "no_rf", "zero"}) {
    CAPTURE(name);
    CHECK(m.replicas(name, 50).empty());
    CHECK_FALSE(m.routable(name));
  }
}

TEST_CASE("token_map: a token claimed twice keeps the lower host index") {
  cluster_snapshot s;
  s.hosts = {make_host("dc1", "r1", {5}), make_host("dc1", "r1", {5, 9})};
  s.keyspaces["ks"] = {"SimpleStrategy", {{"replication_factor", "1"}}};
  const token_map m(s);
  CHECK(m.ring_tokens().size() == 2);
  CHECK(to_vector(m.replicas("ks", 5)) == v({0}));
  CHECK(to_vector(m.replicas("ks", 6)) == v({1}));
}

namespace {

// dc1: h0 r1, h1 r1, h2 r2, h3 r3; dc2: h4, h5, h6; dc3: h7. One token each,
// h_i at i * 100. NTS {dc1: 2, dc2: 1}: token 50 -> dc1 [1, 2], dc2 [4].
cluster_snapshot plan_cluster() {
  cluster_snapshot s;
  s.hosts = {make_host("dc1", "r1", {0}),   make_host("dc1", "r1", {100}), make_host("dc1", "r2", {200}),
             make_host("dc1", "r3", {300}), make_host("dc2", "ra", {400}), make_host("dc2", "ra", {500}),
             make_host("dc2", "rb", {600}), make_host("dc3", "rx", {700})};
  s.keyspaces["ks"] = {"NetworkTopologyStrategy", {{"dc1", "2"}, {"dc2", "1"}}};
  return s;
}

lb_options dc1() {
  lb_options o;
  o.local_dc = "dc1";
  return o;
}

const request_routing at_50{"ks", 50};

}  // namespace

TEST_CASE("plan: local replicas first, rotated; then the local DC round robin") {
  const auto s = plan_cluster();
  const token_map m(s);
  REQUIRE(to_vector(m.replicas("ks", 50)) == v({1, 2, 4}));
  CHECK(plan(s, m, at_50, dc1(), 0) == v({1, 2, 0, 3}));
  CHECK(plan(s, m, at_50, dc1(), 1) == v({2, 1, 3, 0}));
  CHECK(plan(s, m, at_50, dc1(), 2) == v({1, 2, 0, 3}));
  // Over many requests each replica leads equally often.
  std::map<host_index, int> first;
  for (std::uint64_t c = 0; c < 100; ++c) ++first[plan(s, m, at_50, dc1(), c).front()];
  CHECK(first == std::map<host_index, int>{{1, 50}, {2, 50}});
}

TEST_CASE("plan: down hosts never appear, no host twice") {
  auto s = plan_cluster();
  s.hosts[1].up = false;
  s.hosts[3].up = false;
  s.hosts[5].up = false;
  const token_map m(s);
  auto o = dc1();
  o.used_hosts_per_remote_dc = 5;
  CHECK(plan(s, m, at_50, o, 0) == v({2, 0, 4, 6, 7}));
  for (std::uint64_t c = 0; c < 12; ++c)
    for (const bool aware : {true, false}) {
      o.token_aware = aware;
      const auto p = plan(s, m, at_50, o, c);
      CHECK(std::set<host_index>(p.begin(), p.end()) == std::set<host_index>{0, 2, 4, 6, 7});
      CHECK(p.size() == 5);
    }
  for (auto& h : s.hosts) h.up = false;
  CHECK(plan(s, m, at_50, o, 0).empty());
}

TEST_CASE("plan: remote DCs give at most used_hosts_per_remote_dc each") {
  const auto s = plan_cluster();
  const token_map m(s);
  auto o = dc1();
  CHECK(plan(s, m, at_50, o, 0).size() == 4);  // default 0: local only
  o.used_hosts_per_remote_dc = 2;
  CHECK(plan(s, m, at_50, o, 0) == v({1, 2, 0, 3, 4, 5, 7}));
  CHECK(plan(s, m, at_50, o, 1) == v({2, 1, 3, 0, 5, 6, 7}));
  o.local_dc = "dc9";  // a DC with no hosts: every DC is remote
  CHECK(plan(s, m, at_50, o, 0) == v({0, 1, 4, 5, 7}));
}

TEST_CASE("plan: without token awareness, a token or a placeable keyspace: round robin") {
  const auto s = plan_cluster();
  const token_map m(s);
  auto o = dc1();
  o.token_aware = false;
  CHECK(plan(s, m, at_50, o, 0) == v({0, 1, 2, 3}));
  CHECK(plan(s, m, at_50, o, 1) == v({1, 2, 3, 0}));
  CHECK(plan(s, m, at_50, o, 6) == v({2, 3, 0, 1}));
  o.token_aware = true;
  CHECK(plan(s, m, {"unknown_ks", 50}, o, 1) == v({1, 2, 3, 0}));
  CHECK(plan(s, m, {"ks", std::nullopt}, o, 1) == v({1, 2, 3, 0}));
  CHECK(plan(s, m, {std::nullopt, 50}, o, 1) == v({1, 2, 3, 0}));
  CHECK(plan(s, token_map{}, at_50, o, 1) == v({1, 2, 3, 0}));  // no ring yet
}

TEST_CASE("plan: local rack first, among replicas and among the rest") {
  const auto s = plan_cluster();
  const token_map m(s);
  auto o = dc1();
  o.local_rack = "r2";
  CHECK(plan(s, m, at_50, o, 0) == v({2, 1, 0, 3}));
  // Token 350: dc1 replicas [0, 2] (h0 r1, skip h1 r1, h2 r2); r2's h2 leads.
  REQUIRE(to_vector(m.replicas("ks", 350)).size() == 3);
  CHECK(plan(s, m, {"ks", 350}, o, 0) == v({2, 0, 1, 3}));
  o.local_rack = "r1";
  CHECK(plan(s, m, at_50, o, 0) == v({1, 2, 0, 3}));
  CHECK(plan(s, m, at_50, o, 1) == v({1, 2, 0, 3}));  // one r1 replica, one r1 non-replica: nothing rotates
}

TEST_CASE("plan: no local_dc means every DC is local") {
  const auto s = plan_cluster();
  const token_map m(s);
  lb_options o;
  o.used_hosts_per_remote_dc = 3;  // nothing is remote
  CHECK(plan(s, m, at_50, o, 0) == v({1, 2, 4, 0, 3, 5, 6, 7}));
  CHECK(plan(s, m, at_50, o, 1) == v({2, 4, 1, 3, 5, 6, 7, 0}));
}

// The request path sends its first attempt to first_host() and builds the
// plan only to move on: the two must agree on the first host, always.
TEST_CASE("load balancing: first_host() is plan()[0] for every snapshot, request, option set and counter") {
  std::mt19937_64 rng(42);
  int checked = 0;
  for (int round = 0; round < 300; ++round) {
    cluster_snapshot snap;
    const int n = 1 + static_cast<int>(rng() % 9);
    for (int i = 0; i < n; ++i) {
      host h;
      h.id[0] = static_cast<std::byte>(i + 1);
      h.address = "10.0.0." + std::to_string(i + 1);
      h.datacenter = "dc" + std::to_string(rng() % 3);
      h.rack = "r" + std::to_string(rng() % 2);
      h.up = rng() % 4 != 0;
      h.tokens = {static_cast<std::int64_t>(rng()), static_cast<std::int64_t>(rng())};
      snap.hosts.push_back(std::move(h));
    }
    snap.keyspaces["simple"] = {"SimpleStrategy", {{"replication_factor", std::to_string(1 + rng() % 3)}}};
    snap.keyspaces["nts"] = {"NetworkTopologyStrategy", {{"dc0", "2"}, {"dc1", "1"}, {"dc2", "3"}}};
    const token_map tokens(snap);
    for (int q = 0; q < 20; ++q) {
      lb_options o;
      if (rng() % 2) o.local_dc = "dc" + std::to_string(rng() % 4);  // dc3: no such DC
      if (rng() % 2) o.local_rack = "r" + std::to_string(rng() % 2);
      o.used_hosts_per_remote_dc = rng() % 3;
      o.token_aware = rng() % 4 != 0;
      request_routing r;
      const char* ks[] = {"simple", "nts", "unknown"};
      if (rng() % 3) r.keyspace = ks[rng() % 3];
      if (rng() % 3) r.token = static_cast<std::int64_t>(rng());
      const std::uint64_t counter = rng() % 1000;
      const auto full = plan(snap, tokens, r, o, counter);
      const auto first = first_host(snap, tokens, r, o, counter);
      INFO("round " << round << " query " << q);
      REQUIRE(first.has_value() == !full.empty());
      if (first) CHECK(*first == full.front());
      ++checked;
    }
  }
  MESSAGE(checked << " plans checked against first_host()");
}
