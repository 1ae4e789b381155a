#include "request_context.h"

#include <charconv>
#include <limits>

#include "focus/error.h"

namespace focus::web {

using Json = nlohmann::json;

bool IsApi(const HttpRequest& req) { return req.path.rfind("/api/", 0) == 0; }

std::string CookieValue(const HttpRequest& req, const std::string& name) {
  const std::string header = req.Header("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) {
      return part.substr(eq + 1);
    }
    pos = end + 1;
  }
  return "";
}

std::optional<int64_t> TicketOfPath(const HttpRequest& req) {
  if (req.matches.size() < 2) return std::nullopt;
  const std::string& id = req.matches[1];
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (id.empty() || ec != std::errc() || end != id.data() + id.size()) {
    return std::nullopt;
  }
  return n;
}

int64_t PathId(const HttpRequest& req) {
  const std::optional<int64_t> id = TicketOfPath(req);
  if (!id) throw HttpError{404, "no ticket #" + req.matches.at(1), ""};
  return *id;
}

Json ParseBody(const HttpRequest& req) {
  if (req.body.empty()) {
    throw HttpError{400, "the body is empty: send a JSON object", ""};
  }
  Json body;
  // The last member name read: a number too large for a double names it.
  std::string key;
  try {
    body = Json::parse(req.body,
                       [&key](int, Json::parse_event_t event, Json& parsed) {
                         if (event == Json::parse_event_t::key)
                           key = parsed.get<std::string>();
                         return true;
                       });
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number past a double (1e999).
    std::string what = e.what();
    size_t at = what.find("] ");
    if (at != std::string::npos) what = what.substr(at + 2);
    if (dynamic_cast<const Json::out_of_range*>(&e) && !key.empty()) {
      throw HttpError{400, OneLine(key + ": " + what), key};
    }
    throw HttpError{400, OneLine("malformed JSON: " + what), ""};
  }
  if (!body.is_object()) {
    throw HttpError{400, "the body must be a JSON object", ""};
  }
  return body;
}

// --- JSON fields. -----------------------------------------------------

std::string JsonFields::Text(const std::string& name, bool required) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) throw HttpError{422, name + ": required", name};
    return "";
  }
  if (!it->is_string()) {
    throw HttpError{400, name + ": must be a string", name};
  }
  return it->get<std::string>();
}

std::optional<int64_t> JsonFields::Int(const std::string& name) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    throw HttpError{400, name + ": must be a whole number", name};
  }
  // Past 64 bits: refused, not wrapped round to a negative number.
  if (it->is_number_unsigned() &&
      it->get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    throw HttpError{422, name + ": " + it->dump() + " is too large", name};
  }
  return it->get<int64_t>();
}

int JsonFields::Count(const std::string& name, int fallback) const {
  std::optional<int64_t> v = Int(name);
  if (!v) return fallback;
  if (*v > std::numeric_limits<int>::max()) {
    throw HttpError{422, name + ": " + std::to_string(*v) + " is too large",
                    name};
  }
  if (*v < std::numeric_limits<int>::min()) {
    throw HttpError{422, name + ": " + std::to_string(*v) + " is too small",
                    name};
  }
  return static_cast<int>(*v);
}

bool JsonFields::Flag(const std::string& name) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    throw HttpError{400, name + ": must be true or false", name};
  }
  return it->get<bool>();
}

std::vector<std::string> JsonFields::List(const std::string& name) const {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  std::vector<std::string> out;
  if (it->is_array()) {
    for (const Json& v : *it) {
      if (!v.is_string()) break;
      out.push_back(v.get<std::string>());
    }
    if (out.size() == it->size()) return out;
  }
  throw HttpError{400, name + ": must be a list of strings", name};
}

// --- Form fields. -----------------------------------------------------

std::string FormFields::Text(const std::string& name, bool required) const {
  std::string v = req_.Param(name);
  if (v.empty() && required) throw HttpError{422, name + ": required", name};
  return v;
}

std::optional<int64_t> FormFields::Int(const std::string& name) const {
  std::string v = req_.Param(name);
  if (v.empty()) return std::nullopt;
  if (v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) {
    throw HttpError{422, name + ": '" + v + "' is not a whole number", name};
  }
  return std::stoll(v);
}

int FormFields::Count(const std::string& name, int fallback) const {
  // At most nine digits (Int): always fits.
  return static_cast<int>(Int(name).value_or(fallback));
}

bool FormFields::Flag(const std::string& name) const {
  return req_.Param(name) == "yes";
}

std::vector<std::string> FormFields::List(const std::string& name) const {
  std::vector<std::string> out;
  const size_t n = req_.ParamCount(name);
  for (size_t i = 0; i < n; ++i) {
    std::string v = req_.Param(name, i);
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

}  // namespace focus::web
