// Reading the system tables; see cluster_metadata.hpp for the rules.
//
// Each reader first finds its columns by name and checks their types (once
// per result, so a wrong schema fails before any row is read), then decodes
// the rows with typed_view, which does not allocate until a value is kept.
#include "cqlpp/session/cluster_metadata.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/protocol/typed_view.hpp"

namespace cqlpp::routing {

namespace proto = cqlpp::protocol;

namespace {

struct category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.metadata"; }
  std::string message(int ev) const override {
    switch (static_cast<metadata_errc>(ev)) {
      case metadata_errc::no_rows: return "the result has no rows";
      case metadata_errc::no_metadata: return "result has no column metadata";
      case metadata_errc::missing_column: return "required column missing";
      case metadata_errc::wrong_type: return "column has an unexpected type";
      case metadata_errc::null_value: return "null in a column that cannot be null";
      case metadata_errc::bad_value: return "cell does not decode as its type";
      case metadata_errc::bad_token: return "token is not a decimal int64";
    }
    return "unknown metadata error";
  }
};

// The CQL types the readers accept for a column.
enum class want { text, uuid, inet, int32, text_set, text_map };

const char* want_name(want w) {
  switch (w) {
    case want::text: return "text";
    case want::uuid: return "uuid";
    case want::inet: return "inet";
    case want::int32: return "int";
    case want::text_set: return "set<text>";
    case want::text_map: return "map<text, text>";
  }
  return "?";
}

bool is_text(const proto::type_spec& t) {
  return t.kind == proto::type_kind::varchar || t.kind == proto::type_kind::ascii;
}

bool matches(const proto::type_spec& t, want w) {
  switch (w) {
    case want::text: return is_text(t);
    // host_id and schema_version are uuid; a timeuuid is read the same way.
    case want::uuid: return t.kind == proto::type_kind::uuid || t.kind == proto::type_kind::timeuuid;
    case want::inet: return t.kind == proto::type_kind::inet;
    case want::int32: return t.kind == proto::type_kind::int_;
    // tokens is a set; a list (as a hand-written view might have) reads the same.
    case want::text_set:
      return (t.kind == proto::type_kind::set || t.kind == proto::type_kind::list) && t.params.size() == 1 &&
             is_text(t.params[0]);
    case want::text_map:
      return t.kind == proto::type_kind::map && t.params.size() == 2 && is_text(t.params[0]) &&
             is_text(t.params[1]);
  }
  return false;
}

metadata_error error_of(metadata_errc e, std::string_view table, std::string_view column, std::int32_t row,
                        std::string detail) {
  return {make_error_code(e), std::string(table), std::string(column), row, std::move(detail)};
}

// One result's columns, found by name. `error` is set by the first lookup
// that fails; the readers stop at it.
class columns {
 public:
  columns(const proto::rows_result& rows, std::string_view table) : md_(rows.column_types()), table_(table) {
    // Without column specs (No_metadata) nothing can be found by name.
    if (md_.no_metadata || md_.columns.size() != static_cast<std::size_t>(rows.column_count()))
      error = error_of(metadata_errc::no_metadata, table, "", -1,
                       "the result carries no column specs; send the query without skip_metadata");
  }

  // The column's index, nullopt when absent and optional. A present column
  // of another type is an error even when optional: the reader would
  // misread it.
  std::optional<std::size_t> find(std::string_view name, want w, bool required = true) {
    if (error) return std::nullopt;
    for (std::size_t i = 0; i < md_.columns.size(); ++i) {
      const auto& c = md_.columns[i];
      if (c.name != name) continue;
      if (!matches(c.type, w))
        error = error_of(metadata_errc::wrong_type, table_, name, -1,
                         std::string("expected ") + want_name(w) + ", got " + proto::to_cql_string(c.type));
      return i;
    }
    if (required) error = error_of(metadata_errc::missing_column, table_, name, -1, "");
    return std::nullopt;
  }

  const proto::type_spec& type(std::size_t i) const { return md_.columns[i].type; }
  std::string_view table() const { return table_; }

  std::optional<metadata_error> error;

 private:
  const proto::rows_metadata& md_;
  std::string_view table_;
};

// One row's cells; every getter returns nullopt for a null (or absent
// optional) column and records the first bad cell in `error`.
class cells {
 public:
  cells(const columns& cols, const proto::row_view& row, std::int32_t index)
      : cols_(cols), row_(row), index_(index) {}

  template <class T>
  std::optional<T> get(std::optional<std::size_t> col, std::string_view name) {
    if (!col || error) return std::nullopt;
    auto v = proto::decode_optional<T>(row_[*col], cols_.type(*col));
    if (!v) {
      fail(metadata_errc::bad_value, name, v.error().message());
      return std::nullopt;
    }
    return *v;
  }

