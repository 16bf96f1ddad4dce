// Prints the throughput of the v5 payload CRC32 (protocol/crc.hpp), which runs
// over every byte a v5 connection sends or receives. Not a test: timings on a
// shared machine are not pass/fail material.
// Usage: crc_bench [MiB, default 256]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cqlpp/protocol/crc.hpp"

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  // One segment's worth of payload, hashed over and over: the realistic case
  // (payloads are at most 128 KiB) and it stays in L2.
  std::vector<std::byte> buf(131071);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::byte>(i * 131 + 7);
  const std::size_t rounds = mib * 1024 * 1024 / buf.size();
  std::uint32_t sink = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t r = 0; r < rounds; ++r) sink += cqlpp::protocol::segment_crc32(buf);
  const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
  const double mb = static_cast<double>(rounds * buf.size()) / 1e6;
  std::printf("segment_crc32: %.0f MB in %.3f s = %.0f MB/s (checksum %08x)\n", mb, dt.count(),
              mb / dt.count(), sink);
  return 0;
}
