// What a session executes: a CQL string with serialised values, or a prepared
// statement with C++ values that the statement's metadata types.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/result_kinds.hpp"
#include "cqlpp/session/request_options.hpp"

namespace cqlpp {

// A bound value already in CQL's binary form; nullopt is null.
using serialized_value = std::optional<std::vector<std::byte>>;

// A CQL string, its bound values and how to execute it. Where a call takes
// request_options, a statement's own options are what it passes.
struct statement : request_options {
  std::string cql;  // the CQL text; `?` markers take `values` in order
  std::vector<serialized_value> values;  // positional, in the protocol's binary form
  // The serialized partition key (routing_key.hpp builds a composite one):
  // with `keyspace` (or, before v5, routing_keyspace), the request goes to a
  // replica first. Prepared statements find theirs in their bound values.
  std::optional<std::vector<std::byte>> routing_key;
  // The keyspace to route by when `keyspace` is not set (it is sent only in
  // v5): the one the statement's table is in.
  std::optional<std::string> routing_keyspace;

  statement() = default;
  // `q` with no values and default options (implicit: a CQL string is a statement).
  statement(std::string q) : cql(std::move(q)) {}  // NOLINT: a CQL string is a statement
  // The same from a C string.
  statement(const char* q) : cql(q) {}             // NOLINT
};

// The server's answer to PREPARE, kept by the caller (cheap to copy).
struct prepared_statement {
  std::string cql;                            // the CQL as given to async_prepare
  std::vector<std::byte> id;                  // the server's statement id, sent with each EXECUTE
  std::vector<std::byte> result_metadata_id;  // v5
  protocol::prepared_metadata variables;      // bind markers and their types
  protocol::rows_metadata result_metadata;    // the result's columns; none for a statement without rows
  // The same result metadata, shared with results and streams: EXECUTE asks
  // the server to skip it (skip_metadata) and cells are typed with this.
  std::shared_ptr<const protocol::rows_metadata> result_types;
  // The CQL again, shared by every execution: what is sent to PREPARE it
  // again on a node that answers UNPREPARED (restarted, cache evicted).
  std::shared_ptr<const std::string> source;
  // When PREPARE failed: why, in the server's words ("table x does not
  // exist") or the driver's; empty on success.
  std::string error_message;
};

}  // namespace cqlpp
