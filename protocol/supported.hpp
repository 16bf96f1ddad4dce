// SUPPORTED (v4/v5 §4.2.4): a [string multimap] of STARTUP options and their
// supported values ("CQL_VERSION", "COMPRESSION", "PROTOCOL_VERSIONS", ...).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// SUPPORTED: the server's answer to OPTIONS.
struct supported_response {
  static constexpr opcode op = opcode::supported;  // frame header opcode (0x06)
  std::map<std::string, std::vector<std::string>> options;  // option name -> values the server accepts
  friend bool operator==(const supported_response&, const supported_response&) = default;
};

// Decodes a SUPPORTED body (its [string multimap]). Check r.ok() afterwards.
supported_response decode_supported_response(reader& r, protocol_version v);
// Writes a SUPPORTED body: the options as [string multimap].
void encode(writer& w, const supported_response& m, protocol_version v);

}  // namespace cqlpp::protocol
