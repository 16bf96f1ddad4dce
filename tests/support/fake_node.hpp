// fake_node: a loopback CQL responder built on protocol/, for in-process tests
// of transport/, streaming/ and session/.
//
// It answers OPTIONS with SUPPORTED and STARTUP with READY, in v4 and (with
// max_version 5) in v5, switching to v5 segments after READY as a real node
// does. QUERY and EXECUTE follow a small script language in the query text
// (a PREPAREd statement's id is its text, so EXECUTE runs the same script):
//
//   ROWS n [FAIL_AT r]  n rows (k int, v text) with k = 0..n-1, v = "row-<k>",
//                       paged by the request's page size (paging state: the
//                       next row as a 4-byte int); a page that would start at
//                       or after row r answers ERROR Invalid instead
//   ERROR code text     an ERROR with that code (decimal or 0x hex) and message
//   SLEEP ms rest       answers `rest` after ms milliseconds
//   HANG                never answers
//   anything else       RESULT Void
// BATCH answers RESULT Void. After forget_prepared(), an EXECUTE or a BATCH
// naming an id not PREPAREd since answers UNPREPARED with that id, as a
// restarted node does.
//
// PREPARE answers with one int bind marker per '?' and, for ROWS, the rows'
// result metadata; EXECUTE with skip_metadata gets rows without metadata.
// Every answer waits `delay` first, unless told to misbehave (v4 only).
// It runs on its own thread and io_context, listens on 127.0.0.1 (an ephemeral
// port) only, and stops in its destructor.
#pragma once

#include <asio.hpp>

#include "cqlpp/protocol/frame.hpp"
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

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
  close_after_ready,  // answer STARTUP with READY, then close at once
};

struct fake_node_options {
  misbehaviour mode = misbehaviour::none;
  std::chrono::milliseconds delay{0};
  std::uint8_t max_version = 4;  // 5: also speaks v5 (segments after READY)
};

class fake_node {
 public:
  explicit fake_node(misbehaviour m = misbehaviour::none,
                     std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  explicit fake_node(fake_node_options o);
  ~fake_node();
  fake_node(const fake_node&) = delete;
  fake_node& operator=(const fake_node&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::uint64_t requests_seen() const noexcept { return requests_.load(); }
  // QUERY and EXECUTE requests only (no handshake, heartbeats or PREPARE).
  std::uint64_t statements_seen() const noexcept { return statements_.load(); }
  std::uint64_t connections_accepted() const noexcept { return accepted_.load(); }
  std::uint64_t prepares_seen() const noexcept { return prepares_.load(); }

  // The last QUERY, EXECUTE or BATCH frame as it arrived (plain frame bytes,
  // also in v5), to decode and check what the client encoded.
  struct seen_frame {
    std::uint8_t version = 0;
    std::vector<std::byte> bytes;
  };
  std::optional<seen_frame> last_statement() const;
  // The node forgets every prepared id (its cache is gone, as after a restart).
  void forget_prepared();

  // Closes every accepted connection (the node "restarts"); it keeps listening.
  void drop_connections();
  // Stops listening and closes every connection: the node is gone.
  void stop_listening();

  struct session;  // one accepted client

 private:
  void accept();
  void record(const protocol::frame_view& f);
  void prepared(const std::string& id);
  bool forgotten(const std::vector<std::byte>& id) const;

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  fake_node_options opts_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> statements_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> prepares_{0};
  mutable std::mutex seen_mu_;  // the test thread reads what the node's thread records
  std::optional<seen_frame> last_;
  bool forgot_ = false;
  std::set<std::string> prepared_since_;  // ids PREPAREd after forget_prepared()
  std::vector<std::weak_ptr<session>> sessions_;  // on the node's thread
  std::thread thread_;
};

}  // namespace cqlpp::test
