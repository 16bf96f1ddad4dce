// Golden requests: frames the Python driver encoded (tests/golden/messages.golden)
// must equal cqlpp's encoding byte for byte, and decode back to the same message.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "../golden/messages_cases.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

struct golden_line {
  std::string name;
  int version = 0;
  int stream = 0;
  std::string hex;
};

std::vector<golden_line> read_golden() {
  std::ifstream f(std::string(CQLPP_GOLDEN_DIR) + "/messages.golden");
  std::vector<golden_line> out;
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream ss(line);
    golden_line g;
    std::string v, s;
    std::getline(ss, g.name, '\t');
    std::getline(ss, v, '\t');
    std::getline(ss, s, '\t');
    std::getline(ss, g.hex, '\t');
    g.version = std::stoi(v);
    g.stream = std::stoi(s);
    out.push_back(g);
  }
  return out;
}

}  // namespace

TEST_CASE("messages golden: requests match the Python driver byte for byte") {
  const auto lines = read_golden();
  REQUIRE(lines.size() >= 200);
  int matched = 0;
  for (const auto& g : lines) {
    CAPTURE(g.name);
    CAPTURE(g.version);
    const auto v = static_cast<protocol_version>(g.version);
    const auto c = cqlpp::golden::make_request_case(g.name, v);
    REQUIRE(c.has_value());
    std::vector<std::byte> out{std::byte{0x55}};  // encoders append
    const auto ec = encode_request(out, c->message, static_cast<std::int16_t>(g.stream), v, c->extras);
    REQUIRE(!ec);
    CHECK(to_hex(bytes_view(out).subspan(1)) == g.hex);

    const auto bytes = from_hex(g.hex);
    const auto fr = decode_frame(bytes);
    REQUIRE(std::holds_alternative<frame_view>(fr));
    const auto d = decode_request(std::get<frame_view>(fr), v);
    REQUIRE_MESSAGE(d.has_value(), d.error().message());
    CHECK(d->stream == g.stream);
    CHECK(d->extras == c->extras);
    CHECK(d->message == c->message);
    if (to_hex(bytes_view(out).subspan(1)) == g.hex && d->message == c->message) ++matched;

    // Every truncation of the body is a clean error, never a crash.
    const auto& f = std::get<frame_view>(fr);
    for (std::size_t n = 0; n < f.body.size(); ++n) {
      frame_view cut = f;
      cut.body = f.body.first(n);
      cut.header.length = static_cast<std::uint32_t>(n);
      const auto t = decode_request(cut, v);
      CHECK(!t.has_value());
    }
  }
  MESSAGE("golden request cases matched: " << matched << " of " << lines.size());
}
