//! Joining short person names to the one full name they belong to: "Putin" → "Vladimir Putin",
//! "Assad" → "Bashar al-Assad". Used twice with the same rule: inside one article (names are the
//! article's mentions) and across the corpus (names are the article-local names).
//!
//! A short name joins a longer one when its tokens appear, in order, in the longer name and both end
//! with the same surname token (so "Vladimir Putin" also joins "Vladimir Vladimirovich Putin"),
//! unless the longer name has under a tenth of the shorter one's mentions: then the rare longer
//! variant joins the shorter name ("Vladimir V. Putin" → "Vladimir Putin").
//! Inside an article it joins only when exactly one such group exists; with two different
//! "… Smith"s, "Smith" stays on its own. Across a folder it also joins a full name that has 90 % of
//! the fitting names' mentions (see [`Scope::Corpus`]). First names alone ("Vladimir") never join:
//! they are too ambiguous.

use std::collections::HashMap;

use super::KindCounts;
use super::names::person_tokens;
use crate::core::entities::EntityKind;
use crate::core::entities::recognizer::name_parts::SURNAME_PARTICLES;

/// Where short names may join a dominant full name when several fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// One article: a short name joins only the one full name that fits.
    Article,
    /// A whole folder: a short name also joins the fitting full name that has at least
    /// [`DOMINANT_PERCENT`] of the mentions of all fitting ones. Across thousands of articles a
    /// "Trump" has many possible full names (Ivanka Trump, a photo credit "Getty Images Trump"),
    /// yet nearly always means the one that dominates the coverage.
    Corpus,
}

/// See [`Scope::Corpus`].
const DOMINANT_PERCENT: u64 = 90;

/// For each group of mentions (its display name and its mentions per type), the group it joins.
/// Groups that are mostly PER join by the rule above; all others head themselves.
pub(super) fn person_heads(groups: &[(&str, KindCounts)], scope: Scope) -> Vec<usize> {
    let mut head: Vec<usize> = (0..groups.len()).collect();
    let people: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].1.majority() == EntityKind::Person).collect();
    let names: Vec<PersonName<'_>> = people
        .iter()
        .map(|&g| {
            let (name, kinds) = &groups[g];
            PersonName { tokens: person_tokens(name), mentions: kinds.total(), name }
        })
        .collect();
    for (i, h) in cluster(&names, scope).into_iter().enumerate() {
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
fn cluster(names: &[PersonName<'_>], scope: Scope) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&names[a], &names[b]);
        y.tokens.len().cmp(&x.tokens.len()).then(y.mentions.cmp(&x.mentions)).then(x.name.cmp(y.name)).then(a.cmp(&b))
    });
    let mut head: Vec<usize> = (0..names.len()).collect();
    // Mentions of each head with the names that joined it so far.
    let mut weight: Vec<u64> = names.iter().map(|n| n.mentions).collect();
    // Heads by surname token. Only looked up, never iterated, so its order cannot leak.
    let mut heads_by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in order {
        let tokens = &names[i].tokens;
        let Some(surname) = tokens.last() else {
            continue;
        };
        let candidates = heads_by_surname.get(surname.as_str());
        // A full name joins a longer one only when that is not a stray: a caption credit run
        // into a name ("Charlie Neibergall Elon Musk", once) must not absorb "Elon Musk" (1,129).
        let established = |h: usize| tokens.len() < 2 || weight[h].saturating_mul(10) >= names[i].mentions;
        let (fitting, strays): (Vec<usize>, Vec<usize>) = candidates
            .into_iter()
            .flatten()
            .copied()
            .filter(|&h| fits_within(tokens, &names[h].tokens))
            .partition(|&h| established(h));
        let joins = match fitting[..] {
            [h] => Some(h),
            [] => None,
            _ if scope == Scope::Article => None,
            _ => {
                // The first of the heaviest, in processing order: deterministic.
                let best = fitting.iter().copied().fold(fitting[0], |b, h| if weight[h] > weight[b] { h } else { b });
                let total: u64 = fitting.iter().map(|&h| weight[h]).sum();
                (weight[best].saturating_mul(100) >= total.saturating_mul(DOMINANT_PERCENT)).then_some(best)
            }
        };
        match joins {
            Some(h) => {
                head[i] = h;
                weight[h] = weight[h].saturating_add(names[i].mentions);
            }
            None if reads_like_a_name(names[i].name) => {
                let heads = heads_by_surname.entry(surname.as_str()).or_default();
                // Rare longer variants join this name instead ("Vladimir V. Putin", 72 mentions,
                // joins "Vladimir Putin", 1,546), and stop being heads.
                for &stray in &strays {
                    head[stray] = i;
                    weight[i] = weight[i].saturating_add(weight[stray]);
                }
                heads.retain(|h| !strays.contains(h));
                heads.push(i);
            }
            None => {}
        }
    }
    // A name that joined a stray variant ends under the name the variant joined.
    for i in 0..head.len() {
        let mut h = head[i];
        for _ in 0..head.len() {
            if head[h] == h {
                break;
            }
            h = head[h];
        }
        head[i] = h;
    }
    head
}

