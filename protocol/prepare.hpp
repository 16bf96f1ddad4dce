// PREPARE (v4 §4.1.5: <query>; v5 §4.1.5: <query><flags>[<keyspace>] with
// [int] flags, 0x01 = with keyspace).
#pragma once

#include <optional>
#include <string>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// The v5 PREPARE <flags>; any other bit fails decoding with invalid_value.
namespace prepare_flags {
inline constexpr std::uint32_t keyspace = 0x01;  // a [string] keyspace follows
}

// A request to prepare `query`; answered by a Prepared RESULT (result_kinds.hpp).
struct prepare_request {
  static constexpr opcode op = opcode::prepare;  // opcode 0x09
  std::string query;                             // the CQL statement text
  std::optional<std::string> keyspace;  // v5 only
  friend bool operator==(const prepare_request&, const prepare_request&) = default;
};

// Decodes a PREPARE body; in v5 a flag bit other than 0x01 fails with invalid_value. Check r.ok() afterwards.
prepare_request decode_prepare_request(reader& r, protocol_version v);
// Writes a PREPARE body. A `keyspace` under v4 fails the writer with not_in_version.
void encode(writer& w, const prepare_request& m, protocol_version v);

}  // namespace cqlpp::protocol
