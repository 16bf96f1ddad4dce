#include "cqlpp/protocol/opcode.hpp"

namespace cqlpp::protocol {

bool is_known_opcode(std::uint8_t v) noexcept { return v <= 0x10 && v != 0x04; }

bool is_request_opcode(opcode op) noexcept {
  switch (op) {
    case opcode::startup:
    case opcode::options:
    case opcode::query:
    case opcode::prepare:
    case opcode::execute:
    case opcode::register_:
    case opcode::batch:
    case opcode::auth_response:
      return true;
    default:
      return false;
  }
}

std::string_view to_string(opcode op) noexcept {
  switch (op) {
    case opcode::error: return "ERROR";
    case opcode::startup: return "STARTUP";
    case opcode::ready: return "READY";
    case opcode::authenticate: return "AUTHENTICATE";
    case opcode::options: return "OPTIONS";
    case opcode::supported: return "SUPPORTED";
    case opcode::query: return "QUERY";
    case opcode::result: return "RESULT";
    case opcode::prepare: return "PREPARE";
    case opcode::execute: return "EXECUTE";
    case opcode::register_: return "REGISTER";
    case opcode::event: return "EVENT";
    case opcode::batch: return "BATCH";
    case opcode::auth_challenge: return "AUTH_CHALLENGE";
    case opcode::auth_response: return "AUTH_RESPONSE";
    case opcode::auth_success: return "AUTH_SUCCESS";
  }
  return "UNKNOWN";
}

}  // namespace cqlpp::protocol
