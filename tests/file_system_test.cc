#include "focus/file_system.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "focus/error.h"
#include "temp_dir.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

class DiskTest : public testing::Test {
 protected:
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  TempDir tmp_;
  const fs::path dir_ = tmp_.path();
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

// The inode of `path`: a file replaced by rename has a new one.
ino_t InodeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

TEST_F(DiskTest, FileWithTheSameBytesIsLeftAlone) {
  FileSystem& disk = DiskFileSystem();
  disk.WriteFilesAtomically({{Path("same.txt"), "same"}, {Path("b"), "1"}});
  const ino_t same = InodeOf(Path("same.txt"));
  const ino_t b = InodeOf(Path("b"));
  disk.WriteFilesAtomically({{Path("same.txt"), "same"}, {Path("b"), "2"}});
  EXPECT_EQ(InodeOf(Path("same.txt")), same);  // Not rewritten.
  EXPECT_NE(InodeOf(Path("b")), b);            // Same size, new bytes.
  EXPECT_EQ(disk.ReadFile(Path("b")), "2");
  // A prefix of the old content is new content too.
  disk.WriteFileAtomically(Path("same.txt"), "sam");
  EXPECT_EQ(disk.ReadFile(Path("same.txt")), "sam");
  disk.WriteFileAtomically(Path("same.txt"), "");
  EXPECT_EQ(disk.ReadFile(Path("same.txt")), "");
}

TEST_F(DiskTest, NamedPipeInTheWayIsReplacedWithoutWaiting) {
  fs::create_directories(dir_);
  ASSERT_EQ(::mkfifo(Path("pipe").c_str(), 0644), 0);
  DiskFileSystem().WriteFileAtomically(Path("pipe"), "now a file");
  EXPECT_TRUE(fs::is_regular_file(Path("pipe")));
  EXPECT_EQ(DiskFileSystem().ReadFile(Path("pipe")), "now a file");
}

TEST_F(DiskTest, ReadsLargeFilesWhole) {
  std::string big;
  for (int i = 0; big.size() < 300 * 1024; ++i) big += std::to_string(i);
  big.push_back('\0');  // Bytes, not a C string.
  big += "end";
  DiskFileSystem().WriteFileAtomically(Path("big"), big);
  EXPECT_EQ(DiskFileSystem().ReadFile(Path("big")), big);
  const ino_t before = InodeOf(Path("big"));
  DiskFileSystem().WriteFileAtomically(Path("big"), big);
  EXPECT_EQ(InodeOf(Path("big")), before);
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

}  // namespace
}  // namespace focus
