//! What the tagger sees of a token: hashed feature keys, and the greedy left-to-right decoder
//! that adds the features depending on earlier decisions.
//!
//! Features are never spelled out as strings: every token's word, lowercase form, shape, affixes,
//! word cluster and gazetteer matches are hashed once when a [`Doc`] is prepared, and a feature is
//! a mix of a template number with those hashes, reduced to a row of the weight table. The same
//! code runs in training (the `train_ner` example) and in [`super::Recognizer::recognize`], so
//! the two cannot drift apart. The weights themselves live in [`super::model`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::labels;

/// The weight table has `1 << TABLE_BITS` rows of [`LABELS`] weights.
pub const TABLE_BITS: u32 = 20;

/// Maps keys that are already good hashes to themselves.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by [`word_key`]-style hashes.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Mixes two 64-bit values into a well-distributed hash (murmur3's finaliser on a combination).
/// Stable across platforms and releases: the bundled model stores keys made with it.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let mut h = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0x632B_E59B_D9B4_E019);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// One cheap step per character (FxHash's), one full [`mix`] at the end: hashing every token's
/// forms is a good part of the tagger's time.
#[inline]
fn step(h: u64, c: char) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x517C_C1B7_2722_0A95)
}

fn hash_chars(seed: u64, chars: impl Iterator<Item = char>) -> u64 {
    mix(seed, chars.fold(0, step))
}

/// The character the tagger sees: curly quotes and apostrophes straightened, dashes unified,
/// digits folded to `0` (so all years look alike).
#[inline]
fn norm_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        c if c.is_ascii_digit() => '0',
        c => c,
    }
}

fn lower_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().map(norm_char).flat_map(char::to_lowercase)
}

/// Hash of a word as written (after [`norm_char`]): the key of word clusters.
pub fn word_key(word: &str) -> u64 {
    hash_chars(1, word.chars().map(norm_char))
}

/// Hash of a word's lowercase form: the key of gazetteer phrases and document-level memory.
pub fn lower_key(word: &str) -> u64 {
    hash_chars(2, lower_chars(word))
}

/// Key of a gazetteer phrase from its tokens' [`lower_key`]s.
pub fn phrase_key(lower_keys: &[u64]) -> u64 {
    lower_keys.iter().fold(3, |h, &k| mix(h, k))
}

/// Every hash the tagger needs of one word, from a single pass over its characters.
struct Forms {
    /// [`word_key`].
    word: u64,
    /// [`lower_key`].
    lower: u64,
    /// [`word_key`] of the lowercase form and of the title-case form (cluster fallbacks).
    lower_as_word: u64,
    title_as_word: u64,
    /// The word's shape with repeats collapsed: `Putin` → `Xx`, `U.S.` → `X.X.`,
    /// `1996-08-22` → `d-d-d`.
    shape: u64,
    /// Bit 0: has uppercase, 1: lowercase, 2: digits, 3: other characters.
    class: u8,
    /// Prefixes then suffixes of 1..=4 lowercase characters (the whole word when shorter).
    affixes: [u64; 8],
}

fn forms(word: &str) -> Forms {
    let (mut word_h, mut lower_h, mut title_h, mut shape_h) = (0, 0, 0, 0);
    let (mut last_shape, mut class) = ('\0', 0u8);
    let (mut prefix, mut tail, mut n) = ([0u64; 4], ['\0'; 4], 0usize);
    for (i, c) in word.chars().map(norm_char).enumerate() {
        word_h = step(word_h, c);
        let s = if c.is_uppercase() {
            class |= 1;
            'X'
        } else if c.is_alphabetic() {
            class |= 2;
            'x'
        } else if c.is_numeric() {
            class |= 4;
            'd'
        } else {
            class |= 8;
            c
        };
        if s != last_shape {
            shape_h = step(shape_h, s);
            last_shape = s;
        }
        if i == 0 {
            title_h = step(title_h, c);
        }
        for l in c.to_lowercase() {
            lower_h = step(lower_h, l);
            if i > 0 {
                title_h = step(title_h, l);
            }
            if n < 4 {
                prefix[n] = lower_h;
            }
            tail = [tail[1], tail[2], tail[3], l];
            n += 1;
        }
    }
    let mut affixes = [0u64; 8];
    for k in 1..=4 {
        let m = k.min(n);
        affixes[k - 1] = mix(10 + k as u64, m.checked_sub(1).map_or(0, |j| prefix[j]));
        affixes[k + 3] = mix(20 + k as u64, tail[4 - m..].iter().fold(0, |h, &c| step(h, c)));
    }
    Forms {
        word: mix(1, word_h),
        lower: mix(2, lower_h),
        lower_as_word: mix(1, lower_h),
        title_as_word: mix(1, title_h),
        shape: mix(4, shape_h),
        class,
        affixes,
    }
}

