//! The per-article step: one article's text and recogniser spans → its local entities.
//!
//! Pure and allocation-light so the importer can run it inside the parallel import, right after
//! the recogniser. It only sees one article, so it groups what the article itself makes clear
//! ("Russian President Vladimir Putin" … "Putin's" → "Vladimir Putin") and leaves anything needing
//! the rest of the corpus (a lone "Putin" in another article) to [`super::EntityCatalog`].

use std::collections::BTreeMap;

use super::names::{clean_mention, fold};
use super::{AliasForm, KindCounts, display_form, persons, sorted_by_count};
use crate::core::entities::{EntityKind, EntitySpan};

/// What one article contributes: its distinct local entities and every mention that was kept.
/// Transient: the importer turns it into a `(FormId, count)` list with [`super::FormTable`], so it
/// has no serialised form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleEntities {
    /// Sorted by `(name, kind)`; no two share both.
    pub forms: Vec<LocalForm>,
    /// In text order. Spans that were out of bounds, not on char boundaries, duplicated or held no
    /// name (only punctuation) are left out.
    pub mentions: Vec<Mention>,
}

/// One entity as this article names it. `(name, kind)` is the key the corpus step aggregates on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalForm {
    /// The article-local name: cleaned, and for people the most complete name the article uses.
    pub name: String,
    /// The majority type of its mentions here.
    pub kind: EntityKind,
    /// Its mentions here, per recognised type.
    pub kinds: KindCounts,
    /// Its cleaned surface forms here ("Putin", "Vladimir Putin"), most frequent first.
    pub surfaces: Vec<AliasForm>,
}

impl LocalForm {
    pub fn mentions(&self) -> u64 {
        self.kinds.total()
    }
}

/// One recognised mention and the local entity it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    /// As the recogniser gave it, including the recognised type.
    pub span: EntitySpan,
    /// Index into [`ArticleEntities::forms`].
    pub form: usize,
}

/// Mentions with the same cleaned name up to case and apostrophes, whatever type the recogniser
/// gave each: "Kremlin" tagged ORG once and LOC once in an article is still one thing.
#[derive(Default)]
struct SameName {
    surfaces: BTreeMap<String, u64>,
    kinds: KindCounts,
}

/// Groups one article's mentions into local entities. `spans` may be in any order and may be
/// odd (empty, reversed, past the end, off a char boundary): such spans are skipped, never a panic.
pub fn group_article(text: &str, spans: &[EntitySpan]) -> ArticleEntities {
    let mut kept: Vec<(EntitySpan, String)> = spans
        .iter()
        .filter_map(|&span| {
            let name = clean_mention(text.get(span.start..span.end)?, span.kind);
            (!name.is_empty()).then_some((span, name))
        })
        .collect();
    kept.sort_by_key(|a| a.0);
    kept.dedup_by(|a, b| a.0 == b.0);

    let mut group_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups: Vec<SameName> = Vec::new();
    let mut group_of_mention = Vec::with_capacity(kept.len());
    for (span, name) in &kept {
        let next = groups.len();
        let g = *group_ids.entry(fold(name)).or_insert(next);
        if g == next {
            groups.push(SameName::default());
        }
        *groups[g].surfaces.entry(name.clone()).or_default() += 1;
        groups[g].kinds.add(span.kind, 1);
        group_of_mention.push(g);
    }

    let display: Vec<(&str, KindCounts)> = groups.iter().map(|g| (display_form(&g.surfaces), g.kinds)).collect();
    let head = persons::person_heads(&display, persons::Scope::Article);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (g, &h) in head.iter().enumerate() {
        members[h].push(g);
    }
    // One local form per head group, keyed by (name, kind) so forms come out sorted. Heads have
    // different folded names, so no two heads share a key.
    let mut forms: BTreeMap<(String, EntityKind), (KindCounts, BTreeMap<String, u64>)> = BTreeMap::new();
    let mut key_of_head: Vec<Option<(String, EntityKind)>> = vec![None; groups.len()];
    for (h, group_members) in members.iter().enumerate().filter(|(_, m)| !m.is_empty()) {
        let mut kinds = KindCounts::default();
        for &g in group_members {
            kinds.add_all(&groups[g].kinds);
        }
        let key = (display[h].0.to_string(), kinds.majority());
        let (form_kinds, surfaces) = forms.entry(key.clone()).or_default();
        form_kinds.add_all(&kinds);
        for (surface, n) in group_members.iter().flat_map(|&g| &groups[g].surfaces) {
            *surfaces.entry(surface.clone()).or_default() += n;
        }
        key_of_head[h] = Some(key);
    }

    let index_of_key: BTreeMap<&(String, EntityKind), usize> =
        forms.keys().enumerate().map(|(i, key)| (key, i)).collect();
    let mentions = kept
        .iter()
        .zip(&group_of_mention)
        .filter_map(|((span, _), &g)| {
            let form = *index_of_key.get(key_of_head[head[g]].as_ref()?)?;
            Some(Mention { span: *span, form })
        })
        .collect();
    let forms = forms
        .into_iter()
        .map(|((name, kind), (kinds, surfaces))| LocalForm { name, kind, kinds, surfaces: sorted_by_count(surfaces) })
        .collect();
    ArticleEntities { forms, mentions }
}

