#include "http_server.h"

#include <strings.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "focus/error.h"

namespace focus::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

// The wait before retrying a failed accept, doubled each time up to the
// longest.
constexpr milliseconds kFirstAcceptRetry(5);
constexpr milliseconds kLongestAcceptRetry(1000);

namespace {

bool NameIs(const std::string& a, const std::string& b) {
  return a.size() == b.size() && ::strcasecmp(a.c_str(), b.c_str()) == 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "a=1&b=two" into (key, value) pairs, decoded.
void ParseQuery(const std::string& q,
                std::vector<std::pair<std::string, std::string>>* out) {
  size_t pos = 0;
  while (pos < q.size()) {
    size_t end = q.find('&', pos);
    if (end == std::string::npos) end = q.size();
    const std::string part = q.substr(pos, end - pos);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      out->emplace_back(PercentDecode(part.substr(0, eq), true),
                        eq == std::string::npos
                            ? std::string()
                            : PercentDecode(part.substr(eq + 1), true));
    }
    pos = end + 1;
  }
}

}  // namespace

std::string PercentDecode(const std::string& s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 &&
        HexDigit(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string PercentEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string HttpRequest::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (NameIs(k, name)) return v;
  }
  return "";
}

bool HttpRequest::HasHeader(const std::string& name) const {
  for (const auto& h : headers) {
    if (NameIs(h.first, name)) return true;
  }
  return false;
}

std::string HttpRequest::Param(const std::string& key, size_t n) const {
  for (const auto& [k, v] : params) {
    if (k == key && n-- == 0) return v;
  }
  return "";
}

size_t HttpRequest::ParamCount(const std::string& key) const {
  return std::count_if(params.begin(), params.end(),
                       [&](const auto& p) { return p.first == key; });
}

void HttpResponse::SetHeader(const std::string& name,
                             const std::string& value) {
  for (auto& h : headers) {
    if (NameIs(h.first, name)) {
      h.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void HttpResponse::AddHeader(const std::string& name,
                             const std::string& value) {
  headers.emplace_back(name, value);
}

std::string HttpResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (NameIs(k, name)) return v;
  }
  return "";
}

void HttpResponse::SetContent(std::string text,
                              const std::string& content_type) {
  body = std::make_shared<const std::string>(std::move(text));
  kept = false;
  SetHeader("Content-Type", content_type);
}

void HttpResponse::SetKept(Body kept_body, const std::string& content_type) {
  body = std::move(kept_body);
  kept = true;
  SetHeader("Content-Type", content_type);
}

void HttpResponse::SetRedirect(const std::string& location, int code) {
  status = code;
  SetHeader("Location", location);
}

// --- The server. ------------------------------------------------------

namespace {

// The status line and fields of `res`, with `body_size` as its length
// unless it has no body.
template <typename Body>
void SetHeader(const HttpResponse& res, size_t body_size, bool close,
               http::response<Body>* out) {
  out->result(static_cast<unsigned>(res.status));
  out->version(11);
  for (const auto& [k, v] : res.headers) out->insert(k, v);
  const bool bodiless =
      res.status == 304 || res.status == 204 || res.status < 200;
  if (!bodiless) out->content_length(body_size);
  out->keep_alive(!close);
}

// Ready bodies this large are also kept in a file for sendfile().
constexpr size_t kFileBodyBytes = 16 * 1024;

// The status line and fields of `res` as sent.
std::string SerializedHead(const HttpResponse& res, bool close) {
  http::response<http::empty_body> header;
  SetHeader(res, res.body ? res.body->size() : 0, close, &header);
  http::response_serializer<http::empty_body> serializer(header);
  serializer.split(true);
  std::string head;
  beast::error_code ec;
  while (!ec && !serializer.is_header_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (const auto b : beast::buffers_range_ref(buffers)) {
        head.append(static_cast<const char*>(b.data()), b.size());
      }
      serializer.consume(beast::buffer_bytes(buffers));
    });
  }
  if (ec) {
    throw Error(ErrorKind::kInternal,
                "cannot serialize a response: " + ec.message());
  }
  return head;
}