/// Number of gazetteer lists (bits of a phrase's mask).
pub const GAZ_SOURCES: usize = 12;

/// Per-token facts, computed once per document.
#[derive(Clone, Debug, Default)]
pub struct TokenInfo {
    word: u64,
    lower: u64,
    shape: u64,
    affixes: [u64; 8],
    /// Cluster ids at three granularities (fine, mid, coarse); `u16::MAX` when unknown.
    cluster: [u16; 3],
    /// Gazetteer position per source: 0 none, 1 begin, 2 inside, 3 last, 4 unit.
    gaz: [u8; GAZ_SOURCES],
    init_cap: bool,
    all_caps: bool,
    /// Capitalisation of the same word elsewhere in the document (mid-sentence, outside
    /// all-caps lines): 0 unseen, 1 always capitalised, 2 always lowercase, 3 both.
    doc_case: u8,
    /// [`Clusters::case_prior`], 0 when unknown.
    corpus_case: u8,
    /// In [`Clusters::lowercase_words`].
    lowercase_word: bool,
}

/// What unlabelled news taught about words: clusters (word form → fine cluster → coarser
/// clusters) and how each word is usually capitalised.
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    pub words: KeyMap<u16>,
    /// For each fine cluster, its mid and coarse cluster.
    pub parents: Vec<[u16; 2]>,
    /// By [`lower_key`]: how often the word is capitalised mid-sentence, outside headlines —
    /// 1: almost always, 2: mostly, 3: sometimes, 4: almost never. Tells a headline's `REVIEW`
    /// (a common noun) from its `BAHIA`.
    pub case_prior: KeyMap<u8>,
    /// By [`lower_key`]: words written in lowercase at least 95% of the time mid-sentence,
    /// counting neither all-caps nor title-case lines (whose capitals are style). Unlike
    /// `case_prior` it is not a feature but a decoding rule for all-caps lines (see
    /// [`Doc::allowed_at`]), so it can be corrected without retraining the weights.
    pub lowercase_words: KeyMap<()>,
}

impl Clusters {
    /// Looks a word up as written, then (for all-caps words) in title case, then in lowercase.
    fn lookup(&self, forms: &Forms, all_caps: bool) -> [u16; 3] {
        let fine = self.words.get(&forms.word).copied().or_else(|| {
            all_caps
                .then(|| self.words.get(&forms.title_as_word).copied())
                .flatten()
                .or_else(|| self.words.get(&forms.lower_as_word).copied())
        });
        match fine {
            Some(f) => {
                let [mid, coarse] = self.parents.get(usize::from(f)).copied().unwrap_or([u16::MAX; 2]);
                [f, mid, coarse]
            }
            None => [u16::MAX; 3],
        }
    }
}

/// Known names: lowercase token sequences, each with a bit set per source list.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub phrases: KeyMap<u16>,
    pub max_len: usize,
}

impl Gazetteer {
    /// Adds a phrase (its tokens) to list `source` (below [`GAZ_SOURCES`]).
    pub fn insert(&mut self, tokens: &[&str], source: usize) {
        if tokens.is_empty() || source >= GAZ_SOURCES {
            return;
        }
        let keys: Vec<u64> = tokens.iter().map(|t| lower_key(t)).collect();
        *self.phrases.entry(phrase_key(&keys)).or_default() |= 1 << source;
        self.max_len = self.max_len.max(tokens.len());
    }

