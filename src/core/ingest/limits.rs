//! The limits that keep an import's time and memory bounded whatever a folder holds: how large a
//! file may be once decompressed, how much text one article may hold, and how long reading one
//! file may take. Past a limit the file (or the article) is skipped with a reason that names the
//! limit and how to raise it; nothing is cut silently.
//!
//! The defaults let every real corpus we test on through untouched (its largest file is 16 MB
//! decompressed, its longest article 14 KB) with room to spare, and keep a parser bomb from
//! eating an 8 GB laptop. This module only describes the limits; the importer applies them.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Where to raise the limits, for skip reasons (the window and the command line share them).
const HOW_TO_RAISE: &str = "in the window's Options menu";

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Bytes a file may hold after decompression. A larger file is skipped; gzip data stops
    /// being inflated at the limit, and a larger uncompressed file is never read.
    pub max_file_bytes: u64,
    /// Bytes of text one article may hold (a JSON Lines line may be as long). A longer article is
    /// skipped; the file's other articles are imported.
    pub max_article_bytes: u64,
    /// Seconds reading one file (one record of a JSON Lines file) may take before it is
    /// abandoned and reported, so that no input can hold an import up.
    pub max_file_seconds: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_file_bytes: 256 << 20, max_article_bytes: 16 << 20, max_file_seconds: 30.0 }
    }
}

impl Limits {
    /// The time limit; `None` when it is not a finite, positive number of seconds (no limit).
    pub fn time_limit(&self) -> Option<Duration> {
        Duration::try_from_secs_f64(self.max_file_seconds).ok().filter(|d| !d.is_zero())
    }

    /// A number that changes whenever a limit does: a store records it with every file a limit
    /// kept out, and reads such a file again once the limits are different.
    pub fn fingerprint(&self) -> u64 {
        let mut bytes = [0u8; 24];
        bytes[..8].copy_from_slice(&self.max_file_bytes.to_le_bytes());
        bytes[8..16].copy_from_slice(&self.max_article_bytes.to_le_bytes());
        bytes[16..].copy_from_slice(&self.max_file_seconds.to_bits().to_le_bytes());
        // Never 0, which stores read as "no limit was hit".
        xxhash_rust::xxh3::xxh3_64(&bytes).max(1)
    }

    /// The reason a file larger than the file size limit is skipped; `size` when it is known
    /// (a gzip file stops being inflated at the limit, so its full size never is).
    pub fn file_too_large(&self, size: Option<u64>) -> String {
        let limit = format_size(self.max_file_bytes);
        let what = match size {
            Some(size) => format!("file of {} is over the {limit} file size limit", format_size(size)),
            None => format!("file expands past the {limit} file size limit"),
        };
        format!("{what}, not read (raise it with --max-file-size, or {HOW_TO_RAISE})")
    }

    /// The reason an article with `size` bytes of text is skipped.
    pub fn article_too_large(&self, size: u64) -> String {
        format!(
            "article of {} is over the {} article size limit, not imported (raise it with --max-article-size, or {HOW_TO_RAISE})",
            format_size(size),
            format_size(self.max_article_bytes)
        )
    }

    /// The reason a JSON Lines record longer than the article size limit is skipped, unread.
    pub fn line_too_long(&self) -> String {
        format!(
            "record longer than the {} article size limit, not read (raise it with --max-article-size, or {HOW_TO_RAISE})",
            format_size(self.max_article_bytes)
        )
    }

    /// The reason a file (or record) that took too long is abandoned.
    pub fn too_slow(&self) -> String {
        format!(
            "reading took longer than the {} s time limit and was abandoned (raise it with --max-file-seconds, or {HOW_TO_RAISE})",
            self.max_file_seconds
        )
    }
}

/// `512 B`, `64 KiB`, `256 MiB`, `1.5 GiB`: sizes for people.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 || value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Reads a size as people write it: `1000000`, `512K`, `256M`, `256MiB`, `1.5G`, `2 GB`. Units
/// are binary (K = 1024), as [`format_size`] prints them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("expected a size like 256M or 1G, got {text:?}"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("unknown size unit in {text:?} (use K, M or G)")),
    };
    let bytes = number * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("{text:?} is not a usable size"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1.5 GiB"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64kb"), Ok(64 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert_eq!(format_size(256 << 20), "256 MiB");
        assert_eq!(format_size(3 << 29), "1.5 GiB");
        assert_eq!(format_size(100), "100 B");
    }

    #[test]
    fn reasons_name_the_limit_and_how_to_raise_it() {
        let limits = Limits::default();
        let reason = limits.file_too_large(None);
        assert!(reason.contains("256 MiB") && reason.contains("--max-file-size"), "{reason}");
        let reason = limits.article_too_large(20 << 20);
        assert!(reason.contains("20 MiB") && reason.contains("16 MiB") && reason.contains("--max-article-size"));
        assert!(limits.too_slow().contains("30 s"));
    }

    #[test]
    fn fingerprints_follow_every_limit() {
        let base = Limits::default();
        let others = [
            Limits { max_file_bytes: 1, ..base },
            Limits { max_article_bytes: 1, ..base },
            Limits { max_file_seconds: 1.0, ..base },
        ];
        for other in others {
            assert_ne!(base.fingerprint(), other.fingerprint());
        }
        assert_eq!(base.fingerprint(), Limits::default().fingerprint());
        assert_eq!(Limits { max_file_seconds: 0.0, ..base }.time_limit(), None);
    }
}
