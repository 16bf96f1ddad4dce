#include "cqlpp/protocol/batch.hpp"

#include <limits>

namespace cqlpp::protocol {

bool operator==(const batch_statement& a, const batch_statement& b) {
  return a.prepared == b.prepared && a.query == b.query && a.id == b.id && a.names == b.names &&
         same_values(a.values, b.values);
}

namespace {

// One reading of the body. The names flag (0x40) follows the statements it
// governs, so a reader cannot know up front whether each value has a name; we
// read both ways and keep the reading whose flags agree with it (v5 §4.1.7
// notes the layout is ambiguous, CASSANDRA-10246).
struct attempt {
  batch_request m;
  reader r;
  std::uint32_t flags = 0;
};

attempt read_batch(reader r, protocol_version v, bool named) {
  attempt a{{}, r, 0};
  auto& m = a.m;
  auto& rd = a.r;
  const bool v5 = v >= protocol_version::v5;
  const std::uint8_t type = rd.u8("batch type");
  if (rd.ok() && type > 2) rd.fail(errc::invalid_value, "batch type");
  m.type = static_cast<batch_type>(type);
  const std::uint16_t n = rd.u16("statement count");
  // Smallest statement: kind byte, empty [short bytes] id, zero value count.
  if (!rd.check_count(n, 5, "statement count")) return a;
  m.statements.reserve(n);
  for (std::uint16_t i = 0; i < n && rd.ok(); ++i) {
    batch_statement s;
    const std::uint8_t kind = rd.u8("statement kind");
    if (rd.ok() && kind > 1) rd.fail(errc::invalid_value, "statement kind");
    s.prepared = kind == 1;
    if (s.prepared) {
      const auto id = rd.short_bytes("prepared id");
      s.id.assign(id.begin(), id.end());
    } else {
      s.query = std::string(rd.long_string("query"));
    }
    decode_values(rd, named, s.values, s.names);
    m.statements.push_back(std::move(s));
  }
  m.cl = rd.read_consistency("consistency");
  a.flags = v5 ? rd.u32("batch flags") : rd.u8("batch flags");
  const std::uint32_t known = v5 ? 0x1F0 : 0x70;
  if (rd.ok() && (a.flags & ~known) != 0) rd.fail(errc::invalid_value, "batch flags");
  if (!rd.ok()) return a;
  m.named_values = named;
  if (a.flags & query_flags::serial_consistency)
    m.serial_consistency = rd.read_consistency("serial consistency");
  if (a.flags & query_flags::default_timestamp) m.default_timestamp = rd.i64("timestamp");
  if (a.flags & query_flags::keyspace) m.keyspace = std::string(rd.string("keyspace"));
  if (a.flags & query_flags::now_in_seconds) m.now_in_seconds = rd.i32("now in seconds");
  return a;
}

bool agrees(const attempt& a, bool named) {
  return a.r.ok() && ((a.flags & query_flags::names_for_values) != 0) == named;
}

}  // namespace

batch_request decode_batch_request(reader& r, protocol_version v) {
  attempt plain = read_batch(r, v, false);
  if (agrees(plain, false) && plain.r.at_end()) {
    r = plain.r;
    return std::move(plain.m);
  }
  attempt named = read_batch(r, v, true);
  if (agrees(named, true)) {
    r = named.r;
    return std::move(named.m);
  }
  if (agrees(plain, false) || !plain.r.ok()) {
    r = plain.r;  // trailing bytes (reported by the caller) or the plain error
    return std::move(plain.m);
  }
  // The flags ask for names but the named reading does not hold together.
  if (named.r.ok()) named.r.fail(errc::invalid_value, "batch flags");
  r = named.r;
  return std::move(named.m);
}

void encode(writer& w, const batch_request& m, protocol_version v) {
  const bool v5 = v >= protocol_version::v5;
  if (!v5 && (m.keyspace || m.now_in_seconds)) return w.fail(errc::not_in_version);
  if (m.statements.size() > std::numeric_limits<std::uint16_t>::max()) return w.fail(errc::too_large);
  w.u8(static_cast<std::uint8_t>(m.type));
  w.u16(static_cast<std::uint16_t>(m.statements.size()));
  for (const auto& s : m.statements) {
    w.u8(s.prepared ? 1 : 0);
    if (s.prepared) {
      w.short_bytes(s.id);
    } else {
      w.long_string(s.query);
    }
    if (m.named_values && s.names.size() != s.values.size()) return w.fail(errc::invalid_value);
    static const std::vector<std::string> no_names;
    encode_values(w, s.values, m.named_values ? s.names : no_names);
  }
  std::uint32_t flags = 0;
  if (m.serial_consistency) flags |= query_flags::serial_consistency;
  if (m.default_timestamp) flags |= query_flags::default_timestamp;
  if (m.named_values) flags |= query_flags::names_for_values;
  if (m.keyspace) flags |= query_flags::keyspace;
  if (m.now_in_seconds) flags |= query_flags::now_in_seconds;
  w.write_consistency(m.cl);
  if (v5) {
    w.u32(flags);
  } else {
    w.u8(static_cast<std::uint8_t>(flags));
  }
  if (m.serial_consistency) w.write_consistency(*m.serial_consistency);
  if (m.default_timestamp) w.i64(*m.default_timestamp);
  if (m.keyspace) w.string(*m.keyspace);
  if (m.now_in_seconds) w.i32(*m.now_in_seconds);
}

}  // namespace cqlpp::protocol
