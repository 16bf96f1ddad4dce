#include "cqlpp/session/policies/load_balancing.hpp"

#include <algorithm>
#include <cassert>

namespace cqlpp::routing {

namespace {

// Builds the plan in place: hosts are appended group by group, and each group
// is rotated where it lies, so no temporary lists are needed.
class plan_builder {
 public:
  plan_builder(const cluster_snapshot& s, const lb_options& o, std::uint64_t counter, plan_buffers& buf)
      : snapshot_(s), options_(o), counter_(counter), taken_(buf.taken), out_(buf.hosts) {
    taken_.assign(s.hosts.size(), false);
    out_.clear();
  }

  bool local(const host& h) const { return options_.local_dc.empty() || h.datacenter == options_.local_dc; }
  bool local_rack(const host& h) const {
    return !options_.local_rack.empty() && local(h) && h.rack == options_.local_rack;
  }
  bool usable(host_index i) const { return snapshot_.hosts[i].up && !taken_[i]; }

  void add(host_index i) {
    taken_[i] = true;
    out_.push_back(i);
  }

  // Rotates what was appended since `group_begin` by the counter: with n
  // equal candidates, request c starts at candidate c mod n.
  void rotate_since(std::size_t group_begin) {
    const std::size_t n = out_.size() - group_begin;
    if (n < 2) return;
    const auto first = out_.begin() + static_cast<std::ptrdiff_t>(group_begin);
    std::rotate(first, first + static_cast<std::ptrdiff_t>(counter_ % n), out_.end());
  }

  // The up local replicas: local rack first, then the rest of the DC.
  void replicas(std::span<const host_index> replicas) {
    for (const bool want_rack : {true, false}) {
      if (want_rack && options_.local_rack.empty()) continue;
      const std::size_t begin = out_.size();
      for (const host_index i : replicas) {
        const host& h = snapshot_.hosts[i];
        if (usable(i) && local(h) && (!want_rack || local_rack(h))) add(i);
      }
      rotate_since(begin);
    }
  }

  // The remaining up local hosts, round robin: local rack first.
  void local_hosts() {
    for (const bool want_rack : {true, false}) {
      if (want_rack && options_.local_rack.empty()) continue;
      const std::size_t begin = out_.size();
      for (host_index i = 0; i < snapshot_.hosts.size(); ++i) {
        const host& h = snapshot_.hosts[i];
        if (usable(i) && local(h) && (!want_rack || local_rack(h))) add(i);
      }
      rotate_since(begin);
    }
  }

  // Up to `limit` up hosts per remote DC.
  void remote_hosts(std::size_t limit) {
    if (limit == 0 || options_.local_dc.empty()) return;
    std::vector<std::string_view> remote_dcs;  // first-appearance order
    for (const host& h : snapshot_.hosts)
      if (!local(h) && std::find(remote_dcs.begin(), remote_dcs.end(), h.datacenter) == remote_dcs.end())
        remote_dcs.push_back(h.datacenter);
    for (const std::string_view dc : remote_dcs) {
      const std::size_t begin = out_.size();
      for (host_index i = 0; i < snapshot_.hosts.size(); ++i)
        if (usable(i) && snapshot_.hosts[i].datacenter == dc) add(i);
      rotate_since(begin);
      // Only the first `limit` of the rotated group stay; the rest may be
      // marked taken, but no later group looks at this DC again.
      if (out_.size() - begin > limit) out_.resize(begin + limit);
    }
  }

 private:
  const cluster_snapshot& snapshot_;
  const lb_options& options_;
  std::uint64_t counter_;
  std::vector<bool>& taken_;
  std::vector<host_index>& out_;
};

}  // namespace

void plan_into(const cluster_snapshot& snapshot, const token_map& tokens, const request_routing& request,
               const lb_options& options, std::uint64_t round_robin_counter, plan_buffers& out) {
  // A default (empty) token_map places nothing, so it fits any snapshot.
  assert((tokens.host_count() == snapshot.hosts.size() || tokens.ring_tokens().empty()) &&
         "token_map built from another snapshot");
  plan_builder b(snapshot, options, round_robin_counter, out);
  if (options.token_aware && request.keyspace && request.token)
    b.replicas(tokens.replicas(*request.keyspace, *request.token));
  b.local_hosts();
  b.remote_hosts(options.used_hosts_per_remote_dc);
}

namespace {

// The (counter mod n)-th of the n candidates `ok` accepts, in order.
template <class Seq, class Pred>
std::optional<host_index> pick(const Seq& seq, Pred ok, std::uint64_t counter) {
  std::size_t n = 0;
  for (const host_index i : seq) n += ok(i) ? 1 : 0;
  if (n == 0) return std::nullopt;
  std::size_t want = static_cast<std::size_t>(counter % n);
  for (const host_index i : seq)
    if (ok(i) && want-- == 0) return i;
  return std::nullopt;
}

struct index_range {
  host_index n;
  struct iterator {
    host_index i;
    host_index operator*() const noexcept { return i; }
    iterator& operator++() noexcept {
      ++i;
      return *this;
    }
    bool operator!=(const iterator& o) const noexcept { return i != o.i; }
  };
  iterator begin() const noexcept { return {0}; }
  iterator end() const noexcept { return {n}; }
};

}  // namespace

std::optional<host_index> first_host(const cluster_snapshot& snapshot, const token_map& tokens,
                                     const request_routing& request, const lb_options& options,
                                     std::uint64_t counter) {
  const auto& hosts = snapshot.hosts;
  auto local = [&](host_index i) { return options.local_dc.empty() || hosts[i].datacenter == options.local_dc; };
  auto up_local = [&](host_index i) { return hosts[i].up && local(i); };
  auto up_local_rack = [&](host_index i) { return up_local(i) && hosts[i].rack == options.local_rack; };
  const bool racks = !options.local_rack.empty();
  // The groups of plan(), in its order; the first non-empty one leads.
  if (options.token_aware && request.keyspace && request.token) {
    const auto r = tokens.replicas(*request.keyspace, *request.token);
    if (racks)
      if (auto h = pick(r, up_local_rack, counter)) return h;
    if (auto h = pick(r, up_local, counter)) return h;
  }
  const index_range all{static_cast<host_index>(hosts.size())};
  if (racks)
    if (auto h = pick(all, up_local_rack, counter)) return h;
  if (auto h = pick(all, up_local, counter)) return h;
  if (options.used_hosts_per_remote_dc == 0 || options.local_dc.empty()) return std::nullopt;
  // Remote DCs in first-appearance order: the first with an up host.
  for (host_index d = 0; d < hosts.size(); ++d) {
    if (local(d)) continue;
    bool seen_before = false;
    for (host_index e = 0; e < d && !seen_before; ++e)
      seen_before = !local(e) && hosts[e].datacenter == hosts[d].datacenter;
    if (seen_before) continue;
    const auto& dc = hosts[d].datacenter;
    if (auto h = pick(all, [&](host_index i) { return hosts[i].up && hosts[i].datacenter == dc; }, counter)) return h;
  }
  return std::nullopt;
}

std::vector<host_index> plan(const cluster_snapshot& snapshot, const token_map& tokens,
                             const request_routing& request, const lb_options& options,
                             std::uint64_t round_robin_counter) {
  plan_buffers buf;
  plan_into(snapshot, tokens, request, options, round_robin_counter, buf);
  return std::move(buf.hosts);
}

}  // namespace cqlpp::routing
