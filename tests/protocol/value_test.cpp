#include "cqlpp/protocol/value.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "cqlpp/protocol/typed_view.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

type_spec simple(type_kind k) { return type_spec::simple(k); }

result<cql_value> dec(std::string_view hex, const type_spec& t, int depth = default_max_type_depth) {
  static std::vector<std::byte> keep;  // decode_value copies; the buffer need not outlive it
  keep = from_hex(hex);
  return decode_value(value_view::of(keep), t, depth);
}

std::string enc(const cql_value& v, const type_spec& t) {
  std::vector<std::byte> out;
  writer w(out);
  const auto ec = encode_value_bytes(w, v, t);
  REQUIRE_FALSE(ec);
  return to_hex(out);
}

std::error_code enc_error(const cql_value& v, const type_spec& t) {
  std::vector<std::byte> out;
  writer w(out);
  return encode_value(w, v, t);
}

template <class T>
errc code_of(const result<T>& r) {
  REQUIRE_FALSE(r.has_value());
  return static_cast<errc>(r.error().code.value());
}

}  // namespace

TEST_CASE("varint: int64, decimal strings, minimal bytes") {
  for (std::int64_t x : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{127}, std::int64_t{128},
                         std::int64_t{-128}, std::int64_t{-129}, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max()}) {
    CAPTURE(x);
    const auto v = varint::from_int64(x);
    CHECK(v.to_int64() == x);
    CHECK(v.to_string() == std::to_string(x));
    CHECK(varint::from_string(std::to_string(x)) == v);
  }
  CHECK(to_hex(varint::from_int64(128).bytes()) == "0080");
  CHECK(to_hex(varint::from_int64(-129).bytes()) == "ff7f");
  const auto big = varint::from_string("-1267650600228229401496703217721");
  REQUIRE(big.has_value());
  CHECK(to_hex(big->bytes()) == "efffffffffffffffffffffcfc7");
  CHECK_FALSE(big->to_int64().has_value());
  CHECK(big->to_string() == "-1267650600228229401496703217721");
  CHECK(varint::from_bytes(from_hex("0000ff")).to_int64() == 255);  // redundant sign bytes dropped
  CHECK(varint::from_bytes(from_hex("ffff80")).to_int64() == -128);
  CHECK_FALSE(varint::from_string("").has_value());
  CHECK_FALSE(varint::from_string("-").has_value());
  CHECK_FALSE(varint::from_string("12a").has_value());
  CHECK(varint::from_string("+0007")->to_int64() == 7);
}

TEST_CASE("decode_value: null, unset and empty cells") {
  const auto t = simple(type_kind::int_);
  CHECK(decode_value(value_view::null_value(), t)->is_null());
  CHECK(decode_value(value_view::unset_value(), t)->is_unset());
  CHECK(dec("", t)->is_empty());  // empty non-text cell: neither null nor an int
  CHECK_FALSE(dec("", t)->is_null());
  CHECK(*dec("", simple(type_kind::varchar)) == cql_value(std::string()));
  CHECK(*dec("", simple(type_kind::blob)) == cql_value(blob{}));
  // Custom types are opaque bytes: empty stays an (empty) value. The Python
  // driver reads an empty element of a class it does not know as None.
  type_spec custom;
  custom.kind = type_kind::custom;
  custom.custom_class = "com.example.PointType";
  CHECK(*dec("", custom) == cql_value(blob{}));
}

TEST_CASE("decode_value: wrong sizes and bad text are errors") {
  CHECK(code_of(dec("000001", simple(type_kind::int_))) == errc::invalid_length);
  CHECK(code_of(dec("0000000001", simple(type_kind::int_))) == errc::invalid_length);
  CHECK(code_of(dec("0102", simple(type_kind::boolean))) == errc::invalid_length);
  CHECK(code_of(dec("0102", simple(type_kind::uuid))) == errc::invalid_length);
  CHECK(code_of(dec("0102030405", simple(type_kind::inet))) == errc::invalid_length);
  CHECK(code_of(dec("ff", simple(type_kind::ascii))) == errc::invalid_value);
  CHECK(code_of(dec("c0af", simple(type_kind::varchar))) == errc::invalid_value);        // overlong
  CHECK(code_of(dec("eda080", simple(type_kind::varchar))) == errc::invalid_value);      // surrogate
  CHECK(code_of(dec("f4908080", simple(type_kind::varchar))) == errc::invalid_value);    // > U+10FFFF
  CHECK(code_of(dec("00000001", simple(type_kind::decimal))) == errc::truncated);        // no unscaled
  CHECK(code_of(dec("ffffffffffffffff", simple(type_kind::time))) == errc::invalid_value);
  CHECK(code_of(dec("0000", simple(type_kind::duration))) == errc::truncated);
  CHECK(code_of(dec("00000001", simple(type_kind::duration))) == errc::trailing_bytes);
  CHECK(code_of(dec("f80100000000 00 00", simple(type_kind::duration))) == errc::invalid_value);  // months > int32
}

