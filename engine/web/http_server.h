// The HTTP layer of `focus serve` (internal): Boost.Beast over Boost.Asio.
//
// A fixed number of I/O threads run one io_context; each connection is a
// strand on it, so its reads and writes never race. Beast parses the
// requests (with limits on the header and the body); a parsed request is
// handed to a small pool of worker threads, which may block on the
// database, and the response is written back on the connection's strand.
// The I/O threads never wait for SQLite. A response body is shared, never
// copied: a cached page is written straight from the cache's string, and a
// response kept ready (see Quick) is written by the I/O thread itself, its
// header serialized once for every client it goes to.
#ifndef FOCUS_WEB_HTTP_SERVER_H_
#define FOCUS_WEB_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "focus/server.h"

namespace focus::web {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...; HEAD is served as GET.
  std::string path;    // Percent-decoded, without the query.
  std::vector<std::pair<std::string, std::string>> headers;
  // The query's parameters, then those of a form body
  // (application/x-www-form-urlencoded), decoded, in order.
  std::vector<std::pair<std::string, std::string>> params;
  std::string body;
  std::string remote_addr;  // The client (see ServerOptions::trusted_proxies).
  std::string peer_addr;    // The TCP peer: the client or a proxy.
  // Parts of the path a route's pattern captured (see routes.cc).
  std::vector<std::string> matches;

  // The header's value ("" if absent; names are case-insensitive).
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const;
  // The n-th value of a parameter ("" if absent).
  std::string Param(const std::string& key, size_t n = 0) const;
  size_t ParamCount(const std::string& key) const;
  bool HasParam(const std::string& key) const { return ParamCount(key) > 0; }
};

struct HttpResponse {
  using Body = std::shared_ptr<const std::string>;

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  Body body;          // nullptr = no body.
  bool kept = false;  // The body is the response cache's (SetKept).

  // Sets a header, replacing one of the same name.
  void SetHeader(const std::string& name, const std::string& value);
  void AddHeader(const std::string& name, const std::string& value);
  std::string Header(const std::string& name) const;
  void SetContent(std::string text, const std::string& content_type);
  // A body kept elsewhere (the response cache): written without a copy.
  void SetKept(Body kept_body, const std::string& content_type);
  void SetRedirect(const std::string& location, int code = 303);
};

// A response kept ready to be written as it is, to any number of clients:
// its status line and fields serialized once (for a kept-alive HTTP/1.1
// connection), its body shared.
// A body also kept in an in-memory file (memfd), for sendfile(): the
// kernel sends its pages without copying them for every response.
class BodyFile {
 public:
  // fd() is -1 if the file could not be made.
  explicit BodyFile(const std::string& text);
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

struct ReadyResponse {
  std::string head;         // Up to and including the blank line.
  HttpResponse::Body body;  // nullptr = no body.
  // The body in a file, if it is large; nullptr = written from memory.
  std::shared_ptr<const BodyFile> file;
};
using Ready = std::shared_ptr<const ReadyResponse>;

// `res` made ready: the same bytes Write() would send on a kept-alive
// connection.
Ready MakeReady(const HttpResponse& res);

// Decodes %XX (and '+' as a space if `plus_is_space`).
std::string PercentDecode(const std::string& s, bool plus_is_space);
// Encodes a query parameter's value.
std::string PercentEncode(const std::string& s);

class HttpServer {
 public:
  // The response to a request (runs on a worker thread).
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // The response to a request the HTTP layer refuses itself (413, 431, ...):
  // `request` has what was read of it (maybe only the peer's address).
  using Refusal = std::function<HttpResponse(
      const HttpRequest& request, int status, const std::string& message)>;
  // The response to a request that can be answered at once, without
  // waiting for anything (a response kept ready): runs on an I/O thread,
  // before the request would go to a worker; nullptr (or a throw) sends it
  // on to one.
  using Quick = std::function<Ready(const HttpRequest&)>;

  HttpServer(const ServerOptions& options, Handler handler, Refusal refusal,
             Quick quick = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; throws Error(kIo). Returns the port.
  int Bind();
  // Runs the I/O threads (this one among them) until Stop().
  void Run();
  void Stop();
  void WaitUntilReady() const;

  struct Impl;  // In http_server.cc only.

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace focus::web

#endif  // FOCUS_WEB_HTTP_SERVER_H_
