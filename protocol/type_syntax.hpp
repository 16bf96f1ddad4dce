// CQL type syntax as CREATE TABLE, DESCRIBE and system_schema write it —
// `map<int, frozen<list<text>>>`, `tuple<int, text>`, `vector<float, 3>`,
// `ks.address` — read into a type_spec. to_cql_string (type_spec.hpp) prints
// a type_spec back in the same syntax, so print(parse(s)) is s in canonical
// form (lower-case keywords, ", " between parameters).
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/type_spec.hpp"

namespace cqlpp::protocol {

// Resolves a user-defined type named in the text: `keyspace` is empty when
// the name is unqualified (the caller's keyspace applies), and both names are
// as CQL reads them (unquoted ones lower-cased, "Quoted" ones as written).
// Returns the UDT (kind udt, with its field names and types), or nullopt
// when there is no such type.
using udt_lookup = std::function<std::optional<type_spec>(std::string_view keyspace, std::string_view name)>;

// Parses one CQL type. Keywords and native type names are case-insensitive;
// `text` and `varchar` are the same type; `frozen<T>` marks T frozen
// (type_spec::frozen); a 'quoted string' is a custom type's Java class. Whitespace
// is allowed between tokens. Fails with invalid_value (offset: where in `text`,
// field: what was expected there — "type name", "'>'", "UDT known to the
// lookup", ...) and nesting_too_deep past `max_depth`; never throws.
result<type_spec> parse_cql_type(std::string_view text, const udt_lookup& lookup = {},
                                 int max_depth = default_max_type_depth);

}  // namespace cqlpp::protocol
