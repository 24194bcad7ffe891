//! `rudder-inspect completions SHELL`: the completion script for bash, zsh, fish, elvish or
//! PowerShell, generated from the same clap definition the binary parses with.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// The script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// Prints the script on stdout.
pub fn print(shell: Shell) -> ExitCode {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(&script(shell));
    let _ = out.flush();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let s = String::from_utf8(script(shell)).unwrap();
            for word in ["rudder-inspect", "verify", "batch", "completions", "theme"] {
                assert!(s.contains(word), "{shell}: no {word}");
            }
        }
    }

    /// The README's "Man page" section, up to the next `## ` heading.
    fn man_page() -> &'static str {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("\n## Man page")
            .expect("README has a Man page section")
            + 1;
        let rest = &readme[start..];
        let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
        &rest[..end]
    }

    /// The `### ` subsection whose heading names `name` in backticks.
    fn subsection<'a>(man: &'a str, name: &str) -> Option<&'a str> {
        let tick = format!("`{name}`");
        let at = man
            .match_indices("\n### ")
            .map(|(i, _)| i + 1)
            .find(|&i| man[i..].lines().next().is_some_and(|h| h.contains(&tick)))?;
        let rest = &man[at..];
        let end = rest[4..].find("\n### ").map_or(rest.len(), |i| i + 4);
        Some(&rest[..end])
    }

    #[test]
    fn the_readme_man_page_names_every_subcommand_and_flag() {
        let man = man_page();
        let cmd = Cli::command();
        for a in cmd.get_arguments() {
            if let Some(l) = a.get_long() {
                assert!(
                    man.contains(&format!("`--{l}")),
                    "README's Man page does not name the global flag --{l}: add it"
                );
            }
        }
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            let Some(text) = subsection(man, name) else {
                panic!("README's Man page has no ### `{name}` section: add one");
            };
            for a in sub.get_arguments() {
                let want = match (a.get_long(), a.get_short()) {
                    (Some(l), _) => format!("--{l}"),
                    (None, Some(s)) => format!("-{s}"),
                    (None, None) => a
                        .get_value_names()
                        .and_then(|v| v.first())
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| a.get_id().as_str().to_uppercase()),
                };
                assert!(
                    text.contains(&want),
                    "README's Man page section for `{name}` does not name {want}: add it"
                );
                if let Some(s) = a.get_short() {
                    assert!(text.contains(&format!("-{s}")), "`{name}`: no -{s}");
                }
            }
        }
    }
}
