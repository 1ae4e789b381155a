#include "focus/ical_export.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "focus/error.h"

namespace focus {
namespace {

using boost::gregorian::date;

constexpr char kEscapeText[] =
    "Guildford & Waverley; room 2, first floor\nline two";
constexpr char kJoin[] = "https://meet.example.org/j/123?pwd=a;b,c";
// 2027-01-01T01:01:01Z.
constexpr std::time_t kDtstamp = 1798761600 + 3661;

// Long enough to fold several times. The run of "é’" (2 + 3 octets) has no
// space, colon or semicolon for libical to fold after, so it must find a
// UTF-8 boundary: a cut at a fixed 74 octets would split a "’".
std::string LongDescription() {
  std::string s = "Agenda: co-design workshop at the café’s résumé ";
  for (int i = 0; i < 40; ++i) s += "é’";
  for (int i = 0; i < 6; ++i) s += " naïve ’quoted’ text é";
  return s;
}

Event BstInPersonForum() {
  Event e;
  e.id = "2027-r2-guildford-waverley";
  e.uid = e.id + "@focus.invalid";
  e.kind = EventKind::kForum;
  e.plan_year = 2027;
  e.round = 2;
  e.area = "Guildford & Waverley";
  e.format = Format::kInPerson;
  e.venue = Venue{};
  e.venue->name = "Farnham Maltings";
  e.venue->address = "Bridge Square, Farnham GU9 7QR";
  e.title = "FoCUS forum: Guildford & Waverley";
  e.description = LongDescription();
  e.date = date(2027, 4, 6);
  e.start = TimeOfDay{10 * 60 + 30};
  e.duration_minutes = 150;
  return e;
}

Event GmtVirtualForum() {
  Event e;
  e.id = "2027-r1-evening";
  e.uid = e.id + "@focus.invalid";
  e.kind = EventKind::kForum;
  e.evening = true;
  e.format = Format::kVirtual;
  e.joining_link = kJoin;
  e.title = "FoCUS evening forum";
  e.description = kEscapeText;
  e.date = date(2027, 1, 12);
  e.start = TimeOfDay{18 * 60 + 30};
  e.duration_minutes = 120;
  return e;
}

Event Milestone() {
  Event e;
  e.id = "2027-01-board-report";
  e.uid = e.id + "@focus.invalid";
  e.kind = EventKind::kBoardReport;
  e.title = "Board report due";
  e.description = "Send the forum summary to the Board.";
  e.date = date(2027, 1, 29);
  return e;
}

Event CancelledForum() {
  Event e;
  e.id = "2027-r1-east-surrey";
  e.uid = e.id + "@focus.invalid";
  e.kind = EventKind::kForum;
  e.format = Format::kInPerson;
  e.venue = Venue{};
  e.venue->name = "Redhill Harlequin";
  e.venue->address = "Warwick Quadrant, Redhill RH1 1NN";
  e.title = "FoCUS forum: East Surrey";
  e.description = "Peer support and local feedback.";
  e.date = date(2027, 1, 14);
  e.start = TimeOfDay{13 * 60 + 30};
  e.duration_minutes = 150;
  e.cancelled = true;
  e.change_reason = "venue flooded";
  e.sequence = 2;
  return e;
}

CalendarOptions Options() {
  CalendarOptions o;
  o.name = "FoCUS Community Forums 2027";
  o.dtstamp = kDtstamp;
  return o;
}

std::string Render(const std::vector<Event>& events,
                   const CalendarOptions& options = Options()) {
  std::vector<const Event*> ptrs;
  for (const Event& e : events) ptrs.push_back(&e);
  return RenderCalendar(ptrs, options);
}

std::vector<Event> AllEvents() {
  return {BstInPersonForum(), GmtVirtualForum(), Milestone(), CancelledForum()};
}

// Physical lines, without their CRLF. Fails the test on a bare CR or LF.
std::vector<std::string> PhysicalLines(const std::string& ics) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < ics.size()) {
    size_t crlf = ics.find("\r\n", pos);
    EXPECT_NE(crlf, std::string::npos) << "last line lacks CRLF";
    if (crlf == std::string::npos) crlf = ics.size();
    std::string line = ics.substr(pos, crlf - pos);
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos)
        << "bare CR or LF in: " << line;
    lines.push_back(line);
    pos = crlf + 2;
  }
  return lines;
}

