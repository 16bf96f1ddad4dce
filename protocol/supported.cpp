#include "cqlpp/protocol/supported.hpp"

namespace cqlpp::protocol {

supported_response decode_supported_response(reader& r, protocol_version) {
  return {.options = r.string_multimap("supported options")};
}

void encode(writer& w, const supported_response& m, protocol_version) {
  w.string_multimap(m.options);
}

}  // namespace cqlpp::protocol
