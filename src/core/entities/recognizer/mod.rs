//! The named-entity recogniser: tokenises text and tags PER/ORG/LOC/MISC spans, offline, from
//! model data bundled in `assets/`.
