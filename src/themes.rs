//! Finding a theme: a path to a file, a user theme in
//! `$XDG_CONFIG_HOME/queuetop/themes/NAME.toml` (or `~/.config/...`), or a
//! built-in one. The file is read here; parsing is the view crate's, pure.

use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};
use queuetop_tui::theme::palette::{self, Palette};

/// The user themes directory, whether or not it exists.
pub fn user_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("queuetop").join("themes"))
}

/// The theme `name` (`from` says where the name came from, for errors).
/// A user theme of a built-in's name replaces it. The palette lives for
/// the whole run: a user theme is leaked once, on purpose.
pub fn find(name: &str, from: &str) -> AppResult<&'static Palette> {
    if name.ends_with(".toml") || name.contains('/') {
        return load(Path::new(name));
    }
    let dir = user_dir();
    if let Some(d) = &dir
        && is_name(name)
    {
        let p = d.join(format!("{name}.toml"));
        if p.is_file() {
            return load(&p);
        }
    }
    if let Some(p) = palette::built_in(name) {
        return Ok(p);
    }
    Err(AppError::Usage(format!(
        "{from}: no theme '{name}'; available: {}",
        available(dir.as_deref()).join(", ")
    )))
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Built-in names, then the user's (sorted, each once).
fn available(dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = palette::built_in_names().map(String::from).collect();
    let mut user: Vec<String> = dir
        .and_then(|d| std::fs::read_dir(d).ok())
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let n = e.ok()?.file_name().into_string().ok()?;
            let stem = n.strip_suffix(".toml")?;
            is_name(stem).then(|| stem.to_string())
        })
        .filter(|n| !names.contains(n))
        .collect();
    user.sort();
    names.extend(user);
    names
}

fn load(path: &Path) -> AppResult<&'static Palette> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Usage(format!("theme {}: {e}", path.display())))?;
    let p = palette::parse(&text)
        .map_err(|e| AppError::Usage(format!("theme {}: {e}", path.display())))?;
    Ok(Box::leak(Box::new(p)))
}
