// ERROR (v4 §4.2.1 and §9, v5 §4.2.1 and §8): <code><message>[details], the
// details depending on the code. Codes without details, and unknown codes,
// carry std::monostate (bytes after the message are then ignored, as the spec
// asks clients to discard what they do not know).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/server_error.hpp"
#include "cqlpp/protocol/writer.hpp"

namespace cqlpp::protocol {

// Unavailable (0x1000): <cl><required><alive>
struct unavailable_details {
  consistency cl = consistency::one;  // consistency level of the query
  std::int32_t required = 0;          // replicas that must be alive to meet `cl`
  std::int32_t alive = 0;             // replicas known alive when the request was processed
  friend bool operator==(const unavailable_details&, const unavailable_details&) = default;
};

// Write_timeout (0x1100): <cl><received><blockfor><writeType>, plus in v5
// <contentions> [short] when writeType is "CAS".
struct write_timeout_details {
  consistency cl = consistency::one;  // consistency level of the write
  std::int32_t received = 0;          // replicas that acknowledged it
  std::int32_t block_for = 0;         // acknowledgements needed to meet `cl`
  std::string write_type;  // SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, VIEW, CDC
  std::optional<std::uint16_t> contentions;  // v5 CAS only
  friend bool operator==(const write_timeout_details&, const write_timeout_details&) = default;
};

// Read_timeout (0x1200): <cl><received><blockfor><data_present>
struct read_timeout_details {
  consistency cl = consistency::one;  // consistency level of the read
  std::int32_t received = 0;          // replicas that answered
  std::int32_t block_for = 0;         // answers needed to meet `cl`
  bool data_present = false;          // whether the replica asked for the data answered
  friend bool operator==(const read_timeout_details&, const read_timeout_details&) = default;
};

// <reasonmap> entry (v5): replica address and failure reason code.
struct failure_reason {
  inet_address endpoint;   // the replica that failed
  std::uint16_t code = 0;  // its reason (Cassandra's RequestFailureReason; 0 is UNKNOWN)
  friend bool operator==(const failure_reason&, const failure_reason&) = default;
};

// Read_failure (0x1300): <cl><received><blockfor><numfailures|reasonmap><data_present>
// Write_failure (0x1500): <cl><received><blockfor><numfailures|reasonmap><writeType>
// v4 sends <numfailures> [int]; v5 sends <reasonmap> ([int] n, n × <inetaddr><short>).
// Decoding v5 sets num_failures to the map's size; encoding v4 writes
// num_failures, v5 writes `reasons`.
struct failure_details {
  consistency cl = consistency::one;  // consistency level of the request
  std::int32_t received = 0;          // replicas that answered successfully
  std::int32_t block_for = 0;         // answers needed to meet `cl`
  std::int32_t num_failures = 0;      // replicas that failed (v4 <numfailures>; v5: the map's size)
  std::vector<failure_reason> reasons;  // v5
  bool data_present = false;            // read failure
  std::string write_type;               // write failure
  friend bool operator==(const failure_details&, const failure_details&) = default;
};

// Function_failure (0x1400): <keyspace><function><arg_types>
struct function_failure_details {
  std::string keyspace;                     // keyspace of the function
  std::string function;                     // its name
  std::vector<std::string> argument_types;  // its argument types, as CQL type names
  friend bool operator==(const function_failure_details&, const function_failure_details&) = default;
};

// CAS_write_unknown (0x1700): <cl><received><blockfor>
struct cas_write_unknown_details {
  consistency cl = consistency::one;  // consistency level of the conditional write
  std::int32_t received = 0;          // replicas that acknowledged it
  std::int32_t block_for = 0;         // acknowledgements needed to meet `cl`
  friend bool operator==(const cas_write_unknown_details&, const cas_write_unknown_details&) = default;
};

// Already_exists (0x2400): <ks><table> (table empty for a keyspace)
struct already_exists_details {
  std::string keyspace;  // the keyspace that exists, or that holds the table
  std::string table;     // the table that exists; empty when the keyspace itself does
  friend bool operator==(const already_exists_details&, const already_exists_details&) = default;
};

// Unprepared (0x2500): the unknown prepared id, [short bytes]
struct unprepared_details {
  std::vector<std::byte> id;  // as the request sent it; re-PREPARE the statement and retry
  friend bool operator==(const unprepared_details&, const unprepared_details&) = default;
};

// The details that follow the message, by code: std::monostate for codes without details (or not known).
using error_details =
    std::variant<std::monostate, unavailable_details, write_timeout_details, read_timeout_details,
                 failure_details, function_failure_details, cas_write_unknown_details,
                 already_exists_details, unprepared_details>;

// An ERROR response: the server refused or failed a request.
struct error_response {
  static constexpr opcode op = opcode::error;  // frame header opcode (0x00)
  std::int32_t code = 0;  // a server_errc value, or a code this version does not know
  std::string message;    // the server's own words
  error_details details;  // must match `code` when encoding

  // `code` as a std::error_code in server_category(); code 0 (Server_error) is mapped, so the result is truthy.
  std::error_code error_code() const noexcept { return make_server_error_code(code); }
  friend bool operator==(const error_response&, const error_response&) = default;
};

// Decodes an ERROR body; details are read for the codes that have them. Errors are left in `r`.
error_response decode_error_response(reader& r, protocol_version v);
// Writes an ERROR body. Fails in `w` with invalid_value when `details` does not fit `code`, or when a
// write_timeout's `contentions` is present other than for CAS in v5, or missing there.
void encode(writer& w, const error_response& m, protocol_version v);

}  // namespace cqlpp::protocol
