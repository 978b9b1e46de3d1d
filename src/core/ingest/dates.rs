//! Date parsing for every place a publication date can hide: metadata values (ISO 8601, RFC 2822,
//! Unix timestamps), file names, and the top of the text.
//!
//! Everything returns UTC. A value without a time of day is midnight UTC of that day; a value with
//! an offset is converted, so bucketing always uses the UTC day. Implausible dates (before 1900 or
//! more than a day in the future) are rejected here so callers can fall through to the next source.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Rejects dates before 1900 or more than a day after `now`.
pub fn plausible(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at.year() >= 1900 && at <= now + Duration::days(1)
}

/// Parses one metadata value: ISO 8601 / RFC 3339 (with or without `T`, offset or `Z`), a bare
/// date, RFC 2822 (`Fri, 20 Dec 2024 09:15:00 +0300`), or Unix seconds / milliseconds.
pub fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    let s = value.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_unix(s);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&naive));
        }
    }
    let head = s.trim_end_matches('Z');
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(day) = NaiveDate::parse_from_str(head, fmt) {
            return Some(midnight(day));
        }
    }
    None
}

fn parse_unix(digits: &str) -> Option<DateTime<Utc>> {
    let n: i64 = digits.parse().ok()?;
    // 10 digits or fewer: seconds; 13: milliseconds. Anything in between is ambiguous noise.
    match digits.len() {
        1..=10 => Utc.timestamp_opt(n, 0).single(),
        13 => Utc.timestamp_millis_opt(n).single(),
        _ => None,
    }
}

pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A date written in a file name: `2024-12-19`, `2024_12_19`, `2024.12.19` or `20241219`, not
/// glued to further digits.
pub fn date_from_filename(name: &str) -> Option<DateTime<Utc>> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for start in 0..b.len() {
        if !digit(start) || (start > 0 && digit(start - 1)) {
            continue;
        }
        let num = |from: usize, len: usize| -> Option<u32> { name.get(from..from + len)?.parse().ok() };
        // YYYY?MM?DD with a separator
        if (0..4).all(|k| digit(start + k))
            && matches!(b.get(start + 4), Some(b'-' | b'_' | b'.'))
            && digit(start + 5)
            && digit(start + 6)
            && b.get(start + 7) == b.get(start + 4)
            && digit(start + 8)
            && digit(start + 9)
            && !digit(start + 10)
        {
            if let Some(d) = ymd(num(start, 4)?, num(start + 5, 2)?, num(start + 8, 2)?) {
                return Some(d);
            }
        }
        // YYYYMMDD
        if (0..8).all(|k| digit(start + k)) && !digit(start + 8) {
            if let Some(d) = ymd(num(start, 4)?, num(start + 4, 2)?, num(start + 6, 2)?) {
                return Some(d);
            }
        }
    }
    None
}

fn ymd(y: u32, m: u32, d: u32) -> Option<DateTime<Utc>> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(midnight)
}

/// The first full date near the top of a text (a dateline or a date line), e.g.
/// "December 19, 2024", "19 Dec 2024", "Dec. 19, 2024", "2024-12-19", "19.12.2024".
pub fn date_from_text(text: &str) -> Option<DateTime<Utc>> {
    // Only the top of the article: a date deep in the body is usually about something else.
    let head: String = text.chars().take(600).collect();
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == '—')
        .filter(|w| !w.is_empty())
        .collect();
    for i in 0..words.len() {
        if let Some(d) = numeric_date(words[i]) {
            return Some(d);
        }
        let w = |k: usize| words.get(i + k).copied().unwrap_or("");
        // Month D YYYY
        if let (Some(m), Some(d), Some(y)) = (month(w(0)), day(w(1)), year(w(2))) {
            if let Some(dt) = ymd(y, m, d) {
                return Some(dt);
            }
        }
        // D Month YYYY
        if let (Some(d), Some(m), Some(y)) = (day(w(0)), month(w(1)), year(w(2))) {
            if let Some(dt) = ymd(y, m, d) {
                return Some(dt);
            }
        }
    }
    None
}

fn numeric_date(word: &str) -> Option<DateTime<Utc>> {
    let w = word.trim_matches(|c: char| !c.is_ascii_digit());
    let parts: Vec<&str> = w.split(['-', '.', '/']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    if parts[0].len() == 4 && w.contains('-') {
        return ymd(n(parts[0])?, n(parts[1])?, n(parts[2])?);
    }
    if parts[2].len() == 4 && w.contains('.') {
        return ymd(n(parts[2])?, n(parts[1])?, n(parts[0])?);
    }
    None
}

fn day(w: &str) -> Option<u32> {
    let w = w.trim_end_matches(['.', ',']);
    let w = w.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
    if w.is_empty() || w.len() > 2 {
        return None;
    }
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(w: &str) -> Option<u32> {
    let w = w.trim_end_matches(['.', ',', ':', ';']);
    if w.len() != 4 {
        return None;
    }
    w.parse().ok()
}

fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches(['.', ',']).to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|name| *name == w || (w.len() == 3 && name.starts_with(&w)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day_of(dt: Option<DateTime<Utc>>) -> Option<String> {
        dt.map(|d| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn metadata_values() {
        assert_eq!(day_of(parse_date("2024-12-19T23:30:00-05:00")).as_deref(), Some("2024-12-20"));
        assert_eq!(day_of(parse_date("2024-12-19 10:00:00")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(parse_date("Fri, 20 Dec 2024 01:15:00 +0300")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(parse_date("1734566400")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(parse_date("1734566400000")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(parse_date("2024-12-19")).as_deref(), Some("2024-12-19"));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(day_of(date_from_filename("2024-12-19-briefing.txt")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_filename("call_20250212.txt")).as_deref(), Some("2025-02-12"));
        assert_eq!(day_of(date_from_filename("x_2024_12_19.md")).as_deref(), Some("2024-12-19"));
        assert_eq!(date_from_filename("00012345678.txt"), None);
        assert_eq!(date_from_filename("2024-13-45.txt"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(day_of(date_from_text("MOSCOW, Dec. 19, 2024 — Putin said")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("Published 19 December 2024\nText")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("On 19.12.2024 the bank")).as_deref(), Some("2024-12-19"));
        assert_eq!(day_of(date_from_text("May 5, 2023")).as_deref(), Some("2023-05-05"));
        assert_eq!(date_from_text("No date here at all."), None);
    }
}
