#include "session/policies/load_balancing.hpp"

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

std::vector<host_index> plan(const cluster_snapshot& snapshot, const token_map& tokens,
                             const request_routing& request, const lb_options& options,
                             std::uint64_t round_robin_counter) {
  plan_buffers buf;
  plan_into(snapshot, tokens, request, options, round_robin_counter, buf);
  return std::move(buf.hosts);
}

}  // namespace cqlpp::routing
