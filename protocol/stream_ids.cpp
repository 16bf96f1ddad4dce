#include "cqlpp/protocol/stream_ids.hpp"

#include <algorithm>
#include <cassert>

namespace cqlpp::protocol {

stream_id_pool::stream_id_pool(int capacity) {
  capacity = std::clamp(capacity, 1, max_ids);
  states_.assign(static_cast<std::size_t>(capacity), state::free);
  reset();
}

void stream_id_pool::reset() noexcept {
  std::fill(states_.begin(), states_.end(), state::free);
  free_.clear();
  free_.reserve(states_.size());
  for (int i = capacity() - 1; i >= 0; --i) free_.push_back(static_cast<std::int16_t>(i));
  in_use_ = orphaned_ = 0;
}

std::optional<std::int16_t> stream_id_pool::acquire() noexcept {
  if (free_.empty()) return std::nullopt;
  const std::int16_t id = free_.back();
  free_.pop_back();
  states_[static_cast<std::size_t>(id)] = state::in_use;
  ++in_use_;
  return id;
}

stream_id_pool::state stream_id_pool::state_of(std::int16_t id) const noexcept {
  if (id < 0 || id >= capacity()) return state::free;
  return states_[static_cast<std::size_t>(id)];
}

stream_id_pool::state stream_id_pool::release(std::int16_t id) noexcept {
  const state was = state_of(id);
  if (was == state::free) return was;
  if (was == state::in_use) --in_use_;
  else --orphaned_;
  states_[static_cast<std::size_t>(id)] = state::free;
  free_.push_back(id);
  return was;
}

void stream_id_pool::orphan(std::int16_t id) noexcept {
  if (state_of(id) != state::in_use) return;
  states_[static_cast<std::size_t>(id)] = state::orphaned;
  --in_use_;
  ++orphaned_;
}

}  // namespace cqlpp::protocol
