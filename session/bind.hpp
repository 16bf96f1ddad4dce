// Binding C++ values to a prepared statement's markers: the values as calls
// take them (bound_values), and writing them straight into a request body —
// EXECUTE's or a BATCH entry's — with the partition key's cells located on
// the way, so that the request is routed without a second serialisation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "cqlpp/protocol/value.hpp"
#include "cqlpp/protocol/writer.hpp"
#include "cqlpp/session/statement.hpp"

namespace cqlpp {

// The values bound to a prepared statement's markers, by reference: a
// vector, an array or a braced list. They are serialised before the call
// that takes them returns, so they need not outlive it.
class bound_values {
 public:
  bound_values() = default;
  // The values in `v`, by reference (implicit, as are the others).
  bound_values(std::span<const protocol::cql_value> v) noexcept : v_(v) {}  // NOLINT
  // The values of a vector, by reference.
  bound_values(const std::vector<protocol::cql_value>& v) noexcept : v_(v) {}  // NOLINT
  // The values of an array, by reference.
  template <std::size_t N>
  bound_values(const std::array<protocol::cql_value, N>& v) noexcept : v_(v) {}  // NOLINT
  // A braced list {a, b, c}: valid for the full expression it appears in.
  bound_values(std::initializer_list<protocol::cql_value> v) noexcept : v_(v.begin(), v.size()) {}  // NOLINT
  // The values, in marker order.
  std::span<const protocol::cql_value> span() const noexcept { return v_; }

 private:
  std::span<const protocol::cql_value> v_;
};

namespace detail {

// The partition key's cells, where write_bound_values put them in the buffer.
struct key_cells {
  static constexpr std::size_t max = 8;  // a longer partition key is routed without a token
  std::array<std::pair<std::size_t, std::int32_t>, max> at{};  // offset, length (< 0: null/unset)
  std::size_t n = 0;
};

// Appends <n><value_1>…<value_n> to w's buffer, each cell serialised by its
// marker's type right behind its length. `keys` (optional) receives where
// the partition key's cells went. Errors: type_mismatch for a wrong count or
// a value of the wrong type, too_large.
std::error_code write_bound_values(protocol::writer& w, const prepared_statement& p,
                                   std::span<const protocol::cql_value> values, key_cells* keys);

// Why write_bound_values refused `values`, in words: the count of values
// against the markers, or the first value that does not fit its marker's
// type (its position, name, type and the value).
std::string bind_error_detail(const prepared_statement& p, std::span<const protocol::cql_value> values,
                              std::error_code ec);

// The token of the key cells in `buf`; nullopt when a cell is null or unset,
// or the key cannot be a routing key.
std::optional<std::int64_t> token_of(const key_cells& keys, std::span<const std::byte> buf);

// The keyspace of a prepared statement's table, from its bind markers.
std::string_view keyspace_of(const prepared_statement& p);

}  // namespace detail
}  // namespace cqlpp