// v5 §6.18 and Cassandra's DurationSerializer: months, days and nanoseconds
// share one sign. 1c3b02 is the Python driver's bytes for Duration(14, -30, 1),
// which the driver writes but the server refuses.
TEST_CASE("duration: mixed signs are refused on decode and on encode, one sign either way is fine") {
  const auto d = simple(type_kind::duration);
  auto mixed = dec("1c3b02", d);
  CHECK(code_of(mixed) == errc::invalid_value);
  CHECK(std::string(mixed.error().field) == "duration: months, days and nanoseconds of mixed signs");
  CHECK(enc_error(duration{14, -30, 1}, d) == errc::type_mismatch);
  CHECK(enc_error(duration{0, 1, -1}, d) == errc::type_mismatch);
  CHECK(enc(duration{1, 2, 3}, d) == "020406");
  CHECK(enc(duration{-1, -2, -3}, d) == "010305");
  CHECK(enc(duration{0, -2, 0}, d) == "000300");  // zero goes with either sign
  REQUIRE(dec("010305", d).has_value());
  CHECK(*dec("010305", d)->get_if<duration>() == duration{-1, -2, -3});
}

// A timeuuid is a version-1 UUID (Cassandra's TimeUUIDType refuses others);
// a uuid column takes any version.
TEST_CASE("timeuuid: only version 1 is a timeuuid, on decode, in the typed view and on encode") {
  const auto tu = simple(type_kind::timeuuid);
  const std::string v1 = "d2177dd0eaa211dea572001b779c76e3";  // the driver's uuid1 from types.golden
  const std::string v4 = "9b2e4c1a5f3d4e8b9a7c6d5e4f3a2b1c";
  REQUIRE(dec(v1, tu).has_value());
  auto bad = dec(v4, tu);
  CHECK(code_of(bad) == errc::invalid_value);
  CHECK(std::string(bad.error().field) == "timeuuid: not a version 1 UUID");
  CHECK(dec(v4, simple(type_kind::uuid)).has_value());
  const auto b4 = from_hex(v4);
  CHECK_FALSE(decode_as<uuid>(b4, tu).has_value());
  CHECK(decode_as<uuid>(b4, simple(type_kind::uuid)).has_value());
  const auto u4 = *dec(v4, simple(type_kind::uuid))->get_if<uuid>();
  CHECK(enc_error(u4, tu) == errc::type_mismatch);
  CHECK(enc(u4, simple(type_kind::uuid)) == v4);
  CHECK(enc(*dec(v1, tu)->get_if<uuid>(), tu) == v1);
}

TEST_CASE("decode_value: collection framing is checked before allocating") {
  const auto li = type_spec::list_of(simple(type_kind::int_));
  CHECK(code_of(dec("7fffffff", li)) == errc::truncated);           // count > remaining bytes
  CHECK(code_of(dec("ffffffff", li)) == errc::invalid_length);      // negative count
  CHECK(code_of(dec("00000001 00000008 00000001", li)) == errc::truncated);
  CHECK(code_of(dec("00000001 00000004 00000001 00", li)) == errc::trailing_bytes);
  auto r = dec("00000002 00000004 00000001 00000003 000001", li);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::invalid_length);  // inner int of 3 bytes
  CHECK(r.error().offset == 16);                   // offset of the inner element's end, inside the cell
  // Any negative element length is null ([bytes], v4 §3); -2 is not unset here.
  CHECK(to_string(*dec("00000002 fffffffe 00000004 00000007", li)) == "[null, 7]");
  const auto m = type_spec::map_of(simple(type_kind::int_), simple(type_kind::int_));
  CHECK(code_of(dec("10000000 00000000", m)) == errc::truncated);
}

