//! Project names: the name a project's results are stored under, which is also the folder of
//! its dashboard (`OUT/<project>/`), so it must be one plain path component.

/// Why a project name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectNameError {
    /// The name is empty (or only blanks).
    #[error("the project name is empty: give a name such as `kedro`")]
    Empty,
    /// The name holds a path separator or `..`, so it would leave the dashboard's folder.
    #[error("the project name {0:?} holds `/`, `\\` or `..`: give one plain name such as `kedro`")]
    PathLike(String),
    /// The name holds a control character (a newline, a tab, NUL…).
    #[error("the project name {0:?} holds a control character")]
    ControlCharacter(String),
    /// The name is longer than a folder name may be.
    #[error(
        "the project name {name:?}… is {length} bytes long; at most {MAX_NAME_BYTES} are allowed"
    )]
    TooLong {
        /// The start of the name.
        name: String,
        /// Its length in bytes.
        length: usize,
    },
}

/// The longest project name accepted, in bytes (a folder name on common file systems is at
/// most 255 bytes).
pub const MAX_NAME_BYTES: usize = 200;

/// Checks that `name` can name a project: not empty, no `/`, `\` or `..`, no control
/// characters, at most [`MAX_NAME_BYTES`] bytes.
pub fn check_project_name(name: &str) -> Result<(), ProjectNameError> {
    if name.trim().is_empty() {
        return Err(ProjectNameError::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(ProjectNameError::ControlCharacter(name.to_owned()));
    }
    if name.contains(['/', '\\']) || name.contains("..") || name == "." {
        return Err(ProjectNameError::PathLike(name.to_owned()));
    }
    if name.len() > MAX_NAME_BYTES {
        let start: String = name.chars().take(40).collect();
        return Err(ProjectNameError::TooLong {
            name: start,
            length: name.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass() {
        for name in ["kedro", "scikit-image", "numpy.core", "a b", "café"] {
            assert_eq!(check_project_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn names_that_leave_the_dashboard_folder_are_refused() {
        assert_eq!(check_project_name(""), Err(ProjectNameError::Empty));
        assert_eq!(check_project_name("  "), Err(ProjectNameError::Empty));
        for name in ["..", ".", "../x", "a/b", "a\\b", "x/..", "a..b"] {
            assert!(
                matches!(check_project_name(name), Err(ProjectNameError::PathLike(_))),
                "{name}"
            );
        }
        for name in ["a\nb", "a\0", "\tx"] {
            assert!(
                matches!(
                    check_project_name(name),
                    Err(ProjectNameError::ControlCharacter(_))
                ),
                "{name:?}"
            );
        }
        let long = "x".repeat(MAX_NAME_BYTES + 1);
        assert!(matches!(
            check_project_name(&long),
            Err(ProjectNameError::TooLong { length, .. }) if length == MAX_NAME_BYTES + 1
        ));
    }
}
