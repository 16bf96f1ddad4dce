// cql_value: an owning, dynamically typed CQL value, and its codec
// (v4 §6 / v5 §6 "Data Type Serialization Formats", plus the Cassandra 5.0
// vector). For reading rows without copying see typed_view.hpp.
//
// Which C++ alternative carries which CQL type:
//   boolean -> bool           tinyint -> int8_t     smallint -> int16_t
//   int -> int32_t            bigint, counter -> int64_t
//   float -> float            double -> double      varint -> varint
//   decimal -> decimal        duration -> duration  date -> date_value
//   time -> time_value        timestamp -> timestamp_value
//   ascii, text -> std::string (bytes as sent; decode validates ASCII/UTF-8)
//   blob, custom -> blob      uuid, timeuuid -> uuid    inet -> inet_address
//   list, set, vector -> cql_list   map -> cql_map   tuple, udt -> cql_tuple
// The encoder also takes any integer alternative that fits for the integer
// types and varint, int64_t for timestamp and time, float for double.
//
// null and unset are distinct alternatives. Unset exists only at the top level
// of a bound [value] (v4 §3); null is legal at the top level and inside
// lists, sets, maps, tuples and UDTs (their elements are [bytes], where a
// negative length is null), but not inside a vector. An empty cell (0 bytes)
// of a type other than ascii, text, blob and custom decodes as empty_value,
// neither null nor a value, and encodes back to 0 bytes.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/type_spec.hpp"
#include "cqlpp/protocol/varint.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// A null value: a [bytes] or [value] of negative length (-1 when encoded).
struct null_value {
  friend bool operator==(null_value, null_value) = default;
};
// An unset bound value: a [value] of length -2 (v4 §3), "not set"; requests only.
struct unset_value {
  friend bool operator==(unset_value, unset_value) = default;
};
// An empty value: a cell of 0 bytes for a type whose empty byte string is not
// itself a value (int, uuid, timestamp, ...; not text, ascii, blob or custom,
// where it is the empty string). The spec allows it and Cassandra stores it;
// it is kept apart from null so that a decoded message re-encodes byte for
// byte (0 bytes, not -1). Prints as `empty`; the typed views read it as null.
struct empty_value {
  friend bool operator==(empty_value, empty_value) = default;
};

// The bytes of a blob or custom-type value, as sent.
using blob = std::vector<std::byte>;

// decimal = unscaled * 10^-scale (v4 §6.7: [int] scale, then a varint).
struct decimal {
  varint unscaled;  // the digits, sign included
  std::int32_t scale = 0;  // digits after the decimal point; may be negative (trailing zeros)
  friend bool operator==(const decimal&, const decimal&) = default;
};

// v5 §6.21: months, days and nanoseconds, each a signed vint.
struct duration {
  std::int32_t months = 0;  // whole months: kept apart, as a month's length varies
  std::int32_t days = 0;  // whole days, added after the months
  std::int64_t nanoseconds = 0;  // added after the days
  friend bool operator==(const duration&, const duration&) = default;
};
// A duration's three parts share one sign (zero goes with either); the
// codec refuses others, as Cassandra does.
constexpr bool same_sign(const duration& d) noexcept {
  return (d.months >= 0 && d.days >= 0 && d.nanoseconds >= 0) || (d.months <= 0 && d.days <= 0 && d.nanoseconds <= 0);
}

// v4 §6.8: days since the epoch, offset by 2^31 (1970-01-01 is 2^31).
struct date_value {
  static constexpr std::uint32_t epoch = 1u << 31;  // the `days` of 1970-01-01
  std::uint32_t days = epoch;  // days since the epoch + 2^31; default 1970-01-01
  friend bool operator==(const date_value&, const date_value&) = default;
};

// v4 §6.19: nanoseconds since midnight, 0 .. 86399999999999.
struct time_value {
  static constexpr std::int64_t nanos_per_day = 86'400'000'000'000;  // one past the largest valid value
  std::int64_t nanoseconds = 0;  // since midnight; default 00:00
  friend bool operator==(const time_value&, const time_value&) = default;
};

// v4 §6.20: milliseconds since the Unix epoch.
struct timestamp_value {
  std::int64_t milliseconds = 0;  // since 1970-01-01T00:00:00Z (UTC), negative before; default the epoch
  friend bool operator==(const timestamp_value&, const timestamp_value&) = default;
};