TEST_CASE("decode_value: nesting limit") {
  type_spec t = simple(type_kind::int_);
  for (int i = 0; i < 10; ++i) t = type_spec::list_of(t);
  // Build ten nested one-element lists around the int 1.
  std::vector<std::byte> cell = from_hex("00000001");
  for (int i = 0; i < 10; ++i) {
    std::vector<std::byte> outer = from_hex("00000001");
    writer w(outer);
    w.bytes(cell);
    cell = outer;
  }
  CHECK(decode_value(value_view::of(cell), t, 64).has_value());
  auto r = decode_value(value_view::of(cell), t, 5);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::nesting_too_deep);
}

TEST_CASE("decode_value: tuples and UDTs may end early, not run over") {
  const auto tt = type_spec::tuple_of({simple(type_kind::int_), simple(type_kind::varchar)});
  CHECK(to_string(*dec("00000004 00000005", tt)) == "(5)");
  CHECK(to_string(*dec("ffffffff", tt)) == "(null)");
  CHECK(code_of(dec("00000004 00000005 00000001 61 00000000", tt)) == errc::trailing_bytes);
  CHECK(code_of(dec("00000004 00000005 000000", tt)) == errc::truncated);
}

TEST_CASE("decode_value: vectors") {
  const auto vf = type_spec::vector_of(simple(type_kind::float_), 2);
  CHECK(to_string(*dec("3f800000 40000000", vf)) == "[1, 2]");
  CHECK(code_of(dec("3f800000", vf)) == errc::invalid_length);
  CHECK(code_of(dec("3f800000 40000000 00", vf)) == errc::invalid_length);
  const auto vt = type_spec::vector_of(simple(type_kind::varchar), 2);
  CHECK(to_string(*dec("0161 00", vt)) == "['a', '']");
  CHECK(code_of(dec("0161", vt)) == errc::truncated);
  CHECK(code_of(dec("05 61", vt)) == errc::truncated);
  CHECK(code_of(dec("0161 0062", vt)) == errc::trailing_bytes);
  const auto vs = type_spec::vector_of(simple(type_kind::smallint), 1);
  CHECK(code_of(dec("00", vs)) == errc::invalid_value);  // empty element: not a smallint
  const auto huge = type_spec::vector_of(simple(type_kind::varchar), 0x7fffffff);
  CHECK(code_of(dec("00", huge)) == errc::truncated);    // dimension checked against the bytes
  const auto vbig = type_spec::vector_of(type_spec::vector_of(simple(type_kind::float_), 0x7fffffff), 0x7fffffff);
  CHECK_FALSE(dec("00", vbig).has_value());
}

TEST_CASE("encode_value: [value] prefix, null and unset") {
  std::vector<std::byte> out;
  writer w(out);
  CHECK_FALSE(encode_value(w, null_value{}, simple(type_kind::int_)));
  CHECK_FALSE(encode_value(w, unset_value{}, simple(type_kind::int_)));
  CHECK_FALSE(encode_value(w, std::int32_t{7}, simple(type_kind::int_)));
  CHECK(to_hex(out) == "ffffffff" "fffffffe" "00000004" "00000007");
  CHECK(enc_error(cql_list{{unset_value{}}}, type_spec::list_of(simple(type_kind::int_))) == errc::type_mismatch);
  CHECK(enc(cql_list{{null_value{}}}, type_spec::list_of(simple(type_kind::int_))) == "00000001ffffffff");
}