    /// Marks, per source list, the longest matches read left to right.
    fn annotate(&self, toks: &mut [TokenInfo]) {
        let n = toks.len();
        let max_len = self.max_len.min(8);
        // matches[i][len-1]: source bits of the phrase toks[i..i+len].
        let mut matches = vec![[0u16; 8]; n];
        for (i, m) in matches.iter_mut().enumerate() {
            let mut h = 3;
            for len in 1..=max_len.min(n - i) {
                h = mix(h, toks[i + len - 1].lower);
                m[len - 1] = self.phrases.get(&h).copied().unwrap_or(0);
            }
        }
        for source in 0..GAZ_SOURCES {
            let bit = 1u16 << source;
            let mut i = 0;
            while i < n {
                let len = (1..=max_len).rev().find(|&len| matches[i][len - 1] & bit != 0);
                match len {
                    Some(1) => {
                        toks[i].gaz[source] = 4;
                        i += 1;
                    }
                    Some(len) => {
                        toks[i].gaz[source] = 1;
                        for t in &mut toks[i + 1..i + len - 1] {
                            t.gaz[source] = 2;
                        }
                        toks[i + len - 1].gaz[source] = 3;
                        i += len;
                    }
                    None => i += 1,
                }
            }
        }
    }
}

/// Gazetteers and clusters: everything besides the weights that features are made from.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub gazetteer: Gazetteer,
    pub clusters: Clusters,
}

/// A document made ready for tagging: token facts and sentence boundaries.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    toks: Vec<TokenInfo>,
    sentences: Vec<Range<usize>>,
    /// Per sentence: true when it has letters but none lowercase (a headline).
    all_caps_sentence: Vec<bool>,
    /// Per token: the labels decoding allows whatever the weights say (see [`Doc::allowed_at`]).
    allowed: Vec<u32>,
}

impl Doc {
    /// Prepares `words` (all tokens of a document, in order) split into `sentences` (ranges into
    /// `words`, in order, covering them).
    pub fn new(words: &[&str], sentences: &[Range<usize>], res: &Resources) -> Doc {
        Doc::with_parts(words, sentences, &res.gazetteer, &res.clusters)
    }

    /// [`Doc::new`] with the resources given separately (training swaps gazetteers per fold).
    pub fn with_parts(words: &[&str], sentences: &[Range<usize>], gazetteer: &Gazetteer, clusters: &Clusters) -> Doc {
        let mut toks: Vec<TokenInfo> = words.iter().map(|w| token_info(w, clusters)).collect();
        let mut all_caps_sentence = Vec::with_capacity(sentences.len());
        let mut case_seen: KeyMap<u8> = KeyMap::default();
        for range in sentences {
            let Some(sent_toks) = toks.get_mut(range.clone()) else {
                all_caps_sentence.push(false);
                continue;
            };
            let Some(sent_words) = words.get(range.clone()) else {
                continue;
            };
            let caps = is_all_caps(sent_words);
            all_caps_sentence.push(caps);
            gazetteer.annotate(sent_toks);
            if !caps {
                for (t, w) in sent_toks.iter().zip(sent_words).skip(1) {
                    if w.starts_with(char::is_alphabetic) {
                        *case_seen.entry(t.lower).or_default() |= if t.init_cap { 1 } else { 2 };
                    }
                }
            }
        }
        for t in &mut toks {
            t.doc_case = case_seen.get(&t.lower).copied().unwrap_or(0);
        }
        let mut allowed = vec![u32::MAX; toks.len()];
        for (range, _) in sentences.iter().zip(&all_caps_sentence).filter(|(_, caps)| **caps) {
            for i in range.clone() {
                if let (Some(t), Some(mask), Some(w)) = (toks.get(i), allowed.get_mut(i), words.get(i))
                    && t.lowercase_word
                    && t.doc_case & 1 == 0
                {
                    let small = TITLE_CASE_LOWER.contains(&w.to_lowercase().as_str());
                    *mask = 1 << labels::O | labels::BEGIN | if small { labels::INSIDE } else { 0 };
                }
            }
        }
        Doc { toks, sentences: sentences.to_vec(), all_caps_sentence, allowed }
    }

