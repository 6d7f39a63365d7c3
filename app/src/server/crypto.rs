//! Encryption at rest of free-text clinical fields (privacy rule 7).
//!
//! Every sealed value is `v2.` + the sealing key's id + `.` + base64(24-byte
//! random nonce ‖ XChaCha20-Poly1305 ciphertext). The associated data names
//! the value's [`Place`] (table, column, row and owning account), so a value
//! copied into another row, column or account fails to open instead of
//! showing its text there. The keys are given to the server at start (see the
//! server's configuration) and never stored in the database, so a copied
//! database file or backup holds no narrative text. Empty text is sealed
//! too: an empty field and a written one look alike.
//!
//! A server holds a key ring: the first key seals, every key opens what it
//! sealed (the key id says which). Rotation gives the new key first and the
//! old one after it until `server rotate-key` has re-sealed everything.

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "v2.";
/// Values sealed before values were bound to their place: no key id, no
/// associated data. Only [`FieldCipher::open_unbound`] opens them, for the
/// step at start that re-seals them.
const UNBOUND_PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;
/// Bytes of a data key.
pub const KEY_LEN: usize = 32;
/// Hexadecimal digits of a key id.
const KEY_ID_LEN: usize = 8;
/// Characters of a bound value's prefix: `v2.`, the key id and a dot.
pub const SEALED_PREFIX_LEN: usize = PREFIX.len() + KEY_ID_LEN + 1;
/// The prefix every bound value starts with, whatever its key.
pub const BOUND_PREFIX: &str = PREFIX;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("a data key is {KEY_LEN} bytes written as 64 hexadecimal digits (several keys: separated by commas or new lines, the sealing key first)")]
    BadKey,
    #[error("integrity error: the sealed value in {0} could not be opened (wrong data key, or the value was altered or moved from another place)")]
    CannotOpen(String),
    #[error("the sealed value in {place} was sealed with data key {key_id}, which this server was not given")]
    UnknownKey { place: String, key_id: String },
}

/// A column that holds sealed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
}

impl SealedColumn {
    pub const fn new(table: &'static str, column: &'static str) -> Self {
        SealedColumn { table, column }
    }

    /// The place of this column's value in row `row` (its id, or the two
    /// parts of its key where the table has no id) owned by account `owner`.
    pub fn at(self, row: impl Into<RowKey>, owner: i64) -> Place {
        Place {
            column: self,
            row: row.into(),
            owner,
        }
    }
}

/// A row's key: its id (`[id, 0]`), or both parts of a two-column key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowKey(pub [i64; 2]);

impl From<i64> for RowKey {
    fn from(id: i64) -> Self {
        RowKey([id, 0])
    }
}

impl From<(i64, i64)> for RowKey {
    fn from((first, second): (i64, i64)) -> Self {
        RowKey([first, second])
    }
}

/// Where a sealed value lives; bound to the value as associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    column: SealedColumn,
    row: RowKey,
    owner: i64,
}

impl Place {
    fn associated_data(&self) -> Vec<u8> {
        let RowKey([first, second]) = self.row;
        format!(
            "reverie sealed v2\0{}\0{}\0{first}\0{second}\0{}",
            self.column.table, self.column.column, self.owner
        )
        .into_bytes()
    }
}

/// Names the place in logs and errors: table, column and row, never content.
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let RowKey([first, second]) = self.row;
        write!(
            f,
            "{}.{} row {first}",
            self.column.table, self.column.column
        )?;
        if second != 0 {
            write!(f, "/{second}")?;
        }
        Ok(())
    }
}

#[derive(Clone)]
struct DataKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl DataKey {
    fn new(key: &[u8; KEY_LEN]) -> Self {
        DataKey {
            id: derived(key, b"reverie key id v1")[..KEY_ID_LEN / 2]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect(),
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }
}

fn derived(key: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut derive =
        <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    derive.update(purpose);
    derive.finalize().into_bytes().into()
}

/// Seals and opens text with the server's data keys. Cheap to clone.
#[derive(Clone)]
pub struct FieldCipher {
    /// The key ring: the first key seals; each opens what it sealed.
    keys: Vec<DataKey>,
    /// Derived from the sealing key, for fingerprints of text that must be
    /// recognised again without being stored (see [`FieldCipher::fingerprint`]).
    fingerprint_key: [u8; 32],
    /// Derived from the sealing key, for the search index's terms (see
    /// [`FieldCipher::search_term`]).
    search_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(..)")
    }
}

