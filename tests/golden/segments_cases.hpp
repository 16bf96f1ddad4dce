// Reads tests/golden/segments.golden (format: see segments_gen.py) and expands
// its byte specs exactly as the generator does. Shared by
// tests/protocol/segments_golden_test.cpp and tests/golden/segments_emit.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cqlpp::test::segments {

using bytes = std::vector<std::byte>;

struct golden_case {
  std::string name;
  int version = 0;
  std::string kind;               // seg_none, seg_lz4, body_lz4
  std::vector<bytes> inputs;      // one per envelope (body_lz4: one body)
  bytes expected;                 // the driver's bytes
};

inline bytes hex_bytes(std::string_view hex) {
  bytes out;
  out.reserve(hex.size() / 2);
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::byte>(nib(hex[i]) * 16 + nib(hex[i + 1])));
  return out;
}

// "text" or "rand<seed>" (xorshift32), as in segments_gen.py.
inline bytes pattern(std::string_view name, std::size_t n) {
  bytes out(n);
  if (name == "text") {
    static constexpr std::string_view text = "the quick brown fox jumps over the lazy dog; ";
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>(text[i % text.size()]);
    return out;
  }
  std::uint32_t x = static_cast<std::uint32_t>(std::stoul(std::string(name.substr(4))));
  if (x == 0) x = 1;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::byte>(x & 0xFF);
  }
  return out;
}

inline bytes expand(std::string_view spec) {
  const auto colon = spec.find(':');
  const auto kind = spec.substr(0, colon);
  const auto rest = spec.substr(colon + 1);
  if (kind == "hex") return hex_bytes(rest);
  const auto c2 = rest.find(':');
  const auto n = static_cast<std::size_t>(std::stoul(std::string(rest.substr(c2 + 1))));
  bytes body = pattern(rest.substr(0, c2), n);
  if (kind == "gen") return body;
  // env: a v5 RESULT response envelope, stream 1.
  bytes env = {std::byte{0x85}, std::byte{0}, std::byte{0}, std::byte{1}, std::byte{0x08},
               static_cast<std::byte>(n >> 24), static_cast<std::byte>(n >> 16),
               static_cast<std::byte>(n >> 8), static_cast<std::byte>(n)};
  env.insert(env.end(), body.begin(), body.end());
  return env;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

inline std::vector<golden_case> load(const std::string& path) {
  std::vector<golden_case> cases;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto cols = split(line, '\t');
    if (cols.size() != 5) continue;
    golden_case c;
    c.name = cols[0];
    c.version = std::stoi(cols[1]);
    c.kind = cols[2];
    bytes source;
    for (const auto& spec : split(cols[3], ',')) {
      c.inputs.push_back(expand(spec));
      source.insert(source.end(), c.inputs.back().begin(), c.inputs.back().end());
    }
    std::istringstream tokens(cols[4]);
    std::string t;
    while (tokens >> t) {
      if (t[0] == '@') {
        const auto plus = t.find('+');
        const auto off = std::stoul(t.substr(1, plus - 1));
        const auto len = std::stoul(t.substr(plus + 1));
        c.expected.insert(c.expected.end(), source.begin() + static_cast<std::ptrdiff_t>(off),
                          source.begin() + static_cast<std::ptrdiff_t>(off + len));
      } else {
        const auto b = hex_bytes(t);
        c.expected.insert(c.expected.end(), b.begin(), b.end());
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace cqlpp::test::segments
