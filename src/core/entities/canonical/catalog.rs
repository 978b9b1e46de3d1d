//! The corpus step: the table of every article-local form seen in the import ([`FormTable`]),
//! and the catalogue of entities built from it and the user's alias file ([`EntityCatalog`]).
//!
//! The catalogue never looks at article texts: it is a function of aggregated counts, so changing
//! the alias file means one cheap rebuild, not a re-import. It also never renumbers forms, so the
//! index's per-article `(FormId, count)` lists stay valid across rebuilds; only [`EntityId`]s (which
//! follow the catalogue's sort order) change.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::names::lookup_key;
use super::{AliasForm, ArticleEntities, KindCounts, display_form, persons, sorted_by_count};
use crate::core::entities::EntityKind;
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::recognizer::legal_forms;

/// A local form's number in its [`FormTable`], in order of first appearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FormId(pub u32);

impl FormId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// An article-local name and type: what [`super::LocalForm`]s are aggregated by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FormKey {
    pub name: String,
    pub kind: EntityKind,
}

/// A form's totals over the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormStats {
    /// Articles that use this form.
    pub articles: u64,
    /// Mentions per recognised type.
    pub kinds: KindCounts,
    /// Cleaned surface forms and their mentions.
    pub surfaces: BTreeMap<String, u64>,
}

impl FormStats {
    pub fn mentions(&self) -> u64 {
        self.kinds.total()
    }
}

/// Every local form of the corpus with its totals. Filled once per article, in article order,
/// by [`FormTable::add_article`]; persisted by the index (it serialises as a list of forms).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<(FormKey, FormStats)>", into = "Vec<(FormKey, FormStats)>")]
pub struct FormTable {
    forms: Vec<(FormKey, FormStats)>,
    ids: FxHashMap<FormKey, FormId>,
}

impl From<Vec<(FormKey, FormStats)>> for FormTable {
    fn from(forms: Vec<(FormKey, FormStats)>) -> Self {
        let ids = (0..forms.len()).map(|i| (forms[i].0.clone(), form_id(i))).collect();
        Self { forms, ids }
    }
}

impl From<FormTable> for Vec<(FormKey, FormStats)> {
    fn from(table: FormTable) -> Self {
        table.forms
    }
}

/// Form ids are u32 to keep the index's per-article lists small; four billion distinct forms
/// would not fit in memory anyway, so saturating here never merges real forms.
fn form_id(index: usize) -> FormId {
    FormId(u32::try_from(index).unwrap_or(u32::MAX))
}

impl FormTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one article's forms to the totals and returns what the index keeps for the article:
    /// `(form, mentions)` sorted by form id.
    pub fn add_article(&mut self, article: &ArticleEntities) -> Vec<(FormId, u32)> {
        let mut counts = Vec::with_capacity(article.forms.len());
        for form in &article.forms {
            let key = FormKey { name: form.name.clone(), kind: form.kind };
            let next = form_id(self.forms.len());
            let id = *self.ids.entry(key.clone()).or_insert(next);
            if id == next {
                self.forms.push((key, FormStats::default()));
            }
            let stats = &mut self.forms[id.index()].1;
            stats.articles += 1;
            stats.kinds.add_all(&form.kinds);
            for surface in &form.surfaces {
                *stats.surfaces.entry(surface.text.clone()).or_default() += surface.mentions;
            }
            counts.push((id, u32::try_from(form.mentions()).unwrap_or(u32::MAX)));
        }
        counts.sort_unstable();
        counts
    }

    /// The id of an article-local `(name, kind)`, if any article used it.
    pub fn id(&self, name: &str, kind: EntityKind) -> Option<FormId> {
        self.ids.get(&FormKey { name: name.to_string(), kind }).copied()
    }

    pub fn get(&self, id: FormId) -> Option<(&FormKey, &FormStats)> {
        self.forms.get(id.index()).map(|(key, stats)| (key, stats))
    }

    /// All forms in id order.
    pub fn iter(&self) -> impl Iterator<Item = (FormId, &FormKey, &FormStats)> {
        self.forms.iter().enumerate().map(|(i, (key, stats))| (form_id(i), key, stats))
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}

