// Message cases the Python driver cannot produce, checked against hand-made
// layouts from the spec (v4/v5 §4), plus response decoding under truncation
// and row iteration.
#include <doctest/doctest.h>

#include <algorithm>

#include "../golden/messages_response_cases.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::golden::bv;
using cqlpp::golden::set;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

namespace {

std::string encode_req(const request& m, protocol_version v) {
  std::vector<std::byte> out;
  REQUIRE(!encode_request(out, m, 0, v));
  return to_hex(out);
}

result<request_envelope> decode_req(const std::vector<std::byte>& frame, protocol_version v) {
  auto f = decode_frame(frame);
  REQUIRE(std::holds_alternative<frame_view>(f));
  return decode_request(std::get<frame_view>(f), v);
}

}  // namespace

TEST_CASE("spec-only: v5 QUERY with skip_metadata, named values and now_in_seconds") {
  query_request q;
  q.query = "Q";
  q.params.cl = consistency::quorum;
  q.params.values = std::vector<value_view>{set("\x07")};
  q.params.names = {"k"};
  q.params.skip_metadata = true;
  q.params.now_in_seconds = 1234;
  // <long string Q><cl 0004><flags 00000143: values|skip|names|now>
  // <n 0001><name "k"><value 1 byte 07><now 000004d2>
  const std::string body = "0000000151" "0004" "00000143" "0001" "00016b" "0000000107" "000004d2";
  const std::string frame = "05000000" "07" "00000019" + body;
  CHECK(encode_req(q, protocol_version::v5) == frame);
  const auto wire = from_hex(frame);  // decoded values borrow these bytes
  auto d = decode_req(wire, protocol_version::v5);
  REQUIRE(d.has_value());
  CHECK(std::get<query_request>(d->message) == q);
}

TEST_CASE("spec-only: v4 cannot carry keyspace or now_in_seconds") {
  query_request q;
  q.params.now_in_seconds = 1;
  std::vector<std::byte> out{std::byte{1}};
  CHECK(encode_request(out, q, 0, protocol_version::v4) == errc::not_in_version);
  CHECK(out.size() == 1);  // nothing appended on error
  prepare_request p{"Q", "ks"};
  CHECK(encode_request(out, p, 0, protocol_version::v4) == errc::not_in_version);
  // A v4 flags byte with 0x80 is not a keyspace: unknown flag.
  const auto wire = from_hex("04000000 07 00000007 00000000 0001 80");  // decoded values borrow these bytes
  auto d = decode_req(wire, protocol_version::v4);
  REQUIRE(!d.has_value());
  CHECK(d.error().code == errc::invalid_value);
}

TEST_CASE("spec-only: v5 EXECUTE with keyspace and now_in_seconds") {
  execute_request e;
  e.id = bv("\x01\x02");
  e.result_metadata_id = bv("\x03");
  e.params.cl = consistency::one;
  e.params.keyspace = "ks";
  e.params.now_in_seconds = 7;
  const std::string body = "00020102" "000103" "0001" "00000180" "00026b73" "00000007";
  CHECK(encode_req(e, protocol_version::v5) == "050000000a00000015" + body);
  const auto wire = from_hex("050000000a00000015" + body);  // decoded values borrow these bytes
  auto d = decode_req(wire, protocol_version::v5);
  REQUIRE(d.has_value());
  CHECK(std::get<execute_request>(d->message) == e);
}

TEST_CASE("spec-only: BATCH with names for values, and v5 now_in_seconds") {
  batch_request b;
  b.type = batch_type::unlogged;
  b.named_values = true;
  b.statements.push_back({false, "I", {}, {set("\x01")}, {"a"}});
  b.statements.push_back({true, "", bv("\xff"), {value_view::null_value()}, {"b"}});
  b.cl = consistency::two;
  b.now_in_seconds = 9;
  // <type 01><n 0002>
  //   <kind 00><long string "I"><n 0001><name "a"><value 01>
  //   <kind 01><short bytes ff><n 0001><name "b"><value null>
  // <cl 0002><flags 00000140><now 00000009>
  const std::string body = "01" "0002" "00" "0000000149" "0001" "000161" "0000000101" "01" "0001ff" "0001"
                           "000162" "ffffffff" "0002" "00000140" "00000009";
  const auto bytes = from_hex(body);
  const std::string len = to_hex(std::vector<std::byte>{std::byte{0}, std::byte{0}, std::byte{0},
                                                        static_cast<std::byte>(bytes.size())});
  CHECK(encode_req(b, protocol_version::v5) == "050000000d" + len + body);
  const auto wire = from_hex("050000000d" + len + body);  // decoded values borrow these bytes
  auto d = decode_req(wire, protocol_version::v5);
  REQUIRE_MESSAGE(d.has_value(), d.error().message());
  CHECK(std::get<batch_request>(d->message) == b);
}

