// Connection set-up messages: STARTUP (v4/v5 §4.1.1), OPTIONS (§4.1.3) and
// READY (§4.2.2).
#pragma once

#include <map>
#include <string>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// STARTUP: a [string map] of options ("CQL_VERSION" is mandatory for the
// server, "COMPRESSION", "DRIVER_NAME", "DRIVER_VERSION", "THROW_ON_OVERLOAD").
struct startup_request {
  static constexpr opcode op = opcode::startup;  // frame header opcode (0x01)
  wire_map<std::string> options;  // option name -> value, in the order sent
  friend bool operator==(const startup_request&, const startup_request&) = default;
};
// Decodes a STARTUP body (its [string map]). Check r.ok() afterwards.
startup_request decode_startup_request(reader& r, protocol_version v);
// Writes a STARTUP body: the options as [string map].
void encode(writer& w, const startup_request& m, protocol_version v);

// OPTIONS: empty body.
struct options_request {
  static constexpr opcode op = opcode::options;  // frame header opcode (0x05)
  friend bool operator==(const options_request&, const options_request&) = default;
};
// Writes nothing: OPTIONS has no body.
inline void encode(writer&, const options_request&, protocol_version) {}

// READY: empty body.
struct ready_response {
  static constexpr opcode op = opcode::ready;  // frame header opcode (0x02)
  friend bool operator==(const ready_response&, const ready_response&) = default;
};
// Writes nothing: READY has no body.
inline void encode(writer&, const ready_response&, protocol_version) {}

}  // namespace cqlpp::protocol
