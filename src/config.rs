//! `config.toml` in the XDG config dir: named profiles and UI preferences. A config that
//! cannot be read is never fatal: defaults plus a message naming the file and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The folder names under the XDG dirs.
const APP: &str = "rudder-inspect";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    pub profile: BTreeMap<String, Profile>,
    /// Words highlighted in transcripts for compliance review.
    pub watch_words: Vec<String>,
    pub theme: Option<String>,
    pub export_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub base_url: Option<String>,
    pub token_file: Option<PathBuf>,
    pub token_env: Option<String>,
    pub timeout: Option<u64>,
    pub max_body: Option<u64>,
    pub allow_http: Option<bool>,
    pub app_key: Option<String>,
    pub app_secret_file: Option<PathBuf>,
    pub app_secret_env: Option<String>,
    pub aes_key_file: Option<PathBuf>,
}

/// A config as loaded, with what went wrong on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    pub warnings: Vec<String>,
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", APP)
}

/// Where the config lives: `RUDDER_INSPECT_CONFIG`, else `$XDG_CONFIG_HOME/rudder-inspect/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("RUDDER_INSPECT_CONFIG") {
        return Some(PathBuf::from(p));
    }
    dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `$XDG_STATE_HOME/rudder-inspect` (history, logs, crash reports).
pub fn state_dir() -> Option<PathBuf> {
    let d = dirs()?;
    Some(
        d.state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| d.data_local_dir().to_path_buf()),
    )
}

/// `$XDG_CACHE_HOME/rudder-inspect` (signed-in tokens).
pub fn cache_dir() -> Option<PathBuf> {
    dirs().map(|d| d.cache_dir().to_path_buf())
}

/// Loads the config at `explicit`, or at [`config_path`]. A missing default file is fine.
pub fn load(explicit: Option<&Path>) -> Loaded {
    let path = explicit.map(Path::to_path_buf).or_else(config_path);
    let Some(path) = path else {
        return Loaded::default();
    };
    let mut loaded = Loaded {
        path: Some(path.clone()),
        ..Loaded::default()
    };
    if explicit.is_none() && !path.exists() {
        return loaded;
    }
    // A config of a few settings: 1 MiB is far more than one holds.
    let read = crate::files::read_small(&path, 1024 * 1024, "a config file")
        .and_then(|b| {
            String::from_utf8(b).map_err(|_| {
                "is not UTF-8 text: saved as UTF-16? Save it as plain UTF-8".to_string()
            })
        })
        // An editor's byte-order mark says nothing TOML needs.
        .map(|t| t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t));
    let text = match read {
        Ok(t) => t,
        Err(e) => {
            loaded.warnings.push(format!(
                "config {} could not be read ({e}); using defaults",
                path.display()
            ));
            return loaded;
        }
    };
    match toml::from_str::<Config>(&text) {
        Ok(c) => {
            loaded.config = c;
            let table = text.parse::<toml::Table>().unwrap_or_default();
            for (key, at) in unknown_keys(&table) {
                let line = line_of(&text, &key);
                let near = nearest(
                    &key,
                    if at.is_empty() {
                        TOP_KEYS
                    } else {
                        PROFILE_KEYS
                    },
                )
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
                loaded.warnings.push(format!(
                    "config {}{}: unknown key `{}`{at}{near}; ignored",
                    path.display(),
                    line.map(|l| format!(" line {l}")).unwrap_or_default(),
                    crate::text::clean(&key),
                ));
            }
            // Only a file that holds a secret needs to be private; paths and names do not.
            if holds_secret(&table)
                && let Some(w) = shared_file_warning(&path)
            {
                loaded.warnings.push(w);
            }
        }
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let what = crate::text::one_line(e.message());
            loaded.warnings.push(match line {
                Some(l) => format!("config {} line {l}: {what}; using defaults", path.display()),
                None => format!("config {}: {what}; using defaults", path.display()),
            });
        }
    }
    loaded
}

/// The keys a config may have at its top, and in a `[profile.NAME]`.
const TOP_KEYS: &[&str] = &[
    "default_profile",
    "profile",
    "watch_words",
    "theme",
    "export_dir",
];
const PROFILE_KEYS: &[&str] = &[
    "base_url",
    "token_file",
    "token_env",
    "timeout",
    "max_body",
    "allow_http",
    "app_key",
    "app_secret_file",
    "app_secret_env",
    "aes_key_file",
];

/// Keys serde ignores: (key, " in [profile.NAME]" or "" at the top).
fn unknown_keys(table: &toml::Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in table {
        if !TOP_KEYS.contains(&k.as_str()) {
            out.push((k.clone(), String::new()));
        } else if k == "profile"
            && let Some(profiles) = v.as_table()
        {
            for (name, p) in profiles {
                for key in p.as_table().into_iter().flat_map(|t| t.keys()) {
                    if !PROFILE_KEYS.contains(&key.as_str()) {
                        let name = crate::text::clean(name);
                        out.push((key.clone(), format!(" in [profile.{name}]")));
                    }
                }
            }
        }
    }
    out
}

