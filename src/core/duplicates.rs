//! Syndicated copies: articles that repeat an earlier article's text (wire copies, reprints under
//! another headline, with boilerplate added or paragraphs trimmed or moved), grouped one group per
//! story with the earliest article as the original.
//!
//! Each article's text becomes the set of its word shingles (three consecutive words, by the
//! counting rules' words and case) and a MinHash signature of that set: 126 minima of 2-universal
//! hashes, so the share of equal minima estimates the Jaccard similarity of two sets, and with
//! the sets' sizes, how much of the shorter one the longer one holds (its containment). Locality
//! sensitive hashing finds the candidate pairs without comparing every pair: the signature is cut
//! into 42 bands of 3 minima, and articles that agree on a whole band are candidates (a band
//! that many stories pass through remembers only the latest [`MAX_SEEN`] of them). Then, in
//! order of publication (undated articles last, ties by import order, which is id order), each
//! article joins the group of the earliest original among the earlier articles it resembles, or
//! starts its own. It must resemble one of the group's articles directly (no chains through third
//! articles in other groups) and lie within [`DuplicateSettings::max_days_apart`] of the original.
//!
//! Why not a crate: crates.io's MinHash crates (gaoya, probabilistic-collections,
//! datasketch-minhash-lsh, lshdedup-core) either tokenize text their own way, hash with SipHash
//! per hash function (slow at 230,000 articles), keep LSH buckets in randomly seeded hash maps
//! (order-dependent output), or pull in old or pre-release dependencies; the part needed here is
//! short.
//!
//! Deliberately not done: no detection of translated copies, of paraphrases (different words,
//! same story) or of copies whose shared text is under about a third of the shorter article;
//! articles under five shingles (a bare headline) are never grouped, since short identical texts
//! such as recurring column names are not the same story; identical texts published more than
//! `max_days_apart` after the group's original start a new group.

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::core::index::{ArticleIdx, Index};
use crate::core::query::syntax::source_key;
use crate::core::query::{lower_word_into, words};
use crate::core::sources::outlet;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Minima per signature.
pub const HASHES: usize = 126;
const ROWS: usize = 3;
const BANDS: usize = HASHES / ROWS;
/// Articles with fewer distinct shingles are never grouped.
pub const MIN_SHINGLES: u32 = 5;

const NONE: u32 = u32::MAX;

/// When two articles count as copies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DuplicateSettings {
    /// Copies when the estimated Jaccard similarity of their shingle sets reaches this …
    pub min_jaccard: f64,
    /// … or when the longer holds at least this share of the shorter's shingles (a trimmed copy,
    /// or one with boilerplate added), the estimated Jaccard similarity being at least
    /// `min_jaccard_contained`.
    pub min_containment: f64,
    pub min_jaccard_contained: f64,
    /// Two articles from one source are copies only when their estimated Jaccard similarity
    /// reaches this: an outlet's recurring series (market round-ups, daily briefings, TV
    /// listings) repeat most of their words from one edition to the next, while a syndicated
    /// copy appears at another outlet.
    pub min_jaccard_same_source: f64,
    /// A copy lies at most this many days after its group's original (both dated).
    pub max_days_apart: u32,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        Self {
            min_jaccard: 0.5,
            min_containment: 0.7,
            min_jaccard_contained: 0.3,
            min_jaccard_same_source: 0.9,
            max_days_apart: 7,
        }
    }
}

/// The MinHash signature of an article's shingle set: the low 16 bits of each 32-bit minimum
/// (b-bit MinHash, Li and König 2010). Two different minima then agree by chance once in 65,536,
/// which moves a Jaccard estimate by under 0.00002, and a signature takes half the memory (a
/// million articles' signatures are 250 MB instead of 500).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    mins: Box<[u16; HASHES]>,
    /// Distinct shingles.
    shingles: u32,
}

/// The hash functions' multipliers and offsets: `(a·x + b) >> 32` with odd `a`, from a fixed
/// seed, so signatures never change between runs or versions.
const COEFFICIENTS: [(u64, u64); HASHES] = {
    let mut out = [(0u64, 0u64); HASHES];
    let mut state: u64 = 0x005E_ED0F_D00B;
    let mut i = 0;
    while i < HASHES {
        let mut pair = [0u64; 2];
        let mut j = 0;
        while j < 2 {
            // SplitMix64.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            pair[j] = z ^ (z >> 31);
            j += 1;
        }
        out[i] = (pair[0] | 1, pair[1]);
        i += 1;
    }
    out
};