TEST_CASE("encode_value: lenient integer widths, strict everything else") {
  CHECK(enc(std::int8_t{5}, simple(type_kind::bigint)) == "0000000000000005");
  CHECK(enc(std::int64_t{-2}, simple(type_kind::varint)) == "fe");
  CHECK(enc(std::int64_t{1000}, simple(type_kind::timestamp)) == "00000000000003e8");
  CHECK(enc(1.5f, simple(type_kind::double_)) == "3ff8000000000000");
  CHECK(enc_error(std::int64_t{128}, simple(type_kind::tinyint)) == errc::type_mismatch);
  CHECK(enc_error(std::int32_t{1}, simple(type_kind::float_)) == errc::type_mismatch);
  CHECK(enc_error(std::string("x"), simple(type_kind::blob)) == errc::type_mismatch);
  CHECK(enc_error(std::string("\xc3\xa9"), simple(type_kind::ascii)) == errc::type_mismatch);
  CHECK(enc_error(time_value{time_value::nanos_per_day}, simple(type_kind::time)) == errc::type_mismatch);
  CHECK(enc_error(inet_address{{}, 5}, simple(type_kind::inet)) == errc::type_mismatch);
  CHECK(enc_error(cql_tuple{{1, 2, 3}}, type_spec::tuple_of({simple(type_kind::int_)})) == errc::type_mismatch);
  CHECK(enc_error(cql_list{{1.0f}}, type_spec::vector_of(simple(type_kind::float_), 2)) == errc::type_mismatch);
  CHECK(enc_error(cql_list{{null_value{}}}, type_spec::vector_of(simple(type_kind::varchar), 1)) == errc::type_mismatch);
  CHECK(enc_error(cql_list{}, simple(type_kind::int_)) == errc::type_mismatch);
  type_spec deep = simple(type_kind::int_);
  cql_value dv = std::int32_t{1};
  for (int i = 0; i < 100; ++i) {
    deep = type_spec::list_of(deep);
    dv = cql_list{{dv}};
  }
  CHECK(enc_error(dv, deep) == errc::nesting_too_deep);
}

TEST_CASE("cql_value equality compares floats by bits") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(cql_value(nan) == cql_value(nan));
  CHECK_FALSE(cql_value(0.0) == cql_value(-0.0));
  CHECK_FALSE(cql_value(std::int32_t{1}) == cql_value(std::int64_t{1}));
}

TEST_CASE("to_string: display forms") {
  CHECK(to_string(decimal{varint::from_int64(-5), 3}) == "-0.005");
  CHECK(to_string(decimal{varint::from_int64(15), -9}) == "15E+9");
  CHECK(to_string(date_value{date_value::epoch + 19782}) == "2024-02-29");
  CHECK(to_string(time_value{1}) == "00:00:00.000000001");
  CHECK(to_string(timestamp_value{-1}) == "1969-12-31T23:59:59.999Z");
  // Fuzz regression (UBSan): the floor division overflowed for INT64_MIN.
  // Outside years 0-9999 with a sign, as Cassandra (Java's Instant) prints them.
  CHECK(to_string(timestamp_value{std::numeric_limits<std::int64_t>::min()}) == "-292275055-05-16T16:47:04.192Z");
  CHECK(to_string(timestamp_value{std::numeric_limits<std::int64_t>::max()}) == "+292278994-08-17T07:12:55.807Z");
  CHECK(to_string(duration{1, -2, 3}) == "1mo-2d3ns");
  CHECK(to_string(std::string("it's")) == "'it''s'");
  CHECK(to_string(cql_map{{{1, std::string("a")}}}) == "{1: 'a'}");
  CHECK(to_string(cql_list{{1, 2}}, type_spec::set_of(simple(type_kind::int_))) == "{1, 2}");
}

