//! Encryption at rest of free-text clinical fields (privacy rule 7).
//!
//! Every sealed value is `v1.` + base64(24-byte random nonce ‖ XChaCha20-
//! Poly1305 ciphertext). The key is given to the server at start (see the
//! server's configuration) and never stored in the database, so a copied
//! database file or backup holds no narrative text. Empty text is sealed
//! too: an empty field and a written one look alike.

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit},
    XChaCha20Poly1305, XNonce,
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;
/// Bytes of a data key.
pub const KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("a data key is {KEY_LEN} bytes written as 64 hexadecimal digits")]
    BadKey,
    #[error("a sealed value could not be opened (wrong data key, or the value was altered)")]
    CannotOpen,
}

/// Seals and opens text with the server's data key. Cheap to clone.
#[derive(Clone)]
pub struct FieldCipher {
    cipher: XChaCha20Poly1305,
    /// Derived from the data key, for fingerprints of text that must be
    /// recognised again without being stored (see [`FieldCipher::fingerprint`]).
    fingerprint_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(..)")
    }
}

impl FieldCipher {
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        let mut derive =
            <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
        derive.update(b"reverie fingerprint key v1");
        FieldCipher {
            cipher: XChaCha20Poly1305::new(key.into()),
            fingerprint_key: derive.finalize().into_bytes().into(),
        }
    }

    /// A keyed fingerprint (HMAC-SHA256, hexadecimal) of `bytes`: the same
    /// bytes give the same fingerprint under the same data key, and without
    /// the key a fingerprint cannot be checked against a guess.
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

    /// A key from its 64-digit hexadecimal form.
    pub fn from_hex(hex: &str) -> Result<Self, CryptoError> {
        Ok(Self::new(&parse_hex_key(hex)?))
    }

    /// A fresh random key, in hexadecimal.
    pub fn generate_hex_key() -> String {
        let mut key = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut key);
        key.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    pub fn seal(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        format!("{PREFIX}{}", STANDARD.encode(sealed))
    }

    pub fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let encoded = sealed.strip_prefix(PREFIX).ok_or(CryptoError::CannotOpen)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| CryptoError::CannotOpen)?;
        if bytes.len() < NONCE_LEN {
            return Err(CryptoError::CannotOpen);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plaintext = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| CryptoError::CannotOpen)?;
        String::from_utf8(plaintext).map_err(|_| CryptoError::CannotOpen)
    }
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

    fn cipher() -> FieldCipher {
        FieldCipher::from_hex(&"ab".repeat(32)).unwrap()
    }

    #[test]
    fn sealed_text_opens_to_the_original_and_hides_it() {
        let text = "She said her brother Émile never called.";
        let sealed = cipher().seal(text);
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("brother"));
        assert_eq!(cipher().open(&sealed).unwrap(), text);
        assert_eq!(cipher().open(&cipher().seal("")).unwrap(), "");
    }

    #[test]
    fn fingerprints_are_stable_keyed_and_reveal_nothing() {
        let print = cipher().fingerprint(b"Maria called");
        assert_eq!(print, cipher().fingerprint(b"Maria called"));
        assert_eq!(print.len(), 64);
        assert_ne!(print, cipher().fingerprint(b"Maria called."));
        let other = FieldCipher::from_hex(&"cd".repeat(32)).unwrap();
        assert_ne!(print, other.fingerprint(b"Maria called"));
    }

    #[test]
    fn the_same_text_seals_differently_each_time() {
        assert_ne!(cipher().seal("same"), cipher().seal("same"));
    }

    #[test]
    fn another_key_or_an_altered_value_cannot_open_it() {
        let sealed = cipher().seal("private");
        let other = FieldCipher::from_hex(&"cd".repeat(32)).unwrap();
        assert_eq!(other.open(&sealed), Err(CryptoError::CannotOpen));
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            cipher().open(&String::from_utf8(altered).unwrap()),
            Err(CryptoError::CannotOpen)
        );
        for garbage in ["", "v1.", "v1.!!", "plain text", "v2.AAAA"] {
            assert_eq!(
                cipher().open(garbage),
                Err(CryptoError::CannotOpen),
                "{garbage}"
            );
        }
    }

    #[test]
    fn keys_are_64_hex_digits() {
        assert!(FieldCipher::from_hex(&FieldCipher::generate_hex_key()).is_ok());
        assert_eq!(FieldCipher::generate_hex_key().len(), 64);
        for bad in [
            "",
            "ab",
            &"zz".repeat(32),
            &"ab".repeat(33),
            &"é".repeat(32),
        ] {
            assert!(
                matches!(FieldCipher::from_hex(bad), Err(CryptoError::BadKey)),
                "{bad}"
            );
        }
    }
}
