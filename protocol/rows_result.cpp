#include "cqlpp/protocol/rows_result.hpp"

#include <algorithm>
#include <cassert>

namespace cqlpp::protocol {
namespace {

// The big-endian [int] at `p`; the caller knows 4 bytes are there.
std::int32_t load_i32(bytes_view b, std::size_t p) noexcept {
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | std::to_integer<std::uint32_t>(b[p + i]);
  return static_cast<std::int32_t>(n);
}

// Length of the [bytes] cell at `p` (validated at decode time), including the
// 4-byte prefix.
std::size_t cell_size(bytes_view b, std::size_t p) noexcept {
  const std::int32_t len = load_i32(b, p);
  return 4 + (len > 0 ? static_cast<std::size_t>(len) : 0);
}

// Bytes taken by `cells` [bytes] cells at the front of `b`, or 0 when they do
// not fit (or are malformed); the reader walk then reports the precise error.
// This pass runs over every cell of every Rows result, so it reads the
// lengths directly instead of through the reader's checked calls.
std::size_t scan_cells(bytes_view b, std::int64_t cells) noexcept {
  std::size_t p = 0;
  for (std::int64_t i = 0; i < cells; ++i) {
    if (b.size() - p < 4) return 0;
    const std::int32_t len = load_i32(b, p);
    p += 4;
    if (len > 0) {
      if (b.size() - p < static_cast<std::size_t>(len)) return 0;
      p += static_cast<std::size_t>(len);
    }
  }
  return p;
}

}  // namespace

row_view::row_view(bytes_view bytes, std::int32_t columns, const rows_metadata* md) noexcept
    : row_view(front_of(bytes, columns, md)) {}

row_view row_view::front_of(bytes_view rest, std::int32_t columns,
                            const rows_metadata* md) noexcept {
  row_view r;
  r.columns_ = columns;
  r.md_ = md;
  std::size_t p = 0;
  for (std::size_t c = 0; c < static_cast<std::size_t>(columns); ++c) {
    if (c < indexed_cells) r.offsets_[c] = static_cast<std::uint32_t>(p);
    p += cell_size(rest, p);
  }
  r.bytes_ = rest.first(p);
  return r;
}

value_view row_view::operator[](std::size_t i) const noexcept {
  assert(i < size());
  if (i >= size()) return value_view::null_value();
  const std::size_t k0 = i < indexed_cells ? i : indexed_cells - 1;
  std::size_t p = offsets_[k0];
  for (std::size_t k = k0; k < i; ++k) p += cell_size(bytes_, p);
  // The row was validated when decoded: the cell is all there.
  const std::int32_t len = load_i32(bytes_, p);
  if (len < 0) return value_view::null_value();
  return value_view::of(bytes_.subspan(p + 4, static_cast<std::size_t>(len)));
}

const type_spec* row_view::type(std::size_t i) const noexcept {
  if (!md_ || i >= md_->columns.size()) return nullptr;
  return &md_->columns[i].type;
}

rows_result::iterator::iterator(const rows_result* rr, std::size_t pos, std::int32_t index) noexcept
    : rr_(rr), pos_(pos), index_(index) {
  load();
}

void rows_result::iterator::load() noexcept {
  if (index_ < rr_->row_count_)
    row_ = row_view::front_of(rr_->content_.subspan(pos_), rr_->column_count(), &rr_->column_types());
}

row_view rows_result::iterator::operator*() const noexcept { return row_; }

rows_result::iterator& rows_result::iterator::operator++() noexcept {
  pos_ += row_.bytes().size();
  ++index_;
  load();
  return *this;
}

rows_result rows_result::tail(const iterator& from) const {
  rows_result t(metadata_, row_count_ - from.index(), content_.subspan(from.offset()));
  t.external_ = external_;
  return t;
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
  if (const auto fast = scan_cells(start, cells); fast > 0 || cells == 0) {
    r.skip(fast, "rows content");
    return rows_result(std::move(md), rows, start.first(fast));
  }
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
