// request and response: what a connection sends and what it hands back,
// free of sockets and TLS so that result types can hold them.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/transport/buffer_cache.hpp"

namespace cqlpp::transport {

// One request to send: opcode, flags and encoded body (the frame header is
// the connection's to write).
struct request {
  protocol::opcode op = protocol::opcode::options;  // the message's opcode; default OPTIONS
  std::uint8_t flags = 0;            // tracing / custom payload / beta; compression is ours to set
  pooled_bytes body;                 // recycled when the request dies
  std::chrono::milliseconds timeout{0};  // 0 = the connection's request_timeout
  // Instead of `body` when not empty: bytes lent by the request's handler,
  // which keeps them alive until it is completed. They are read once, when
  // the request is written, which happens before its completion or never.
  // The session's executor lends each attempt its one encoded body this way.
  std::span<const std::byte> lent_body;
  // The body to send: lent_body when not empty, else body.
  std::span<const std::byte> bytes() const noexcept {
    return lent_body.empty() ? std::span<const std::byte>(body) : lent_body;
  }
};

// One response (or EVENT) frame as received.
struct response {
  protocol::frame_header header;     // as received; the compression flag cleared once inflated
  pooled_bytes body;                 // decompressed, owned; recycled when it dies
};

}  // namespace cqlpp::transport
