// Rows content access (v4/v5 §4.2.5.2): row_view records the offsets of its
// first cells when made, so these check every cell position, including past
// row_view::indexed_cells, and the decoder's length scan on odd lengths.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cqlpp/protocol/message.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

constexpr int columns = 20;  // more than row_view::indexed_cells
constexpr int rows = 3;

// Cell (r, c): null on a diagonal, empty on another, else 1 + (r + c) % 5 bytes.
std::string expected_cell(int r, int c) {
  if ((r + c) % 7 == 0) return "null";
  if ((r + c) % 7 == 3) return "";
  std::string hex;
  for (int k = 0; k < 1 + (r + c) % 5; ++k) hex += to_hex(std::vector<std::byte>{std::byte(r * 16 + k)});
  return hex;
}

std::vector<std::byte> content() {
  std::vector<std::byte> out;
  writer w(out);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      const auto e = expected_cell(r, c);
      if (e == "null") {
        w.null_bytes();
      } else {
        w.bytes(from_hex(e));
      }
    }
  return out;
}

std::string show(const value_view& v) { return v.is_null() ? "null" : to_hex(v.bytes); }

}  // namespace

TEST_CASE("rows: every cell of a wide row, in any order, after encode and decode") {
  static_assert(columns > row_view::indexed_cells);
  const auto body = content();
  rows_metadata md;
  md.no_metadata = true;
  md.column_count = columns;
  for (auto v : {protocol_version::v4, protocol_version::v5}) {
    std::vector<std::byte> frame;
    REQUIRE(!encode_response(frame, rows_result(md, rows, body), 1, v));
    auto f = decode_frame(frame);
    REQUIRE(std::holds_alternative<frame_view>(f));
    auto d = decode_response(std::get<frame_view>(f), v);
    REQUIRE(d.has_value());
    const auto& rr = std::get<rows_result>(d->message);
    CHECK(rr.content().size() == body.size());
    int r = 0;
    std::size_t walked = 0;
    for (const row_view row : rr) {
      REQUIRE(row.size() == static_cast<std::size_t>(columns));
      CHECK(row.type(0) == nullptr);
      // Backwards, so no access relies on the one before it.
      for (int c = columns - 1; c >= 0; --c)
        CHECK(show(row[static_cast<std::size_t>(c)]) == expected_cell(r, c));
      // A view made from the row's bytes sees the same cells.
      const row_view copy(row.bytes(), columns, nullptr);
      for (int c = 0; c < columns; ++c)
        CHECK(show(copy[static_cast<std::size_t>(c)]) == expected_cell(r, c));
      walked += row.bytes().size();
      ++r;
    }
    CHECK(r == rows);
    CHECK(walked == body.size());
  }
}

TEST_CASE("rows: any negative cell length is null; a short block is truncated") {
  // kind 2, flags 4 (no metadata), 2 columns, 2 rows: -1, -7, "ab", "" .
  // The rows borrow the body: keep it alive.
  const auto body =
      from_hex("00000002 00000004 00000002 00000002 ffffffff fffffff9 00000002 6162 00000000");
  const auto ok = decode_response_body(opcode::result, body, protocol_version::v4);
  REQUIRE(ok.has_value());
  const auto& rr = std::get<rows_result>(*ok);
  std::vector<std::string> seen;
  for (const row_view row : rr) {
    seen.push_back(show(row[0]));
    seen.push_back(show(row[1]));
  }
  CHECK(seen == std::vector<std::string>{"null", "null", "6162", ""});
  // The same with the last cell's length prefix cut short, and with a cell
  // longer than what is left: both fail with the offset of the bad field.
  const auto cut = decode_response_body(
      opcode::result,
      from_hex("00000002 00000004 00000002 00000002 ffffffff fffffff9 00000002 6162 0000"),
      protocol_version::v4);
  REQUIRE(!cut.has_value());
  CHECK(cut.error().code == errc::truncated);
  CHECK(cut.error().offset == 30);
  const auto longer = decode_response_body(
      opcode::result,
      from_hex("00000002 00000004 00000002 00000002 ffffffff fffffff9 00000007 6162 00000000"),
      protocol_version::v4);
  REQUIRE(!longer.has_value());
  CHECK(longer.error().code == errc::truncated);
  CHECK(longer.error().offset == 28);
}
