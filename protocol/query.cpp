#include "cqlpp/protocol/query.hpp"

namespace cqlpp::protocol {

query_request decode_query_request(reader& r, protocol_version v) {
  query_request m;
  m.query = std::string(r.long_string("query"));
  m.params = decode_query_parameters(r, v);
  return m;
}

void encode(writer& w, const query_request& m, protocol_version v) {
  w.long_string(m.query);
  encode(w, m.params, v);
}

}  // namespace cqlpp::protocol