/// Lower-case words that belong inside people's names besides the particles that start a
/// surname ([`SURNAME_PARTICLES`]).
#[rustfmt::skip]
const INNER_PARTICLES: &[&str] = &[
    "ad", "an", "ar", "as", "ash", "at", "az", "ul", "ben", "della", "den", "la", "le", "y", "dos",
    "das", "do", "ter", "ten", "zu", "af", "av",
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
        let particle = SURNAME_PARTICLES.contains(&head.as_str()) || INNER_PARTICLES.contains(&head.as_str());
        capitalised(word) || particle || parts.next().is_some_and(capitalised)
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
        assert_eq!(cluster(&list, Scope::Article), [1, 1, 2, 2]);
    }

    #[test]
    fn a_surname_shared_by_two_full_names_stays_on_its_own() {
        let list = names(&[("John Smith", 1), ("Smith", 4), ("Jane Smith", 1)]);
        assert_eq!(cluster(&list, Scope::Article), [0, 1, 2]);
    }

    #[test]
    fn shorter_full_names_chain_into_the_most_complete_one() {
        let list = names(&[("Vladimir Putin", 9), ("Vladimir Vladimirovich Putin", 1), ("Putin", 3)]);
        assert_eq!(cluster(&list, Scope::Article), [1, 1, 1]);
    }

    #[test]
    fn initials_stand_for_first_names() {
        let list = names(&[("Boris Yeltsin", 3), ("B. Yeltsin", 1), ("N. Yeltsin", 1), ("Yeltsin", 2)]);
        assert_eq!(cluster(&list, Scope::Article), [0, 0, 2, 3], "\"Yeltsin\" fits both Boris and N.");
    }

    #[test]
    fn first_names_and_other_orders_do_not_join() {
        assert_eq!(cluster(&names(&[("Vladimir Putin", 1), ("Vladimir", 1)]), Scope::Article), [0, 1]);
        assert_eq!(cluster(&names(&[("Vladimir Putin", 1), ("Putin Vladimir", 1)]), Scope::Article), [0, 1]);
    }

    #[test]
    fn only_groups_that_are_mostly_people_join() {
        let mut person = KindCounts::default();
        person.add(EntityKind::Person, 1);
        let mut place = KindCounts::default();
        place.add(EntityKind::Location, 3);
        place.add(EntityKind::Person, 1);
        let groups = [("Michael Jordan", person), ("Jordan", place), ("JORDAN", person)];
        assert_eq!(person_heads(&groups, Scope::Article), [0, 1, 0]);
    }

    #[test]
    fn across_a_folder_a_surname_joins_a_dominant_full_name() {
        let list = names(&[("Donald Trump", 95), ("Ivanka Trump", 5), ("Trump", 40)]);
        assert_eq!(cluster(&list, Scope::Corpus), [0, 1, 0]);
        assert_eq!(cluster(&list, Scope::Article), [0, 1, 2], "inside an article only a sole fit joins");
        // Under 90 %: no reading dominates, so the surname stays on its own.
        let list = names(&[("Volodymyr Zelensky", 80), ("Vladimir Zelensky", 20), ("Zelensky", 40)]);
        assert_eq!(cluster(&list, Scope::Corpus), [0, 1, 2]);
        // The weight of a full name includes the shorter full names that joined it.
        let list = names(&[("Joe R. Biden", 20), ("Joe Biden", 90), ("Jill Biden", 8), ("Biden", 50)]);
        assert_eq!(cluster(&list, Scope::Corpus), [0, 0, 2, 0]);
    }

    #[test]
    fn a_stray_longer_name_does_not_absorb_a_well_known_one_but_joins_it() {
        let list = names(&[("Charlie Neibergall Elon Musk", 1), ("Elon Musk", 1129), ("Musk", 621)]);
        assert_eq!(cluster(&list, Scope::Corpus), [1, 1, 1]);
        let list = names(&[("Vladimir V. Putin", 72), ("V. V. Putin", 1), ("Vladimir Putin", 1546), ("Putin", 2316)]);
        assert_eq!(cluster(&list, Scope::Corpus), [2, 2, 2, 2]);
        let list = names(&[("Vladimir Vladimirovich Putin", 1), ("Vladimir Putin", 3), ("Putin", 5)]);
        assert_eq!(cluster(&list, Scope::Article), [0, 0, 0]);
    }

    #[test]
    fn a_span_that_does_not_read_like_a_name_takes_no_shortenings() {
        let list = names(&[("Rating Service said Chrysler", 1), ("Chrysler", 200)]);
        assert_eq!(cluster(&list, Scope::Article), [0, 1]);
        let list = names(&[("Ludwig van Beethoven", 1), ("Beethoven", 2), ("Valéry d'Estaing", 1), ("d'Estaing", 1)]);
        assert_eq!(cluster(&list, Scope::Article), [0, 0, 2, 2]);
        assert!(!reads_like_a_name("Putin said Trump"));
        assert!(reads_like_a_name("Bashar al-Assad") && reads_like_a_name("Osama bin Laden"));
    }

    #[test]
    fn equal_names_up_to_particles_join_the_more_frequent_spelling() {
        let list = names(&[("al-Assad", 1), ("Assad", 2)]);
        assert_eq!(cluster(&list, Scope::Article), [1, 1]);
    }
}