impl FieldCipher {
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self::with_keys(&[*key])
    }

    fn with_keys(keys: &[[u8; KEY_LEN]]) -> Self {
        FieldCipher {
            keys: keys.iter().map(DataKey::new).collect(),
            fingerprint_key: derived(&keys[0], b"reverie fingerprint key v1"),
            search_key: derived(&keys[0], b"reverie search key v1"),
        }
    }

    /// A key ring from its hexadecimal form: one key of 64 digits, or
    /// several separated by commas or new lines, the sealing key first.
    pub fn from_hex(text: &str) -> Result<Self, CryptoError> {
        let keys = text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(parse_hex_key)
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(CryptoError::BadKey);
        }
        Ok(Self::with_keys(&keys))
    }

    /// A fresh random key, in hexadecimal.
    pub fn generate_hex_key() -> String {
        let mut key = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut key);
        key.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// The id of the key that seals.
    pub fn sealing_key_id(&self) -> &str {
        &self.keys[0].id
    }

    /// The first [`SEALED_PREFIX_LEN`] characters of every value the
    /// sealing key seals.
    pub fn sealing_prefix(&self) -> String {
        format!("{PREFIX}{}.", self.keys[0].id)
    }

    /// The ids of every key this cipher holds, the sealing key first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|key| key.id.as_str())
    }

    /// The id of the key that sealed `sealed`, if it is a bound value.
    pub fn key_id_of(sealed: &str) -> Option<&str> {
        sealed
            .strip_prefix(PREFIX)?
            .split_once('.')
            .map(|(id, _)| id)
    }

    /// Whether `sealed` predates place binding (see [`Self::open_unbound`]).
    pub fn is_unbound(sealed: &str) -> bool {
        sealed.starts_with(UNBOUND_PREFIX)
    }

    /// A keyed fingerprint (HMAC-SHA256, hexadecimal) of `bytes`: the same
    /// bytes give the same fingerprint under the same sealing key, and
    /// without the key a fingerprint cannot be checked against a guess.
    pub fn fingerprint(&self, bytes: &[u8]) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.fingerprint_key)
            .expect("HMAC takes a key of any length");
        mac.update(bytes);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// The search index's term for `word` in `owner`'s reflections: the
    /// first 8 bytes of HMAC-SHA256(search key, owner ‖ word). Without the
    /// key a term cannot be checked against a guessed word, and the same
    /// word gives unrelated terms for different owners. A new sealing key
    /// gives new terms (the index records the key it was made with).
    pub fn search_term(&self, owner: i64, word: &str) -> i64 {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.search_key)
            .expect("HMAC takes a key of any length");
        mac.update(&owner.to_le_bytes());
        mac.update(word.as_bytes());
        let digest = mac.finalize().into_bytes();
        i64::from_le_bytes(
            digest[..8]
                .try_into()
                .expect("a SHA-256 digest has 32 bytes"),
        )
    }

    /// Seals `plaintext` with the sealing key, bound to `place`.
    pub fn seal(&self, place: Place, plaintext: &str) -> String {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let aad = place.associated_data();
        let ciphertext = key
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        format!("{PREFIX}{}.{}", key.id, STANDARD.encode(sealed))
    }

    /// Opens a value sealed at `place`; a value sealed anywhere else, under
    /// a key this cipher does not hold, or altered, does not open.
    pub fn open(&self, place: Place, sealed: &str) -> Result<String, CryptoError> {
        let cannot_open = || CryptoError::CannotOpen(place.to_string());
        let (key_id, encoded) = sealed
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once('.'))
            .ok_or_else(cannot_open)?;
        let key = self
            .keys
            .iter()
            .find(|key| key.id == key_id)
            .ok_or_else(|| CryptoError::UnknownKey {
                place: place.to_string(),
                key_id: key_id.to_string(),
            })?;
        let (nonce, ciphertext) = decoded(encoded).ok_or_else(cannot_open)?;
        let aad = place.associated_data();
        let plaintext = key
            .cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| cannot_open())?;
        String::from_utf8(plaintext).map_err(|_| cannot_open())
    }

    /// Opens a value sealed before values were bound to their place (`v1.`,
    /// no key id), trying each key; only for re-sealing such values.
    pub fn open_unbound(&self, place: Place, sealed: &str) -> Result<String, CryptoError> {
        let cannot_open = || CryptoError::CannotOpen(place.to_string());
        let encoded = sealed
            .strip_prefix(UNBOUND_PREFIX)
            .ok_or_else(cannot_open)?;
        let (nonce, ciphertext) = decoded(encoded).ok_or_else(cannot_open)?;
        self.keys
            .iter()
            .find_map(|key| {
                key.cipher
                    .decrypt(XNonce::from_slice(&nonce), ciphertext.as_slice())
                    .ok()
            })
            .and_then(|plaintext| String::from_utf8(plaintext).ok())
            .ok_or_else(cannot_open)
    }

    /// Seals as values were sealed before place binding (`v1.`, no key id,
    /// no associated data): kept so that the re-sealing step at start can
    /// be tested against such values.
    pub fn seal_unbound(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self.keys[0]
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!("{UNBOUND_PREFIX}{}", STANDARD.encode(sealed))
    }

    /// Re-seals `sealed` (bound or unbound) under the sealing key, at the
    /// same place; `None` when it already is.
    pub fn reseal(&self, place: Place, sealed: &str) -> Result<Option<String>, CryptoError> {
        if Self::key_id_of(sealed) == Some(self.sealing_key_id()) {
            return Ok(None);
        }
        let plaintext = if Self::is_unbound(sealed) {
            self.open_unbound(place, sealed)?
        } else {
            self.open(place, sealed)?
        };
        Ok(Some(self.seal(place, &plaintext)))
    }
}

