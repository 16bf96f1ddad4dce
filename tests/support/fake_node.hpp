// fake_node: a loopback CQL responder built on protocol/, for transport tests.
//
// It answers OPTIONS with SUPPORTED, STARTUP with READY, and any other request
// with RESULT Void, each after `delay` — unless told to misbehave. It runs on
// its own thread and io_context, listens on 127.0.0.1 (an ephemeral port) only,
// and stops in its destructor.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>

namespace cqlpp::test {

enum class misbehaviour {
  none,
  truncate_frame,     // send half a response frame, then close
  wrong_stream_id,    // answer on a different (unused) stream id
  oversized_length,   // a header claiming a 1 GiB body
  garbage,            // random bytes instead of a frame, after the handshake
  stall_mid_frame,    // send a header and part of the body, then go silent
  close_mid_response, // close the socket halfway through a response
  black_hole,         // read requests, never answer (after the handshake)
};

class fake_node {
 public:
  explicit fake_node(misbehaviour m = misbehaviour::none,
                     std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  ~fake_node();
  fake_node(const fake_node&) = delete;
  fake_node& operator=(const fake_node&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::uint64_t requests_seen() const noexcept { return requests_.load(); }
  std::uint64_t connections_accepted() const noexcept { return accepted_.load(); }

  struct session;  // one accepted client

 private:
  void accept();

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  misbehaviour mode_;
  std::chrono::milliseconds delay_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::thread thread_;
};

}  // namespace cqlpp::test
