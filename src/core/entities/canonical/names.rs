//! From a mention's surface text to a name: trimming, possessives, titles, leading "the", and the
//! folded keys names are compared by.
//!
//! Everything here is a pure string function with no knowledge of articles or counts, so the
//! per-article step, the corpus step and the alias file all compare names the same way.
//! It deliberately knows no nationality list: a title is recognised by its own word ("President",
//! "Gen.") and everything in front of it ("Russian", "U.S.", "former") goes with it.

use crate::core::entities::EntityKind;

/// Title and honorific words (lower case, without a trailing dot). A person's name starts after
/// the last of these, so "Russian President Vladimir Putin" is "Vladimir Putin".
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "admiral", "adm", "ambassador", "archbishop", "ayatollah", "bishop", "brig", "brigadier",
    "capt", "captain", "cardinal", "ceo", "chairman", "chairwoman", "chancellor", "chief",
    "col", "colonel", "commander", "congressman", "congresswoman", "councillor", "councilman",
    "cpl", "dame", "director", "dr", "emir", "emperor", "empress", "envoy", "executive",
    "founder", "gen", "general", "gov", "governor", "imam", "judge", "justice", "king",
    "leader", "lieutenant", "lord", "lt", "madame", "maj", "major", "mayor", "minister", "mme",
    "monsignor", "mr", "mrs", "ms", "mx", "officer", "pope", "premier", "president", "prince",
    "princess", "prof", "professor", "queen", "rabbi", "rep", "representative", "rev",
    "reverend", "sec", "secretary", "sen", "senator", "sergeant", "sgt", "sheik", "sheikh",
    "sir", "speaker", "spokesman", "spokesperson", "spokeswoman", "sultan",
];

/// Words that only qualify a title inside a hyphenated token: "President-elect",
/// "ex-President", "Secretary-General", "Commander-in-Chief".
const TITLE_QUALIFIERS: &[&str] = &["elect", "ex", "former", "vice", "deputy", "acting", "in"];

/// Words that may follow "Secretary of" / "Minister for" before the name starts.
#[rustfmt::skip]
const OFFICE_WORDS: &[&str] = &[
    "affairs", "agriculture", "and", "commerce", "defence", "defense", "economy", "education",
    "energy", "finance", "foreign", "health", "home", "homeland", "housing", "interior",
    "justice", "labor", "labour", "security", "state", "the", "trade", "transportation",
    "treasury", "veterans", "war",
];

/// Arabic article particles: "al-Assad", "el-Sisi" and "Assad", "Sisi" name the same person.
const NAME_PARTICLES: &[&str] = &["al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ul"];

/// Place and organisation names whose leading "The" is part of the name.
const KEEP_THE: &[&str] = &["the bahamas", "the gambia", "the hague"];

/// The article-local name of one mention: whitespace normalised, quotes and punctuation trimmed,
/// possessive removed; for people titles and possessors in front are dropped ("Syria's President
/// Bashar al-Assad" → "Bashar al-Assad"); for everything else a leading "the" is dropped.
/// Case is kept. Returns an empty string when nothing name-like is left.
pub(crate) fn clean_mention(surface: &str, kind: EntityKind) -> String {
    let spaced = normalise_space(surface);
    let trimmed = trim_edges(&spaced);
    let stripped = match kind {
        EntityKind::Person => strip_titles(trimmed),
        _ => strip_leading_the(trimmed),
    };
    trim_edges(stripped).to_string()
}

/// The key alias-file names and catalogue names are matched by: cleaned like a non-person mention
/// (no title stripping, because the file does not always say the type) and then folded.
pub(crate) fn lookup_key(name: &str) -> String {
    let spaced = normalise_space(name);
    fold(trim_edges(strip_leading_the(trim_edges(&spaced))))
}

/// Case- and apostrophe-insensitive form: "PUTIN" = "Putin", "O’Brien" = "O'Brien".
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '`') { '\'' } else { c })
        .collect()
}

