//! The editor's copy of unsaved typing kept in the browser, sealed: the
//! browser's storage holds only `bc1.<key id>.<base64(nonce ‖ ciphertext)>`
//! (XChaCha20-Poly1305, bound to the storage key it is kept under), and the
//! key stays on the server, handed to its account's signed-in pages only. A
//! copy left on a shared computer after sign-out or an expired sign-in cannot
//! be read without signing in as its author.
//!
//! Pure: the caller brings the nonce's random bytes (the browser's
//! `crypto.getRandomValues`, or the server's generator for keys).

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "bc1.";
pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;

/// How long the server keeps a key: a copy older than this cannot be opened.
pub const KEY_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// One key as the server hands it to its account's page.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserCopyKey {
    pub id: i64,
    /// The key's bytes, base64.
    pub key: String,
}

impl std::fmt::Debug for BrowserCopyKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BrowserCopyKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl BrowserCopyKey {
    pub fn new(id: i64, bytes: &[u8; KEY_LEN]) -> Self {
        Self {
            id,
            key: STANDARD.encode(bytes),
        }
    }

    fn cipher(&self) -> Option<XChaCha20Poly1305> {
        let bytes = STANDARD.decode(&self.key).ok()?;
        XChaCha20Poly1305::new_from_slice(&bytes).ok()
    }

    /// `text` sealed under this key, bound to `place` (the storage key).
    /// `None` only if this key's bytes are malformed.
    pub fn seal(&self, place: &str, nonce: [u8; NONCE_LEN], text: &str) -> Option<String> {
        let ciphertext = self
            .cipher()?
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: text.as_bytes(),
                    aad: place.as_bytes(),
                },
            )
            .ok()?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        Some(format!("{PREFIX}{}.{}", self.id, STANDARD.encode(sealed)))
    }

    /// The text of a copy this key sealed at `place`; `None` for a copy
    /// sealed under another key, at another place, or altered.
    pub fn open(&self, place: &str, sealed: &str) -> Option<String> {
        let (key_id, encoded) = parts(sealed)?;
        if key_id != self.id {
            return None;
        }
        let bytes = STANDARD.decode(encoded).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plaintext = self
            .cipher()?
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: place.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plaintext).ok()
    }
}

fn parts(sealed: &str) -> Option<(i64, &str)> {
    let (key_id, encoded) = sealed.strip_prefix(PREFIX)?.split_once('.')?;
    Some((key_id.parse().ok()?, encoded))
}

/// What a value found in the browser's storage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredCopy<'a> {
    /// Sealed under the key with this id.
    Sealed { key_id: i64 },
    /// A plaintext copy written before copies were sealed.
    Plain(&'a str),
}

impl<'a> StoredCopy<'a> {
    pub fn of(value: &'a str) -> Self {
        match parts(value) {
            Some((key_id, _)) => Self::Sealed { key_id },
            None => Self::Plain(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: &str = "reverie-draft:1:2:new";

    fn key(id: i64, byte: u8) -> BrowserCopyKey {
        BrowserCopyKey::new(id, &[byte; KEY_LEN])
    }

    #[test]
    fn a_sealed_copy_opens_with_its_key_at_its_place() {
        let key = key(7, 1);
        let sealed = key
            .seal(PLACE, [3; NONCE_LEN], "the client's dream")
            .unwrap();
        assert_eq!(
            key.open(PLACE, &sealed).as_deref(),
            Some("the client's dream")
        );
        assert_eq!(StoredCopy::of(&sealed), StoredCopy::Sealed { key_id: 7 });
    }

    #[test]
    fn the_copy_never_holds_the_text() {
        let sealed = key(7, 1)
            .seal(PLACE, [3; NONCE_LEN], "the client's dream")
            .unwrap();
        assert!(!sealed.contains("dream"));
        assert!(sealed.starts_with("bc1.7."));
    }

    #[test]
    fn another_key_another_place_or_a_changed_copy_does_not_open() {
        let sealed = key(7, 1).seal(PLACE, [3; NONCE_LEN], "text").unwrap();
        // Same id, other bytes: a key the server no longer has.
        assert_eq!(key(7, 2).open(PLACE, &sealed), None);
        assert_eq!(key(8, 1).open(PLACE, &sealed), None);
        assert_eq!(key(7, 1).open("reverie-draft:1:2:9", &sealed), None);
        let mut changed = sealed.clone();
        let last = changed.pop().unwrap();
        changed.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(key(7, 1).open(PLACE, &changed), None);
        assert_eq!(key(7, 1).open(PLACE, "bc1.7.AAAA"), None);
        assert_eq!(key(7, 1).open(PLACE, "bc1.7.%%%"), None);
    }

    #[test]
    fn plaintext_copies_from_before_are_told_apart() {
        let old = r#"{"case_id":2,"reflection":{}}"#;
        assert_eq!(StoredCopy::of(old), StoredCopy::Plain(old));
        assert_eq!(
            StoredCopy::of("bc1.x.AAAA"),
            StoredCopy::Plain("bc1.x.AAAA")
        );
    }

    #[test]
    fn a_malformed_key_seals_nothing() {
        let bad = BrowserCopyKey {
            id: 1,
            key: "short".to_string(),
        };
        assert_eq!(bad.seal(PLACE, [0; NONCE_LEN], "text"), None);
    }

    #[test]
    fn the_key_is_not_in_debug_output() {
        let key = key(7, 1);
        assert!(!format!("{key:?}").contains(&key.key));
    }
}
