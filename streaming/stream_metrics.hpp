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

// A snapshot of a stream_registry (session::stream_counters()).
struct stream_counters {
  std::int64_t live_streams = 0;        // streams not yet released
  std::int64_t pages_held = 0;          // pages held by the streams, read or waiting to be
  std::int64_t bytes_held = 0;          // response body bytes of those pages
  std::int64_t fetches_in_flight = 0;   // page requests awaiting their response
  std::uint64_t pages_fetched = 0;      // pages received since the session started
  std::uint64_t abandoned_fetches = 0;  // fetches whose stream went away first
};

class stream_core;

// The counters of one session's streams, and the live streams to end on close.
// Thread-safe: atomics, and a mutex around the stream list.
class stream_registry {
 public:
  // The counters now, each read atomically (not all at one instant).
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
  bool closed() const;  // close_all() has run

  // The counters snapshot() reads, updated by the streams; each means what
  // its stream_counters namesake does. live_streams: streams not yet released.
  std::atomic<std::int64_t> live_streams{0}, pages_held{0}, bytes_held{0}, fetches_in_flight{0};  // page requests out
  // \var pages_held
  // Pages held by the streams.
  // \var bytes_held
  // Response body bytes of the pages held.
  // \var pages_fetched
  // Pages received so far.
  std::atomic<std::uint64_t> pages_fetched{0}, abandoned_fetches{0};  // fetches whose stream went first

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<stream_core>> cores_;
  std::error_code closed_;
};

}  // namespace cqlpp::streaming
