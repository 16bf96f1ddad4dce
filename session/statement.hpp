// What a session executes: a CQL string with serialised values, or a prepared
// statement with C++ values that the statement's metadata types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/primitives.hpp"
#include "protocol/result_kinds.hpp"

namespace cqlpp {

// A bound value already in CQL's binary form; nullopt is null.
using serialized_value = std::optional<std::vector<std::byte>>;

struct statement {
  std::string cql;
  std::vector<serialized_value> values;  // positional, in the protocol's binary form
  protocol::consistency consistency = protocol::consistency::local_one;
  std::int32_t page_size = 5000;         // rows per page for streams and queries
  std::optional<std::string> keyspace;   // v5 only
  bool idempotent = false;               // safe to retry or speculate (used by later policies)

  statement() = default;
  statement(std::string q) : cql(std::move(q)) {}  // NOLINT: a CQL string is a statement
  statement(const char* q) : cql(q) {}             // NOLINT
};

// The server's answer to PREPARE, kept by the caller (cheap to copy).
struct prepared_statement {
  std::string cql;
  std::vector<std::byte> id;
  std::vector<std::byte> result_metadata_id;  // v5
  protocol::prepared_metadata variables;      // bind markers and their types
  protocol::rows_metadata result_metadata;
  // The same result metadata, shared with results and streams: EXECUTE asks
  // the server to skip it (skip_metadata) and cells are typed with this.
  std::shared_ptr<const protocol::rows_metadata> result_types;
};

}  // namespace cqlpp
