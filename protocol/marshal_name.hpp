// Cassandra's Java marshal class names ("AbstractType" strings) <-> type_spec.
//
// Cassandra sends some types only as a custom [option] (v4/v5 §4.2.5.2 id
// 0x0000) carrying the Java class name, most importantly the 5.0 vector:
//   org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , 3)
// The grammar is the one of Cassandra's TypeParser: an identifier
// ([0-9A-Za-z-+._&]+), optionally followed by a parenthesised, comma-separated
// parameter list; blanks (space, tab, newline) may appear between tokens.
// UserType parameters are `keyspace,hex(name),hex(field):Type,...`.
// ReversedType(T) and FrozenType(T) are transparent: they parse as T.
// Class names the codec does not know become type_kind::custom holding the
// whole name (with its parameters) as written.
#pragma once

#include <string>
#include <string_view>

#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/type_spec.hpp"

namespace cqlpp::protocol {

// The package prefix Cassandra puts in front of its own types.
inline constexpr std::string_view marshal_prefix = "org.apache.cassandra.db.marshal.";

// Parses a marshal class name. Errors (errc::invalid_value, nesting_too_deep)
// carry the character offset into `name` where parsing stopped; field is
// "marshal name". Never throws except bad_alloc.
result<type_spec> parse_marshal_name(std::string_view name, int max_depth = default_max_type_depth);

// The fully qualified marshal name Cassandra would write for `t` (vector
// uses Cassandra's " , " separator; collections inside a vector are wrapped in
// FrozenType because vector elements are always frozen). A custom type gives
// back its class string unchanged.
std::string to_marshal_name(const type_spec& t);

}  // namespace cqlpp::protocol
