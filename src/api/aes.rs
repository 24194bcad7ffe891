//! AI Rudder's AES transport: AES-ECB with the key's UTF-8 bytes (16/24/32 bytes select
//! AES-128/192/256), plaintext zero-padded to 16 bytes, Base64 text; the signature is the
//! lowercase hex SHA-256 of the plain data. Headers `Is-Encrypted: 1` and `Signed: <hex>`.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, block_padding::ZeroPadding};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::Secret;

pub const HEADER_ENCRYPTED: &str = "Is-Encrypted";
pub const HEADER_SIGNED: &str = "Signed";

/// Why a body could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    NotBase64,
    BadLength,
    /// The bytes decrypted, but not to UTF-8 text: almost always the wrong key.
    Garbage,
}

impl std::fmt::Display for DecryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DecryptError::NotBase64 => "the body is not Base64",
            DecryptError::BadLength => "the body is not a whole number of AES blocks",
            DecryptError::Garbage => "the key turns it into bytes that are not text",
        })
    }
}

impl std::error::Error for DecryptError {}

/// A checked AES key.
#[derive(Clone)]
pub struct AesKey(Secret);

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AesKey(****, {} bits)", self.0.expose().len() * 8)
    }
}

impl AesKey {
    /// Accepts keys of 16, 24 or 32 bytes; the error says what was wrong.
    pub fn new(key: Secret) -> Result<Self, String> {
        match key.expose().len() {
            16 | 24 | 32 => Ok(AesKey(key)),
            n => Err(format!(
                "the AES key is {n} bytes; it must be 16, 24 or 32 (AES-128/192/256)"
            )),
        }
    }

    #[cfg(test)]
    fn bits(&self) -> usize {
        self.0.expose().len() * 8
    }

    /// Base64 of the zero-padded, AES-ECB-encrypted text.
    pub fn encrypt(&self, plain: &[u8]) -> String {
        let k = self.0.expose().as_bytes();
        let out = match k.len() {
            16 => ecb::Encryptor::<aes::Aes128>::new(k.into())
                .encrypt_padded_vec_mut::<ZeroPadding>(plain),
            24 => ecb::Encryptor::<aes::Aes192>::new(k.into())
                .encrypt_padded_vec_mut::<ZeroPadding>(plain),
            _ => ecb::Encryptor::<aes::Aes256>::new(k.into())
                .encrypt_padded_vec_mut::<ZeroPadding>(plain),
        };
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    /// Decrypts Base64 text (JSON quotes and white space around it are allowed) and strips the
    /// zero padding.
    pub fn decrypt(&self, text: &[u8]) -> Result<Vec<u8>, DecryptError> {
        let t = std::str::from_utf8(text)
            .map_err(|_| DecryptError::NotBase64)?
            .trim();
        let t = t
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .unwrap_or(t);
        // JSON may escape the slashes of Base64.
        let t: String = t
            .replace("\\/", "/")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut buf = base64::engine::general_purpose::STANDARD
            .decode(t.as_bytes())
            .map_err(|_| DecryptError::NotBase64)?;
        if buf.is_empty() || buf.len() % 16 != 0 {
            return Err(DecryptError::BadLength);
        }
        let k = self.0.expose().as_bytes();
        let n = match k.len() {
            16 => ecb::Decryptor::<aes::Aes128>::new(k.into())
                .decrypt_padded_mut::<ZeroPadding>(&mut buf),
            24 => ecb::Decryptor::<aes::Aes192>::new(k.into())
                .decrypt_padded_mut::<ZeroPadding>(&mut buf),
            _ => ecb::Decryptor::<aes::Aes256>::new(k.into())
                .decrypt_padded_mut::<ZeroPadding>(&mut buf),
        }
        .map_err(|_| DecryptError::BadLength)?
        .len();
        buf.truncate(n);
        // ZeroPadding leaves trailing NULs of a plaintext that ended in them; the scheme strips all.
        while buf.last() == Some(&0) {
            buf.pop();
        }
        if std::str::from_utf8(&buf).is_err() {
            return Err(DecryptError::Garbage);
        }
        Ok(buf)
    }
}

/// Lowercase hex SHA-256.
pub fn sign(plain: &[u8]) -> String {
    let digest = Sha256::digest(plain);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// True when `body` is not JSON but reads as Base64 text (optionally JSON-quoted): the shape
/// of an encrypted push.
pub(crate) fn looks_encrypted(body: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(body) else {
        return false;
    };
    let t = t.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t);
    let t = t.replace("\\/", "/");
    t.len() >= 16
        && t.len() % 4 == 0
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> AesKey {
        AesKey::new(Secret::labelled("AesKey", k)).unwrap()
    }

    const PLAIN: &str = "TaskID=69f531a01a9df58aa6de2487be610abb";
    const CIPHER: &str = "qbj8cnqKnqR66qDS49ib9ymU1mpMCyp8Dm0gS1VvmnEqTxPGSBzruAU1sapP+cye";
    const SIGNED: &str = "6956d7af4c89b89f19f9ae0a8be4bcf12abe7c6ed893691733f3480ad3f3aabc";

    #[test]
    fn documented_vector_both_ways() {
        let k = key("airudderredduria");
        assert_eq!(k.encrypt(PLAIN.as_bytes()), CIPHER);
        assert_eq!(k.decrypt(CIPHER.as_bytes()).unwrap(), PLAIN.as_bytes());
        assert_eq!(sign(PLAIN.as_bytes()), SIGNED);
        // JSON-quoted, with escaped slashes and a trailing newline.
        let quoted = format!("\"{}\"\n", CIPHER.replace('/', "\\/"));
        assert_eq!(k.decrypt(quoted.as_bytes()).unwrap(), PLAIN.as_bytes());
    }

    #[test]
    fn round_trips_with_192_and_256_bit_keys() {
        for k in [
            "0123456789abcdef01234567",
            "0123456789abcdef0123456789abcdef",
        ] {
            let k = key(k);
            let body = r#"{"workflow_id":"w","callee":"+8610086","node_id":"n","name":"张伟"}"#;
            let enc = k.encrypt(body.as_bytes());
            assert_eq!(k.decrypt(enc.as_bytes()).unwrap(), body.as_bytes());
            assert!(looks_encrypted(enc.as_bytes()));
        }
        assert_eq!(key("0123456789abcdef01234567").bits(), 192);
    }

    #[test]
    fn bad_keys_and_bodies_are_errors_not_panics() {
        assert!(
            AesKey::new(Secret::labelled("AesKey", "short"))
                .unwrap_err()
                .contains("5 bytes")
        );
        let wrong = key("wrongwrongwrong!");
        assert_eq!(wrong.decrypt(CIPHER.as_bytes()), Err(DecryptError::Garbage));
        assert_eq!(wrong.decrypt(b"not base64!!"), Err(DecryptError::NotBase64));
        assert_eq!(wrong.decrypt(b"QUJD"), Err(DecryptError::BadLength));
        assert!(!looks_encrypted(br#"{"data":null}"#));
    }
}
