// EXECUTE (v4 §4.1.6: <id><query_parameters>; v5 §4.1.6:
// <id><result_metadata_id><query_parameters>). Both ids are [short bytes].
#pragma once

#include <vector>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {

// EXECUTE: runs a statement prepared earlier, by the id its PREPARE returned.
struct execute_request {
  static constexpr opcode op = opcode::execute;  // frame header opcode (0x0A)
  std::vector<std::byte> id;  // the prepared id
  std::vector<std::byte> result_metadata_id;  // v5 only (ignored when encoding v4)
  query_parameters params;  // consistency, bound values, paging and the rest
  friend bool operator==(const execute_request&, const execute_request&) = default;
};

// Decodes an EXECUTE body; the result metadata id is read in v5 only. Errors are left in `r`.
execute_request decode_execute_request(reader& r, protocol_version v);
// Writes an EXECUTE body, the result metadata id in v5 only. Failures of the parameters (not_in_version,
// too_large, invalid_value) are left in `w`.
void encode(writer& w, const execute_request& m, protocol_version v);

}  // namespace cqlpp::protocol
