//! Joining short person names to the one full name they belong to: "Putin" → "Vladimir Putin",
//! "Assad" → "Bashar al-Assad". Used twice with the same rule: inside one article (names are the
//! article's mentions) and across the corpus (names are the article-local names).
//!
//! A short name joins a longer one when its tokens appear, in order, in the longer name and both end
//! with the same surname token (so "Vladimir Putin" also joins "Vladimir Vladimirovich Putin").
//! It joins only when exactly one such group exists; with two different "… Smith"s, "Smith" stays
//! on its own. First names alone ("Vladimir") never join: they are too ambiguous.

use std::collections::HashMap;

use super::KindCounts;
use super::names::person_tokens;
use crate::core::entities::EntityKind;

/// For each group of mentions (its display name and its mentions per type), the group it joins.
/// Groups that are mostly PER join by the rule above; all others head themselves.
pub(super) fn person_heads(groups: &[(&str, KindCounts)]) -> Vec<usize> {
    let mut head: Vec<usize> = (0..groups.len()).collect();
    let people: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].1.majority() == EntityKind::Person).collect();
    let names: Vec<PersonName<'_>> = people
        .iter()
        .map(|&g| {
            let (name, kinds) = &groups[g];
            PersonName { tokens: person_tokens(name), mentions: kinds.total(), name }
        })
        .collect();
    for (i, h) in cluster(&names).into_iter().enumerate() {
        head[people[i]] = people[h];
    }
    head
}

/// One name to cluster.
struct PersonName<'a> {
    tokens: Vec<String>,
    mentions: u64,
    name: &'a str,
}

/// For each name, the index of the name it is grouped under (its own index for a group's head).
/// Heads are the most complete names: most tokens, then most mentions, then alphabetical.
fn cluster(names: &[PersonName<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&names[a], &names[b]);
        y.tokens.len().cmp(&x.tokens.len()).then(y.mentions.cmp(&x.mentions)).then(x.name.cmp(y.name)).then(a.cmp(&b))
    });
    let mut head: Vec<usize> = (0..names.len()).collect();
    // Heads by surname token. Only looked up, never iterated, so its order cannot leak.
    let mut heads_by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in order {
        let tokens = &names[i].tokens;
        let Some(surname) = tokens.last() else {
            continue;
        };
        let candidates = heads_by_surname.get(surname.as_str());
        let mut fitting = candidates.into_iter().flatten().filter(|&&h| fits_within(tokens, &names[h].tokens));
        match (fitting.next(), fitting.next()) {
            (Some(&h), None) => head[i] = h,
            _ if reads_like_a_name(names[i].name) => heads_by_surname.entry(surname.as_str()).or_default().push(i),
            _ => {}
        }
    }
    head
}

/// Lower-case words that belong inside people's names.
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ul", "bin", "ibn", "bint", "ben", "abu",
    "van", "von", "de", "da", "di", "du", "del", "della", "der", "den", "la", "le", "y", "dos", "das",
    "do", "ter", "ten", "zu", "af", "av",
];

/// Whether a name reads like a person's name: every word capitalised but for particles
/// ("Bashar al-Assad", "Ludwig van Beethoven", "d'Estaing"). A tagger's span across a verb
/// ("Rating Service said Chrysler") does not, and no shorter name joins it, though it stays a
/// name of its own.
fn reads_like_a_name(name: &str) -> bool {
    name.split_whitespace().all(|word| {
        let capitalised = |w: &str| w.chars().find(|c| c.is_alphabetic()).is_none_or(|c| !c.is_lowercase());
        let mut parts = word.split(['-', '\'', '\u{2019}']);
        let head = parts.next().unwrap_or_default().to_lowercase();
        capitalised(word) || PARTICLES.contains(&head.as_str()) || parts.next().is_some_and(capitalised)
    })
}

/// `short` is `long` or a shortening of it that keeps its surname: same last token, and the other
/// tokens of `short` appear in `long` in the same order, a single letter standing for any token
/// with that initial ("B. Yeltsin" fits "Boris Yeltsin").
fn fits_within(short: &[String], long: &[String]) -> bool {
    if short.len() > long.len() || short.last() != long.last() {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|token| rest.any(|t| t == token || is_initial_of(token, t)))
}

fn is_initial_of(initial: &str, word: &str) -> bool {
    let mut letters = initial.chars();
    matches!((letters.next(), letters.next()), (Some(c), None) if word.starts_with(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(list: &[(&'a str, u64)]) -> Vec<PersonName<'a>> {
        list.iter().map(|&(name, mentions)| PersonName { tokens: person_tokens(name), mentions, name }).collect()
    }

    #[test]
    fn surnames_join_the_only_full_name_that_ends_with_them() {
        let list = names(&[("Putin", 5), ("Vladimir Putin", 2), ("Bashar al-Assad", 1), ("Assad", 3)]);
        assert_eq!(cluster(&list), [1, 1, 2, 2]);
    }

    #[test]
    fn a_surname_shared_by_two_full_names_stays_on_its_own() {
        let list = names(&[("John Smith", 1), ("Smith", 4), ("Jane Smith", 1)]);
        assert_eq!(cluster(&list), [0, 1, 2]);
    }

    #[test]
    fn shorter_full_names_chain_into_the_most_complete_one() {
        let list = names(&[("Vladimir Putin", 9), ("Vladimir Vladimirovich Putin", 1), ("Putin", 3)]);
        assert_eq!(cluster(&list), [1, 1, 1]);
    }

    #[test]
    fn initials_stand_for_first_names() {
        let list = names(&[("Boris Yeltsin", 3), ("B. Yeltsin", 1), ("N. Yeltsin", 1), ("Yeltsin", 2)]);
        assert_eq!(cluster(&list), [0, 0, 2, 3], "\"Yeltsin\" fits both Boris and N.");
    }

    #[test]
    fn first_names_and_other_orders_do_not_join() {
        assert_eq!(cluster(&names(&[("Vladimir Putin", 1), ("Vladimir", 1)])), [0, 1]);
        assert_eq!(cluster(&names(&[("Vladimir Putin", 1), ("Putin Vladimir", 1)])), [0, 1]);
    }

    #[test]
    fn only_groups_that_are_mostly_people_join() {
        let mut person = KindCounts::default();
        person.add(EntityKind::Person, 1);
        let mut place = KindCounts::default();
        place.add(EntityKind::Location, 3);
        place.add(EntityKind::Person, 1);
        let groups = [("Michael Jordan", person), ("Jordan", place), ("JORDAN", person)];
        assert_eq!(person_heads(&groups), [0, 1, 0]);
    }

    #[test]
    fn a_span_that_does_not_read_like_a_name_takes_no_shortenings() {
        let list = names(&[("Rating Service said Chrysler", 1), ("Chrysler", 200)]);
        assert_eq!(cluster(&list), [0, 1]);
        let list = names(&[("Ludwig van Beethoven", 1), ("Beethoven", 2), ("Valéry d'Estaing", 1), ("d'Estaing", 1)]);
        assert_eq!(cluster(&list), [0, 0, 2, 2]);
        assert!(!reads_like_a_name("Putin said Trump"));
        assert!(reads_like_a_name("Bashar al-Assad") && reads_like_a_name("Osama bin Laden"));
    }

    #[test]
    fn equal_names_up_to_particles_join_the_more_frequent_spelling() {
        let list = names(&[("al-Assad", 1), ("Assad", 2)]);
        assert_eq!(cluster(&list), [1, 1]);
    }
}
