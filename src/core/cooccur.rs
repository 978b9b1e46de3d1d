//! Co-occurrence: which entities are mentioned in the same articles as a selection (an entity,
//! term or query, perhaps within a period), and how much more often than chance.
//!
//! For an entity E and the selection's articles A, among the N articles in view (the period's,
//! or all): `articles` is |A ∩ E|, the articles sharing both; `lift` is
//! (|A ∩ E| / |A|) / (|E| / N), how many times more often E appears in the selection than
//! anywhere. Lift alone puts entities seen once, in a selected article, on top (one shared
//! article among few gives a huge ratio), so ranking by lift only considers entities that share
//! at least [`MIN_SHARED_FOR_LIFT`] articles with the selection; the others still get their
//! lift, and rank by shared articles after them.
//!
//! Works on article numbers and per-entity hit lists, so the store and a fresh import use the
//! same code.

use crate::core::entities::EntityKind;

/// Entities sharing fewer articles with the selection are not ranked by lift.
pub const MIN_SHARED_FOR_LIFT: u64 = 3;

/// How a co-occurrence list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Order {
    /// Shared articles, most first (then lift, then name).
    #[default]
    Articles,
    /// Lift, highest first, for entities sharing at least [`MIN_SHARED_FOR_LIFT`] articles; then
    /// the rest by shared articles.
    Lift,
}

/// One entity mentioned together with the selection.
#[derive(Clone, Debug, PartialEq)]
pub struct CoEntity {
    /// Index in the entity table the caller passed.
    pub entity: usize,
    pub name: String,
    pub kind: EntityKind,
    /// Articles of the selection that mention it.
    pub articles: u64,
    /// Articles in view that mention it.
    pub entity_articles: u64,
    pub lift: f64,
}

/// An entity as [`cooccurring`] needs it: name, type, whether it is shown, and its articles
/// (article numbers, ascending).
pub struct EntityArticles<'a> {
    pub name: &'a str,
    pub kind: EntityKind,
    pub hidden: bool,
    pub articles: &'a [(u32, u32)],
}

/// The entities that share articles with `selection` (article numbers, ascending), among the
/// articles `in_view` accepts (`in_view_count` of them), without `exclude` (the selected entity
/// itself), in `order`.
pub fn cooccurring(
    selection: &[u32],
    entities: &[EntityArticles<'_>],
    in_view: impl Fn(u32) -> bool,
    in_view_count: u64,
    exclude: Option<usize>,
    order: Order,
) -> Vec<CoEntity> {
    let selected: Vec<u32> = selection.iter().copied().filter(|&a| in_view(a)).collect();
    if selected.is_empty() || in_view_count == 0 {
        return Vec::new();
    }
    let size = selected.len() as f64;
    let mut out: Vec<CoEntity> = entities
        .iter()
        .enumerate()
        .filter(|(i, e)| !e.hidden && Some(*i) != exclude)
        .filter_map(|(i, e)| {
            let mut shared = 0u64;
            let mut total = 0u64;
            for &(a, _) in e.articles {
                if in_view(a) {
                    total += 1;
                    shared += u64::from(selected.binary_search(&a).is_ok());
                }
            }
            (shared > 0).then(|| CoEntity {
                entity: i,
                name: e.name.to_string(),
                kind: e.kind,
                articles: shared,
                entity_articles: total,
                lift: (shared as f64 / size) / (total as f64 / in_view_count as f64),
            })
        })
        .collect();
    let by_articles = |a: &CoEntity, b: &CoEntity| {
        b.articles.cmp(&a.articles).then(b.lift.total_cmp(&a.lift)).then_with(|| a.name.cmp(&b.name))
    };
    match order {
        Order::Articles => out.sort_by(by_articles),
        Order::Lift => out.sort_by(|a, b| {
            let ranked = |e: &CoEntity| e.articles >= MIN_SHARED_FOR_LIFT;
            ranked(b)
                .cmp(&ranked(a))
                .then_with(|| if ranked(a) { b.lift.total_cmp(&a.lift) } else { std::cmp::Ordering::Equal })
                .then_with(|| by_articles(a, b))
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity<'a>(name: &'a str, articles: &'a [(u32, u32)]) -> EntityArticles<'a> {
        EntityArticles { name, kind: EntityKind::Location, hidden: false, articles }
    }

    #[test]
    fn lift_corrects_for_entities_that_are_everywhere() {
        // Ten articles; the selection is articles 0..4.
        let everywhere: Vec<(u32, u32)> = (0..10).map(|a| (a, 1)).collect();
        let mostly_selected = [(0, 1), (1, 1), (2, 1), (7, 1)];
        let once = [(3, 1)];
        let entities =
            [entity("United States", &everywhere), entity("Kursk", &mostly_selected), entity("Stray", &once)];
        let selection = [0, 1, 2, 3];
        let by_articles = cooccurring(&selection, &entities, |_| true, 10, None, Order::Articles);
        let names: Vec<&str> = by_articles.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["United States", "Kursk", "Stray"]);
        assert_eq!(by_articles[0].lift, 1.0);
        assert_eq!(by_articles[1].lift, (3.0 / 4.0) / (4.0 / 10.0));
        let by_lift = cooccurring(&selection, &entities, |_| true, 10, None, Order::Lift);
        let names: Vec<&str> = by_lift.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Kursk", "United States", "Stray"], "one shared article is no evidence");
        assert_eq!(by_lift[2].lift, 2.5, "its lift is still reported");
    }

    #[test]
    fn the_period_and_the_selected_entity_are_respected() {
        let a = [(0, 1), (5, 2)];
        let b = [(5, 1)];
        let entities = [entity("A", &a), entity("B", &b)];
        let in_first_half = |article: u32| article < 5;
        let found = cooccurring(&[0, 5], &entities, in_first_half, 5, Some(0), Order::Articles);
        assert!(found.is_empty(), "B's only shared article is outside the period; A is the selection");
        let found = cooccurring(&[0, 5], &entities, |_| true, 10, Some(0), Order::Articles);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].articles, found[0].entity_articles), (1, 1));
    }
}