/// A person's name as comparison tokens: folded, trailing dots dropped, Arabic particles removed
/// ("Bashar al-Assad" → ["bashar", "assad"]). Never empty for a non-empty name.
pub(crate) fn person_tokens(name: &str) -> Vec<String> {
    let tokens: Vec<String> = name
        .split_whitespace()
        .enumerate()
        .filter_map(|(i, token)| {
            let folded = fold(token);
            let bare = folded.trim_end_matches('.');
            // A leading "Al" is a first name (Al Gore); later it is the article (Bashar al Assad).
            if i > 0 && NAME_PARTICLES.contains(&bare) {
                return None;
            }
            let without_particle = bare
                .split_once('-')
                .filter(|(head, rest)| NAME_PARTICLES.contains(head) && !rest.is_empty())
                .map_or(bare, |(_, rest)| rest);
            (!without_particle.is_empty()).then(|| without_particle.to_string())
        })
        .collect();
    if tokens.is_empty() && !name.trim().is_empty() { vec![fold(name.trim())] } else { tokens }
}

fn normalise_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Trims quotes, brackets and punctuation from both ends and strips a trailing possessive, but
/// keeps the dot of an abbreviation like "U.S." and a closing bracket that has its opening one.
fn trim_edges(s: &str) -> &str {
    let mut s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    loop {
        if let Some(rest) = strip_possessive(s) {
            s = rest;
            continue;
        }
        let Some(last) = s.chars().next_back() else {
            break;
        };
        let keep = last.is_alphanumeric()
            || (last == '.' && last_word(s).trim_end_matches('.').contains('.'))
            || (last == ')' && s.contains('('));
        if keep {
            break;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
    s
}

fn strip_possessive(s: &str) -> Option<&str> {
    ["'s", "'S", "\u{2019}s", "\u{2019}S"]
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
        .filter(|rest| rest.chars().next_back().is_some_and(char::is_alphanumeric))
}

fn last_word(s: &str) -> &str {
    s.rsplit(' ').next().unwrap_or(s)
}

fn strip_leading_the(s: &str) -> &str {
    match s.split_once(' ') {
        Some((first, rest)) if first.eq_ignore_ascii_case("the") && !rest.is_empty() => {
            if KEEP_THE.contains(&fold(s).as_str()) { s } else { rest }
        }
        _ => s,
    }
}

/// Drops everything up to the last title phrase or possessor word in front of a person's name,
/// always leaving at least one word: "Martin Luther King" and a lone "President" stay as they are.
fn strip_titles(s: &str) -> &str {
    let words: Vec<&str> = s.split(' ').collect();
    let mut name_start = 0;
    let mut i = 0;
    while i + 1 < words.len() {
        let mut next = i + 1;
        if is_title(words[i]) {
            // "Secretary of State" with no name after it is all title: keep it whole.
            let Some(after_office) = skip_office(&words, next) else {
                break;
            };
            next = after_office;
            name_start = next;
        } else if strip_possessive(words[i]).is_some() {
            name_start = next;
        }
        i = next;
    }
    // `name_start` is a word index below `words.len()`; find its byte offset in `s`.
    let offset: usize = words[..name_start].iter().map(|w| w.len() + 1).sum();
    s.get(offset..).unwrap_or(s)
}

/// After a title at `words[at - 1]`: "of State", "for Foreign Affairs", "of the Treasury" belong
/// to the title. Returns where the name starts, or `None` when an office is named but no name
/// follows it.
fn skip_office(words: &[&str], at: usize) -> Option<usize> {
    let Some(linker) = words.get(at) else {
        return Some(at);
    };
    if !matches!(fold(linker).as_str(), "of" | "for") {
        return Some(at);
    }
    let mut end = at + 1;
    while words.get(end).is_some_and(|w| OFFICE_WORDS.contains(&fold(w).as_str())) {
        end += 1;
    }
    (end < words.len()).then_some(end)
}

fn is_title(word: &str) -> bool {
    let folded = fold(word);
    let bare = folded.trim_end_matches('.');
    if TITLES.contains(&bare) {
        return true;
    }
    let parts: Vec<&str> = bare.split('-').collect();
    parts.len() > 1
        && parts.iter().any(|p| TITLES.contains(p))
        && parts.iter().all(|p| TITLES.contains(p) || TITLE_QUALIFIERS.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Location, Organization, Person};

    fn person(s: &str) -> String {
        clean_mention(s, Person)
    }

    #[test]
    fn titles_and_the_words_before_them_are_not_part_of_a_name() {
        assert_eq!(person("Russian President Vladimir Putin"), "Vladimir Putin");
        assert_eq!(person("General Igor Kirillov"), "Igor Kirillov");
        assert_eq!(person("Lt. Gen. Igor Kirillov"), "Igor Kirillov");
        assert_eq!(person("U.S. Secretary of State Antony Blinken"), "Antony Blinken");
        assert_eq!(person("Secretary of the Treasury Janet Yellen"), "Janet Yellen");
        assert_eq!(person("President-elect Donald Trump"), "Donald Trump");
        assert_eq!(person("former Prime Minister Boris Johnson"), "Boris Johnson");
        assert_eq!(person("UN Secretary-General António Guterres"), "António Guterres");
        assert_eq!(person("Mr. Smith"), "Smith");
        assert_eq!(person("Sen. Elizabeth Warren"), "Elizabeth Warren");
        assert_eq!(person("Crown Prince Mohammed bin Salman"), "Mohammed bin Salman");
    }

    #[test]
    fn a_title_word_at_the_end_is_a_surname_and_a_lone_title_is_kept() {
        assert_eq!(person("Martin Luther King"), "Martin Luther King");
        assert_eq!(person("Stephen King's"), "Stephen King");
        assert_eq!(person("President"), "President");
        assert_eq!(person("Secretary of State"), "Secretary of State");
        assert_eq!(person("Chief Executive Officer Tim Cook"), "Tim Cook");
        assert_eq!(person("Supreme Leader Ali Khamenei"), "Ali Khamenei");
    }

    #[test]
    fn possessives_quotes_and_spaces_are_trimmed() {
        assert_eq!(person("Putin's"), "Putin");
        assert_eq!(person("Putin\u{2019}s"), "Putin");
        assert_eq!(person("\u{201c}Vladimir   Putin,\u{201d}"), "Vladimir Putin");
        assert_eq!(person("Syria's Bashar al-Assad"), "Bashar al-Assad");
        assert_eq!(clean_mention("Reuters'", Organization), "Reuters");
        assert_eq!(clean_mention("(NATO)", Organization), "NATO");
    }

    #[test]
    fn abbreviation_dots_stay_and_sentence_dots_go() {
        assert_eq!(clean_mention("U.S.", Location), "U.S.");
        assert_eq!(clean_mention("Apple Inc.", Organization), "Apple Inc");
        assert_eq!(clean_mention("Moscow.", Location), "Moscow");
    }

    #[test]
    fn leading_the_is_dropped_except_where_it_is_part_of_the_name() {
        assert_eq!(clean_mention("the Kremlin", Organization), "Kremlin");
        assert_eq!(clean_mention("The New York Times'", Organization), "New York Times");
        assert_eq!(clean_mention("The Hague", Location), "The Hague");
        assert_eq!(clean_mention("The", Organization), "The");
        assert_eq!(lookup_key("  the KREMLIN's "), "kremlin");
    }

    #[test]
    fn odd_input_gives_an_empty_or_unchanged_name_without_panicking() {
        assert_eq!(person(""), "");
        assert_eq!(person(" \u{201c}'s\u{201d} "), "s");
        assert_eq!(person("—"), "");
        assert_eq!(person("Эльвира Набиуллина"), "Эльвира Набиуллина");
        assert_eq!(person("Президент Зеленский"), "Президент Зеленский");
        assert_eq!(fold("ЗЕЛЕНСКИЙ"), "зеленский");
    }

    #[test]
    fn person_tokens_ignore_case_dots_and_arabic_particles() {
        assert_eq!(person_tokens("Bashar al-Assad"), ["bashar", "assad"]);
        assert_eq!(person_tokens("Bashar Al Assad"), ["bashar", "assad"]);
        assert_eq!(person_tokens("ASSAD"), ["assad"]);
        assert_eq!(person_tokens("George W. Bush"), ["george", "w", "bush"]);
        assert_eq!(person_tokens("al"), ["al"]);
        assert_eq!(person_tokens("Al Gore"), ["al", "gore"]);
        assert!(person_tokens("").is_empty());
    }
}
