// The routing key of a statement: the serialized partition key that
// murmur3_token() hashes (Cassandra's CompositeType encoding when the
// partition key has several columns).
//
// One component: its bytes as they are. Several: per component a 2-byte
// big-endian length, the bytes, and one 0x00 end-of-component byte
// (org.apache.cassandra.db.marshal.CompositeType). The 2-byte length is why a
// component longer than 65535 bytes has no routing key: the server could not
// build that key either, so such a statement is routed without a token.
//
// Pure functions, thread-safe; the component spans are read during the call
// only. Bad input is reported as std::nullopt, never thrown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cqlpp::routing {

// One partition key column's serialized value.
using key_component = std::span<const std::byte>;

// The longest component a composite routing key can carry.
inline constexpr std::size_t max_key_component = 65535;

// Bytes the routing key of `components` takes; nullopt when there are no
// components or a composite component exceeds max_key_component.
// (A single component is used as it is, so it has no length limit.)
[[nodiscard]] std::optional<std::size_t> routing_key_size(std::span<const key_component> components) noexcept;

// Writes the routing key into `out` and returns the bytes written; nullopt
// when routing_key_size() is nullopt or `out` is smaller than it (nothing is
// written then). Lets a hot path build the key in a reused buffer.
[[nodiscard]] std::optional<std::size_t> write_routing_key(std::span<const key_component> components,
                                                           std::span<std::byte> out) noexcept;

// The routing key as a new vector; nullopt as routing_key_size().
[[nodiscard]] std::optional<std::vector<std::byte>> make_routing_key(std::span<const key_component> components);

// The Murmur3 token of the routing key of `components`, built on the stack
// when it fits in 512 bytes (else in a temporary vector); nullopt as
// routing_key_size().
[[nodiscard]] std::optional<std::int64_t> token_of_key(std::span<const key_component> components);

}  // namespace cqlpp::routing
