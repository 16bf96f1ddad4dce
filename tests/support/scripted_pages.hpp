// scripted_pages: a page_source that serves a fixed result of `rows` rows
// (k int, v text; k = 0..rows-1) in pages of `page_size`, from memory, for
// in-process tests of streaming/. No sockets: each page is a real RESULT Rows
// body encoded by protocol/, handed over on the stream's executor.
//
// Scripted trouble: fail the fetch of page `fail_page` with `fail_with`; make
// page `hang_page` never answer (until cancelled, as a node that never
// answers does); delay every answer by `delay`. Counts what a test asserts on:
// fetches started, answered, cancelled, and cancellation handlers still
// installed (which must be 0 once a stream is gone).
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/protocol/writer.hpp"
#include "cqlpp/streaming/page_source.hpp"
#include "tests/support/test_rows.hpp"

namespace cqlpp::test {

class scripted_pages final : public streaming::page_source,
                             public std::enable_shared_from_this<scripted_pages> {
 public:
  scripted_pages(std::int32_t rows, std::int32_t page_size) : rows_(rows), page_size_(page_size) {}

  int fail_page = -1;
  std::error_code fail_with = std::make_error_code(std::errc::io_error);
  int hang_page = -1;
  std::chrono::milliseconds delay{0};

  std::atomic<int> fetches{0}, answered{0}, cancelled{0}, pending{0};

  void fetch_page(const std::optional<streaming::paging_state>& state, asio::any_io_executor ex,
                  asio::cancellation_slot cancel, streaming::fetch_handler done) override {
    const std::int32_t start = state ? row_of_paging_state(*state) : 0;
    const int page = start / page_size_;
    fetches.fetch_add(1);
    pending.fetch_add(1);
    auto op = std::make_shared<fetch_op>();
    op->done = std::move(done);
    op->ex = ex;
    op->owner = shared_from_this();
    if (cancel.is_connected()) {
      // Emitted from `ex` (page_source's contract): complete at once.
      cancel.assign([op](asio::cancellation_type) {
        if (op->finish(asio::error::operation_aborted, {})) op->owner->cancelled.fetch_add(1);
      });
    }
    if (page == hang_page) return;
    transport::response r;
    std::error_code ec;
    if (page == fail_page) ec = fail_with;
    else r = make_page(start);
    auto t = std::make_shared<asio::steady_timer>(ex, delay);
    t->async_wait([op, t, ec, r = std::move(r)](std::error_code) mutable {
      if (op->finish(ec, std::move(r))) op->owner->answered.fetch_add(1);
    });
  }

  protocol::protocol_version version() const override { return protocol::protocol_version::v4; }

 private:
  struct fetch_op {
    streaming::fetch_handler done;
    asio::any_io_executor ex;
    std::shared_ptr<scripted_pages> owner;
    bool finished = false;
    // On `ex`: the first of answer and cancellation wins.
    bool finish(std::error_code ec, transport::response r) {
      if (finished) return false;
      finished = true;
      owner->pending.fetch_sub(1);
      asio::post(ex, [d = std::move(done), ec, r = std::move(r)]() mutable { d(ec, std::move(r)); });
      return true;
    }
  };

  transport::response make_page(std::int32_t start) const {
    namespace proto = cqlpp::protocol;
    const std::int32_t end = std::min(rows_, start + page_size_);
    std::vector<std::byte> content;
    append_test_rows(content, start, end);
    auto md = test_rows_metadata("ks");
    if (end < rows_) md.paging_state = row_paging_state(end);
    std::vector<std::byte> frame;
    proto::encode_response(frame, proto::rows_result(std::move(md), end - start, content), 0,
                           proto::protocol_version::v4);
    transport::response r;
    auto h = proto::decode_frame(frame);
    r.header = std::get<proto::frame_view>(h).header;
    r.body.assign(frame.begin() + static_cast<std::ptrdiff_t>(proto::frame_header_size), frame.end());
    return r;
  }

  std::int32_t rows_;
  std::int32_t page_size_;
};

}  // namespace cqlpp::test
