// query_trace: a request's server-side trace (request_options::tracing),
// as session::async_trace reads it from system_traces.sessions and
// system_traces.events.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp {

// One row of system_traces.events: a step of the traced request on one node.
struct trace_event {
  std::string activity;               // "Parsing SELECT …", "Read 1 live rows …"
  std::string source;                 // the node that logged it
  std::int32_t source_elapsed_us = 0; // since the request reached that node
  std::string thread;                 // the server thread that logged it ("ReadStage-2")
};

// One trace: its row of system_traces.sessions and its events.
struct query_trace {
  protocol::uuid id;                  // the trace (session) id, as tracing_id() gave it
  std::string coordinator;            // address of the coordinating node
  std::string client;                 // the address the server saw the request from
  std::string request;                // "Execute CQL3 query", "Execute CQL3 prepared query"
  std::int32_t duration_us = 0;       // the coordinator's time for the request
  std::int64_t started_at_ms = 0;     // milliseconds since the epoch
  std::map<std::string, std::string> parameters;  // query, consistency_level, page_size, …
  std::vector<trace_event> events;    // in the order they happened
};

// How long async_trace waits for a trace to be complete: the server writes
// it asynchronously, after the traced request was answered.
struct trace_options {
  int attempts = 10;                            // reads of system_traces.sessions; default 10
  std::chrono::milliseconds interval{20};       // between them; default 20 ms
  protocol::consistency consistency = protocol::consistency::one;  // of those reads; default one
};

}  // namespace cqlpp
