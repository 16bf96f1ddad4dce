// EVENT (v4/v5 §4.2.6): a [string] event type, then
//   TOPOLOGY_CHANGE: [string] NEW_NODE|REMOVED_NODE (and the pre-v4 MOVED_NODE), [inet]
//   STATUS_CHANGE:   [string] UP|DOWN, [inet]
//   SCHEMA_CHANGE:   <change_type><target><options> (see schema_change.hpp)
// Events arrive on stream -1.
#pragma once

#include <variant>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/schema_change.hpp"

namespace cqlpp::protocol {

// TOPOLOGY_CHANGE kinds: NEW_NODE, REMOVED_NODE and the pre-v4 MOVED_NODE, in wire-name order.
enum class topology_change_type : std::uint8_t { new_node, removed_node, moved_node };
// STATUS_CHANGE kinds: UP, DOWN.
enum class status_change_type : std::uint8_t { up, down };

// A node joined or left the cluster (or, before v4, moved in the ring).
struct topology_change_event {
  topology_change_type change = topology_change_type::new_node;  // what happened to the node
  inet_endpoint address;  // the node's client address and native port, as [inet]
  friend bool operator==(const topology_change_event&, const topology_change_event&) = default;
};

// A node was marked up or down.
struct status_change_event {
  status_change_type change = status_change_type::up;  // its new state
  inet_endpoint address;  // the node's client address and native port, as [inet]
  friend bool operator==(const status_change_event&, const status_change_event&) = default;
};

// A keyspace, table, type, function or aggregate was created, updated or dropped.
struct schema_change_event {
  schema_change change;  // what changed, as in a RESULT of kind Schema_change
  friend bool operator==(const schema_change_event&, const schema_change_event&) = default;
};

// An EVENT pushed by the server for a type registered with REGISTER.
struct event_response {
  static constexpr opcode op = opcode::event;  // frame header opcode (0x0C)
  std::variant<topology_change_event, status_change_event, schema_change_event> event;  // by event type
  friend bool operator==(const event_response&, const event_response&) = default;
};

// Unknown event or change types fail with invalid_value.
event_response decode_event_response(reader& r, protocol_version v);
// Writes an EVENT body: the event type [string], then the event's fields.
void encode(writer& w, const event_response& m, protocol_version v);

}  // namespace cqlpp::protocol
