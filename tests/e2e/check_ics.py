#!/usr/bin/python3
"""Independent validator for the .ics files `focus plan` writes.

Usage:
    /usr/bin/python3 tests/e2e/check_ics.py FILE...

For each FILE it checks the raw text (CRLF line endings only, no line over
75 octets, folds that unfold cleanly and do not split a UTF-8 character,
BEGIN/END properly nested), then parses it with python3-icalendar (Debian's
4.0.3, not libical, so it is a second opinion on the engine's output) and
checks: VERSION 2.0 and PRODID; every VEVENT has UID, DTSTAMP (UTC), DTSTART
and SUMMARY; UIDs are unique within the file; every TZID= parameter names a
VTIMEZONE in the file; DTEND (or DURATION) is after DTSTART and has the same
value type.

Prints "ok FILE (N events)" per file. On the first problem prints
"check_ics: FILE: what is wrong" to stderr and exits 1 (2 for bad usage).

The end-to-end test runs it on the calendars `focus plan` writes. To try it
by hand on the unit test's sample calendar:
    FOCUS_ICS_SAMPLE=/tmp/sample.ics build/tests/ical_export_test \
        --gtest_filter='*Sample*'
    /usr/bin/python3 tests/e2e/check_ics.py /tmp/sample.ics
"""

import datetime
import sys

import icalendar
from icalendar.parser import Contentline


class Problem(Exception):
    pass


def physical_lines(data):
    """The lines of `data` without their CRLFs; rejects any other EOL."""
    if not data:
        raise Problem("file is empty")
    if not data.endswith(b"\r\n"):
        raise Problem("last line does not end with CRLF")
    lines = data[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            raise Problem("line %d: bare LF or CR (lines must end with CRLF)"
                          % number)
        if len(line) > 75:
            raise Problem("line %d: %d octets (more than 75): %r"
                          % (number, len(line), line[:40]))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem("line %d: not valid UTF-8 on its own (a fold split "
                          "a multi-byte character?)" % number)
    return lines


def unfold(lines):
    """RFC 5545 3.1: CRLF followed by one space or tab is removed."""
    out = []
    for number, line in enumerate(lines, 1):
        if line[:1] in (b" ", b"\t"):
            if not out:
                raise Problem("line 1: starts with a fold")
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif not line:
            raise Problem("line %d: empty line" % number)
        else:
            out.append((number, line))
    return [(n, l.decode("utf-8")) for n, l in out]


def check_content_lines(content):
    """Each content line parses; BEGIN/END nest; returns TZID params used."""
    stack = []
    tzids_used = []
    for number, line in content:
        try:
            name, params, value = Contentline(line).parts()
        except ValueError as e:
            raise Problem("line %d: malformed content line %r: %s"
                          % (number, line[:40], e))
        name = name.upper()
        if name == "BEGIN":
            stack.append(value.upper())
        elif name == "END":
            if not stack or stack[-1] != value.upper():
                raise Problem("line %d: END:%s does not match BEGIN:%s"
                              % (number, value,
                                 stack[-1] if stack else "(none)"))
            stack.pop()
            if not stack and number != content[-1][0]:
                raise Problem("line %d: content after END:VCALENDAR" % number)
        elif not stack:
            raise Problem("line %d: %s outside any component" % (number, name))
        if "TZID" in params and name != "TZID":
            tzids_used.append((number, name, params["TZID"]))
    if not content or content[0][1] != "BEGIN:VCALENDAR":
        raise Problem("does not start with BEGIN:VCALENDAR")
    if stack:
        raise Problem("BEGIN:%s is never closed" % stack[-1])
    return tzids_used


def value_type(v):
    return "DATE-TIME" if isinstance(v, datetime.datetime) else "DATE"


def check_times(uid, event):
    start_prop = event["DTSTART"]
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        end_prop = event["DTEND"]
        end = event.decoded("DTEND")
        if value_type(start) != value_type(end):
            raise Problem("VEVENT %s: DTSTART is a %s but DTEND is a %s"
                          % (uid, value_type(start), value_type(end)))
        if (isinstance(start, datetime.datetime) and
                start_prop.params.get("TZID") == end_prop.params.get("TZID")):
            # Same zone: compare wall clocks, independent of pytz's rules.
            start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
        try:
            after = end > start
        except TypeError as e:
            raise Problem("VEVENT %s: cannot compare DTSTART and DTEND: %s"
                          % (uid, e))
        if not after:
            raise Problem("VEVENT %s: DTEND %s is not after DTSTART %s"
                          % (uid, end, start))
    elif "DURATION" in event:
        if event.decoded("DURATION") <= datetime.timedelta(0):
            raise Problem("VEVENT %s: DURATION is not positive" % uid)
    else:
        raise Problem("VEVENT %s: no DTEND or DURATION" % uid)


def check_calendar(data):
    """Returns the number of VEVENTs; raises Problem on the first error."""
    content = unfold(physical_lines(data))
    tzids_used = check_content_lines(content)

    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError and others.
        raise Problem("icalendar cannot parse it: %s" % e)
    if cal.name != "VCALENDAR":
        raise Problem("top-level component is %s, not VCALENDAR" % cal.name)
    for component in cal.walk():
        if component.errors:
            raise Problem("%s: icalendar reports %s"
                          % (component.name, component.errors))
    if str(cal.get("VERSION", "")) != "2.0":
        raise Problem("VERSION is %r, not 2.0" % str(cal.get("VERSION", "")))
    if not str(cal.get("PRODID", "")).strip():
        raise Problem("no PRODID")

    timezones = [str(tz.get("TZID", "")) for tz in cal.walk("VTIMEZONE")]
    if len(set(timezones)) != len(timezones) or "" in timezones:
        raise Problem("VTIMEZONE TZIDs missing or repeated: %s" % timezones)
    for number, name, tzid in tzids_used:
        if tzid not in timezones:
            raise Problem("line %d: %s uses TZID=%s but the file has no such "
                          "VTIMEZONE (has: %s)"
                          % (number, name, tzid, ", ".join(timezones) or
                             "none"))

    uids = set()
    events = cal.walk("VEVENT")
    for index, event in enumerate(events, 1):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            raise Problem("VEVENT #%d has no UID" % index)
        for required in ("DTSTAMP", "DTSTART", "SUMMARY"):
            if required not in event:
                raise Problem("VEVENT %s has no %s" % (uid, required))
        if uid in uids:
            raise Problem("UID %s is used twice" % uid)
        uids.add(uid)
        stamp = event.decoded("DTSTAMP")
        if (not isinstance(stamp, datetime.datetime) or stamp.tzinfo is None
                or stamp.utcoffset() != datetime.timedelta(0)):
            raise Problem("VEVENT %s: DTSTAMP %s is not in UTC" % (uid, stamp))
        check_times(uid, event)
    return len(events)


def main(argv):
    if len(argv) < 2 or any(a in ("-h", "--help") for a in argv[1:]):
        sys.stderr.write("usage: check_ics.py FILE...\n")
        return 2
    for path in argv[1:]:
        try:
            with open(path, "rb") as f:
                data = f.read()
            count = check_calendar(data)
        except OSError as e:
            sys.stderr.write("check_ics: %s: cannot read: %s\n" % (path, e))
            return 1
        except Problem as e:
            sys.stderr.write("check_ics: %s: %s\n" % (path, e))
            return 1
        print("ok %s (%d events)" % (path, count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
