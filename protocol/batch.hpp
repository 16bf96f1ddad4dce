// BATCH (v4/v5 §4.1.7):
//   <type><n><query_1>...<query_n><consistency><flags>[<serial_consistency>]
//   [<timestamp>][<keyspace>][<now_in_seconds>]
// <query_i> = <kind><string_or_id><n>[<name_1>]<value_1>...; <kind> 0 is a
// [long string] query, 1 a [short bytes] prepared id. <flags> is a [byte] in v4,
// an [int] in v5; the low four bits must be zero. Names (0x40) apply to every
// query of the batch.
//
// Lifetime: values borrow the decoder's input, or caller buffers when encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {

enum class batch_type : std::uint8_t { logged = 0, unlogged = 1, counter = 2 };

struct batch_statement {
  bool prepared = false;
  std::string query;           // kind 0
  std::vector<std::byte> id;   // kind 1
  std::vector<value_view> values;
  std::vector<std::string> names;  // all statements named, or none
  friend bool operator==(const batch_statement& a, const batch_statement& b);
};

struct batch_request {
  static constexpr opcode op = opcode::batch;
  batch_type type = batch_type::logged;
  std::vector<batch_statement> statements;
  consistency cl = consistency::one;
  bool named_values = false;  // flag 0x40
  std::optional<consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;
  std::optional<std::string> keyspace;         // v5 only
  std::optional<std::int32_t> now_in_seconds;  // v5 only
  friend bool operator==(const batch_request&, const batch_request&) = default;
};

batch_request decode_batch_request(reader& r, protocol_version v);
void encode(writer& w, const batch_request& m, protocol_version v);

}  // namespace cqlpp::protocol
