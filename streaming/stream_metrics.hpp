// Counters over every stream of a session: what is alive and what it holds.
// Page counters are maintained by RAII (a page adds itself when made and
// subtracts itself when freed), so they cannot drift.
//
// When they settle: counts change on each stream's strand. A destroyed
// stream's release runs there just after its destructor returns, so a
// snapshot taken at once may still count it; result_stream::async_release
// completes after the release has run. A stream read to its end already
// holds no page; only the stream itself counts until it is released.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace cqlpp::streaming {

struct stream_counters {
  std::int64_t live_streams = 0;
  std::int64_t pages_held = 0;
  std::int64_t bytes_held = 0;
  std::int64_t fetches_in_flight = 0;
  std::uint64_t pages_fetched = 0;
  std::uint64_t abandoned_fetches = 0;  // fetches whose stream went away first
};

class stream_core;

class stream_registry {
 public:
  stream_counters snapshot() const {
    stream_counters c;
    c.live_streams = live_streams.load();
    c.pages_held = pages_held.load();
    c.bytes_held = bytes_held.load();
    c.fetches_in_flight = fetches_in_flight.load();
    c.pages_fetched = pages_fetched.load();
    c.abandoned_fetches = abandoned_fetches.load();
    return c;
  }

  // Live cores, so that session shutdown can end each one (weak: the
  // registry never keeps a stream alive).
  void add(const std::shared_ptr<stream_core>& c);
  // Ends every live stream with `ec`; later add() calls end theirs at once.
  void close_all(std::error_code ec);
  bool closed() const;

  std::atomic<std::int64_t> live_streams{0}, pages_held{0}, bytes_held{0}, fetches_in_flight{0};
  std::atomic<std::uint64_t> pages_fetched{0}, abandoned_fetches{0};

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<stream_core>> cores_;
  std::error_code closed_;
};

}  // namespace cqlpp::streaming