  std::string text(std::optional<std::size_t> col, std::string_view name) {
    const auto s = get<std::string_view>(col, name);
    return s ? std::string(*s) : std::string();
  }

  // Decimal int64 strings, as Murmur3Partitioner writes them; a null or
  // empty set gives none.
  std::vector<std::int64_t> tokens(std::optional<std::size_t> col, std::string_view name) {
    std::vector<std::int64_t> out;
    if (!col || error) return out;
    const auto cell = row_[*col];
    if (cell.st != proto::value_view::state::set || cell.bytes.empty()) return out;
    auto elements = proto::collection_view::make(cell.bytes, cols_.type(*col));
    if (!elements) {
      fail(metadata_errc::bad_value, name, elements.error().message());
      return out;
    }
    out.reserve(elements->size());
    for (const auto element : *elements) {
      auto s = proto::decode_optional<std::string_view>(element, elements->element_type());
      if (!s) {
        fail(metadata_errc::bad_value, name, s.error().message());
        return {};
      }
      const std::string_view digits = s->value_or(std::string_view());
      std::int64_t t = 0;
      // from_chars takes no '+', no spaces and no trailing bytes: exactly
      // Long.toString's output, anything else is not a Murmur3 token.
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t);
      if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
        fail(metadata_errc::bad_token, name, "'" + std::string(digits.substr(0, 64)) + "'");
        return {};
      }
      out.push_back(t);
    }
    return out;
  }

  void fail(metadata_errc e, std::string_view column, std::string detail) {
    if (!error) error = error_of(e, cols_.table(), column, index_, std::move(detail));
  }

  std::optional<metadata_error> error;

 private:
  const columns& cols_;
  const proto::row_view& row_;
  std::int32_t index_;
};

host_id to_host_id(const proto::uuid& u) {
  host_id id;
  std::memcpy(id.data(), u.bytes.data(), id.size());
  return id;
}

std::string id_text(const host_id& id) {
  proto::uuid u;
  std::memcpy(u.bytes.data(), id.data(), id.size());
  return u.to_string();
}

bool is_bind_all(const proto::inet_address& a) {
  return std::all_of(a.bytes.begin(), a.bytes.begin() + a.size, [](std::uint8_t b) { return b == 0; });
}

// The columns system.local and both peers tables share.
struct host_columns {
  std::optional<std::size_t> host_id, data_center, rack, tokens, release_version, schema_version;

  explicit host_columns(columns& c)
      : host_id(c.find("host_id", want::uuid)),
        data_center(c.find("data_center", want::text)),
        rack(c.find("rack", want::text)),
        tokens(c.find("tokens", want::text_set)),
        release_version(c.find("release_version", want::text, false)),
        schema_version(c.find("schema_version", want::uuid, false)) {}

  // Everything but the id and the address.
  void read(cells& r, host& h) const {
    h.datacenter = r.text(data_center, "data_center");
    h.rack = r.text(rack, "rack");
    h.tokens = r.tokens(tokens, "tokens");
    h.release_version = r.text(release_version, "release_version");
    if (const auto v = r.get<proto::uuid>(schema_version, "schema_version")) h.schema_version = v->to_string();
  }
};

}  // namespace

const std::error_category& metadata_category() noexcept {
  static const category c;
  return c;
}

std::string metadata_error::message() const {
  std::string s = table.empty() ? std::string("metadata") : table;
  if (row >= 0) s += " row " + std::to_string(row);
  if (!column.empty()) s += (row >= 0 ? ", column " : " column ") + column;
  s += ": " + code.message();
  if (!detail.empty()) s += " (" + detail + ")";
  return s;
}

bool should_fall_back_to_peers(std::error_code ec) noexcept {
  return ec == proto::server_errc::invalid;
}

metadata_result<host> read_local(const proto::rows_result& rows, std::string_view contact_address,
                                 std::uint16_t contact_port) {
  constexpr std::string_view table = "system.local";
  columns cols(rows, table);
  const host_columns hc(cols);
  if (cols.error) return *cols.error;
  if (rows.size() == 0) return error_of(metadata_errc::no_rows, table, "", -1, "");

  const auto row = *rows.begin();
  cells r(cols, row, 0);
  host h;
  const auto id = r.get<proto::uuid>(hc.host_id, "host_id");
  hc.read(r, h);
  if (r.error) return *r.error;
  // The one row every other host is placed against: without its id the
  // snapshot has no anchor, and a real system.local always has one.
  if (!id) return error_of(metadata_errc::null_value, table, "host_id", 0, "");
  h.id = to_host_id(*id);
  h.address = std::string(contact_address);
  h.port = contact_port;
  return h;
}

