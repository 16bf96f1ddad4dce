#include "cqlpp/transport/message_io.hpp"

namespace cqlpp::transport {

std::error_code make_request(const protocol::request& m, protocol::protocol_version v, request& out,
                             const protocol::envelope_extras& extras) {
  if (out.body.capacity() == 0) out.body = pooled_bytes::reuse();
  out.body.clear();
  // The protocol layer writes a whole frame; the connection writes its own
  // header (stream id, version, compression), so keep flags and body only.
  if (auto ec = protocol::encode_request(out.body, m, 0, v, extras)) return ec;
  out.op = protocol::opcode_of(m);
  out.flags = std::to_integer<std::uint8_t>(out.body[1]);
  out.body.erase(out.body.begin(), out.body.begin() + protocol::frame_header_size);
  return {};
}

protocol::result<protocol::response_envelope> decode(const response& r, protocol::protocol_version v) {
  protocol::frame_view f{r.header, r.body};
  f.header.length = static_cast<std::uint32_t>(r.body.size());
  return protocol::decode_response(f, v);
}

std::error_code decode_into(const response& r, protocol::protocol_version v, protocol::response_envelope& out) {
  protocol::frame_view f{r.header, r.body};
  f.header.length = static_cast<std::uint32_t>(r.body.size());
  if (auto err = protocol::decode_response_into(f, v, out)) return err->code;
  return {};
}

protocol::query_request use_keyspace_query(const std::string& keyspace) {
  protocol::query_request q;
  q.query = "USE \"";
  for (const char c : keyspace) {
    if (c == '"') q.query += '"';
    q.query += c;
  }
  q.query += '"';
  q.params.cl = protocol::consistency::one;
  return q;
}

}  // namespace cqlpp::transport
