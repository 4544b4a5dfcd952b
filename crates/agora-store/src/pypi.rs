//! The PyPI mirror: projects and the files their simple-API pages list.
//!
//! A project page is saved whole in one transaction ([`Store::save_pypi_project`]): the
//! project row and an upsert of every file, so a sync interrupted between two projects keeps
//! the first complete and leaves the second as it was. Files that disappear from PyPI are kept:
//! the mirror only grows, and the upload times of deleted files still date their releases.

use crate::db::{OptionalExtension, params};
use jiff::Timestamp;

use crate::{Store, StoreError};

/// What kind of distribution a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// A `.whl`.
    Wheel,
    /// A source distribution (`.tar.gz`, `.zip`, …).
    Sdist,
    /// Anything else PyPI once accepted (`.egg`, `.exe`, `.msi`, …).
    Other,
}

impl FileKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Wheel => "wheel",
            FileKind::Sdist => "sdist",
            FileKind::Other => "other",
        }
    }

    fn parse(text: &str) -> FileKind {
        match text {
            "wheel" => FileKind::Wheel,
            "sdist" => FileKind::Sdist,
            _ => FileKind::Other,
        }
    }
}

/// The state of one mirrored project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PypiProject {
    /// PEP 503 normalized name.
    pub name: String,
    /// The name as the index spells it.
    pub display_name: String,
    /// PyPI's `_last-serial`, when the index gives one.
    pub last_serial: Option<i64>,
    /// SHA-256 of the index page last parsed; an identical page needs no parsing.
    pub content_sha256: Option<String>,
    /// When the page was last fetched or revalidated.
    pub synced_at: Timestamp,
}

/// One distribution file of a project.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PypiFile {
    /// The file name.
    pub filename: String,
    /// The version the file name spells, when it could be parsed.
    pub version: Option<String>,
    /// Wheel, sdist or other.
    pub kind: FileKind,
    /// Where to download it.
    pub url: String,
    /// Its SHA-256, when the index gives one.
    pub sha256: Option<String>,
    /// Its size in bytes.
    pub size: Option<u64>,
    /// PEP 700 upload time.
    pub upload_time: Option<Timestamp>,
    /// Whether it is yanked (PEP 592).
    pub yanked: bool,
    /// The reason given for the yank.
    pub yanked_reason: Option<String>,
    /// Its `Requires-Python`.
    pub requires_python: Option<String>,
    /// Wheel python tag(s), `cp312` or `py3`.
    pub python_tag: Option<String>,
    /// Wheel ABI tag(s), `cp312`, `abi3`, `none`.
    pub abi_tag: Option<String>,
    /// Wheel platform tag(s), `manylinux_2_17_x86_64.manylinux2014_x86_64`.
    pub platform_tag: Option<String>,
}

/// What a save changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveCounts {
    /// Files not seen before.
    pub added: usize,
    /// Files already stored whose fields changed (a yank, say).
    pub updated: usize,
}

fn parse_time(column: &'static str, text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.map(|t| {
        t.parse::<Timestamp>().map_err(|e| StoreError::Corrupt {
            column,
            message: e.to_string(),
        })
    })
    .transpose()
}

