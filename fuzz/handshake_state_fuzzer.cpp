// Fuzz target: handshake_state driven by arbitrary server bytes. The first
// byte picks the version, lz4 and how the "authenticator" answers; the rest
// is read as response frames, each fed to the step that waits for one (an
// undecodable frame is a close). Invariants: the handshake ends within
// max_auth_rounds + 3 messages sent, every message it sends encodes, it sends
// nothing after it is done, and ready comes only after STARTUP was sent.
#include <vector>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/handshake_state.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const auto v = (mode & 1) ? protocol_version::v5 : protocol_version::v4;
  handshake_config cfg;
  cfg.want_lz4 = (mode & 2) != 0;
  cfg.max_auth_rounds = 4;
  handshake_state hs(v, cfg);
  bytes_view in(reinterpret_cast<const std::byte*>(data + 1), size - 1);

  int sent = 0;
  bool startup_sent = false;
  auto step = hs.start();
  for (int guard = 0; guard < 64; ++guard) {
    using kind = handshake_step::kind;
    if (step.what == kind::ready) {
      FUZZ_ASSERT(startup_sent);
      FUZZ_ASSERT(hs.done());
      break;
    }
    if (step.what == kind::refused || step.what == kind::failed) {
      FUZZ_ASSERT(hs.done());
      break;
    }
    if (step.what == kind::authenticate) {
      // Bits 2..3: no token, a null token, or a small one.
      const int how = (mode >> 2) & 3;
      if (how == 0) step = hs.on_token(std::nullopt);
      else if (how == 1) step = hs.on_token(auth_token(std::nullopt));
      else step = hs.on_token(auth_token(std::vector<std::byte>(3, std::byte{0x41})));
      continue;
    }
    FUZZ_ASSERT(step.what == kind::send);
    FUZZ_ASSERT(step.message.has_value());
    FUZZ_ASSERT(!hs.done());
    ++sent;
    FUZZ_ASSERT(sent <= cfg.max_auth_rounds + 3);
    if (std::holds_alternative<startup_request>(*step.message)) startup_sent = true;
    std::vector<std::byte> out;
    FUZZ_ASSERT(!encode_request(out, *step.message, 0, v));
    // The server's answer: the next frame of the input, or a close.
    auto d = decode_frame(in);
    auto* f = std::get_if<frame_view>(&d);
    if (!f) {
      step = hs.on_closed();
      continue;
    }
    in = in.subspan(frame_header_size + f->body.size());
    auto r = decode_response(*f, v);
    step = r ? hs.on_response(r->message) : hs.on_closed();
  }
  FUZZ_ASSERT(hs.done());
  // Done means done: any further call fails out of order.
  FUZZ_ASSERT(hs.on_response(ready_response{}).what == handshake_step::kind::failed);
  return 0;
}
