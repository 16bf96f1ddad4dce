// row: one row of a streamed page, as typed views over the page's bytes.
// Valid until the stream moves past the page it belongs to (the next
// async_next that starts a new page, or the stream's destruction).
#pragma once

#include <optional>

#include "cqlpp/protocol/rows_result.hpp"
#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::streaming {

// One row of a page (see the top of this file): cheap to copy, owns nothing.
class row {
 public:
  row() = default;
  // A row over `v` (the stream makes it).
  explicit row(protocol::row_view v) noexcept : view_(v) {}

  // Cells in the row: the result's column count.
  std::size_t size() const noexcept { return view_.size(); }
  // Cell i, raw; precondition i < size() (see protocol::row_view).
  protocol::value_view operator[](std::size_t i) const noexcept { return view_[i]; }
  // Column i's type; nullptr when neither the page nor the statement gave metadata.
  const protocol::type_spec* type(std::size_t i) const noexcept { return view_.type(i); }

  // Typed access without copies: std::string_view borrows the page.
  // nullopt for null; an error for a type that does not fit the column.
  template <class T>
  protocol::result<std::optional<T>> get(std::size_t i) const {
    const auto* t = type(i);
    if (!t) return protocol::decode_error{protocol::make_error_code(protocol::errc::type_mismatch), 0, "column"};
    return protocol::decode_optional<T>(view_[i], *t);
  }
  // An owning, dynamically typed copy of one cell.
  protocol::result<protocol::cql_value> value(std::size_t i) const {
    const auto* t = type(i);
    if (!t) return protocol::decode_error{protocol::make_error_code(protocol::errc::type_mismatch), 0, "column"};
    return protocol::decode_value(view_[i], *t);
  }
  // The underlying protocol view.
  const protocol::row_view& view() const noexcept { return view_; }

 private:
  protocol::row_view view_;
};

}  // namespace cqlpp::streaming
