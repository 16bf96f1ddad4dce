#include "cqlpp/protocol/stream_ids.hpp"

#include <doctest/doctest.h>

#include <set>

using cqlpp::protocol::stream_id_pool;
using st = stream_id_pool::state;

TEST_CASE("stream ids: all 32768 can be in flight, each once, then exhaustion is reported") {
  stream_id_pool p;
  std::set<int> seen;
  for (int i = 0; i < 32768; ++i) {
    auto id = p.acquire();
    REQUIRE(id.has_value());
    CHECK(*id >= 0);
    seen.insert(*id);
  }
  CHECK(seen.size() == 32768);
  CHECK(p.in_use() == 32768);
  CHECK_FALSE(p.acquire().has_value());
  CHECK(p.release(17) == st::in_use);
  CHECK(p.acquire() == std::optional<std::int16_t>(17));
}

TEST_CASE("stream ids: an orphaned id is not reused until its response arrives") {
  stream_id_pool p(2);
  auto a = *p.acquire();
  auto b = *p.acquire();
  p.orphan(a);
  CHECK(p.orphaned() == 1);
  CHECK(p.in_use() == 1);
  CHECK_FALSE(p.acquire().has_value());  // a is reserved, b in use
  CHECK(p.release(a) == st::orphaned);   // late response absorbed
  CHECK(p.orphaned() == 0);
  CHECK(p.acquire() == std::optional<std::int16_t>(a));
  CHECK(p.release(b) == st::in_use);
}

TEST_CASE("stream ids: stray responses and bad ids do not corrupt counters") {
  stream_id_pool p(4);
  CHECK(p.release(3) == st::free);
  CHECK(p.release(-1) == st::free);
  CHECK(p.release(30000) == st::free);
  p.orphan(2);  // not in use: ignored
  CHECK(p.in_use() == 0);
  CHECK(p.orphaned() == 0);
  CHECK(p.available() == 4);
  auto a = *p.acquire();
  CHECK(p.release(a) == st::in_use);
  CHECK(p.release(a) == st::free);  // duplicate response
  CHECK(p.available() == 4);
  p.acquire();
  p.orphan(*p.acquire());
  p.reset();
  CHECK(p.available() == 4);
  CHECK(p.in_use() + p.orphaned() == 0);
}
