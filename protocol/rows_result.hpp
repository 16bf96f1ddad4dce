// RESULT of kind Rows (v4/v5 §4.2.5.2): <metadata><rows_count><rows_content>,
// where <rows_content> is rows_count × columns_count [bytes].
//
// No cell is copied: `rows_result` owns its (small) metadata and keeps a view
// of the rows content inside the frame body it was decoded from.
//
// Errors: the decoder walks the whole row block once, so a decoded
// rows_result is known to be well formed and iterating it cannot fail.
// Lifetime: rows, row_views and cell value_views borrow the frame body; the
// frame's buffer must outlive them. Not thread-safe to decode into; a decoded
// rows_result may be read from several threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "cqlpp/protocol/result_metadata.hpp"

namespace cqlpp::protocol {

// One row: `size()` cells, each a [bytes] (null when its length is negative).
class row_view {
 public:
  row_view() = default;
  // `bytes` must hold `columns` well-formed cells (as in a decoded rows_result).
  row_view(bytes_view bytes, std::int32_t columns, const rows_metadata* md) noexcept;

  // Cells in the row: the result's column count.
  std::size_t size() const noexcept { return static_cast<std::size_t>(columns_); }
  // Cell i: O(1) for the first `indexed_cells` cells, whose offsets the view
  // records when made; later ones are found by walking on from there.
  // Precondition i < size(): asserted; a null value when violated in release.
  value_view operator[](std::size_t i) const noexcept;
  // The column's type; nullptr when the result carried no metadata
  // (No_metadata: use the prepared statement's result metadata instead).
  const type_spec* type(std::size_t i) const noexcept;
  // The row's raw bytes (all cells with their length prefixes).
  bytes_view bytes() const noexcept { return bytes_; }

  static constexpr std::size_t indexed_cells = 16;  // cells with a recorded offset (O(1) operator[])

 private:
  friend class rows_result;
  // The row at the front of `rest` (a rows content tail): one walk finds both
  // its end and the cell offsets.
  static row_view front_of(bytes_view rest, std::int32_t columns, const rows_metadata* md) noexcept;

  bytes_view bytes_;
  std::int32_t columns_ = 0;
  const rows_metadata* md_ = nullptr;
  // Offsets in bytes_ of cells 0 .. indexed_cells-1 (a row is inside one
  // frame, whose length is a 32-bit field).
  std::array<std::uint32_t, indexed_cells> offsets_{};
};

// A decoded Rows result: its metadata, the row count and a borrowed view of the validated rows content.
// Iterates as row_views.
class rows_result {
 public:
  static constexpr opcode op = opcode::result;  // frame header opcode (0x08); the body starts with kind 0x0002

  rows_result() = default;
  // For encoders (the test server): `content` must hold row_count rows of
  // metadata.column_count [bytes] cells, and outlive the rows_result.
  rows_result(rows_metadata md, std::int32_t row_count, bytes_view content) noexcept
      : metadata_(std::move(md)), row_count_(row_count), content_(content) {}

  // The <metadata> as sent (no column specs when no_metadata is set).
  const rows_metadata& metadata() const noexcept { return metadata_; }
  // For a result sent with no_metadata (EXECUTE with skip_metadata): the
  // column specs to type its cells with, usually the prepared statement's
  // result metadata. Borrowed: `m` must outlive every row view.
  void use_column_types(const rows_metadata* m) noexcept { external_ = m; }
  // The column specs row_view::type() answers from: those given to use_column_types(), else metadata().
  const rows_metadata& column_types() const noexcept { return external_ ? *external_ : metadata_; }
  // <rows_count>, never negative.
  std::int32_t row_count() const noexcept { return row_count_; }
  // row_count() as a size_t.
  std::size_t size() const noexcept { return static_cast<std::size_t>(row_count_); }
  // Cells per row: the metadata's <columns_count>, sent even with no_metadata.
  std::int32_t column_count() const noexcept { return metadata_.column_count; }
  // <rows_content>: every cell with its length prefix, borrowed from the frame body.
  bytes_view content() const noexcept { return content_; }

  // Walks the rows in order; each step finds the row's end and its first cells' offsets once.
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;  // multi-pass; rows are read, never written
    using value_type = row_view;  // a row, by value (cheap: a view)
    using difference_type = std::ptrdiff_t;  // for std::iterator_traits; there is no random access
    using pointer = void;  // no operator->: operator* returns a temporary
    using reference = row_view;  // operator* returns by value

    iterator() = default;
    // At row `index`, which starts `pos` bytes into rr->content(); use begin() and end() instead.
    iterator(const rows_result* rr, std::size_t pos, std::int32_t index) noexcept;
    // The current row; it borrows the frame body and rr's column types. Undefined at end().
    row_view operator*() const noexcept;
    // Moves to the next row.
    iterator& operator++() noexcept;
    // Post-increment: returns the iterator as it was.
    iterator operator++(int) noexcept { auto t = *this; ++*this; return t; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.index_ == b.index_;
    }
    // The current row number, 0-based; row_count() at end().
    std::int32_t index() const noexcept { return index_; }
    // Byte offset of the current row in content().
    std::size_t offset() const noexcept { return pos_; }

   private:
    void load() noexcept;  // makes row_ from pos_ when index_ is a row
    const rows_result* rr_ = nullptr;
    std::size_t pos_ = 0;       // byte offset of the current row in content
    std::int32_t index_ = 0;    // row number
    row_view row_;              // the current row, walked once
  };
  // The first row (end() when there are none).
  iterator begin() const noexcept { return {this, 0, 0}; }
  // Past the last row. Iterators compare by row number only.
  iterator end() const noexcept { return {this, content_.size(), row_count_}; }
  // The rows from `from` (an iterator of this result) to the end, as a
  // result of their own: same metadata and column types, same borrowed bytes.
  rows_result tail(const iterator& from) const;

  friend bool operator==(const rows_result& a, const rows_result& b);

 private:
  rows_metadata metadata_;
  const rows_metadata* external_ = nullptr;  // see use_column_types
  std::int32_t row_count_ = 0;
  bytes_view content_;
};

// Reads <metadata><rows_count><rows_content> (after the kind [int]) and
// validates every cell. The encoder writes the kind too.
rows_result decode_rows_result(reader& r, protocol_version v);
// Writes the kind [int] (0x0002), the <metadata>, <rows_count> and content() as it is (not re-validated).
void encode(writer& w, const rows_result& m, protocol_version v);

}  // namespace cqlpp::protocol
