// Storage behind a small interface so tests can run without touching disk
// (the idea of ninja's VirtualFileSystem / leveldb's memenv).
#ifndef FOCUS_FILE_SYSTEM_H_
#define FOCUS_FILE_SYSTEM_H_

#include <map>
#include <string>
#include <vector>

namespace focus {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Returns true iff a regular file exists at `path`.
  virtual bool Exists(const std::string& path) const = 0;

  // Returns the whole file. Throws Error(kIo) naming the path on failure.
  virtual std::string ReadFile(const std::string& path) const = 0;

  // Writes a set of files so that either all of them are replaced or none:
  // every file is first written and flushed to a temporary sibling, and only
  // when all temporaries exist are they renamed into place. Missing parent
  // folders are created. A file that already holds exactly its new content
  // may be left untouched (same bytes, and its modification time stays).
  // Throws Error(kIo) on failure, after removing the temporaries it made.
  virtual void WriteFilesAtomically(
      const std::map<std::string, std::string>& files) = 0;

  void WriteFileAtomically(const std::string& path,
                           const std::string& content) {
    WriteFilesAtomically({{path, content}});
  }
};

// The real disk. Durable: data and directory entries are fsync'ed.
FileSystem& DiskFileSystem();

// An in-memory file system for tests.
class MemoryFileSystem : public FileSystem {
 public:
  bool Exists(const std::string& path) const override;
  std::string ReadFile(const std::string& path) const override;
  void WriteFilesAtomically(
      const std::map<std::string, std::string>& files) override;

  std::map<std::string, std::string> files;
};

}  // namespace focus

#endif  // FOCUS_FILE_SYSTEM_H_
