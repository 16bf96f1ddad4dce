#include "cqlpp/protocol/schema_change.hpp"

#include <array>

namespace cqlpp::protocol {
namespace {

constexpr std::array<std::string_view, 3> change_names{"CREATED", "UPDATED", "DROPPED"};
constexpr std::array<std::string_view, 5> target_names{"KEYSPACE", "TABLE", "TYPE", "FUNCTION",
                                                       "AGGREGATE"};

template <class E, std::size_t N>
E lookup(reader& r, const std::array<std::string_view, N>& names, const char* field) {
  const auto s = r.string(field);
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  r.fail(errc::invalid_value, field);
  return E{};
}

}  // namespace

std::string_view to_string(schema_change_type t) noexcept {
  return change_names[static_cast<std::size_t>(t) % change_names.size()];
}
std::string_view to_string(schema_change_target t) noexcept {
  return target_names[static_cast<std::size_t>(t) % target_names.size()];
}

schema_change decode_schema_change(reader& r) {
  schema_change c;
  c.change = lookup<schema_change_type>(r, change_names, "schema change type");
  c.target = lookup<schema_change_target>(r, target_names, "schema change target");
  if (!r.ok()) return c;
  c.keyspace = std::string(r.string("keyspace"));
  if (c.target == schema_change_target::keyspace) return c;
  c.name = std::string(r.string("schema object name"));
  if (c.target == schema_change_target::function || c.target == schema_change_target::aggregate)
    c.argument_types = r.string_list("argument types");
  return c;
}

void encode(writer& w, const schema_change& c) {
  w.string(to_string(c.change));
  w.string(to_string(c.target));
  w.string(c.keyspace);
  if (c.target == schema_change_target::keyspace) return;
  w.string(c.name);
  if (c.target == schema_change_target::function || c.target == schema_change_target::aggregate)
    w.string_list(c.argument_types);
}

}  // namespace cqlpp::protocol
