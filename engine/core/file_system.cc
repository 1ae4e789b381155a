#include "focus/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "focus/error.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

std::string Errno() { return std::strerror(errno); }

// Writes `content` to a new file `path`; returns its open descriptor, so the
// caller can flush it to the disk later.
int WriteNew(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) ThrowIo("cannot write " + path + ": " + Errno());
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = Errno();
      ::close(fd);
      ThrowIo("cannot write " + path + ": " + why);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return fd;
}

// Makes a rename inside `dir` durable.
void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // Best effort: some file systems refuse this.
  ::fsync(fd);
  ::close(fd);
}

// Returns the rest of the open file `fd` (named `path` in errors).
std::string ReadAll(int fd, const std::string& path) {
  std::string text;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    text.reserve(static_cast<size_t>(st.st_size));
  }
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowIo("cannot read " + path + ": " + Errno());
    }
    text.append(buffer, static_cast<size_t>(n));
  }
}

// Returns an open descriptor on `path` iff it is a regular file holding
// exactly `content`, else -1.
int OpenIfSame(const std::string& path, const std::string& content) {
  // Non-blocking so that a named pipe in the way does not hang the write.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
  struct stat st;
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<uint64_t>(st.st_size) == content.size();
  if (same) {
    try {
      same = ReadAll(fd, path) == content;
    } catch (const Error&) {
      same = false;  // Unreadable: write it again, which reports the failure.
    }
  }
  if (same) return fd;
  ::close(fd);
  return -1;
}

class Disk : public FileSystem {
 public:
  bool Exists(const std::string& path) const override {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
  }

  std::string ReadFile(const std::string& path) const override {
    // Plain read(2) into a string reserved to the file's size: the stream
    // copy this replaced cost about a twentieth of a large Trello import.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ThrowIo("cannot read " + path + ": " + Errno());
    std::string text;
    try {
      text = ReadAll(fd, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return text;
  }

  void WriteFilesAtomically(
      const std::map<std::string, std::string>& files) override {
    // Every file is written before any is flushed, and flushed before any
    // is renamed: the first fsync then commits most of the others' data
    // with it (one journal commit instead of one per file), and a crash
    // before the renames leaves only temporary files behind. A file that
    // already holds exactly its new bytes is left alone (outputs are
    // deterministic, so re-running a command usually changes nothing): no
    // write, and its modification time stays, so calendar clients and
    // sync tools see no change. It is still flushed, as are the folders,
    // in case the run that wrote it died before it was durable.
    std::vector<std::pair<std::string, std::string>> staged;  // temp, final
    std::vector<int> open_files;  // Staged ones first, then unchanged ones.
    std::vector<std::string> unchanged;
    try {
      for (const auto& [path, content] : files) {
        if (const int same = OpenIfSame(path, content); same >= 0) {
          unchanged.push_back(path);
          open_files.push_back(same);
          continue;
        }
        fs::path target(path);
        std::error_code ec;
        if (target.has_parent_path()) {
          fs::create_directories(target.parent_path(), ec);
          if (ec) {
            ThrowIo("cannot create folder " + target.parent_path().string() +
                    ": " + ec.message());
          }
        }
        std::string temp = path + ".tmp." + std::to_string(::getpid());
        staged.emplace_back(temp, path);
        open_files.push_back(WriteNew(temp, content));
      }
      for (size_t i = 0; i < open_files.size(); ++i) {
        if (::fsync(open_files[i]) != 0) {
          ThrowIo("cannot flush " +
                  (i < staged.size() ? staged[i].first
                                     : unchanged[i - staged.size()]) +
                  ": " + Errno());
        }
      }
    } catch (...) {
      for (int fd : open_files) ::close(fd);
      for (const auto& [temp, path] : staged) ::unlink(temp.c_str());
      throw;
    }
    for (int fd : open_files) ::close(fd);
    std::set<fs::path> folders;  // Each synced once, after every rename.
    for (const auto& [temp, path] : staged) {
      if (::rename(temp.c_str(), path.c_str()) != 0) {
        std::string why = Errno();
        for (const auto& [t, p] : staged) ::unlink(t.c_str());
        ThrowIo("cannot replace " + path + ": " + why);
      }
      folders.insert(fs::path(path).parent_path());
    }
    for (const std::string& path : unchanged) {
      folders.insert(fs::path(path).parent_path());
    }
    for (const fs::path& folder : folders) SyncDirectory(folder);
  }
};

}  // namespace

FileSystem& DiskFileSystem() {
  static Disk* disk = new Disk;
  return *disk;
}

bool MemoryFileSystem::Exists(const std::string& path) const {
  return files.count(path) > 0;
}

std::string MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) ThrowIo("cannot read " + path + ": no such file");
  return it->second;
}

void MemoryFileSystem::WriteFilesAtomically(
    const std::map<std::string, std::string>& new_files) {
  for (const auto& [path, content] : new_files) files[path] = content;
}

}  // namespace focus
