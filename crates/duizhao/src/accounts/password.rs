//! Password hashing with Argon2id (the `argon2` crate's defaults: OWASP's m=19 MiB, t=2, p=1),
//! stored as PHC strings so that parameters can be raised later without invalidating old
//! hashes. Hashing takes tens of milliseconds of CPU on purpose: the server runs it on the
//! threads of its [`PasswordGate`](crate::web::auth::PasswordGate).
//!
//! Each thread computes in one working area of its own, allocated once and reused. The
//! `argon2` crate would allocate 19 MiB per computation, and the system allocator keeps such
//! freed blocks per thread, fragmented: measured, one thread's resident memory grew by 19 MiB
//! per check until it held about 150 MB.

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

thread_local! {
    /// This thread's Argon2 working memory.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Computes Argon2 into `out` in this thread's working memory.
fn compute(argon: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let count = argon.params().block_count();
        if blocks.len() < count {
            blocks.resize(count, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..count])
    })
}

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// The longest password accepted (hashing cost grows with length; nobody types more).
pub const MAX_LENGTH: usize = 1024;

/// How strong a new password must be: zxcvbn's score 3 ("safely unguessable: moderate
/// protection from an offline attack", about 10^8 guesses or more).
pub const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Why a new password was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    /// Too short.
    #[error("the password must have at least {MIN_LENGTH} characters")]
    TooShort,
    /// Too long.
    #[error("the password must have at most {MAX_LENGTH} characters")]
    TooLong,
    /// Common, or made of the account's or the site's own words, or a pattern a password
    /// cracker tries early; with advice on what to do instead.
    #[error("the password is too easy to guess{0}")]
    Guessable(String),
    /// The hasher failed (no random source).
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Checks a new password as ASVS 5.0 chapter 6 asks: at least [`MIN_LENGTH`] characters,
/// any characters (no composition rules), long passphrases welcome up to [`MAX_LENGTH`], and
/// refused when a strength estimator finds it common or guessable, counting `context` (the
/// username, the display name, the site's names) as words an attacker would try first.
pub fn check_new(password: &str, context: &[&str]) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    // Every context word, and its parts (a display name's words, a site's name's words).
    let mut words: Vec<&str> = vec!["duizhao", "admin", "editor", "password"];
    for c in context {
        words.push(c);
        words.extend(
            c.split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| w.len() >= 3),
        );
    }
    if mostly_context(password, &words) {
        return Err(PasswordError::Guessable(
            ": it is made of the account's or the site's own names; add words of your own".into(),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let advice = estimate
        .feedback()
        .map(|f| {
            let mut parts: Vec<String> = f.warning().map(|w| w.to_string()).into_iter().collect();
            parts.extend(f.suggestions().iter().map(|s| s.to_string()));
            parts.join(" ")
        })
        .filter(|a| !a.is_empty())
        .map(|a| format!(": {a}"))
        .unwrap_or_else(|| ": add a few uncommon words".to_owned());
    Err(PasswordError::Guessable(advice))
}

/// Whether little is left of a password once the context words (three letters or more) are
/// taken out, with digits and punctuation: `DuizhaoReview1` on a site called Duizhao Review.
/// (zxcvbn rates any password of three parts at 10^8 guesses or more, however guessable each
/// part is, so it passes such a password.)
fn mostly_context(password: &str, words: &[&str]) -> bool {
    let mut rest = password.to_lowercase();
    let mut words: Vec<String> = words
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    // Longest first, so that a name is taken out whole before its parts.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for w in &words {
        rest = rest.replace(w.as_str(), "");
    }
    rest.chars().filter(|c| c.is_alphabetic()).count() < 5
}

/// Checks a new password ([`check_new`]) and hashes it.
pub fn hash_new(password: &str, context: &[&str]) -> Result<String, PasswordError> {
    check_new(password, context)?;
    hash(password)
}

/// Hashes a password, after checking only its length (for passwords this program made up,
/// and tests).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    let failed = |e: &dyn std::fmt::Display| PasswordError::Hash(e.to_string());
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| failed(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon, password.as_bytes(), &salt, &mut out).map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a stored hash. An unreadable hash matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).ok()?;
        let (salt, expected) = (parsed.salt.as_ref()?, parsed.hash.as_ref()?);
        let mut out = vec![0u8; expected.len()];
        let argon = Argon2::new(algorithm, version, params);
        compute(&argon, password.as_bytes(), salt, &mut out).ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(&out).ok()? == *expected)
    };
    check().unwrap_or(false)
}

/// A hash of a random password, for comparing against when the account does not exist, so
/// that a failed login takes the same time whether or not the name is known.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&super::token::random_hex(16)).expect("hashing a random password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("correct horse battery", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash("correct horse battery").unwrap());
    }

    #[test]
    fn common_and_context_passwords_are_refused_and_passphrases_accepted() {
        for weak in [
            "aaaaaaaaaa",
            "1234567890",
            "password123",
            "qwertyuiop",
            "iloveyou2026",
            "Password1!",
            "linmeilinmei",
        ] {
            assert!(
                matches!(
                    check_new(weak, &["linmei", "Lin Mei"]),
                    Err(PasswordError::Guessable(_))
                ),
                "{weak}"
            );
        }
        // The username repeated, or with a digit, is refused: the account's own words are the
        // first an attacker tries.
        assert!(check_new("hedanianhedanian", &["hedanian"]).is_err());
        assert!(check_new("zhongqiming2", &["zhongqiming"]).is_err());
        assert_eq!(check_new("zhongqiming2", &[]), Ok(()));
        assert!(check_new("DuizhaoReview1", &["Duizhao Review"]).is_err());
        assert!(check_new("Review2026Duizhao!", &["Duizhao Review"]).is_err());
        for strong in [
            "correct horse battery",
            "tidal mango violin sediment",
            "我的密碼是港口的晚霞與海鷗",
            "Vq8#mZ2!pL",
        ] {
            assert_eq!(check_new(strong, &["linmei"]), Ok(()), "{strong}");
        }
        // Long passphrases are welcome, up to the limit.
        assert_eq!(check_new(&"tidal mango violin ".repeat(40), &[]), Ok(()));
        let message = check_new("aaaaaaaaaa", &[]).unwrap_err().to_string();
        assert!(
            message.starts_with("the password is too easy to guess: "),
            "{message}"
        );
    }

    #[test]
    fn hashes_of_the_crates_own_encoder_still_verify() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // A hash made by the argon2 crate's own API (as stored before this module computed
        // in a reused working area) verifies here, and ours verifies there.
        let theirs = Argon2::default()
            .hash_password(b"tidal mango violin sediment")
            .unwrap()
            .to_string();
        assert!(verify("tidal mango violin sediment", &theirs));
        assert!(!verify("tidal mango violin sedimenT", &theirs));
        let ours = hash("tidal mango violin sediment").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"tidal mango violin sediment", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn length_limits() {
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
        assert_eq!(
            hash(&"x".repeat(MAX_LENGTH + 1)),
            Err(PasswordError::TooLong)
        );
        // Characters, not bytes: ten Chinese characters are enough.
        assert!(hash("我的密碼很長很長很長").is_ok());
    }
}