// RFC 5545 3.1: a CRLF followed by one space or tab is removed.
std::vector<std::string> Unfold(const std::string& ics) {
  std::vector<std::string> out;
  for (const std::string& line : PhysicalLines(ics)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back() += line.substr(1);
    } else {
      out.push_back(line);
    }
  }
  return out;
}

// Structural check only: lead bytes followed by the right continuations.
bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const size_t n = c < 0x80           ? 0
                     : (c >> 5) == 0x6  ? 1
                     : (c >> 4) == 0xE  ? 2
                     : (c >> 3) == 0x1E ? 3
                                        : 4;
    if (n == 4 || i + n >= s.size() + (n == 0)) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}

int Count(const std::vector<std::string>& lines, const std::string& line) {
  int n = 0;
  for (const std::string& l : lines) n += l == line;
  return n;
}

bool Has(const std::vector<std::string>& lines, const std::string& line) {
  return Count(lines, line) > 0;
}

// The unfolded lines of the VEVENT with `uid`.
std::vector<std::string> EventLines(const std::vector<std::string>& lines,
                                    const std::string& uid) {
  std::vector<std::string> current;
  bool in_event = false;
  for (const std::string& l : lines) {
    if (l == "BEGIN:VEVENT") {
      in_event = true;
      current.clear();
    } else if (l == "END:VEVENT") {
      in_event = false;
      if (Has(current, "UID:" + uid)) return current;
    } else if (in_event) {
      current.push_back(l);
    }
  }
  ADD_FAILURE() << "no VEVENT with UID " << uid;
  return {};
}

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

TEST(RenderCalendarTest, CalendarHeader) {
  const std::vector<std::string> lines = Unfold(Render(AllEvents()));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_TRUE(Has(lines, "VERSION:2.0"));
  EXPECT_TRUE(Has(lines, "PRODID:-//FoCUS//focus plan//EN"));
  EXPECT_TRUE(Has(lines, "CALSCALE:GREGORIAN"));
  EXPECT_TRUE(Has(lines, "METHOD:PUBLISH"));
  EXPECT_TRUE(Has(lines, "NAME:FoCUS Community Forums 2027"));
  EXPECT_TRUE(Has(lines, "X-WR-CALNAME:FoCUS Community Forums 2027"));
  EXPECT_TRUE(Has(lines, "X-WR-TIMEZONE:Europe/London"));
  EXPECT_EQ(Count(lines, "BEGIN:VEVENT"), 4);
}

TEST(RenderCalendarTest, ProdidFromOptions) {
  CalendarOptions o = Options();
  o.prodid = "-//Example//Test//EN";
  EXPECT_TRUE(
      Has(Unfold(Render(AllEvents(), o)), "PRODID:-//Example//Test//EN"));
}

TEST(RenderCalendarTest, BeginEndNest) {
  std::vector<std::string> stack;
  for (const std::string& l : Unfold(Render(AllEvents()))) {
    if (l.rfind("BEGIN:", 0) == 0) {
      stack.push_back(l.substr(6));
    } else if (l.rfind("END:", 0) == 0) {
      ASSERT_FALSE(stack.empty()) << l;
      EXPECT_EQ(stack.back(), l.substr(4));
      stack.pop_back();
    } else {
      EXPECT_FALSE(stack.empty()) << "property outside VCALENDAR: " << l;
    }
  }
  EXPECT_TRUE(stack.empty());
}

TEST(RenderCalendarTest, OneLondonTimezoneMatchesEveryTzid) {
  const std::vector<std::string> lines = Unfold(Render(AllEvents()));
  EXPECT_EQ(Count(lines, "BEGIN:VTIMEZONE"), 1);
  EXPECT_EQ(Count(lines, "TZID:Europe/London"), 1);
  int used = 0;
  for (const std::string& l : lines) {
    size_t p = l.find(";TZID=");
    if (p == std::string::npos) continue;
    ++used;
    EXPECT_EQ(l.substr(p, l.find(':') - p), ";TZID=Europe/London") << l;
  }
  EXPECT_EQ(used, 6);  // DTSTART and DTEND of the three timed events.

  // The explicit GMT/BST rules, not the system's zoneinfo.
  const std::vector<std::string> expected = {
      "BEGIN:VTIMEZONE",
      "TZID:Europe/London",
      "BEGIN:STANDARD",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0000",
      "TZNAME:GMT",
      "DTSTART:19701025T020000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "TZOFFSETFROM:+0000",
      "TZOFFSETTO:+0100",
      "TZNAME:BST",
      "DTSTART:19700329T010000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
  };
  auto it = std::find(lines.begin(), lines.end(), "BEGIN:VTIMEZONE");
  ASSERT_NE(it, lines.end());
  ASSERT_GE(lines.end() - it, static_cast<long>(expected.size()));
  EXPECT_EQ(std::vector<std::string>(it, it + expected.size()), expected);
}

