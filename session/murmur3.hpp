// Cassandra's Murmur3Partitioner token for a partition key.
//
// The token decides which replicas own a row (see token_map.hpp): a driver
// that routes by token must hash exactly as the server does, byte for byte,
// including the server's quirks, or it sends every request to the wrong node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace cqlpp::routing {

// The token of a partition key (the serialized routing key, routing_key.hpp):
// MurmurHash3 x64 128 with seed 0, the first 64-bit half read as signed,
// exactly as org.apache.cassandra.dht.Murmur3Partitioner#getToken computes it:
//  - the 1..15 tail bytes are sign-extended before they are shifted into
//    place (Java's `(long) key.get(i)` on a signed byte), so a tail byte
//    >= 0x80 smears ones over the higher bits; reference MurmurHash3 does not;
//  - INT64_MIN is mapped to INT64_MAX (Murmur3Partitioner#normalize), because
//    the server reserves INT64_MIN as the ring's minimum token.
// Pure and thread-safe; `key` is only read during the call.
[[nodiscard]] std::int64_t murmur3_token(std::span<const std::byte> key) noexcept;

namespace detail {

// The raw first half of Cassandra's hash, before normalisation (tests).
[[nodiscard]] std::int64_t murmur3_cassandra_h1(std::span<const std::byte> key) noexcept;

// Murmur3Partitioner#normalize: INT64_MIN becomes INT64_MAX.
[[nodiscard]] constexpr std::int64_t normalize_token(std::int64_t h) noexcept {
  return h == INT64_MIN ? INT64_MAX : h;
}

}  // namespace detail

}  // namespace cqlpp::routing
