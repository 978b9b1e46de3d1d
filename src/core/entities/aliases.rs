//! The user's alias file: corrections to the automatic grouping that survive re-imports.
//!
//! One JSON file (`presswatch … --aliases FILE`; the window edits the same file) lists entities
//! the user has merged, renamed, retyped or hidden (format in the README):
//!
//! ```json
//! {"version": 1, "entities": [
//!   {"name": "Bank of Russia", "type": "ORG", "aliases": ["Central Bank of Russia"]},
//!   {"name": "Kremlin", "hidden": true}]}
//! ```
//!
//! An entry matches every automatic entity whose name — or any article-local name it grew from, or
//! a way it was written that no other entity shares — equals the entry's `name` or one of its
//! `aliases`, ignoring case, possessives and a leading "the"; all of them become one entity called
//! `name` ([`super::canonical::EntityCatalog::build`] applies it). Every field but `name` may be left out. Unknown fields are errors, not silently
//! ignored, because a typo like `"hiden"` would otherwise quietly do nothing; `version` is there
//! so a later format can still read this one.
//!
//! This module only reads, writes and edits the file; it knows nothing of catalogues or counts.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::EntityKind;
use super::canonical::lookup_key;

/// The format version this build writes and the newest it reads.
pub const ALIAS_FILE_VERSION: u32 = 1;

/// The whole alias file. Entry order is kept as written; when two entries match the same
/// automatic entity, the earlier one wins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AliasFile {
    pub version: u32,
    pub entities: Vec<AliasEntry>,
}

impl Default for AliasFile {
    fn default() -> Self {
        Self { version: ALIAS_FILE_VERSION, entities: Vec::new() }
    }
}

/// One user-defined entity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AliasEntry {
    /// The name shown everywhere; also matched like an alias.
    pub name: String,
    /// Overrides the majority type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    /// Other names of the same entity: their entities are merged into this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Kept out of lists, charts and exports (still counted and resolvable).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

impl AliasEntry {
    pub fn new(name: &str) -> Self {
        Self { name: name.trim().to_string(), ..Self::default() }
    }

    /// `name`, then each alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Says nothing the automatic grouping would not do anyway.
    fn is_trivial(&self) -> bool {
        self.aliases.is_empty() && self.kind.is_none() && !self.hidden
    }
}

/// Reads only `version`, ignoring everything else.
#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: u32,
}

/// Why an alias file could not be loaded or saved. Each message ends with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum AliasFileError {
    #[error("cannot read the alias file ({cause}): {}", .path.display())]
    Read { path: PathBuf, cause: io::Error },
    #[error("the alias file is not valid ({cause}): {}", .path.display())]
    Parse { path: PathBuf, cause: serde_json::Error },
    #[error(
        "the alias file has version {found}, newer than the {ALIAS_FILE_VERSION} this Presswatch reads: {}",
        .path.display()
    )]
    Version { path: PathBuf, found: u32 },
    #[error("the alias file contradicts itself ({reason}): {}", .path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("cannot write the alias file ({cause}): {}", .path.display())]
    Write { path: PathBuf, cause: io::Error },
}

impl AliasFile {
    /// Reads and checks `path`. An empty file is an empty alias list.
    pub fn load(path: &Path) -> Result<Self, AliasFileError> {
        let text =
            fs::read_to_string(path).map_err(|cause| AliasFileError::Read { path: path.to_path_buf(), cause })?;
        Self::from_json(&text, path)
    }