TEST(RenderCalendarTest, NoTimezoneWithoutTimedEvents) {
  const std::string ics = Render({Milestone()});
  EXPECT_EQ(ics.find("VTIMEZONE"), std::string::npos);
  EXPECT_EQ(ics.find("TZID"), std::string::npos);
  const std::vector<std::string> empty = Unfold(Render({}));
  EXPECT_FALSE(Has(empty, "BEGIN:VTIMEZONE"));
  EXPECT_FALSE(Has(empty, "BEGIN:VEVENT"));
  EXPECT_TRUE(Has(empty, "VERSION:2.0"));
}

TEST(RenderCalendarTest, BstInPersonForum) {
  const Event e = BstInPersonForum();
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DTSTART;TZID=Europe/London:20270406T103000"));
  EXPECT_TRUE(Has(ev, "DTEND;TZID=Europe/London:20270406T130000"));
  EXPECT_TRUE(Has(ev, "DTSTAMP:20270101T010101Z"));
  EXPECT_TRUE(Has(ev, "SEQUENCE:0"));
  EXPECT_TRUE(Has(ev, "SUMMARY:FoCUS forum: Guildford & Waverley"));
  EXPECT_TRUE(
      Has(ev, "LOCATION:Farnham Maltings\\, Bridge Square\\, Farnham GU9 7QR"));
  EXPECT_TRUE(Has(ev, "STATUS:CONFIRMED"));
  EXPECT_TRUE(Has(ev, "TRANSP:OPAQUE"));
  EXPECT_TRUE(Has(ev, "CATEGORIES:forum,in-person"));
  EXPECT_TRUE(Has(ev, "CLASS:PUBLIC"));
  for (const std::string& l : ev) {
    EXPECT_NE(l.rfind("URL:", 0), 0u) << "in-person forum has a URL";
  }
}

TEST(RenderCalendarTest, GmtVirtualForumJoinLink) {
  const Event e = GmtVirtualForum();
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DTSTART;TZID=Europe/London:20270112T183000"));
  EXPECT_TRUE(Has(ev, "DTEND;TZID=Europe/London:20270112T203000"));
  // URL is a URI: not TEXT-escaped. LOCATION is TEXT.
  EXPECT_TRUE(Has(ev, std::string("URL:") + kJoin));
  EXPECT_TRUE(Has(ev, "LOCATION:https://meet.example.org/j/123?pwd=a\\;b\\,c"));
  EXPECT_TRUE(Has(ev,
                  "DESCRIPTION:Guildford & Waverley\\; room 2\\, first "
                  "floor\\nline two\\nJoin online: "
                  "https://meet.example.org/j/123?pwd=a\\;b\\,c"));
  EXPECT_TRUE(Has(ev, "CATEGORIES:forum,virtual"));
}

TEST(RenderCalendarTest, EndRollsOverMidnight) {
  Event e = GmtVirtualForum();
  e.date = date(2027, 12, 31);
  e.start = TimeOfDay{23 * 60};
  e.duration_minutes = 90;
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DTEND;TZID=Europe/London:20280101T003000"));
}

TEST(RenderCalendarTest, AllDayMilestone) {
  Event e = Milestone();
  std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DTSTART;VALUE=DATE:20270129"));
  EXPECT_TRUE(Has(ev, "DTEND;VALUE=DATE:20270130"));
  EXPECT_TRUE(Has(ev, "TRANSP:TRANSPARENT"));
  EXPECT_TRUE(Has(ev, "CATEGORIES:board-report"));
  EXPECT_TRUE(Has(ev, "STATUS:CONFIRMED"));

  e.date = date(2028, 2, 29);
  ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DTEND;VALUE=DATE:20280301"));
}

TEST(RenderCalendarTest, CancelledForum) {
  const Event e = CancelledForum();
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "STATUS:CANCELLED"));
  EXPECT_TRUE(Has(ev, "SEQUENCE:2"));
  EXPECT_TRUE(Has(ev, "SUMMARY:CANCELLED: FoCUS forum: East Surrey"));
  EXPECT_TRUE(Has(ev,
                  "DESCRIPTION:Cancelled: venue flooded\\nPeer support and "
                  "local feedback."));
  EXPECT_TRUE(Has(ev, "TRANSP:OPAQUE"));
}

