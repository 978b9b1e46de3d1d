//! Named entities: recognising people, organisations and places in article text
//! ([`recognizer`]) and grouping their mentions into canonical entities.
//!
//! Works on an article's `text` as the importer defines it; offsets are byte offsets into that text.

pub mod aliases;
pub mod canonical;
pub mod corpus;
pub mod recognizer;

use serde::{Deserialize, Serialize};

/// The CoNLL entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    #[serde(rename = "PER")]
    Person,
    #[serde(rename = "ORG")]
    Organization,
    #[serde(rename = "LOC")]
    Location,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "PER",
            Self::Organization => "ORG",
            Self::Location => "LOC",
            Self::Misc => "MISC",
        }
    }
}

/// One recognised mention: `text[start..end]` (byte offsets, on char boundaries) is a `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}
