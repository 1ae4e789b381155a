// iCalendar export. libical builds the component tree and serialises it: it
// escapes TEXT values, writes CRLF line endings and folds lines at 75 octets
// without splitting UTF-8 sequences (checked for 3.0.16 by the unit tests).
#include "focus/ical_export.h"

#include <libical/ical.h>

#include <memory>
#include <string>

#include "focus/error.h"

namespace focus {
namespace {

constexpr char kTzid[] = "Europe/London";

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

struct BufferDeleter {
  void operator()(char* s) const { icalmemory_free_buffer(s); }
};

[[noreturn]] void ThrowLibical(const std::string& what) {
  std::string message = "iCalendar export: libical failed to " + what;
  if (icalerrno != ICAL_NO_ERROR) {
    message += std::string(" (") + icalerror_strerror(icalerrno) + ")";
  }
  throw Error(ErrorKind::kInternal, message);
}

template <typename T>
T* Check(T* p, const std::string& what) {
  if (p == nullptr) ThrowLibical(what);
  return p;
}

ComponentPtr NewComponent(icalcomponent_kind kind) {
  return ComponentPtr(
      Check(icalcomponent_new(kind),
            std::string("create ") + icalcomponent_kind_to_string(kind)));
}

// Takes ownership of `p` (libical frees it with `parent`).
void Add(icalcomponent* parent, icalproperty* p, const char* what) {
  icalcomponent_add_property(parent, Check(p, std::string("create ") + what));
}

// Moves `child` into `parent`.
void AddChild(icalcomponent* parent, ComponentPtr child) {
  icalcomponent_add_component(parent, child.release());
}

// An X- property. Note: libical writes X- values verbatim apart from
// backslashes and newlines (commas and semicolons are not escaped).
icalproperty* NewX(const char* name, const std::string& value) {
  icalproperty* p = icalproperty_new_x(value.c_str());
  if (p != nullptr) icalproperty_set_x_name(p, name);
  return p;
}

// libical drops bare CRs from TEXT values; keep them as line breaks.
std::string NormaliseNewlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

icaltimetype ToIcalDate(const Date& d) {
  icaltimetype t = icaltime_null_date();
  t.year = d.year();
  t.month = d.month();
  t.day = d.day();
  return t;
}

// A floating wall-clock time; the TZID parameter is added separately so the
// output never depends on the system's zoneinfo.
icaltimetype ToIcalLocal(const Date& d, TimeOfDay time) {
  icaltimetype t = icaltime_null_time();
  t.year = d.year();
  t.month = d.month();
  t.day = d.day();
  t.hour = time.hour();
  t.minute = time.minute();
  return t;
}

// One STANDARD or DAYLIGHT observance of the UK rules in force since 1996
// (EU: last Sunday of March / October at 01:00 UTC).
ComponentPtr Observance(icalcomponent_kind kind, int from_seconds,
                        int to_seconds, const char* name, int month, int hour) {
  ComponentPtr c = NewComponent(kind);
  Add(c.get(), icalproperty_new_tzoffsetfrom(from_seconds), "TZOFFSETFROM");
  Add(c.get(), icalproperty_new_tzoffsetto(to_seconds), "TZOFFSETTO");
  Add(c.get(), icalproperty_new_tzname(name), "TZNAME");
  icaltimetype start = icaltime_null_time();
  start.year = 1970;
  start.month = month;
  start.day = month == 10 ? 25 : 29;  // The last Sundays of 1970.
  start.hour = hour;
  Add(c.get(), icalproperty_new_dtstart(start), "DTSTART");
  icalrecurrencetype rule = icalrecurrencetype_from_string(
      month == 10 ? "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
                  : "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
  if (rule.freq != ICAL_YEARLY_RECURRENCE) ThrowLibical("parse an RRULE");
  Add(c.get(), icalproperty_new_rrule(rule), "RRULE");
  return c;
}

// Written out rather than taken from libical's built-in zones, which read
// the system zoneinfo and so vary between machines.
ComponentPtr LondonTimezone() {
  ComponentPtr tz = NewComponent(ICAL_VTIMEZONE_COMPONENT);
  Add(tz.get(), icalproperty_new_tzid(kTzid), "TZID");
  AddChild(tz.get(),
           Observance(ICAL_XSTANDARD_COMPONENT, 3600, 0, "GMT", 10, 2));
  AddChild(tz.get(),
           Observance(ICAL_XDAYLIGHT_COMPONENT, 0, 3600, "BST", 3, 1));
  return tz;
}

icalproperty* WithLondonTzid(icalproperty* p) {
  if (p != nullptr) {
    icalproperty_add_parameter(
        p, Check(icalparameter_new_tzid(kTzid), "create TZID parameter"));
  }
  return p;
}

bool IsVirtual(const Event& e) {
  if (e.format) return *e.format == Format::kVirtual;
  return !e.venue && !e.joining_link.empty();
}

std::string Description(const Event& e) {
  std::string text;
  auto line = [&text](const std::string& s) {
    if (!text.empty()) text += '\n';
    text += s;
  };
  // The change comes first: it is what a reader of an updated invite needs.
  if (!e.change_reason.empty()) {
    line((e.cancelled ? "Cancelled: " : "Changed: ") + e.change_reason);
  }
  std::string body = e.description;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
    body.pop_back();
  }
  if (!body.empty()) line(body);
  if (IsVirtual(e) && !e.joining_link.empty()) {
    line("Join online: " + e.joining_link);
  }
  return NormaliseNewlines(text);
}

void CheckEvent(const Event& e) {
  auto fail = [&e](const std::string& what) {
    throw Error(ErrorKind::kInternal,
                "iCalendar export: event '" + e.id + "' " + what);
  };
  if (e.uid.empty()) fail("has no UID");
  if (e.date.is_special()) fail("has no date");
  if (e.start) {
    if (e.start->minutes < 0 || e.start->minutes >= 24 * 60) {
      fail("has an invalid start time");
    }
    if (e.duration_minutes <= 0) fail("has no duration");
  }
}

ComponentPtr MakeEvent(const Event& e, const icaltimetype& dtstamp) {
  CheckEvent(e);
  ComponentPtr ev = NewComponent(ICAL_VEVENT_COMPONENT);
  icalcomponent* c = ev.get();
  Add(c, icalproperty_new_uid(e.uid.c_str()), "UID");
  Add(c, icalproperty_new_dtstamp(dtstamp), "DTSTAMP");
  Add(c, icalproperty_new_sequence(e.sequence), "SEQUENCE");

  if (e.start) {
    icaltimetype start = ToIcalLocal(e.date, *e.start);
    icaltimetype end = start;
    // Wall-clock arithmetic on a floating time; rolls over midnight.
    icaltime_adjust(&end, 0, 0, e.duration_minutes, 0);
    Add(c, WithLondonTzid(icalproperty_new_dtstart(start)), "DTSTART");
    Add(c, WithLondonTzid(icalproperty_new_dtend(end)), "DTEND");
  } else {
    // All-day: DTEND is exclusive, so the next day. libical adds VALUE=DATE.
    icaltimetype day = ToIcalDate(e.date);
    icaltimetype next = day;
    icaltime_adjust(&next, 1, 0, 0, 0);
    Add(c, icalproperty_new_dtstart(day), "DTSTART");
    Add(c, icalproperty_new_dtend(next), "DTEND");
  }

  std::string summary = NormaliseNewlines(e.title);
  if (e.cancelled) summary = "CANCELLED: " + summary;
  Add(c, icalproperty_new_summary(summary.c_str()), "SUMMARY");
  std::string description = Description(e);
  if (!description.empty()) {
    Add(c, icalproperty_new_description(description.c_str()), "DESCRIPTION");
  }

  if (IsVirtual(e)) {
    if (!e.joining_link.empty()) {
      Add(c, icalproperty_new_location(e.joining_link.c_str()), "LOCATION");
      Add(c, icalproperty_new_url(e.joining_link.c_str()), "URL");
    }
  } else if (e.venue) {
    std::string location = e.venue->name;
    if (!e.venue->address.empty()) location += ", " + e.venue->address;
    location = NormaliseNewlines(location);
    Add(c, icalproperty_new_location(location.c_str()), "LOCATION");
  }

  Add(c,
      icalproperty_new_status(e.cancelled ? ICAL_STATUS_CANCELLED
                                          : ICAL_STATUS_CONFIRMED),
      "STATUS");
  // Milestones are reminders, not busy time.
  Add(c,
      icalproperty_new_transp(e.start ? ICAL_TRANSP_OPAQUE
                                      : ICAL_TRANSP_TRANSPARENT),
      "TRANSP");
  // CATEGORIES is a list: libical writes the commas unescaped.
  std::string categories = EventKindName(e.kind);
  if (e.kind == EventKind::kForum && e.format) {
    categories += std::string(",") + FormatName(*e.format);
  }
  Add(c, icalproperty_new_categories(categories.c_str()), "CATEGORIES");
  Add(c, icalproperty_new_class(ICAL_CLASS_PUBLIC), "CLASS");
  return ev;
}

}  // namespace

std::string RenderCalendar(const std::vector<const Event*>& events,
                           const CalendarOptions& options) {
  icalerror_clear_errno();
  ComponentPtr cal = NewComponent(ICAL_VCALENDAR_COMPONENT);
  icalcomponent* c = cal.get();
  Add(c, icalproperty_new_prodid(options.prodid.c_str()), "PRODID");
  Add(c, icalproperty_new_version("2.0"), "VERSION");
  Add(c, icalproperty_new_calscale("GREGORIAN"), "CALSCALE");
  Add(c, icalproperty_new_method(ICAL_METHOD_PUBLISH), "METHOD");
  Add(c, icalproperty_new_name(options.name.c_str()), "NAME");
  // Apple and Google read the calendar's name and zone from these.
  Add(c, NewX("X-WR-CALNAME", options.name), "X-WR-CALNAME");
  Add(c, NewX("X-WR-TIMEZONE", kTzid), "X-WR-TIMEZONE");

  bool timed = false;
  for (const Event* e : events) {
    if (e == nullptr) {
      throw Error(ErrorKind::kInternal, "iCalendar export: null event");
    }
    timed = timed || e->start.has_value();
  }
  // Every TZID used must have its VTIMEZONE, and only timed events use one.
  if (timed) AddChild(c, LondonTimezone());

  const icaltimetype dtstamp = icaltime_from_timet_with_zone(
      options.dtstamp, 0, icaltimezone_get_utc_timezone());
  for (const Event* e : events) AddChild(c, MakeEvent(*e, dtstamp));

  std::unique_ptr<char, BufferDeleter> text(icalcomponent_as_ical_string_r(c));
  if (text == nullptr || *text == '\0') ThrowLibical("serialise the calendar");
  return std::string(text.get());
}

}  // namespace focus
