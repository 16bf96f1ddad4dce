#include "cqlpp/protocol/frame.hpp"

#include <doctest/doctest.h>

#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

TEST_CASE("frame header: OPTIONS request encodes as the spec lays it out") {
  frame_header h{4, false, 0, 0, opcode::options, 0};
  CHECK(to_hex(encode_frame_header(h)) == "040000000500000000");
  h = {5, true, frame_flags::tracing | frame_flags::warning, -1, opcode::event, 0x01020304};
  CHECK(to_hex(encode_frame_header(h)) == "850affff0c01020304");
}

TEST_CASE("frame: decode a complete frame as a view into the input") {
  auto in = from_hex("84 00 0007 08 00000004 00000001 ff");
  auto r = decode_frame(in);
  REQUIRE(std::holds_alternative<frame_view>(r));
  auto f = std::get<frame_view>(r);
  CHECK(f.header.version == 4);
  CHECK(f.header.response);
  CHECK(f.header.stream == 7);
  CHECK(f.header.op == opcode::result);
  CHECK(f.body.size() == 4);
  CHECK(f.body.data() == in.data() + 9);  // no copy
  CHECK(f.size() == 13);
}

TEST_CASE("frame: every split point of the input asks for exactly the missing bytes") {
  auto in = from_hex("84 00 0007 08 00000004 00000001");
  for (std::size_t n = 0; n < in.size(); ++n) {
    auto r = decode_frame(bytes_view(in).first(n));
    REQUIRE(std::holds_alternative<need_more>(r));
    const auto want = n < 9 ? 9 - n : in.size() - n;
    CHECK(std::get<need_more>(r).bytes == want);
  }
}

TEST_CASE("frame: hostile headers give precise errors before any body arrives") {
  SUBCASE("oversized length") {
    auto in = from_hex("84 00 0000 08 7fffffff");
    auto r = decode_frame(in, frame_limits{1024});
    REQUIRE(std::holds_alternative<decode_error>(r));
    auto e = std::get<decode_error>(r);
    CHECK(e.code == errc::frame_too_large);
    CHECK(e.offset == 5);
    CHECK(std::string(e.field) == "length");
  }
  SUBCASE("default limit is the protocol's 256 MiB") {
    auto in = from_hex("84 00 0000 08 10000001");
    auto r = decode_frame(in);
    REQUIRE(std::holds_alternative<decode_error>(r));
    CHECK(std::get<decode_error>(r).code == errc::frame_too_large);
  }
  SUBCASE("unknown opcode") {
    auto in = from_hex("84 00 0000 04 00000000");
    auto r = decode_frame(in);
    REQUIRE(std::holds_alternative<decode_error>(r));
    CHECK(std::get<decode_error>(r).code == errc::unknown_opcode);
    CHECK(std::get<decode_error>(r).message() == "unknown opcode at offset 4 (reading 'opcode')");
  }
  SUBCASE("unsupported version") {
    auto in = from_hex("82 00 0000 08 00000000");
    auto r = decode_frame(in);
    REQUIRE(std::holds_alternative<decode_error>(r));
    CHECK(std::get<decode_error>(r).code == errc::unsupported_version);
  }
}
