#include "cqlpp/protocol/prepare.hpp"

namespace cqlpp::protocol {

prepare_request decode_prepare_request(reader& r, protocol_version v) {
  prepare_request m;
  m.query = std::string(r.long_string("query"));
  if (v < protocol_version::v5) return m;
  const std::uint32_t flags = r.u32("prepare flags");
  if (r.ok() && (flags & ~prepare_flags::keyspace) != 0) r.fail(errc::invalid_value, "prepare flags");
  if (r.ok() && (flags & prepare_flags::keyspace)) m.keyspace = std::string(r.string("keyspace"));
  return m;
}

void encode(writer& w, const prepare_request& m, protocol_version v) {
  w.long_string(m.query);
  if (v < protocol_version::v5) {
    if (m.keyspace) w.fail(errc::not_in_version);
    return;
  }
  w.u32(m.keyspace ? prepare_flags::keyspace : 0);
  if (m.keyspace) w.string(*m.keyspace);
}

}  // namespace cqlpp::protocol
