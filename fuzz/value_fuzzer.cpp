// Fuzz target: the CQL value codec (protocol/value.hpp, typed_view.hpp).
//
// Input: byte 0 chooses where the type comes from — odd: an [option]
// decoded from the following bytes (as a Rows result would carry it); even:
// entry byte1 % N of a fixed table. The rest is the cell.
// Checks: decode -> encode succeeds -> decode gives the same value; the
// zero-copy views accept exactly what the decoder's framing accepts.
#include <vector>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/marshal_name.hpp"
#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/protocol/value.hpp"

using namespace cqlpp::protocol;

namespace {

type_spec s(type_kind k) { return type_spec::simple(k); }

std::vector<type_spec> table() {
  type_spec udt;
  udt.kind = type_kind::udt;
  udt.udt_keyspace = "ks";
  udt.udt_name = "u";
  udt.field_names = {"a", "b", "c"};
  udt.params = {s(type_kind::varchar), s(type_kind::int_), type_spec::list_of(s(type_kind::double_))};
  std::vector<type_spec> t;
  for (auto k : {type_kind::ascii, type_kind::bigint, type_kind::blob, type_kind::boolean, type_kind::decimal,
                 type_kind::double_, type_kind::float_, type_kind::int_, type_kind::timestamp, type_kind::uuid,
                 type_kind::varchar, type_kind::varint, type_kind::inet, type_kind::date, type_kind::time,
                 type_kind::smallint, type_kind::tinyint, type_kind::duration})
    t.push_back(s(k));
  t.push_back(type_spec::list_of(s(type_kind::int_)));
  t.push_back(type_spec::set_of(s(type_kind::varchar)));
  t.push_back(type_spec::map_of(s(type_kind::varchar), type_spec::list_of(s(type_kind::varint))));
  t.push_back(type_spec::tuple_of({s(type_kind::int_), s(type_kind::varchar), s(type_kind::decimal)}));
  t.push_back(udt);
  t.push_back(type_spec::list_of(udt));
  t.push_back(type_spec::vector_of(s(type_kind::float_), 3));
  t.push_back(type_spec::vector_of(s(type_kind::varchar), 3));
  t.push_back(type_spec::vector_of(s(type_kind::smallint), 2));
  t.push_back(type_spec::vector_of(type_spec::vector_of(s(type_kind::bigint), 2), 2));
  t.push_back(type_spec::vector_of(type_spec::list_of(s(type_kind::duration)), 2));
  t.push_back(type_spec::list_of(type_spec::list_of(type_spec::map_of(s(type_kind::int_), s(type_kind::inet)))));
  return t;
}

void check_views(bytes_view cell, const type_spec& t, const cql_value& v) {
  if (const auto* l = v.get_if<cql_list>()) {
    auto cv = collection_view::make(cell, t);
    FUZZ_ASSERT(cv.has_value() && cv->size() == l->items.size());
    std::size_t i = 0;
    for (value_view e : *cv) {
      auto d = decode_value(e, cv->element_type());
      FUZZ_ASSERT(d.has_value() && *d == l->items[i]);
      ++i;
    }
  } else if (const auto* tu = v.get_if<cql_tuple>()) {
    auto tv = tuple_view::make(cell, t);
    FUZZ_ASSERT(tv.has_value() && tv->size() == tu->fields.size());
  } else if (v.get_if<cql_map>()) {
    FUZZ_ASSERT(map_view::make(cell, t).has_value());
  } else if (const auto* x = v.get_if<std::int32_t>()) {
    FUZZ_ASSERT(*decode_as<std::int32_t>(cell, t) == *x);
  } else if (const auto* str = v.get_if<std::string>()) {
    FUZZ_ASSERT(*decode_as<std::string_view>(cell, t) == *str);
  }
}

}  // namespace

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bytes_view in(reinterpret_cast<const std::byte*>(data), size);
  type_spec t;
  bytes_view cell;
  if (data[0] & 1) {
    reader r(in.subspan(1));
    auto d = decode_type_spec(r, 16);
    if (!d) return 0;
    t = std::move(*d);
    cell = r.rest();
    // The [option] itself must survive encode -> decode.
    std::vector<std::byte> opt;
    writer w(opt);
    encode_type_spec(w, t);
    if (w.ok()) {
      reader r2(opt);
      auto again = decode_type_spec(r2, 64);
      FUZZ_ASSERT(again.has_value() && *again == t);
    }
  } else {
    static const auto types = table();
    t = types[data[1] % types.size()];
    cell = in.subspan(2);
  }

  auto v1 = decode_value(value_view::of(cell), t, 32);
  // Views must reject whatever the decoder rejects for framing reasons, and
  // never crash on anything.
  (void)collection_view::make(cell, t);
  (void)tuple_view::make(cell, t);
  if (!v1) {
    FUZZ_ASSERT(v1.error().offset <= cell.size());
    return 0;
  }
  if (v1->is_null()) return 0;  // an empty cell: nothing to re-encode
  check_views(cell, t, *v1);

  std::vector<std::byte> out;
  writer w(out);
  const auto ec = encode_value_bytes(w, *v1, t, 32);
  FUZZ_ASSERT(!ec);
  auto v2 = decode_value(value_view::of(out), t, 32);
  FUZZ_ASSERT(v2.has_value());
  FUZZ_ASSERT(*v2 == *v1);
  (void)to_string(*v1, t);
  return 0;
}
