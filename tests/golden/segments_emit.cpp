// Prints cqlpp's encodings of the segments.golden inputs, one line per case:
//   name<TAB>kind<TAB>hex
// segments_roundtrip.py has the Python driver decode them.
// Usage: segments_emit GOLDEN_FILE
#include <cstdio>

#include "cqlpp/protocol/compression.hpp"
#include "cqlpp/protocol/segment_encoder.hpp"
#include "segments_cases.hpp"

using namespace cqlpp::protocol;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s GOLDEN_FILE\n", argv[0]);
    return 2;
  }
  for (const auto& c : cqlpp::test::segments::load(argv[1])) {
    std::vector<std::byte> out;
    if (c.kind == "body_lz4") {
      if (compress_body(c.inputs.at(0), out)) return 1;
    } else {
      std::vector<bytes_view> views(c.inputs.begin(), c.inputs.end());
      out = encode_segments(views, c.kind == "seg_lz4" ? segment_compression::lz4
                                                       : segment_compression::none);
    }
    std::printf("%s\t%s\t", c.name.c_str(), c.kind.c_str());
    for (auto b : out) std::printf("%02x", std::to_integer<unsigned>(b));
    std::printf("\n");
  }
  return 0;
}