impl Signature {
    /// The signature of `text` (an article's counted text), `None` under [`MIN_SHINGLES`].
    pub fn of(text: &str) -> Option<Signature> {
        let shingles = shingles(text);
        if (shingles.len() as u32) < MIN_SHINGLES {
            return None;
        }
        let mut mins = [u32::MAX; HASHES];
        for &x in &shingles {
            let x = u64::from(x);
            for (m, &(a, b)) in mins.iter_mut().zip(&COEFFICIENTS) {
                *m = (*m).min((a.wrapping_mul(x).wrapping_add(b) >> 32) as u32);
            }
        }
        Some(Signature { mins: Box::new(mins.map(|m| m as u16)), shingles: shingles.len() as u32 })
    }

    /// Distinct shingles in the text.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// The estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let equal = self.mins.iter().zip(other.mins.iter()).filter(|(a, b)| a == b).count();
        equal as f64 / HASHES as f64
    }

    /// The estimated share of the smaller set's shingles that the other holds, given the
    /// estimated Jaccard similarity `jaccard`: |A∩B| = J·(|A|+|B|)/(1+J).
    pub fn containment(&self, other: &Signature, jaccard: f64) -> f64 {
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        (jaccard * (a + b) / (1.0 + jaccard) / a.min(b)).min(1.0)
    }

    fn band_key(&self, band: usize) -> u64 {
        let rows = &self.mins[band * ROWS..(band + 1) * ROWS];
        rows.iter().fold(band as u64, |h, &m| (h.rotate_left(29) ^ u64::from(m)).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

/// The distinct shingle hashes of `text`, sorted: every run of [`SHINGLE_WORDS`] words (the
/// whole text when it has fewer), lower-cased as the counting rules do.
fn shingles(text: &str) -> Vec<u32> {
    let mut word = String::new();
    let hashes: Vec<u64> = words(text)
        .map(|(s, e)| {
            lower_word_into(&text[s..e], &mut word);
            xxh3_64(word.as_bytes())
        })
        .collect();
    let fold = |run: &[u64]| -> u32 {
        let h = run.iter().fold(0u64, |h, &w| (h.rotate_left(21) ^ w).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        ((h ^ (h >> 32)) & 0xFFFF_FFFF) as u32
    };
    let mut out: Vec<u32> = if hashes.len() < SHINGLE_WORDS {
        if hashes.is_empty() { Vec::new() } else { vec![fold(&hashes)] }
    } else {
        hashes.windows(SHINGLE_WORDS).map(fold).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// What grouping needs of one article.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub article: ArticleIdx,
    /// The full publication time (the earliest of a group is its original); `None` when
    /// undated.
    pub published: Option<DateTime<Utc>>,
    /// The article's place in import order (files by path, records by position, which is
    /// article-id order): the tie-break.
    pub rank: u64,
    /// Its outlet (see `core::sources`), trimmed and lower-cased; `None` when unknown.
    pub source: Option<String>,
    /// `None` for articles too short to compare.
    pub signature: Option<Signature>,
}

impl Candidate {
    /// An article as grouping needs it, from its counted text and its source as read.
    pub fn new(
        article: ArticleIdx,
        published: Option<DateTime<Utc>>,
        rank: u64,
        source: Option<&str>,
        text: &str,
    ) -> Candidate {
        Candidate {
            article,
            published,
            rank,
            // By outlet: one outlet's feeds are one source.
            source: source.map(|s| source_key(&outlet(s))).filter(|s| !s.is_empty()),
            signature: Signature::of(text),
        }
    }
}

/// Groups the articles of `index` (reading every article's text from it, on every core): what
/// `presswatch duplicates` prints and what counting each story once uses. Import order (the
/// tie-break between articles published at the same time) is [`Index::articles_in_order`].
pub fn find(index: &Index, settings: &DuplicateSettings) -> DuplicateGroups {
    let order = index.articles_in_order();
    let candidates: Vec<Candidate> = order
        .par_iter()
        .enumerate()
        .filter_map(|(rank, &a)| {
            let article = index.article(a)?;
            Some(Candidate::new(
                a,
                article.published.map(|p| p.to_utc()),
                rank as u64,
                article.source.as_deref(),
                &article.text,
            ))
        })
        .collect();
    DuplicateGroups::build(candidates, settings)
}

/// One story that was published more than once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The earliest article.
    pub original: ArticleIdx,
    /// The others, in order of publication, then import order.
    pub copies: Vec<ArticleIdx>,
}

/// The stories with copies, and which story each article belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DuplicateGroups {
    /// In order of their originals' publication (then import order).
    pub groups: Vec<Group>,
    /// By article number: the index of its group in `groups`, or [`NONE`].
    group_of: Vec<u32>,
}

impl DuplicateGroups {
    /// Groups `candidates` (any order; every article once).
    pub fn build(mut candidates: Vec<Candidate>, settings: &DuplicateSettings) -> DuplicateGroups {
        candidates.sort_by_key(|c| (c.published.is_none(), c.published, c.rank));
        let mut buckets = Buckets::of(&candidates);
        let max_apart = i64::from(settings.max_days_apart) * 86_400;
        // Per position, the group it joined (groups are numbered in order of their originals).
        let mut group_at: Vec<u32> = vec![NONE; candidates.len()];
        let mut originals: Vec<u32> = Vec::new();
        let mut nearby: Vec<(u32, u32)> = Vec::new();
        for p in 0..candidates.len() {
            let Some(signature) = candidates[p].signature.as_ref() else { continue };
            let mine = buckets.of_position(p);
            if mine.is_empty() {
                continue;
            }
            // The earlier articles to compare with, each once (two articles that share several
            // buckets meet in each), by group: the first that resembles this one is the
            // earliest such group.
            nearby.clear();
            nearby.extend(mine.iter().flat_map(|&b| buckets.seen(b)).map(|&q| (group_at[q as usize], q)));
            nearby.sort_unstable();
            nearby.dedup();
            let best = nearby.iter().find_map(|&(group, q)| {
                let original = &candidates[originals[group as usize] as usize];
                let in_time = match (original.published, candidates[p].published) {
                    (Some(o), Some(c)) => (c - o).num_seconds() <= max_apart,
                    _ => true,
                };
                let other = &candidates[q as usize];
                let same_source = other.source.is_some() && other.source == candidates[p].source;
                let resembles = other.signature.as_ref().is_some_and(|s| copies(signature, s, same_source, settings));
                (in_time && resembles).then_some(group)
            });
            let group = best.unwrap_or_else(|| {
                originals.push(p as u32);
                originals.len() as u32 - 1
            });
            group_at[p] = group;
            for i in 0..mine.len() {
                let bucket = buckets.of_position(p)[i];
                if !buckets.seen(bucket).iter().any(|&q| group_at[q as usize] == group) {
                    buckets.add_seen(bucket, p as u32);
                }
            }
        }
        drop(buckets);
        // Groups of one are no group.
        let mut members: Vec<Vec<ArticleIdx>> = vec![Vec::new(); originals.len()];
        for (p, &group) in group_at.iter().enumerate() {
            if group != NONE {
                members[group as usize].push(candidates[p].article);
            }
        }
        let size = candidates.iter().map(|c| c.article as usize + 1).max().unwrap_or(0);
        let mut group_of = vec![NONE; size];
        let mut groups = Vec::new();
        for list in members.into_iter().filter(|m| m.len() > 1) {
            for &a in &list {
                group_of[a as usize] = groups.len() as u32;
            }
            groups.push(Group { original: list[0], copies: list[1..].to_vec() });
        }
        DuplicateGroups { groups, group_of }
    }

    /// The group `article` belongs to, as an index into `groups`.
    pub fn group_of(&self, article: ArticleIdx) -> Option<usize> {
        self.group_of.get(article as usize).filter(|&&g| g != NONE).map(|&g| g as usize)
    }

    /// Whether `article` is a copy of an earlier article (counted once, as its original, when
    /// each story counts once).
    pub fn is_copy(&self, article: ArticleIdx) -> bool {
        self.group_of(article).is_some_and(|g| self.groups[g].original != article)
    }

    /// The original of `article`'s story: itself when it is no copy. Counting each story once
    /// counts an article only when this is itself.
    pub fn original_of(&self, article: ArticleIdx) -> ArticleIdx {
        self.group_of(article).map_or(article, |g| self.groups[g].original)
    }

    /// The group whose original is `article`, if it has copies (the article list's "N copies").
    pub fn copies_of(&self, article: ArticleIdx) -> Option<&Group> {
        self.group_of(article).map(|g| &self.groups[g]).filter(|g| g.original == article)
    }

    /// Articles that are copies.
    pub fn copies(&self) -> usize {
        self.groups.iter().map(|g| g.copies.len()).sum()
    }
}

/// Whether two signatures are of copies of one text; `same_source` when both articles come
/// from one (known) source.
pub fn copies(a: &Signature, b: &Signature, same_source: bool, settings: &DuplicateSettings) -> bool {
    let jaccard = a.jaccard(b);
    if same_source {
        return jaccard >= settings.min_jaccard_same_source;
    }
    jaccard >= settings.min_jaccard
        || (jaccard >= settings.min_jaccard_contained && a.containment(b, jaccard) >= settings.min_containment)
}

/// The LSH buckets holding more than one article, in flat arrays (a folder whose articles share
/// boilerplate can put nearly every article in a bucket of every band: 42 million memberships
/// for the 1M-article scale corpus, where a small allocation per bucket cost gigabytes).
/// Buckets are numbered band by band.
struct Buckets {
    /// Per position, its buckets: `ids[id_starts[p]..id_starts[p + 1]]`.
    id_starts: Vec<u32>,
    ids: Vec<u32>,
    /// Per bucket, its seen list: room for up to [`MAX_SEEN`] positions at
    /// `slots[slot_starts[k]..slot_starts[k + 1]]`, used as a ring once full, and how many
    /// were ever added.
    slot_starts: Vec<u32>,
    slots: Vec<u32>,
    added: Vec<u32>,
}

/// Groups a bucket remembers: an article is compared with the latest this many groups that
/// have an article in a bucket it shares. Copies of one story share several of the 42 bands
/// (a pair at Jaccard similarity 0.5 shares 5 on average), so a bucket that many groups pass
/// through holds text the articles share by chance or boilerplate; without a bound every
/// article in it would be compared with every earlier group there, quadratic in the bucket.
const MAX_SEEN: u32 = 64;

impl Buckets {
    fn of(candidates: &[Candidate]) -> Buckets {
        // Per band, the runs of equal band keys of two or more articles: their members (in
        // position order) as one list, and their sizes.
        let per_band: Vec<(Vec<u32>, Vec<u32>)> = (0..BANDS)
            .into_par_iter()
            .map(|band| {
                let mut keyed: Vec<(u64, u32)> = candidates
                    .iter()
                    .enumerate()
                    .filter_map(|(p, c)| Some((c.signature.as_ref()?.band_key(band), p as u32)))
                    .collect();
                keyed.sort_unstable();
                let (mut members, mut sizes) = (Vec::new(), Vec::new());
                for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
                    members.extend(run.iter().map(|&(_, p)| p));
                    sizes.push(run.len() as u32);
                }
                members.shrink_to_fit();
                sizes.shrink_to_fit();
                (members, sizes)
            })
            .collect();
        // Per position, its buckets, counted first and then filled (a list per position
        // would cost an allocation each).
        let mut id_starts = vec![0u32; candidates.len() + 1];
        for &p in per_band.iter().flat_map(|(members, _)| members) {
            id_starts[p as usize + 1] += 1;
        }
        for i in 1..id_starts.len() {
            id_starts[i] += id_starts[i - 1];
        }
        let mut filled = id_starts[..candidates.len()].to_vec();
        let mut ids = vec![0u32; id_starts[candidates.len()] as usize];
        let mut slot_starts = vec![0u32];
        let mut bucket = 0u32;
        for (members, sizes) in &per_band {
            let mut at = 0;
            for &size in sizes {
                for &p in &members[at..at + size as usize] {
                    ids[filled[p as usize] as usize] = bucket;
                    filled[p as usize] += 1;
                }
                at += size as usize;
                slot_starts.push(slot_starts[bucket as usize] + size.min(MAX_SEEN));
                bucket += 1;
            }
        }
        drop(per_band);
        let slots = vec![0u32; slot_starts[bucket as usize] as usize];
        Buckets { id_starts, ids, slot_starts, slots, added: vec![0; bucket as usize] }
    }

    /// The buckets of the article at `position`.
    fn of_position(&self, position: usize) -> &[u32] {
        &self.ids[self.id_starts[position] as usize..self.id_starts[position + 1] as usize]
    }

    /// The bucket's seen list: one position per group with an article in the bucket (the
    /// group's first there), for the latest [`MAX_SEEN`] groups.
    fn seen(&self, bucket: u32) -> &[u32] {
        let (first, end) = (self.slot_starts[bucket as usize], self.slot_starts[bucket as usize + 1]);
        let live = self.added[bucket as usize].min(end - first);
        &self.slots[first as usize..(first + live) as usize]
    }

    /// Adds `position` to the bucket's seen list, in place of the oldest when it is full.
    fn add_seen(&mut self, bucket: u32, position: u32) {
        let (first, end) = (self.slot_starts[bucket as usize], self.slot_starts[bucket as usize + 1]);
        let added = &mut self.added[bucket as usize];
        self.slots[(first + *added % (end - first)) as usize] = position;
        *added += 1;
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const STORY: &str = "Central bank raises rates\nThe central bank raised its key interest rate by half a point on \
        Tuesday, the third increase this year, saying inflation had proved more stubborn than expected.\n\
        Economists had forecast a smaller move. The bank said further increases were likely if prices kept rising \
        at the current pace, and that the labour market remained tight.\n\
        Markets fell after the announcement, with bank shares leading the decline.";

    fn at(day: u32, hour: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0).single()
    }

    fn candidate(article: ArticleIdx, published: Option<DateTime<Utc>>, text: &str) -> Candidate {
        Candidate::new(article, published, u64::from(article), None, text)
    }

    fn group(candidates: Vec<Candidate>) -> DuplicateGroups {
        DuplicateGroups::build(candidates, &DuplicateSettings::default())
    }

    /// An article whose signature shares band 0 with every other such article and nothing else
    /// (`id` makes the other minima its own).
    fn crowded(id: u32) -> Candidate {
        let mut mins = [0u16; HASHES];
        for (h, m) in mins.iter_mut().enumerate().skip(ROWS) {
            *m = (id * HASHES as u32 + h as u32) as u16 ^ 0x5a5a;
        }
        let signature = Signature { mins: Box::new(mins), shingles: 100 };
        Candidate { article: id, published: at(5, 8), rank: u64::from(id), source: None, signature: Some(signature) }
    }

    #[test]
    fn a_crowded_bucket_remembers_only_the_latest_groups() {
        let candidates: Vec<Candidate> = (0..300).map(crowded).collect();
        let mut buckets = Buckets::of(&candidates);
        assert!((0..300).all(|p| buckets.of_position(p) == [0]));
        for p in 0..300 {
            buckets.add_seen(0, p);
        }
        let mut seen = buckets.seen(0).to_vec();
        seen.sort_unstable();
        assert_eq!(seen, (300 - MAX_SEEN..300).collect::<Vec<_>>());
    }

    #[test]
    fn a_copy_is_found_through_its_other_bands_when_a_crowded_one_forgot_its_original() {
        let mut candidates: Vec<Candidate> = (0..300).map(crowded).collect();
        let mut copy = crowded(5);
        (copy.article, copy.rank) = (300, 300);
        candidates.push(copy);
        assert_eq!(group(candidates).groups, vec![Group { original: 5, copies: vec![300] }]);
    }

    #[test]
    fn edited_copies_join_the_earliest_article() {
        let retitled = STORY.replacen("Central bank raises rates", "Rates go up again as inflation bites", 1);
        let boilerplate =
            format!("{STORY}\nCopyright 2024 The Daily Wire Service. All rights reserved. Sign up for our newsletter.");
        let trimmed: String = STORY.lines().take(3).collect::<Vec<_>>().join("\n");
        let reordered = {
            let lines: Vec<&str> = STORY.lines().collect();
            [lines[0], lines[3], lines[1], lines[2]].join("\n")
        };
        let other = "Storm closes schools\nHeavy snow closed schools across the region on Tuesday and the \
            weather service warned of more to come, with power cuts reported in several towns.";
        let found = group(vec![
            candidate(4, at(5, 9), &boilerplate),
            candidate(1, at(5, 8), &retitled),
            candidate(2, at(4, 23), STORY),
            candidate(3, at(6, 1), &trimmed),
            candidate(5, at(6, 2), &reordered),
            candidate(6, at(5, 8), other),
        ]);
        assert_eq!(found.groups, vec![Group { original: 2, copies: vec![1, 4, 3, 5] }]);
        assert!(found.is_copy(4) && !found.is_copy(2) && !found.is_copy(6));
        assert_eq!((found.group_of(3), found.group_of(6), found.group_of(99)), (Some(0), None, None));
        assert_eq!(found.copies(), 4);
    }

    #[test]
    fn the_order_given_does_not_matter_and_ties_go_to_the_lower_rank() {
        let texts = [STORY, STORY, STORY];
        let forward: Vec<Candidate> = texts.iter().enumerate().map(|(i, t)| candidate(i as u32, at(5, 8), t)).collect();
        let mut backward = forward.clone();
        backward.reverse();
        let expected = vec![Group { original: 0, copies: vec![1, 2] }];
        assert_eq!(group(forward).groups, expected);
        assert_eq!(group(backward).groups, expected);
    }

    #[test]
    fn distinct_stories_on_one_topic_stay_apart() {
        let follow_up = "Central bank holds rates\nThe central bank left its key interest rate unchanged on \
            Thursday after three increases this year, saying it wanted to see how earlier moves worked through \
            the economy before deciding whether inflation needed a further response.";
        let found = group(vec![candidate(0, at(5, 8), STORY), candidate(1, at(6, 8), follow_up)]);
        assert!(found.groups.is_empty(), "{found:?}");
    }

    #[test]
    fn one_source_repeating_itself_must_be_near_identical() {
        let monday = "Energy Roundup: Market Talk\nShell, BP and more in the latest Market Talks covering the energy \
            sector, with oil prices and refining margins in focus this week.";
        let tuesday = monday.replace("Shell, BP", "Equinor, Total");
        let from = |article, source: &str, text: &str| {
            Candidate::new(article, at(5, 8), u64::from(article), Some(source), text)
        };
        let found = group(vec![from(0, "Wire Desk", monday), from(1, " wire desk", &tuesday)]);
        assert!(found.groups.is_empty(), "a recurring series of one source: {found:?}");
        let found = group(vec![from(0, "Wire Desk", monday), from(1, "The Gazette", &tuesday)]);
        assert_eq!(found.groups.len(), 1, "the same text at another outlet is a copy");
        let found = group(vec![from(0, "Wire Desk", monday), from(1, "Wire Desk", monday)]);
        assert_eq!(found.groups.len(), 1, "an outlet posting one text twice");
    }

    #[test]
    fn short_texts_are_never_grouped() {
        let found = group(vec![candidate(0, at(5, 8), "Pepper and Salt"), candidate(1, at(6, 8), "Pepper and Salt")]);
        assert!(Signature::of("Pepper and Salt").is_none());
        assert!(found.groups.is_empty());
    }

    #[test]
    fn a_copy_lies_within_the_window_of_its_original() {
        let found = group(vec![
            candidate(0, at(1, 8), STORY),
            candidate(1, at(8, 7), STORY),
            candidate(2, at(9, 9), STORY),
            candidate(3, None, STORY),
        ]);
        // Day 9 is more than seven days after day 1: a new story, which the undated copy joins
        // (an undated article is compared with every group; the earliest wins).
        assert_eq!(found.groups, vec![Group { original: 0, copies: vec![1, 3] }]);
        assert_eq!(found.group_of(2), None, "a group of one is no group");
    }

    #[test]
    fn signatures_estimate_jaccard_similarity() {
        // Two texts sharing 60 of their 100 distinct shingles each: Jaccard 60/140.
        let words: Vec<String> = (0..142).map(|i| format!("w{i}")).collect();
        let a = words[..102].join(" ");
        let b = words[40..].join(" ");
        let (sa, sb) = (Signature::of(&a).unwrap(), Signature::of(&b).unwrap());
        assert_eq!((sa.shingles(), sb.shingles()), (100, 100));
        let exact = 60.0 / 140.0;
        let estimate = sa.jaccard(&sb);
        assert!((estimate - exact).abs() < 0.1, "{estimate} vs {exact}");
        let contained = sa.containment(&sb, exact);
        assert!((contained - 0.6).abs() < 1e-9, "{contained}");
        assert_eq!(sa.jaccard(&sa), 1.0);
        // Case and punctuation do not matter, as in counting.
        assert_eq!(Signature::of(&a.to_uppercase().replace(' ', ", ")), Some(sa));
    }
}
