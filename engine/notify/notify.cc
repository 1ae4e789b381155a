#include "focus/notify.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "focus/clock.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/reminders_repository.h"
#include "focus/sla.h"

namespace focus {
namespace {

using Json = nlohmann::json;

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string WhenText(const ReminderItem& item) {
  const int n = item.working_days_left;
  if (n < 0) return Plural(-n, "working day", "working days") + " late";
  if (n == 0) return "due today";
  return "due in " + Plural(n, "working day", "working days");
}

bool MoreOverdue(const ReminderItem& a, const ReminderItem& b) {
  if (a.working_days_left != b.working_days_left) {
    return a.working_days_left < b.working_days_left;
  }
  return a.id < b.id;
}

bool ById(const ReminderItem& a, const ReminderItem& b) { return a.id < b.id; }

// ---------------------------------------------------------------------------
// The message.

// Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, lines of at most
// 76 characters: readable in a .eml file, safe through any mail server.
std::string QuotedPrintable(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t width = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string token;
      if ((c >= 33 && c <= 126 && c != '=') ||
          ((c == ' ' || c == '\t') && !last)) {
        token = std::string(1, static_cast<char>(c));
      } else {
        token = {'=', kHex[c >> 4], kHex[c & 15]};
      }
      if (width + token.size() > 75) {
        out += "=\r\n";
        width = 0;
      }
      out += token;
      width += token.size();
    }
    if (end == text.size()) break;
    out += "\r\n";
    start = end + 1;
  }
  return out;
}

// A header value: as it is when plain ASCII, else an RFC 2047 encoded word.
std::string HeaderText(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return c >= 0x20 && c < 0x7f;
  });
  if (ascii) return text;
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "=?UTF-8?Q?";
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 && c < 0x80) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '_';
    } else {
      out += {'=', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out + "?=";
}

// A display name in a From: header, quoted so commas and the like are text.
std::string DisplayName(const std::string& name) {
  const bool ascii = std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return c >= 0x20 && c < 0x7f;
  });
  if (!ascii) return HeaderText(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// "Thu, 04 Mar 2027 12:00:00 +0000" (RFC 5322 date-time, in UTC).
std::string MailDate(std::time_t t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed",
                                "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Subject(const Config& config, const Reminder& r) {
  if (r.kind == ReminderKind::kEscalation) {
    return "Feedback board escalation: " +
           Plural(static_cast<int>(r.overdue.size()), "ticket", "tickets") +
           " more than " +
           Plural(config.board.escalate_after_days, "working day",
                  "working days") +
           " past the agreed time";
  }
  std::vector<std::string> parts;
  if (!r.overdue.empty()) {
    parts.push_back(std::to_string(r.overdue.size()) + " past the agreed time");
  }
  if (!r.due_soon.empty()) {
    parts.push_back(std::to_string(r.due_soon.size()) + " due soon");
  }
  if (!r.newly_sent.empty()) {
    parts.push_back(std::to_string(r.newly_sent.size()) + " new");
  }
  std::string subject = "Feedback board reminder for " + r.team + ": ";
  for (size_t i = 0; i < parts.size(); ++i) {
    subject += (i == 0 ? "" : ", ") + parts[i];
  }
  return subject;
}

Json ItemJson(const Config& config, const ReminderItem& item) {
  Json link = nullptr;
  if (!config.board.site_url.empty()) {
    link = config.board.site_url + "/board/tickets/" + std::to_string(item.id);
  }
  return Json{{"id", item.id},
              {"title", item.title},
              {"area", item.area},
              {"team", item.team},
              {"due", FormatHumanDate(item.due)},
              {"due_iso", FormatIsoDate(item.due)},
              {"when", WhenText(item)},
              {"link", link}};
}

Json ReminderView(const Config& config, const Reminder& r,
                  const std::string& subject) {
  auto items = [&](const std::vector<ReminderItem>& list) {
    Json a = Json::array();
    for (const ReminderItem& item : list) a.push_back(ItemJson(config, item));
    return a;
  };
  Json board_link = nullptr;
  if (!config.board.site_url.empty()) {
    board_link = config.board.site_url + "/board";
  }
  return Json{
      {"subject", subject},
      {"series_name", config.series_name},
      {"organisation", config.organisation},
      {"escalation", r.kind == ReminderKind::kEscalation},
      {"team", r.kind == ReminderKind::kTeam ? Json(r.team) : Json(nullptr)},
      {"day", FormatHumanDate(r.day)},
      {"remind_days", config.board.remind_days},
      {"escalate_after_days", config.board.escalate_after_days},
      {"overdue", items(r.overdue)},
      {"due_soon", items(r.due_soon)},
      {"newly_sent", items(r.newly_sent)},
      {"has_overdue", !r.overdue.empty()},
      {"has_due_soon", !r.due_soon.empty()},
      {"has_newly_sent", !r.newly_sent.empty()},
      {"board_link", board_link},
  };
}

// The view's shape for the strict template check: every list with one item,
// every optional text present.
Json ReminderShape(const Config& config) {
  Config c = config;
  if (c.board.site_url.empty()) c.board.site_url = "https://example.invalid";
  Reminder example;
  example.kind = ReminderKind::kTeam;
  example.team = "team";
  example.day = Date(2027, 1, 4);
  ReminderItem item;
  item.due = example.day;
  example.overdue = example.due_soon = example.newly_sent = {item};
  return ViewShape(ReminderView(c, example, "subject"));
}

std::string FileName(const Reminder& r) {
  std::string name = FormatIsoDate(r.day) + "-" + ReminderKindName(r.kind);
  if (r.kind == ReminderKind::kTeam) name += "-" + Slugify(r.team);
  return name + ".eml";
}

// ---------------------------------------------------------------------------
// Sending through libcurl.

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

class SmtpMailer : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void Send(const std::string& from, const std::string& to,
            const std::string& message) override {
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(),
                                                curl_easy_cleanup);
    if (!curl) ThrowIo(options_.url + ": cannot start libcurl");
    CURL* c = curl.get();
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt(
        curl_slist_append(nullptr, ("<" + to + ">").c_str()),
        curl_slist_free_all);
    const std::string mail_from = "<" + from + ">";
    Upload upload{&message};
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // STARTTLS is required: never send a password or a reminder in clear.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!options_.ca_file.empty()) {
      curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    }
    if (!options_.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     options_.connect_timeout_seconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return;
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    std::string why = curl_easy_strerror(rc);
    if (error[0] != '\0' && why != error)
      why += " (" + std::string(error) + ")";
    if (code >= 400) why += "; the server answered " + std::to_string(code);
    ThrowIo(options_.url + ": " + OneLine(why));
  }

 private:
  SmtpOptions options_;
};

