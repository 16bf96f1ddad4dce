#include "cqlpp/protocol/message.hpp"

#include <cstring>

namespace cqlpp::protocol {
namespace {

template <class Variant>
opcode opcode_of_variant(const Variant& m) noexcept {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::op; }, m);
}

response read_result(reader& r, protocol_version v) {
  const std::int32_t kind = r.i32("result kind");
  switch (kind) {
    case result_kind::void_: return void_result{};
    case result_kind::rows: return decode_rows_result(r, v);
    case result_kind::set_keyspace: return decode_set_keyspace_result(r, v);
    case result_kind::prepared: return decode_prepared_result(r, v);
    case result_kind::schema_change: return decode_schema_change_result(r, v);
    default:
      r.fail(errc::invalid_value, "result kind");
      return void_result{};
  }
}

response read_response(reader& r, opcode op, protocol_version v) {
  switch (op) {
    case opcode::error: return decode_error_response(r, v);
    case opcode::ready: return ready_response{};
    case opcode::authenticate: return decode_authenticate_response(r, v);
    case opcode::supported: return decode_supported_response(r, v);
    case opcode::result: return read_result(r, v);
    case opcode::event: return decode_event_response(r, v);
    case opcode::auth_challenge: return auth_challenge_response{decode_auth_token(r)};
    case opcode::auth_success: return auth_success_response{decode_auth_token(r)};
    default:
      r.fail(errc::unexpected_opcode, "opcode");
      return ready_response{};
  }
}

request read_request(reader& r, opcode op, protocol_version v) {
  switch (op) {
    case opcode::startup: return decode_startup_request(r, v);
    case opcode::options: return options_request{};
    case opcode::auth_response: return auth_response_request{decode_auth_token(r)};
    case opcode::register_: return decode_register_request(r, v);
    case opcode::query: return decode_query_request(r, v);
    case opcode::prepare: return decode_prepare_request(r, v);
    case opcode::execute: return decode_execute_request(r, v);
    case opcode::batch: return decode_batch_request(r, v);
    default:
      r.fail(errc::unexpected_opcode, "opcode");
      return options_request{};
  }
}

// The version byte must match the version the caller negotiated.
bool version_matches(const frame_header& h, protocol_version v) {
  return h.version == static_cast<std::uint8_t>(v);
}

template <class Message>
std::error_code encode_frame(std::vector<std::byte>& out, const Message& m, std::int16_t stream,
                             protocol_version v, const envelope_extras& extras, bool response) {
  const std::size_t start = out.size();
  out.resize(start + frame_header_size);
  writer w(out);
  const std::uint8_t flags = encode_envelope_extras(w, extras, response);
  std::visit([&](const auto& x) { encode(w, x, v); }, m);
  std::error_code ec = w.error();
  const std::size_t body = out.size() - start - frame_header_size;
  if (!ec && body > max_frame_body) ec = make_error_code(errc::too_large);
  if (ec) {
    out.resize(start);
    return ec;
  }
  frame_header h;
  h.version = static_cast<std::uint8_t>(v);
  h.response = response;
  h.flags = flags;
  h.stream = stream;
  h.op = opcode_of_variant(m);
  h.length = static_cast<std::uint32_t>(body);
  const auto hdr = encode_frame_header(h);
  std::memcpy(out.data() + start, hdr.data(), hdr.size());
  return {};
}

}  // namespace

opcode opcode_of(const request& m) noexcept { return opcode_of_variant(m); }
opcode opcode_of(const response& m) noexcept { return opcode_of_variant(m); }

result<response> decode_response_body(opcode op, bytes_view body, protocol_version v,
                                      std::size_t base) {
  reader r(body, base);
  auto m = read_response(r, op, v);
  if (!r.ok()) return r.error();
  return m;
}

result<request> decode_request_body(opcode op, bytes_view body, protocol_version v,
                                    std::size_t base) {
  reader r(body, base);
  auto m = read_request(r, op, v);
  r.expect_end("request body");
  if (!r.ok()) return r.error();
  return m;
}

std::optional<decode_error> decode_response_into(const frame_view& frame, protocol_version v, response_envelope& e) {
  if (!frame.header.response || !version_matches(frame.header, v))
    return decode_error{make_error_code(errc::unsupported_version), 0, "version"};
  reader r(frame.body, frame_header_size);
  e.stream = frame.header.stream;
  e.extras = decode_envelope_extras(r, frame.header.flags, true);
  if (!r.ok()) return r.error();
  e.message = read_response(r, frame.header.op, v);
  if (!r.ok()) return r.error();
  return std::nullopt;
}

result<response_envelope> decode_response(const frame_view& frame, protocol_version v) {
  response_envelope e;
  if (auto err = decode_response_into(frame, v, e)) return *err;
  return e;
}

result<request_envelope> decode_request(const frame_view& frame, protocol_version v) {
  if (frame.header.response || !version_matches(frame.header, v))
    return decode_error{make_error_code(errc::unsupported_version), 0, "version"};
  reader r(frame.body, frame_header_size);
  request_envelope e;
  e.stream = frame.header.stream;
  e.extras = decode_envelope_extras(r, frame.header.flags, false);
  if (!r.ok()) return r.error();
  auto m = read_request(r, frame.header.op, v);
  r.expect_end("request body");
  if (!r.ok()) return r.error();
  e.message = std::move(m);
  return e;
}

std::error_code encode_request(std::vector<std::byte>& out, const request& m, std::int16_t stream,
                               protocol_version v, const envelope_extras& extras) {
  return encode_frame(out, m, stream, v, extras, false);
}

std::error_code encode_response(std::vector<std::byte>& out, const response& m,
                                std::int16_t stream, protocol_version v,
                                const envelope_extras& extras) {
  return encode_frame(out, m, stream, v, extras, true);
}

}  // namespace cqlpp::protocol
