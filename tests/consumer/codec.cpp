// The codec alone, as a fuzzer or proxy author uses it (pkg-config
// cqlpp-protocol: liblz4 and the standard library; no Asio, no OpenSSL):
// encode a QUERY frame, decode it back, and decode a server's READY.
#include <cqlpp/protocol.hpp>

#include <cstdio>
#include <variant>
#include <vector>

namespace p = cqlpp::protocol;

int main() {
  p::query_request q;
  q.query = "SELECT release_version FROM system.local";
  q.params.cl = p::consistency::quorum;
  std::vector<std::byte> wire;
  if (auto ec = p::encode_request(wire, q, 7, p::protocol_version::v4)) {
    std::fprintf(stderr, "encode: %s\n", ec.message().c_str());
    return 1;
  }
  auto f = p::decode_frame(wire);
  const auto* frame = std::get_if<p::frame_view>(&f);
  if (frame == nullptr) return 1;
  auto back = p::decode_request(*frame, p::protocol_version::v4);
  if (!back) {
    std::fprintf(stderr, "decode: %s\n", back.error().message().c_str());
    return 1;
  }
  const auto* got = std::get_if<p::query_request>(&back->message);
  const bool same = got != nullptr && *got == q && back->stream == 7;
  std::printf("QUERY frame, %zu bytes, stream %d: %s\n", wire.size(), back->stream, same ? "round trip ok" : "DIFFERS");

  // READY from a server: version 0x84, flags 0, stream 7, opcode 0x02, no body.
  const std::byte ready[] = {std::byte{0x84}, std::byte{0}, std::byte{0}, std::byte{7}, std::byte{0x02},
                             std::byte{0},    std::byte{0}, std::byte{0}, std::byte{0}};
  auto rf = p::decode_frame(ready);
  const auto* rframe = std::get_if<p::frame_view>(&rf);
  auto resp = rframe ? p::decode_response(*rframe, p::protocol_version::v4)
                     : p::result<p::response_envelope>(p::decode_error{});
  const bool is_ready = resp && std::holds_alternative<p::ready_response>(resp->message);
  std::printf("READY frame: %s\n", is_ready ? "decoded" : "NOT DECODED");
  return same && is_ready ? 0 : 1;
}
