//! What users watch, and the counting rules: the one place that decides what a mention is.
//!
//! Two languages share one definition of words and case:
//! - a **term** ([`terms`]): `[Label=]alternative | alternative | …`, each alternative a word
//!   sequence counted where it occurs, longest first;
//! - a **query** ([`syntax`], [`eval`]): Boolean, phrase, proximity and field search as
//!   analysts write it (`putin AND (trump OR biden) NOT sport`, `kursk NEAR/10 offensive`), with
//!   the mentions of its positive leaves counted by the same longest-first rule.
//!
//! Both are evaluated on an article's words: found in its text by the [`Matcher`], or read from
//! the store's postings; the same code then decides, so the two always agree.

pub mod eval;
pub mod syntax;
pub mod terms;

pub use eval::CompiledQuery;
pub use syntax::{Query, QueryError};
pub use terms::*;
