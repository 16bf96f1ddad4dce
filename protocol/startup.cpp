#include "cqlpp/protocol/startup.hpp"

namespace cqlpp::protocol {

startup_request decode_startup_request(reader& r, protocol_version) {
  return {.options = r.string_map("startup options")};
}

void encode(writer& w, const startup_request& m, protocol_version) { w.string_map(m.options); }

}  // namespace cqlpp::protocol