TEST_CASE("spec-only: v5 write timeout on CAS carries contentions") {
  // <code 00001100><msg "x"><cl 0008><received 0><blockfor 2><writeType "CAS"><contentions 0003>
  const std::string body = "00001100" "000178" "0008" "00000000" "00000002" "0003434153" "0003";
  auto r = decode_response_body(opcode::error, from_hex(body), protocol_version::v5);
  REQUIRE(r.has_value());
  const auto& e = std::get<error_response>(*r);
  const auto& d = std::get<write_timeout_details>(e.details);
  CHECK(d.contentions == 3);
  CHECK(e.error_code() == server_errc::write_timeout);
  CHECK(e.error_code() == server_condition::timeout);
  CHECK(is_retryable_if_idempotent(e.error_code()));
  CHECK(!is_retryable_on_next_host(e.error_code()));
  // v4 has no contentions: the same bytes leave 2 trailing bytes, ignored.
  auto r4 = decode_response_body(opcode::error, from_hex(body), protocol_version::v4);
  REQUIRE(r4.has_value());
  CHECK(!std::get<write_timeout_details>(std::get<error_response>(*r4).details).contentions);
}

TEST_CASE("server error conditions") {
  CHECK(make_error_code(server_errc::unavailable) == server_condition::unavailable);
  CHECK(is_retryable_on_next_host(server_errc::overloaded));
  CHECK(make_error_code(server_errc::syntax_error) == server_condition::request_invalid);
  CHECK(make_error_code(server_errc::unprepared) == server_condition::unprepared);
  CHECK(make_error_code(server_errc::read_failure).message() == "read failure");
  CHECK(!is_known_server_errc(0x1800));
}

// The server's code 0x0000 ("Server error") must not read as success:
// std::error_code treats value 0 as no error.
TEST_CASE("server error 0x0000 is an error, and keeps its wire code") {
  error_response e;
  e.code = 0;
  e.message = "java.lang.RuntimeException";
  CHECK(static_cast<bool>(e.error_code()));
  CHECK(e.error_code() == server_errc::server_error);
  CHECK(e.error_code() == server_condition::server_failure);
  CHECK(e.error_code().message() == "server error");
  CHECK(wire_code(e.error_code()) == 0);
  CHECK(wire_code(make_error_code(server_errc::invalid)) == 0x2200);
  CHECK(static_cast<bool>(make_error_code(server_errc::server_error)));
}

TEST_CASE("rows: cells are views into the frame, iteration walks every row") {
  for (auto v : {protocol_version::v4, protocol_version::v5}) {
    const auto cs = cqlpp::golden::response_cases(v);
    const auto it = std::find_if(cs.begin(), cs.end(),
                                 [](const auto& c) { return c.name == "result_rows_plain"; });
    REQUIRE(it != cs.end());
    std::vector<std::byte> frame;
    REQUIRE(!encode_response(frame, it->message, 3, v));
    auto f = decode_frame(frame);
    auto d = decode_response(std::get<frame_view>(f), v);
    REQUIRE(d.has_value());
    const auto& rows = std::get<rows_result>(d->message);
    CHECK(rows.row_count() == 2);
    std::vector<std::string> seen;
    for (const auto row : rows) {
      REQUIRE(row.size() == 2);
      CHECK(row.type(0)->kind == type_kind::int_);
      CHECK(row.type(1)->kind == type_kind::varchar);
      const auto k = row[0];
      CHECK(k.bytes.data() >= frame.data());
      CHECK(k.bytes.data() < frame.data() + frame.size());
      seen.push_back(to_hex(k.bytes) + "/" + (row[1].is_null() ? "null" : to_hex(row[1].bytes)));
    }
    CHECK(seen == std::vector<std::string>{"00000001/61", "00000002/null"});
  }
}

