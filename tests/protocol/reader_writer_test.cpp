#include <doctest/doctest.h>

#include <limits>

#include "cqlpp/protocol/reader.hpp"
#include "cqlpp/protocol/writer.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;

TEST_CASE("writer/reader: notations round-trip with the spec's byte layout") {
  std::vector<std::byte> buf;
  writer w(buf);
  w.string("ks");
  w.long_string("abc");
  w.bytes(from_hex("0102"));
  w.null_bytes();
  w.value(value_view::unset_value());
  w.string_list({"a", "bc"});
  w.string_map({{"CQL_VERSION", "3.0.0"}});
  w.write_consistency(consistency::local_quorum);
  inet_address a;
  a.bytes[0] = 127; a.bytes[3] = 1; a.size = 4;
  w.inet({a, 9042});
  REQUIRE(w.ok());
  CHECK(to_hex(buf) ==
        "00026b73" "00000003616263" "000000020102" "ffffffff" "fffffffe"
        "0002" "000161" "00026263"
        "0001" "000b43514c5f56455253494f4e" "0005332e302e30"
        "0006" "047f000001" "00002352");

  reader r(buf);
  CHECK(r.string("s") == "ks");
  CHECK(r.long_string("ls") == "abc");
  auto b = r.bytes("b");
  CHECK(b.st == value_view::state::set);
  CHECK(to_hex(b.bytes) == "0102");
  CHECK(r.bytes("n").is_null());
  CHECK(r.value("u").is_unset());
  CHECK(r.string_list("l") == std::vector<std::string>{"a", "bc"});
  CHECK(r.string_map("m").at("CQL_VERSION") == "3.0.0");
  CHECK(r.read_consistency("c") == consistency::local_quorum);
  auto e = r.inet("i");
  CHECK(e.address.to_string() == "127.0.0.1");
  CHECK(e.port == 9042);
  r.expect_end("end");
  CHECK(r.ok());
}

TEST_CASE("reader: errors are sticky and carry offset and field") {
  auto buf = from_hex("0005 6162");  // [string] claims 5 bytes, has 2
  reader r(buf, 9);
  auto s = r.string("keyspace");
  CHECK(s.empty());
  CHECK_FALSE(r.ok());
  CHECK(r.error().code == errc::truncated);
  CHECK(r.error().offset == 11);
  CHECK(std::string(r.error().field) == "keyspace");
  CHECK(r.u8("later") == 0);  // sticky
  CHECK(std::string(r.error().field) == "keyspace");
}

TEST_CASE("reader: a huge count is refused before anything is reserved") {
  auto buf = from_hex("ffff 0000");  // string list of 65535 with 2 bytes behind
  reader r(buf);
  auto l = r.string_list("list");
  CHECK(l.empty());
  CHECK(r.error().code == errc::truncated);
  auto neg = from_hex("ffffff00");
  reader r2(neg);
  (void)r2.long_string("ls");
  CHECK(r2.error().code == errc::invalid_length);
}

TEST_CASE("vint: Cassandra's VIntCoding sizes and values") {
  struct c { std::uint64_t v; const char* hex; };
  const c cases[] = {
      {0, "00"}, {1, "01"}, {127, "7f"}, {128, "8080"}, {16383, "bfff"}, {16384, "c04000"},
      {std::numeric_limits<std::uint64_t>::max(), "ffffffffffffffffff"},
      {0x00FFFFFFFFFFFFFFull, "feffffffffffffff"},
  };
  for (const auto& x : cases) {
    std::vector<std::byte> buf;
    writer w(buf);
    w.uvint(x.v);
    CHECK(to_hex(buf) == x.hex);
    reader r(buf);
    CHECK(r.uvint("v") == x.v);
    CHECK(r.at_end());
  }
  for (std::int64_t v : {0LL, -1LL, 1LL, -64LL, 64LL, std::numeric_limits<long long>::min(),
                         std::numeric_limits<long long>::max()}) {
    std::vector<std::byte> buf;
    writer w(buf);
    w.vint(v);
    reader r(buf);
    CHECK(r.vint("v") == v);
  }
  std::vector<std::byte> one;
  writer w(one);
  w.vint(-1);
  CHECK(to_hex(one) == "01");  // zig-zag
}

TEST_CASE("writer: a [string] longer than 65535 bytes is refused") {
  std::vector<std::byte> buf;
  writer w(buf);
  w.string(std::string(70000, 'x'));
  CHECK_FALSE(w.ok());
  CHECK(w.error() == errc::too_large);
}