#[cfg(test)]
mod tests {
    use super::super::testing::tag;
    use super::*;
    use EntityKind::{Location, Misc, Organization, Person};

    /// `(name, kind, mentions)` of each local form.
    fn summary(a: &ArticleEntities) -> Vec<(&str, EntityKind, u64)> {
        a.forms.iter().map(|f| (f.name.as_str(), f.kind, f.mentions())).collect()
    }

    const ARTICLE: &str = "Russian President Vladimir Putin met General Igor Kirillov in Moscow. \
        Vladimir Putin praised Kirillov. Putin's spokesman said Bashar al-Assad had called. \
        Assad and Putin spoke for an hour, Kirillov said.";

    #[test]
    fn putin_kirillov_and_assad_each_become_one_local_entity() {
        let spans = tag(
            ARTICLE,
            &[
                ("Russian President Vladimir Putin", Person),
                ("General Igor Kirillov", Person),
                ("Moscow", Location),
                ("Vladimir Putin", Person),
                ("Kirillov", Person),
                ("Putin's", Person),
                ("Bashar al-Assad", Person),
                ("Assad", Person),
                ("Putin", Person),
                ("Kirillov", Person),
            ],
        );
        let a = group_article(ARTICLE, &spans);
        assert_eq!(
            summary(&a),
            [
                ("Bashar al-Assad", Person, 2),
                ("Igor Kirillov", Person, 3),
                ("Moscow", Location, 1),
                ("Vladimir Putin", Person, 4),
            ]
        );
        let putin = &a.forms[3];
        let surfaces: Vec<(&str, u64)> = putin.surfaces.iter().map(|s| (s.text.as_str(), s.mentions)).collect();
        assert_eq!(surfaces, [("Putin", 2), ("Vladimir Putin", 2)]);
        let names: Vec<&str> = a.mentions.iter().map(|m| a.forms[m.form].name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Vladimir Putin",
                "Igor Kirillov",
                "Moscow",
                "Vladimir Putin",
                "Igor Kirillov",
                "Vladimir Putin",
                "Bashar al-Assad",
                "Bashar al-Assad",
                "Vladimir Putin",
                "Igor Kirillov",
            ]
        );
        let spans_back: Vec<EntitySpan> = a.mentions.iter().map(|m| m.span).collect();
        assert_eq!(spans_back, spans, "mentions keep the recogniser's spans, in text order");
    }

    #[test]
    fn one_name_tagged_with_two_types_is_one_local_entity_of_the_majority_type() {
        let text = "The Kremlin said. Kremlin officials and the Kremlin's press office";
        let spans = tag(text, &[("The Kremlin", Organization), ("Kremlin", Location), ("the Kremlin's", Organization)]);
        let a = group_article(text, &spans);
        assert_eq!(summary(&a), [("Kremlin", Organization, 3)]);
        assert_eq!(a.forms[0].kinds.get(Location), 1);
        assert_eq!(a.mentions[1].span.kind, Location, "each mention keeps its own type");
    }

    #[test]
    fn a_surname_shared_by_two_people_in_the_article_stays_on_its_own() {
        let text = "John Smith and Jane Smith arrived. Smith spoke first.";
        let spans = tag(text, &[("John Smith", Person), ("Jane Smith", Person), ("Smith", Person)]);
        assert_eq!(
            summary(&group_article(text, &spans)),
            [("Jane Smith", Person, 1), ("John Smith", Person, 1), ("Smith", Person, 1)]
        );
    }

    #[test]
    fn only_people_join_by_surname() {
        let text = "Michael Jordan visited Jordan.";
        let spans = tag(text, &[("Michael Jordan", Person), ("Jordan", Location)]);
        assert_eq!(summary(&group_article(text, &spans)), [("Jordan", Location, 1), ("Michael Jordan", Person, 1)]);
    }

    #[test]
    fn odd_spans_are_skipped_without_panicking() {
        let text = "Зеленский met Nabiullina.";
        let zelensky = "Зеленский".len();
        let odd = [
            EntitySpan { start: 0, end: zelensky, kind: Person },
            EntitySpan { start: 0, end: zelensky, kind: Person }, // duplicate
            EntitySpan { start: 1, end: 4, kind: Person },        // inside a char
            EntitySpan { start: 5, end: 5, kind: Person },        // empty
            EntitySpan { start: 9, end: 3, kind: Person },        // reversed
            EntitySpan { start: text.len() - 1, end: text.len(), kind: Misc }, // only "."
            EntitySpan { start: text.len(), end: text.len() + 7, kind: Person }, // past the end
            EntitySpan { start: zelensky + 5, end: text.len(), kind: Person },
        ];
        let a = group_article(text, &odd);
        assert_eq!(summary(&a), [("Nabiullina", Person, 1), ("Зеленский", Person, 1)]);
        assert_eq!(a.mentions.len(), 2);
        assert_eq!(group_article("", &odd), ArticleEntities::default());
        assert_eq!(group_article(text, &[]), ArticleEntities::default());
    }
}
