// result_stream over a scripted, in-memory page_source: every exit path of a
// stream (end, break, exception, cancel, timeout, shutdown while a row is
// held, destruction while a fetch is in flight) gives back every fetch and
// page, and the calls keep the promises of result_stream.hpp. No sockets.
#include "cqlpp/streaming/result_stream.hpp"
#include "cqlpp/transport/error.hpp"

#include <doctest/doctest.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/experimental/deferred.hpp>

#include "tests/support/eventually.hpp"
#include "tests/support/io_thread.hpp"
#include "tests/support/scripted_pages.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;
using asio::use_awaitable;
using cqlpp::test::eventually;
using cqlpp::test::scripted_pages;
using streaming::result_stream;

namespace {

constexpr auto tuple_awaitable = asio::experimental::as_tuple(use_awaitable);

struct fixture {
  cqlpp::test::io_thread t;
  std::shared_ptr<streaming::stream_registry> reg = std::make_shared<streaming::stream_registry>();

  result_stream open(const std::shared_ptr<scripted_pages>& src, streaming::stream_options o = {}) {
    auto core = std::make_shared<streaming::stream_core>(src, reg, t.io.get_executor(), o);
    reg->add(core);
    asio::post(core->strand(), [core] { core->start(); });
    return result_stream(std::move(core));
  }

  // Nothing alive, held or in flight, in the stream and at the source.
  void check_clean(const scripted_pages& src) {
    const bool clean = eventually([&] {
      const auto c = reg->snapshot();
      return c.live_streams == 0 && c.pages_held == 0 && c.bytes_held == 0 && c.fetches_in_flight == 0 &&
             src.pending.load() == 0;
    });
    const auto c = reg->snapshot();
    INFO("live " << c.live_streams << " pages " << c.pages_held << " bytes " << c.bytes_held << " fetches "
                 << c.fetches_in_flight << " pending at source " << src.pending.load());
    CHECK(clean);
  }
};

std::int32_t key_of(const streaming::row& r) { return r.get<std::int32_t>(0).value().value(); }

}  // namespace

TEST_CASE_FIXTURE(fixture, "stream: every row once, in order, never more than prefetch + 1 pages") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  auto n = t.run([&]() -> asio::awaitable<int> {
    auto st = open(src);
    int count = 0;
    std::int64_t max_pages = 0;
    while (auto r = co_await st.async_next(use_awaitable)) {
      if (key_of(*r) != count) throw std::runtime_error("row out of order");
      if (r->get<std::string_view>(1).value().value() != "row-" + std::to_string(count))
        throw std::runtime_error("bad text");
      ++count;
      max_pages = std::max(max_pages, reg->snapshot().pages_held);
    }
    if (max_pages > 2) throw std::runtime_error("held more than prefetch + 1 pages");
    co_return count;
  }());
  CHECK(n == 1000);
  CHECK(src->fetches == 10);
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: break out of the loop gives everything back") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    int n = 0;
    while (auto r = co_await st.async_next(use_awaitable))
      if (++n == 150) break;
  }());
  check_clean(*src);
  CHECK(src->fetches.load() <= 3);  // back-pressure: no read-ahead past prefetch
}

TEST_CASE_FIXTURE(fixture, "stream: an exception from the loop body gives everything back") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  CHECK_THROWS_AS(t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    while (auto r = co_await st.async_next(use_awaitable))
      if (key_of(*r) == 120) throw std::logic_error("consumer failed");
  }()), std::logic_error);
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: destroyed while a fetch is in flight, the fetch is cancelled") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  src->hang_page = 1;  // the prefetch of page 1 never answers
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    auto r = co_await st.async_next(use_awaitable);
    if (!r) throw std::runtime_error("no first row");
  }());
  check_clean(*src);
  CHECK(src->cancelled == 1);
}

