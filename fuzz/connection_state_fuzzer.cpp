// Fuzz target: connection_state driven by arbitrary server bytes while
// requests are in flight, with submits, abandons and time moving between the
// reads. Invariants: every request completes exactly once (response, timeout
// or failure) unless abandoned first, never after being abandoned; ids in use
// + orphaned + free = capacity; after fail(), nothing is in flight.
#include <vector>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/connection_state.hpp"

using namespace cqlpp::protocol;

namespace {

enum class fate : std::uint8_t { in_flight, completed, abandoned };

struct sink final : completion_sink {
  std::vector<fate>* fates;
  void done(std::uint64_t tag) {
    FUZZ_ASSERT(tag < fates->size());
    FUZZ_ASSERT((*fates)[tag] == fate::in_flight);
    (*fates)[tag] = fate::completed;
  }
  void on_response(std::uint64_t tag, const frame_header&, bytes_view) override { done(tag); }
  void on_failure(std::uint64_t tag, std::error_code) override { done(tag); }
};

}  // namespace

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  connection_state_options o;
  o.max_stream_ids = 8;  // small: ids are reused and exhausted often
  o.max_frame_body = 1 << 16;
  o.heartbeat_interval = std::chrono::milliseconds(100);
  o.heartbeat_timeout = std::chrono::milliseconds(50);
  steady_time now{};
  connection_state c(o, now);
  std::vector<fate> fates;
  std::vector<request_handle> handles;
  sink s;
  s.fates = &fates;
  std::vector<std::byte> pending, out;
  std::size_t i = 0;
  auto next = [&]() -> std::uint8_t { return i < size ? data[i++] : 0; };
  while (i < size) {
    const std::uint8_t op = next();
    switch (op % 8) {
      case 0: {  // submit, deadline 0..255 ms away
        request_handle h;
        const std::uint64_t tag = fates.size();
        const auto deadline = now + std::chrono::milliseconds(next());
        if (!c.submit(opcode::query, 0, {}, tag, deadline, h)) {
          fates.push_back(fate::in_flight);
          handles.push_back(h);
        }
        break;
      }
      case 1:  // abandon one
        if (!handles.empty()) {
          const std::size_t k = next() % handles.size();
          const bool in_flight = fates[k] == fate::in_flight;
          const bool ok = c.abandon(handles[k]);
          FUZZ_ASSERT(!ok || in_flight);
          if (ok) fates[k] = fate::abandoned;
        }
        break;
      case 2:  // time passes
        now += std::chrono::milliseconds(next());
        c.tick(now, s);
        break;
      case 3: c.enable_heartbeats(now); break;
      case 4: c.take_output(out); break;
      case 5:
        if (c.version() != 5 && !c.failed()) {
          c.set_version(5);
          c.enable_segments(op & 0x80 ? segment_compression::lz4 : segment_compression::none);
        }
        break;
      default: {  // server bytes: a chunk of the input, joined to what was left
        const std::size_t n = std::min<std::size_t>(next(), size - i);
        pending.insert(pending.end(), reinterpret_cast<const std::byte*>(data + i),
                       reinterpret_cast<const std::byte*>(data + i + n));
        i += n;
        const std::size_t used = c.receive(pending, now, s);
        FUZZ_ASSERT(used <= pending.size());
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
        break;
      }
    }
    const auto st = c.stats();
    FUZZ_ASSERT(st.ids_in_use >= 0 && st.orphaned_ids >= 0 && st.ids_in_use + st.orphaned_ids <= o.max_stream_ids);
  }
  c.fail(connection_errc::closed, s);
  for (const auto f : fates) FUZZ_ASSERT(f != fate::in_flight);
  FUZZ_ASSERT(c.stats().ids_in_use == 0 && c.stats().orphaned_ids == 0);
  return 0;
}
