// parse_cql_type: CQL type syntax in, type_spec out, and to_cql_string back.
#include "cqlpp/protocol/type_syntax.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cqlpp::protocol;

namespace {

// One UDT known to the lookup: ks.address (street text, zip int), and a
// case-sensitive "Point" in the caller's keyspace (unqualified).
std::optional<type_spec> lookup(std::string_view ks, std::string_view name) {
  type_spec t;
  t.kind = type_kind::udt;
  if ((ks == "ks" || ks.empty()) && name == "address") {
    t.udt_keyspace = "ks";
    t.udt_name = "address";
    t.field_names = {"street", "zip"};
    t.params = {type_spec::simple(type_kind::varchar), type_spec::simple(type_kind::int_)};
    return t;
  }
  if (ks.empty() && name == "Point") {
    t.udt_keyspace = "";
    t.udt_name = "Point";
    t.field_names = {"x"};
    t.params = {type_spec::simple(type_kind::double_)};
    return t;
  }
  return std::nullopt;
}

std::string round_trip(std::string_view in) {
  auto t = parse_cql_type(in, lookup);
  if (!t) return "error: " + t.error().message();
  return to_cql_string(*t);
}

}  // namespace

TEST_CASE("parse_cql_type: the issue's examples, printed back") {
  auto t = parse_cql_type("map<int, frozen<list<text>>>");
  REQUIRE(t);
  CHECK(t->kind == type_kind::map);
  REQUIRE(t->params.size() == 2);
  CHECK(t->params[0] == type_spec::simple(type_kind::int_));
  CHECK(t->params[1].kind == type_kind::list);
  CHECK(t->params[1].frozen);
  CHECK(t->params[1].params[0] == type_spec::simple(type_kind::varchar));
  CHECK(to_cql_string(*t) == "map<int, frozen<list<text>>>");

  auto v = parse_cql_type("vector<float, 3>");
  REQUIRE(v);
  CHECK(*v == type_spec::vector_of(type_spec::simple(type_kind::float_), 3));
  CHECK(round_trip("tuple<int, text, frozen<ks.address>>") == "tuple<int, text, frozen<ks.address>>");
  CHECK(round_trip("set<timeuuid>") == "set<timeuuid>");
}

TEST_CASE("parse_cql_type: every native name, case and spacing as CQL allows") {
  for (const char* n : {"ascii", "bigint", "blob", "boolean", "counter", "date", "decimal", "double", "duration",
                        "float", "inet", "int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint",
                        "uuid", "varint"}) {
    CHECK(round_trip(n) == n);
  }
  CHECK(round_trip("varchar") == "text");  // one type, two names
  CHECK(round_trip("  MAP < INT ,Frozen<List<Text>> >  ") == "map<int, frozen<list<text>>>");
  CHECK(round_trip("'org.apache.cassandra.db.marshal.DynamicCompositeType'") ==
        "'org.apache.cassandra.db.marshal.DynamicCompositeType'");
}

TEST_CASE("parse_cql_type: UDTs through the caller's lookup, quoted names kept") {
  auto a = parse_cql_type("frozen<ks.address>", lookup);
  REQUIRE(a);
  CHECK(a->kind == type_kind::udt);
  CHECK(a->field_names == std::vector<std::string>{"street", "zip"});
  CHECK(round_trip("KS.Address") == "ks.address");  // unquoted names are lower-cased
  CHECK(round_trip("list<frozen<\"Point\">>") == "list<frozen<\"Point\">>");
  CHECK(round_trip("address") == "ks.address");  // unqualified: the lookup names the keyspace
  auto none = parse_cql_type("ks.address");  // no lookup
  REQUIRE_FALSE(none);
  CHECK(none.error().code == errc::invalid_value);
  CHECK(std::string(none.error().field) == "UDT known to the lookup");
}

TEST_CASE("parse_cql_type: bad syntax says where and what was expected") {
  struct bad {
    const char* text;
    std::size_t offset;
    const char* expected;
  };
  for (const auto& b : {bad{"map<int>", 8, "more type parameters"}, bad{"list<int, int>", 8, "'>'"},
                        bad{"list<int", 8, "'>'"}, bad{"vector<float, 0>", 14, "vector dimension (a positive integer)"},
                        bad{"vector<float>", 12, "','"}, bad{"tuple<>", 6, "type name"},
                        bad{"int int", 4, "end of the type"}, bad{"", 0, "type name"},
                        bad{"frozen<int", 10, "'>'"}, bad{"'unterminated", 0, "custom class name in quotes"},
                        bad{"\"\"", 0, "type name"}}) {
    auto t = parse_cql_type(b.text, lookup);
    INFO(b.text);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::invalid_value);
    CHECK(t.error().offset == b.offset);
    CHECK(std::string(t.error().field) == b.expected);
  }
}

TEST_CASE("parse_cql_type: nesting is bounded, not recursion without end") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "list<";
  auto t = parse_cql_type(deep + "int" + std::string(100000, '>'));
  REQUIRE_FALSE(t);
  CHECK(t.error().code == errc::nesting_too_deep);
  std::string ok;
  for (int i = 0; i < 10; ++i) ok += "list<";
  CHECK(parse_cql_type(ok + "int" + std::string(10, '>'), {}, 11));
}