    /// The labels token `i` may take whatever the weights say. In an all-caps line, capitals hide
    /// the shape that tells common words from names, and the weights, learnt mostly from sports
    /// headlines, let `SHULTZ SAYS` run on as one name. So a word that news almost always writes
    /// in lowercase and this document never capitalises may not end a name, nor sit inside one
    /// unless title case would leave it lowercase (`BANK OF ENGLAND`); it may still begin one
    /// (`THE HAGUE`, `MAJOR LEAGUE`).
    pub fn allowed_at(&self, i: usize) -> u32 {
        self.allowed.get(i).copied().unwrap_or(u32::MAX)
    }

    /// Whether token `i` is such a common word in an all-caps line. A greedy decoder that opened
    /// a name on it (allowed, for `THE HAGUE`) may close the name right after with `O`, so the
    /// recogniser also trims these words off the end of a span.
    pub fn headline_common_word(&self, i: usize) -> bool {
        self.allowed_at(i) != u32::MAX
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }
}

/// True for a headline-style sentence: it has uppercase letters and no lowercase ones. Such
/// sentences get the all-caps features and are tagged after the rest of the document (public so
/// the evaluation scores the same sentences as all-caps).
pub fn is_all_caps(words: &[&str]) -> bool {
    let has_lower = words.iter().any(|w| w.chars().any(char::is_lowercase));
    let has_upper = words.iter().any(|w| w.chars().any(char::is_uppercase));
    has_upper && !has_lower
}

/// For a word starting with a digit, whether its first letter is uppercase (`3M`: yes, `4th`:
/// no); `None` for other words and for plain numbers.
pub fn digit_word_case(word: &str) -> Option<bool> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    word.chars().find(|c| c.is_alphabetic()).map(char::is_uppercase)
}

/// Words that title-case headlines leave in lowercase (articles, conjunctions, prepositions).
const TITLE_CASE_LOWER: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "off", "on", "onto", "or",
    "over", "per", "the", "to", "up", "upon", "via", "vs", "with", "yet",
];

/// True for a title-case line such as `Putin Says Russia Will Retake Kursk` (many feed titles):
/// after the first word, at least two words are capitalised and every lowercase one is a small
/// word that title case leaves alone. Its capitals say nothing about whether a word is a name.
/// An ordinary sentence almost always has a lowercase verb or noun; the rare one made only of
/// names and small words is lost as evidence, which costs little. All-caps lines qualify too.
pub fn is_title_case(words: &[&str]) -> bool {
    let mut capitalised = 0;
    for w in words.iter().skip(1) {
        match w.chars().next() {
            Some(c) if c.is_uppercase() => capitalised += 1,
            Some(c) if c.is_lowercase() && !TITLE_CASE_LOWER.contains(&w.to_lowercase().as_str()) => return false,
            _ => {}
        }
    }
    capitalised >= 2
}

/// Lowercase particles joined to a name (`al-Assad`, `bin-Laden`): the word is shaped and
/// capitalised like the name after the particle, so the few examples in training data are not
/// the only evidence.
const JOINED_PARTICLES: &[&str] =
    &["al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-", "ul-", "bin-", "ibn-", "abu-", "abd-", "ben-"];

/// Standalone name particles (`Osama bin Laden`, `Joost van der Westhuizen`): one shared shape,
/// so evidence from any of them carries over to the others.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "ben", "abu", "van", "von", "der", "den", "de", "del", "della", "da", "di", "du",
    "dos", "das", "la", "le", "ter", "ten", "zu",
];

/// The part of `word` that determines its shape and capitalisation.
fn shaped_part(word: &str) -> &str {
    JOINED_PARTICLES
        .iter()
        .find_map(|p| {
            let rest = word.get(p.len()..)?;
            (word.get(..p.len())?.eq_ignore_ascii_case(p) && rest.starts_with(char::is_uppercase)).then_some(rest)
        })
        .unwrap_or(word)
}

