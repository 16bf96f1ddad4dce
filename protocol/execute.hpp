// EXECUTE (v4 §4.1.6: <id><query_parameters>; v5 §4.1.6:
// <id><result_metadata_id><query_parameters>). Both ids are [short bytes].
#pragma once

#include <vector>

#include "cqlpp/protocol/query_parameters.hpp"

namespace cqlpp::protocol {

struct execute_request {
  static constexpr opcode op = opcode::execute;
  std::vector<std::byte> id;
  std::vector<std::byte> result_metadata_id;  // v5 only (ignored when encoding v4)
  query_parameters params;
  friend bool operator==(const execute_request&, const execute_request&) = default;
};

execute_request decode_execute_request(reader& r, protocol_version v);
void encode(writer& w, const execute_request& m, protocol_version v);

}  // namespace cqlpp::protocol
