#include "cqlpp/protocol/execute.hpp"

namespace cqlpp::protocol {

static std::vector<std::byte> owned(bytes_view b) { return {b.begin(), b.end()}; }

execute_request decode_execute_request(reader& r, protocol_version v) {
  execute_request m;
  m.id = owned(r.short_bytes("prepared id"));
  if (v >= protocol_version::v5) m.result_metadata_id = owned(r.short_bytes("result metadata id"));
  m.params = decode_query_parameters(r, v);
  return m;
}

void encode(writer& w, const execute_request& m, protocol_version v) {
  w.short_bytes(m.id);
  if (v >= protocol_version::v5) w.short_bytes(m.result_metadata_id);
  encode(w, m.params, v);
}

}  // namespace cqlpp::protocol