/// An entity's number in its catalogue: its position in the sorted list. Changes when the
/// catalogue is rebuilt; store [`FormId`]s, not these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// One canonical entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: EntityId,
    /// The most complete automatic name, or the alias file's name for it.
    pub name: String,
    /// The majority type over its mentions, or the alias file's type.
    pub kind: EntityKind,
    pub mentions: u64,
    /// Articles that mention it, summed over its forms: exact unless two of its names appear in
    /// the same article, as after an alias-file merge or a company name joining its form with a
    /// legal form ([`EntityCatalog::recount_articles`] corrects that).
    pub articles: u64,
    /// Mentions per recognised type.
    pub kinds: KindCounts,
    /// How it is written (after cleaning), most frequent first.
    pub aliases: Vec<AliasForm>,
    /// Hidden by the alias file: still resolvable, but lists, charts and exports skip it.
    pub hidden: bool,
    /// The local forms that belong to it, ascending.
    pub forms: Vec<FormId>,
}

/// The canonical entities of a corpus: sorted by mentions (most first), then name; with lookups
/// from local forms to entities.
#[derive(Clone, Debug, Default)]
pub struct EntityCatalog {
    entities: Vec<Entity>,
    /// Indexed by [`FormId`].
    entity_of_form: Vec<EntityId>,
    by_key: FxHashMap<FormKey, EntityId>,
    unmatched_aliases: Vec<String>,
}

/// Local forms with the same name up to case, whatever their type ("Kremlin" ORG and LOC).
struct NameGroup<'a> {
    key: String,
    forms: Vec<FormId>,
    kinds: KindCounts,
    spellings: BTreeMap<&'a str, u64>,
}

/// Name groups under one head: the person's full name and its shortenings, or a single group.
struct Cluster {
    head: usize,
    groups: Vec<usize>,
}

