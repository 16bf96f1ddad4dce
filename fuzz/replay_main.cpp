// Replays fuzz corpus files through a target without libFuzzer, so the seed
// corpus and every past crash run as ordinary tests (as dav1d does).
// Usage: <target>_replay FILE_OR_DIR...
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static int run_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<char> buf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  // A fresh heap copy so ASan catches reads past the end.
  std::vector<std::uint8_t> copy(buf.begin(), buf.end());
  return LLVMFuzzerTestOneInput(copy.data(), copy.size());
}

int main(int argc, char** argv) {
  std::size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file()) { run_file(e.path()); ++n; }
    } else if (fs::exists(p)) {
      run_file(p);
      ++n;
    }
  }
  std::printf("replayed %zu inputs\n", n);
  // One test case per replay run, in doctest's summary shape for scripts/test.
  std::printf("[doctest] test cases: 1 | 1 passed | 0 failed |\n");
  return 0;
}
