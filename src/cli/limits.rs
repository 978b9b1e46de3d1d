//! The limits every importing command takes: file size, article size and time per file (see
//! the core's `ingest::limits`, which applies them and words the skip reasons).

use clap::Args;

use crate::core::ingest::Limits;
use crate::core::ingest::limits::parse_size;

#[derive(Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Skip files larger than SIZE once decompressed, e.g. 512M or 2G (default 256M); gzip data
    /// stops being inflated at the limit.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Skip articles with more than SIZE of text, e.g. 64M (default 16M); a JSON Lines record
    /// longer than that is skipped unread.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_article_size: Option<u64>,
    /// Abandon a file (or a JSON Lines record) that takes longer than SECONDS to read
    /// (default 30; 0 for no limit).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub max_file_seconds: Option<f64>,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let defaults = Limits::default();
        Limits {
            max_file_bytes: self.max_file_size.unwrap_or(defaults.max_file_bytes),
            max_article_bytes: self.max_article_size.unwrap_or(defaults.max_article_bytes),
            max_file_seconds: self.max_file_seconds.unwrap_or(defaults.max_file_seconds),
        }
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => Ok(seconds),
        _ => Err(format!("expected a number of seconds like 30, got {s:?}")),
    }
}