// A file for `body` if it is large enough to gain from one, else nullptr.
std::shared_ptr<const BodyFile> FileFor(const std::string& body) {
  if (body.size() < kFileBodyBytes) return nullptr;
  auto file = std::make_shared<const BodyFile>(body);
  return file->fd() >= 0 ? file : nullptr;
}

}  // namespace

Ready MakeReady(const HttpResponse& res) {
  auto ready = std::make_shared<ReadyResponse>();
  ready->head = SerializedHead(res, false);
  ready->body = res.body;
  if (ready->body) ready->file = FileFor(*ready->body);
  return ready;
}

BodyFile::BodyFile(const std::string& text) {
  fd_ = ::memfd_create("focus-response-body", MFD_CLOEXEC);
  size_t done = 0;
  while (fd_ >= 0 && done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd_);
      fd_ = -1;
    }
    done += static_cast<size_t>(std::max<ssize_t>(n, 0));
  }
}

BodyFile::~BodyFile() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// The files of kept bodies (HttpResponse::kept), each made once and kept
// for as long as its body is.
class BodyFiles {
 public:
  std::shared_ptr<const BodyFile> For(const HttpResponse::Body& body) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(body.get());
    if (it != files_.end() && it->second.first.lock() == body) {
      return it->second.second;
    }
    for (auto e = files_.begin(); e != files_.end();) {
      e = e->second.first.expired() ? files_.erase(e) : std::next(e);
    }
    auto file = FileFor(*body);
    files_[body.get()] = {body, file};
    return file;
  }

 private:
  std::mutex mutex_;
  std::map<const std::string*, std::pair<std::weak_ptr<const std::string>,
                                         std::shared_ptr<const BodyFile>>>
      files_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerOptions& o, Handler h, Refusal r, Quick q)
      : options(o),
        handler(std::move(h)),
        refusal(std::move(r)),
        quick(std::move(q)),
        io_owner(std::make_unique<net::io_context>(IoThreads())),
        io(*io_owner),
        acceptor(std::make_unique<tcp::acceptor>(net::make_strand(io))),
        accept_timer(
            std::make_unique<net::steady_timer>(acceptor->get_executor())),
        workers(static_cast<size_t>(Workers())) {}

  // Handlers still queued hold connections, which count themselves out
  // here when destroyed: the io_context goes first, while this is whole.
  ~Impl() {
    acceptor.reset();
    accept_timer.reset();
    workers.join();
    io_owner.reset();
  }

  int IoThreads() const {
    if (options.threads > 0) return options.threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  int Workers() const {
    return options.workers > 0 ? options.workers : DefaultServerWorkers();
  }

  // Counts an accepted connection; false if a cap is reached.
  bool Admit(const std::string& addr) {
    std::lock_guard<std::mutex> lock(count_mutex);
    int& mine = per_address[addr];
    if (total >= options.max_connections ||
        mine >= options.max_connections_per_address) {
      if (mine == 0) per_address.erase(addr);
      return false;
    }
    ++mine;
    ++total;
    return true;
  }
  void Release(const std::string& addr) {
    std::lock_guard<std::mutex> lock(count_mutex);
    --total;
    auto it = per_address.find(addr);
    if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
  }

  void Accept();
  void AcceptFailed(beast::error_code ec);

  const ServerOptions options;
  const Handler handler;
  const Refusal refusal;
  const Quick quick;
  BodyFiles body_files;
  std::unique_ptr<net::io_context> io_owner;
  net::io_context& io;
  std::unique_ptr<tcp::acceptor> acceptor;
  // Runs on the acceptor's strand, as do the two fields after it.
  std::unique_ptr<net::steady_timer> accept_timer;
  int accept_failures = 0;  // In a row, since the last accepted connection.
  net::thread_pool workers;

  std::mutex count_mutex;
  int total = 0;
  std::map<std::string, int> per_address;

  mutable std::mutex ready_mutex;
  mutable std::condition_variable ready_cv;
  bool ready = false;
  std::atomic<bool> stopped{false};
};

namespace {

// One client connection: reads requests one at a time (a pipelined one
// waits in the buffer), so responses go out in the order asked.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Impl = HttpServer::Impl;

