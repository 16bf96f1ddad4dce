// reader: bounds-checked, big-endian cursor over a borrowed byte span.
//
// Errors are sticky: the first failed read records a decode_error (code,
// offset, field) and every later read returns a zero/empty value without
// moving. Decoders read their fields in order and check ok() once at the end,
// which keeps them shaped like the spec's field lists.
//
// Nothing is allocated from a length field before the bytes are known to be
// present: counts are checked against remaining() times the smallest element.
//
// Lifetime: string_view and span results borrow the buffer given to the
// constructor. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/protocol/error.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/wire_map.hpp"

namespace cqlpp::protocol {

// Reads protocol notations from the front of a buffer; see the file comment for errors and lifetime.
class reader {
 public:
  // `base` is added to reported offsets, so a body reader can report offsets
  // relative to the start of the frame.
  explicit reader(bytes_view buf, std::size_t base = 0) noexcept : buf_(buf), base_(base) {}

  // False once any read has failed.
  bool ok() const noexcept { return !failed_; }
  // The first failure; meaningful only when !ok().
  const decode_error& error() const noexcept { return err_; }
  // Position of the next read, `base` included.
  std::size_t offset() const noexcept { return base_ + pos_; }
  // Bytes not yet read.
  std::size_t remaining() const noexcept { return buf_.size() - pos_; }
  // True when every byte has been read.
  bool at_end() const noexcept { return pos_ == buf_.size(); }
  // The unread bytes, without consuming them.
  bytes_view rest() const noexcept { return buf_.subspan(pos_); }

  // Records an error at the current offset unless one is recorded already.
  void fail(errc code, const char* field) noexcept;
  // Fails with trailing_bytes unless everything was consumed.
  void expect_end(const char* field) noexcept;
  // Checks that `n` elements of at least `min_size` bytes each can still fit.
  // Fails (invalid_length / truncated) and returns false otherwise.
  bool check_count(std::int64_t n, std::size_t min_size, const char* field) noexcept;

  // The fixed-width notations are inline: a response is a few dozen of them.
  // Each returns 0 once the reader has failed or when the bytes run out (truncated).

  // [byte]
  std::uint8_t u8(const char* field) noexcept {
    if (!need(1, field)) return 0;
    return std::to_integer<std::uint8_t>(buf_[pos_++]);
  }
  // [short], unsigned
  std::uint16_t u16(const char* field) noexcept { return static_cast<std::uint16_t>(be<2>(field)); }
  // [short] read as signed (two's complement)
  std::int16_t i16(const char* field) noexcept { return static_cast<std::int16_t>(u16(field)); }
  // [int]
  std::int32_t i32(const char* field) noexcept { return static_cast<std::int32_t>(u32(field)); }
  // [int] read as unsigned (flag words)
  std::uint32_t u32(const char* field) noexcept { return static_cast<std::uint32_t>(be<4>(field)); }
  // [long]
  std::int64_t i64(const char* field) noexcept { return static_cast<std::int64_t>(be<8>(field)); }
  // The next `n` bytes as they are; empty (and truncated recorded) if fewer remain.
  bytes_view raw(std::size_t n, const char* field) noexcept {
    if (!need(n, field)) return {};
    auto s = buf_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // Consumes `n` bytes unread; fails like raw().
  void skip(std::size_t n, const char* field) noexcept { (void)raw(n, field); }

  std::string_view string(const char* field) noexcept;       // [string]
  std::string_view long_string(const char* field) noexcept;  // [long string]
  // [bytes]; a negative length is null and returns st == null.
  value_view bytes(const char* field) noexcept;
  // [value]: like [bytes], plus -2 = unset.
  value_view value(const char* field) noexcept;
  bytes_view short_bytes(const char* field) noexcept;        // [short bytes]
  uuid read_uuid(const char* field) noexcept;                // [uuid]
  inet_address inetaddr(const char* field) noexcept;         // [inetaddr]
  inet_endpoint inet(const char* field) noexcept;            // [inet]
  consistency read_consistency(const char* field) noexcept;  // [consistency]

  std::vector<std::string> string_list(const char* field);                  // [string list]
  wire_map<std::string> string_map(const char* field);  // [string map], in wire order
  std::map<std::string, std::vector<std::string>> string_multimap(const char* field);  // [string multimap]
  wire_map<std::vector<std::byte>> bytes_map(const char* field);  // [bytes map], in wire order

  // Cassandra's variable-length integers (v5 §3 [vint]/[unsigned vint]).
  std::uint64_t uvint(const char* field) noexcept;
  std::int64_t vint(const char* field) noexcept;  // [vint]: a zig-zag encoded [unsigned vint]

 private:
  bool need(std::size_t n, const char* field) noexcept {
    if (failed_) return false;
    if (remaining() < n) [[unlikely]] {
      fail(errc::truncated, field);
      return false;
    }
    return true;
  }
  // N big-endian bytes.
  template <int N>
  std::uint64_t be(const char* field) noexcept {
    if (!need(N, field)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < N; ++i) v = (v << 8) | std::to_integer<std::uint64_t>(buf_[pos_ + static_cast<std::size_t>(i)]);
    pos_ += N;
    return v;
  }

  bytes_view buf_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
  bool failed_ = false;
  decode_error err_;
};

// Decodes an unsigned vint from the front of `b`; returns the number of bytes
// used, or 0 if `b` is too short.
std::size_t decode_uvint(bytes_view b, std::uint64_t& out) noexcept;

}  // namespace cqlpp::protocol
