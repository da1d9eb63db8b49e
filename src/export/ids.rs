//! Identifiers that come out the same on every export: name-based UUIDs
//! (version 5) in one namespace of kub's, so that exporting a framework
//! again, on any machine, gives every item the identifier it had.

use uuid::Uuid;

/// kub's namespace: the UUIDv5 of the URL `urn:kub` in the URL namespace,
/// published in docs/exports.md so that anyone can recompute an identifier.
pub fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:kub")
}

/// The identifier for a name such as `case/item/park-och-natur@2.1/task/grasklippning`.
pub fn stable_id(name: &str) -> Uuid {
    Uuid::new_v5(&namespace(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_gives_the_same_identifier_and_another_name_another() {
        let id = stable_id("case/document/park-och-natur@2.1");
        assert_eq!(id, stable_id("case/document/park-och-natur@2.1"));
        assert_ne!(id, stable_id("case/document/park-och-natur@2.2"));
        assert_eq!(id.get_version_num(), 5);
    }
}
