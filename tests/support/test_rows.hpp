// The rows both in-process servers (fake_node, scripted_pages) answer with:
// (k int, v text), k = row number, v = "row-<k>"; a paging state is the next
// row number as a 4-byte int.
#pragma once

#include <string>
#include <vector>

#include "cqlpp/protocol/result_metadata.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::test {

inline void append_test_rows(std::vector<std::byte>& content, std::int32_t start, std::int32_t end) {
  protocol::writer w(content);
  for (std::int32_t k = start; k < end; ++k) {
    w.i32(4);
    w.i32(k);
    const std::string v = "row-" + std::to_string(k);
    w.i32(static_cast<std::int32_t>(v.size()));
    w.raw(std::string_view(v));
  }
}

inline protocol::rows_metadata test_rows_metadata(const std::string& keyspace = "fake") {
  namespace proto = cqlpp::protocol;
  proto::rows_metadata md;
  md.column_count = 2;
  md.global_table = proto::table_spec{keyspace, "t"};
  md.columns.push_back({keyspace, "t", "k", proto::type_spec::simple(proto::type_kind::int_)});
  md.columns.push_back({keyspace, "t", "v", proto::type_spec::simple(proto::type_kind::varchar)});
  return md;
}

inline std::vector<std::byte> row_paging_state(std::int32_t next) {
  std::vector<std::byte> s;
  protocol::writer(s).i32(next);
  return s;
}

inline std::int32_t row_of_paging_state(const std::vector<std::byte>& s) {
  if (s.size() != 4) return 0;
  return static_cast<std::int32_t>((std::to_integer<std::uint32_t>(s[0]) << 24) |
                                   (std::to_integer<std::uint32_t>(s[1]) << 16) |
                                   (std::to_integer<std::uint32_t>(s[2]) << 8) | std::to_integer<std::uint32_t>(s[3]));
}

}  // namespace cqlpp::test
