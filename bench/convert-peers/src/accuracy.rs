//! OpenCC's own test suite as an accuracy yardstick: exact string equality per (case, config).

use std::path::Path;

pub struct Suite {
    /// (config, input, expected) triples, in file order.
    pub pairs: Vec<(String, String, String)>,
}

impl Suite {
    pub fn load(path: &Path) -> Result<Suite, String> {
        let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        // The upstream file has trailing commas, which strict JSON rejects.
        let cleaned = regex::Regex::new(r",\s*([}\]])")
            .unwrap()
            .replace_all(&raw, "$1");
        let json: serde_json::Value =
            serde_json::from_str(&cleaned).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut pairs = Vec::new();
        for case in json["cases"].as_array().ok_or("no \"cases\" array")? {
            let input = case["input"].as_str().ok_or("case without input")?;
            for (config, expected) in case["expected"]
                .as_object()
                .ok_or("case without expected")?
            {
                let expected = expected.as_str().ok_or("non-string expected")?;
                pairs.push((config.clone(), input.to_owned(), expected.to_owned()));
            }
        }
        Ok(Suite { pairs })
    }

    pub fn count(&self, config: &str) -> usize {
        self.pairs.iter().filter(|p| p.0 == config).count()
    }

    /// Passes among this config's pairs, converting all inputs in one batch call.
    pub fn score(
        &self,
        config: &str,
        convert: impl FnOnce(&[&str]) -> Result<Vec<String>, String>,
    ) -> Result<usize, String> {
        let mine: Vec<&(String, String, String)> =
            self.pairs.iter().filter(|p| p.0 == config).collect();
        let inputs: Vec<&str> = mine.iter().map(|p| p.1.as_str()).collect();
        let outputs = convert(&inputs)?;
        Ok(mine
            .iter()
            .zip(&outputs)
            .filter(|(p, got)| p.2 == **got)
            .count())
    }
}

/// One implementation's results: per config, `Ok(passes)` or why it could not run.
pub struct Tally {
    pub name: String,
    pub per_config: Vec<(&'static str, usize, Result<usize, String>)>,
}

impl Tally {
    pub fn supported(&self) -> (usize, usize, usize) {
        let (mut configs, mut pass, mut total) = (0, 0, 0);
        for (_, n, r) in &self.per_config {
            if let Ok(p) = r {
                configs += 1;
                pass += p;
                total += n;
            }
        }
        (configs, pass, total)
    }

    pub fn missing(&self) -> Vec<&'static str> {
        self.per_config
            .iter()
            .filter(|(_, n, r)| r.is_err() && *n > 0)
            .map(|(c, _, _)| *c)
            .collect()
    }
}
