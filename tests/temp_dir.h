// A temporary folder for one test, removed with everything in it.
#ifndef FOCUS_TESTS_TEMP_DIR_H_
#define FOCUS_TESTS_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace focus {

class TempDir {
 public:
  // A new folder under `base`, or under the system's temporary folder.
  explicit TempDir(const std::string& base = "") {
    namespace fs = std::filesystem;
    const fs::path parent =
        base.empty() ? fs::temp_directory_path() : fs::path(base);
    std::string pattern = (parent / "focus-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "cannot make a folder under " << parent;
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace focus

#endif  // FOCUS_TESTS_TEMP_DIR_H_
