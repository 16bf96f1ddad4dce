// Zero-copy typed access to cells, for reading rows fast.
//
// decode_as<T>(cell, type) reads one non-null cell as a C++ scalar without
// allocating. collection_view / map_view / tuple_view walk the bytes of a
// list, set, vector, map, tuple or UDT and yield each element as a
// value_view, decoded on demand with decode_as (or decode_value).
//
// Lifetimes: every string_view, value_view and view returned here borrows the
// bytes it was made from (normally the Rows frame body), and the views also
// keep a pointer to the type_spec they were made with (normally the Rows
// metadata). Keep both alive while they are in use; copy (decode_value,
// std::string) to keep data longer.
// Views are cheap to copy and immutable; iterating needs no synchronisation.
//
// Errors: type_mismatch when T does not match the CQL type (T -> accepted
// types below); invalid_length when a fixed-width cell has the wrong size
// (including empty cells: use decode_optional to treat those as null);
// invalid_value for bad UTF-8/ASCII or an inet of another size; the views
// check every length and count when made, so iterating cannot fail.
//
//   int8_t: tinyint     int16_t: smallint    int32_t: int    int64_t: bigint,
//   counter, timestamp (ms), time (ns)      float: float    double: double
//   bool: boolean       uint32_t: date (days, 2^31 = 1970-01-01)
//   std::string_view: ascii, text (validated), blob, custom (raw bytes)
//   std::string: the same, copied out of the buffer
//   uuid: uuid, timeuuid   inet_address: inet
//   varint: varint     decimal: decimal     duration: duration (v5 §6.21)
//   date_value: date   time_value: time     timestamp_value: timestamp
// These last six own their result (a varint's digits are copied); the
// others borrow nothing or the cell's bytes.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cqlpp/protocol/detail/value_layout.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/type_spec.hpp"

namespace cqlpp::protocol {

class varint;  // varint.hpp
struct decimal;  // value.hpp
struct duration;  // value.hpp
struct date_value;  // value.hpp
struct time_value;  // value.hpp
struct timestamp_value;  // value.hpp

// Reads the bytes of one non-null cell (no length prefix) as T; the accepted T are the specialisations below
// (declared only: any other T fails to link). Errors as listed at the top of this file, offsets from the cell start.
template <class T>
result<T> decode_as(bytes_view cell, const type_spec& t);

template <> result<std::int8_t> decode_as(bytes_view, const type_spec&);  // tinyint
template <> result<std::int16_t> decode_as(bytes_view, const type_spec&);  // smallint
template <> result<std::int32_t> decode_as(bytes_view, const type_spec&);  // int
// bigint, counter, timestamp (ms since the epoch), time (ns since midnight; invalid_value outside one day)
template <> result<std::int64_t> decode_as(bytes_view, const type_spec&);
template <> result<std::uint32_t> decode_as(bytes_view, const type_spec&);  // date (days, 2^31 = 1970-01-01)
template <> result<float> decode_as(bytes_view, const type_spec&);  // float
template <> result<double> decode_as(bytes_view, const type_spec&);  // double
template <> result<bool> decode_as(bytes_view, const type_spec&);  // boolean (any non-zero byte is true)
// ascii, text (validated), blob, custom (raw bytes); borrows `cell`
template <> result<std::string_view> decode_as(bytes_view, const type_spec&);
template <> result<std::string> decode_as(bytes_view, const type_spec&);  // as std::string_view, copied
template <> result<uuid> decode_as(bytes_view, const type_spec&);  // uuid, timeuuid (must be version 1)
template <> result<inet_address> decode_as(bytes_view, const type_spec&);  // inet (4 or 16 bytes)
template <> result<varint> decode_as(bytes_view, const type_spec&);  // varint (at least one byte)
template <> result<decimal> decode_as(bytes_view, const type_spec&);  // decimal: [int] scale, then a varint
// duration: three vints of one sign (mixed signs: invalid_value, as Cassandra refuses them)
template <> result<duration> decode_as(bytes_view, const type_spec&);
template <> result<date_value> decode_as(bytes_view, const type_spec&);  // date, as its own type
template <> result<time_value> decode_as(bytes_view, const type_spec&);  // time (0 .. 86399999999999 ns)
template <> result<timestamp_value> decode_as(bytes_view, const type_spec&);  // timestamp (ms since the epoch)

// Like decode_as, for a cell that may be null: null, unset and (for types
// other than ascii/text/blob/custom) empty cells give std::nullopt.
template <class T>
result<std::optional<T>> decode_optional(value_view cell, const type_spec& t) {
  if (cell.st != value_view::state::set) return std::optional<T>{};
  if (cell.bytes.empty() && !detail::empty_is_value(t.kind)) return std::optional<T>{};
  auto r = decode_as<T>(cell.bytes, t);
  if (!r) return r.error();
  return std::optional<T>(std::move(*r));
}

// How the elements of a composite value are framed.
enum class element_framing : std::uint8_t {
  int32_length,  // [bytes]: list, set, map, tuple, UDT (negative = null)
  uvint_length,  // [unsigned vint] length: vector of variable-size elements
  fixed_size,    // packed: vector of fixed-size elements
};

// Forward iterator over pre-validated elements.
class element_iterator {
 public:
  using value_type = value_view;  // each element: its bytes, or null
  using difference_type = std::ptrdiff_t;  // for std::iterator_traits; there is no random access
  using iterator_category = std::forward_iterator_tag;  // multi-pass; copies iterate independently

