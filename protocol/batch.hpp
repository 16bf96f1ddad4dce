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

// BATCH <type> byte: logged batches go through the batchlog (atomic), unlogged do not, counter batches hold
// only counter updates.
enum class batch_type : std::uint8_t { logged = 0, unlogged = 1, counter = 2 };

// One <query_i> of a batch: a query string (kind 0) or a prepared id (kind 1), with its bound values.
struct batch_statement {
  bool prepared = false;       // kind 1: `id` is used, `query` ignored
  std::string query;           // kind 0
  std::vector<std::byte> id;   // kind 1
  std::vector<value_view> values;  // [value]s in marker order; borrowed
  std::vector<std::string> names;  // all statements named, or none
  friend bool operator==(const batch_statement& a, const batch_statement& b);
};

// A BATCH request. The optional fields are written, and their flag set, only when present.
struct batch_request {
  static constexpr opcode op = opcode::batch;  // frame header opcode (0x0D)
  batch_type type = batch_type::logged;        // default logged
  std::vector<batch_statement> statements;     // at most 65535 ([short] count)
  consistency cl = consistency::one;           // default ONE
  bool named_values = false;  // flag 0x40
  std::optional<consistency> serial_consistency;  // flag 0x10: SERIAL or LOCAL_SERIAL for conditional updates
  std::optional<std::int64_t> default_timestamp;  // flag 0x20: write time in microseconds since the epoch
  std::optional<std::string> keyspace;         // v5 only
  std::optional<std::int32_t> now_in_seconds;  // v5 only
  friend bool operator==(const batch_request&, const batch_request&) = default;
};

// Decodes a BATCH body. The names flag follows the values it governs, so the body is read both ways and the
// reading that agrees with its flags is kept (CASSANDRA-10246); unknown flags or a bad type or kind fail with
// invalid_value. Errors are left in `r`.
batch_request decode_batch_request(reader& r, protocol_version v);
// Writes a BATCH body. Fails in `w` with not_in_version (keyspace or now_in_seconds in v4), too_large (over
// 65535 statements, or a field over its limit) or invalid_value (named_values with a statement whose names and
// values differ in number).
void encode(writer& w, const batch_request& m, protocol_version v);

}  // namespace cqlpp::protocol
