// value_from_text: values from CQL literal text, and the printing side
// (IPv6 compressed, dates past year 9999 signed).
#include "cqlpp/protocol/value_text.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cqlpp::protocol;

namespace {

type_spec simple(type_kind k) { return type_spec::simple(k); }

// The value printed back (to_string with its type), or "error: <field> @<offset>".
std::string text(std::string_view in, type_kind k) {
  auto v = value_from_text(in, simple(k));
  if (!v) return std::string("error: ") + v.error().field + " @" + std::to_string(v.error().offset);
  return to_string(*v, simple(k));
}

}  // namespace

TEST_CASE("value_from_text: uuid and timeuuid from their canonical form") {
  CHECK(text("123E4567-e89b-12d3-a456-426614174000", type_kind::uuid) == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(text("123e4567-e89b-12d3-a456-426614174000", type_kind::timeuuid) == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(text("123e4567-e89b-42d3-a456-426614174000", type_kind::timeuuid) == "error: timeuuid (a version-1 uuid) @14");
  CHECK(text("123e4567e89b12d3a456426614174000", type_kind::uuid) == "error: uuid 8-4-4-4-12 hex @0");
  CHECK(text("123e4567-e89b-12d3-a456-42661417400g", type_kind::uuid) == "error: uuid 8-4-4-4-12 hex @0");
}

TEST_CASE("value_from_text: inet from IPv4 and IPv6 text; IPv6 printed compressed (RFC 5952)") {
  CHECK(text("127.0.0.1", type_kind::inet) == "127.0.0.1");
  CHECK(text("2001:0db8:0000:0000:0000:ff00:0042:8329", type_kind::inet) == "2001:db8::ff00:42:8329");
  CHECK(text("::1", type_kind::inet) == "::1");
  CHECK(text("::", type_kind::inet) == "::");
  CHECK(text("fe80::", type_kind::inet) == "fe80::");
  CHECK(text("2001:db8:0:1:0:0:0:1", type_kind::inet) == "2001:db8:0:1::1");  // the longer run
  CHECK(text("2001:db8:0:0:1:0:0:1", type_kind::inet) == "2001:db8::1:0:0:1");  // the first of equal runs
  CHECK(text("1:2:3:4:5:6:7:8", type_kind::inet) == "1:2:3:4:5:6:7:8");
  CHECK(text("1:0:3:4:5:6:7:8", type_kind::inet) == "1:0:3:4:5:6:7:8");  // one zero group stays
  CHECK(text("::ffff:192.168.0.1", type_kind::inet) == "::ffff:c0a8:1");
  for (const char* bad : {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
                          "12345::", "1:2:3:4:5:6:7:", "", "localhost"}) {
    INFO(bad);
    CHECK(text(bad, type_kind::inet) == "error: inet IPv4 or IPv6 address @0");
  }
}

TEST_CASE("value_from_text: date, time and timestamp from CQL literals; outside years 0-9999 with a sign") {
  CHECK(text("2024-02-29", type_kind::date) == "2024-02-29");
  CHECK(text("1970-01-01", type_kind::date) == "1970-01-01");
  CHECK(text("-0001-12-31", type_kind::date) == "-0001-12-31");
  CHECK(text("+10000-01-01", type_kind::date) == "+10000-01-01");
  CHECK(text("2147483648", type_kind::date) == "1970-01-01");  // the raw day number
  CHECK(text("0", type_kind::date) == "-5877641-06-23");       // the smallest date, as Cassandra prints it
  CHECK(text("2023-02-29", type_kind::date) == "error: date [+-]YYYY-MM-DD @10");
  CHECK(text("2024-13-01", type_kind::date) == "error: date [+-]YYYY-MM-DD @10");

  CHECK(text("12:34:56", type_kind::time) == "12:34:56.000000000");
  CHECK(text("23:59:59.999999999", type_kind::time) == "23:59:59.999999999");
  CHECK(text("08:00:00.5", type_kind::time) == "08:00:00.500000000");
  CHECK(text("45296000000000", type_kind::time) == "12:34:56.000000000");
  CHECK(text("24:00:00", type_kind::time) == "error: time HH:MM:SS[.fffffffff] @8");
  CHECK(text("86400000000000", type_kind::time) == "error: time 0 .. 86399999999999 ns @0");

  CHECK(text("2024-02-29T12:34:56.789Z", type_kind::timestamp) == "2024-02-29T12:34:56.789Z");
  CHECK(text("2024-02-29 12:34", type_kind::timestamp) == "2024-02-29T12:34:00.000Z");
  CHECK(text("2024-02-29T12:34:56+02:00", type_kind::timestamp) == "2024-02-29T10:34:56.000Z");
  CHECK(text("2024-02-29T12:34:56-0130", type_kind::timestamp) == "2024-02-29T14:04:56.000Z");
  CHECK(text("2024-02-29", type_kind::timestamp) == "2024-02-29T00:00:00.000Z");
  CHECK(text("-1", type_kind::timestamp) == "1969-12-31T23:59:59.999Z");
  CHECK(text("+292278994-08-17T07:12:55.807Z", type_kind::timestamp) == "+292278994-08-17T07:12:55.807Z");
  CHECK(text("+292278994-08-17T07:12:55.808Z", type_kind::timestamp) ==
        "error: timestamp within 64 bits of milliseconds @0");
  CHECK(text("2024-02-29T12:34:56.789 UTC", type_kind::timestamp) == "error: end of the timestamp @23");
}

TEST_CASE("value_from_text: duration in all three CQL forms, one sign for all parts") {
  CHECK(text("1y2mo3w4d5h6m7s8ms9us10ns", type_kind::duration) == "14mo25d18367008009010ns");
  CHECK(text("1Y2MO", type_kind::duration) == "14mo0d0ns");
  CHECK(text("-2d3h", type_kind::duration) == "0mo-2d-10800000000000ns");
  CHECK(text("12\xc2\xb5s", type_kind::duration) == "0mo0d12000ns");
  CHECK(text("P1Y2M3DT4H5M6S", type_kind::duration) == "14mo3d14706000000000ns");
  CHECK(text("P2W", type_kind::duration) == "0mo14d0ns");
  CHECK(text("PT90M", type_kind::duration) == "0mo0d5400000000000ns");
  CHECK(text("P0001-02-03T04:05:06", type_kind::duration) == "14mo3d14706000000000ns");
  CHECK(text("-P1D", type_kind::duration) == "0mo-1d0ns");
  CHECK(text("3x", type_kind::duration) == "error: duration unit y mo w d h m s ms us ns @1");
  CHECK(text("P1H", type_kind::duration) == "error: duration designator Y M W D, or H M S after T @2");
  CHECK(text("PT", type_kind::duration) == "error: duration ISO 8601 number and designator @2");
  CHECK(text("999999999999999999h", type_kind::duration) == "error: duration within 64 bits @18");
  CHECK(text("", type_kind::duration) == "error: duration number and unit (y mo w d h m s ms us ns) @0");
}

TEST_CASE("value_from_text: the simple types") {
  CHECK(text("true", type_kind::boolean) == "true");
  CHECK(text("FALSE", type_kind::boolean) == "false");
  CHECK(text("-128", type_kind::tinyint) == "-128");
  CHECK(text("128", type_kind::tinyint) == "error: tinyint -128 .. 127 @0");
  CHECK(text("+42", type_kind::int_) == "42");
  CHECK(text("9223372036854775807", type_kind::bigint) == "9223372036854775807");
  CHECK(text("-123456789012345678901234567890", type_kind::varint) == "-123456789012345678901234567890");
  CHECK(text("-12.345", type_kind::decimal) == "-12.345");
  CHECK(text("1.5e3", type_kind::decimal) == "15E+2");  // unscaled 15, scale -2
  CHECK(text("1.5", type_kind::double_) == "1.5");
  CHECK(text("NaN", type_kind::float_) == "NaN");
  CHECK(text("-Infinity", type_kind::double_) == "-Infinity");
  CHECK(text("inf", type_kind::double_) == "error: double @0");
  CHECK(text("0xCAFE", type_kind::blob) == "0xcafe");
  CHECK(text("0xCAF", type_kind::blob) == "error: blob 0x and hex pairs @0");
  CHECK(text("it's", type_kind::varchar) == "'it''s'");
  CHECK(text("caf\xc3\xa9", type_kind::ascii) == "error: ascii (bytes 0-127) @3");
  auto list = value_from_text("[1]", type_spec::list_of(simple(type_kind::int_)));
  REQUIRE_FALSE(list);
  CHECK(list.error().code == errc::type_mismatch);
}
