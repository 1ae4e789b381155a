#include "encodings.h"

#include <zlib.h>

#include <cstdio>
#include <functional>
#include <string_view>

#include "focus/error.h"

namespace focus::web {

namespace {

// Smaller bodies gain less from compression than its headers cost.
constexpr size_t kMinGzipBytes = 1024;
// Kept bodies are compressed once: worth the smallest result.
constexpr int kKeptLevel = 6;
// Bodies made per request: the fastest.
constexpr int kFreshLevel = 1;

std::string Quoted(size_t hash, const char* suffix = "") {
  char buf[32];
  std::snprintf(buf, sizeof buf, "\"%016zx%s\"", hash, suffix);
  return buf;
}

std::string EtagOf(const std::string& body) {
  return Quoted(std::hash<std::string_view>()(body));
}

// The gzip form's tag: another representation, so another tag.
std::string GzipTag(const std::string& etag) {
  return etag.substr(0, etag.size() - 1) + "-gz\"";
}

bool Compressible(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 ||
         content_type.rfind("application/json", 0) == 0;
}

// True if Accept-Encoding lists gzip without q=0.
bool AcceptsGzip(const std::string& accept) {
  size_t pos = 0;
  while (pos < accept.size()) {
    size_t end = accept.find(',', pos);
    if (end == std::string::npos) end = accept.size();
    std::string item = accept.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(' '));
    const size_t semi = item.find(';');
    std::string coding = item.substr(0, semi);
    coding.erase(coding.find_last_not_of(' ') + 1);
    if (coding == "gzip") {
      if (semi == std::string::npos) return true;
      std::string q = item.substr(semi + 1);
      q.erase(0, q.find_first_not_of(' '));
      return !(q.rfind("q=0", 0) == 0 &&
               q.find_first_not_of("q=0.", 0) == std::string::npos);
    }
    pos = end + 1;
  }
  return false;
}

// True if If-None-Match names one of the tags (or is "*").
bool Matches(const std::string& if_none_match, const std::string& etag,
             const std::string& gz_tag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  size_t pos = 0;
  while (pos < if_none_match.size()) {
    size_t end = if_none_match.find(',', pos);
    if (end == std::string::npos) end = if_none_match.size();
    std::string tag = if_none_match.substr(pos, end - pos);
    tag.erase(0, tag.find_first_not_of(' '));
    tag.erase(tag.find_last_not_of(' ') + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == etag || tag == gz_tag) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::string Gzip(const std::string& text, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer, not zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw Error(ErrorKind::kInternal, "zlib: cannot start compressing");
  }
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END) {
    throw Error(ErrorKind::kInternal, "zlib: cannot compress a response");
  }
  return out;
}

Encodings::Forms Encodings::KeptForms(const HttpResponse::Body& body) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = kept_.find(body.get());
    if (it != kept_.end() && it->second.body.lock() == body) {
      return it->second.forms;
    }
  }
  Forms forms{EtagOf(*body), nullptr};
  if (body->size() >= kMinGzipBytes) {
    forms.gzipped =
        std::make_shared<const std::string>(Gzip(*body, kKeptLevel));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // Bodies the cache has dropped are forgotten here too.
  for (auto it = kept_.begin(); it != kept_.end();) {
    it = it->second.body.expired() ? kept_.erase(it) : std::next(it);
  }
  kept_[body.get()] = {body, forms};
  return forms;
}

void Encodings::Apply(const HttpRequest& req, HttpResponse& res) {
  if (req.method != "GET" || res.status != 200 || !res.body) return;
  const std::string type = res.Header("Content-Type");
  const bool compressible = Compressible(type);
  Forms forms;
  if (res.kept) {
    forms = KeptForms(res.body);
  } else {
    forms.etag = EtagOf(*res.body);
  }
  const std::string gz_tag = GzipTag(forms.etag);
  if (compressible) res.SetHeader("Vary", "Accept-Encoding");
  const bool gzip = compressible && res.body->size() >= kMinGzipBytes &&
                    AcceptsGzip(req.Header("Accept-Encoding"));
  res.SetHeader("ETag", gzip ? gz_tag : forms.etag);
  if (Matches(req.Header("If-None-Match"), forms.etag, gz_tag)) {
    res.status = 304;
    res.body = nullptr;
    return;
  }
  if (!gzip) return;
  if (!forms.gzipped) {
    forms.gzipped =
        std::make_shared<const std::string>(Gzip(*res.body, kFreshLevel));
  }
  res.body = forms.gzipped;
  res.SetHeader("Content-Encoding", "gzip");
}

}  // namespace focus::web
