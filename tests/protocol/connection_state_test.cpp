// connection_state without sockets or sleeps: time is a variable, the peer is
// bytes built here. Matching, orphans, ordered deadlines, heartbeats, framing
// (v4, v4 + lz4, v5 segments) and failure.
#include "cqlpp/protocol/connection_state.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <map>

#include "cqlpp/protocol/compression.hpp"

using namespace cqlpp::protocol;
using namespace std::chrono_literals;

namespace {

const steady_time t0{};

struct recorder final : completion_sink {
  std::map<std::uint64_t, std::string> responses;  // tag -> body text
  std::map<std::uint64_t, std::error_code> failures;
  int events = 0;
  void on_response(std::uint64_t tag, const frame_header&, bytes_view body) override {
    CHECK(!responses.count(tag));
    CHECK(!failures.count(tag));
    responses[tag] = std::string(reinterpret_cast<const char*>(body.data()), body.size());
  }
  void on_failure(std::uint64_t tag, std::error_code ec) override {
    CHECK(!responses.count(tag));
    CHECK(!failures.count(tag));
    failures[tag] = ec;
  }
  void on_event(const frame_header&, bytes_view) override { ++events; }
};

bytes_view text(const std::string& s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }

// A server frame answering `id` with `body`.
std::vector<std::byte> answer(std::int16_t id, const std::string& body, std::uint8_t version = 4,
                              std::uint8_t flags = 0) {
  frame_header h{version, true, flags, id, opcode::result, static_cast<std::uint32_t>(body.size())};
  const auto hdr = encode_frame_header(h);
  std::vector<std::byte> out(hdr.size() + body.size());
  std::memcpy(out.data(), hdr.data(), hdr.size());
  if (!body.empty()) std::memcpy(out.data() + hdr.size(), body.data(), body.size());
  return out;
}

// The frames in `bytes` (v4 framing).
std::vector<frame_header> frames_in(const std::vector<std::byte>& bytes) {
  std::vector<frame_header> hs;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    auto r = decode_frame(bytes_view(bytes).subspan(pos));
    auto* f = std::get_if<frame_view>(&r);
    REQUIRE(f);
    hs.push_back(f->header);
    pos += f->size();
  }
  return hs;
}

request_handle submit(connection_state& c, std::uint64_t tag, steady_time deadline, const std::string& body = "q") {
  request_handle h;
  REQUIRE_FALSE(c.submit(opcode::query, 0, text(body), tag, deadline, h));
  return h;
}

void check_ids(const connection_state& c, int capacity) {
  // The invariant the fuzz target also checks: no id is lost.
  const auto s = c.stats();
  CHECK(s.ids_in_use + s.orphaned_ids <= capacity);
}

}  // namespace

TEST_CASE("connection_state: requests leave as frames and answers reach their own tags, in any order") {
  connection_state c({}, t0);
  recorder r;
  auto a = submit(c, 100, t0 + 1s, "first");
  auto b = submit(c, 200, t0 + 1s, "second");
  std::vector<std::byte> out;
  c.take_output(out);
  auto hs = frames_in(out);
  REQUIRE(hs.size() == 2);
  CHECK(hs[0].stream == a.id);
  CHECK(hs[1].stream == b.id);
  CHECK(hs[0].op == opcode::query);
  CHECK_FALSE(c.has_output());

  auto in = answer(b.id, "for 200");
  const auto more = answer(a.id, "for 100");
  in.insert(in.end(), more.begin(), more.end());
  CHECK(c.receive(in, t0 + 1ms, r) == in.size());
  CHECK(r.responses[100] == "for 100");
  CHECK(r.responses[200] == "for 200");
  CHECK(c.stats().ids_in_use == 0);
}

