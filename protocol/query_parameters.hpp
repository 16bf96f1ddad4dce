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

// The <flags> bits; each says its field is present. Decoding fails with invalid_value on any other bit.
namespace query_flags {
inline constexpr std::uint32_t values = 0x01;              // <n> and the [value]s follow
inline constexpr std::uint32_t skip_metadata = 0x02;       // Rows results omit column metadata
inline constexpr std::uint32_t page_size = 0x04;           // [int] result page size
inline constexpr std::uint32_t paging_state = 0x08;        // [bytes] paging state of the previous page
inline constexpr std::uint32_t serial_consistency = 0x10;  // [consistency] for the Paxos phase
inline constexpr std::uint32_t default_timestamp = 0x20;   // [long] timestamp, microseconds since the epoch
inline constexpr std::uint32_t names_for_values = 0x40;    // each value is preceded by its [string] name
inline constexpr std::uint32_t keyspace = 0x80;         // v5
inline constexpr std::uint32_t now_in_seconds = 0x100;  // v5
}  // namespace query_flags

// Byte-wise equality of two [value]s (state and bytes).
bool same_value(const value_view& a, const value_view& b) noexcept;
// Element-wise same_value(): equal sizes and every pair equal.
bool same_values(const std::vector<value_view>& a, const std::vector<value_view>& b) noexcept;

// The parameters of a QUERY or EXECUTE; each optional field present sets its query_flags bit when encoding.
struct query_parameters {
  consistency cl = consistency::one;  // the consistency level; default ONE
  // Present (even empty) sets flag 0x01. With `names` non-empty the 0x40 flag
  // is set and names[i] precedes values[i] (sizes must match).
  std::optional<std::vector<value_view>> values;
  std::vector<std::string> names;                       // bind marker names; empty for positional values
  bool skip_metadata = false;                           // flag 0x02: the caller already has the result metadata
  std::optional<std::int32_t> page_size;                // rows per page; absent: the result is not paged
  std::optional<std::vector<std::byte>> paging_state;   // from the previous page's rows_metadata; never null
  std::optional<consistency> serial_consistency;        // SERIAL or LOCAL_SERIAL, for conditional updates
  std::optional<std::int64_t> default_timestamp;        // microseconds since the epoch; absent: server time
  std::optional<std::string> keyspace;         // v5 only
  std::optional<std::int32_t> now_in_seconds;  // v5 only

  friend bool operator==(const query_parameters& a, const query_parameters& b);
};

// Decodes <query_parameters>; `values` borrow `r`'s buffer. An unknown flag, a null paging state or an
// invalid consistency fails `r`. Check r.ok() afterwards.
query_parameters decode_query_parameters(reader& r, protocol_version v);
// Writes <query_parameters>. Fails `w` with not_in_version for `keyspace` or `now_in_seconds` under v4,
// too_large for more than 65535 values, invalid_value for a non-empty `names` not the size of `values`.
void encode(writer& w, const query_parameters& p, protocol_version v);
// The same in two parts around the value list, for encoders that write bound
// values straight into the frame instead of through a value_view list
// (`p.values` and `p.names` are ignored; `with_values` sets flag 0x01).
void encode_head(writer& w, const query_parameters& p, protocol_version v, bool with_values);
// The fields after the values: page size through now_in_seconds, as flagged by encode_head().
void encode_tail(writer& w, const query_parameters& p, protocol_version v);

// The [value] list of a bound statement with optional names, shared with BATCH.
// Reads `n` then n × ([name] if `named`) <value>.
void decode_values(reader& r, bool named, std::vector<value_view>& values,
                   std::vector<std::string>& names);
// Writes [short] n then the values, each after its [string] name when `names` is non-empty. Fails `w`
// with too_large above 65535 values, invalid_value for a non-empty `names` not the size of `values`.
void encode_values(writer& w, const std::vector<value_view>& values,
                   const std::vector<std::string>& names);

// Reads a [bytes] that must not be null (paging state).
std::vector<std::byte> read_non_null_bytes(reader& r, const char* field);

}  // namespace cqlpp::protocol