struct cql_value;

// A list, set or vector value.
struct cql_list {
  std::vector<cql_value> items;  // the elements in wire order
};
// A map value.
struct cql_map {
  std::vector<std::pair<cql_value, cql_value>> entries;  // (key, value) in wire order; duplicates are not merged
};
// A tuple or UDT value.
struct cql_tuple {
  std::vector<cql_value> fields;  // in type order; may be shorter than the type (trailing fields absent)
};

// One CQL value of any type: a std::variant over the alternatives in the table at the top of this file.
struct cql_value {
  // null_value, unset_value, empty_value, then one alternative per C++ type of the table at the top.
  using variant_type =
      std::variant<null_value, unset_value, empty_value, bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, float,
                   double, std::string, blob, uuid, inet_address, varint, decimal, duration, date_value,
                   time_value, timestamp_value, cql_list, cql_map, cql_tuple>;
  variant_type v;  // default null_value

  cql_value() = default;
  // Implicit from anything variant_type can be built from (a std::string, a cql_list, an std::int32_t, ...).
  template <class T>
    requires std::is_constructible_v<variant_type, T&&> &&
             (!std::is_same_v<std::remove_cvref_t<T>, cql_value>)
  cql_value(T&& x) : v(std::forward<T>(x)) {}  // NOLINT: implicit by design

  // True when `v` holds null_value.
  bool is_null() const { return std::holds_alternative<null_value>(v); }
  // True when `v` holds unset_value.
  bool is_unset() const { return std::holds_alternative<unset_value>(v); }
  // True when `v` holds empty_value (0 bytes of a type whose empty string is no value).
  bool is_empty() const { return std::holds_alternative<empty_value>(v); }
  // The alternative T, or nullptr when `v` holds another one.
  template <class T>
  const T* get_if() const { return std::get_if<T>(&v); }

  // Structural equality; float and double compare by bit pattern, so NaN
  // equals the same NaN and 0.0 differs from -0.0.
  friend bool operator==(const cql_value& a, const cql_value& b);
};

bool operator==(const cql_list&, const cql_list&);
bool operator==(const cql_map&, const cql_map&);
bool operator==(const cql_tuple&, const cql_tuple&);

// Decodes one cell. `cell` is what a Rows result (or a [value]) carries: its
// state and the bytes without the length prefix. Null gives null_value, unset
// unset_value. An empty cell of a type other than ascii/text/blob/custom
// decodes as empty_value (the DataStax drivers read it as null; kept apart
// here so that re-encoding gives the same bytes).
// Errors: invalid_length (wrong size for a fixed-width type), truncated,
// invalid_value (bad UTF-8/ASCII, inet size, time range, ...),
// trailing_bytes, nesting_too_deep; offsets are relative to the cell start.
// The result owns its data (nothing borrows `cell`).
result<cql_value> decode_value(value_view cell, const type_spec& t, int max_depth = default_max_type_depth);

// Writes `v` as a [value] (v4 §3): [int] length then the serialized bytes;
// null_value writes -1 and unset_value -2. Returns errc::type_mismatch when
// `v` does not fit `t` (wrong alternative, out-of-range integer, unset or
// null where not allowed, tuple longer than its type, vector of the wrong
// dimension), errc::too_large when a length or count does not fit an [int],
// nesting_too_deep past max_depth. On error `w`'s buffer may hold a partial
// value; the caller discards it.
std::error_code encode_value(writer& w, const cql_value& v, const type_spec& t,
                             int max_depth = default_max_type_depth);

// Writes only the serialized bytes of `v` (what Python's cqltypes serialize
// returns), no length prefix. null and unset have no bytes: type_mismatch.
std::error_code encode_value_bytes(writer& w, const cql_value& v, const type_spec& t,
                                   int max_depth = default_max_type_depth);

// Display form, one line, CQL-literal-like: maps in braces, date/time/timestamp
// as calendar text (a number when out of range). Floats use %.9g / %.17g (NaN,
// Infinity, -Infinity). Without a type, sets print like lists and UDTs like tuples.
std::string to_string(const cql_value& v);
// The display form using `t`: sets print in braces, UDT fields with their names.
std::string to_string(const cql_value& v, const type_spec& t);

}  // namespace cqlpp::protocol