metadata_result<std::vector<peer_row>> read_peers(const proto::rows_result& rows, bool peers_v2,
                                                  std::uint16_t default_port) {
  const std::string_view table = peers_v2 ? "system.peers_v2" : "system.peers";
  columns cols(rows, table);
  const host_columns hc(cols);
  const auto address = peers_v2 ? cols.find("native_address", want::inet) : cols.find("rpc_address", want::inet);
  const auto port = peers_v2 ? cols.find("native_port", want::int32) : std::nullopt;
  const auto peer = cols.find("peer", want::inet, false);
  if (cols.error) return *cols.error;
  const std::string_view address_name = peers_v2 ? "native_address" : "rpc_address";

  std::vector<peer_row> out;
  out.reserve(rows.size());
  for (auto it = rows.begin(); it != rows.end(); ++it) {
    const auto row = *it;
    cells r(cols, row, it.index());
    peer_row p;
    p.row = it.index();
    if (const auto id = r.get<proto::uuid>(hc.host_id, "host_id")) p.id = to_host_id(*id);
    hc.read(r, p.info);
    auto addr = r.get<proto::inet_address>(address, address_name);
    if (!addr || is_bind_all(*addr)) {
      const auto internode = r.get<proto::inet_address>(peer, "peer");
      addr = internode && !is_bind_all(*internode) ? internode : std::nullopt;
    }
    if (addr) p.info.address = addr->to_string();
    p.info.port = default_port;
    if (const auto n = r.get<std::int32_t>(port, "native_port")) {
      if (*n <= 0 || *n > 65535) r.fail(metadata_errc::bad_value, "native_port", std::to_string(*n));
      p.info.port = static_cast<std::uint16_t>(*n);
    }
    if (r.error) return *r.error;
    out.push_back(std::move(p));
  }
  return out;
}

metadata_result<keyspace_map> read_keyspaces(const proto::rows_result& rows) {
  constexpr std::string_view table = "system_schema.keyspaces";
  columns cols(rows, table);
  const auto name_col = cols.find("keyspace_name", want::text);
  const auto replication_col = cols.find("replication", want::text_map);
  if (cols.error) return *cols.error;

  keyspace_map out;
  for (auto it = rows.begin(); it != rows.end(); ++it) {
    const auto row = *it;
    cells r(cols, row, it.index());
    const auto name = r.get<std::string_view>(name_col, "keyspace_name");
    if (r.error) return *r.error;
    // keyspace_name is the table's partition key: a null one is not a row a
    // server can hold.
    if (!name) return error_of(metadata_errc::null_value, table, "keyspace_name", it.index(), "");

    keyspace_replication k;
    const auto cell = row[*replication_col];
    if (cell.st == proto::value_view::state::set && !cell.bytes.empty()) {
      const auto& type = cols.type(*replication_col);
      auto m = proto::map_view::make(cell.bytes, type);
      if (!m) return error_of(metadata_errc::bad_value, table, "replication", it.index(), m.error().message());
      for (const auto [key_cell, value_cell] : *m) {
        auto key = proto::decode_optional<std::string_view>(key_cell, type.params[0]);
        auto value = proto::decode_optional<std::string_view>(value_cell, type.params[1]);
        if (!key || !value)
          return error_of(metadata_errc::bad_value, table, "replication", it.index(),
                          (!key ? key.error() : value.error()).message());
        if (!*key) continue;  // a null key names nothing
        const std::string v(value->value_or(std::string_view()));
        if (**key == "class") k.strategy_class = v;
        else k.options.emplace(std::string(**key), v);
      }
    }
    out.emplace(std::string(*name), std::move(k));
  }
  return out;
}

built_snapshot build_snapshot(host local, std::vector<peer_row> peers, keyspace_map keyspaces) {
  built_snapshot b;
  auto& hosts = b.snapshot.hosts;
  hosts.reserve(1 + peers.size());
  local.up = true;
  hosts.push_back(std::move(local));
  for (auto& p : peers) {
    std::string who = "peer row " + std::to_string(p.row);
    if (!p.info.address.empty()) who += " (" + p.info.address + ":" + std::to_string(p.info.port) + ")";
    std::string why;
    if (!p.id) {
      why = "host_id is null";
    } else if (p.info.tokens.empty()) {
      why = "no tokens";
    } else if (p.info.address.empty()) {
      why = "no address to connect to";
    } else {
      // Linear: a refresh sees each peer once and clusters are small next
      // to what one refresh costs on the wire.
      const auto dup = std::find_if(hosts.begin(), hosts.end(), [&](const host& h) { return h.id == *p.id; });
      if (dup != hosts.end())
        why = "host_id " + id_text(*p.id) + " already belongs to host " + std::to_string(dup - hosts.begin());
    }
    if (!why.empty()) {
      b.skipped.push_back(who + ": " + why);
      continue;
    }
    p.info.id = *p.id;
    p.info.up = true;
    hosts.push_back(std::move(p.info));
  }
  b.snapshot.keyspaces = std::move(keyspaces);
  return b;
}

}  // namespace cqlpp::routing
