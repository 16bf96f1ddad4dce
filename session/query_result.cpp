#include "cqlpp/session/query_result.hpp"

#include "cqlpp/protocol/typed_view.hpp"

namespace cqlpp {

std::optional<bool> query_result::applied() const noexcept {
  const auto* rows = this->rows();
  if (!rows || rows->size() == 0) return std::nullopt;
  const auto& cols = rows->column_types().columns;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name != "[applied]") continue;
    const auto row = *rows->begin();
    if (i >= row.size()) return std::nullopt;
    auto v = protocol::decode_optional<bool>(row[i], cols[i].type);
    if (!v || !*v) return std::nullopt;
    return **v;
  }
  return std::nullopt;
}

}  // namespace cqlpp