TEST(RenderCalendarTest, MovedForumGivesReason) {
  Event e = BstInPersonForum();
  e.description = "Details.";
  e.change_reason = "moved for the Trust AGM";
  e.sequence = 1;
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "STATUS:CONFIRMED"));
  EXPECT_TRUE(Has(ev, "SEQUENCE:1"));
  EXPECT_TRUE(Has(ev, "SUMMARY:FoCUS forum: Guildford & Waverley"));
  EXPECT_TRUE(
      Has(ev, "DESCRIPTION:Changed: moved for the Trust AGM\\nDetails."));
}

TEST(RenderCalendarTest, CrlfAndFoldedAt75OctetsOnUtf8Boundaries) {
  const std::string ics = Render(AllEvents());
  ASSERT_GE(ics.size(), 2u);
  EXPECT_EQ(ics.substr(ics.size() - 2), "\r\n");
  int continuation = 0;
  for (const std::string& line : PhysicalLines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    // A fold inside a multi-byte sequence would leave invalid UTF-8.
    EXPECT_TRUE(IsValidUtf8(line)) << line;
    continuation += !line.empty() && line[0] == ' ';
  }
  EXPECT_GT(continuation, 3);  // The long description was folded.
}

TEST(RenderCalendarTest, UnfoldingRestoresLongDescription) {
  const Event e = BstInPersonForum();
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  // No character of LongDescription() needs escaping.
  EXPECT_TRUE(Has(ev, "DESCRIPTION:" + LongDescription()));
}

TEST(RenderCalendarTest, NoLibicalNoise) {
  const std::string ics = Render(AllEvents());
  EXPECT_EQ(ics.find("X-LIC"), std::string::npos);
}

TEST(RenderCalendarTest, Deterministic) {
  EXPECT_EQ(Render(AllEvents()), Render(AllEvents()));
}

TEST(RenderCalendarTest, EventsInGivenOrder) {
  std::vector<std::string> uids;
  for (const std::string& l : Unfold(Render(AllEvents()))) {
    if (l.rfind("UID:", 0) == 0) uids.push_back(l.substr(4));
  }
  std::vector<std::string> expected;
  for (const Event& e : AllEvents()) expected.push_back(e.uid);
  EXPECT_EQ(uids, expected);
}

std::string Text(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (p == nullptr) return "<missing>";
  return icalvalue_get_text(icalproperty_get_value(p));
}

std::string Time(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (p == nullptr) return "<missing>";
  char* text = icaltime_as_ical_string_r(
      icalvalue_get_datetimedate(icalproperty_get_value(p)));
  std::string s = text;
  icalmemory_free_buffer(text);
  icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  if (tz != nullptr) s = std::string(icalparameter_get_tzid(tz)) + " " + s;
  return s;
}

