#include "focus/poster.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "focus/error.h"
#include "focus/publication_views.h"
#include "focus/text.h"

namespace focus {
namespace {

using internal::LongDate;

// A4 in PDF points, and a margin of about 15 mm.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 42.5;
constexpr double kTextWidth = kPageWidth - 2 * kMargin;

// The forum's events in the `k`th round after quarter `q` (k = 1, 2).
std::vector<const Event*> RoundEvents(const Plan& plan, const Quarter& q, int k,
                                      const std::string& slug) {
  const int plan_year = q.plan_year + (q.round + k - 1) / 4;
  const int round = (q.round + k - 1) % 4 + 1;
  std::vector<const Event*> events;
  for (const Event& e : plan.events) {
    if (e.kind == EventKind::kForum && e.plan_year == plan_year &&
        e.round == round && e.area_slug == slug) {
      events.push_back(&e);
    }
  }
  return events;
}

void AddForum(const Config& config, const Event& e,
              std::vector<PosterLine>& lines) {
  using S = PosterLine::Style;
  lines.push_back({S::kHeading, LongDate(e.date)});
  if (e.cancelled) {
    std::string text = "This forum is cancelled.";
    if (!e.change_reason.empty()) text += " " + e.change_reason;
    lines.push_back({S::kBody, text});
    return;
  }
  std::string time =
      "Time: " + FormatTimeOfDay(*e.start) + " to " + FormatTimeOfDay(e.end());
  if (config.meeting.pre_meeting_minutes > 0) {
    time += ". Come from " + FormatTimeOfDay(*e.start) +
            " for a chat; the meeting starts at " +
            FormatTimeOfDay(TimeOfDay{e.start->minutes +
                                      config.meeting.pre_meeting_minutes});
  }
  lines.push_back({S::kBody, time + "."});
  if (e.format == Format::kInPerson && e.venue) {
    lines.push_back(
        {S::kBody, "Where: " + e.venue->name + ", " + e.venue->address + "."});
    std::vector<std::string> words;
    for (const std::string& f : e.venue->features) {
      words.push_back(VenueFeatureWords(f));
    }
    if (!words.empty()) {
      lines.push_back({S::kBody, "Access: " + JoinWords(words) + "."});
    }
    if (!e.venue->notes.empty()) lines.push_back({S::kBody, e.venue->notes});
  } else {
    lines.push_back({S::kBody, "Online. Join by link:"});
    lines.push_back({S::kLink, e.joining_link});
    if (!config.join_by_phone.empty()) {
      lines.push_back({S::kBody, "Or join by phone: " + config.join_by_phone});
    }
  }
}

// Font sizes of one layout attempt, in points.
struct Sizes {
  double body;
  double Of(PosterLine::Style s) const {
    switch (s) {
      case PosterLine::Style::kTitle:
        return body * 1.75;
      case PosterLine::Style::kHeading:
        return body * 1.25;
      default:
        return body;
    }
  }
};

using LayoutPtr = std::unique_ptr<PangoLayout, void (*)(gpointer)>;

LayoutPtr MakeLayout(cairo_t* cr, const PosterLine& line, double size) {
  LayoutPtr layout(pango_cairo_create_layout(cr), g_object_unref);
  PangoFontDescription* font =
      pango_font_description_from_string("DejaVu Sans");
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  if (line.style != PosterLine::Style::kBody &&
      line.style != PosterLine::Style::kLink) {
    pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  }
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  if (line.style != PosterLine::Style::kLink) {
    pango_layout_set_width(layout.get(),
                           static_cast<int>(kTextWidth * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_text(layout.get(), line.text.data(),
                        static_cast<int>(line.text.size()));
  return layout;
}

// The line laid out at `sizes`; a link too wide for the page is set in
// smaller print instead of broken.
LayoutPtr Layout(cairo_t* cr, const PosterLine& line, Sizes sizes) {
  const double size = sizes.Of(line.style);
  LayoutPtr layout = MakeLayout(cr, line, size);
  if (line.style != PosterLine::Style::kLink) return layout;
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  const double width = static_cast<double>(w) / PANGO_SCALE;
  if (width <= kTextWidth) return layout;
  return MakeLayout(cr, line, size * kTextWidth / width * 0.98);
}

double SpaceBefore(const PosterLine& line, Sizes sizes, bool first) {
  if (first) return 0;
  switch (line.style) {
    case PosterLine::Style::kHeading:
      return sizes.body * 1.2;
    case PosterLine::Style::kLink:
      return sizes.body * 0.1;
    default:
      return sizes.body * 0.45;
  }
}

double Height(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

cairo_status_t AppendTo(void* closure, const unsigned char* data,
                        unsigned int length) {
  static_cast<std::string*>(closure)->append(
      reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// "2027-03-01T00:00:00Z": the form cairo writes as the PDF's CreationDate.
std::string PdfDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string RenderPdf(const std::vector<PosterLine>& lines,
                      const std::string& title, std::time_t created) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
      AppendTo, &pdf, kPageWidth, kPageHeight);
  const std::string date = PdfDate(created);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "focus");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                 date.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
                                 date.c_str());
  cairo_t* cr = cairo_create(surface);

  // The largest print that fits on one page, down to 16 point; past that,
  // 16 point over as many pages as it takes.
  const double usable = kPageHeight - 2 * kMargin;
  Sizes sizes{16};
  for (double body : {24.0, 22.0, 20.0, 18.0, 16.0}) {
    double total = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      total += SpaceBefore(lines[i], Sizes{body}, i == 0) +
               Height(Layout(cr, lines[i], Sizes{body}).get());
    }
    if (total <= usable) {
      sizes = Sizes{body};
      break;
    }
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  double y = kMargin;
  for (size_t i = 0; i < lines.size(); ++i) {
    LayoutPtr layout = Layout(cr, lines[i], sizes);
    const double h = Height(layout.get());
    y += SpaceBefore(lines[i], sizes, y == kMargin);
    if (y + h > kPageHeight - kMargin && y > kMargin) {
      cairo_show_page(cr);
      y = kMargin;
    }
    cairo_move_to(cr, kMargin, y);
    pango_cairo_show_layout(cr, layout.get());
    y += h;
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    ThrowIo(title + ": cannot make the PDF: " + cairo_status_to_string(status));
  }
  return pdf;
}

}  // namespace

std::vector<PosterLine> PosterText(const Config& config, const Plan& plan,
                                   const Quarter& q, const Area& forum) {
  using S = PosterLine::Style;
  if (config.contact.empty()) {
    ThrowInvalid(config.source +
                 ": organisation.contact is not set: a poster must say whom "
                 "to ring (see docs/configuration.md#organisation)");
  }
  std::vector<PosterLine> lines;
  lines.push_back({S::kSeries, config.series_name});
  lines.push_back({S::kTitle, internal::WithForum(forum.name)});
  lines.push_back({S::kBody,
                   "Come and tell the Trust what matters to you. Everyone is "
                   "welcome: service users, carers, family and friends. You "
                   "do not need to book."});
  bool in_person = false;
  for (int k = 1; k <= 2; ++k) {
    for (const Event* e : RoundEvents(plan, q, k, forum.slug)) {
      AddForum(config, *e, lines);
      in_person = in_person || e->format == Format::kInPerson;
    }
  }
  if (in_person && !config.travel_note.empty()) {
    lines.push_back({S::kHeading, "Travel"});
    lines.push_back({S::kBody, config.travel_note});
  }
  lines.push_back({S::kHeading, "Questions?"});
  lines.push_back({S::kBody, "Ring " + config.contact + "."});
  return lines;
}

std::map<std::string, std::string> RenderPosters(const Config& config,
                                                 const Plan& plan,
                                                 const Quarter& q,
                                                 std::time_t created) {
  std::map<std::string, std::string> files;
  for (const Area* forum : config.Forums()) {
    const std::vector<PosterLine> lines = PosterText(config, plan, q, *forum);
    files["poster-" + forum->slug + ".pdf"] = RenderPdf(
        lines, config.series_name + ": " + internal::WithForum(forum->name),
        created);
  }
  return files;
}

}  // namespace focus