// ---------------------------------------------------------------------------
// The record of what was sent.

std::string ReminderKey(const Reminder& r) {
  return r.kind == ReminderKind::kTeam ? r.team : "";
}

void Record(Store& store, const Reminder& r, const std::string& subject,
            const std::string& status, const std::string& error,
            const std::string& at) {
  ReminderRow row;
  row.day = FormatIsoDate(r.day);
  row.kind = ReminderKindName(r.kind);
  row.team = ReminderKey(r);
  row.recipient = r.recipient;
  row.subject = subject;
  row.status = status;
  row.error = error;
  row.at = at;
  std::vector<int64_t> tickets;
  if (status == "sent") tickets = r.TicketIds();
  store.WriteTransaction(
      [&](Connection& db) { RemindersRepository(db).Insert(row, tickets); });
}

// Reminders whose last attempt failed, as (kind, team) -> that attempt's
// row id; a later delivery or a later run with nothing to say clears one.
std::map<std::pair<std::string, std::string>, int64_t> LastFailed(
    RemindersRepository& reminders) {
  std::map<std::pair<std::string, std::string>, int64_t> failed;
  for (const ReminderRow& r : reminders.LatestFailed()) {
    failed[{r.kind, r.team}] = r.id;
  }
  return failed;
}

std::string Who(const Reminder& r) {
  const std::string name =
      r.kind == ReminderKind::kTeam ? r.team : "the coordinators";
  return name + " (" + r.recipient + ")";
}

}  // namespace

const char* ReminderKindName(ReminderKind kind) {
  return kind == ReminderKind::kTeam ? "team" : "escalation";
}

