// Fuzz target: CQL type syntax (protocol/type_syntax.hpp).
// Checks: a parsed type prints (to_cql_string) to text that parses to the same type.
#include <string_view>

#include "cqlpp/protocol/type_syntax.hpp"
#include "fuzz/fuzz_target.hpp"

using namespace cqlpp::protocol;

namespace {

// Any name resolves to a one-field UDT of that name, so that UDT paths are reached.
std::optional<type_spec> any_udt(std::string_view ks, std::string_view name) {
  type_spec t;
  t.kind = type_kind::udt;
  t.udt_keyspace = std::string(ks);
  t.udt_name = std::string(name);
  t.field_names = {"f"};
  t.params = {type_spec::simple(type_kind::int_)};
  return t;
}

}  // namespace

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const udt_lookup lookup = any_udt;
  auto t = parse_cql_type(in, lookup, 32);
  if (!t) {
    FUZZ_ASSERT(t.error().offset <= size);
    return 0;
  }
  const std::string printed = to_cql_string(*t);
  auto again = parse_cql_type(printed, lookup, 32);
  FUZZ_ASSERT(again.has_value());
  FUZZ_ASSERT(*again == *t);
  return 0;
}