/// The known key closest to a mistyped one, when it is close enough to be meant.
fn nearest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// The first line that sets `key`.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('"');
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Whether a key anywhere looks like it holds a secret itself (not a file or variable naming one).
fn holds_secret(table: &toml::Table) -> bool {
    table.iter().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        let named = k.ends_with("_file") || k.ends_with("_env");
        let secret = ["token", "secret", "password", "aes_key"]
            .iter()
            .any(|w| k.contains(w));
        (secret && !named && !v.is_table()) || v.as_table().is_some_and(holds_secret)
    })
}

/// A warning when a file that holds secrets can be read by group or others.
pub fn shared_file_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} is readable by group or others (mode {:o}); run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

/// `~/x` → `$HOME/x`.
pub fn expand_tilde(p: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    p.to_path_buf()
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, then rename), with
/// mode 0600 on Unix when `private`.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_and_preferences() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            r#"
default_profile = "prod"
watch_words = ["lawyer", "complaint"]
[profile.prod]
base_url = "https://api.airudder.com"
token_file = "~/.airudder-token"
timeout = 10
[profile.local]
base_url = "http://127.0.0.1:8080"
token_env = "LOCAL_TOKEN"
"#,
        )
        .unwrap();
        let l = load(Some(&p));
        assert!(
            l.warnings.iter().all(|w| !w.contains("line")),
            "{:?}",
            l.warnings
        );
        assert_eq!(l.config.default_profile.as_deref(), Some("prod"));
        assert_eq!(l.config.watch_words, ["lawyer", "complaint"]);
        assert_eq!(l.config.profile["prod"].timeout, Some(10));
        assert_eq!(
            l.config.profile["local"].token_env.as_deref(),
            Some("LOCAL_TOKEN")
        );
    }

    #[test]
    fn a_broken_config_names_the_line_and_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            "watch_words = [\"a\"]\n[profile.x]\ntimeout = \"soon\"\n",
        )
        .unwrap();
        let l = load(Some(&p));
        assert!(
            l.warnings.iter().any(|w| w.contains("line 3")),
            "{:?}",
            l.warnings
        );
        assert!(l.config.profile.is_empty());
    }

    #[test]
    fn unknown_keys_are_named_with_the_nearest_known_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            "them = \"light\"\n[profile.prod]\ntiemout = 5\nbase_url = \"https://a\"\nzzz = 1\n",
        )
        .unwrap();
        let l = load(Some(&p));
        let all = l.warnings.join("\n");
        assert!(
            all.contains(
                "line 3: unknown key `tiemout` in [profile.prod] (did you mean `timeout`?)"
            ),
            "{all}"
        );
        assert!(
            all.contains("line 1: unknown key `them` (did you mean `theme`?)"),
            "{all}"
        );
        assert!(
            all.contains("unknown key `zzz` in [profile.prod]; ignored"),
            "{all}"
        );
        assert_eq!(
            l.config.profile["prod"].base_url.as_deref(),
            Some("https://a")
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_a_config_holding_a_secret_must_be_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        let mode = std::fs::Permissions::from_mode(0o644);
        std::fs::write(&p, "[profile.a]\ntoken_file = \"~/t\"\napp_key = \"AK\"\n").unwrap();
        std::fs::set_permissions(&p, mode.clone()).unwrap();
        assert!(load(Some(&p)).warnings.is_empty());
        std::fs::write(&p, "[profile.a]\ntoken = \"abc\"\n").unwrap();
        std::fs::set_permissions(&p, mode).unwrap();
        let w = load(Some(&p)).warnings.join("\n");
        assert!(w.contains("chmod 600"), "{w}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_utf16_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "\u{feff}theme = \"light\"\n").unwrap();
        let l = load(Some(&p));
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(l.config.theme.as_deref(), Some("light"));
        std::fs::write(&p, b"\xff\xfet\0h\0").unwrap();
        let w = load(Some(&p)).warnings.join("\n");
        assert!(w.contains("UTF-16"), "{w}");
    }

    #[test]
    fn a_missing_explicit_config_is_a_warning() {
        let l = load(Some(Path::new("/nonexistent/rudder/config.toml")));
        assert_eq!(l.warnings.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn shared_files_are_flagged_and_atomic_writes_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("token");
        std::fs::write(&p, "x").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(shared_file_warning(&p).unwrap().contains("chmod 600"));
        write_atomic(&p, b"y", true).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(&p).unwrap(), b"y");
        assert!(shared_file_warning(&p).is_none());
    }
}
