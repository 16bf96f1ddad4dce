// Optional fields at the front of a message body, announced by header flags
// (v4 §2.2, v5 §4): [<tracing_id>][<warnings>][<custom_payload>]<message>.
//
//   0x02 tracing: on a request the flag alone asks for tracing; on a response
//        the body starts with the tracing session [uuid].
//   0x08 warning: responses only, a [string list].
//   0x04 custom payload: a [bytes map], either direction.
//
// The order above is the spec's; the Python driver reads responses in the same
// order and, since requests carry no tracing id or warnings, its encoder writing
// the custom payload "first" agrees with it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// A custom payload ([bytes map]): opaque values by name, for server-side plugins such as a QueryHandler.
using custom_payload = wire_map<std::vector<std::byte>>;

// The optional fields of one message and the flags that announce them; all absent by default.
struct envelope_extras {
  bool tracing = false;        // flag 0x02
  uuid tracing_id;             // responses with `tracing` only
  std::optional<std::vector<std::string>> warnings;  // flag 0x08 (responses)
  std::optional<custom_payload> payload;             // flag 0x04
  bool use_beta = false;       // flag 0x10 (v5)
  friend bool operator==(const envelope_extras&, const envelope_extras&) = default;
};

// Reads the extras that `flags` announce. `response` selects whether the
// tracing flag carries an id. Errors are left in `r`.
envelope_extras decode_envelope_extras(reader& r, std::uint8_t flags, bool response);

// Writes the extras into the body and returns the header flags they need.
// Warnings on a request are not representable and fail with invalid_value.
std::uint8_t encode_envelope_extras(writer& w, const envelope_extras& e, bool response);

}  // namespace cqlpp::protocol
