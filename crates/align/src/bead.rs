//! Beads: runs of English sentences aligned with runs of Chinese sentences, and their
//! vecalign/Bertalign text form `[0,1]:[0,1,2]`.

use std::fmt;
use std::ops::Range;

use crate::Error;

/// One bead of an alignment: the English units `en` are translated by the Chinese units `zh`.
/// Either side may be empty (an omission or an addition). Units are sentences or paragraphs,
/// counted from 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bead {
    /// English unit indices.
    pub en: Range<usize>,
    /// Chinese unit indices.
    pub zh: Range<usize>,
}

impl Bead {
    /// A bead from two index ranges.
    pub fn new(en: Range<usize>, zh: Range<usize>) -> Self {
        Bead { en, zh }
    }

    /// The bead's shape, e.g. `(1, 2)` for one English unit and two Chinese ones.
    pub fn shape(&self) -> (usize, usize) {
        (self.en.len(), self.zh.len())
    }
}

/// The vecalign form, `[0,1]:[0,1,2]` (`[]` for an empty side).
impl fmt::Display for Bead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn side(f: &mut fmt::Formatter<'_>, r: &Range<usize>) -> fmt::Result {
            f.write_str("[")?;
            for (k, i) in r.clone().enumerate() {
                if k > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{i}")?;
            }
            f.write_str("]")
        }
        side(f, &self.en)?;
        f.write_str(":")?;
        side(f, &self.zh)
    }
}

/// Reads beads in the vecalign form, one per line (blank lines are skipped). Each side must be a
/// run of consecutive indices.
pub fn parse_beads(text: &str) -> Result<Vec<Bead>, Error> {
    let mut beads = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let err = |message: String| Error::BeadSyntax {
            line: n + 1,
            message,
        };
        let (en, zh) = line
            .split_once("]:[")
            .ok_or_else(|| err(format!("expected `[..]:[..]`, found {line:?}")))?;
        let en = en
            .strip_prefix('[')
            .ok_or_else(|| err(format!("expected `[` at the start of {line:?}")))?;
        let zh = zh
            .strip_suffix(']')
            .ok_or_else(|| err(format!("expected `]` at the end of {line:?}")))?;
        beads.push(Bead {
            en: parse_side(en).map_err(&err)?,
            zh: parse_side(zh).map_err(&err)?,
        });
    }
    Ok(beads)
}

fn parse_side(s: &str) -> Result<Range<usize>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0..0);
    }
    let mut ids = s.split(',').map(|x| {
        x.trim()
            .parse::<usize>()
            .map_err(|_| format!("{x:?} is not a sentence index"))
    });
    let first = ids.next().expect("split yields one item")?;
    let mut last = first;
    for id in ids {
        let id = id?;
        if id != last + 1 {
            return Err(format!("indices {last} and {id} are not consecutive"));
        }
        last = id;
    }
    Ok(first..last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let beads = parse_beads("[0]:[0]\n[1,2]:[1,2,3]\n[]:[4]\n[3]:[]\n").unwrap();
        assert_eq!(beads[1], Bead::new(1..3, 1..4));
        assert_eq!(beads[2].shape(), (0, 1));
        let text: Vec<String> = beads.iter().map(|b| b.to_string()).collect();
        assert_eq!(text, ["[0]:[0]", "[1,2]:[1,2,3]", "[]:[4]", "[3]:[]"]);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_beads("[0]:[0]\n[1,3]:[1]\n").unwrap_err();
        assert_eq!(e.to_string(), "line 2: indices 1 and 3 are not consecutive");
        let e = parse_beads("[0]:[0]\n\nnonsense\n").unwrap_err();
        assert!(e.to_string().starts_with("line 3: expected"));
    }
}
