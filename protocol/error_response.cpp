#include "cqlpp/protocol/error_response.hpp"

#include <limits>

namespace cqlpp::protocol {
namespace {

// Which alternative of error_details a code carries (its variant index).
std::size_t details_index(std::int32_t code) noexcept {
  switch (static_cast<server_errc>(code)) {
    case server_errc::unavailable: return 1;
    case server_errc::write_timeout: return 2;
    case server_errc::read_timeout: return 3;
    case server_errc::read_failure:
    case server_errc::write_failure: return 4;
    case server_errc::function_failure: return 5;
    case server_errc::cas_write_unknown: return 6;
    case server_errc::already_exists: return 7;
    case server_errc::unprepared: return 8;
    default: return 0;
  }
}

failure_details decode_failure(reader& r, protocol_version v, bool write) {
  failure_details d;
  d.cl = r.read_consistency("consistency");
  d.received = r.i32("received");
  d.block_for = r.i32("block for");
  if (v >= protocol_version::v5) {
    const std::int32_t n = r.i32("reason map size");
    // Smallest entry: 1-byte size, 4 address bytes, 2-byte code.
    if (!r.check_count(n, 7, "reason map size")) return d;
    d.reasons.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n && r.ok(); ++i) {
      failure_reason f;
      f.endpoint = r.inetaddr("failure endpoint");
      f.code = r.u16("failure code");
      d.reasons.push_back(f);
    }
    d.num_failures = n;
  } else {
    d.num_failures = r.i32("failures");
  }
  if (write) {
    d.write_type = std::string(r.string("write type"));
  } else {
    d.data_present = r.u8("data present") != 0;
  }
  return d;
}

void encode_failure(writer& w, const failure_details& d, protocol_version v, bool write) {
  w.write_consistency(d.cl);
  w.i32(d.received);
  w.i32(d.block_for);
  if (v >= protocol_version::v5) {
    if (d.reasons.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      return w.fail(errc::too_large);
    w.i32(static_cast<std::int32_t>(d.reasons.size()));
    for (const auto& f : d.reasons) {
      w.inetaddr(f.endpoint);
      w.u16(f.code);
    }
  } else {
    w.i32(d.num_failures);
  }
  if (write) {
    w.string(d.write_type);
  } else {
    w.u8(d.data_present ? 1 : 0);
  }
}

}  // namespace

error_response decode_error_response(reader& r, protocol_version v) {
  error_response m;
  m.code = r.i32("error code");
  m.message = std::string(r.string("error message"));
  if (!r.ok()) return m;
  switch (static_cast<server_errc>(m.code)) {
    case server_errc::unavailable: {
      unavailable_details d;
      d.cl = r.read_consistency("consistency");
      d.required = r.i32("required");
      d.alive = r.i32("alive");
      m.details = d;
      break;
    }
    case server_errc::write_timeout: {
      write_timeout_details d;
      d.cl = r.read_consistency("consistency");
      d.received = r.i32("received");
      d.block_for = r.i32("block for");
      d.write_type = std::string(r.string("write type"));
      // v5 §8: <contentions> follows only for CAS.
      if (v >= protocol_version::v5 && d.write_type == "CAS") d.contentions = r.u16("contentions");
      m.details = std::move(d);
      break;
    }
    case server_errc::read_timeout: {
      read_timeout_details d;
      d.cl = r.read_consistency("consistency");
      d.received = r.i32("received");
      d.block_for = r.i32("block for");
      d.data_present = r.u8("data present") != 0;
      m.details = d;
      break;
    }
    case server_errc::read_failure: m.details = decode_failure(r, v, false); break;
    case server_errc::write_failure: m.details = decode_failure(r, v, true); break;
    case server_errc::function_failure: {
      function_failure_details d;
      d.keyspace = std::string(r.string("keyspace"));
      d.function = std::string(r.string("function"));
      d.argument_types = r.string_list("argument types");
      m.details = std::move(d);
      break;
    }
    case server_errc::cas_write_unknown: {
      cas_write_unknown_details d;
      d.cl = r.read_consistency("consistency");
      d.received = r.i32("received");
      d.block_for = r.i32("block for");
      m.details = d;
      break;
    }
    case server_errc::already_exists: {
      already_exists_details d;
      d.keyspace = std::string(r.string("keyspace"));
      d.table = std::string(r.string("table"));
      m.details = std::move(d);
      break;
    }
    case server_errc::unprepared: {
      const auto id = r.short_bytes("unprepared id");
      m.details = unprepared_details{{id.begin(), id.end()}};
      break;
    }
    default: break;
  }
  return m;
}

void encode(writer& w, const error_response& m, protocol_version v) {
  if (m.details.index() != details_index(m.code)) return w.fail(errc::invalid_value);
  w.i32(m.code);
  w.string(m.message);
  if (const auto* d = std::get_if<unavailable_details>(&m.details)) {
    w.write_consistency(d->cl);
    w.i32(d->required);
    w.i32(d->alive);
  } else if (const auto* d = std::get_if<write_timeout_details>(&m.details)) {
    w.write_consistency(d->cl);
    w.i32(d->received);
    w.i32(d->block_for);
    w.string(d->write_type);
    const bool wants = v >= protocol_version::v5 && d->write_type == "CAS";
    if (wants != d->contentions.has_value()) return w.fail(errc::invalid_value);
    if (d->contentions) w.u16(*d->contentions);
  } else if (const auto* d = std::get_if<read_timeout_details>(&m.details)) {
    w.write_consistency(d->cl);
    w.i32(d->received);
    w.i32(d->block_for);
    w.u8(d->data_present ? 1 : 0);
  } else if (const auto* d = std::get_if<failure_details>(&m.details)) {
    encode_failure(w, *d, v, m.code == static_cast<std::int32_t>(server_errc::write_failure));
  } else if (const auto* d = std::get_if<function_failure_details>(&m.details)) {
    w.string(d->keyspace);
    w.string(d->function);
    w.string_list(d->argument_types);
  } else if (const auto* d = std::get_if<cas_write_unknown_details>(&m.details)) {
    w.write_consistency(d->cl);
    w.i32(d->received);
    w.i32(d->block_for);
  } else if (const auto* d = std::get_if<already_exists_details>(&m.details)) {
    w.string(d->keyspace);
    w.string(d->table);
  } else if (const auto* d = std::get_if<unprepared_details>(&m.details)) {
    w.short_bytes(d->id);
  }
}

}  // namespace cqlpp::protocol
