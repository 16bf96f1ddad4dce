// REGISTER (v4/v5 §4.1.8): a [string list] of event types to receive
// ("TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"). Answered by READY.
#pragma once

#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

struct register_request {
  static constexpr opcode op = opcode::register_;
  std::vector<std::string> event_types;
  friend bool operator==(const register_request&, const register_request&) = default;
};

register_request decode_register_request(reader& r, protocol_version v);
void encode(writer& w, const register_request& m, protocol_version v);

}  // namespace cqlpp::protocol
