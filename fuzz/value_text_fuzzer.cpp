// Fuzz target: values from CQL literal text (protocol/value_text.hpp).
// The first byte picks the type, the rest is the text. Checks: an error's
// offset lies within the text; for the types whose printed form is a literal
// (all but text, decimal, float, double and duration), printing a parsed
// value and parsing that gives the same value.
#include <string_view>

#include "cqlpp/protocol/value_text.hpp"
#include "fuzz/fuzz_target.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr type_kind kinds[] = {
      type_kind::uuid,    type_kind::timeuuid, type_kind::inet,     type_kind::date,  type_kind::time,
      type_kind::timestamp, type_kind::tinyint, type_kind::smallint, type_kind::int_, type_kind::bigint,
      type_kind::varint,  type_kind::boolean,  type_kind::blob,     type_kind::duration, type_kind::decimal,
      type_kind::float_,  type_kind::double_,  type_kind::ascii,    type_kind::varchar, type_kind::list};
  const type_kind k = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
  const type_spec t = k == type_kind::list ? type_spec::list_of(type_spec::simple(type_kind::int_))
                                           : type_spec::simple(k);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto v = value_from_text(text, t);
  if (!v) {
    FUZZ_ASSERT(v.error().offset <= text.size());
    return 0;
  }
  const bool literal = k != type_kind::ascii && k != type_kind::varchar && k != type_kind::decimal &&
                       k != type_kind::float_ && k != type_kind::double_ && k != type_kind::duration;
  if (!literal) return 0;
  const std::string printed = to_string(*v, t);
  auto again = value_from_text(printed, t);
  FUZZ_ASSERT(again.has_value());
  FUZZ_ASSERT(*again == *v);
  return 0;
}
