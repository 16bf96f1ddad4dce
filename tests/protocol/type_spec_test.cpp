#include "cqlpp/protocol/type_spec.hpp"

#include <doctest/doctest.h>

#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

TEST_CASE("type_spec: nested collections, tuple and udt round-trip") {
  type_spec udt;
  udt.kind = type_kind::udt;
  udt.udt_keyspace = "ks";
  udt.udt_name = "addr";
  udt.field_names = {"street", "zip"};
  udt.params = {type_spec::simple(type_kind::varchar), type_spec::simple(type_kind::int_)};
  const auto t = type_spec::map_of(type_spec::simple(type_kind::int_),
                                   type_spec::list_of(type_spec::tuple_of({udt, type_spec::simple(type_kind::uuid)})));
  std::vector<std::byte> buf;
  writer w(buf);
  encode_type_spec(w, t);
  REQUIRE(w.ok());
  CHECK(to_hex(buf) ==
        "0021" "0009" "0020" "0031" "0002"
        "0030" "00026b73" "000461646472" "0002" "0006737472656574" "000d" "00037a6970" "0009"
        "000c");
  reader r(buf);
  auto d = decode_type_spec(r);
  REQUIRE(d.has_value());
  CHECK(*d == t);
  CHECK(to_cql_string(*d) == "map<int, list<tuple<ks.addr, uuid>>>");
}

TEST_CASE("type_spec: hostile input") {
  SUBCASE("unknown id") {
    auto b = from_hex("00ff");
    reader r(b);
    auto d = decode_type_spec(r);
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().code == errc::invalid_value);
  }
  SUBCASE("nesting beyond the limit") {
    std::vector<std::byte> b;
    for (int i = 0; i < 100; ++i) { b.push_back(std::byte{0}); b.push_back(std::byte{0x20}); }
    b.push_back(std::byte{0}); b.push_back(std::byte{9});
    reader r(b);
    auto d = decode_type_spec(r, 64);
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().code == errc::nesting_too_deep);
  }
  SUBCASE("udt claims more fields than bytes") {
    auto b = from_hex("0030 0000 0000 ffff");
    reader r(b);
    auto d = decode_type_spec(r);
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().code == errc::truncated);
  }
}