    /// Parses and checks alias-file JSON; `origin` only names the file in errors.
    pub fn from_json(text: &str, origin: &Path) -> Result<Self, AliasFileError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let parse_error = |cause| AliasFileError::Parse { path: origin.to_path_buf(), cause };
        // The version first, so a newer file's new fields are reported as "newer", not "unknown".
        let probe: VersionProbe = serde_json::from_str(text).map_err(parse_error)?;
        if probe.version > ALIAS_FILE_VERSION {
            return Err(AliasFileError::Version { path: origin.to_path_buf(), found: probe.version });
        }
        let file: Self = serde_json::from_str(text).map_err(parse_error)?;
        file.check().map_err(|reason| AliasFileError::Invalid { path: origin.to_path_buf(), reason })?;
        Ok(file)
    }

    /// Writes the file atomically (a temporary file in the same folder, then a rename), so a
    /// crash or a full disk never leaves half a file. Refuses to write what `load` would reject.
    pub fn save(&self, path: &Path) -> Result<(), AliasFileError> {
        self.check().map_err(|reason| AliasFileError::Invalid { path: path.to_path_buf(), reason })?;
        let write_error = |cause| AliasFileError::Write { path: path.to_path_buf(), cause };
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(write_error)?;
        serde_json::to_writer_pretty(&mut temp, self).map_err(|e| write_error(io::Error::other(e)))?;
        temp.write_all(b"\n").map_err(write_error)?;
        temp.as_file().sync_all().map_err(write_error)?;
        temp.persist(path).map_err(|e| write_error(e.error))?;
        Ok(())
    }

    /// Every name must be non-empty and belong to one entry only, or matching would be ambiguous.
    fn check(&self) -> Result<(), String> {
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (i, entry) in self.entities.iter().enumerate() {
            if lookup_key(&entry.name).is_empty() {
                return Err(format!("entry {} has no name", i + 1));
            }
            for name in entry.names() {
                let key = lookup_key(name);
                if key.is_empty() {
                    return Err(format!("\"{}\" has an empty alias", entry.name));
                }
                if let Some(&first) = owner.get(&key).filter(|&&first| first != i) {
                    return Err(format!(
                        "\"{name}\" is listed under both \"{}\" and \"{}\"",
                        self.entities[first].name, entry.name
                    ));
                }
                owner.insert(key, i);
            }
        }
        Ok(())
    }

    /// The entry that has `name` as its name or an alias, ignoring case.
    pub fn entry(&self, name: &str) -> Option<&AliasEntry> {
        self.position(name).map(|i| &self.entities[i])
    }

    /// Makes entity `from` part of entity `into` (names as the catalogue shows them): `into`'s
    /// entry takes over all of `from`'s names; `from`'s own type and hidden flag are dropped.
    pub fn merge(&mut self, from: &str, into: &str) {
        let (from_at, into_at) = (self.position(from), self.position(into));
        if lookup_key(from).is_empty() || lookup_key(into).is_empty() || lookup_key(from) == lookup_key(into) {
            return;
        }
        if from_at.is_some() && from_at == into_at {
            return;
        }
        let moved: Vec<String> = match from_at {
            Some(i) => {
                let entry = self.entities.remove(i);
                entry.names().map(str::to_string).collect()
            }
            None => vec![from.trim().to_string()],
        };
        let target = self.position_or_insert(into);
        for name in moved {
            self.add_alias(target, name);
        }
    }

    /// Shows entity `current` as `new_name`. The old name stays an alias so the entry still
    /// matches; if `new_name` already names another entity, the two are merged.
    pub fn rename(&mut self, current: &str, new_name: &str) {
        let new_key = lookup_key(new_name);
        if new_key.is_empty() || lookup_key(current).is_empty() {
            return;
        }
        if self.position(new_name).is_some_and(|other| Some(other) != self.position(current)) {
            self.merge(current, new_name);
        }
        let i = self.position_or_insert(current);
        let entry = &mut self.entities[i];
        let old = std::mem::replace(&mut entry.name, new_name.trim().to_string());
        entry.aliases.retain(|alias| lookup_key(alias) != new_key);
        self.add_alias(i, old);
    }

    /// Sets (or with `None` clears) the type of entity `name`.
    pub fn retype(&mut self, name: &str, kind: Option<EntityKind>) {
        self.edit(name, |entry| entry.kind = kind);
    }

    /// Hides or shows entity `name`.
    pub fn set_hidden(&mut self, name: &str, hidden: bool) {
        self.edit(name, |entry| entry.hidden = hidden);
    }

    /// Undoes a merge: `alias` is no longer part of the entry that lists it (an entry's own name
    /// cannot be removed this way). Returns whether anything changed.
    pub fn remove_alias(&mut self, alias: &str) -> bool {
        let key = lookup_key(alias);
        let Some(i) = self.position(alias) else {
            return false;
        };
        let before = self.entities[i].aliases.len();
        self.entities[i].aliases.retain(|a| lookup_key(a) != key);
        let changed = self.entities[i].aliases.len() != before;
        self.drop_if_trivial(i);
        changed
    }

    fn edit(&mut self, name: &str, change: impl FnOnce(&mut AliasEntry)) {
        if lookup_key(name).is_empty() {
            return;
        }
        let i = self.position_or_insert(name);
        change(&mut self.entities[i]);
        self.drop_if_trivial(i);
    }

    fn position(&self, name: &str) -> Option<usize> {
        let key = lookup_key(name);
        if key.is_empty() {
            return None;
        }
        self.entities.iter().position(|entry| entry.names().any(|n| lookup_key(n) == key))
    }

    fn position_or_insert(&mut self, name: &str) -> usize {
        self.position(name).unwrap_or_else(|| {
            self.entities.push(AliasEntry::new(name));
            self.entities.len() - 1
        })
    }

    /// Adds `name` to entry `i` unless the entry already covers it.
    fn add_alias(&mut self, i: usize, name: String) {
        let key = lookup_key(&name);
        let entry = &mut self.entities[i];
        if !key.is_empty() && !entry.names().any(|n| lookup_key(n) == key) {
            entry.aliases.push(name);
        }
    }

    /// Keeps the file short: an entry that no longer changes anything is removed.
    fn drop_if_trivial(&mut self, i: usize) {
        if self.entities.get(i).is_some_and(AliasEntry::is_trivial) {
            self.entities.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Organization, Person};

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/entities");

    fn entry(name: &str, aliases: &[&str]) -> AliasEntry {
        AliasEntry { aliases: aliases.iter().map(|a| a.to_string()).collect(), ..AliasEntry::new(name) }
    }

    #[test]
    fn the_documented_example_loads() {
        let path = Path::new(FIXTURES).join("aliases.json");
        let file = AliasFile::load(&path).unwrap();
        assert_eq!(file.version, 1);
        let names: Vec<&str> = file.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Bank of Russia", "NATO", "Vladimir Putin", "Kremlin", "Reuters"]);
        assert_eq!(file.entities[0].kind, Some(Organization));
        assert_eq!(file.entities[0].aliases, ["Central Bank of Russia", "Russian central bank"]);
        assert!(file.entities[3].hidden && file.entities[3].aliases.is_empty());
        assert_eq!(file.entry("central bank of russia's").map(|e| e.name.as_str()), Some("Bank of Russia"));
    }

    #[test]
    fn partial_and_empty_files_load_with_defaults() {
        let here = Path::new("partial.json");
        let file = AliasFile::from_json(r#"{"entities":[{"name":"Kremlin","hidden":true}]}"#, here).unwrap();
        assert_eq!(file.version, ALIAS_FILE_VERSION);
        assert_eq!(file.entities, [AliasEntry { hidden: true, ..AliasEntry::new("Kremlin") }]);
        assert_eq!(AliasFile::from_json(" \n", here).unwrap(), AliasFile::default());
        assert_eq!(AliasFile::from_json("{}", here).unwrap(), AliasFile::default());
    }

    #[test]
    fn a_broken_file_gives_an_error_naming_the_file_and_the_reason() {
        let path = Path::new(FIXTURES).join("aliases-broken.json");
        let message = AliasFile::load(&path).unwrap_err().to_string();
        assert!(message.ends_with(&path.display().to_string()), "{message}");
        assert!(message.contains("line 4"), "{message}");

        let missing = Path::new(FIXTURES).join("no-such-aliases.json");
        let message = AliasFile::load(&missing).unwrap_err().to_string();
        assert!(message.starts_with("cannot read the alias file"), "{message}");
        assert!(message.ends_with("no-such-aliases.json"), "{message}");
    }

    #[test]
    fn typos_newer_versions_and_contradictions_are_refused() {
        let here = Path::new("a.json");
        let typo = AliasFile::from_json(r#"{"entities":[{"name":"Kremlin","hiden":true}]}"#, here);
        assert!(typo.unwrap_err().to_string().contains("unknown field `hiden`"));
        let newer = r#"{"version":2,"entities":[{"name":"x","colour":"red"}]}"#;
        let newer = AliasFile::from_json(newer, here).unwrap_err();
        assert!(matches!(newer, AliasFileError::Version { found: 2, .. }));
        let twice = r#"{"entities":[{"name":"A","aliases":["Nato"]},{"name":"NATO"}]}"#;
        assert_eq!(
            AliasFile::from_json(twice, here).unwrap_err().to_string(),
            "the alias file contradicts itself (\"NATO\" is listed under both \"A\" and \"NATO\"): a.json"
        );
        let nameless = AliasFile::from_json(r#"{"entities":[{"aliases":["x"]}]}"#, here);
        assert!(nameless.unwrap_err().to_string().contains("entry 1 has no name"));
        let bad_type = AliasFile::from_json(r#"{"entities":[{"name":"x","type":"PERSON"}]}"#, here);
        assert!(bad_type.unwrap_err().to_string().contains("unknown variant `PERSON`"));
    }

    #[test]
    fn save_then_load_gives_the_same_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aliases.json");
        let mut file = AliasFile::default();
        file.entities
            .push(AliasEntry { kind: Some(Organization), ..entry("Bank of Russia", &["Central Bank of Russia"]) });
        file.entities.push(AliasEntry { hidden: true, ..AliasEntry::new("Зеленский") });
        file.save(&path).unwrap();
        assert_eq!(AliasFile::load(&path).unwrap(), file);
        let written = fs::read_to_string(&path).unwrap();
        assert!(written.contains(r#""type": "ORG""#) && !written.contains("\"aliases\": []"), "{written}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        file.entities.push(AliasEntry::new("central bank of russia"));
        assert!(matches!(file.save(&path), Err(AliasFileError::Invalid { .. })));
        assert_eq!(AliasFile::load(&path).unwrap().entities.len(), 2, "a refused save keeps the old file");
    }

    #[test]
    fn merge_moves_all_names_of_one_entry_into_the_other() {
        let mut file = AliasFile::default();
        file.merge("Central Bank of Russia", "Bank of Russia");
        assert_eq!(file.entities, [entry("Bank of Russia", &["Central Bank of Russia"])]);

        file.set_hidden("CBR", true);
        file.entities[1].aliases.push("Russian central bank".into());
        file.merge("CBR", "bank of russia");
        assert_eq!(
            file.entities,
            [entry("Bank of Russia", &["Central Bank of Russia", "CBR", "Russian central bank"])],
            "the merged entry's names move over; its hidden flag does not"
        );
        file.merge("Russian central bank", "Bank of Russia");
        file.merge("Bank of Russia", "BANK OF RUSSIA");
        assert_eq!(file.entities.len(), 1);
        assert_eq!(file.entities[0].aliases.len(), 3, "merging what is already merged changes nothing");
    }

    #[test]
    fn rename_keeps_the_old_name_as_an_alias_and_merges_into_an_existing_name() {
        let mut file = AliasFile::default();
        file.rename("Vladimir Putin", "Putin (President)");
        assert_eq!(file.entities, [entry("Putin (President)", &["Vladimir Putin"])]);
        file.rename("Putin (President)", "vladimir putin");
        assert_eq!(file.entities, [entry("vladimir putin", &["Putin (President)"])]);

        let mut file = AliasFile::default();
        file.retype("NATO", Some(Organization));
        file.rename("Nato alliance", "nato");
        assert_eq!(
            file.entities,
            [AliasEntry { kind: Some(Organization), ..entry("nato", &["Nato alliance"]) }],
            "renaming onto another entity's name merges the two; a case-only change adds no alias"
        );
    }

    #[test]
    fn retype_and_hide_add_entries_and_undoing_them_removes_the_entry() {
        let mut file = AliasFile::default();
        file.retype("Reuters", Some(Organization));
        file.set_hidden("Kremlin", true);
        assert_eq!(file.entry("reuters").and_then(|e| e.kind), Some(Organization));
        assert!(file.entry("the Kremlin").is_some_and(|e| e.hidden));
        file.set_hidden("Kremlin", false);
        file.retype("Reuters", None);
        assert!(file.entities.is_empty());

        file.merge("Putin", "Vladimir Putin");
        file.set_hidden("Putin", true);
        assert!(file.entities[0].hidden, "hiding any name of an entry hides the entry");
        file.retype("Putin", Some(Person));
        assert!(file.remove_alias("putin"));
        assert!(!file.remove_alias("Vladimir Putin"), "an entry's own name is not an alias");
        assert_eq!(file.entities.len(), 1, "still hidden and typed, so kept");
        file.set_hidden("", true);
        assert_eq!(file.entities.len(), 1, "empty names are ignored");
    }
}
