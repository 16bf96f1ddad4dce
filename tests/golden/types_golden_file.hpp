// Reads tests/golden/types.golden (written by types_gen.py): one case per
// line, tab-separated: name, protocol version, form, marshal type, hex, display.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cqlpp::test {

struct types_golden_case {
  std::string name;
  int protocol_version = 4;
  std::string form;  // "cell" (serialized bytes) or "value" ([value] with length)
  std::string marshal_type;
  std::string hex;
  std::string display;
};

inline std::vector<types_golden_case> read_types_golden(const std::string& path) {
  std::vector<types_golden_case> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() == 5) cols.emplace_back();  // display never empty, hex may be
    if (cols.size() != 6) continue;
    out.push_back({cols[0], std::stoi(cols[1]), cols[2], cols[3], cols[4], cols[5]});
  }
  return out;
}

}  // namespace cqlpp::test
