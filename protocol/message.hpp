// Whole messages: a frame body decoded into one of the request or response
// types, and a message encoded as a complete frame (header + body).
//
//   decode_response(frame, version) -> result<response_envelope>  (client side)
//   decode_request(frame, version)  -> result<request_envelope>   (test server, fuzzing)
//   encode_request(out, message, stream, version, extras)          appends one frame
//   encode_response(out, message, stream, version, extras)         appends one frame
//
// Bodies must be uncompressed: v4 frame compression is undone by the framing
// layer before this point, and the header's compression flag is not consulted.
// Offsets in decode errors count from the start of the frame (the header is 9
// bytes), so they point into what was on the wire.
//
// Lifetime: a decoded rows_result, and the bound values of decoded QUERY,
// EXECUTE and BATCH requests, borrow the frame's body; keep its buffer alive
// while they are in use. Everything else is owned.
//
// Trailing bytes: a response may carry extra bytes after its last field
// (v4/v5 §4.2: "clients should ... simply discard" them); a request may not.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>
#include <variant>
#include <vector>

#include "cqlpp/protocol/auth.hpp"
#include "cqlpp/protocol/batch.hpp"
#include "cqlpp/protocol/envelope.hpp"
#include "cqlpp/protocol/error_response.hpp"
#include "cqlpp/protocol/event.hpp"
#include "cqlpp/protocol/execute.hpp"
#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/prepare.hpp"
#include "cqlpp/protocol/query.hpp"
#include "cqlpp/protocol/register.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/result_kinds.hpp"
#include "cqlpp/protocol/rows_result.hpp"
#include "cqlpp/protocol/startup.hpp"
#include "cqlpp/protocol/supported.hpp"

namespace cqlpp::protocol {

// Any request message a client sends (§4.1).
using request = std::variant<startup_request, options_request, auth_response_request,
                             register_request, query_request, prepare_request, execute_request,
                             batch_request>;

// The RESULT kinds are flattened into the variant: one visit reaches a row set.
using response = std::variant<error_response, ready_response, authenticate_response,
                              supported_response, void_result, rows_result, set_keyspace_result,
                              prepared_result, schema_change_result, event_response,
                              auth_challenge_response, auth_success_response>;

// A decoded request frame: the message with its stream id and envelope extras.
struct request_envelope {
  std::int16_t stream = 0;  // stream id; the response carries the same one
  envelope_extras extras;   // tracing flag, custom payload
  request message;          // the decoded body
  friend bool operator==(const request_envelope&, const request_envelope&) = default;
};

// A decoded response frame: the message with its stream id and envelope extras.
struct response_envelope {
  std::int16_t stream = 0;  // stream id of the request this answers; -1 for an EVENT
  envelope_extras extras;   // tracing id, warnings, custom payload
  response message;         // the decoded body
  friend bool operator==(const response_envelope&, const response_envelope&) = default;
};

// The header opcode of the message `m` holds.
opcode opcode_of(const request& m) noexcept;
// The header opcode of the message `m` holds (opcode::result for every RESULT kind).
opcode opcode_of(const response& m) noexcept;

// Fails with unexpected_opcode for a request opcode (or, for decode_request,
// a response opcode), and with the precise field error otherwise.
result<response_envelope> decode_response(const frame_view& frame, protocol_version v);
// The same into `out` (its earlier content replaced): no envelope is moved.
// On failure `out` is unspecified and the error is returned.
std::optional<decode_error> decode_response_into(const frame_view& frame, protocol_version v, response_envelope& out);
// Decodes a request frame; trailing bytes after the body fail (trailing_bytes). A response frame, or a version
// byte other than `v`, fails with unsupported_version.
result<request_envelope> decode_request(const frame_view& frame, protocol_version v);

// Body only, without extras (the message as the spec's section lays it out).
result<response> decode_response_body(opcode op, bytes_view body, protocol_version v,
                                      std::size_t base = 0);
// As decode_response_body for a request; bytes left after the body fail (trailing_bytes).
result<request> decode_request_body(opcode op, bytes_view body, protocol_version v,
                                    std::size_t base = 0);

// Append a whole frame to `out`. On error nothing is appended (out keeps its
// size) and the error says why: too_large (a field or the body over its
// limit), not_in_version (a v5-only field in v4), invalid_value (inconsistent
// message, e.g. names without values).
std::error_code encode_request(std::vector<std::byte>& out, const request& m, std::int16_t stream,
                               protocol_version v, const envelope_extras& extras = {});
// The server side of encode_request: the header's response bit is set.
std::error_code encode_response(std::vector<std::byte>& out, const response& m,
                                std::int16_t stream, protocol_version v,
                                const envelope_extras& extras = {});

}  // namespace cqlpp::protocol
