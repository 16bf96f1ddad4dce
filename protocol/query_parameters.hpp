// <query_parameters> shared by QUERY and EXECUTE (v4 §4.1.4, v5 §4.1.4):
//   <consistency><flags>[<n>[name_1]<value_1>...[name_n]<value_n>][<result_page_size>]
//   [<paging_state>][<serial_consistency>][<timestamp>][<keyspace>][<now_in_seconds>]
// <flags> is a [byte] in v4 and an [int] in v5; keyspace (0x80) and
// now_in_seconds (0x100) exist only in v5.
//
// Lifetime: decoded `values` borrow the decoder's input (the frame body); for
// encoding they point at caller-owned serialized cells.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

namespace query_flags {
inline constexpr std::uint32_t values = 0x01;
inline constexpr std::uint32_t skip_metadata = 0x02;
inline constexpr std::uint32_t page_size = 0x04;
inline constexpr std::uint32_t paging_state = 0x08;
inline constexpr std::uint32_t serial_consistency = 0x10;
inline constexpr std::uint32_t default_timestamp = 0x20;
inline constexpr std::uint32_t names_for_values = 0x40;
inline constexpr std::uint32_t keyspace = 0x80;         // v5
inline constexpr std::uint32_t now_in_seconds = 0x100;  // v5
}  // namespace query_flags

// Byte-wise equality of two [value]s (state and bytes).
bool same_value(const value_view& a, const value_view& b) noexcept;
bool same_values(const std::vector<value_view>& a, const std::vector<value_view>& b) noexcept;

struct query_parameters {
  consistency cl = consistency::one;
  // Present (even empty) sets flag 0x01. With `names` non-empty the 0x40 flag
  // is set and names[i] precedes values[i] (sizes must match).
  std::optional<std::vector<value_view>> values;
  std::vector<std::string> names;
  bool skip_metadata = false;
  std::optional<std::int32_t> page_size;
  std::optional<std::vector<std::byte>> paging_state;
  std::optional<consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;
  std::optional<std::string> keyspace;         // v5 only
  std::optional<std::int32_t> now_in_seconds;  // v5 only

  friend bool operator==(const query_parameters& a, const query_parameters& b);
};

query_parameters decode_query_parameters(reader& r, protocol_version v);
void encode(writer& w, const query_parameters& p, protocol_version v);
// The same in two parts around the value list, for encoders that write bound
// values straight into the frame instead of through a value_view list
// (`p.values` and `p.names` are ignored; `with_values` sets flag 0x01).
void encode_head(writer& w, const query_parameters& p, protocol_version v, bool with_values);
void encode_tail(writer& w, const query_parameters& p, protocol_version v);

// The [value] list of a bound statement with optional names, shared with BATCH.
// Reads `n` then n × ([name] if `named`) <value>.
void decode_values(reader& r, bool named, std::vector<value_view>& values,
                   std::vector<std::string>& names);
void encode_values(writer& w, const std::vector<value_view>& values,
                   const std::vector<std::string>& names);

// Reads a [bytes] that must not be null (paging state).
std::vector<std::byte> read_non_null_bytes(reader& r, const char* field);

}  // namespace cqlpp::protocol
