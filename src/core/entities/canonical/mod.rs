//! Canonical entities: grouping the recogniser's mentions ("Russian President Vladimir Putin",
//! "Putin's") into one entity per real-world thing ("Vladimir Putin", PER), in two steps that fit
//! a parallel import.
//!
//! 1. **Per article**, inside the parallel import: [`group_article`]`(text, spans)` cleans each
//!    mention (titles, possessives, quotes, leading "the"), groups the article's mentions
//!    (a surname joins the article's one full name ending with it) and returns a small
//!    [`ArticleEntities`]: local forms `(name, kind)` with counts, and each mention's span and form.
//! 2. **Once per corpus**, in article order: [`FormTable::add_article`] interns each local form,
//!    adds its counts and returns the article's `(FormId, count)` list, which is all the index
//!    needs to keep per article.
//! 3. **Whenever the alias file changes**: [`EntityCatalog::build`]`(&forms, &aliases)` works on the
//!    form table alone — no texts, no re-tagging. It merges forms with the same name whatever
//!    their type, joins lone surnames to the corpus's one full name with that surname (or to the
//!    one with 90 % of the fitting names' mentions), joins a company name to its one established
//!    form with a legal form ("Texaco" → "Texaco Inc"), applies the user's [`AliasFile`], and
//!    returns entities sorted by mentions (then name) with ids, plus lookups from a form (id or
//!    `(name, kind)`) to its entity.
//!
//! Canonical names are the most complete form (most words, then most mentions, then alphabetical),
//! unless that form is a stray with under a tenth of the mentions of the name it would absorb;
//! types are the majority over mentions (ties: PER, ORG, LOC, MISC). Everything is deterministic:
//! no output depends on hash order, thread count or the order articles were added in (form ids
//! do depend on that order, so add articles in a fixed order if ids must be stable across runs).
//!
//! Not done here: acronyms are never expanded or merged with their long forms ("NATO" and "North
//! Atlantic Treaty Organization" stay apart unless the alias file joins them), and first names
//! alone never join anyone.

mod article;
mod catalog;
mod names;
mod persons;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::EntityKind;
pub use article::{ArticleEntities, LocalForm, Mention, group_article};
pub use catalog::{Entity, EntityCatalog, EntityId, FormId, FormKey, FormStats, FormTable};
pub(crate) use names::lookup_key;

/// Mention counts per recognised type, in the order PER, ORG, LOC, MISC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts([u64; 4]);

impl KindCounts {
    /// The tie-break order of [`KindCounts::majority`].
    const KINDS: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];

    fn slot(kind: EntityKind) -> usize {
        match kind {
            EntityKind::Person => 0,
            EntityKind::Organization => 1,
            EntityKind::Location => 2,
            EntityKind::Misc => 3,
        }
    }

    pub fn get(&self, kind: EntityKind) -> u64 {
        self.0[Self::slot(kind)]
    }

    pub fn add(&mut self, kind: EntityKind, n: u64) {
        let slot = &mut self.0[Self::slot(kind)];
        *slot = slot.saturating_add(n);
    }

    pub fn add_all(&mut self, other: &KindCounts) {
        for kind in Self::KINDS {
            self.add(kind, other.get(kind));
        }
    }

    pub fn total(&self) -> u64 {
        self.0.iter().fold(0, |sum, &n| sum.saturating_add(n))
    }

    /// The most frequent type; ties go to the earlier of PER, ORG, LOC, MISC (PER when empty).
    pub fn majority(&self) -> EntityKind {
        let mut best = EntityKind::Person;
        for kind in Self::KINDS {
            if self.get(kind) > self.get(best) {
                best = kind;
            }
        }
        best
    }
}

/// One way an entity is written (after cleaning) and how often.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasForm {
    pub text: String,
    pub mentions: u64,
}

/// The spelling to show for case variants of one name: the most frequent one, except that
/// all-caps spellings longer than four letters ("MOSCOW", "WASIM AKRAM") come from headlines and
/// datelines and lose to any other spelling. Short all-caps words are usually acronyms ("NATO",
/// "EU") and compete on frequency. Ties go to the alphabetically first. Empty map → "".
fn display_form<K: AsRef<str>>(counts: &BTreeMap<K, u64>) -> &str {
    let mut best: Option<(&K, bool, u64)> = None;
    for (key, &n) in counts {
        let plain = !is_shouted(key.as_ref());
        if best.is_none_or(|(_, best_plain, m)| (plain, n) > (best_plain, m)) {
            best = Some((key, plain, n));
        }
    }
    best.map_or("", |(key, _, _)| key.as_ref())
}

fn is_shouted(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 4 && !name.chars().any(char::is_lowercase)
}

/// Most frequent first, ties alphabetical.
fn sorted_by_count(counts: BTreeMap<String, u64>) -> Vec<AliasForm> {
    let mut forms: Vec<AliasForm> = counts.into_iter().map(|(text, mentions)| AliasForm { text, mentions }).collect();
    forms.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.text.cmp(&b.text)));
    forms
}

#[cfg(test)]
mod testing {
    use crate::core::entities::{EntityKind, EntitySpan};

    /// Spans for `(needle, kind)` pairs listed in text order: each needle is looked up after the
    /// end of the previous one, so repeated names get their own spans.
    pub(super) fn tag(text: &str, needles: &[(&str, EntityKind)]) -> Vec<EntitySpan> {
        let mut from = 0;
        needles
            .iter()
            .map(|&(needle, kind)| {
                let start = from + text[from..].find(needle).expect("needle in text");
                from = start + needle.len();
                EntitySpan { start, end: from, kind }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_ties_go_to_the_earlier_type() {
        let mut counts = KindCounts::default();
        assert_eq!(counts.majority(), EntityKind::Person);
        counts.add(EntityKind::Location, 2);
        counts.add(EntityKind::Organization, 2);
        assert_eq!(counts.majority(), EntityKind::Organization);
        counts.add(EntityKind::Misc, 3);
        assert_eq!((counts.majority(), counts.total()), (EntityKind::Misc, 7));
    }

    #[test]
    fn display_form_prefers_frequent_spellings_over_shouted_ones() {
        let count =
            |list: &[(&str, u64)]| -> BTreeMap<String, u64> { list.iter().map(|&(s, n)| (s.to_string(), n)).collect() };
        let moscow = count(&[("MOSCOW", 9), ("Moscow", 2), ("moscow", 1)]);
        assert_eq!(display_form(&moscow), "Moscow");
        assert_eq!(display_form(&count(&[("WASIM AKRAM", 1)])), "WASIM AKRAM");
        assert_eq!(display_form(&count(&[("U.S.", 3), ("US", 1)])), "U.S.");
        assert_eq!(display_form(&count(&[("NATO", 3), ("Nato", 1)])), "NATO");
        assert_eq!(display_form(&count(&[("Nato", 2), ("NATO", 2)])), "NATO");
        // The price of the rule: a long acronym loses to a title-case house style.
        assert_eq!(display_form(&count(&[("UNICEF", 5), ("Unicef", 1)])), "Unicef");
        assert_eq!(display_form::<String>(&BTreeMap::new()), "");
        let forms = sorted_by_count(count(&[("b", 1), ("a", 1), ("c", 2)]));
        let texts: Vec<&str> = forms.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["c", "a", "b"]);
    }
}