TEST_CASE("rows: a hostile row block fails at decode, not during iteration") {
  // kind 2, flags 4 (no metadata), 2 columns, 1000 rows but one cell present.
  auto r = decode_response_body(opcode::result, from_hex("00000002 00000004 00000002 000003e8 00000000"),
                                protocol_version::v4);
  REQUIRE(!r.has_value());
  CHECK(r.error().code == errc::truncated);
  // Zero columns and a huge row count: nothing to walk, iteration is bounded.
  auto z = decode_response_body(opcode::result, from_hex("00000002 00000004 00000000 7fffffff"),
                                protocol_version::v4);
  REQUIRE(z.has_value());
  CHECK(std::get<rows_result>(*z).row_count() == 0x7fffffff);
}

TEST_CASE("responses: every case survives truncation at every position") {
  for (auto v : {protocol_version::v4, protocol_version::v5}) {
    for (const auto& c : cqlpp::golden::response_cases(v)) {
      CAPTURE(c.name);
      std::vector<std::byte> frame;
      REQUIRE(!encode_response(frame, c.message, c.stream, v, c.extras));
      auto f = std::get<frame_view>(decode_frame(frame));
      auto full = decode_response(f, v);
      REQUIRE(full.has_value());
      CHECK(full->message == c.message);
      CHECK(full->extras == c.extras);
      for (std::size_t n = 0; n < f.body.size(); ++n) {
        frame_view cut = f;
        cut.body = f.body.first(n);
        CHECK(!decode_response(cut, v).has_value());
      }
    }
  }
}

// A [string map] and a [bytes map] have no order in the spec, but a proxy or
// fuzzer re-encoding what it decoded wants the same bytes: STARTUP options
// and custom payloads keep their wire order (duplicates too).
TEST_CASE("STARTUP options and a custom payload re-encode in their wire order, byte for byte") {
  // STARTUP {DRIVER_NAME: x, CQL_VERSION: 3.0.0}: not in sorted order.
  const std::string body = "0002" "000b" "4452495645525f4e414d45" "0001" "78"  // DRIVER_NAME -> x
                           "000b" "43514c5f56455253494f4e" "0005" "332e302e30";   // CQL_VERSION -> 3.0.0
  const std::string frame = "04000001" "01" "00000026" + body;
  const auto wire = from_hex(frame);
  auto d = decode_req(wire, protocol_version::v4);
  REQUIRE(d.has_value());
  const auto& st = std::get<startup_request>(d->message);
  REQUIRE(st.options.size() == 2);
  CHECK(st.options.begin()->first == "DRIVER_NAME");
  CHECK(st.options.at("CQL_VERSION") == "3.0.0");
  std::vector<std::byte> out;
  REQUIRE_FALSE(encode_request(out, st, d->stream, protocol_version::v4));
  CHECK(to_hex(out) == to_hex(wire));

  // A RESULT Void with a custom payload {z: 01, a: 02, z: 03}: order and the repeated key kept.
  const std::string payload = "0003" "00017a" "0000000101" "000161" "0000000102" "00017a" "0000000103";
  const std::string rframe = "84040002" "08" "0000001e" + payload + "00000001";
  const auto rwire = from_hex(rframe);
  auto r = decode_response(std::get<frame_view>(decode_frame(rwire)), protocol_version::v4);
  REQUIRE(r.has_value());
  REQUIRE(r->extras.payload);
  CHECK(r->extras.payload->size() == 3);
  CHECK(r->extras.payload->count("z") == 2);
  CHECK(r->extras.payload->at("z") == std::vector<std::byte>{std::byte{1}});  // the first one
  std::vector<std::byte> rout;
  REQUIRE_FALSE(encode_response(rout, r->message, r->stream, protocol_version::v4, r->extras));
  CHECK(to_hex(rout) == to_hex(rwire));
}