/// The nonce and ciphertext of a value's base64 part.
fn decoded(encoded: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut bytes = STANDARD.decode(encoded).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let ciphertext = bytes.split_off(NONCE_LEN);
    Some((bytes, ciphertext))
}

fn parse_hex_key(hex: &str) -> Result<[u8; KEY_LEN], CryptoError> {
    let hex = hex.trim();
    if hex.len() != KEY_LEN * 2 || !hex.is_ascii() {
        return Err(CryptoError::BadKey);
    }
    let mut key = [0u8; KEY_LEN];
    for (index, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[index * 2..index * 2 + 2], 16)
            .map_err(|_| CryptoError::BadKey)?;
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: SealedColumn = SealedColumn::new("reflections", "private_notes_sealed");

    fn cipher() -> FieldCipher {
        FieldCipher::from_hex(&"ab".repeat(32)).unwrap()
    }

    fn other() -> FieldCipher {
        FieldCipher::from_hex(&"cd".repeat(32)).unwrap()
    }

    #[test]
    fn sealed_text_opens_to_the_original_and_hides_it() {
        let text = "She said her brother Émile never called.";
        let place = NOTES.at(7, 3);
        let sealed = cipher().seal(place, text);
        assert!(sealed.starts_with(&format!("v2.{}.", cipher().sealing_key_id())));
        assert!(!sealed.contains("brother"));
        assert_eq!(cipher().open(place, &sealed).unwrap(), text);
        assert_eq!(cipher().open(place, &cipher().seal(place, "")).unwrap(), "");
    }

    #[test]
    fn a_value_moved_to_another_row_column_or_account_does_not_open() {
        let sealed = cipher().seal(NOTES.at(7, 3), "private");
        for elsewhere in [
            NOTES.at(8, 3),
            NOTES.at((7, 1), 3),
            NOTES.at(7, 4),
            SealedColumn::new("reflections", "enactment_sealed").at(7, 3),
            SealedColumn::new("drafts", "private_notes_sealed").at(7, 3),
        ] {
            assert_eq!(
                cipher().open(elsewhere, &sealed),
                Err(CryptoError::CannotOpen(elsewhere.to_string())),
                "{elsewhere}"
            );
        }
    }

    #[test]
    fn errors_name_the_place_and_never_the_text() {
        let place = NOTES.at((7, 2), 3);
        assert_eq!(
            place.to_string(),
            "reflections.private_notes_sealed row 7/2"
        );
        let error = other()
            .open(place, &cipher().seal(place, "Maria"))
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("row 7/2") && message.contains(cipher().sealing_key_id()));
        assert!(!message.contains("Maria"));
    }

    #[test]
    fn fingerprints_are_stable_keyed_and_reveal_nothing() {
        let print = cipher().fingerprint(b"Maria called");
        assert_eq!(print, cipher().fingerprint(b"Maria called"));
        assert_eq!(print.len(), 64);
        assert_ne!(print, cipher().fingerprint(b"Maria called."));
        assert_ne!(print, other().fingerprint(b"Maria called"));
    }

    #[test]
    fn search_terms_are_stable_keyed_and_differ_per_owner() {
        let term = cipher().search_term(7, "maria");
        assert_eq!(term, cipher().search_term(7, "maria"));
        assert_ne!(term, cipher().search_term(8, "maria"), "another owner");
        assert_ne!(term, cipher().search_term(7, "marie"));
        assert_ne!(term, other().search_term(7, "maria"), "another key");
        let rotated = FieldCipher::with_keys(&[[9; KEY_LEN], [1; KEY_LEN]]);
        let before = FieldCipher::with_keys(&[[1; KEY_LEN]]);
        assert_ne!(
            rotated.search_term(7, "maria"),
            before.search_term(7, "maria"),
            "terms follow the sealing key"
        );
    }

    #[test]
    fn the_same_text_seals_differently_each_time() {
        let place = NOTES.at(1, 1);
        assert_ne!(cipher().seal(place, "same"), cipher().seal(place, "same"));
    }

    #[test]
    fn another_key_or_an_altered_value_cannot_open_it() {
        let place = NOTES.at(1, 1);
        let sealed = cipher().seal(place, "private");
        assert!(matches!(
            other().open(place, &sealed),
            Err(CryptoError::UnknownKey { .. })
        ));
        // A key claiming the right id still has to open the value.
        let forged = sealed.replacen(
            &format!("v2.{}.", cipher().sealing_key_id()),
            &format!("v2.{}.", other().sealing_key_id()),
            1,
        );
        assert!(matches!(
            other().open(place, &forged),
            Err(CryptoError::CannotOpen(_))
        ));
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(matches!(
            cipher().open(place, &String::from_utf8(altered).unwrap()),
            Err(CryptoError::CannotOpen(_))
        ));
        for garbage in ["", "v2.", "v2.abc", "v2.abc.!!", "plain text", "v1.AAAA"] {
            assert!(cipher().open(place, garbage).is_err(), "{garbage}");
        }
    }

    #[test]
    fn a_key_ring_seals_with_its_first_key_and_opens_with_any() {
        let place = NOTES.at(5, 2);
        let old = cipher();
        let ring =
            FieldCipher::from_hex(&format!("{},{}", "cd".repeat(32), "ab".repeat(32))).unwrap();
        assert_eq!(ring.sealing_key_id(), other().sealing_key_id());
        assert_eq!(
            ring.key_ids().collect::<Vec<_>>(),
            [other().sealing_key_id(), old.sealing_key_id()]
        );
        let by_old = old.seal(place, "before");
        assert_eq!(ring.open(place, &by_old).unwrap(), "before");
        let resealed = ring.reseal(place, &by_old).unwrap().unwrap();
        assert_eq!(
            FieldCipher::key_id_of(&resealed),
            Some(ring.sealing_key_id())
        );
        assert_eq!(other().open(place, &resealed).unwrap(), "before");
        assert_eq!(ring.reseal(place, &resealed).unwrap(), None);
        let lines =
            FieldCipher::from_hex(&format!("{}\n{}\n", "cd".repeat(32), "ab".repeat(32))).unwrap();
        assert_eq!(lines.key_ids().count(), 2);
    }

    #[test]
    fn unbound_values_of_before_place_binding_are_resealed_bound() {
        let place = NOTES.at(9, 4);
        let unbound = cipher().seal_unbound("old text");
        assert!(FieldCipher::is_unbound(&unbound));
        assert!(cipher().open(place, &unbound).is_err());
        let ring =
            FieldCipher::from_hex(&format!("{},{}", "cd".repeat(32), "ab".repeat(32))).unwrap();
        assert_eq!(ring.open_unbound(place, &unbound).unwrap(), "old text");
        let bound = ring.reseal(place, &unbound).unwrap().unwrap();
        assert_eq!(ring.open(place, &bound).unwrap(), "old text");
        assert!(other().open_unbound(place, &unbound).is_err());
    }

    #[test]
    fn key_ids_are_short_stable_and_differ_between_keys() {
        assert_eq!(cipher().sealing_key_id().len(), KEY_ID_LEN);
        assert_eq!(cipher().sealing_key_id(), cipher().sealing_key_id());
        assert_ne!(cipher().sealing_key_id(), other().sealing_key_id());
    }

    #[test]
    fn keys_are_64_hex_digits() {
        assert!(FieldCipher::from_hex(&FieldCipher::generate_hex_key()).is_ok());
        assert_eq!(FieldCipher::generate_hex_key().len(), 64);
        for bad in [
            "",
            ",",
            "ab",
            &"zz".repeat(32),
            &"ab".repeat(33),
            &"é".repeat(32),
            &format!("{},ab", "ab".repeat(32)),
        ] {
            assert!(
                matches!(FieldCipher::from_hex(bad), Err(CryptoError::BadKey)),
                "{bad}"
            );
        }
    }
}
