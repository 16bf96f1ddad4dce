// Rows results built in memory, as a server sends them: encoded into a
// RESULT body, then decoded from those bytes, so a reader under test sees
// exactly what it would get off the wire, including bad cells that
// encode_value refuses to write (raw_cell).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cqlpp/protocol/rows_result.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::test {

using protocol::cql_value;
using protocol::type_kind;
using protocol::type_spec;

inline const type_spec text_t = type_spec::simple(type_kind::varchar);
inline const type_spec uuid_t = type_spec::simple(type_kind::uuid);
inline const type_spec inet_t = type_spec::simple(type_kind::inet);
inline const type_spec int_t = type_spec::simple(type_kind::int_);
inline const type_spec tokens_t = type_spec::set_of(text_t);

struct raw_cell {
  std::vector<std::byte> bytes;  // written as a [bytes] as is, whatever the column's type
};

struct cell {
  template <class T>
    requires std::is_constructible_v<cql_value, T&&>
  cell(T&& v) : value(std::forward<T>(v)) {}  // NOLINT
  cell(raw_cell r) : raw(std::move(r.bytes)) {}  // NOLINT
  cql_value value;
  std::optional<std::vector<std::byte>> raw;
};

inline const cell null = cql_value(protocol::null_value{});

struct column {
  std::string name;
  type_spec type;
};

// A Rows result of `cols` with the rows given, as it arrives from a server.
class table {
 public:
  explicit table(std::vector<column> cols) : cols_(std::move(cols)) {}

  table& row(std::vector<cell> cells) {
    REQUIRE(cells.size() == cols_.size());
    rows_.push_back(std::move(cells));
    return *this;
  }
  table& without_metadata() {
    no_metadata_ = true;
    return *this;
  }

  // Valid until the next call or the table's end.
  const protocol::rows_result& result() {
    protocol::rows_metadata md;
    md.column_count = static_cast<std::int32_t>(cols_.size());
    md.no_metadata = no_metadata_;
    if (!no_metadata_) {
      md.global_table = protocol::table_spec{"system", "t"};
      for (const auto& c : cols_) md.columns.push_back({"system", "t", c.name, c.type});
    }
    std::vector<std::byte> content;
    protocol::writer cw(content);
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (r[i].raw) cw.bytes(*r[i].raw);
        else REQUIRE_FALSE(protocol::encode_value(cw, r[i].value, cols_[i].type));
      }
    frame_.clear();
    protocol::writer fw(frame_);
    protocol::encode(fw, protocol::rows_result(md, static_cast<std::int32_t>(rows_.size()), content),
                  protocol::protocol_version::v5);
    REQUIRE(fw.ok());
    protocol::reader rd(frame_);
    REQUIRE(rd.i32("kind") == 2);
    decoded_ = protocol::decode_rows_result(rd, protocol::protocol_version::v5);
    REQUIRE(rd.ok());
    REQUIRE(rd.at_end());
    return decoded_;
  }

 private:
  std::vector<column> cols_;
  std::vector<std::vector<cell>> rows_;
  bool no_metadata_ = false;
  std::vector<std::byte> frame_;
  protocol::rows_result decoded_;
};

inline protocol::uuid make_uuid(std::uint8_t n) {
  protocol::uuid u;
  u.bytes.fill(n);
  return u;
}

inline protocol::inet_address ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  protocol::inet_address x;
  x.bytes[0] = a;
  x.bytes[1] = b;
  x.bytes[2] = c;
  x.bytes[3] = d;
  return x;
}

inline protocol::inet_address ipv6(std::uint8_t last) {
  protocol::inet_address x;
  x.size = 16;
  x.bytes[15] = last;
  return x;
}

inline cql_value token_set(std::vector<std::string> tokens) {
  protocol::cql_list l;
  for (auto& t : tokens) l.items.emplace_back(std::move(t));
  return l;
}

inline cql_value text_map(std::vector<std::pair<std::string, std::string>> entries) {
  protocol::cql_map m;
  for (auto& [k, v] : entries) m.entries.emplace_back(std::move(k), std::move(v));
  return m;
}

}  // namespace cqlpp::test
