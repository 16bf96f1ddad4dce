// result<T>: a value or a decode_error. C++20 has no std::expected; this is the
// small subset the codec needs.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "cqlpp/protocol/error.hpp"

namespace cqlpp::protocol {

// A value or an error; E is the codec's decode_error unless a caller with its
// own error context (session/cluster_metadata.hpp) names another.
template <class T, class E = decode_error>
class [[nodiscard]] result {
 public:
  // Holds a value; implicit, so a function returning `result<T>` can `return v;`.
  result(T v) : v_(std::in_place_index<0>, std::move(v)) {}                 // NOLINT
  // Holds an error; implicit, so `return err;` works too.
  result(E e) : v_(std::in_place_index<1>, std::move(e)) {}                 // NOLINT

  // True when a value is held.
  bool has_value() const noexcept { return v_.index() == 0; }
  // Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }

  // The value; asserts has_value() (with NDEBUG, std::get throws std::bad_variant_access).
  T& value() & { assert(has_value()); return std::get<0>(v_); }
  // The value; asserts has_value().
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  // The value as an rvalue, to move it out of a temporary result; asserts has_value().
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  // Same as value().
  T& operator*() & { return value(); }
  // Same as value().
  const T& operator*() const& { return value(); }
  // Pointer to the value; asserts has_value().
  T* operator->() { return &value(); }
  // Pointer to the value; asserts has_value().
  const T* operator->() const { return &value(); }

  // The error; asserts !has_value().
  const E& error() const { assert(!has_value()); return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace cqlpp::protocol
