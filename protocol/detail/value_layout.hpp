// Layout facts shared by the value decoder, encoder and typed views.
#pragma once

#include <cstdint>
#include <optional>

#include "cqlpp/protocol/type_spec.hpp"

namespace cqlpp::protocol::detail {

// The serialized size of every value of `t` when it is fixed, as Cassandra's
// AbstractType.valueLengthIfFixed (and the Python driver's serial_size) say:
// this decides how vector elements are framed (packed back to back when
// fixed, each with an [unsigned vint] length otherwise). tinyint, smallint,
// date and time are variable-length there. A vector of fixed elements is
// fixed. Sizes are capped so the product cannot overflow.
inline std::optional<std::uint64_t> fixed_value_size(const type_spec& t, int depth = 64) {
  switch (t.kind) {
    case type_kind::boolean: return 1;
    case type_kind::int_:
    case type_kind::float_: return 4;
    case type_kind::bigint:
    case type_kind::counter:
    case type_kind::double_:
    case type_kind::timestamp: return 8;
    case type_kind::uuid:
    case type_kind::timeuuid: return 16;
    case type_kind::vector: {
      if (t.params.size() != 1 || depth <= 0) return std::nullopt;
      const auto e = fixed_value_size(t.params[0], depth - 1);
      if (!e) return std::nullopt;
      const std::uint64_t total = *e * t.dimension;  // both < 2^32: no overflow
      if (total > 0xFFFFFFFFu) return std::nullopt;  // no cell can be that big
      return total;
    }
    default: return std::nullopt;
  }
}

// Types whose empty byte string is a real value; for all others an empty cell
// means null (a Thrift-era convention Cassandra still lets through).
inline bool empty_is_value(type_kind k) {
  return k == type_kind::ascii || k == type_kind::varchar || k == type_kind::blob || k == type_kind::custom;
}

}  // namespace cqlpp::protocol::detail
