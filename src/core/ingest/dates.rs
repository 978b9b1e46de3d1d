//! Date parsing for every place a publication date can hide: metadata values (ISO 8601, RFC 2822
//! and its obsolete Usenet/e-mail forms, Unix timestamps, written-out dates), file names, and the
//! top of the text.
//!
//! Everything returns UTC. A value without a time of day is midnight UTC of that day; a value with
//! an offset or a named zone is converted, so bucketing always uses the UTC day. Callers that want
//! the writer's own calendar day (diagnostics, the HTML evaluation) use
//! [`parse_date_keep_offset`]. Implausible calendar values are rejected here so callers can fall
//! through to the next source; whether a date is too old or in the future is [`plausible`]'s job.
//!
//! Deliberately no regexes and no allocation-heavy parsing: one small tokenizer feeds a handful of
//! fixed patterns, so a value costs a single linear pass. Nothing here guesses a year from a
//! day and month alone.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Values longer than this are prose, not a date field; they are not parsed as metadata.
const MAX_VALUE_LEN: usize = 200;

/// How much of a text [`date_from_text`] looks at: a date further down is usually about something
/// the article reports on, not when it was written.
pub const TEXT_HEAD_CHARS: usize = 600;

/// Rejects dates before 1900 or more than a day after `now`.
pub fn plausible(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    PlausibleDates::until(now).contain(at)
}

/// The bounds of [`plausible`] for one `now`, worked out once: an import checks a date or more
/// per article.
#[derive(Clone, Copy, Debug)]
pub struct PlausibleDates {
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
}

impl PlausibleDates {
    pub fn until(now: DateTime<Utc>) -> Self {
        let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).map_or(DateTime::<Utc>::MIN_UTC, midnight);
        Self { earliest, latest: now + Duration::days(1) }
    }

    pub fn contain(&self, at: DateTime<Utc>) -> bool {
        (self.earliest..=self.latest).contains(&at)
    }

    /// For a date rejected as lying too far in the future: the moment it becomes plausible.
    pub fn accepts_from(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (at > self.latest).then(|| at - Duration::days(1))
    }
}

/// Parses one metadata value: ISO 8601 / RFC 3339 (with or without `T`, offset, `Z` or fractional
/// seconds), a bare date, RFC 2822 including the obsolete forms of old mail and Usenet headers
/// (`26 Apr 93 00:13:14 GMT`, named zones, trailing comments), Unix seconds or milliseconds, and
/// written-out dates ("December 19, 2024", "19 Dec 2024 10:00", "Dec. 19, 2024").
pub fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    parse_date_keep_offset(value).map(|d| d.with_timezone(&Utc))
}

/// [`parse_date`], but keeping the offset the value was written with (UTC when it names none), so
/// the writer's calendar day stays visible.
pub fn parse_date_keep_offset(value: &str) -> Option<DateTime<FixedOffset>> {
    let bare = |c: Option<&u8>| c.is_some_and(u8::is_ascii_alphanumeric);
    let s = if bare(value.as_bytes().first()) && bare(value.as_bytes().last()) {
        // Nothing to trim, as in almost every metadata value: the trims below walk chars.
        value
    } else {
        value.trim().trim_matches(|c| c == '"' || c == '\'').trim()
    };
    if s.is_empty() || s.len() > MAX_VALUE_LEN {
        return None;
    }
    if let Some(dt) = parse_common_iso(s.as_bytes()) {
        return Some(dt);
    }
    // Numbers are digits with at most one dot; most values fail this at their fifth byte.
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Some(dt) = parse_number(s)
    {
        return Some(dt);
    }
    if let Some(dt) = parse_iso(s.as_bytes()) {
        return Some(dt);
    }
    let tokens = tokenize(s);
    let found = find_date(&tokens, Mode::Value)?;
    found.to_datetime()
}

/// Midnight UTC at the start of `day`.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

/// A date written in a file or folder name: `2024-12-19`, `2024_12_19`, `2024.12.19`, `20241219`
/// (also `2024/12/19` across folders), not glued to further digits, and a real calendar day.
pub fn date_from_filename(name: &str) -> Option<DateTime<Utc>> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let num = |from: usize, len: usize| -> Option<u32> { name.get(from..from + len)?.parse().ok() };
    for start in 0..b.len() {
        if !digit(start) || (start > 0 && digit(start - 1)) {
            continue;
        }
        if !(0..4).all(|k| digit(start + k)) {
            continue;
        }
        // YYYY?MM?DD with the same separator twice.
        let sep = b.get(start + 4).copied();
        if matches!(sep, Some(b'-' | b'_' | b'.' | b'/' | b'\\'))
            && digit(start + 5)
            && digit(start + 6)
            && b.get(start + 7).copied() == sep
            && digit(start + 8)
            && digit(start + 9)
            && !digit(start + 10)
            && let Some(d) = ymd(num(start, 4)?, num(start + 5, 2)?, num(start + 8, 2)?)
        {
            return Some(midnight(d));
        }
        // YYYYMMDD
        if (4..8).all(|k| digit(start + k))
            && !digit(start + 8)
            && let Some(d) = ymd(num(start, 4)?, num(start + 4, 2)?, num(start + 6, 2)?)
        {
            return Some(midnight(d));
        }
    }
    None
}

