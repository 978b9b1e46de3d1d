//! Keyword in context: each counted mention with the words around it, as a concordance lists
//! them, sortable by the word before or after, and written as CSV.
//!
//! The mentions come from the counting code (a term's `Matcher::mentions`, a query's
//! `CompiledQuery::mentions`), so a concordance lists exactly what was counted. Context is whole
//! words, line breaks shown as spaces.

use std::io::Write;

use crate::core::export::{ExportError, spreadsheet_safe};
use crate::core::query::{lower_word_into, words};

/// Words of context on each side.
pub const CONTEXT_WORDS: usize = 8;

/// One mention in its context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The text before the mention, from the start of the `CONTEXT_WORDS`th word before it.
    pub left: String,
    pub keyword: String,
    /// The text after the mention, to the end of the `CONTEXT_WORDS`th word after it.
    pub right: String,
    /// The mention's byte range in the article's text.
    pub start: usize,
    pub end: usize,
}

/// The lines of `mentions` (byte ranges into `text`, in order).
pub fn lines(text: &str, mentions: &[(usize, usize)]) -> Vec<Line> {
    let spans: Vec<(usize, usize)> = words(text).collect();
    mentions
        .iter()
        .filter(|&&(start, end)| start <= end && end <= text.len())
        .map(|&(start, end)| {
            // Words wholly before the mention, and wholly after it.
            let before = spans.partition_point(|w| w.1 <= start);
            let after = spans.partition_point(|w| w.0 < end);
            let from = before.checked_sub(CONTEXT_WORDS).map_or(0, |i| spans[i].0);
            let from = if before == 0 { start } else { from.min(start) };
            let to = spans.get(after + CONTEXT_WORDS - 1).map_or(spans.last().map_or(end, |w| w.1), |w| w.1);
            let to = if after >= spans.len() { end } else { to.max(end) };
            let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
            Line {
                left: flat(&text[from..start]),
                keyword: flat(&text[start..end]),
                right: flat(&text[end..to]),
                start,
                end,
            }
        })
        .collect()
}

/// Sort keys: the words before the mention from the nearest outwards, or the words after it.
pub fn left_key(line: &Line) -> Vec<String> {
    let mut out: Vec<String> = lowered_words(&line.left);
    out.reverse();
    out
}

pub fn right_key(line: &Line) -> Vec<String> {
    lowered_words(&line.right)
}

fn lowered_words(s: &str) -> Vec<String> {
    let mut lower = String::new();
    words(s)
        .map(|(a, b)| {
            lower_word_into(&s[a..b], &mut lower);
            lower.clone()
        })
        .collect()
}

/// Writes a concordance as CSV: `left,keyword,right,article,published` (`article` as
/// `presswatch articles` prints ids).
pub fn write_csv(out: impl Write, rows: &[(&Line, String, String)]) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["left", "keyword", "right", "article", "published"])?;
    for (line, article, published) in rows {
        w.write_record([
            spreadsheet_safe(&line.left).as_ref(),
            spreadsheet_safe(&line.keyword).as_ref(),
            spreadsheet_safe(&line.right).as_ref(),
            article,
            published,
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, keyword: &str) -> Line {
        let start = text.find(keyword).unwrap_or(0);
        lines(text, &[(start, start + keyword.len())]).remove(0)
    }

    #[test]
    fn eight_words_a_side_in_one_line() {
        let text = "one two three four five six seven eight nine TEN eleven twelve\nthirteen fourteen fifteen sixteen seventeen eighteen nineteen";
        let l = line(text, "TEN");
        assert_eq!(l.left, "two three four five six seven eight nine ");
        assert_eq!(l.right, " eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen");
        assert_eq!(l.keyword, "TEN");
    }

    #[test]
    fn edges_and_punctuation() {
        let l = line("Putin's visit, said Kursk.", "Putin");
        assert_eq!((l.left.as_str(), l.right.as_str()), ("", "'s visit, said Kursk"));
        let l = line("Talks in Kursk.", "Kursk");
        assert_eq!((l.left.as_str(), l.right.as_str()), ("Talks in ", ""));
        let l = line("a \"Vladimir Putin\" b", "Vladimir Putin");
        assert_eq!((l.left.as_str(), l.keyword.as_str(), l.right.as_str()), ("a \"", "Vladimir Putin", "\" b"));
    }

    #[test]
    fn sort_keys_read_outwards() {
        let l = line("the old Bank rose", "Bank");
        assert_eq!(left_key(&l), ["old", "the"]);
        assert_eq!(right_key(&l), ["rose"]);
    }
}