  Connection(tcp::socket&& socket, Impl* server, std::string addr,
             bool admitted)
      : stream_(std::move(socket)),
        server_(server),
        addr_(std::move(addr)),
        admitted_(admitted) {}

  ~Connection() {
    if (admitted_) server_->Release(addr_);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->admitted_) {
        HttpRequest r = self->BareRequest();
        HttpResponse res = self->server_->refusal(
            r, 503, "the server is serving as many connections as it can");
        res.SetHeader("Retry-After",
                      std::to_string(self->Opts().retry_after_seconds));
        self->Write(std::move(res), false, true);
        return;
      }
      self->ReadHeader();
    });
  }

 private:
  const ServerOptions& Opts() const { return server_->options; }

  HttpRequest BareRequest() const {
    HttpRequest r;
    r.peer_addr = r.remote_addr = addr_;
    return r;
  }

  // Between requests: wait for the next one's first bytes, at most the
  // idle time; then the whole header must come within the header time.
  void WaitForNext() {
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(milliseconds(Opts().idle_timeout_ms));
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](beast::error_code ec, size_t n) {
          if (ec) return self->Close();
          self->buffer_.commit(n);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(Opts().max_header_bytes));
    parser_->body_limit(Opts().max_body_bytes);
    stream_.expires_after(milliseconds(Opts().header_timeout_ms));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  // A failed read: a parse error gets its status; a closed or timed-out
  // socket is closed without one.
  void OnReadError(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      Refuse(431, "the request header is larger than " +
                      std::to_string(Opts().max_header_bytes) + " bytes");
    } else if (ec == http::error::body_limit) {
      Refuse(413, "the request body is larger than " +
                      std::to_string(Opts().max_body_bytes) + " bytes");
    } else if (ec.category() ==
                   http::make_error_code(http::error::end_of_stream)
                       .category() &&
               ec != http::error::end_of_stream &&
               ec != http::error::partial_message) {
      Refuse(400, "malformed request: " + ec.message());
    } else {
      Close();
    }
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    const auto encoding = req[http::field::content_encoding];
    if (!encoding.empty() && !beast::iequals(encoding, "identity")) {
      Refuse(415, "request bodies must not be compressed (Content-Encoding: " +
                      std::string(encoding) + ")");
      return;
    }
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      stream_.expires_after(milliseconds(Opts().write_timeout_ms));
      http::async_write(
          stream_, *continue_,
          [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(milliseconds(Opts().body_timeout_ms));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  HttpRequest Convert(http::request<http::string_body>&& req) const {
    HttpRequest r = BareRequest();
    r.method = std::string(req.method_string());
    if (r.method == "HEAD") r.method = "GET";
    const std::string target(req.target());
    const size_t q = target.find('?');
    r.path = PercentDecode(target.substr(0, q), false);
    if (q != std::string::npos) ParseQuery(target.substr(q + 1), &r.params);
    for (const auto& f : req) {
      r.headers.emplace_back(std::string(f.name_string()),
                             std::string(f.value()));
    }
    r.body = std::move(req.body());
    const std::string type(req[http::field::content_type]);
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      ParseQuery(r.body, &r.params);
    }
    return r;
  }

  Ready Quick(const HttpRequest& request) const {
    if (!server_->quick) return nullptr;
    try {
      return server_->quick(request);
    } catch (const std::exception&) {
      return nullptr;  // The worker will meet the problem and answer it.
    }
  }

  // The request goes to a worker; its response comes back to this strand.
  void Dispatch() {
    const bool head = parser_->get().method() == http::verb::head;
    const bool keep_alive = parser_->get().keep_alive();
    const bool http11 = parser_->get().version() == 11;
    auto request = std::make_shared<HttpRequest>(Convert(parser_->release()));
    parser_.reset();
    if (keep_alive && http11) {
      if (Ready ready = Quick(*request))
        return WriteReady(std::move(ready), head);
    }
    stream_.expires_never();
    net::post(server_->workers, [self = shared_from_this(), request, head,
                                 keep_alive] {
      HttpResponse res;
      try {
        res = self->server_->handler(*request);
      } catch (const std::exception& e) {
        std::cerr << "focus serve: internal error: " << e.what() << "\n";
        res = self->server_->refusal(*request, 500,
                                     "internal error; see the server log");
      }
      net::post(self->stream_.get_executor(),
                [self, res = std::move(res), head, keep_alive]() mutable {
                  self->Write(std::move(res), head, !keep_alive);
                });
    });
  }

  void Refuse(int status, const std::string& message) {
    HttpRequest r = BareRequest();
    if (parser_) {
      const auto& req = parser_->get();
      r.method = std::string(req.method_string());
      const std::string target(req.target());
      r.path = PercentDecode(target.substr(0, target.find('?')), false);
    }
    parser_.reset();
    Write(server_->refusal(r, status, message), false, true);
  }

  void Write(HttpResponse res, bool head, bool close) {
    // A large kept body goes from its file, as a ready response does.
    if (!head && !close && res.kept && res.body) {
      auto ready = std::make_shared<ReadyResponse>();
      ready->file = server_->body_files.For(res.body);
      if (ready->file) {
        ready->head = SerializedHead(res, false);
        ready->body = std::move(res.body);
        return WriteReady(std::move(ready), false);
      }
    }
    body_ = res.body;
    response_.emplace();
    const size_t size = body_ ? body_->size() : 0;
    SetHeader(res, size, close, &*response_);
    if (!head && body_) response_->body() = {body_->data(), size};
    close_ = close;
    stream_.expires_after(milliseconds(Opts().write_timeout_ms));
    http::async_write(
        stream_, *response_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->response_.reset();
          self->body_.reset();
          if (ec) return self->Close();
          if (self->close_) return self->Linger();
          self->WaitForNext();
        });
  }

  // A ready response on a connection kept alive: its bytes as they are.
  void WriteReady(Ready ready, bool head) {
    ready_ = std::move(ready);
    if (!head && ready_->file) {
      beast::error_code ec;
      stream_.socket().native_non_blocking(true, ec);
      if (!ec) {
        sent_ = 0;
        send_deadline_ = std::chrono::steady_clock::now() +
                         milliseconds(Opts().write_timeout_ms);
        return SendReady();
      }
    }
    std::array<net::const_buffer, 2> buffers = {net::buffer(ready_->head),
                                                net::const_buffer()};
    if (!head && ready_->body) buffers[1] = net::buffer(*ready_->body);
    stream_.expires_after(milliseconds(Opts().write_timeout_ms));
    net::async_write(stream_, buffers,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->ready_.reset();
                       if (ec) return self->Close();
                       self->WaitForNext();
                     });
  }

  // The head, then the body from the ready response's file (sendfile), by
  // non-blocking calls; when the socket is full, waits until it takes more,
  // within the write time.
  void SendReady() {
    const int socket = stream_.socket().native_handle();
    const size_t head = ready_->head.size();
    const size_t total = head + ready_->body->size();
    while (sent_ < total) {
      ssize_t n;
      if (sent_ < head) {
        n = ::send(socket, ready_->head.data() + sent_, head - sent_,
                   MSG_NOSIGNAL | MSG_MORE);
      } else {
        off_t offset = static_cast<off_t>(sent_ - head);
        n = ::sendfile(socket, ready_->file->fd(), &offset, total - sent_);
      }
      if (n > 0) {
        sent_ += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return WaitToSend();
      } else {
        return Close();
      }
    }
    ready_.reset();
    WaitForNext();
  }
  void WaitToSend() {
    if (!send_timer_) send_timer_.emplace(stream_.get_executor());
    send_timer_->expires_at(send_deadline_);
    send_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Close();  // The write time is up.
    });
    stream_.socket().async_wait(
        tcp::socket::wait_write,
        [self = shared_from_this()](beast::error_code ec) {
          self->send_timer_->cancel();
          if (ec || !self->ready_) return self->Close();
          self->SendReady();
        });
  }

  // After a refusal the client may still be sending the body we did not
  // read: closing now would reset the connection and could destroy the
  // response before the client reads it. Read and drop what comes, for a
  // short while, then close.
  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(milliseconds(Opts().linger_ms));
    Drain();
  }
  void Drain() {
    stream_.async_read_some(
        net::buffer(drain_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          self->Drain();
        });
  }

  void Close() {
    if (send_timer_) send_timer_->cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Impl* server_;
  const std::string addr_;
  const bool admitted_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::span_body<const char>>> response_;
  HttpResponse::Body body_;  // Kept alive while response_ is written.
  Ready ready_;              // The same for WriteReady.
  size_t sent_ = 0;          // Bytes of ready_ sent by SendReady.
  std::chrono::steady_clock::time_point send_deadline_;
  std::optional<net::steady_timer> send_timer_;  // For SendReady's waits.
  bool close_ = false;
  char drain_[4096];
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor->async_accept(
      net::make_strand(io),
      [self = this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || self->stopped) return;
        if (ec) return self->AcceptFailed(ec);
        if (self->accept_failures > 0) {
          std::cerr << "focus serve: accepting connections again, after "
                    << self->accept_failures << " failed attempts\n";
          self->accept_failures = 0;
        }
        beast::error_code e;
        socket.set_option(tcp::no_delay(true), e);
        const auto peer = socket.remote_endpoint(e);
        if (!e) {
          const std::string addr = peer.address().to_string();
          const bool admitted = self->Admit(addr);
          std::make_shared<Connection>(std::move(socket), self, addr, admitted)
              ->Start();
        }
        self->Accept();
      });
}