fn token_info(word: &str, clusters: &Clusters) -> TokenInfo {
    let forms = forms(word);
    let shaped = shaped_part(word);
    let (mut shape, mut class) = (forms.shape, forms.class);
    if shaped.len() != word.len() {
        let f = self::forms(shaped);
        (shape, class) = (f.shape, f.class);
    }
    if PARTICLES.contains(&word) {
        shape = mix(4, u64::from('p'));
    }
    let init_cap = shaped.chars().next().is_some_and(char::is_uppercase);
    let all_caps = class & 1 != 0 && class & 2 == 0;
    TokenInfo {
        word: forms.word,
        lower: forms.lower,
        shape,
        affixes: forms.affixes,
        cluster: clusters.lookup(&forms, all_caps),
        corpus_case: clusters.case_prior.get(&forms.lower).copied().unwrap_or(0),
        lowercase_word: clusters.lowercase_words.contains_key(&forms.lower),
        gaz: [0; GAZ_SOURCES],
        init_cap,
        all_caps,
        doc_case: 0,
    }
}

// Feature templates: numbers mixed into every key so equal values in different templates differ.
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_LOWER_AT: u64 = 4; // + offset
const T_SHAPE: u64 = 10;
const T_SHAPE_AT: u64 = 11;
const T_SHAPE_PAIR_L: u64 = 12;
const T_SHAPE_PAIR_R: u64 = 13;
const T_SHAPE_TRI: u64 = 14;
const T_BIGRAM_L: u64 = 15;
const T_BIGRAM_R: u64 = 16;
const T_AFFIX: u64 = 20; // + index
const T_INITIAL: u64 = 30;
const T_CAPS_SENT: u64 = 31;
const T_CLUSTER: u64 = 32; // + level
const T_CLUSTER_AT: u64 = 36;
const T_GAZ: u64 = 40;
const T_GAZ_CAP: u64 = 41;
const T_GAZ_NEXT: u64 = 42;
const T_GAZ_PREV: u64 = 43;
const T_DOC_CASE: u64 = 44;
const T_PREV1: u64 = 50;
const T_PREV2: u64 = 51;
const T_PREV1_LOWER: u64 = 52;
const T_PREV1_SHAPE: u64 = 53;
const T_HISTORY: u64 = 54;
const T_CAPS_LOWER: u64 = 55;
const T_CORPUS_CASE: u64 = 57;
const T_CORPUS_CASE_AT: u64 = 58;

const BOUNDARY: u64 = 0xB0B0;

#[inline]
fn row(h: u64) -> u32 {
    (h >> (64 - TABLE_BITS)) as u32
}

#[inline]
fn f1(out: &mut Vec<u32>, t: u64, a: u64) {
    out.push(row(mix(t, a)));
}

#[inline]
fn f2(out: &mut Vec<u32>, t: u64, a: u64, b: u64) {
    out.push(row(mix(mix(t, a), b)));
}

