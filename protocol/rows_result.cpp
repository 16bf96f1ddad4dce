#include "protocol/rows_result.hpp"

#include <algorithm>
#include <cassert>

namespace cqlpp::protocol {
namespace {

// Length of the [bytes] cell at `p` (validated at decode time), including the
// 4-byte prefix.
std::size_t cell_size(bytes_view b, std::size_t p) noexcept {
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | std::to_integer<std::uint32_t>(b[p + i]);
  const auto len = static_cast<std::int32_t>(n);
  return 4 + (len > 0 ? static_cast<std::size_t>(len) : 0);
}

}  // namespace

value_view row_view::operator[](std::size_t i) const noexcept {
  assert(i < size());
  if (i >= size()) return value_view::null_value();
  std::size_t p = 0;
  for (std::size_t k = 0; k < i; ++k) p += cell_size(bytes_, p);
  reader r(bytes_.subspan(p));
  return r.bytes("cell");
}

const type_spec* row_view::type(std::size_t i) const noexcept {
  if (!md_ || i >= md_->columns.size()) return nullptr;
  return &md_->columns[i].type;
}

std::size_t rows_result::iterator::row_end() const noexcept {
  std::size_t p = pos_;
  for (std::int32_t c = 0; c < rr_->column_count(); ++c) p += cell_size(rr_->content_, p);
  return p;
}

row_view rows_result::iterator::operator*() const noexcept {
  const auto end = row_end();
  return {rr_->content_.subspan(pos_, end - pos_), rr_->column_count(), &rr_->metadata_};
}

rows_result::iterator& rows_result::iterator::operator++() noexcept {
  pos_ = row_end();
  ++index_;
  return *this;
}

bool operator==(const rows_result& a, const rows_result& b) {
  return a.metadata_ == b.metadata_ && a.row_count_ == b.row_count_ &&
         std::equal(a.content_.begin(), a.content_.end(), b.content_.begin(), b.content_.end());
}

rows_result decode_rows_result(reader& r, protocol_version v) {
  auto md = decode_rows_metadata(r, v);
  const std::int32_t rows = r.i32("rows count");
  if (!r.ok()) return {};
  if (rows < 0) {
    r.fail(errc::invalid_length, "rows count");
    return {};
  }
  // Every cell is at least its 4-byte length: bound the walk by the bytes left.
  const std::int64_t cells = static_cast<std::int64_t>(rows) * md.column_count;
  if (!r.check_count(cells, 4, "rows content")) return {};
  const auto start = r.rest();
  for (std::int64_t i = 0; i < cells && r.ok(); ++i) (void)r.bytes("cell");
  if (!r.ok()) return {};
  const auto used = start.size() - r.rest().size();
  return rows_result(std::move(md), rows, start.first(used));
}

void encode(writer& w, const rows_result& m, protocol_version v) {
  w.i32(0x0002);  // result kind Rows
  encode(w, m.metadata(), v);
  w.i32(m.row_count());
  w.raw(m.content());
}

}  // namespace cqlpp::protocol
