// writer: appends big-endian protocol notations to a caller-owned buffer.
//
// Errors are sticky like reader's: a string longer than [string] can hold, or
// a collection with more elements than its count field can express, records
// errc::too_large and the encoder reports it once at the end via ok().
//
// Lifetime: the writer keeps a reference to `out`; `out` must outlive it.
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

// Appends protocol notations to a borrowed std::vector<std::byte>; the first failure sticks (see ok()).
class writer {
 public:
  // Appends to `out`, after whatever it already holds; nothing is cleared.
  explicit writer(std::vector<std::byte>& out) noexcept : out_(out) {}

  // True while no write has failed.
  bool ok() const noexcept { return !err_; }
  // The first failure (a protocol errc), or an empty code while ok().
  std::error_code error() const noexcept { return err_; }
  // Records `e` unless an error is recorded already; lets encoders report their own checks.
  void fail(errc e) noexcept { if (!err_) err_ = make_error_code(e); }
  // Bytes in the buffer, including any it held before this writer.
  std::size_t size() const noexcept { return out_.size(); }
  // The buffer being written.
  std::vector<std::byte>& buffer() noexcept { return out_; }

  // [byte]
  void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
  // [short]. These are inline: a request is a dozen of them, each a few stores.
  void u16(std::uint16_t v) { be<2>(v); }
  // [short] from a signed value (two's complement).
  void i16(std::int16_t v) { u16(static_cast<std::uint16_t>(v)); }
  // 4 bytes, big-endian, unsigned.
  void u32(std::uint32_t v) { be<4>(v); }
  // [int]: 4 bytes, big-endian, signed.
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  // [long]: 8 bytes, big-endian, signed.
  void i64(std::int64_t v) { be<8>(static_cast<std::uint64_t>(v)); }
  // The bytes as they are, with no length prefix.
  void raw(bytes_view b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void raw(std::string_view s);  // the characters as they are, with no length prefix

  void string(std::string_view s);       // [string]
  void long_string(std::string_view s);  // [long string]
  void bytes(bytes_view b);              // [bytes] (non-null)
  // [bytes] null (length -1)
  void null_bytes() { i32(-1); }
  void value(const value_view& v);       // [value]
  void short_bytes(bytes_view b);        // [short bytes]
  // [uuid]: the 16 bytes as stored (network order).
  void write_uuid(const uuid& u) { raw(bytes_view(reinterpret_cast<const std::byte*>(u.bytes.data()), 16)); }
  // [inetaddr]: size byte then address; fails with invalid_value unless a.size is 4 or 16.
  void inetaddr(const inet_address& a);
  // [inet]: the [inetaddr], then the port as [int].
  void inet(const inet_endpoint& e) { inetaddr(e.address); i32(e.port); }
  // [consistency]: its [short] code.
  void write_consistency(consistency c) { u16(static_cast<std::uint16_t>(c)); }
  // [string list]. Like the maps below, fails with too_large above 65535 entries (the [short] count).
  void string_list(const std::vector<std::string>& l);
  void string_map(const wire_map<std::string>& m);  // [string map], in the map's order
  void string_multimap(const std::map<std::string, std::vector<std::string>>& m);  // [string multimap]
  void bytes_map(const wire_map<std::vector<std::byte>>& m);  // [bytes map], in the map's order

  // [unsigned vint] (v5 §3): 1-9 bytes, the leading one bits of the first byte count the extra bytes.
  void uvint(std::uint64_t v);
  void vint(std::int64_t v) {
    // Zig-zag encoding, as Cassandra's VIntCoding.
    uvint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }

  // Reserves an [int] to be patched later (a length prefix); returns its position.
  std::size_t reserve_i32() { const auto p = out_.size(); i32(0); return p; }
  // Overwrites the [int] at `pos` (from reserve_i32()); `pos` is not bounds-checked.
  void patch_i32(std::size_t pos, std::int32_t v);

 private:
  template <int N>
  void be(std::uint64_t v) {
    for (int s = 8 * (N - 1); s >= 0; s -= 8) out_.push_back(static_cast<std::byte>(v >> s));
  }

  std::vector<std::byte>& out_;
  std::error_code err_;
};

}  // namespace cqlpp::protocol
