// QUERY (v4/v5 §4.1.4): <query><query_parameters>, <query> a [long string].
#pragma once

#include <string>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {

// A QUERY request: one unprepared statement with its parameters.
struct query_request {
  static constexpr opcode op = opcode::query;  // opcode 0x07
  std::string query;                           // the CQL statement text
  query_parameters params;                     // consistency, bound values, paging and the rest
  friend bool operator==(const query_request&, const query_request&) = default;
};

// Decodes a QUERY body; bound values borrow `r`'s buffer. Check r.ok() afterwards.
query_request decode_query_request(reader& r, protocol_version v);
// Writes a QUERY body; errors in `params` (see its encode()) are left in `w`.
void encode(writer& w, const query_request& m, protocol_version v);

}  // namespace cqlpp::protocol