/// The first full date near the top of a text (a dateline or a date line), e.g.
/// "December 19, 2024", "19 Dec 2024", "Dec. 19, 2024", "Thursday, 19 December 2024",
/// "2024-12-19", "19.12.2024", and German, French, Spanish, Italian, Portuguese, Dutch, Polish and
/// Russian month names ("19. Dezember 2024", "19 décembre 2024", "19 декабря 2024").
/// Only the first [`TEXT_HEAD_CHARS`] characters are read. The result is midnight UTC of the day
/// written: a dateline's time of day rarely names its zone.
pub fn date_from_text(text: &str) -> Option<DateTime<Utc>> {
    let head = match text.char_indices().nth(TEXT_HEAD_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    first_full_date(head).map(midnight)
}

/// The first full calendar date (day, month and year) anywhere in `text`, with no length limit:
/// callers bound the text themselves.
pub fn first_full_date(text: &str) -> Option<NaiveDate> {
    find_date(&tokenize(text), Mode::Text).map(|f| f.date)
}

/// Up to `max` full calendar dates written in `text`, in order, for callers that still have to
/// check each one (plausibility, distance from a headline). Callers bound the text.
pub fn full_dates(text: &str, max: usize) -> Vec<NaiveDate> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() && out.len() < max {
        match date_at(&tokens, i, Mode::Text) {
            Some((date, end)) => {
                out.push(date);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Numbers and ISO 8601

/// A value made only of digits: `YYYYMMDD`, Unix seconds (9–10 digits, optional fraction) or
/// milliseconds (12–13 digits).
fn parse_number(s: &str) -> Option<DateTime<FixedOffset>> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let utc = |dt: DateTime<Utc>| dt.fixed_offset();
    match (int.len(), frac) {
        (8, None) => {
            let n = |r: std::ops::Range<usize>| int.get(r)?.parse::<u32>().ok();
            let day = ymd(n(0..4)?, n(4..6)?, n(6..8)?)?;
            Some(utc(midnight(day)))
        }
        (9..=10, _) => Utc.timestamp_opt(int.parse().ok()?, 0).single().map(utc),
        (12..=13, None) => Utc.timestamp_millis_opt(int.parse().ok()?).single().map(utc),
        _ => None,
    }
}

/// The commonest metadata shape, `YYYY-MM-DD[T ]HH:MM:SS` then `Z` or `±HH:MM`, read with fixed
/// offsets instead of [`parse_iso`]'s general walk (every record of a feed export has one). It
/// gives what `parse_iso` gives, and `None` for anything else, even odd values of that shape,
/// which `parse_iso` then reads.
fn parse_common_iso(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    // A fixed-size head: the offsets below need no bounds checks.
    let head: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    let two = |pair: [u8; 2]| {
        let (tens, ones) = (pair[0].wrapping_sub(b'0'), pair[1].wrapping_sub(b'0'));
        (tens < 10 && ones < 10).then(|| u32::from(tens * 10 + ones))
    };
    let at = |i: usize| [head[i], head[i + 1]];
    if head[4] != b'-' || head[7] != b'-' || !matches!(head[10], b'T' | b' ') || head[13] != b':' || head[16] != b':' {
        return None;
    }
    let offset_secs = match b[19..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (two([h1, h2])?, two([m1, m2])?);
            if h > 14 || m >= 60 {
                return None;
            }
            let secs = i32::try_from(h * 3600 + m * 60).ok()?;
            if sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let date = ymd(two(at(0))? * 100 + two(at(2))?, two(at(5))?, two(at(8))?)?;
    // A leap second (`:60`) is clamped, as `iso_time` does.
    let time = NaiveTime::from_hms_opt(two(at(11))?, two(at(14))?, two(at(17))?.min(59))?;
    with_offset(date.and_time(time), offset_secs)
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or `YYYYMMDD`, optionally followed by `T` or spaces and
/// a time (`HH:MM[:SS[.fff]]` or compact `HHMMSS`) and a zone (`Z`, `±HH:MM`, `±HHMM`, `±HH`, or a
/// named zone such as `UTC`, `GMT`, `EST`). A time that does not parse leaves the bare date.
fn parse_iso(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    let mut i = 0;
    let year = digits(b, &mut i, 4, 4)?;
    let (month, day) = match b.get(i) {
        Some(&sep @ (b'-' | b'/' | b'.')) => {
            i += 1;
            let m = digits(b, &mut i, 1, 2)?;
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
            let d = digits(b, &mut i, 1, 2)?;
            (m, d)
        }
        Some(b'0'..=b'9') => {
            let m = digits(b, &mut i, 2, 2)?;
            let d = digits(b, &mut i, 2, 2)?;
            // Compact dates need a clear end or a `T`, or they are just a long number.
            if !matches!(b.get(i), None | Some(b'T' | b't' | b' ')) {
                return None;
            }
            (m, d)
        }
        _ => return None,
    };
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let date = ymd(year, month, day)?;
    let date_only = || Some(midnight(date).fixed_offset());

    // Time of day.
    let mut j = i;
    match b.get(j) {
        Some(b'T' | b't') => j += 1,
        Some(b' ') => {
            while b.get(j) == Some(&b' ') {
                j += 1;
            }
        }
        None => return date_only(),
        // `2023.11.02. 오후 8:06` and the like: the tokenizer reads the rest.
        Some(_) => return None,
    }
    let Some(time) = iso_time(b, &mut j) else {
        return date_only();
    };
    let naive = date.and_time(time);
    // Zone.
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    let offset_secs = match b.get(j) {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(b'+' | b'-') => numeric_offset(b, &mut j).unwrap_or(0),
        Some(c) if c.is_ascii_alphabetic() => {
            let start = j;
            while b.get(j).is_some_and(u8::is_ascii_alphabetic) {
                j += 1;
            }
            let word = std::str::from_utf8(&b[start..j]).unwrap_or("");
            let base = zone_offset(word).unwrap_or(0);
            // `GMT+02:00`, `UTC-5`
            if matches!(b.get(j), Some(b'+' | b'-')) && base == 0 {
                numeric_offset(b, &mut j).unwrap_or(0)
            } else {
                base
            }
        }
        _ => 0,
    };
    with_offset(naive, offset_secs)
}

fn iso_time(b: &[u8], j: &mut usize) -> Option<NaiveTime> {
    let h = digits(b, j, 2, 2)?;
    let (m, s) = if b.get(*j) == Some(&b':') {
        *j += 1;
        let m = digits(b, j, 2, 2)?;
        let s = if b.get(*j) == Some(&b':') {
            *j += 1;
            digits(b, j, 2, 2)?
        } else {
            0
        };
        (m, s)
    } else {
        let m = digits(b, j, 2, 2)?;
        let s = digits(b, j, 2, 2).unwrap_or(0);
        (m, s)
    };
    // Fractional seconds carry nothing a day bucket needs.
    if matches!(b.get(*j), Some(b'.' | b',')) {
        *j += 1;
        while b.get(*j).is_some_and(u8::is_ascii_digit) {
            *j += 1;
        }
    }
    // A leap second (`:60`) is clamped rather than rejected.
    NaiveTime::from_hms_opt(h, m, s.min(59))
}

/// `+HH:MM`, `+HHMM`, `+HH` or `+H` at `b[*j]` (which is `+` or `-`), in seconds east of UTC.
fn numeric_offset(b: &[u8], j: &mut usize) -> Option<i32> {
    let sign = match b.get(*j)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    *j += 1;
    let start = *j;
    while b.get(*j).is_some_and(u8::is_ascii_digit) {
        *j += 1;
    }
    let run = &b[start..*j];
    // Digits only (checked above), at most four: no overflow.
    let num = |r: &[u8]| -> Option<i32> { Some(r.iter().fold(0, |n, d| n * 10 + i32::from(d - b'0'))) };
    let (h, m) = match run.len() {
        1 | 2 => {
            let h = num(run)?;
            let m = if b.get(*j) == Some(&b':') && b.get(*j + 1).is_some_and(u8::is_ascii_digit) {
                *j += 1;
                digits(b, j, 2, 2).and_then(|m| i32::try_from(m).ok())?
            } else {
                0
            };
            (h, m)
        }
        3 => (num(&run[..1])?, num(&run[1..])?),
        4 => (num(&run[..2])?, num(&run[2..])?),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Reads `min..=max` ASCII digits at `b[*i]`, advancing `i`.
fn digits(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *i;
    let mut value = 0u32;
    while *i - start < max {
        match b.get(*i) {
            Some(&c) if c.is_ascii_digit() => {
                value = value * 10 + u32::from(c - b'0');
                *i += 1;
            }
            _ => break,
        }
    }
    (*i - start >= min).then_some(value)
}

fn with_offset(naive: NaiveDateTime, offset_secs: i32) -> Option<DateTime<FixedOffset>> {
    FixedOffset::east_opt(offset_secs)?.from_local_datetime(&naive).single()
}

/// A real calendar day with a year in 1900–2100.
fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

// ---------------------------------------------------------------------------------------------
// Tokens for written-out and mail-style dates

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok<'a> {
    /// A run of digits; `sep` is the separator byte right after it (`.`, `/`, `-`), or 0.
    Num {
        value: u32,
        len: u8,
        sep: u8,
    },
    /// A run of letters, trailing dots removed.
    Word(&'a str),
    Time {
        h: u32,
        m: u32,
        s: u32,
    },
    /// Seconds east of UTC, from `+0300`, `-04:00`, `GMT+2`.
    Offset(i32),
    /// Punctuation that ends a phrase (`|`, `;`, a bracket): dates never span it.
    Break,
}

/// Splits a string into the tokens above in one pass. Digit runs longer than 9 are kept as a
/// single number token that no pattern accepts.
fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let b = s.as_bytes();
    let mut out: Vec<Tok<'_>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - start;
            let value: u32 = if len <= 9 { s[start..i].parse().unwrap_or(0) } else { 0 };
            // Time of day: `10:00`, `10:00:05`, French `14h30`.
            if len <= 2 && (b.get(i) == Some(&b':') || is_french_hour(b, i)) {
                let mut j = i + 1;
                if let Some(m) = digits(b, &mut j, 2, 2) {
                    let s_val = if b.get(j) == Some(&b':') {
                        let mut k = j + 1;
                        let sec = digits(b, &mut k, 2, 2);
                        if sec.is_some() {
                            j = k;
                        }
                        sec.unwrap_or(0)
                    } else {
                        0
                    };
                    if matches!(b.get(j), Some(b'.' | b',')) && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                        while j < b.len() && b[j].is_ascii_digit() {
                            j += 1;
                        }
                    }
                    out.push(Tok::Time { h: value, m, s: s_val });
                    i = j;
                    continue;
                }
            }
            // Ordinal suffixes stay with their number: 2nd, 19th, 1er, 1º.
            let mut j = i;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            if j > i && is_ordinal_suffix(&s[i..j]) {
                i = j;
            } else if s[i..].starts_with('º') || s[i..].starts_with('ª') {
                i += 'º'.len_utf8();
            }
            let sep = match b.get(i) {
                Some(&c @ (b'.' | b'/' | b'-')) => c,
                // CJK and Korean `2023年11月2日`, `2023년 11월 2일` read like `2023-11-2`.
                _ if s[i..].starts_with(['年', '月', '년', '월']) => b'-',
                _ => 0,
            };
            out.push(Tok::Num { value, len: u8::try_from(len).unwrap_or(u8::MAX), sep });
            continue;
        }
        if (c == b'+' || c == b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let after_time_or_zone = match out.last() {
                Some(Tok::Time { .. }) => true,
                Some(Tok::Word(w)) => matches!(zone_offset(w), Some(0)),
                _ => false,
            };
            if after_time_or_zone {
                let mut j = i;
                if let Some(off) = numeric_offset(b, &mut j) {
                    out.push(Tok::Offset(off));
                    i = j;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        let Some(ch) = s[i..].chars().next() else {
            break;
        };
        if matches!(ch, '年' | '月' | '日' | '号' | '년' | '월' | '일') {
            i += ch.len_utf8();
            continue;
        }
        if ch.is_alphabetic() {
            let start = i;
            let mut end = i;
            for (k, ch) in s[start..].char_indices() {
                // `a.m.` keeps its inner dot; a trailing dot is dropped below.
                if ch.is_alphabetic() || (ch == '.' && s[start + k + 1..].starts_with(char::is_alphabetic)) {
                    end = start + k + ch.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Tok::Word(&s[start..end]));
            i = end;
            continue;
        }
        if matches!(ch, '|' | ';' | '[' | ']' | '{' | '}' | '<' | '>' | '•' | '·' | '\n')
            && out.last() != Some(&Tok::Break)
        {
            out.push(Tok::Break);
        }
        i += ch.len_utf8();
    }
    out
}

fn is_french_hour(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), Some(b'h' | b'H'))
        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
        && b.get(i + 2).is_some_and(u8::is_ascii_digit)
        && !b.get(i + 3).is_some_and(u8::is_ascii_alphanumeric)
}

fn is_ordinal_suffix(s: &str) -> bool {
    matches!(s.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th" | "er" | "re" | "e" | "eme" | "o" | "a")
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// A whole metadata value: two-digit years (old mail) and a time between day and year
    /// (`asctime`) are accepted, and the time of day and zone are read.
    Value,
    /// Running text: only a complete, adjacent day–month–year counts.
    Text,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: i32,
}

impl Found {
    fn to_datetime(self) -> Option<DateTime<FixedOffset>> {
        with_offset(self.date.and_time(self.time.unwrap_or(NaiveTime::MIN)), self.offset)
    }
}

/// The first date pattern in the tokens, plus (in [`Mode::Value`]) the time and zone around it.
fn find_date(tokens: &[Tok<'_>], mode: Mode) -> Option<Found> {
    let (date, end) = (0..tokens.len()).find_map(|i| date_at(tokens, i, mode))?;
    if mode == Mode::Text {
        return Some(Found { date, time: None, offset: 0 });
    }
    // Time of day: the first one after the date, else the one before it (`10:00, 19 Dec 2024`).
    let time_at = tokens[end..]
        .iter()
        .position(|t| matches!(t, Tok::Time { .. }))
        .map(|p| p + end)
        .or_else(|| tokens.iter().position(|t| matches!(t, Tok::Time { .. })));
    let Some(ti) = time_at else {
        return Some(Found { date, time: None, offset: 0 });
    };
    let Tok::Time { mut h, m, s } = tokens[ti] else {
        return Some(Found { date, time: None, offset: 0 });
    };
    // Korean writes the half of the day before the time: `오후 8:06`.
    if ti > 0 && tokens[ti - 1] == Tok::Word("오후") && h < 12 {
        h += 12;
    }
    let mut offset = 0;
    let mut zone_seen = false;
    for tok in tokens[ti + 1..].iter().take(4) {
        match *tok {
            Tok::Word(w) => {
                let lw = w.to_lowercase();
                match lw.as_str() {
                    "pm" | "p.m" | "nachm" | "오후" if h < 12 => h += 12,
                    "am" | "a.m" | "vorm" | "오전" if h == 12 => h = 0,
                    _ => {
                        if !zone_seen && let Some(z) = zone_offset(&lw) {
                            offset = z;
                            zone_seen = true;
                        }
                    }
                }
            }
            Tok::Offset(o) => {
                // An explicit offset wins over the name before it (`EDT(-0400)`, `GMT+2`).
                offset = o;
                break;
            }
            Tok::Num { .. } | Tok::Time { .. } | Tok::Break => break,
        }
    }
    let time = NaiveTime::from_hms_opt(h, m, s.min(59));
    Some(Found { date, time, offset: if time.is_some() { offset } else { 0 } })
}

/// A date starting at token `i`; returns it and the index just past it.
fn date_at(t: &[Tok<'_>], i: usize, mode: Mode) -> Option<(NaiveDate, usize)> {
    match t.get(i)? {
        Tok::Num { value, len, sep } => {
            let (value, len, sep) = (*value, *len, *sep);
            // Numeric: Y-M-D, D.M.Y, M/D/Y …
            if let Some(found) = numeric_date(t, i) {
                return Some(found);
            }
            // D [de|of] Month [de] Y
            if len <= 2 {
                let mut j = i + 1;
                j = skip_filler(t, j);
                let month = word_month(t.get(j))?;
                j = skip_filler(t, j + 1);
                let (year, end) = year_at(t, j, mode)?;
                return ymd(year, month, value).map(|d| (d, end));
            }
            // Y Month D (`2023 Nov 02`, rare but unambiguous)
            if len == 4 && sep == 0 {
                let month = word_month(t.get(i + 1))?;
                if let Some(Tok::Num { value: d, len: 1..=2, .. }) = t.get(i + 2) {
                    return ymd(value, month, *d).map(|date| (date, i + 3));
                }
            }
            None
        }
        Tok::Word(_) => {
            let month = word_month(t.get(i))?;
            // Month D[,] Y   (also asctime `Nov  2 13:43:27 2023` for values)
            let Some(Tok::Num { value: d, len: 1..=2, .. }) = t.get(i + 1) else {
                return None;
            };
            let mut j = i + 2;
            if mode == Mode::Value && matches!(t.get(j), Some(Tok::Time { .. })) {
                j += 1;
            }
            let (year, end) = year_at(t, j, mode)?;
            ymd(year, month, *d).map(|date| (date, end))
        }
        _ => None,
    }
}

/// Three numbers joined by the same separator.
fn numeric_date(t: &[Tok<'_>], i: usize) -> Option<(NaiveDate, usize)> {
    let Some(&Tok::Num { value: a, len: la, sep: s1 }) = t.get(i) else {
        return None;
    };
    let Some(&Tok::Num { value: b, len: lb, sep: s2 }) = t.get(i + 1) else {
        return None;
    };
    let Some(&Tok::Num { value: c, len: lc, .. }) = t.get(i + 2) else {
        return None;
    };
    if s1 == 0 || s1 != s2 || lb > 2 {
        return None;
    }
    let date = if la == 4 && lc <= 2 {
        ymd(a, b, c)
    } else if la <= 2 && lc == 4 {
        let day_first = match s1 {
            // Ambiguous `03/04/2024` is read the US way; a day above 12 settles it either way.
            b'/' => a > 12,
            _ => b <= 12,
        };
        if day_first { ymd(c, b, a) } else { ymd(c, a, b) }
    } else {
        None
    }?;
    Some((date, i + 3))
}

/// Skips "de", "del", "of", "the" between day, month and year ("19 de diciembre de 2024").
fn skip_filler(t: &[Tok<'_>], mut j: usize) -> usize {
    while let Some(Tok::Word(w)) = t.get(j) {
        if matches!(w.to_ascii_lowercase().as_str(), "de" | "del" | "of" | "the") {
            j += 1;
        } else {
            break;
        }
    }
    j
}

fn word_month(tok: Option<&Tok<'_>>) -> Option<u32> {
    match tok? {
        Tok::Word(w) => month_number(w),
        _ => None,
    }
}

/// A year at `t[j]`: four digits, or two digits in [`Mode::Value`] (RFC 5322: 00–49 → 20xx,
/// 50–99 → 19xx).
fn year_at(t: &[Tok<'_>], j: usize, mode: Mode) -> Option<(u32, usize)> {
    match t.get(j)? {
        Tok::Num { value, len: 4, .. } => Some((*value, j + 1)),
        Tok::Num { value, len: 2, .. } if mode == Mode::Value => {
            Some((if *value < 50 { 2000 + value } else { 1900 + value }, j + 1))
        }
        _ => None,
    }
}

/// Month names and abbreviations in English, German, French, Spanish, Italian, Portuguese, Dutch,
/// the Scandinavian languages, Indonesian, Polish, Russian and Ukrainian (genitive forms as used
/// in dates, plus nominatives).
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 || w.len() > 24 {
        return None;
    }
    let lower = w.to_lowercase();
    let m = match lower.as_str() {
        "jan" | "january" | "januar" | "jänner" | "jän" | "janvier" | "janv" | "enero" | "ene" | "gennaio" | "gen"
        | "janeiro" | "januari" | "stycznia" | "styczeń" | "января" | "январь" | "янв" | "січня" | "ocak"
        | "tammikuuta" => 1,
        "feb" | "february" | "februar" | "février" | "fevrier" | "févr" | "fevr" | "febrero" | "febbraio"
        | "fevereiro" | "fev" | "februari" | "lutego" | "luty" | "февраля" | "февраль" | "фев" | "лютого" | "şubat"
        | "helmikuuta" => 2,
        "mar" | "march" | "märz" | "maerz" | "mär" | "mars" | "marzo" | "março" | "marco" | "maart" | "maret"
        | "marts" | "marca" | "marzec" | "марта" | "март" | "мар" | "березня" | "mart" | "maaliskuuta" => {
            3
        }
        "apr" | "april" | "avril" | "avr" | "abril" | "abr" | "aprile" | "kwietnia" | "kwiecień" | "апреля"
        | "апрель" | "апр" | "квітня" | "nisan" | "huhtikuuta" => 4,
        "may" | "mai" | "mayo" | "maggio" | "maio" | "mei" | "maj" | "maja" | "мая" | "май" | "травня" | "mayıs"
        | "toukokuuta" => 5,
        "jun" | "june" | "juni" | "juin" | "junio" | "giugno" | "junho" | "czerwca" | "czerwiec" | "июня" | "июнь"
        | "июн" | "червня" | "haziran" | "kesäkuuta" => 6,
        "jul" | "july" | "juli" | "juillet" | "juil" | "julio" | "luglio" | "julho" | "lipca" | "lipiec" | "июля"
        | "июль" | "июл" | "липня" | "temmuz" | "heinäkuuta" => 7,
        "aug" | "august" | "août" | "aout" | "agosto" | "ago" | "augustus" | "agustus" | "augusti" | "sierpnia"
        | "sierpień" | "августа" | "август" | "авг" | "серпня" | "ağustos" | "elokuuta" => 8,
        "sep" | "sept" | "september" | "septembre" | "septiembre" | "setiembre" | "set" | "settembre" | "setembro"
        | "września" | "wrzesień" | "сентября" | "сентябрь" | "сен" | "вересня" | "eylül" | "syyskuuta" => {
            9
        }
        "oct" | "october" | "oktober" | "okt" | "octobre" | "octubre" | "ottobre" | "ott" | "outubro" | "out"
        | "października" | "październik" | "октября" | "октябрь" | "окт" | "жовтня" | "ekim" | "lokakuuta" => {
            10
        }
        "nov" | "november" | "novembre" | "noviembre" | "novembro" | "listopada" | "listopad" | "ноября" | "ноябрь"
        | "ноя" | "листопада" | "kasım" | "marraskuuta" => 11,
        "dec" | "december" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre" | "dic"
        | "dicembre" | "dezembro" | "desember" | "grudnia" | "grudzień" | "декабря" | "декабрь" | "дек" | "грудня"
        | "aralık" | "joulukuuta" => 12,
        _ => return None,
    };
    Some(m)
}

/// Offsets of the zone names seen in mail headers and news pages, in seconds east of UTC.
/// Military single letters and unknown names are not zones here (RFC 5322 says to read them as
/// UTC, which is what a caller gets when this returns `None`).
fn zone_offset(word: &str) -> Option<i32> {
    let h = |x: i32| x * 3600;
    let lower = word.to_ascii_lowercase();
    let off = match lower.as_str() {
        "ut" | "utc" | "gmt" | "z" | "wet" | "wez" => 0,
        "est" => h(-5),
        "edt" => h(-4),
        "cst" => h(-6),
        "cdt" => h(-5),
        "mst" => h(-7),
        "mdt" => h(-6),
        "pst" => h(-8),
        "pdt" => h(-7),
        "akst" => h(-9),
        "akdt" => h(-8),
        "hst" => h(-10),
        "ast" => h(-4),
        "adt" => h(-3),
        "nst" => -(3 * 3600 + 1800),
        "ndt" => -(2 * 3600 + 1800),
        "bst" | "cet" | "met" | "mez" | "west" | "wat" => h(1),
        "cest" | "mest" | "mesz" | "eet" | "sast" | "cat" => h(2),
        "eest" | "msk" | "idt" | "eat" => h(3),
        "ist" => 5 * 3600 + 1800,
        "wib" | "ict" => h(7),
        "hkt" | "sgt" | "awst" | "pht" | "wita" => h(8),
        "jst" | "kst" | "wit" => h(9),
        "acst" => 9 * 3600 + 1800,
        "aest" => h(10),
        "acdt" => 10 * 3600 + 1800,
        "aedt" => h(11),
        "nzst" => h(12),
        "nzdt" => h(13),
        _ => return None,
    };
    Some(off)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// The fixed-offset reader agrees with the general one wherever it reads a value.
        #[test]
        fn common_iso_reads_as_parse_iso(
            value in "(19|20|21|00)[0-9]{2}-[0-1][0-9]-[0-3][0-9][T t][0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|z|[+-][0-1][0-9]:[0-6][0-9]|[+-][0-9]{4}|)"
        ) {
            let common = super::parse_common_iso(value.as_bytes());
            if common.is_some() {
                proptest::prop_assert_eq!(common, super::parse_iso(value.as_bytes()), "{}", value);
            }
        }
    }

    use super::*;

    fn day_of(dt: Option<DateTime<Utc>>) -> Option<String> {
        dt.map(|d| d.format("%Y-%m-%d").to_string())
    }

    fn utc(value: &str) -> String {
        parse_date(value).map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
    }

    #[test]
    fn iso_values() {
        assert_eq!(utc("2024-12-19T23:30:00-05:00"), "2024-12-20 04:30:00");
        assert_eq!(utc("2024-12-19 10:00:00"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T10:00:00Z"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T10:00:00.123456Z"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T10:00:00+0000"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T10:00:00+00:00"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T01:00:00+0300"), "2024-12-18 22:00:00");
        assert_eq!(utc("2024-12-19T10:00+01"), "2024-12-19 09:00:00");
        assert_eq!(utc("2024-12-19 10:00 UTC"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19 10:00:00 GMT+02:00"), "2024-12-19 08:00:00");
        assert_eq!(utc("2024-12-19"), "2024-12-19 00:00:00");
        assert_eq!(utc("2024/12/19"), "2024-12-19 00:00:00");
        assert_eq!(utc("2024-12-19Z"), "2024-12-19 00:00:00");
        assert_eq!(utc("20241219T100000Z"), "2024-12-19 10:00:00");
        assert_eq!(utc("2024-12-19T99:00:00"), "2024-12-19 00:00:00");
    }

    #[test]
    fn mail_values() {
        assert_eq!(utc("Fri, 20 Dec 2024 01:15:00 +0300"), "2024-12-19 22:15:00");
        assert_eq!(utc("26 Apr 93 00:13:14 GMT"), "1993-04-26 00:13:14");
        assert_eq!(utc("Mon, 5 Apr 1993 14:31:02 EDT"), "1993-04-05 18:31:02");
        assert_eq!(utc("5 Apr 93 14:31 PST"), "1993-04-05 22:31:00");
        assert_eq!(utc("Sun, 18 Apr 1993 17:00:26 EDT(-0400)"), "1993-04-18 21:00:26");
        assert_eq!(utc("Tue, 20 Apr 93 10:00:00 -0700 (PDT)"), "1993-04-20 17:00:00");
        assert_eq!(utc("Thursday, 15 Apr 1993 12:00:00 MST"), "1993-04-15 19:00:00");
        assert_eq!(utc("15 APR 93 12:00:00"), "1993-04-15 12:00:00");
        assert_eq!(utc("Thu Nov  2 13:43:27 2023"), "2023-11-02 13:43:27");
        assert_eq!(utc("1 Jan 2050 00:00:00 +0000"), "2050-01-01 00:00:00");
    }

    #[test]
    fn numbers() {
        assert_eq!(utc("1734566400"), "2024-12-19 00:00:00");
        assert_eq!(utc("1734566400000"), "2024-12-19 00:00:00");
        assert_eq!(utc("1734566400.5"), "2024-12-19 00:00:00");
        assert_eq!(utc("20241219"), "2024-12-19 00:00:00");
        assert_eq!(parse_date("12345"), None);
        assert_eq!(parse_date("99999999999999999999999"), None);
    }

    #[test]
    fn written_values() {
        assert_eq!(utc("December 19, 2024"), "2024-12-19 00:00:00");
        assert_eq!(utc("19 Dec 2024 10:00"), "2024-12-19 10:00:00");
        assert_eq!(utc("Dec. 19, 2024"), "2024-12-19 00:00:00");
        assert_eq!(utc("Dec. 19, 2024 at 7:30 p.m. EST"), "2024-12-20 00:30:00");
        assert_eq!(utc("November 2nd, 2023 12:15 am"), "2023-11-02 00:15:00");
        assert_eq!(utc("02.11.2023 14:30"), "2023-11-02 14:30:00");
        assert_eq!(utc("11/08/2023"), "2023-11-08 00:00:00");
        assert_eq!(utc("2023年11月2日 22:27"), "2023-11-02 22:27:00");
        assert_eq!(utc("2023.11.02. 오후 8:06"), "2023-11-02 20:06:00");
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("December 2024"), None);
    }

    #[test]
    fn keeps_the_written_offset() {
        let local = parse_date_keep_offset("2023-11-02T01:30:00+09:00").expect("parses");
        assert_eq!(local.date_naive().to_string(), "2023-11-02");
        assert_eq!(local.with_timezone(&Utc).date_naive().to_string(), "2023-11-01");
    }

    #[test]
    fn file_names() {
        assert_eq!(day_of(date_from_filename("2024-12-19-briefing.txt")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_filename("call_20250212.txt")).as_deref(), Some("2025-02-12"));
        assert_eq!(day_of(date_from_filename("x_2024_12_19.md")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_filename("notes 2024.12.19 final")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_filename("archive/2024/12/19/story.html")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_filename("release-2024-12-19")).as_deref(), Some("2024-12-19"));
        assert_eq!(date_from_filename("00012345678.txt"), None);
        assert_eq!(date_from_filename("120241219.txt"), None);
        assert_eq!(date_from_filename("2024-13-45.txt"), None);
        assert_eq!(date_from_filename("2024-12_19.txt"), None);
        assert_eq!(date_from_filename("2023-02-29.txt"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(day_of(date_from_text("MOSCOW, Dec. 19, 2024 — Putin said")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Published 19 December 2024\nText")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("On 19.12.2024 the bank")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("May 5, 2023")).as_deref(), Some("2023-05-05"));
        assert_eq!(day_of(date_from_text("Thursday, 19 December 2024")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Stand: 2024-12-19, 10:00")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Berlin, 19. Dezember 2024.")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Paris, le 19 décembre 2024")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Madrid, 19 de diciembre de 2024")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("МОСКВА, 19 декабря 2024 г.")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Roma, 19 dicembre 2024")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("the 1st of March, 2024")).as_deref(), Some("2024-03-01"));
        assert_eq!(date_from_text("No date here at all."), None);
        assert_eq!(date_from_text("In December 2024 we may 5 times"), None);
        assert_eq!(date_from_text("Version 3.11.2 released"), None);
    }

    #[test]
    fn only_the_top_of_the_text() {
        let mut text = "word ".repeat(200);
        text.push_str("December 19, 2024");
        assert_eq!(date_from_text(&text), None);
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            " ",
            "+",
            "-",
            "2024-",
            "2024-1",
            "Dec",
            "19 Dec",
            "é",
            "12:",
            "1:2:3",
            "+99999",
            "2024-12-19T",
            "2024-12-19T10:",
            "2024-12-19T10:00+",
            "2024-12-19T10:00+99:99",
            "٣٤٥",
            "Mon, 32 Dec 2024",
            "0000-00-00",
            "9999999999999999999",
            "1.",
            ".5",
            "2024年",
            "12h3",
        ] {
            let _ = parse_date(s);
            let _ = date_from_text(s);
            let _ = date_from_filename(s);
        }
    }
}