TEST_CASE("decode_as: typed zero-copy reads") {
  const auto four = from_hex("00000007");
  CHECK(*decode_as<std::int32_t>(four, simple(type_kind::int_)) == 7);
  CHECK(*decode_as<float>(from_hex("3fc00000"), simple(type_kind::float_)) == 1.5f);
  CHECK(*decode_as<std::int64_t>(from_hex("00000000000003e8"), simple(type_kind::timestamp)) == 1000);
  CHECK(*decode_as<std::uint32_t>(from_hex("80000000"), simple(type_kind::date)) == date_value::epoch);
  CHECK(*decode_as<bool>(from_hex("01"), simple(type_kind::boolean)));
  const auto txt = from_hex("68c3a9");
  auto sv = decode_as<std::string_view>(txt, simple(type_kind::varchar));
  REQUIRE(sv.has_value());
  CHECK(*sv == "h\xc3\xa9");
  CHECK(static_cast<const void*>(sv->data()) == static_cast<const void*>(txt.data()));  // borrowed
  CHECK(decode_as<std::int32_t>(four, simple(type_kind::bigint)).error().code == errc::type_mismatch);
  CHECK(decode_as<std::int64_t>(four, simple(type_kind::bigint)).error().code == errc::invalid_length);
  CHECK(decode_as<std::string_view>(from_hex("ff"), simple(type_kind::ascii)).error().code == errc::invalid_value);
  CHECK(*decode_as<std::string>(txt, simple(type_kind::varchar)) == "h\xc3\xa9");  // a copy
  CHECK(decode_as<std::string>(from_hex("ff"), simple(type_kind::varchar)).error().code == errc::invalid_value);
  CHECK(decode_as<std::string>(four, simple(type_kind::int_)).error().code == errc::type_mismatch);
  CHECK(decode_as<inet_address>(from_hex("7f000001"), simple(type_kind::inet))->to_string() == "127.0.0.1");
  CHECK(decode_as<uuid>(four, simple(type_kind::uuid)).error().code == errc::invalid_length);
  auto opt = decode_optional<std::int32_t>(value_view::of({}), simple(type_kind::int_));
  REQUIRE(opt.has_value());
  CHECK_FALSE(opt->has_value());
}

TEST_CASE("views: lazy iteration over lists, maps, vectors and tuples") {
  const auto li = type_spec::list_of(simple(type_kind::int_));
  const auto cell = from_hex("00000003 00000004 00000001 ffffffff 00000004 00000003");
  auto cv = collection_view::make(cell, li);
  REQUIRE(cv.has_value());
  std::vector<std::string> seen;
  for (value_view e : *cv) {
    auto x = decode_optional<std::int32_t>(e, cv->element_type());
    REQUIRE(x.has_value());
    seen.push_back(x->has_value() ? std::to_string(**x) : "null");
  }
  CHECK(seen == std::vector<std::string>{"1", "null", "3"});
  CHECK(collection_view::make(from_hex("00000002 00000004 00000001"), li).error().code == errc::truncated);
  CHECK(collection_view::make(from_hex("00000001 00000004 00000001 00"), li).error().code == errc::trailing_bytes);
  CHECK(collection_view::make(cell, simple(type_kind::int_)).error().code == errc::type_mismatch);

  const auto vt = type_spec::vector_of(simple(type_kind::varchar), 2);
  const auto vcell = from_hex("0161 026263");
  auto vv = collection_view::make(vcell, vt);
  REQUIRE(vv.has_value());
  std::string joined;
  for (value_view e : *vv) joined += std::string(*decode_as<std::string_view>(e.bytes, vv->element_type()));
  CHECK(joined == "abc");

  const auto m = type_spec::map_of(simple(type_kind::varchar), simple(type_kind::int_));
  const auto mcell = from_hex("00000001 00000001 6b 00000004 00000009");
  auto mv = map_view::make(mcell, m);
  REQUIRE(mv.has_value());
  for (auto [k, v] : *mv) {
    CHECK(*decode_as<std::string_view>(k.bytes, mv->key_type()) == "k");
    CHECK(*decode_as<std::int32_t>(v.bytes, mv->value_type()) == 9);
  }

  const auto tt = type_spec::tuple_of({simple(type_kind::int_), simple(type_kind::varchar), simple(type_kind::boolean)});
  const auto tcell = from_hex("00000004 00000005 ffffffff");  // views borrow: keep it alive
  auto tv = tuple_view::make(tcell, tt);
  REQUIRE(tv.has_value());
  CHECK(tv->size() == 2);
  CHECK(tv->at(1).is_null());
  CHECK(tv->at(2).is_null());
  CHECK(tuple_view::make(from_hex("00000004 000000"), tt).error().code == errc::truncated);
}