  element_iterator() = default;
  // `count` elements framed as `f` at the front of `rest` (`fixed`: the element size for fixed_size).
  // The bytes must already be validated (the views do it): nothing is checked here.
  element_iterator(bytes_view rest, std::size_t count, element_framing f, std::size_t fixed)
      : rest_(rest), left_(count), framing_(f), fixed_(fixed) { load(); }

  // The current element; borrows the bytes the iterator walks.
  value_view operator*() const { return cur_; }
  // Moves to the next element. Iterators compare by elements left, so end() is the default iterator.
  element_iterator& operator++() { --left_; load(); return *this; }
  // Post-increment: returns the iterator as it was.
  element_iterator operator++(int) { auto c = *this; ++*this; return c; }
  friend bool operator==(const element_iterator& a, const element_iterator& b) { return a.left_ == b.left_; }

 private:
  void load();  // reads the element at the front of rest_ into cur_

  bytes_view rest_;
  std::size_t left_ = 0;
  element_framing framing_ = element_framing::int32_length;
  std::size_t fixed_ = 0;
  value_view cur_;
};

// list, set or vector (elements), or map (keys and values alternating).
class collection_view {
 public:
  // Checks `cell` against `t` (list, set, map, vector) and every element
  // length and count in it. Errors: type_mismatch for other types,
  // invalid_length/truncated/trailing_bytes for bad framing.
  static result<collection_view> make(bytes_view cell, const type_spec& t);

  // Elements; for a map, entries (begin() yields twice as many values).
  std::size_t size() const { return count_; }
  // True when there are no elements.
  bool empty() const { return count_ == 0; }
  // The element type; for a map, the key type.
  const type_spec& element_type() const { return type_->params[0]; }
  // The first element (map: first key, then its value, and so on).
  element_iterator begin() const { return {body_, items(), framing_, fixed_}; }
  // Past the last element.
  element_iterator end() const { return {}; }

 private:
  std::size_t items() const { return type_->kind == type_kind::map ? count_ * 2 : count_; }
  const type_spec* type_ = nullptr;
  bytes_view body_;
  std::size_t count_ = 0;
  element_framing framing_ = element_framing::int32_length;
  std::size_t fixed_ = 0;
};

// map entries as (key, value) pairs.
class map_view {
 public:
  // Checks `cell` as collection_view::make does; type_mismatch unless `t` is a map.
  static result<map_view> make(bytes_view cell, const type_spec& t);

  // Walks the entries, two elements at a time.
  class iterator {
   public:
    using value_type = std::pair<value_view, value_view>;  // (key, value)
    using difference_type = std::ptrdiff_t;  // for std::iterator_traits; there is no random access
    iterator() = default;
    // At the key `it` points to.
    explicit iterator(element_iterator it) : it_(it) {}
    // The current (key, value), both borrowing the map's bytes.
    value_type operator*() const { auto k = it_; return {*k, *++k}; }
    // Moves to the next entry.
    iterator& operator++() { ++it_; ++it_; return *this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.it_ == b.it_; }
   private:
    element_iterator it_;
  };

  // Entries.
  std::size_t size() const { return items_.size(); }
  // The map's key type (params[0]).
  const type_spec& key_type() const { return type_->params[0]; }
  // The map's value type (params[1]).
  const type_spec& value_type() const { return type_->params[1]; }
  // The first entry.
  iterator begin() const { return iterator(items_.begin()); }
  // Past the last entry.
  iterator end() const { return iterator(items_.end()); }

 private:
  explicit map_view(collection_view c, const type_spec* t) : items_(c), type_(t) {}
  collection_view items_;
  const type_spec* type_;
};

// tuple or UDT fields, in order; size() may be less than the type's field
// count (trailing fields absent).
class tuple_view {
 public:
  // Checks every field length in `cell`. Errors: type_mismatch unless `t` is a tuple or UDT; truncated
  // when a field runs past the cell; trailing_bytes when bytes follow the type's last field.
  static result<tuple_view> make(bytes_view cell, const type_spec& t);

  // Fields present in the cell (<= the type's field count).
  std::size_t size() const { return count_; }
  // The type of field i; i must be below the type's field count (unchecked).
  const type_spec& field_type(std::size_t i) const { return type_->params[i]; }
  // The first field; each is a value_view, null when the field is null.
  element_iterator begin() const { return {body_, count_, element_framing::int32_length, 0}; }
  // Past the last field present.
  element_iterator end() const { return {}; }
  // Field i (O(i)); null when absent.
  value_view at(std::size_t i) const;

 private:
  const type_spec* type_ = nullptr;
  bytes_view body_;
  std::size_t count_ = 0;
};

}  // namespace cqlpp::protocol
