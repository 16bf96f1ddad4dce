#include "cqlpp/session/bind.hpp"

#include <limits>
#include <string>

#include "cqlpp/protocol/type_spec.hpp"

#include "cqlpp/session/murmur3.hpp"
#include "cqlpp/session/routing_key.hpp"

namespace cqlpp::detail {

namespace proto = cqlpp::protocol;

std::error_code write_bound_values(proto::writer& w, const prepared_statement& p,
                                   std::span<const proto::cql_value> values, key_cells* keys) {
  const auto& cols = p.variables.columns;
  if (values.size() != cols.size()) return proto::errc::type_mismatch;
  if (values.size() > std::numeric_limits<std::uint16_t>::max()) return proto::errc::too_large;
  const auto& buf = w.buffer();
  w.u16(static_cast<std::uint16_t>(values.size()));
  const auto& pk = p.variables.pk_indexes;
  const std::size_t want = keys && pk.size() <= key_cells::max ? pk.size() : 0;
  if (keys) keys->n = want;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t cell = buf.size() + 4;  // behind its [int] length
    if (auto ec = proto::encode_value(w, values[i], cols[i].type)) return ec;
    for (std::size_t k = 0; k < want; ++k)
      if (pk[k] == i)
        keys->at[k] = {cell, values[i].is_null() || values[i].is_unset() ? -1
                                                                          : static_cast<std::int32_t>(buf.size() - cell)};
  }
  return w.error();
}

std::string bind_error_detail(const prepared_statement& p, std::span<const proto::cql_value> values,
                              std::error_code ec) {
  const auto& cols = p.variables.columns;
  const std::string stmt = "'" + p.cql + "'";
  if (values.size() != cols.size())
    return stmt + " has " + std::to_string(cols.size()) + " bind marker(s); " + std::to_string(values.size()) +
           " value(s) were given";
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::vector<std::byte> bytes;
    proto::writer scratch(bytes);
    if (auto e = proto::encode_value(scratch, values[i], cols[i].type))
      return "value " + std::to_string(i) + " of " + stmt + " for '" + cols[i].name + "' (" +
             proto::to_cql_string(cols[i].type) + "): " + proto::to_string(values[i]) + " does not fit (" +
             e.message() + ")";
  }
  return stmt + ": " + ec.message();
}

std::optional<std::int64_t> token_of(const key_cells& keys, std::span<const std::byte> buf) {
  if (keys.n == 0) return std::nullopt;
  std::array<routing::key_component, key_cells::max> parts;
  for (std::size_t k = 0; k < keys.n; ++k) {
    if (keys.at[k].second < 0) return std::nullopt;
    parts[k] = buf.subspan(keys.at[k].first, static_cast<std::size_t>(keys.at[k].second));
  }
  return routing::token_of_key(std::span<const routing::key_component>(parts.data(), keys.n));
}

std::string_view keyspace_of(const prepared_statement& p) {
  if (p.variables.global_table) return p.variables.global_table->keyspace;
  if (!p.variables.columns.empty()) return p.variables.columns.front().keyspace;
  return {};
}

}  // namespace cqlpp::detail
