// Fuzz target: marshal class names (protocol/marshal_name.hpp).
// Checks: parse -> to_marshal_name -> parse gives the same type.
#include <string_view>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/marshal_name.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto t = parse_marshal_name(in, 32);
  if (!t) {
    FUZZ_ASSERT(t.error().offset <= size);
    return 0;
  }
  const std::string name = to_marshal_name(*t);
  // FrozenType wrappers added for vector elements take parse levels: allow more.
  auto again = parse_marshal_name(name, 256);
  FUZZ_ASSERT(again.has_value());
  FUZZ_ASSERT(*again == *t);
  (void)to_cql_string(*t);
  return 0;
}
