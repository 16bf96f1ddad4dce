// REGISTER (v4/v5 §4.1.8): a [string list] of event types to receive
// ("TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"). Answered by READY.
#pragma once

#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// A REGISTER request: subscribes this connection to server-pushed EVENTs (event.hpp).
struct register_request {
  static constexpr opcode op = opcode::register_;  // opcode 0x0B
  std::vector<std::string> event_types;           // e.g. "SCHEMA_CHANGE"; not checked against the known types
  friend bool operator==(const register_request&, const register_request&) = default;
};

// Decodes a REGISTER body (same in v4 and v5). Check r.ok() afterwards.
register_request decode_register_request(reader& r, protocol_version v);
// Writes a REGISTER body: `event_types` as a [string list].
void encode(writer& w, const register_request& m, protocol_version v);

}  // namespace cqlpp::protocol
