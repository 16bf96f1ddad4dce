#include "cqlpp/session/routing_key.hpp"

#include <algorithm>
#include <array>

#include "cqlpp/session/murmur3.hpp"

namespace cqlpp::routing {

std::optional<std::size_t> routing_key_size(std::span<const key_component> components) noexcept {
  if (components.empty()) return std::nullopt;  // no partition key, no token
  if (components.size() == 1) return components[0].size();
  std::size_t n = 0;
  for (const auto& c : components) {
    if (c.size() > max_key_component) return std::nullopt;
    n += 2 + c.size() + 1;  // length, bytes, end-of-component
  }
  return n;
}

std::optional<std::size_t> write_routing_key(std::span<const key_component> components,
                                             std::span<std::byte> out) noexcept {
  const auto n = routing_key_size(components);
  if (!n || out.size() < *n) return std::nullopt;
  if (components.size() == 1) {
    std::copy(components[0].begin(), components[0].end(), out.begin());
    return n;
  }
  std::byte* p = out.data();
  for (const auto& c : components) {
    *p++ = static_cast<std::byte>(c.size() >> 8);
    *p++ = static_cast<std::byte>(c.size() & 0xff);
    p = std::copy(c.begin(), c.end(), p);
    *p++ = std::byte{0};  // end-of-component: "equal" (CompositeType)
  }
  return n;
}

std::optional<std::vector<std::byte>> make_routing_key(std::span<const key_component> components) {
  const auto n = routing_key_size(components);
  if (!n) return std::nullopt;
  std::vector<std::byte> key(*n);
  const auto written = write_routing_key(components, key);
  if (!written) return std::nullopt;  // unreachable: the size was just computed
  return key;
}

std::optional<std::int64_t> token_of_key(std::span<const key_component> components) {
  if (components.size() == 1) return murmur3_token(components[0]);
  std::array<std::byte, 512> stack;
  const auto size = routing_key_size(components);
  if (!size) return std::nullopt;
  if (*size <= stack.size()) {
    const auto n = write_routing_key(components, stack);
    if (!n) return std::nullopt;
    return murmur3_token(std::span<const std::byte>(stack.data(), *n));
  }
  auto key = make_routing_key(components);
  if (!key) return std::nullopt;
  return murmur3_token(*key);
}

}  // namespace cqlpp::routing