TEST_CASE("connection_state: a frame split across reads is consumed only when whole") {
  connection_state c({}, t0);
  recorder r;
  auto a = submit(c, 1, t0 + 1s);
  const auto in = answer(a.id, "0123456789");
  CHECK(c.receive(bytes_view(in).first(5), t0, r) == 0);
  CHECK(c.receive(bytes_view(in).first(12), t0, r) == 0);
  CHECK(c.receive(in, t0, r) == in.size());
  CHECK(r.responses[1] == "0123456789");
}

TEST_CASE("connection_state: an abandoned request's late answer is absorbed and its id not reused before") {
  connection_state_options o;
  o.max_stream_ids = 2;
  connection_state c(o, t0);
  recorder r;
  auto a = submit(c, 1, t0 + 1s);
  CHECK(c.abandon(a));
  CHECK_FALSE(c.abandon(a));  // once
  CHECK(c.stats().orphaned_ids == 1);
  auto b = submit(c, 2, t0 + 1s);
  CHECK(b.id != a.id);
  request_handle h;
  CHECK(c.submit(opcode::query, 0, text("x"), 3, t0 + 1s, h) == connection_errc::no_stream_ids);
  c.receive(answer(a.id, "late"), t0, r);
  CHECK(r.responses.empty());
  CHECK(c.stats().orphan_responses == 1);
  CHECK(c.stats().orphaned_ids == 0);
  auto d = submit(c, 4, t0 + 1s);  // the id is free again
  CHECK(d.id == a.id);
  CHECK_FALSE(c.abandon(a));  // a stale handle never touches the new request
  c.receive(answer(d.id, "d"), t0, r);
  CHECK(r.responses[4] == "d");
  check_ids(c, 2);
}

TEST_CASE("connection_state: deadlines expire in order, whatever order they were submitted in") {
  connection_state c({}, t0);
  recorder r;
  submit(c, 3, t0 + 3s);
  submit(c, 1, t0 + 1s);
  submit(c, 2, t0 + 2s);
  submit(c, 4, t0 + 3s);
  CHECK(c.next_wakeup() == t0 + 1s);
  c.tick(t0 + 1500ms, r);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[1] == connection_errc::request_timeout);
  CHECK(c.next_wakeup() == t0 + 2s);
  c.tick(t0 + 3s, r);
  CHECK(r.failures.size() == 4);
  CHECK(c.stats().timeouts == 4);
  CHECK(c.stats().orphaned_ids == 4);  // their answers may still come
  CHECK_FALSE(c.next_wakeup());        // idle, no heartbeats: nothing to wake for
}

TEST_CASE("connection_state: an idle connection wakes only for its heartbeat; unanswered, it is defunct") {
  connection_state_options o;
  o.heartbeat_interval = 30s;
  o.heartbeat_timeout = 10s;
  connection_state c(o, t0);
  recorder r;
  c.enable_heartbeats(t0);
  CHECK(c.next_wakeup() == t0 + 30s);
  c.tick(t0 + 29s, r);
  CHECK_FALSE(c.has_output());
  c.tick(t0 + 30s, r);
  std::vector<std::byte> out;
  c.take_output(out);
  auto hs = frames_in(out);
  REQUIRE(hs.size() == 1);
  CHECK(hs[0].op == opcode::options);
  CHECK(c.stats().heartbeats_sent == 1);
  CHECK(c.next_wakeup() == t0 + 40s);

  SUBCASE("answered: the connection lives on") {
    c.receive(answer(hs[0].stream, ""), t0 + 31s, r);
    CHECK(r.responses.empty());  // a heartbeat is nobody's request
    c.tick(t0 + 45s, r);
    CHECK_FALSE(c.failed());
    CHECK(c.next_wakeup() == t0 + 61s);
  }
  SUBCASE("unanswered: defunct, and every request fails with it") {
    submit(c, 7, t0 + 100s);
    c.tick(t0 + 41s, r);
    CHECK(c.failed());
    CHECK(r.failures[7] == connection_errc::defunct);
    request_handle h;
    CHECK(c.submit(opcode::query, 0, text("x"), 8, t0 + 100s, h) == connection_errc::closed);
  }
}

