// Prints cqlpp's encodings for types_roundtrip.py to decode with the Python
// driver. Two sources:
//  - every case of types.golden, decoded by cqlpp and encoded again;
//  - values built here in C++ ("cpp_" cases), with types named by
//    to_marshal_name (so the driver also parses cqlpp's marshal names).
// Output lines: name <TAB> protocol_version <TAB> form <TAB> marshal type <TAB> hex
#include <cstdio>
#include <limits>
#include <string>

#include "cqlpp/protocol/marshal_name.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/value.hpp"
#include "tests/golden/types_golden_file.hpp"
#include "tests/protocol/test_bytes.hpp"

using namespace cqlpp::protocol;

namespace {

type_spec simple(type_kind k) { return type_spec::simple(k); }

int emit(const std::string& name, const std::string& form, const cql_value& v, const type_spec& t,
         const std::string& marshal) {
  std::vector<std::byte> out;
  writer w(out);
  const auto ec = form == "value" ? encode_value(w, v, t) : encode_value_bytes(w, v, t);
  if (ec) {
    std::fprintf(stderr, "%s: encode failed: %s\n", name.c_str(), ec.message().c_str());
    return 1;
  }
  for (int pv : {4, 5})
    std::printf("%s\t%d\t%s\t%s\t%s\n", name.c_str(), pv, form.c_str(), marshal.c_str(),
                cqlpp::test::to_hex(out).c_str());
  return 0;
}

int emit_cpp(const std::string& name, const cql_value& v, const type_spec& t) {
  return emit(name, "cell", v, t, to_marshal_name(t));
}

uuid make_uuid(std::uint8_t fill) {
  uuid u;
  u.bytes.fill(fill);
  return u;
}

int cpp_cases() {
  int bad = 0;
  const auto text = simple(type_kind::varchar);
  const auto i32 = simple(type_kind::int_);
  bad += emit_cpp("cpp_int", std::int32_t{42}, i32);
  bad += emit_cpp("cpp_bigint_from_int8", std::int8_t{-3}, simple(type_kind::bigint));
  bad += emit_cpp("cpp_text", std::string("h\xc3\xa9llo"), text);
  bad += emit_cpp("cpp_varint_big", *varint::from_string("-123456789012345678901234567890"), simple(type_kind::varint));
  bad += emit_cpp("cpp_decimal", decimal{varint::from_int64(-31415), 4}, simple(type_kind::decimal));
  bad += emit_cpp("cpp_decimal_neg_scale", decimal{varint::from_int64(12), -3}, simple(type_kind::decimal));
  bad += emit_cpp("cpp_double_nan", std::numeric_limits<double>::quiet_NaN(), simple(type_kind::double_));
  bad += emit_cpp("cpp_float", -1.25f, simple(type_kind::float_));
  bad += emit_cpp("cpp_duration", duration{-1, -2, -3}, simple(type_kind::duration));
  bad += emit_cpp("cpp_date", date_value{date_value::epoch + 1}, simple(type_kind::date));
  bad += emit_cpp("cpp_time", time_value{3'600'000'000'001}, simple(type_kind::time));
  bad += emit_cpp("cpp_timestamp", timestamp_value{1'700'000'000'123}, simple(type_kind::timestamp));
  inet_address v6;
  v6.size = 16;
  v6.bytes[15] = 1;
  bad += emit_cpp("cpp_inet6", v6, simple(type_kind::inet));
  bad += emit_cpp("cpp_uuid", make_uuid(0xab), simple(type_kind::uuid));
  bad += emit_cpp("cpp_blob", blob{std::byte{0}, std::byte{0xff}}, simple(type_kind::blob));
  bad += emit_cpp("cpp_list_map",
                  cql_list{{cql_map{{{std::string("a"), std::int32_t{1}}}}, cql_map{}}},
                  type_spec::list_of(type_spec::map_of(text, i32)));
  bad += emit_cpp("cpp_set_int", cql_list{{1, 2, 3}}, type_spec::set_of(i32));
  bad += emit_cpp("cpp_tuple_null", cql_tuple{{null_value{}, std::string("a")}}, type_spec::tuple_of({i32, text}));
  type_spec udt;
  udt.kind = type_kind::udt;
  udt.udt_keyspace = "ks";
  udt.udt_name = "phone";
  udt.field_names = {"street", "zip"};
  udt.params = {text, i32};
  bad += emit_cpp("cpp_udt", cql_tuple{{std::string("Main"), std::int32_t{5}}}, udt);
  bad += emit_cpp("cpp_udt_short", cql_tuple{{std::string("Main")}}, udt);
  bad += emit_cpp("cpp_vector_float", cql_list{{0.5f, -1.0f, 2.0f}}, type_spec::vector_of(simple(type_kind::float_), 3));
  bad += emit_cpp("cpp_vector_text", cql_list{{std::string("x"), std::string("yz")}}, type_spec::vector_of(text, 2));
  bad += emit_cpp("cpp_vector_vector",
                  cql_list{{cql_list{{std::int64_t{1}}}, cql_list{{std::int64_t{-1}}}}},
                  type_spec::vector_of(type_spec::vector_of(simple(type_kind::bigint), 1), 2));
  bad += emit("cpp_value_null", "value", null_value{}, i32, to_marshal_name(i32));
  bad += emit("cpp_value_unset", "value", unset_value{}, i32, to_marshal_name(i32));
  return bad;
}

}  // namespace

// --seeds: one hex line per value_fuzzer seed (0x01, the case's [option],
// the cell), for fuzz/corpus/value/.
int print_seeds(const char* golden) {
  for (const auto& c : cqlpp::test::read_types_golden(golden)) {
    if (c.form == "value" || c.hex.size() > 8192) continue;
    auto t = parse_marshal_name(c.marshal_type);
    if (!t) return 1;
    std::vector<std::byte> seed{std::byte{1}};
    writer w(seed);
    encode_type_spec(w, *t);
    const auto cell = cqlpp::test::from_hex(c.hex);
    w.raw(bytes_view(cell));
    std::printf("%s\n", cqlpp::test::to_hex(seed).c_str());
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--seeds") return print_seeds(argv[2]);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s [--seeds] types.golden\n", argv[0]);
    return 2;
  }
  int bad = 0;
  for (const auto& c : cqlpp::test::read_types_golden(argv[1])) {
    auto t = parse_marshal_name(c.marshal_type);
    if (!t) { ++bad; continue; }
    const auto bytes = cqlpp::test::from_hex(c.hex);
    result<cql_value> v = cql_value{};
    if (c.form == "value") {
      reader r(bytes);
      v = decode_value(r.value("value"), *t);
    } else {
      v = decode_value(value_view::of(bytes), *t);
    }
    if (!v) {
      std::fprintf(stderr, "%s: decode failed: %s\n", c.name.c_str(), v.error().message().c_str());
      ++bad;
      continue;
    }
    std::vector<std::byte> out;
    writer w(out);
    const auto ec = c.form == "value" ? encode_value(w, *v, *t) : encode_value_bytes(w, *v, *t);
    if (ec) { ++bad; continue; }
    std::printf("%s\t%d\t%s\t%s\t%s\n", c.name.c_str(), c.protocol_version, c.form == "value" ? "value" : "cell",
                c.marshal_type.c_str(), cqlpp::test::to_hex(out).c_str());
  }
  bad += cpp_cases();
  return bad == 0 ? 0 : 1;
}
