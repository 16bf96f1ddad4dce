#include "cqlpp/protocol/envelope.hpp"

namespace cqlpp::protocol {

envelope_extras decode_envelope_extras(reader& r, std::uint8_t flags, bool response) {
  envelope_extras e;
  e.tracing = (flags & frame_flags::tracing) != 0;
  e.use_beta = (flags & frame_flags::use_beta) != 0;
  if (e.tracing && response) e.tracing_id = r.read_uuid("tracing id");
  if (flags & frame_flags::warning) e.warnings = r.string_list("warnings");
  if (flags & frame_flags::custom_payload) e.payload = r.bytes_map("custom payload");
  return e;
}

std::uint8_t encode_envelope_extras(writer& w, const envelope_extras& e, bool response) {
  std::uint8_t flags = 0;
  if (e.tracing) {
    flags |= frame_flags::tracing;
    if (response) w.write_uuid(e.tracing_id);
  }
  if (e.warnings) {
    if (!response) w.fail(errc::invalid_value);
    flags |= frame_flags::warning;
    w.string_list(*e.warnings);
  }
  if (e.payload) {
    flags |= frame_flags::custom_payload;
    w.bytes_map(*e.payload);
  }
  if (e.use_beta) flags |= frame_flags::use_beta;
  return flags;
}

}  // namespace cqlpp::protocol