impl EntityCatalog {
    /// Builds the catalogue from the corpus's forms and the user's alias file
    /// (`&AliasFile::default()` when there is none).
    pub fn build(forms: &FormTable, aliases: &AliasFile) -> Self {
        let groups = name_groups(forms);
        let clusters = clusters(&groups);

        let cluster_of_name =
            if aliases.entities.is_empty() { HashMap::new() } else { alias_targets(forms, &groups, &clusters) };
        // Each alias entry claims the clusters its names match; the first entry to claim wins.
        let mut claimed = vec![false; clusters.len()];
        let mut entities = Vec::with_capacity(clusters.len());
        let mut unmatched_aliases = Vec::new();
        for entry in &aliases.entities {
            let mut matched: Vec<usize> = entry
                .names()
                .filter_map(|name| cluster_of_name.get(&lookup_key(name)).copied())
                .filter(|&c| !claimed[c])
                .collect();
            matched.sort_unstable();
            matched.dedup();
            if matched.is_empty() {
                unmatched_aliases.push(entry.name.clone());
                continue;
            }
            let mut members = Vec::new();
            for &c in &matched {
                claimed[c] = true;
                members.extend_from_slice(&clusters[c].groups);
            }
            let mut entity = entity_from(forms, &groups, &members, entry.name.trim().to_string());
            entity.kind = entry.kind.unwrap_or(entity.kind);
            entity.hidden = entry.hidden;
            entities.push(entity);
        }
        let unclaimed: Vec<&Cluster> =
            clusters.iter().zip(&claimed).filter(|(_, taken)| !**taken).map(|(c, _)| c).collect();
        entities.par_extend(unclaimed.into_par_iter().map(|cluster| {
            let name = display_form(&groups[cluster.head].spellings).to_string();
            entity_from(forms, &groups, &cluster.groups, name)
        }));

        entities.par_sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.name.cmp(&b.name))
                .then(a.kind.cmp(&b.kind))
                // By the forms' names, not their ids: ids follow the order articles were added in.
                .then_with(|| {
                    let keys = |e: &Entity| {
                        let mut keys: Vec<&FormKey> =
                            e.forms.iter().filter_map(|&f| forms.get(f).map(|(k, _)| k)).collect();
                        keys.sort_unstable();
                        keys
                    };
                    keys(a).cmp(&keys(b))
                })
        });
        let mut entity_of_form = vec![EntityId(u32::MAX); forms.len()];
        let mut by_key = FxHashMap::with_capacity_and_hasher(forms.len(), Default::default());
        for (i, entity) in entities.iter_mut().enumerate() {
            entity.id = EntityId(u32::try_from(i).unwrap_or(u32::MAX));
            for &form in &entity.forms {
                entity_of_form[form.index()] = entity.id;
                if let Some((key, _)) = forms.get(form) {
                    by_key.insert(key.clone(), entity.id);
                }
            }
        }
        Self { entities, entity_of_form, by_key, unmatched_aliases }
    }

    /// All entities, hidden ones included, sorted by mentions (most first), then name.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entities lists, charts and exports show: all but the hidden ones.
    pub fn visible(&self) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(|e| !e.hidden)
    }

    pub fn get(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.0 as usize)
    }

    /// The entity a local form belongs to.
    pub fn entity_of(&self, form: FormId) -> Option<EntityId> {
        self.entity_of_form.get(form.index()).copied()
    }

    /// The entity of an article-local `(name, kind)` as [`super::group_article`] produced it.
    pub fn lookup(&self, name: &str, kind: EntityKind) -> Option<EntityId> {
        self.by_key.get(&FormKey { name: name.to_string(), kind }).copied()
    }

    /// Entities a user might mean by `query` (`presswatch trends -e "Putin"`), ignoring case,
    /// possessives and a leading "the": those named so or ever written so, the most mentioned
    /// first (a stray one-off "Kirillov" tagged as a place must not win over Igor Kirillov), an
    /// exact name breaking ties. Hidden entities are included (check [`Entity::hidden`]).
    pub fn find(&self, query: &str) -> Vec<EntityId> {
        let key = lookup_key(query);
        let mut found: Vec<(&Entity, bool)> = self
            .entities
            .iter()
            .filter_map(|e| {
                let named = lookup_key(&e.name) == key;
                (named || e.aliases.iter().any(|a| lookup_key(&a.text) == key)).then_some((e, named))
            })
            .collect();
        found.sort_by(|(a, a_named), (b, b_named)| b.mentions.cmp(&a.mentions).then(b_named.cmp(a_named)));
        found.into_iter().map(|(e, _)| e.id).collect()
    }

    /// Names of alias-file entries that matched no entity (for a warning; they are harmless).
    pub fn unmatched_aliases(&self) -> &[String] {
        &self.unmatched_aliases
    }

    /// Per entity (indexed by [`EntityId`]), the articles that mention it and how often, from
    /// per-form lists (`per_form[form]`: `(article, mentions)` by article): an article using two
    /// forms of one entity counts once, with their mentions added. This is what charts and `-e`
    /// need, and its lengths are exact article counts.
    pub fn form_hits(&self, per_form: &[Vec<(u32, u32)>]) -> Vec<Vec<(u32, u32)>> {
        self.entities
            .iter()
            .map(|entity| {
                let mut list: Vec<(u32, u32)> =
                    entity.forms.iter().filter_map(|form| per_form.get(form.index())).flatten().copied().collect();
                if entity.forms.len() > 1 {
                    list.sort_unstable_by_key(|&(article, _)| article);
                    list.dedup_by(|next, kept| {
                        let same = next.0 == kept.0;
                        if same {
                            kept.1 = kept.1.saturating_add(next.1);
                        }
                        same
                    });
                }
                list
            })
            .collect()
    }

    /// Sets each [`Entity::articles`] to its exact count from [`EntityCatalog::form_hits`].
    pub fn recount_articles(&mut self, hits: &[Vec<(u32, u32)>]) {
        for (entity, list) in self.entities.iter_mut().zip(hits) {
            entity.articles = list.len() as u64;
        }
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

/// The forms grouped by [`lookup_key`], groups sorted by it (a hash map while grouping, which is
/// much faster than a sorted map for a large corpus's hundred thousand names).
fn name_groups(forms: &FormTable) -> Vec<NameGroup<'_>> {
    let mut slot_of: FxHashMap<String, usize> = FxHashMap::default();
    let mut groups: Vec<NameGroup<'_>> = Vec::new();
    let lookups: Vec<String> = forms.forms.par_iter().map(|(key, _)| lookup_key(&key.name)).collect();
    for ((id, key, stats), lookup) in forms.iter().zip(lookups) {
        let g = match slot_of.get(&lookup) {
            Some(&g) => g,
            None => {
                slot_of.insert(lookup.clone(), groups.len());
                groups.push(NameGroup {
                    key: lookup,
                    forms: Vec::new(),
                    kinds: KindCounts::default(),
                    spellings: BTreeMap::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        group.forms.push(id);
        group.kinds.add_all(&stats.kinds);
        *group.spellings.entry(key.name.as_str()).or_default() += stats.mentions();
    }
    groups.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    groups
}

/// Lone surnames join the corpus's one full name with that surname, and a company name its one
/// form with a legal form ("Texaco" joins "Texaco Inc"); every other group stands alone.
fn clusters(groups: &[NameGroup<'_>]) -> Vec<Cluster> {
    let display: Vec<(&str, KindCounts)> = groups.iter().map(|g| (display_form(&g.spellings), g.kinds)).collect();
    let mut heads = persons::person_heads(&display, persons::Scope::Corpus);
    join_legal_forms(groups, &mut heads);
    let mut slot_of_head: Vec<Option<usize>> = vec![None; groups.len()];
    let mut clusters: Vec<Cluster> = Vec::new();
    for (g, &head) in heads.iter().enumerate() {
        let slot = *slot_of_head[head].get_or_insert_with(|| {
            clusters.push(Cluster { head, groups: Vec::new() });
            clusters.len() - 1
        });
        clusters[slot].groups.push(g);
    }
    clusters
}

/// "General Motors" joins "General Motors Corp", the more complete name, when that is the only
/// name in the corpus that adds a legal form to it (with "Texaco Inc" and "Texaco Corp" both
/// present, "Texaco" stays on its own), both are mostly tagged ORG, and the fuller name has at
/// least a tenth of the shorter one's mentions. `heads` comes from
/// [`persons::person_heads`] and is updated in place; heads stay heads of themselves.
fn join_legal_forms(groups: &[NameGroup<'_>], heads: &mut [usize]) {
    let by_key: HashMap<&str, usize> = groups.iter().enumerate().map(|(g, group)| (group.key.as_str(), g)).collect();
    let is_company = |group: &NameGroup<'_>| group.kinds.majority() == EntityKind::Organization;
    // Per base group, the one group that adds a legal form to it (None once there are two).
    let mut fuller: BTreeMap<usize, Option<usize>> = BTreeMap::new();
    for (g, group) in groups.iter().enumerate() {
        let Some((base, form)) = group.key.rsplit_once(' ') else { continue };
        // "Merrill Lynch & Co" and "Merrill Lynch and Co" add the form to "Merrill Lynch".
        let base = base.trim_end_matches(',');
        let base = base.strip_suffix(" &").or_else(|| base.strip_suffix(" and")).unwrap_or(base);
        if !is_company(group) || heads[g] != g || !legal_forms::is_legal_form(form) {
            continue;
        }
        // The fuller name must be an established one, not a stray tag ("U.S. Inc", "Treasury
        // Corp" once), or it would rename a much better known entity.
        if let Some(&b) = by_key.get(base)
            && heads[b] == b
            && is_company(&groups[b])
            && group.kinds.total().saturating_mul(10) >= groups[b].kinds.total()
        {
            fuller.entry(b).and_modify(|f| *f = None).or_insert(Some(g));
        }
    }
    // A name that itself joins a fuller one cannot take others ("X Inc" joining "X Inc Co"
    // would leave "X" pointing at a group that is no head).
    let joining: Vec<usize> = fuller.iter().filter(|(_, full)| full.is_some()).map(|(&base, _)| base).collect();
    for (base, full) in fuller {
        if let Some(full) = full
            && !joining.contains(&full)
        {
            heads[base] = full;
        }
    }
}

/// Which cluster an alias-file name means, by [`lookup_key`]: the cluster that has it as a local
/// name, else the one cluster that was ever written so ("Putin" when every article that says
/// "Putin" also says "Vladimir Putin"). A surface form shared by several clusters ("Smith" inside
/// "John Smith" and "Jane Smith") means none of them.
fn alias_targets(forms: &FormTable, groups: &[NameGroup<'_>], clusters: &[Cluster]) -> HashMap<String, usize> {
    let mut by_surface: HashMap<String, Option<usize>> = HashMap::new();
    for (c, cluster) in clusters.iter().enumerate() {
        let surfaces = cluster
            .groups
            .iter()
            .flat_map(|&g| &groups[g].forms)
            .filter_map(|&id| forms.get(id))
            .flat_map(|(_, stats)| stats.surfaces.keys());
        for surface in surfaces {
            let target = by_surface.entry(lookup_key(surface)).or_insert(Some(c));
            if *target != Some(c) {
                *target = None;
            }
        }
    }
    let mut targets: HashMap<String, usize> = by_surface.into_iter().filter_map(|(key, c)| Some((key, c?))).collect();
    for (c, cluster) in clusters.iter().enumerate() {
        for &g in &cluster.groups {
            targets.insert(groups[g].key.clone(), c);
        }
    }
    targets
}

/// An entity (id not yet assigned) made of the given name groups.
fn entity_from(forms: &FormTable, groups: &[NameGroup<'_>], members: &[usize], name: String) -> Entity {
    // Most entities are one form: its totals are the entity's (a copied map is built in one go).
    if let [g] = members
        && let [id] = groups[*g].forms[..]
        && let Some((_, stats)) = forms.get(id)
    {
        return Entity {
            id: EntityId(0),
            name,
            kind: stats.kinds.majority(),
            mentions: stats.kinds.total(),
            articles: stats.articles,
            kinds: stats.kinds,
            aliases: sorted_by_count(stats.surfaces.clone()),
            hidden: false,
            forms: vec![id],
        };
    }
    let mut kinds = KindCounts::default();
    let mut articles = 0u64;
    let mut surfaces: BTreeMap<String, u64> = BTreeMap::new();
    let mut form_ids = Vec::new();
    for &g in members {
        for &id in &groups[g].forms {
            let Some((_, stats)) = forms.get(id) else {
                continue;
            };
            kinds.add_all(&stats.kinds);
            articles += stats.articles;
            for (surface, n) in &stats.surfaces {
                *surfaces.entry(surface.clone()).or_default() += n;
            }
            form_ids.push(id);
        }
    }
    form_ids.sort_unstable();
    Entity {
        id: EntityId(0),
        name,
        kind: kinds.majority(),
        mentions: kinds.total(),
        articles,
        kinds,
        aliases: sorted_by_count(surfaces),
        hidden: false,
        forms: form_ids,
    }
}

#[cfg(test)]
mod tests {
    use super::super::group_article;
    use super::super::testing::tag;
    use super::*;
    use crate::core::entities::aliases::AliasEntry;
    use EntityKind::{Location, Organization, Person};

    /// Articles as `(text, needles)`; returns the filled table and each article's form list.
    /// The form table of these articles, and per form the articles using it (as the importer
    /// keeps them).
    fn import(articles: &[(&str, &[(&str, EntityKind)])]) -> (FormTable, Vec<Vec<(u32, u32)>>) {
        let mut table = FormTable::new();
        let mut per_form: Vec<Vec<(u32, u32)>> = Vec::new();
        for (article, (text, needles)) in articles.iter().enumerate() {
            for (form, n) in table.add_article(&group_article(text, &tag(text, needles))) {
                per_form.resize_with(per_form.len().max(form.index() + 1), Vec::new);
                per_form[form.index()].push((article as u32, n));
            }
        }
        (table, per_form)
    }

    /// `(name, kind, mentions, articles)` per entity, in catalogue order.
    fn summary(catalog: &EntityCatalog) -> Vec<(&str, EntityKind, u64, u64)> {
        catalog.entities().iter().map(|e| (e.name.as_str(), e.kind, e.mentions, e.articles)).collect()
    }

    const PUTIN: (&str, &[(&str, EntityKind)]) = (
        "Russian President Vladimir Putin spoke. Putin's aide listened.",
        &[("Russian President Vladimir Putin", Person), ("Putin's", Person)],
    );
    const PUTIN_ALONE: (&str, &[(&str, EntityKind)]) =
        ("Putin said the Kremlin agreed.", &[("Putin", Person), ("the Kremlin", Organization)]);
    const KREMLIN_AS_PLACE: (&str, &[(&str, EntityKind)]) =
        ("Inside the Kremlin, Mr Putin waited.", &[("Kremlin", Location), ("Mr Putin", Person)]);

    #[test]
    fn a_lone_surname_joins_the_only_full_name_in_the_corpus() {
        let (table, _) = import(&[PUTIN, PUTIN_ALONE, KREMLIN_AS_PLACE]);
        let catalog = EntityCatalog::build(&table, &AliasFile::default());
        assert_eq!(summary(&catalog), [("Vladimir Putin", Person, 4, 3), ("Kremlin", Organization, 2, 2)]);
        let putin = &catalog.entities()[0];
        let aliases: Vec<(&str, u64)> = putin.aliases.iter().map(|a| (a.text.as_str(), a.mentions)).collect();
        assert_eq!(aliases, [("Putin", 3), ("Vladimir Putin", 1)]);
        assert_eq!(catalog.entities()[1].kinds.get(Location), 1, "Kremlin keeps its LOC mention");
    }

    #[test]
    fn a_company_name_joins_its_one_form_with_a_legal_form() {
        let (table, lists) = import(&[
            ("Texaco Inc said Texaco would.", &[("Texaco Inc", Organization), ("Texaco", Organization)]),
            (
                "Merrill Lynch & Co and Merrill Lynch",
                &[("Merrill Lynch & Co", Organization), ("Merrill Lynch", Organization)],
            ),
            ("TEXACO SAYS", &[("TEXACO", Organization)]),
            ("Texaco and Chrysler met.", &[("Texaco", Organization), ("Chrysler", Organization)]),
            (
                "Chrysler Corp and Chrysler Co differ.",
                &[("Chrysler Corp", Organization), ("Chrysler Co", Organization)],
            ),
            ("Mr Co spoke; Co Inc too.", &[("Co", Person), ("Co Inc", Organization)]),
            ("Paris Inc, Paris, Paris", &[("Paris Inc", Organization), ("Paris", Location), ("Paris", Location)]),
        ]);
        let mut catalog = EntityCatalog::build(&table, &AliasFile::default());
        catalog.recount_articles(&catalog.form_hits(&lists));
        assert_eq!(
            summary(&catalog),
            [
                // The most complete form names the entity; its shorter form is an alias.
                // Counted once in the article that has both.
                ("Texaco Inc", Organization, 4, 3),
                ("Merrill Lynch & Co", Organization, 2, 1),
                ("Paris", Location, 2, 1),
                // Two legal forms for one name: which one "Chrysler" means is unknown.
                ("Chrysler", Organization, 1, 1),
                ("Chrysler Co", Organization, 1, 1),
                ("Chrysler Corp", Organization, 1, 1),
                // Only companies join: not a person, nor a place.
                ("Co", Person, 1, 1),
                ("Co Inc", Organization, 1, 1),
                ("Paris Inc", Organization, 1, 1),
            ]
        );
        let aliases: Vec<&str> = catalog.entities()[0].aliases.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(aliases, ["Texaco", "TEXACO", "Texaco Inc"]);

        // A stray fuller form (under a tenth of the mentions) does not rename a known name.
        let text = "Fed Corp. Fed Fed Fed Fed Fed Fed Fed Fed Fed Fed Fed";
        let mut needles = vec![("Fed Corp", Organization)];
        needles.extend(std::iter::repeat_n(("Fed", Organization), 11));
        let (table, _) = import(&[(text, &needles)]);
        let catalog = EntityCatalog::build(&table, &AliasFile::default());
        assert_eq!(summary(&catalog), [("Fed", Organization, 11, 1), ("Fed Corp", Organization, 1, 1)]);
    }

    #[test]
    fn a_surname_shared_by_two_full_names_in_the_corpus_stays_on_its_own() {
        let (table, _) = import(&[
            ("John Smith resigned.", &[("John Smith", Person)]),
            ("Jane Smith was elected.", &[("Jane Smith", Person)]),
            ("Smith said no.", &[("Smith", Person)]),
            ("Ms. Smith's office", &[("Ms. Smith's", Person)]),
        ]);
        let catalog = EntityCatalog::build(&table, &AliasFile::default());
        assert_eq!(
            summary(&catalog),
            [("Smith", Person, 2, 2), ("Jane Smith", Person, 1, 1), ("John Smith", Person, 1, 1)]
        );
    }

    #[test]
    fn the_within_article_examples_come_out_as_three_people() {
        let text = "Syrian President Bashar al-Assad met General Igor Kirillov. Assad thanked \
            Kirillov, and Vladimir Putin called Assad.";
        let (table, lists) = import(&[(
            text,
            &[
                ("Syrian President Bashar al-Assad", Person),
                ("General Igor Kirillov", Person),
                ("Assad", Person),
                ("Kirillov", Person),
                ("Vladimir Putin", Person),
                ("Assad", Person),
            ],
        )]);
        let catalog = EntityCatalog::build(&table, &AliasFile::default());
        assert_eq!(
            summary(&catalog),
            [("Bashar al-Assad", Person, 3, 1), ("Igor Kirillov", Person, 2, 1), ("Vladimir Putin", Person, 1, 1)]
        );
        assert_eq!(lists.iter().flatten().map(|&(_, n)| n).sum::<u32>(), 6);
    }

    #[test]
    fn lookups_lead_from_local_forms_to_entities() {
        let (table, lists) = import(&[PUTIN, PUTIN_ALONE, KREMLIN_AS_PLACE]);
        let catalog = EntityCatalog::build(&table, &AliasFile::default());
        let putin = catalog.lookup("Vladimir Putin", Person);
        assert_eq!(putin, Some(EntityId(0)));
        assert_eq!(catalog.lookup("Putin", Person), putin);
        assert_eq!(catalog.lookup("Kremlin", Location), Some(EntityId(1)));
        assert_eq!(catalog.lookup("Kremlin", Person), None);
        for form in (0..lists.len()).map(form_id) {
            let id = catalog.entity_of(form).unwrap();
            assert!(catalog.get(id).unwrap().forms.contains(&form));
        }
        assert_eq!(catalog.find("putin's"), [EntityId(0)]);
        assert_eq!(catalog.find("THE KREMLIN"), [EntityId(1)]);
        assert!(catalog.find("Moscow").is_empty());
    }

    #[test]
    fn acronyms_stay_apart_until_the_alias_file_merges_them() {
        let text = "NATO, the North Atlantic Treaty Organization, met. NATO's chief spoke.";
        let needles: &[(&str, EntityKind)] = &[
            ("NATO", Organization),
            ("the North Atlantic Treaty Organization", Organization),
            ("NATO's", Organization),
        ];
        let (table, lists) = import(&[(text, needles), ("Nato said.", &[("Nato", Organization)])]);
        let plain = EntityCatalog::build(&table, &AliasFile::default());
        assert_eq!(
            summary(&plain),
            [("NATO", Organization, 3, 2), ("North Atlantic Treaty Organization", Organization, 1, 1)]
        );

        let mut aliases = AliasFile::default();
        aliases.merge("North Atlantic Treaty Organization", "NATO");
        let mut merged = EntityCatalog::build(&table, &aliases);
        assert_eq!(summary(&merged), [("NATO", Organization, 4, 3)]);
        let hits = merged.form_hits(&lists);
        assert_eq!(hits, [vec![(0, 3), (1, 1)]], "both names share the first article");
        merged.recount_articles(&hits);
        assert_eq!(summary(&merged), [("NATO", Organization, 4, 2)]);
    }

    #[test]
    fn the_alias_file_renames_retypes_merges_and_hides() {
        let (table, lists) = import(&[
            PUTIN,
            PUTIN_ALONE,
            KREMLIN_AS_PLACE,
            ("Reuters reported.", &[("Reuters", Person)]),
            ("Smith and Jones", &[("Smith", Person), ("Jones", Person)]),
        ]);
        let aliases = AliasFile {
            entities: vec![
                AliasEntry { hidden: true, ..AliasEntry::new("Kremlin") },
                AliasEntry { kind: Some(Organization), ..AliasEntry::new("Reuters") },
                AliasEntry { aliases: vec!["Vladimir Putin".into()], ..AliasEntry::new("President Putin") },
                AliasEntry { aliases: vec!["Jones".into()], ..AliasEntry::new("Smith") },
                AliasEntry::new("Nobody we know"),
            ],
            ..AliasFile::default()
        };
        let mut catalog = EntityCatalog::build(&table, &aliases);
        catalog.recount_articles(&catalog.form_hits(&lists));
        assert_eq!(
            summary(&catalog),
            [
                ("President Putin", Person, 4, 3),
                ("Kremlin", Organization, 2, 2),
                ("Smith", Person, 2, 1),
                ("Reuters", Organization, 1, 1),
            ]
        );
        let visible: Vec<&str> = catalog.visible().map(|e| e.name.as_str()).collect();
        assert_eq!(visible, ["President Putin", "Smith", "Reuters"]);
        let kremlin = catalog.lookup("Kremlin", Organization).and_then(|id| catalog.get(id));
        assert!(kremlin.is_some_and(|e| e.hidden), "hidden entities still resolve");
        assert_eq!(catalog.find("Vladimir Putin"), [EntityId(0)]);
        assert_eq!(catalog.unmatched_aliases(), ["Nobody we know"]);
    }

    #[test]
    fn the_first_alias_entry_to_claim_an_entity_wins() {
        let (table, _) = import(&[PUTIN]);
        let aliases = AliasFile {
            entities: vec![
                AliasEntry { hidden: true, ..AliasEntry::new("Putin") },
                AliasEntry { aliases: vec!["Vladimir Putin".into()], ..AliasEntry::new("V. Putin") },
            ],
            ..AliasFile::default()
        };
        let catalog = EntityCatalog::build(&table, &aliases);
        assert_eq!(summary(&catalog), [("Putin", Person, 2, 1)], "\"Putin\" is only a surface form here");
        assert!(catalog.entities()[0].hidden);
        assert_eq!(catalog.unmatched_aliases(), ["V. Putin"]);
    }

    #[test]
    fn the_catalogue_does_not_depend_on_the_order_articles_were_added() {
        let articles = [
            PUTIN,
            PUTIN_ALONE,
            KREMLIN_AS_PLACE,
            ("John Smith met Jane Smith.", &[("John Smith", Person), ("Jane Smith", Person)]),
            ("Smith left.", &[("Smith", Person)]),
            ("Зеленский and Nabiullina", &[("Зеленский", Person), ("Nabiullina", Person)]),
        ];
        let (forward, _) = import(&articles);
        let mut reversed_articles = articles;
        reversed_articles.reverse();
        let (backward, _) = import(&reversed_articles);
        let a = EntityCatalog::build(&forward, &AliasFile::default());
        let b = EntityCatalog::build(&backward, &AliasFile::default());
        let without_form_ids = |c: &EntityCatalog| -> Vec<Entity> {
            c.entities().iter().map(|e| Entity { forms: Vec::new(), ..e.clone() }).collect()
        };
        assert_eq!(without_form_ids(&a), without_form_ids(&b));
        assert_eq!(a.len(), 7);
    }

    #[test]
    fn the_form_table_survives_a_json_round_trip() {
        let (table, _) = import(&[PUTIN, PUTIN_ALONE]);
        let json = serde_json::to_string(&table).unwrap();
        let back: FormTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, table);
        assert_eq!(back.id("Putin", Person), table.id("Putin", Person));
        assert!(EntityCatalog::build(&FormTable::new(), &AliasFile::default()).is_empty());
    }
}
