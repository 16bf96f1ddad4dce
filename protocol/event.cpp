#include "cqlpp/protocol/event.hpp"

namespace cqlpp::protocol {
namespace {

template <class E>
E pick(reader& r, std::initializer_list<std::string_view> names, const char* field) {
  const auto s = r.string(field);
  std::size_t i = 0;
  for (auto n : names) {
    if (n == s) return static_cast<E>(i);
    ++i;
  }
  r.fail(errc::invalid_value, field);
  return E{};
}

constexpr std::string_view topology_names[] = {"NEW_NODE", "REMOVED_NODE", "MOVED_NODE"};
constexpr std::string_view status_names[] = {"UP", "DOWN"};

}  // namespace

event_response decode_event_response(reader& r, protocol_version) {
  event_response m;
  const auto type = r.string("event type");
  if (!r.ok()) return m;
  if (type == "TOPOLOGY_CHANGE") {
    topology_change_event e;
    e.change = pick<topology_change_type>(r, {"NEW_NODE", "REMOVED_NODE", "MOVED_NODE"}, "topology change");
    e.address = r.inet("node address");
    m.event = e;
  } else if (type == "STATUS_CHANGE") {
    status_change_event e;
    e.change = pick<status_change_type>(r, {"UP", "DOWN"}, "status change");
    e.address = r.inet("node address");
    m.event = e;
  } else if (type == "SCHEMA_CHANGE") {
    m.event = schema_change_event{decode_schema_change(r)};
  } else {
    r.fail(errc::invalid_value, "event type");
  }
  return m;
}

void encode(writer& w, const event_response& m, protocol_version) {
  if (const auto* t = std::get_if<topology_change_event>(&m.event)) {
    w.string("TOPOLOGY_CHANGE");
    w.string(topology_names[static_cast<std::size_t>(t->change) % 3]);
    w.inet(t->address);
  } else if (const auto* s = std::get_if<status_change_event>(&m.event)) {
    w.string("STATUS_CHANGE");
    w.string(status_names[static_cast<std::size_t>(s->change) % 2]);
    w.inet(s->address);
  } else {
    w.string("SCHEMA_CHANGE");
    encode(w, std::get<schema_change_event>(m.event).change);
  }
}

}  // namespace cqlpp::protocol
