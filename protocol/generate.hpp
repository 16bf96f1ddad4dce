// Structure-aware generation for fuzzer authors: from a byte source (in the
// manner of libFuzzer's FuzzedDataProvider) build a valid CQL type, a valid
// value of a type, or a valid request of any opcode, so that a fuzzer mutates
// fields instead of bytes. Every result encodes without error and decodes
// back to itself (fuzz/request_gen_fuzzer.cpp checks that). The same input
// bytes always give the same result; an exhausted source reads as zeros, so
// any input, even an empty one, gives something valid.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/protocol/type_spec.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

// Reads little integers off the front of a byte buffer (borrowed: keep it
// alive while the source is used); zeros once it is spent.
class byte_source {
 public:
  // Reads `data` from its first byte.
  explicit byte_source(bytes_view data) noexcept : data_(data) {}

  // One byte.
  std::uint8_t u8() noexcept { return pos_ < data_.size() ? std::to_integer<std::uint8_t>(data_[pos_++]) : 0; }
  // Big-endian, two bytes.
  std::uint16_t u16() noexcept {
    const unsigned hi = u8();
    return static_cast<std::uint16_t>(hi << 8 | u8());
  }
  // Big-endian, four bytes.
  std::uint32_t u32() noexcept {
    const std::uint32_t hi = u16();
    return hi << 16 | u16();
  }
  // Big-endian, eight bytes.
  std::uint64_t u64() noexcept {
    const std::uint64_t hi = u32();
    return hi << 32 | u32();
  }
  // One bit of a byte.
  bool boolean() noexcept { return (u8() & 1) != 0; }
  // 0 .. n-1 (0 when n is 0).
  std::size_t below(std::size_t n) noexcept { return n == 0 ? 0 : u16() % n; }
  // Printable ASCII, 0 .. max_len characters.
  std::string text(std::size_t max_len);
  // Arbitrary bytes, 0 .. max_len of them.
  std::vector<std::byte> bytes(std::size_t max_len);
  // Bytes not read yet.
  std::size_t remaining() const noexcept { return data_.size() - pos_; }

 private:
  bytes_view data_;
  std::size_t pos_ = 0;
};

// Limits on what is generated, so that one input stays small.
struct generate_limits {
  int max_depth = 3;               // type nesting (list<map<int, tuple<...>>>); default 3
  std::size_t max_elements = 4;    // per collection, tuple, UDT, vector dimension and value list; default 4
  std::size_t max_text = 16;       // characters per string, bytes per blob; default 16
};

// A CQL type: any native kind, list, set, map, tuple, UDT, vector, custom.
type_spec generate_type(byte_source& src, const generate_limits& lim = {});

// A value that encode_value accepts for `t` (null sometimes, where allowed:
// at the top level and inside collections, tuples and UDTs, not in vectors).
cql_value generate_value(byte_source& src, const type_spec& t, const generate_limits& lim = {});

// A request and the bytes its bound values borrow (query_parameters and
// batch_statement hold value_views): keep the whole object while the message
// is used. Move-only, as the views point into `storage`.
struct generated_request {
  request message;                               // STARTUP .. BATCH, valid for the version asked for
  std::deque<std::vector<std::byte>> storage;    // the encoded bound values

  generated_request() = default;
  // Moves keep the views valid: a deque's elements stay where they are.
  generated_request(generated_request&&) = default;
  // As the move constructor.
  generated_request& operator=(generated_request&&) = default;
  generated_request(const generated_request&) = delete;
  generated_request& operator=(const generated_request&) = delete;
};

// Any request opcode, with fields (consistency, flags, paging, timestamps,
// v5 keyspace and now_in_seconds, values of generated types) chosen by `src`.
generated_request generate_request(byte_source& src, protocol_version v, const generate_limits& lim = {});

}  // namespace cqlpp::protocol