// A failed accept (out of file descriptors, most often) fails again at
// once while the connection waits: trying again straight away would spin a
// core. Each retry waits twice as long as the last, up to a second; the
// first failure of an episode is logged, and its end.
void HttpServer::Impl::AcceptFailed(beast::error_code ec) {
  if (accept_failures++ == 0) {
    std::cerr << "focus serve: cannot accept a connection (" << ec.message()
              << "); trying again, less often, until it can\n";
  }
  const int shift = std::min(accept_failures - 1, 8);
  const milliseconds wait =
      std::min(kFirstAcceptRetry * (1 << shift), kLongestAcceptRetry);
  accept_timer->expires_after(wait);
  accept_timer->async_wait([self = this](beast::error_code timer_ec) {
    if (timer_ec || self->stopped) return;
    self->Accept();
  });
}

HttpServer::HttpServer(const ServerOptions& options, Handler handler,
                       Refusal refusal, Quick quick)
    : impl_(std::make_unique<Impl>(options, std::move(handler),
                                   std::move(refusal), std::move(quick))) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::Bind() {
  Impl& i = *impl_;
  const std::string where =
      i.options.bind + ":" + std::to_string(i.options.port);
  beast::error_code ec;
  const auto address = net::ip::make_address(i.options.bind, ec);
  if (ec) ThrowIo("cannot listen on " + where + " (not an IP address)");
  const tcp::endpoint endpoint(address,
                               static_cast<unsigned short>(i.options.port));
  i.acceptor->open(endpoint.protocol(), ec);
  if (!ec) i.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) i.acceptor->bind(endpoint, ec);
  if (!ec) i.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    ThrowIo("cannot listen on " + where +
            " (in use, or not an address of this machine)");
  }
  return i.acceptor->local_endpoint().port();
}

void HttpServer::Run() {
  Impl& i = *impl_;
  if (i.stopped) return;
  // sendfile() cannot be told MSG_NOSIGNAL, as the other writes are: a
  // client that goes away during a response must not end the server.
  std::signal(SIGPIPE, SIG_IGN);
  i.Accept();
  std::vector<std::thread> others;
  for (int n = 1; n < i.IoThreads(); ++n) {
    others.emplace_back([&i] { i.io.run(); });
  }
  {
    std::lock_guard<std::mutex> lock(i.ready_mutex);
    i.ready = true;
  }
  i.ready_cv.notify_all();
  i.io.run();
  for (std::thread& t : others) t.join();
}

void HttpServer::Stop() {
  Impl& i = *impl_;
  i.stopped = true;
  i.io.stop();
  std::lock_guard<std::mutex> lock(i.ready_mutex);
  i.ready = true;  // Nobody waits for a server that will not start.
  i.ready_cv.notify_all();
}

void HttpServer::WaitUntilReady() const {
  std::unique_lock<std::mutex> lock(impl_->ready_mutex);
  impl_->ready_cv.wait(lock, [this] { return impl_->ready; });
}

}  // namespace focus::web