/// Features of token `i` (in sentence `s`) that do not depend on earlier decisions.
fn static_features(doc: &Doc, s: usize, range: &Range<usize>, i: usize, out: &mut Vec<u32>) {
    let toks = &doc.toks;
    let t = &toks[i];
    let at = |o: isize| -> Option<&TokenInfo> {
        let j = i.checked_add_signed(o)?;
        range.contains(&j).then(|| &toks[j])
    };
    let lower_at = |o| at(o).map_or(BOUNDARY.wrapping_add(o as u64), |t| t.lower);
    let shape_at = |o| at(o).map_or(BOUNDARY.wrapping_add(o as u64), |t| t.shape);
    let caps = doc.all_caps_sentence.get(s).copied().unwrap_or(false);

    f1(out, T_BIAS, 0);
    f1(out, T_WORD, t.word);
    f1(out, T_LOWER, t.lower);
    for o in [-2isize, -1, 1, 2] {
        f2(out, T_LOWER_AT, o as u64, lower_at(o));
        f2(out, T_SHAPE_AT, o as u64, shape_at(o));
    }
    f1(out, T_SHAPE, t.shape);
    f2(out, T_SHAPE_PAIR_L, shape_at(-1), t.shape);
    f2(out, T_SHAPE_PAIR_R, t.shape, shape_at(1));
    f2(out, T_SHAPE_TRI, mix(shape_at(-1), t.shape), shape_at(1));
    f2(out, T_BIGRAM_L, lower_at(-1), t.lower);
    f2(out, T_BIGRAM_R, t.lower, lower_at(1));
    for (k, &a) in t.affixes.iter().enumerate() {
        f1(out, T_AFFIX + k as u64, a);
    }
    f2(out, T_INITIAL, u64::from(i == range.start), t.shape);
    f2(out, T_CAPS_SENT, u64::from(caps), t.shape);
    if caps {
        f1(out, T_CAPS_LOWER, t.lower);
    }
    for (level, &c) in t.cluster.iter().enumerate() {
        f2(out, T_CLUSTER, level as u64, u64::from(c));
    }
    for o in [-1isize, 1] {
        let c = at(o).map_or([u16::MAX - 1; 3], |t| t.cluster);
        for level in 0..2 {
            f2(out, T_CLUSTER_AT, (o as u64) << 8 | level, u64::from(c[level as usize]));
        }
    }
    for (source, &pos) in t.gaz.iter().enumerate() {
        if pos != 0 {
            let g = (source as u64) << 8 | u64::from(pos);
            f1(out, T_GAZ, g);
            f2(out, T_GAZ_CAP, g, u64::from(t.init_cap) << 1 | u64::from(t.all_caps));
        }
        if let Some(pos) = at(1).map(|n| n.gaz[source]).filter(|&p| p != 0) {
            f1(out, T_GAZ_NEXT, (source as u64) << 8 | u64::from(pos));
        }
        if let Some(pos) = at(-1).map(|n| n.gaz[source]).filter(|&p| p != 0) {
            f1(out, T_GAZ_PREV, (source as u64) << 8 | u64::from(pos));
        }
    }
    f2(out, T_DOC_CASE, u64::from(t.doc_case), t.shape);
    f2(out, T_CORPUS_CASE, u64::from(t.corpus_case), t.shape);
    let position = u64::from(i == range.start) << 1 | u64::from(caps);
    f2(out, T_CORPUS_CASE_AT, u64::from(t.corpus_case) << 2 | position, u64::from(t.doc_case));
}

/// Entity types given so far in this document to capitalised words, by lowercase form.
type History = KeyMap<[u16; 4]>;

