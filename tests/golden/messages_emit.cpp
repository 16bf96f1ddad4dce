// Prints cqlpp's encodings for the Python round trip (messages_roundtrip.py):
//   resp <TAB> name <TAB> version <TAB> hex     response frames for the driver to decode
//   req  <TAB> name <TAB> version <TAB> hex     request frames to compare with the driver's encoder
// Request names are read from messages.golden (argv[1]).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "messages_response_cases.hpp"

using namespace cqlpp::protocol;

static std::string hex(const std::vector<std::byte>& b) {
  static constexpr char d[] = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s += d[std::to_integer<unsigned>(x) >> 4];
    s += d[std::to_integer<unsigned>(x) & 15];
  }
  return s;
}

int main(int argc, char** argv) {
  int failures = 0;
  for (auto v : {protocol_version::v4, protocol_version::v5}) {
    for (const auto& c : cqlpp::golden::response_cases(v)) {
      std::vector<std::byte> out;
      if (encode_response(out, c.message, c.stream, v, c.extras)) {
        std::fprintf(stderr, "cannot encode %s\n", c.name.c_str());
        ++failures;
        continue;
      }
      std::printf("resp\t%s\t%d\t%s\n", c.name.c_str(), static_cast<int>(v), hex(out).c_str());
    }
  }
  if (argc > 1) {
    std::ifstream f(argv[1]);
    std::string line;
    while (std::getline(f, line)) {
      std::istringstream ss(line);
      std::string name, ver, stream;
      std::getline(ss, name, '\t');
      std::getline(ss, ver, '\t');
      std::getline(ss, stream, '\t');
      const auto v = static_cast<protocol_version>(std::stoi(ver));
      const auto c = cqlpp::golden::make_request_case(name, v);
      std::vector<std::byte> out;
      if (!c || encode_request(out, c->message, static_cast<std::int16_t>(std::stoi(stream)), v, c->extras)) {
        std::fprintf(stderr, "cannot encode %s\n", name.c_str());
        ++failures;
        continue;
      }
      std::printf("req\t%s\t%s\t%s\t%s\n", name.c_str(), ver.c_str(), stream.c_str(), hex(out).c_str());
    }
  }
  return failures ? 1 : 0;
}