TEST(RenderCalendarTest, ParsesBackWithLibical) {
  const std::vector<Event> events = AllEvents();
  ComponentPtr cal(icalparser_parse_string(Render(events).c_str()));
  ASSERT_NE(cal, nullptr);
  EXPECT_STREQ(icalcomponent_kind_to_string(icalcomponent_isa(cal.get())),
               "VCALENDAR");
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0);
  EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VTIMEZONE_COMPONENT),
            1);
  EXPECT_EQ(Text(cal.get(), ICAL_NAME_PROPERTY), Options().name);

  std::map<std::string, icalcomponent*> by_uid;
  for (icalcomponent* c =
           icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
       c != nullptr;
       c = icalcomponent_get_next_component(cal.get(), ICAL_VEVENT_COMPONENT)) {
    by_uid[icalcomponent_get_uid(c)] = c;
  }
  ASSERT_EQ(by_uid.size(), 4u);

  icalcomponent* bst = by_uid.at(events[0].uid);
  EXPECT_EQ(Time(bst, ICAL_DTSTART_PROPERTY), "Europe/London 20270406T103000");
  EXPECT_EQ(Time(bst, ICAL_DTEND_PROPERTY), "Europe/London 20270406T130000");
  EXPECT_EQ(Time(bst, ICAL_DTSTAMP_PROPERTY), "20270101T010101Z");
  EXPECT_EQ(Text(bst, ICAL_DESCRIPTION_PROPERTY), LongDescription());
  EXPECT_EQ(Text(bst, ICAL_LOCATION_PROPERTY),
            "Farnham Maltings, Bridge Square, Farnham GU9 7QR");
  EXPECT_EQ(icalcomponent_get_status(bst), ICAL_STATUS_CONFIRMED);

  icalcomponent* virt = by_uid.at(events[1].uid);
  EXPECT_EQ(Text(virt, ICAL_SUMMARY_PROPERTY), "FoCUS evening forum");
  EXPECT_EQ(Text(virt, ICAL_DESCRIPTION_PROPERTY),
            std::string(kEscapeText) + "\nJoin online: " + kJoin);
  EXPECT_EQ(Text(virt, ICAL_LOCATION_PROPERTY), kJoin);
  icalproperty* url = icalcomponent_get_first_property(virt, ICAL_URL_PROPERTY);
  ASSERT_NE(url, nullptr);
  EXPECT_STREQ(icalproperty_get_url(url), kJoin);
  // libical splits a CATEGORIES list into one property per value.
  std::vector<std::string> categories;
  for (icalproperty* p =
           icalcomponent_get_first_property(virt, ICAL_CATEGORIES_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(virt, ICAL_CATEGORIES_PROPERTY)) {
    categories.push_back(icalproperty_get_categories(p));
  }
  EXPECT_EQ(categories, (std::vector<std::string>{"forum", "virtual"}));

  icalcomponent* milestone = by_uid.at(events[2].uid);
  EXPECT_EQ(Time(milestone, ICAL_DTSTART_PROPERTY), "20270129");
  EXPECT_EQ(Time(milestone, ICAL_DTEND_PROPERTY), "20270130");

  icalcomponent* cancelled = by_uid.at(events[3].uid);
  EXPECT_EQ(icalcomponent_get_status(cancelled), ICAL_STATUS_CANCELLED);
  EXPECT_EQ(icalcomponent_get_sequence(cancelled), 2);
  EXPECT_EQ(Text(cancelled, ICAL_SUMMARY_PROPERTY),
            "CANCELLED: FoCUS forum: East Surrey");
}

TEST(RenderCalendarTest, EscapingRoundTripsInEveryTextField) {
  Event e = BstInPersonForum();
  e.title = kEscapeText;
  e.description = kEscapeText;
  e.venue->name = "Room 2; first floor";
  e.venue->address = "1 High St, Town";
  ComponentPtr cal(icalparser_parse_string(Render({e}).c_str()));
  ASSERT_NE(cal, nullptr);
  icalcomponent* ev =
      icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(Text(ev, ICAL_SUMMARY_PROPERTY), kEscapeText);
  EXPECT_EQ(Text(ev, ICAL_DESCRIPTION_PROPERTY), kEscapeText);
  EXPECT_EQ(Text(ev, ICAL_LOCATION_PROPERTY),
            "Room 2; first floor, 1 High St, Town");
}

TEST(RenderCalendarTest, CarriageReturnsBecomeLineBreaks) {
  Event e = Milestone();
  e.description = "one\r\ntwo\rthree";
  const std::vector<std::string> ev = EventLines(Unfold(Render({e})), e.uid);
  EXPECT_TRUE(Has(ev, "DESCRIPTION:one\\ntwo\\nthree"));
}

TEST(RenderCalendarTest, BadEventsAreInternalErrors) {
  auto kind_of = [](const Event& e) {
    try {
      Render({e});
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(e.id), std::string::npos);
      return error.kind();
    }
    return ErrorKind::kInvalidInput;  // Not thrown: fails below.
  };
  Event no_uid = BstInPersonForum();
  no_uid.uid.clear();
  EXPECT_EQ(kind_of(no_uid), ErrorKind::kInternal);
  Event no_duration = BstInPersonForum();
  no_duration.duration_minutes = 0;
  EXPECT_EQ(kind_of(no_duration), ErrorKind::kInternal);
  Event no_date = Milestone();
  no_date.date = Date(boost::gregorian::not_a_date_time);
  EXPECT_EQ(kind_of(no_date), ErrorKind::kInternal);

  std::vector<const Event*> null_event = {nullptr};
  EXPECT_THROW(RenderCalendar(null_event, Options()), Error);
}

// Lets tests/e2e/check_ics.py be tried on real output:
//   FOCUS_ICS_SAMPLE=/tmp/sample.ics ./ical_export_test
TEST(RenderCalendarTest, WritesSampleWhenAsked) {
  const char* path = std::getenv("FOCUS_ICS_SAMPLE");
  if (path == nullptr || *path == '\0')
    GTEST_SKIP() << "FOCUS_ICS_SAMPLE unset";
  std::ofstream out(path, std::ios::binary);
  out << Render(AllEvents());
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace
}  // namespace focus