TEST_CASE("connection_state: stray answers are counted, garbage fails every request") {
  connection_state c({}, t0);
  recorder r;
  submit(c, 1, t0 + 1s);
  submit(c, 2, t0 + 1s);
  c.receive(answer(999, "nobody asked"), t0, r);
  CHECK(c.stats().stray_responses == 1);
  CHECK_FALSE(c.failed());
  std::vector<std::byte> junk(20, std::byte{0xEE});
  CHECK(c.receive(junk, t0, r) == junk.size());
  CHECK(c.failed());
  CHECK(r.failures[1] == connection_errc::protocol_violation);
  CHECK(r.failures[2] == connection_errc::protocol_violation);
  CHECK(c.stats().ids_in_use == 0);
}

TEST_CASE("connection_state: events go to the sink; v4 lz4 bodies both ways") {
  connection_state c({}, t0);
  recorder r;
  c.receive(answer(-1, "event"), t0, r);
  CHECK(r.events == 1);

  c.enable_body_compression();
  const std::string body(300, 'a');
  auto a = submit(c, 1, t0 + 1s, body);
  std::vector<std::byte> out;
  c.take_output(out);
  auto hs = frames_in(out);
  REQUIRE(hs.size() == 1);
  CHECK((hs[0].flags & frame_flags::compression) != 0);
  CHECK(hs[0].length < body.size());

  std::vector<std::byte> packed;
  REQUIRE_FALSE(compress_body(text("the answer, compressed"), packed));
  frame_header h{4, true, frame_flags::compression, a.id, opcode::result, static_cast<std::uint32_t>(packed.size())};
  const auto hdr = encode_frame_header(h);
  std::vector<std::byte> in(hdr.size() + packed.size());
  std::memcpy(in.data(), hdr.data(), hdr.size());
  std::memcpy(in.data() + hdr.size(), packed.data(), packed.size());
  c.receive(in, t0, r);
  CHECK(r.responses[1] == "the answer, compressed");
}

TEST_CASE("connection_state: v5 segments both ways") {
  connection_state c({}, t0);
  recorder r;
  c.set_version(5);
  c.enable_segments(segment_compression::none);
  auto a = submit(c, 1, t0 + 1s, "v5 request");
  auto b = submit(c, 2, t0 + 1s, "another");
  std::vector<std::byte> out;
  c.take_output(out);
  segment_decoder dec;
  auto seg = dec.decode(out);
  auto* sg = std::get_if<segment>(&seg);
  REQUIRE(sg);
  CHECK(sg->header.self_contained);
  CHECK(sg->size == out.size());  // both envelopes in one segment

  auto e1 = answer(a.id, "one", 5);
  auto e2 = answer(b.id, "two", 5);
  const std::array<bytes_view, 2> envs{bytes_view(e1), bytes_view(e2)};
  auto in = encode_segments(envs, segment_compression::none);
  CHECK(c.receive(bytes_view(in).first(in.size() - 1), t0, r) == 0);
  CHECK(c.receive(in, t0, r) == in.size());
  CHECK(r.responses[1] == "one");
  CHECK(r.responses[2] == "two");
}

TEST_CASE("connection_state: fail() completes every request once; abandoned ones stay silent") {
  connection_state c({}, t0);
  recorder r;
  auto a = submit(c, 1, t0 + 1s);
  submit(c, 2, t0 + 2s);
  submit(c, 3, t0 + 500ms);
  c.abandon(a);
  c.fail(connection_errc::closed, r);
  CHECK(r.failures.size() == 2);
  CHECK_FALSE(r.failures.count(1));
  c.fail(connection_errc::closed, r);  // idempotent
  CHECK(r.failures.size() == 2);
  CHECK(c.stats().ids_in_use == 0);
  CHECK(c.stats().orphaned_ids == 0);
  CHECK_FALSE(c.has_output());
}