/// Tags `doc` left to right (headlines last). For each token, `choose` gets the token's index, its feature rows and
/// the bit mask of labels allowed after the previous one, and returns the label to keep (training
/// may compare it with the gold label and update weights before returning).
pub fn decode(doc: &Doc, mut choose: impl FnMut(usize, &[u32], u32) -> u8) -> Vec<u8> {
    let mut out = vec![labels::O; doc.toks.len()];
    let mut feats = Vec::with_capacity(96);
    let mut history = History::default();
    // All-caps lines (headlines) go last, so they can use what the body said about their words:
    // `PUTIN WARNS KURSK` is hard alone, easy after `President Vladimir Putin`.
    let caps = |s: &usize| doc.all_caps_sentence.get(*s).copied().unwrap_or(false);
    let order = (0..doc.sentences.len()).filter(|s| !caps(s)).chain((0..doc.sentences.len()).filter(caps));
    for s in order {
        let range = &doc.sentences[s];
        let (mut p1, mut p2) = (labels::START, labels::START);
        for i in range.clone() {
            let Some(t) = doc.toks.get(i) else { break };
            feats.clear();
            static_features(doc, s, range, i, &mut feats);
            f1(&mut feats, T_PREV1, u64::from(p1));
            f2(&mut feats, T_PREV2, u64::from(p1), u64::from(p2));
            f2(&mut feats, T_PREV1_LOWER, u64::from(p1), t.lower);
            f2(&mut feats, T_PREV1_SHAPE, u64::from(p1), t.shape);
            if t.init_cap {
                let seen = history
                    .get(&t.lower)
                    .map_or(4, |counts| (0..4).max_by_key(|&k| (counts[k], 4 - k)).unwrap_or(4) as u64);
                f2(&mut feats, T_HISTORY, seen, u64::from(t.all_caps));
            }
            let allowed = labels::allowed_after(p1, i + 1 == range.end);
            let label = choose(i, &feats, allowed);
            if let Some(kind) = labels::kind_index(label)
                && t.init_cap
            {
                let counts = history.entry(t.lower).or_default();
                counts[kind] = counts[kind].saturating_add(1);
            }
            out[i] = label;
            (p2, p1) = (p1, label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_curly_apostrophes_and_case_where_meant_to() {
        assert_eq!(word_key("Trump’s"), word_key("Trump's"));
        assert_ne!(word_key("Trump"), word_key("trump"));
        assert_eq!(lower_key("KURSK"), lower_key("Kursk"));
        assert_eq!(forms("U.S.").shape, forms("A.B.").shape);
        assert_ne!(forms("Putin").shape, forms("PUTIN").shape);
        assert_eq!(forms("Putin").shape, forms("Xy").shape);
        let f = forms("KURSK");
        assert_eq!((f.word, f.lower), (word_key("KURSK"), lower_key("kursk")));
        assert_eq!((f.lower_as_word, f.title_as_word), (word_key("kursk"), word_key("Kursk")));
    }

    #[test]
    fn gazetteer_marks_longest_match_positions() {
        let mut gaz = Gazetteer::default();
        gaz.insert(&["Bashar", "al-Assad"], 0);
        gaz.insert(&["Bashar"], 0);
        gaz.insert(&["Syria"], 2);
        let res = Resources { gazetteer: gaz, clusters: Clusters::default() };
        let words = ["President", "BASHAR", "al-Assad", "of", "Syria"];
        let sentence = 0..words.len();
        let doc = Doc::new(&words, std::slice::from_ref(&sentence), &res);
        let pos: Vec<[u8; 3]> = doc.toks.iter().map(|t| [t.gaz[0], t.gaz[1], t.gaz[2]]).collect();
        assert_eq!(pos, vec![[0, 0, 0], [1, 0, 0], [3, 0, 0], [0, 0, 0], [0, 0, 4]]);
    }

    #[test]
    fn affixes_are_the_first_and_last_characters() {
        let a = token_info("Kirillov", &Clusters::default()).affixes;
        let b = token_info("kirov", &Clusters::default()).affixes;
        assert_eq!(a[..3], b[..3]); // k, ki, kir
        assert_ne!(a[3], b[3]); // kiri / kiro
        assert_eq!(a[4], b[4]); // v
        assert_eq!(a[5], b[5]); // ov
        assert_ne!(a[6], b[6]); // lov / rov
        // Shorter words: the longer affixes are the whole word.
        let al = token_info("Al", &Clusters::default()).affixes;
        let alps = token_info("Alps", &Clusters::default()).affixes;
        assert_eq!(al[1], alps[1]); // al
        assert_ne!(al[3], alps[3]); // al / alps
        assert_eq!(al[3], mix(14, step(step(0, 'a'), 'l')));
        assert_eq!(token_info("", &Clusters::default()).affixes[0], mix(11, 0));
    }

    #[test]
    fn name_particles_take_the_shape_of_the_name() {
        let info = |w| token_info(w, &Clusters::default());
        assert_eq!(info("al-Assad").shape, info("Assad").shape);
        assert!(info("al-Assad").init_cap);
        assert!(!info("al-qaida").init_cap);
        assert_eq!(info("bin").shape, info("van").shape);
        assert_ne!(info("bin").shape, info("bit").shape);
    }

    #[test]
    fn title_case_lines_are_told_from_sentences() {
        let title = |s: &str| is_title_case(&s.split(' ').collect::<Vec<_>>());
        assert!(title("Putin Says Russia Will Retake Kursk"));
        assert!(title("Trump Meets with Putin over Ukraine in Moscow"));
        assert!(!title("Russian President Vladimir Putin met Donald Trump in Moscow"));
        assert!(!title("Putin says Russia will retake Kursk"));
        assert!(!title("Kyiv"));
        assert!(title("PUTIN WARNS UKRAINE"), "all-caps lines carry no case evidence either");
    }

    #[test]
    fn document_case_memory_sees_mid_sentence_capitals() {
        let words = ["BAHIA", "COCOA", "REVIEW", "Rain", "in", "Bahia", "helped", "cocoa"];
        let doc = Doc::new(&words, &[0..3, 3..8], &Resources::default());
        let cases: Vec<u8> = doc.toks.iter().map(|t| t.doc_case).collect();
        assert_eq!(cases, vec![1, 2, 0, 0, 2, 1, 2, 2]);
    }
}
