// Values from their CQL literal text, for tools and fuzzers that build
// requests from what a person typed: the forms Cassandra accepts in CQL
// (without the quotes a literal has in a statement).
//
//   uuid, timeuuid  8-4-4-4-12 hex, any case (a timeuuid must be version 1)
//   inet            IPv4 dotted quad; IPv6 with `::` and a trailing IPv4 part
//   date            [+-]YYYY-MM-DD (proleptic Gregorian, years past 9999 signed),
//                   or the raw unsigned day number (2^31 = 1970-01-01)
//   time            HH:MM:SS[.fffffffff], or nanoseconds since midnight
//   timestamp       YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|(+|-)HH[:]MM], or
//                   milliseconds since the epoch; no zone means UTC
//   duration        1y2mo3w4d5h6m7s8ms9us10ns (units in any case, µs too),
//                   ISO 8601 P1Y2M3DT4H5M6S and P2W, or P0001-02-03T04:05:06;
//                   a leading '-' negates all three parts
//   and the simple ones: boolean (true/false), tinyint .. bigint, counter,
//   varint, decimal, float, double (NaN, Infinity too), text/ascii (as is),
//   blob (0x hex).
// The printing side is to_string(cql_value, type) in value.hpp: IPv6
// compressed (RFC 5952), dates and timestamps outside years 0-9999 with a
// sign, as Cassandra prints them.
#pragma once

#include <optional>
#include <string_view>

#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/type_spec.hpp"
#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

// A value of type `t` from its text. Collections, tuples, UDTs and vectors
// are not read here (type_mismatch). Fails with invalid_value — offset: where
// in `text`, field: the form expected ("uuid 8-4-4-4-12", "date YYYY-MM-DD",
// ...) — or out of range for the type; never throws.
result<cql_value> value_from_text(std::string_view text, const type_spec& t);

// The parts on their own.
std::optional<uuid> parse_uuid(std::string_view text);  // 8-4-4-4-12 hex
std::optional<inet_address> parse_inet(std::string_view text);  // IPv4 or IPv6 text

}  // namespace cqlpp::protocol
