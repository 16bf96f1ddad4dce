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
  result(T v) : v_(std::in_place_index<0>, std::move(v)) {}                 // NOLINT
  result(E e) : v_(std::in_place_index<1>, std::move(e)) {}                 // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { assert(!has_value()); return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace cqlpp::protocol
