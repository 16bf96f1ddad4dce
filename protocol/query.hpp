// QUERY (v4/v5 §4.1.4): <query><query_parameters>, <query> a [long string].
#pragma once

#include <string>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {

struct query_request {
  static constexpr opcode op = opcode::query;
  std::string query;
  query_parameters params;
  friend bool operator==(const query_request&, const query_request&) = default;
};

query_request decode_query_request(reader& r, protocol_version v);
void encode(writer& w, const query_request& m, protocol_version v);

}  // namespace cqlpp::protocol
