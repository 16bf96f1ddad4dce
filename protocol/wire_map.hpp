// wire_map<V>: a [string map] or [bytes map] (v4 §3) that keeps its entries
// in the order they came off the wire, duplicates included. The spec gives
// the maps no order, but a proxy or a fuzzer re-encoding a decoded message
// needs the same bytes back; std::map would sort them and merge duplicates.
// Lookups are linear — these maps hold a handful of entries.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cqlpp::protocol {

// The entries of one map, (key, V) pairs in wire order; V is std::string for a
// [string map], std::vector<std::byte> for a [bytes map].
template <class V>
class wire_map {
 public:
  using value_type = std::pair<std::string, V>;  // (key, value), as on the wire
  using iterator = typename std::vector<value_type>::iterator;  // in wire order
  using const_iterator = typename std::vector<value_type>::const_iterator;  // in wire order

  wire_map() = default;
  // Entries in the given order, duplicates kept.
  wire_map(std::initializer_list<value_type> init) : entries_(init) {}

  // The first entry named `key`, or end().
  iterator find(std::string_view key) {
    return std::find_if(entries_.begin(), entries_.end(), [&](const value_type& e) { return e.first == key; });
  }
  // The first entry named `key`, or end().
  const_iterator find(std::string_view key) const {
    return std::find_if(entries_.begin(), entries_.end(), [&](const value_type& e) { return e.first == key; });
  }
  // How many entries are named `key` (more than one only as decoded from a peer that repeated it).
  std::size_t count(std::string_view key) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const value_type& e) { return e.first == key; }));
  }
  // Whether an entry is named `key`.
  bool contains(std::string_view key) const { return find(key) != end(); }
  // The value of the first entry named `key`; throws std::out_of_range when there is none.
  const V& at(std::string_view key) const {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("wire_map: no key " + std::string(key));
    return it->second;
  }
  // The value of the first entry named `key`, appended (value-initialised) when there is none.
  V& operator[](std::string_view key) {
    auto it = find(key);
    if (it != end()) return it->second;
    return entries_.emplace_back(std::string(key), V{}).second;
  }
  // Appends (key, value) when no entry is named `key`; returns the entry and whether it was added.
  std::pair<iterator, bool> emplace(std::string key, V value) {
    auto it = find(key);
    if (it != end()) return {it, false};
    entries_.emplace_back(std::move(key), std::move(value));
    return {std::prev(entries_.end()), true};
  }
  // Appends an entry even when its key is already there (a decoder keeping what was sent).
  void push_back(std::string key, V value) { entries_.emplace_back(std::move(key), std::move(value)); }

  // Entries, duplicates counted.
  std::size_t size() const noexcept { return entries_.size(); }
  // No entries.
  bool empty() const noexcept { return entries_.empty(); }
  // The first entry sent.
  iterator begin() noexcept { return entries_.begin(); }
  // Past the last entry.
  iterator end() noexcept { return entries_.end(); }
  // The first entry sent.
  const_iterator begin() const noexcept { return entries_.begin(); }
  // Past the last entry.
  const_iterator end() const noexcept { return entries_.end(); }

  // Same entries in the same order: what byte-exact re-encoding needs.
  friend bool operator==(const wire_map&, const wire_map&) = default;

 private:
  std::vector<value_type> entries_;
};

}  // namespace cqlpp::protocol