std::vector<int64_t> Reminder::TicketIds() const {
  std::vector<int64_t> ids;
  for (const auto* list : {&overdue, &due_soon, &newly_sent}) {
    for (const ReminderItem& item : *list) ids.push_back(item.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

ReminderPlan PlanReminders(const Config& config,
                           const std::vector<Ticket>& tickets,
                           const AnnouncedTickets& announced, Date today) {
  ReminderPlan plan;
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  if (!holidays.IsWorkingDay(today)) return plan;
  const BoardOptions& board = config.board;
  std::map<std::string, Reminder> by_team;
  std::map<std::string, int> uncontactable;
  Reminder escalation;
  escalation.kind = ReminderKind::kEscalation;
  escalation.recipient = board.coordinators_contact;
  escalation.day = today;
  static const std::set<int64_t> kNone;

  for (const Ticket& t : tickets) {
    if (t.state == TicketState::kMerged || t.raised_on > today) continue;
    const TicketSla sla = ComputeSla(config, holidays, t, today);
    const bool open = sla.status == SlaStatus::kOnTime ||
                      sla.status == SlaStatus::kDueSoon ||
                      sla.status == SlaStatus::kBreached;
    // The team can only act on what was sent to it; a paused clock waits
    // for the forum, not for the team.
    if (!open || sla.paused) continue;
    ReminderItem item{
        t.id,   t.title,        config.AreaName(t.area),
        t.team, sla.answer_due, sla.working_days_left.value_or(0)};
    const int late = -item.working_days_left;
    if (sla.status == SlaStatus::kBreached &&
        late > board.escalate_after_days &&
        !board.coordinators_contact.empty()) {
      escalation.overdue.push_back(item);
    }
    if (!t.sent_on || *t.sent_on > today) continue;

    auto seen = announced.find(t.team);
    const std::set<int64_t>& told =
        seen == announced.end() ? kNone : seen->second;
    const bool overdue = sla.status == SlaStatus::kBreached;
    const bool due = !overdue && item.working_days_left <= board.remind_days;
    const bool fresh = told.count(t.id) == 0;
    if (!overdue && !due && !fresh) continue;
    auto contact = board.team_contacts.find(t.team);
    if (contact == board.team_contacts.end()) {
      ++uncontactable[t.team];
      continue;
    }
    Reminder& r = by_team[t.team];
    r.kind = ReminderKind::kTeam;
    r.team = t.team;
    r.recipient = contact->second;
    r.day = today;
    (overdue ? r.overdue : due ? r.due_soon : r.newly_sent).push_back(item);
  }
  for (auto& [team, r] : by_team) {
    std::sort(r.overdue.begin(), r.overdue.end(), MoreOverdue);
    std::sort(r.due_soon.begin(), r.due_soon.end(), MoreOverdue);
    std::sort(r.newly_sent.begin(), r.newly_sent.end(), ById);
    plan.reminders.push_back(std::move(r));
  }
  if (!escalation.overdue.empty()) {
    std::sort(escalation.overdue.begin(), escalation.overdue.end(),
              MoreOverdue);
    plan.reminders.push_back(std::move(escalation));
  }
  for (const auto& [team, n] : uncontactable) {
    plan.warnings.push_back(
        "team " + team + " has " + Plural(n, "ticket", "tickets") +
        " to be reminded of but no address in board.team_contacts");
  }
  return plan;
}

ReminderMessage ComposeReminder(const Config& config, const Reminder& reminder,
                                std::time_t now,
                                const TemplateOptions& templates) {
  ReminderMessage m;
  m.subject = Subject(config, reminder);
  m.file_name = FileName(reminder);
  const Json view = ReminderView(config, reminder, m.subject);
  const Json shape = ReminderShape(config);
  const std::string plain = RenderTemplate(
      templates, "notify-digest.txt.mustache", view, Escaping::kNone, shape);
  const std::string html = RenderTemplate(
      templates, "notify-digest.html.mustache", view, Escaping::kHtml, shape);
  // "=_" never occurs in quoted-printable text, so the boundary cannot.
  const std::string boundary = "=_focus_" + FormatIsoDate(reminder.day);
  std::string slug = reminder.kind == ReminderKind::kTeam
                         ? Slugify(reminder.team)
                         : std::string("coordinators");
  const std::string id = "<reminder." + FormatIsoDate(reminder.day) + "." +
                         ReminderKindName(reminder.kind) + "." + slug + "@" +
                         config.uid_domain + ">";
  std::string& t = m.text;
  t += "Date: " + MailDate(now) + "\r\n";
  t += "From: " + DisplayName(config.series_name) + " <" +
       config.board.reminders_from + ">\r\n";
  t += "To: <" + reminder.recipient + ">\r\n";
  t += "Subject: " + HeaderText(m.subject) + "\r\n";
  t += "Message-ID: " + id + "\r\n";
  t += "Auto-Submitted: auto-generated\r\n";
  t += "MIME-Version: 1.0\r\n";
  t += "Content-Type: multipart/alternative; boundary=\"" + boundary +
       "\"\r\n\r\n";
  t += "This is a message in plain text and HTML.\r\n\r\n";
  auto part = [&](const std::string& type, const std::string& body) {
    t += "--" + boundary + "\r\n";
    t += "Content-Type: " + type + "; charset=utf-8\r\n";
    t += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    t += QuotedPrintable(body) + "\r\n";
  };
  part("text/plain", plain);
  part("text/html", html);
  t += "--" + boundary + "--\r\n";
  return m;
}

std::unique_ptr<Mailer> MakeSmtpMailer(const SmtpOptions& options) {
  return std::make_unique<SmtpMailer>(options);
}

NotifyOutcome RunNotify(Store& store, const Board& board, const Config& config,
                        const Clock& clock, Mailer* mailer,
                        const NotifyOptions& options) {
  const BoardOptions& b = config.board;
  if (b.reminders_from.empty()) {
    ThrowInvalid(config.source +
                 ": board.reminders_from is not set: reminders need a From: "
                 "address (see docs/configuration.md#board)");
  }
  if (b.team_contacts.empty() && b.coordinators_contact.empty()) {
    ThrowInvalid(config.source +
                 ": neither board.team_contacts nor "
                 "board.coordinators_contact is set: there is no one to "
                 "remind (see docs/configuration.md#board)");
  }
  const Date today = clock.Today();
  AnnouncedTickets announced;
  std::map<std::pair<std::string, std::string>, int64_t> failed_before;
  store.Read([&](Connection& db) {
    RemindersRepository reminders(db);
    announced = reminders.AnnouncedByTeam();
    failed_before = LastFailed(reminders);
  });
  const ReminderPlan plan =
      PlanReminders(config, board.List({}), announced, today);
  NotifyOutcome out;
  out.warnings = plan.warnings;
  const std::string at = FormatUtc(clock.Now());

  std::map<std::string, std::string> files;
  for (const Reminder& r : plan.reminders) {
    failed_before.erase({ReminderKindName(r.kind), ReminderKey(r)});
    bool delivered = false;
    store.Read([&](Connection& db) {
      delivered = RemindersRepository(db).Sent(
          FormatIsoDate(r.day), ReminderKindName(r.kind), ReminderKey(r));
    });
    if (delivered) {
      out.skipped.push_back(Who(r) + ": already sent today");
      continue;
    }
    const ReminderMessage m =
        ComposeReminder(config, r, clock.Now(), options.templates);
    if (!options.dry_run_dir.empty()) {
      const std::string path = options.dry_run_dir + "/" + m.file_name;
      files[path] = m.text;
      out.files.push_back(path);
      continue;
    }
    try {
      mailer->Send(b.reminders_from, r.recipient, m.text);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kIo) throw;
      Record(store, r, m.subject, "failed", e.what(), at);
      out.failed.push_back("could not send the reminder to " + Who(r) + ": " +
                           e.what());
      continue;
    }
    Record(store, r, m.subject, "sent", "", at);
    out.sent.push_back(Who(r) + ": " + m.subject);
  }
  if (!files.empty()) DiskFileSystem().WriteFilesAtomically(files);
  // A failed reminder with nothing left to say on a working day needs no
  // retry: record that, so it is no longer reported as undelivered.
  if (options.dry_run_dir.empty() && !failed_before.empty() &&
      config.MakeHolidayCalendar().IsWorkingDay(today)) {
    store.WriteTransaction([&](Connection& db) {
      RemindersRepository reminders(db);
      for (const auto& [key, id] : failed_before) {
        reminders.InsertNothingLeft(id, FormatIsoDate(today), at);
      }
    });
  }
  return out;
}

std::vector<std::string> UndeliveredReminders(const Store& store) {
  std::vector<std::string> lines;
  store.Read([&](Connection& db) {
    for (const ReminderRow& r : RemindersRepository(db).LatestFailed()) {
      const std::string who =
          r.kind == "team" ? r.team : std::string("the coordinators");
      lines.push_back("Reminder to " + who + " (" + r.recipient + ") of " +
                      r.day +
                      " not delivered; the next run retries it: " + r.error);
    }
  });
  return lines;
}

}  // namespace focus
