// request and response: what a connection sends and what it hands back,
// free of sockets and TLS so that result types can hold them.
#pragma once

#include <chrono>
#include <cstdint>

#include "protocol/frame.hpp"
#include "protocol/opcode.hpp"
#include "transport/buffer_cache.hpp"

namespace cqlpp::transport {

struct request {
  protocol::opcode op = protocol::opcode::options;
  std::uint8_t flags = 0;            // tracing / custom payload / beta; compression is ours to set
  pooled_bytes body;                 // recycled when the request dies
  std::chrono::milliseconds timeout{0};  // 0 = the connection's request_timeout
};

struct response {
  protocol::frame_header header;
  pooled_bytes body;                 // decompressed, owned; recycled when it dies
};

}  // namespace cqlpp::transport
