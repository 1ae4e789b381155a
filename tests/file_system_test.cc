#include "focus/file_system.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "focus/error.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

class DiskTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("focus_fs_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(DiskTest, WritesAllFilesAndCreatesFolders) {
  FileSystem& disk = DiskFileSystem();
  disk.WriteFilesAtomically(
      {{Path("a.txt"), "alpha"}, {Path("sub/b.txt"), "beta"}});
  EXPECT_EQ(disk.ReadFile(Path("a.txt")), "alpha");
  EXPECT_EQ(disk.ReadFile(Path("sub/b.txt")), "beta");
  EXPECT_TRUE(disk.Exists(Path("a.txt")));
  EXPECT_FALSE(disk.Exists(Path("sub")));  // A folder is not a file.
  // No temporaries are left behind.
  int entries = 0;
  for (auto& e : fs::recursive_directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 3);  // a.txt, sub, sub/b.txt
}

TEST_F(DiskTest, FailedWriteLeavesEarlierFilesUntouched) {
  FileSystem& disk = DiskFileSystem();
  disk.WriteFileAtomically(Path("a.txt"), "old");
  // "blocker" is a file, so "blocker/c.txt" cannot be created.
  disk.WriteFileAtomically(Path("blocker"), "x");
  try {
    disk.WriteFilesAtomically(
        {{Path("a.txt"), "new"}, {Path("blocker/c.txt"), "never"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("blocker"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(disk.ReadFile(Path("a.txt")), "old");
  EXPECT_FALSE(fs::exists(Path("a.txt.tmp." + std::to_string(::getpid()))));
}

TEST_F(DiskTest, MissingFileIsAnIoErrorNamingThePath) {
  try {
    DiskFileSystem().ReadFile(Path("nope.yaml"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(e.what()), "cannot read " + Path("nope.yaml") +
                                         ": No such file or directory");
  }
}

TEST(MemoryFileSystemTest, ReadsWhatWasWritten) {
  MemoryFileSystem mem;
  EXPECT_FALSE(mem.Exists("x"));
  mem.WriteFileAtomically("x", "1");
  EXPECT_TRUE(mem.Exists("x"));
  EXPECT_EQ(mem.ReadFile("x"), "1");
  EXPECT_THROW(mem.ReadFile("y"), Error);
}

TEST(ErrorTest, KindsMapToExitStatuses) {
  EXPECT_EQ(Error(ErrorKind::kInvalidInput, "").exit_code(), 2);
  EXPECT_EQ(Error(ErrorKind::kUnsatisfiable, "").exit_code(), 3);
  EXPECT_EQ(Error(ErrorKind::kIo, "").exit_code(), 4);
  EXPECT_EQ(Error(ErrorKind::kInternal, "").exit_code(), 70);
}

}  // namespace
}  // namespace focus