TEST_CASE_FIXTURE(fixture, "stream: a cancelled async_next frees the caller, the stream stays usable") {
  auto src = std::make_shared<scripted_pages>(300, 100);
  src->delay = 300ms;
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    asio::cancellation_signal sig;
    asio::steady_timer timer(co_await asio::this_coro::executor, 20ms);
    timer.async_wait([&](std::error_code) { sig.emit(asio::cancellation_type::terminal); });
    const auto t0 = std::chrono::steady_clock::now();
    auto [ec, r] = co_await st.async_next(asio::bind_cancellation_slot(sig.slot(), tuple_awaitable));
    if (ec != asio::error::operation_aborted) throw std::runtime_error("not aborted: " + ec.message());
    if (std::chrono::steady_clock::now() - t0 > 250ms) throw std::runtime_error("cancel waited for the page");
    // The fetch goes on; the next call gets the first row.
    auto r2 = co_await st.async_next(use_awaitable);
    if (!r2 || key_of(*r2) != 0) throw std::runtime_error("stream not usable after cancel");
  }());
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: a timeout around async_next (awaitable || timer) gives everything back") {
  auto src = std::make_shared<scripted_pages>(300, 100);
  src->hang_page = 0;
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    asio::steady_timer timer(co_await asio::this_coro::executor, 50ms);
    auto which = co_await (st.async_next(use_awaitable) || timer.async_wait(use_awaitable));
    if (which.index() != 1) throw std::runtime_error("the hung fetch answered");
  }());
  check_clean(*src);
  CHECK(src->cancelled == 1);
}

TEST_CASE_FIXTURE(fixture, "stream: a failed fetch surfaces on the read after the rows before it") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  src->fail_page = 2;
  src->fail_with = transport::errc::request_timeout;
  auto [n, ec] = t.run([&]() -> asio::awaitable<std::pair<int, std::error_code>> {
    auto st = open(src);
    int count = 0;
    for (;;) {
      auto [e, r] = co_await st.async_next(tuple_awaitable);
      if (e) co_return std::pair{count, e};
      if (!r) co_return std::pair{count, std::error_code{}};
      ++count;
    }
  }());
  CHECK(n == 200);
  CHECK(ec == transport::errc::request_timeout);
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: shut down (session closed) while a row is held, the row stays valid until the next call") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  std::optional<result_stream> st;
  std::optional<streaming::row> held;
  t.run([&]() -> asio::awaitable<void> {
    st.emplace(open(src));
    for (int i = 0; i < 5; ++i) held = co_await st->async_next(use_awaitable);
  }());
  REQUIRE(held);
  reg->close_all(streaming::errc::session_closed);
  // The shutdown has run once the prefetch is no longer in flight.
  REQUIRE(eventually([&] { return reg->snapshot().fetches_in_flight == 0 && src->pending == 0; }));
  std::this_thread::sleep_for(20ms);
  // The page of the held row is still there (ASan: no use after free) ...
  CHECK(reg->snapshot().pages_held == 1);
  CHECK(key_of(*held) == 4);
  CHECK(held->get<std::string_view>(1).value().value() == "row-4");
  // ... until the next call, which fails and frees it.
  auto ec = t.run([&]() -> asio::awaitable<std::error_code> {
    auto [e, r] = co_await st->async_next(tuple_awaitable);
    co_return e;
  }());
  CHECK(ec == streaming::errc::session_closed);
  CHECK(reg->snapshot().pages_held == 0);
  st.reset();
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: async_next_page after async_next returns the rest of the page, no row twice") {
  auto src = std::make_shared<scripted_pages>(250, 100);
  std::vector<std::int32_t> keys;
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    for (int i = 0; i < 30; ++i) keys.push_back(key_of(*co_await st.async_next(use_awaitable)));
    for (;;) {
      const auto* page = co_await st.async_next_page(use_awaitable);
      if (!page) break;
      for (auto rv : *page) keys.push_back(streaming::row(rv).get<std::int32_t>(0).value().value());
      // One row by itself between pages.
      if (auto r = co_await st.async_next(use_awaitable)) keys.push_back(key_of(*r));
    }
  }());
  REQUIRE(keys.size() == 250);
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(keys[i] == static_cast<std::int32_t>(i));
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: async_release completes once the counters have settled") {
  auto src = std::make_shared<scripted_pages>(1000, 100);
  src->hang_page = 1;
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    co_await st.async_next(use_awaitable);
    co_await st.async_release(use_awaitable);
    if (st.valid()) throw std::runtime_error("still valid");
  }());
  // No polling: settled when async_release completed.
  const auto c = reg->snapshot();
  CHECK(c.live_streams == 0);
  CHECK(c.pages_held == 0);
  CHECK(c.fetches_in_flight == 0);
  CHECK(src->cancelled == 1);
}

