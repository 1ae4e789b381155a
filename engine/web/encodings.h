// What HTTP clients expect of a response beyond its body (internal): an
// ETag, 304 for a copy the client already has, and gzip for clients that
// accept it. A kept body (from the response cache) is hashed and compressed
// once for as long as the cache keeps it, not once per request.
#ifndef FOCUS_WEB_ENCODINGS_H_
#define FOCUS_WEB_ENCODINGS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http_server.h"

namespace focus::web {

// `text` gzip-compressed (zlib) at `level` (1 fastest to 9 smallest).
std::string Gzip(const std::string& text, int level);

class Encodings {
 public:
  // For a successful GET: sets ETag (and Vary), compresses the body if the
  // client accepts gzip and it is text worth compressing, and turns the
  // response into 304 if If-None-Match names it. Others are left alone.
  void Apply(const HttpRequest& req, HttpResponse& res);

 private:
  struct Forms {
    std::string etag;  // Of the body as it is, quoted.
    HttpResponse::Body gzipped;
  };
  // The kept body's forms, made once; nullptr-safe.
  Forms KeptForms(const HttpResponse::Body& body);

  struct Entry {
    std::weak_ptr<const std::string> body;
    Forms forms;
  };
  std::mutex mutex_;
  std::map<const std::string*, Entry> kept_;
};

}  // namespace focus::web

#endif  // FOCUS_WEB_ENCODINGS_H_
