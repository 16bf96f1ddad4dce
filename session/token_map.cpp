// Replica placement per strategy; see token_map.hpp for the rules. Every
// table is built once per snapshot, so the walks favour clarity over speed,
// but stay linear in the ring per position (no quadratic host searches:
// "seen" marks are stamped arrays indexed by host or rack).
#include "cqlpp/session/token_map.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <optional>
#include <utility>

namespace cqlpp::routing {

namespace {

constexpr std::string_view locator_prefix = "org.apache.cassandra.locator.";

enum class strategy_kind { simple, network_topology, everywhere, none };

strategy_kind kind_of(std::string_view cls) {
  if (cls.starts_with(locator_prefix)) cls.remove_prefix(locator_prefix.size());
  if (cls == "SimpleStrategy") return strategy_kind::simple;
  if (cls == "NetworkTopologyStrategy") return strategy_kind::network_topology;
  if (cls == "EverywhereStrategy") return strategy_kind::everywhere;
  // LocalStrategy lands here on purpose: node-local data has no placement.
  return strategy_kind::none;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<long long> parse_int(std::string_view s) {
  s = trim(s);
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The number of full replicas a factor asks for: "3" -> 3, "3/1" -> 2 (three
// replicas, one transient; as cassandra.metadata.ReplicationFactor). A
// negative count places nothing.
std::optional<std::size_t> parse_factor(std::string_view s) {
  long long full = 0;
  if (const auto all = parse_int(s)) {
    full = *all;
  } else {
    const auto slash = s.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto all_part = parse_int(s.substr(0, slash));
    const auto transient_part = parse_int(s.substr(slash + 1));
    if (!all_part || !transient_part) return std::nullopt;
    full = *all_part - *transient_part;
  }
  return full > 0 ? static_cast<std::size_t>(full) : 0;
}

// A small interner: names to dense ids, in first-seen order.
struct interner {
  std::map<std::string, std::uint32_t, std::less<>> ids;
  std::uint32_t id(const std::string& name) {
    const auto [it, inserted] = ids.try_emplace(name, static_cast<std::uint32_t>(ids.size()));
    return it->second;
  }
};

}  // namespace

// Everything token_map's constructor needs, derived once from the snapshot.
struct token_map_builder {
  token_map& out;
  std::vector<std::uint32_t> host_dc;    // dc id per host index
  std::vector<std::uint32_t> host_rack;  // rack id per host index, racks of different DCs differ
  interner dcs;
  std::vector<std::uint32_t> dc_order;                   // DCs by first token in the ring
  std::vector<std::vector<std::uint32_t>> dc_positions;  // ring positions per DC, ascending
  std::vector<std::size_t> dc_hosts;                     // distinct ring hosts per DC
  std::vector<std::size_t> dc_racks;                     // distinct racks of those hosts per DC
  std::size_t rack_count = 0;
  std::size_t ring_hosts = 0;  // distinct hosts on the ring

  token_map_builder(token_map& m, const cluster_snapshot& s) : out(m) {
    build_ring(s);
    build_topology(s);
    std::map<std::string, std::size_t> table_of_setting;  // canonical setting -> tables_ index
    for (const auto& [name, replication] : s.keyspaces) {
      std::string setting;
      auto table = build_table(replication, setting);
      if (!table) continue;
      const auto [it, inserted] = table_of_setting.try_emplace(setting, out.tables_.size());
      if (inserted) out.tables_.push_back(std::move(*table));
      out.keyspace_table_.emplace(name, it->second);
    }
  }

  void build_ring(const cluster_snapshot& s) {
    assert(s.hosts.size() < UINT32_MAX && "host_index is 32-bit");
    out.host_count_ = s.hosts.size();
    std::vector<std::pair<std::int64_t, host_index>> ring;
    for (std::size_t h = 0; h < s.hosts.size(); ++h)
      for (const auto t : s.hosts[h].tokens) ring.emplace_back(t, static_cast<host_index>(h));
    std::sort(ring.begin(), ring.end());
    // A duplicate token keeps its first (lowest host index) owner.
    ring.erase(std::unique(ring.begin(), ring.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
               ring.end());
    assert(ring.size() < UINT32_MAX && "ring positions are 32-bit");
    out.tokens_.reserve(ring.size());
    out.owners_.reserve(ring.size());
    for (const auto& [t, h] : ring) {
      out.tokens_.push_back(t);
      out.owners_.push_back(h);
    }
  }

  void build_topology(const cluster_snapshot& s) {
    // The DC is part of a rack's key: rack "r1" of dc1 is not rack "r1" of dc2.
    std::map<std::pair<std::uint32_t, std::string_view>, std::uint32_t> racks;
    host_dc.resize(s.hosts.size());
    host_rack.resize(s.hosts.size());
    for (std::size_t h = 0; h < s.hosts.size(); ++h) {
      host_dc[h] = dcs.id(s.hosts[h].datacenter);
      const auto key = std::pair<std::uint32_t, std::string_view>(host_dc[h], s.hosts[h].rack);
      host_rack[h] = racks.try_emplace(key, static_cast<std::uint32_t>(racks.size())).first->second;
    }
    rack_count = racks.size();
    const std::size_t ndc = dcs.ids.size();
    dc_positions.resize(ndc);
    dc_hosts.assign(ndc, 0);
    dc_racks.assign(ndc, 0);
    std::vector<bool> host_seen(s.hosts.size());
    std::vector<bool> rack_seen(rack_count);
    for (std::size_t p = 0; p < out.owners_.size(); ++p) {
      const host_index h = out.owners_[p];
      const std::uint32_t dc = host_dc[h];
      if (dc_positions[dc].empty()) dc_order.push_back(dc);
      dc_positions[dc].push_back(static_cast<std::uint32_t>(p));
      if (!host_seen[h]) {
        host_seen[h] = true;
        ++dc_hosts[dc];
        ++ring_hosts;
      }
      if (!rack_seen[host_rack[h]]) {
        rack_seen[host_rack[h]] = true;
        ++dc_racks[dc];
      }
    }
  }

  // The table for one keyspace's replication, and its canonical `setting`
  // (two keyspaces with equal settings share a table); nullopt when the
  // strategy places nothing or its options do not parse.
  std::optional<token_map::replica_table> build_table(const keyspace_replication& r, std::string& setting) {
    switch (kind_of(r.strategy_class)) {
      case strategy_kind::simple: {
        const auto it = r.options.find("replication_factor");
        if (it == r.options.end()) return std::nullopt;
        const auto rf = parse_factor(it->second);
        if (!rf) return std::nullopt;
        setting = "simple:" + std::to_string(*rf);
        return simple(*rf);
      }
      case strategy_kind::network_topology: {
        std::vector<std::size_t> rf(dcs.ids.size(), 0);
        setting = "nts";
        for (const auto& [dc, value] : r.options) {
          if (dc == "class") continue;
          const auto f = parse_factor(value);
          if (!f) return std::nullopt;  // as the Python driver: no guessing
          const auto known = dcs.ids.find(dc);
          if (known == dcs.ids.end() || *f == 0) continue;  // a DC without hosts places nothing
          rf[known->second] = *f;
          setting += ':' + std::to_string(known->second) + '=' + std::to_string(*f);
        }
        return network_topology(rf);
      }
      case strategy_kind::everywhere:
        setting = "everywhere";
        return everywhere();
      case strategy_kind::none:
        break;
    }
    return std::nullopt;
  }

  token_map::replica_table simple(std::size_t rf) const {
    token_map::replica_table t;
    const std::size_t n = out.owners_.size();
    const std::size_t want = std::min(rf, ring_hosts);
    std::vector<std::uint32_t> mark(out.host_count_, 0);  // == stamp: already a replica
    t.offsets_.reserve(n + 1);
    t.flat_.reserve(n * want);
    for (std::size_t i = 0; i < n; ++i) {
      t.offsets_.push_back(static_cast<std::uint32_t>(t.flat_.size()));
      const auto stamp = static_cast<std::uint32_t>(i + 1);
      std::size_t got = 0;
      for (std::size_t j = 0; got < want && j < n; ++j) {
        const host_index h = out.owners_[(i + j) % n];
        if (mark[h] == stamp) continue;
        mark[h] = stamp;
        t.flat_.push_back(h);
        ++got;
      }
    }
    t.offsets_.push_back(static_cast<std::uint32_t>(t.flat_.size()));
    return t;
  }

  token_map::replica_table network_topology(const std::vector<std::size_t>& rf) const {
    token_map::replica_table t;
    const std::size_t n = out.owners_.size();
    // Marks are stamped per (position, DC) walk, so nothing is cleared
    // between walks; hosts and racks belong to one DC each.
    std::vector<std::uint32_t> replica_mark(out.host_count_, 0);
    std::vector<std::uint32_t> skipped_mark(out.host_count_, 0);
    std::vector<std::uint32_t> rack_mark(rack_count, 0);
    std::vector<host_index> skipped;
    std::vector<std::size_t> cursor(dcs.ids.size(), 0);  // per DC: first position >= i
    std::uint32_t stamp = 0;
    t.offsets_.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      t.offsets_.push_back(static_cast<std::uint32_t>(t.flat_.size()));
      for (const std::uint32_t dc : dc_order) {
        if (rf[dc] == 0) continue;
        const auto& positions = dc_positions[dc];
        auto& c = cursor[dc];
        while (c < positions.size() && positions[c] < i) ++c;
        assert(stamp < UINT32_MAX);
        ++stamp;
        const std::size_t want = std::min(rf[dc], dc_hosts[dc]);
        const std::size_t racks = dc_racks[dc];
        std::size_t got = 0;
        std::size_t racks_used = 0;
        skipped.clear();
        auto take = [&](host_index h) {
          replica_mark[h] = stamp;
          t.flat_.push_back(h);
          ++got;
        };
        // Walk the DC's ring positions clockwise from i, each once.
        for (std::size_t k = 0; k < positions.size() && got < want; ++k) {
          const host_index h = out.owners_[positions[(c + k) % positions.size()]];
          if (replica_mark[h] == stamp) continue;
          const std::uint32_t rack = host_rack[h];
          if (racks_used < racks && rack_mark[rack] == stamp) {
            // A rack already has a replica: keep the host for later. Each
            // host once (Cassandra keeps a set; a vnode host meets the walk
            // several times).
            if (skipped_mark[h] != stamp) {
              skipped_mark[h] = stamp;
              skipped.push_back(h);
            }
            continue;
          }
          take(h);
          if (rack_mark[rack] != stamp) {
            rack_mark[rack] = stamp;
            ++racks_used;
            // Every rack has a replica now: the remembered hosts come next.
            if (racks_used == racks) {
              for (const host_index s : skipped) {
                if (got == want) break;
                take(s);
              }
              skipped.clear();
            }
          }
        }
      }
    }
    t.offsets_.push_back(static_cast<std::uint32_t>(t.flat_.size()));
    return t;
  }

  token_map::replica_table everywhere() const {
    token_map::replica_table t;
    std::vector<bool> seen(out.host_count_);
    for (const host_index h : out.owners_) {
      if (seen[h]) continue;
      seen[h] = true;
      t.flat_.push_back(h);
    }
    return t;
  }
};

token_map::token_map(const cluster_snapshot& snapshot) { token_map_builder build(*this, snapshot); }

std::span<const host_index> token_map::replicas(std::string_view keyspace, std::int64_t token) const noexcept {
  const auto it = keyspace_table_.find(keyspace);
  if (it == keyspace_table_.end() || tokens_.empty()) return {};
  const replica_table& t = tables_[it->second];
  if (t.offsets_.empty()) return t.flat_;  // one list for every token
  // The range ending at the first ring token >= token; past the last, the
  // ring wraps to the first range.
  auto pos = static_cast<std::size_t>(std::lower_bound(tokens_.begin(), tokens_.end(), token) - tokens_.begin());
  if (pos == tokens_.size()) pos = 0;
  return std::span<const host_index>(t.flat_).subspan(t.offsets_[pos], t.offsets_[pos + 1] - t.offsets_[pos]);
}

bool token_map::routable(std::string_view keyspace) const noexcept {
  const auto it = keyspace_table_.find(keyspace);
  return it != keyspace_table_.end() && !tokens_.empty() && !tables_[it->second].flat_.empty();
}

}  // namespace cqlpp::routing
