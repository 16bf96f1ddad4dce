#include "cqlpp/protocol/register.hpp"

namespace cqlpp::protocol {

register_request decode_register_request(reader& r, protocol_version) {
  return {.event_types = r.string_list("event types")};
}

void encode(writer& w, const register_request& m, protocol_version) {
  w.string_list(m.event_types);
}

}  // namespace cqlpp::protocol
