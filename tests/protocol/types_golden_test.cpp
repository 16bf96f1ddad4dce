// Golden vectors from the Python driver (tests/golden/types_gen.py): cqlpp
// must decode each to the expected value and encode that value back to the
// same bytes exactly. Every input is also decoded at every truncation.
#include <doctest/doctest.h>

#include "cqlpp/protocol/marshal_name.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/protocol/value.hpp"
#include "test_bytes.hpp"
#include "../golden/types_golden_file.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

const std::vector<cqlpp::test::types_golden_case>& cases() {
  static const auto c = cqlpp::test::read_types_golden(std::string(CQLPP_GOLDEN_DIR) + "/types.golden");
  return c;
}

// Decodes `b` as a cell or as a [value]; the error when it does not decode.
result<cql_value> decode(const std::vector<std::byte>& b, std::size_t n, const std::string& form, const type_spec& t) {
  const bytes_view in(b.data(), n);
  if (form != "value") return decode_value(value_view::of(in), t);
  reader r(in);
  const value_view v = r.value("value");
  r.expect_end("value");
  if (!r.ok()) return r.error();
  return decode_value(v, t);
}

}  // namespace

TEST_CASE("types golden: decode to the driver's value, encode to the driver's bytes") {
  REQUIRE(cases().size() > 200);
  int matched = 0;
  for (const auto& c : cases()) {
    CAPTURE(c.name);
    CAPTURE(c.protocol_version);
    auto t = parse_marshal_name(c.marshal_type);
    REQUIRE(t.has_value());
    const auto bytes = from_hex(c.hex);
    auto v = decode(bytes, bytes.size(), c.form, *t);
    REQUIRE_MESSAGE(v.has_value(), (v ? std::string() : v.error().message()));
    CHECK(to_string(*v, *t) == c.display);

    if (c.form == "cell_decode_only") {
      if (to_string(*v, *t) == c.display) ++matched;
      continue;
    }
    std::vector<std::byte> out;
    writer w(out);
    const auto ec = c.form == "cell" ? encode_value_bytes(w, *v, *t) : encode_value(w, *v, *t);
    REQUIRE_FALSE(ec);
    CHECK(to_hex(out) == c.hex);
    if (to_string(*v, *t) == c.display && to_hex(out) == c.hex) ++matched;
  }
  MESSAGE("types golden: " << matched << " of " << cases().size() << " cases match the driver (byte for byte where encodable)");
}

TEST_CASE("types golden: marshal names print back as Cassandra writes them") {
  for (const auto& c : cases()) {
    if (c.marshal_type.find("FrozenType") != std::string::npos ||
        c.marshal_type.find("ReversedType") != std::string::npos)
      continue;
    CAPTURE(c.marshal_type);
    auto t = parse_marshal_name(c.marshal_type);
    REQUIRE(t.has_value());
    CHECK(to_marshal_name(*t) == c.marshal_type);
  }
}

TEST_CASE("types golden: truncated at every position gives a value or a clean error") {
  for (const auto& c : cases()) {
    CAPTURE(c.name);
    auto t = parse_marshal_name(c.marshal_type);
    REQUIRE(t.has_value());
    const auto bytes = from_hex(c.hex);
    // Big cases: a sample of positions keeps the test fast.
    const std::size_t step = bytes.size() > 4096 ? bytes.size() / 512 : 1;
    for (std::size_t n = 0; n < bytes.size(); n += step) {
      auto v = decode(bytes, n, c.form, *t);
      if (!v) CHECK(v.error().offset <= n);
      if (c.form == "value") continue;
      // The views must agree with the full decoder on framing.
      (void)collection_view::make(bytes_view(bytes.data(), n), *t);
      (void)tuple_view::make(bytes_view(bytes.data(), n), *t);
    }
  }
}

TEST_CASE("types golden: views walk the same elements the decoder finds") {
  for (const auto& c : cases()) {
    if (c.form == "value") continue;
    CAPTURE(c.name);
    auto t = parse_marshal_name(c.marshal_type);
    REQUIRE(t.has_value());
    const auto bytes = from_hex(c.hex);
    auto v = decode_value(value_view::of(bytes), *t);
    REQUIRE(v.has_value());
    if (const auto* l = v->get_if<cql_list>()) {
      auto cv = collection_view::make(bytes, *t);
      REQUIRE(cv.has_value());
      REQUIRE(cv->size() == l->items.size());
      std::size_t i = 0;
      for (value_view e : *cv) {
        auto d = decode_value(e, cv->element_type());
        REQUIRE(d.has_value());
        CHECK(*d == l->items[i++]);
      }
    } else if (const auto* m = v->get_if<cql_map>()) {
      auto mv = map_view::make(bytes, *t);
      REQUIRE(mv.has_value());
      REQUIRE(mv->size() == m->entries.size());
      std::size_t i = 0;
      for (auto [k, x] : *mv) {
        CHECK(*decode_value(k, mv->key_type()) == m->entries[i].first);
        CHECK(*decode_value(x, mv->value_type()) == m->entries[i].second);
        ++i;
      }
    } else if (const auto* tu = v->get_if<cql_tuple>()) {
      auto tv = tuple_view::make(bytes, *t);
      REQUIRE(tv.has_value());
      REQUIRE(tv->size() == tu->fields.size());
      for (std::size_t i = 0; i < tv->size(); ++i)
        CHECK(*decode_value(tv->at(i), tv->field_type(i)) == tu->fields[i]);
    }
  }
}
