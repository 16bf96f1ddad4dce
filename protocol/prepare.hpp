// PREPARE (v4 §4.1.5: <query>; v5 §4.1.5: <query><flags>[<keyspace>] with
// [int] flags, 0x01 = with keyspace).
#pragma once

#include <optional>
#include <string>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

namespace prepare_flags {
inline constexpr std::uint32_t keyspace = 0x01;
}

struct prepare_request {
  static constexpr opcode op = opcode::prepare;
  std::string query;
  std::optional<std::string> keyspace;  // v5 only
  friend bool operator==(const prepare_request&, const prepare_request&) = default;
};

prepare_request decode_prepare_request(reader& r, protocol_version v);
void encode(writer& w, const prepare_request& m, protocol_version v);

}  // namespace cqlpp::protocol