// The initiations hold the stream's core, not a pointer to the stream object:
// a deferred operation launched after the object moved still reads the stream.
TEST_CASE_FIXTURE(fixture, "stream: deferred async_next / async_release launched after the stream moved") {
  auto src = std::make_shared<scripted_pages>(10, 5);
  std::vector<std::int32_t> keys;
  bool released_at_call = false;
  t.run([&]() -> asio::awaitable<void> {
    auto a = open(src);
    auto next = a.async_next(asio::experimental::deferred);
    auto b = std::move(a);
    if (auto r = co_await std::move(next)(use_awaitable)) keys.push_back(key_of(*r));
    auto rel = b.async_release(asio::experimental::deferred);
    released_at_call = !b.valid();
    co_await std::move(rel)(use_awaitable);
  }());
  CHECK(keys == std::vector<std::int32_t>{0});
  CHECK(released_at_call);
  check_clean(*src);
}

TEST_CASE_FIXTURE(fixture, "stream: a second call while one is outstanding fails with in_progress") {
  auto src = std::make_shared<scripted_pages>(100, 100);
  src->delay = 100ms;
  t.run([&]() -> asio::awaitable<void> {
    auto st = open(src);
    auto ex = co_await asio::this_coro::executor;
    auto first = asio::co_spawn(ex, st.async_next(use_awaitable), asio::use_future);
    asio::steady_timer tm(ex, 10ms);
    co_await tm.async_wait(use_awaitable);
    auto [ec, r] = co_await st.async_next(tuple_awaitable);
    if (ec != asio::error::in_progress) throw std::runtime_error("second call: " + ec.message());
    while (first.wait_for(0s) != std::future_status::ready) {
      tm.expires_after(5ms);
      co_await tm.async_wait(use_awaitable);
    }
    if (!first.get()) throw std::runtime_error("first call got no row");
  }());
  check_clean(*src);
}

// The header's promise, "the same call takes a callback, use_future,
// use_awaitable or deferred": async_next with use_future did not compile
// (the empty-stream path made an any_io_executor of the future's executor).
TEST_CASE_FIXTURE(fixture, "stream: async_next, async_next_page and async_release take asio::use_future") {
  auto src = std::make_shared<scripted_pages>(10, 5);
  {
    auto st = open(src);
    std::vector<std::int32_t> keys;
    for (int i = 0; i < 3; ++i) {
      auto r = st.async_next(asio::use_future).get();
      REQUIRE(r);
      keys.push_back(key_of(*r));
    }
    CHECK(keys == std::vector<std::int32_t>{0, 1, 2});
    const protocol::rows_result* rest = st.async_next_page(asio::use_future).get();  // the rest of page 1
    REQUIRE(rest != nullptr);
    for (auto rv : *rest) keys.push_back(streaming::row(rv).get<std::int32_t>(0).value().value());
    CHECK(keys == std::vector<std::int32_t>{0, 1, 2, 3, 4});
    st.async_release(asio::use_future).get();
    CHECK_FALSE(st.valid());
  }
  check_clean(*src);
  result_stream empty;
  auto f = empty.async_next(asio::use_future);
  REQUIRE(f.wait_for(2s) == std::future_status::ready);
  std::error_code ec;
  try {
    f.get();
  } catch (const std::system_error& e) {
    ec = e.code();
  }
  CHECK(ec == streaming::errc::empty_stream);
}