impl Store {
    /// Saves a project page and its files in one transaction.
    pub fn save_pypi_project(
        &mut self,
        project: &PypiProject,
        files: &[PypiFile],
    ) -> Result<SaveCounts, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO pypi_project (name, display_name, last_serial, content_sha256, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name,
                 last_serial = excluded.last_serial, content_sha256 = excluded.content_sha256,
                 synced_at = excluded.synced_at",
            params![
                project.name,
                project.display_name,
                project.last_serial,
                project.content_sha256,
                project.synced_at.to_string()
            ],
        )?;
        let mut counts = SaveCounts::default();
        {
            let mut existing = tx.prepare(
                "SELECT version, kind, url, sha256, size, upload_time, yanked, yanked_reason,
                        requires_python, python_tag, abi_tag, platform_tag
                 FROM pypi_file WHERE project = ?1 AND filename = ?2",
            )?;
            let mut upsert = tx.prepare(
                "INSERT INTO pypi_file (project, filename, version, kind, url, sha256, size,
                     upload_time, yanked, yanked_reason, requires_python, python_tag, abi_tag,
                     platform_tag)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT(project, filename) DO UPDATE SET version = excluded.version,
                     kind = excluded.kind, url = excluded.url, sha256 = excluded.sha256,
                     size = excluded.size, upload_time = excluded.upload_time,
                     yanked = excluded.yanked, yanked_reason = excluded.yanked_reason,
                     requires_python = excluded.requires_python,
                     python_tag = excluded.python_tag, abi_tag = excluded.abi_tag,
                     platform_tag = excluded.platform_tag",
            )?;
            for file in files {
                let values = (
                    file.version.clone(),
                    file.kind.as_str().to_string(),
                    file.url.clone(),
                    file.sha256.clone(),
                    file.size.map(|s| s as i64),
                    file.upload_time.map(|t| t.to_string()),
                    file.yanked,
                    file.yanked_reason.clone(),
                    file.requires_python.clone(),
                    file.python_tag.clone(),
                    file.abi_tag.clone(),
                    file.platform_tag.clone(),
                );
                let before = existing
                    .query_row(params![project.name, file.filename], |row| {
                        Ok((
                            row.get::<_, Option<String>>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, Option<String>>(3)?,
                            row.get::<_, Option<i64>>(4)?,
                            row.get::<_, Option<String>>(5)?,
                            row.get::<_, bool>(6)?,
                            row.get::<_, Option<String>>(7)?,
                            row.get::<_, Option<String>>(8)?,
                            row.get::<_, Option<String>>(9)?,
                            row.get::<_, Option<String>>(10)?,
                            row.get::<_, Option<String>>(11)?,
                        ))
                    })
                    .optional()?;
                match before {
                    None => counts.added += 1,
                    Some(before) if before != values => counts.updated += 1,
                    Some(_) => continue,
                }
                upsert.execute(params![
                    project.name,
                    file.filename,
                    values.0,
                    values.1,
                    values.2,
                    values.3,
                    values.4,
                    values.5,
                    values.6,
                    values.7,
                    values.8,
                    values.9,
                    values.10,
                    values.11
                ])?;
            }
        }
        tx.commit()?;
        Ok(counts)
    }

    /// Records that a project's page was checked at `synced_at` and had not changed.
    pub fn touch_pypi_project(
        &mut self,
        name: &str,
        synced_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE pypi_project SET synced_at = ?2 WHERE name = ?1",
            params![name, synced_at.to_string()],
        )?;
        Ok(())
    }

    /// The stored state of one project, by normalized name.
    pub fn pypi_project(&self, name: &str) -> Result<Option<PypiProject>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT name, display_name, last_serial, content_sha256, synced_at
                 FROM pypi_project WHERE name = ?1",
                params![name],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(
            |(name, display_name, last_serial, content_sha256, synced_at)| {
                Ok(PypiProject {
                    name,
                    display_name,
                    last_serial,
                    content_sha256,
                    synced_at: parse_time("pypi_project.synced_at", Some(synced_at))?
                        .unwrap_or(Timestamp::UNIX_EPOCH),
                })
            },
        )
        .transpose()
    }

    /// Every stored file of a project, by file name.
    pub fn pypi_files(&self, name: &str) -> Result<Vec<PypiFile>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT filename, version, kind, url, sha256, size, upload_time, yanked, yanked_reason,
                    requires_python, python_tag, abi_tag, platform_tag
             FROM pypi_file WHERE project = ?1 ORDER BY filename",
        )?;
        let rows = statement.query_map(params![name], |row| {
            Ok((
                PypiFile {
                    filename: row.get(0)?,
                    version: row.get(1)?,
                    kind: FileKind::parse(&row.get::<_, String>(2)?),
                    url: row.get(3)?,
                    sha256: row.get(4)?,
                    size: row.get::<_, Option<i64>>(5)?.map(|s| s.max(0) as u64),
                    upload_time: None,
                    yanked: row.get(7)?,
                    yanked_reason: row.get(8)?,
                    requires_python: row.get(9)?,
                    python_tag: row.get(10)?,
                    abi_tag: row.get(11)?,
                    platform_tag: row.get(12)?,
                },
                row.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut files = Vec::new();
        for row in rows {
            let (mut file, upload_time) = row?;
            file.upload_time = parse_time("pypi_file.upload_time", upload_time)?;
            files.push(file);
        }
        Ok(files)
    }
}
