// Rendered responses kept between requests, and what tells the server they
// are out of date (internal to the server).
//
// A cached body is valid for one "state": the board's data version, today's
// date and the stamps of the files it was made from (the changes file, an
// edited template). The caller builds the state string before reading the
// board, so a body is never filed under a state older than the data it
// shows: a commit that lands in between makes the next request's state
// differ, and it renders again.
#ifndef FOCUS_WEB_RESPONSE_CACHE_H_
#define FOCUS_WEB_RESPONSE_CACHE_H_

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "focus/store.h"
#include "http_server.h"

namespace focus::web {

// Tells when the board database has changed, whoever changed it: this
// server's own per-request connections or the CLI in another process.
// Each watching connection (the store's ChangeWatcher) sees SQLite's
// PRAGMA data_version move after every commit by any other connection;
// whichever notices first moves the shared generation on, so every
// watcher's answer is comparable. The workers share one watcher (they may
// wait for it); the I/O threads, which never wait, each take a free one of
// their own. A watcher's first look also counts as a change: it cannot
// know what came before. A database file replaced under the server (a
// backup moved into place) is a new file: the watchers open it again.
class BoardChanges {
 public:
  BoardChanges(const std::string& db_path, int busy_timeout_ms,
               int quick_watchers)
      : path_(db_path),
        busy_timeout_ms_(busy_timeout_ms),
        quick_(static_cast<size_t>(std::max(1, quick_watchers))) {
    Reopen(shared_, FileId(path_));
  }

  // "file generation": differs after every commit to the database by
  // another connection, and when the file is replaced.
  std::string Version() {
    std::lock_guard<std::mutex> lock(shared_.mutex);
    const std::string id = FileId(path_);
    if (id != shared_.file_id) Reopen(shared_, id);
    return id + " " +
           std::to_string(Observe(shared_, shared_.watcher->Version()));
  }

  // The same, or nullopt where Version() would wait (no watcher free, or
  // another connection holding the database) or fail: for a thread that
  // must never wait.
  std::optional<std::string> TryVersion() {
    const std::string id = FileId(path_);
    for (Watcher& w : quick_) {
      std::unique_lock<std::mutex> lock(w.mutex, std::try_to_lock);
      if (!lock) continue;
      try {
        if (id != w.file_id) Reopen(w, id);
        const std::optional<int64_t> version = w.watcher->TryVersion();
        if (!version) return std::nullopt;
        return id + " " + std::to_string(Observe(w, *version));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // "device:inode" of the file at `path`, or "-".
  static std::string FileId(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "-";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  }

 private:
  struct Watcher {
    std::mutex mutex;  // Guards the rest.
    std::unique_ptr<ChangeWatcher> watcher;
    std::string file_id;
    std::optional<int64_t> last;  // Its data_version at its last look.
  };

  void Reopen(Watcher& w, const std::string& id) {
    w.watcher.reset();
    w.watcher = std::make_unique<ChangeWatcher>(path_, busy_timeout_ms_);
    w.file_id = id;
    w.last.reset();
  }

  // The generation after `w` saw `version`. REQUIRES: w.mutex held.
  uint64_t Observe(Watcher& w, int64_t version) {
    if (w.last != version) ++generation_;
    w.last = version;
    return generation_;
  }

  const std::string path_;
  const int busy_timeout_ms_;
  Watcher shared_;
  std::deque<Watcher> quick_;  // Mutexes do not move: a deque.
  std::atomic<uint64_t> generation_{0};
};

// "mtime size inode" of a file, or "-" if it is missing: changes when the
// file is edited or replaced.
inline std::string FileStamp(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_size) +
         " " + std::to_string(st.st_ino);
}

// Bodies by route and variant (e.g. a query's filters), each valid for one
// state. At most `per_route` bodies per route, most recently used first;
// storing a body drops the route's bodies of other states, which can never
// be asked for again once the board or the day has moved on.
class ResponseCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  explicit ResponseCache(size_t per_route = 4) : per_route_(per_route) {}

  // The body for (route, variant) in `state`: the cached one, or produce()'s
  // (then cached). One produce() at a time per route, so a burst of
  // requests after a change renders the page once, not once per request.
  // Nothing is cached if produce() throws.
  Body Get(const std::string& route, const std::string& variant,
           const std::string& state,
           const std::function<std::string()>& produce) {
    Route* r;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      r = &routes_[route];
      if (Body hit = FindLocked(*r, variant, state)) return hit;
    }
    std::lock_guard<std::mutex> rendering(r->render);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (Body hit = FindLocked(*r, variant, state)) return hit;
    }
    Body body = std::make_shared<const std::string>(produce());
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<Entry>& entries = r->entries;
    for (auto it = entries.begin(); it != entries.end();) {
      if (it->state != state || it->variant == variant) {
        it = entries.erase(it);
      } else {
        ++it;
      }
    }
    entries.push_front({variant, state, body});
    while (entries.size() > per_route_) entries.pop_back();
    return body;
  }

 private:
  struct Entry {
    std::string variant;
    std::string state;
    Body body;
  };
  struct Route {
    std::mutex render;          // Held while producing a body.
    std::deque<Entry> entries;  // Guarded by ResponseCache::mutex_.
  };

  Body FindLocked(Route& r, const std::string& variant,
                  const std::string& state) {
    for (auto it = r.entries.begin(); it != r.entries.end(); ++it) {
      if (it->variant == variant && it->state == state) {
        Body body = it->body;
        if (it != r.entries.begin()) {
          Entry e = std::move(*it);
          r.entries.erase(it);
          r.entries.push_front(std::move(e));
        }
        return body;
      }
    }
    return nullptr;
  }

  const size_t per_route_;
  std::mutex mutex_;
  std::map<std::string, Route> routes_;  // Nodes never move or go away.
};

// Responses kept ready to write (see HttpServer::Quick), by request, each
// valid for one state as ResponseCache's bodies are, and until a time (a
// signed-in one, until its session expires). Keeping one drops those of
// other states; at most `most` are kept, the oldest dropped.
class ReadyResponses {
 public:
  explicit ReadyResponses(size_t most = 64) : most_(most) {}

  Ready Find(const std::string& request, const std::string& state,
             std::time_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Entry& e : entries_) {
      if (e.request == request && e.state == state) {
        return now < e.until ? e.ready : nullptr;
      }
    }
    return nullptr;
  }

  void Keep(const std::string& request, const std::string& state, Ready ready,
            std::time_t until) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->state != state || it->request == request) {
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    entries_.push_front({request, state, std::move(ready), until});
    while (entries_.size() > most_) entries_.pop_back();
  }

 private:
  struct Entry {
    std::string request;
    std::string state;
    Ready ready;
    std::time_t until;
  };
  const size_t most_;
  std::mutex mutex_;
  std::deque<Entry> entries_;  // The newest first.
};

}  // namespace focus::web

#endif  // FOCUS_WEB_RESPONSE_CACHE_H_