TEST_CASE("decode_as: varint, decimal, duration, date, time and timestamp as their own types") {
  const auto vi = from_hex("ff7f");  // -129, two's complement
  auto v = decode_as<varint>(vi, simple(type_kind::varint));
  REQUIRE(v);
  CHECK(v->to_string() == "-129");
  CHECK(code_of(decode_as<varint>(vi, simple(type_kind::int_))) == errc::type_mismatch);
  CHECK(code_of(decode_as<varint>(bytes_view{}, simple(type_kind::varint))) == errc::invalid_length);

  const auto de = from_hex("00000002" "04d2");  // 1234 * 10^-2
  auto d = decode_as<decimal>(de, simple(type_kind::decimal));
  REQUIRE(d);
  CHECK(d->scale == 2);
  CHECK(d->unscaled.to_string() == "1234");
  CHECK(code_of(decode_as<decimal>(from_hex("00000002"), simple(type_kind::decimal))) == errc::truncated);

  const auto du = from_hex("020406");
  auto u = decode_as<duration>(du, simple(type_kind::duration));
  REQUIRE(u);
  CHECK(*u == duration{1, 2, 3});
  auto mixed = decode_as<duration>(from_hex("1c3b02"), simple(type_kind::duration));
  CHECK(code_of(mixed) == errc::invalid_value);

  auto day = decode_as<date_value>(from_hex("80000001"), simple(type_kind::date));
  REQUIRE(day);
  CHECK(day->days == date_value::epoch + 1);
  auto noon = decode_as<time_value>(from_hex("00000a7a35820000"), simple(type_kind::time));
  REQUIRE(noon);
  CHECK(noon->nanoseconds == 11'520'000'000'000);
  CHECK(code_of(decode_as<time_value>(from_hex("ffffffffffffffff"), simple(type_kind::time))) == errc::invalid_value);
  auto ts = decode_as<timestamp_value>(from_hex("00000000000003e8"), simple(type_kind::timestamp));
  REQUIRE(ts);
  CHECK(ts->milliseconds == 1000);
  // Through decode_optional, an empty cell is null for these as for the others.
  auto empty = decode_optional<varint>(value_view{value_view::state::set, {}}, simple(type_kind::varint));
  REQUIRE(empty);
  CHECK_FALSE(empty->has_value());
}

// An empty value (0 bytes, which the spec allows for most non-string types)
// stays distinct from null through decode and re-encode: byte for byte.
TEST_CASE("empty values: decoded apart from null and re-encoded as 0 bytes, top level and inside collections") {
  const auto i32 = simple(type_kind::int_);
  // A [value] of length 0 for an int: 00000000, not ffffffff.
  auto v = dec("", i32);
  REQUIRE(v);
  CHECK(v->is_empty());
  CHECK(to_string(*v, i32) == "empty");
  auto as_value = [](const cql_value& x, const type_spec& ty) {
    std::vector<std::byte> out;
    writer w(out);
    REQUIRE_FALSE(encode_value(w, x, ty));
    return to_hex(out);
  };
  CHECK(as_value(*v, i32) == "00000000");
  CHECK(as_value(null_value{}, i32) == "ffffffff");
  CHECK(enc(*v, i32).empty());
  // Inside a list and a map: [1, empty, 3] keeps its empty element.
  const auto li = type_spec::list_of(i32);
  const std::string list_hex = "00000003" "0000000400000001" "00000000" "0000000400000003";
  auto l = dec(list_hex, li);
  REQUIRE(l);
  CHECK(to_string(*l, li) == "[1, empty, 3]");
  CHECK(enc(*l, li) == list_hex);
  const auto mi = type_spec::map_of(i32, i32);
  const std::string map_hex = "00000001" "0000000400000001" "00000000";
  auto m = dec(map_hex, mi);
  REQUIRE(m);
  CHECK(enc(*m, mi) == map_hex);
  // Every type whose empty form is no value reads it as empty; the string types as "" / 0x.
  for (auto k : {type_kind::bigint, type_kind::boolean, type_kind::uuid, type_kind::timestamp, type_kind::date,
                 type_kind::inet, type_kind::varint, type_kind::decimal, type_kind::duration, type_kind::double_}) {
    auto e = dec("", simple(k));
    REQUIRE(e);
    CHECK(e->is_empty());
    CHECK(as_value(*e, simple(k)) == "00000000");
  }
  // A vector element has no empty form.
  CHECK(enc_error(cql_list{{cql_value(empty_value{})}}, type_spec::vector_of(i32, 1)) == errc::type_mismatch);
}
