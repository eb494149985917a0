//! `clef migrate`, `import`, `export` and `backup`.

use crate::cli::DataKind;
use crate::error::{Failure, Result};
use clef_store::{CustomerFilter, RowError, Store};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

/// One problem of an imported file: `line 3, column email: …`.
pub fn row_error(e: &RowError) -> String {
    if e.column.is_empty() {
        format!("line {}: {}", e.line, e.message)
    } else {
        format!("line {}, column {}: {}", e.line, e.column, e.message)
    }
}

/// Connects and applies any pending migration.
pub async fn open(database_url: &str) -> Result<Store> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    Ok(store)
}

/// The file of a SQLite database URL (none for PostgreSQL or memory).
fn sqlite_file(database_url: &str) -> Option<&str> {
    let rest = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next().unwrap_or(rest);
    (!file.is_empty() && !file.starts_with(":memory:")).then_some(file)
}

/// An existing database, connected to as it is: a SQLite file that is not
/// there is an error (a mistyped path), not a new empty database.
async fn connect_existing(database_url: &str) -> Result<Store> {
    if let Some(file) = sqlite_file(database_url)
        && !Path::new(file).exists()
    {
        return Err(Failure::new(format!(
            "there is no database at {file}: check --database-url (CLEF_DATABASE_URL), or create one with clef migrate or clef serve"
        )));
    }
    Ok(Store::connect(database_url).await?)
}

/// For commands that use an existing database as it is: a SQLite file that
/// is not there is an error (a mistyped path), not a new empty database,
/// and a database this version would migrate is left as it is (a backup
/// before an upgrade copies it unchanged): `clef migrate` does that.
pub async fn open_existing(database_url: &str) -> Result<Store> {
    let store = connect_existing(database_url).await?;
    let pending = store.pending_migrations().await?;
    if pending > 0 {
        let _ = store.close().await;
        return Err(Failure::new(format!(
            "the database is from an earlier version of Clef ({pending} migration(s) to apply): run clef migrate first (and clef backup with the earlier version before, to keep a copy as it was)"
        )));
    }
    Ok(store)
}

pub async fn migrate(database_url: &str) -> Result<()> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    store.close().await?;
    println!("Migrations applied: the database is up to date.");
    Ok(())
}

/// Computes the figures again and loads the portfolio as segmentation does,
/// printing the time of each step.
pub async fn figures(database_url: &str) -> Result<()> {
    let store = open_existing(database_url).await?;
    let started = Instant::now();
    let state = store.refresh_figures().await?;
    let computed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let engine = clef_web::engine::Engine::default();
    let p = engine.portfolio(&store).await?;
    let loaded = started.elapsed().as_secs_f64();
    println!(
        "Figures computed for {} customers in {computed:.2} s (12 months ending {}); portfolio loaded for segmentation in {loaded:.2} s.",
        p.frame.len(),
        state.as_of.map_or("—".to_owned(), |p| p.to_string()),
    );
    store.close().await?;
    Ok(())
}

pub async fn import(database_url: &str, kind: DataKind, file: &Path, check: bool) -> Result<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
    // A check reads an existing database: a mistyped path is said, not
    // created empty.
    let store = if check {
        open_existing(database_url).await?
    } else {
        open(database_url).await?
    };
    let started = Instant::now();
    let progress = std::sync::Arc::new(clef_store::Progress::default());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicU8::new(0));
    let shown = crate::progress::watch(
        std::sync::Arc::clone(&progress),
        |stage| match stage {
            clef_store::IMPORT_READ => "reading bytes",
            clef_store::IMPORT_CHECK => "checking rows",
            clef_store::IMPORT_WRITE => "writing",
            _ => "figures",
        },
        std::sync::Arc::clone(&stop),
    );
    let report = if check {
        store
            .check_csv_with(kind.import_kind(), &bytes, &progress)
            .await
    } else {
        store
            .import_csv_with(None, kind.import_kind(), &bytes, &progress)
            .await
    };
    let ended = match &report {
        Ok(r) if r.error_count == 0 && r.errors.is_empty() => crate::progress::STOP_DONE,
        _ => crate::progress::STOP_FAILED,
    };
    stop.store(ended, std::sync::atomic::Ordering::Relaxed);
    let _ = shown.join();
    let report = report?;
    let secs = started.elapsed().as_secs_f64();
    if !report.errors.is_empty() || report.error_count > 0 {
        for e in &report.errors {
            eprintln!("{}", row_error(e));
        }
        let shown = if report.error_count > report.errors.len() as u64 {
            format!(" (the first {} are listed)", report.errors.len())
        } else {
            String::new()
        };
        return Err(Failure::new(format!(
            "{} problem(s) in {}{shown}; nothing was imported",
            report.error_count,
            file.display()
        )));
    }
    if let Some(p) = report.preview {
        println!(
            "Checked {} {} in {} in {secs:.1} s: no problem. Importing it would replace {} record(s) and add {}; nothing was written.",
            report.rows,
            kind.noun(),
            file.display(),
            p.replaces,
            p.adds
        );
        return Ok(());
    }
    println!(
        "Imported {} {} from {} in {secs:.1} s ({:.0} rows/s).",
        report.rows,
        kind.noun(),
        file.display(),
        report.rows as f64 / secs.max(1e-6)
    );
    Ok(())
}

pub async fn export(database_url: &str, kind: DataKind, file: Option<&Path>) -> Result<()> {
    let store = open_existing(database_url).await?;
    let started = Instant::now();
    let n = match file {
        Some(path) => {
            // Written beside it, then put in its place: a file of the same
            // name stays whole until the export is.
            // (A device or a pipe, such as /dev/stdout, is written to as it
            // is.)
            let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
            let mut partial = path.as_os_str().to_owned();
            if !special {
                partial.push(".partial");
            }
            let partial = std::path::PathBuf::from(partial);
            let written = async {
                let f = std::fs::File::create(&partial).map_err(|e| {
                    Failure::new(format!("cannot create {}: {e}", partial.display()))
                })?;
                let mut w = BufWriter::with_capacity(1 << 20, f);
                let n = write_export(&store, kind, &mut w).await?;
                let f = w.into_inner().map_err(|e| {
                    Failure::new(format!("cannot write {}: {}", path.display(), e.error()))
                })?;
                if !special {
                    f.sync_all().map_err(|e| {
                        Failure::new(format!("cannot write {}: {e}", path.display()))
                    })?;
                    std::fs::rename(&partial, path).map_err(|e| {
                        Failure::new(format!("cannot write {}: {e}", path.display()))
                    })?;
                }
                Ok::<_, Failure>(n)
            }
            .await;
            if written.is_err() && !special {
                let _ = std::fs::remove_file(&partial);
            }
            written?
        }
        None => {
            let mut w = BufWriter::with_capacity(
                1 << 20,
                PipeWatch {
                    inner: std::io::stdout().lock(),
                    closed: false,
                },
            );
            let written = write_export(&store, kind, &mut w).await;
            let flushed = w.flush();
            if w.get_ref().closed {
                // The reader went away (`clef export customers | head`): not an error.
                return Ok(());
            }
            let n = written?;
            flushed.map_err(|e| Failure::new(format!("cannot write the export: {e}")))?;
            n
        }
    };
    let to = file.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    eprintln!(
        "Exported {n} {} to {to} in {:.1} s.",
        kind.noun(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Standard output that remembers whether its reader closed the pipe.
struct PipeWatch<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeWatch<W> {
    fn watch<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        r
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.watch(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.watch(r)
    }
}

async fn write_export<W: Write>(store: &Store, kind: DataKind, w: W) -> Result<u64> {
    Ok(match kind {
        DataKind::Customers => {
            store
                .export_customers(&CustomerFilter::default(), w)
                .await?
        }
        DataKind::Contacts => store.export_contacts(w).await?,
        DataKind::Revenue => store.export_revenue(w).await?,
        DataKind::Contracts => store.export_contracts(w).await?,
    })
}

pub async fn backup(database_url: &str, file: &Path) -> Result<()> {
    let path = file.to_str().ok_or_else(|| {
        Failure::new(format!(
            "the backup path {} is not valid UTF-8",
            file.display()
        ))
    })?;
    if sqlite_file(database_url).is_none() {
        return Err(Failure::new(
            "clef backup copies a SQLite database file; back up PostgreSQL with its own tools (pg_dump)",
        ));
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Failure::new(format!(
            "cannot write the backup to {}: the directory {} does not exist",
            file.display(),
            dir.display()
        )));
    }
    if file.exists() {
        return Err(Failure::new(format!(
            "{} already exists: choose a new file (a backup never replaces one)",
            file.display()
        )));
    }
    // The database as it is, of an earlier version too (a backup before an
    // upgrade).
    let store = connect_existing(database_url).await?;
    let started = Instant::now();
    // The copy is on disk before it is said written; a copy that failed
    // midway (a full disk) is removed, not left looking like a backup (the
    // file did not exist before: it is this copy).
    let copied = match store.backup_sqlite(path).await {
        Ok(()) => std::fs::File::open(file)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::File::open(dir).and_then(|d| d.sync_all()))
            .map_err(|e| Failure::new(format!("cannot write the backup {}: {e}", file.display()))),
        Err(e) => Err(Failure::new(format!(
            "cannot write the backup {}: {e}",
            file.display()
        ))),
    };
    if let Err(e) = copied {
        let _ = std::fs::remove_file(file);
        return Err(e);
    }
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backup written to {} ({}, {size} bytes) in {:.1} s.",
        file.display(),
        human_size(size),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A byte count for people: `12.3 MB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url() {
        assert_eq!(sqlite_file("sqlite://clef.db?mode=rwc"), Some("clef.db"));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }

    /// A database of an earlier version is left as it is by the commands
    /// that use a database as it is (a backup before an upgrade copies it
    /// unchanged); they say to migrate it first.
    #[tokio::test]
    async fn reading_commands_leave_an_earlier_database_unmigrated() {
        let dir = std::env::temp_dir().join(format!("clef-cli-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("old.db").display());
        let old = Store::connect(&url).await.unwrap();
        old.migrate_steps(3).await.unwrap();
        let before = old.pending_migrations().await.unwrap();
        old.close().await.unwrap();
        assert!(before > 0);
        let e = open_existing(&url).await.err().map(|e| e.message);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("run clef migrate first")),
            "{e:?}"
        );
        let e = export(&url, DataKind::Customers, Some(&dir.join("c.csv"))).await;
        assert!(e.is_err());
        let store = Store::connect(&url).await.unwrap();
        assert_eq!(store.pending_migrations().await.unwrap(), before);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An export replaces its file only once whole: the file's old content
    /// until then, no partial file left beside it, and one that cannot be
    /// written is said with its path.
    #[tokio::test]
    async fn an_export_replaces_its_file_once_whole() {
        let dir = std::env::temp_dir().join(format!("clef-cli-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("e.db").display());
        open(&url).await.unwrap().close().await.unwrap();
        let out = dir.join("customers.csv");
        std::fs::write(&out, "old content").unwrap();
        export(&url, DataKind::Customers, Some(&out)).await.unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("id,name,"), "{text}");
        assert!(!dir.join("customers.csv.partial").exists());
        let e = export(
            &url,
            DataKind::Customers,
            Some(&dir.join("no/such/dir.csv")),
        )
        .await
        .err()
        .map(|e| e.message);
        assert!(
            e.as_deref().is_some_and(|m| m.contains("no/such/dir.csv")),
            "{e:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A backup never replaces a file, even on a failure (the live database
    /// named by mistake stays), and copies a database of an earlier version
    /// as it is.
    #[tokio::test]
    async fn a_backup_never_replaces_a_file_and_copies_an_earlier_database() {
        let dir = std::env::temp_dir().join(format!("clef-cli-backup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let live = dir.join("live.db");
        let live_url = format!("sqlite://{}?mode=rwc", live.display());
        open(&live_url).await.unwrap().close().await.unwrap();
        let size = std::fs::metadata(&live).unwrap().len();
        let e = backup(&live_url, &live).await.err().map(|e| e.message);
        assert!(
            e.as_deref().is_some_and(|m| m.contains("already exists")),
            "{e:?}"
        );
        assert!(live.exists(), "the database stays");
        assert_eq!(std::fs::metadata(&live).unwrap().len(), size);
        let db = dir.join("old.db");
        let url = format!("sqlite://{}?mode=rwc", db.display());
        let old = Store::connect(&url).await.unwrap();
        old.migrate_steps(3).await.unwrap();
        let pending = old.pending_migrations().await.unwrap();
        old.close().await.unwrap();
        let copy = dir.join("copy.db");
        backup(&url, &copy).await.unwrap();
        let c = Store::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        assert_eq!(
            c.pending_migrations().await.unwrap(),
            pending,
            "copied as it was"
        );
        c.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A mistyped database path is an error for the commands that read a
    /// database, and no empty database is left behind; a backup says where
    /// it cannot write, and that PostgreSQL is backed up with its own tools.
    #[tokio::test]
    async fn reading_commands_refuse_a_database_that_is_not_there() {
        let dir = std::env::temp_dir().join(format!("clef-cli-{}", std::process::id()));
        let file = dir.join("typo.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let e = open_existing(&url).await.err().map(|e| e.message);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("there is no database at")),
            "{e:?}"
        );
        let e = backup(&url, Path::new("/tmp/b.db"))
            .await
            .err()
            .map(|e| e.message);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("there is no database at")),
            "{e:?}"
        );
        assert!(!file.exists(), "no empty database is created");
        let e = backup("postgres://u@127.0.0.1:1/db", Path::new("/tmp/b.db")).await;
        assert!(e.err().is_some_and(|e| e.message.contains("pg_dump")));
        let e = backup(&url, Path::new("/nonexistent-dir/b.db")).await;
        assert!(
            e.err()
                .is_some_and(|e| e.message.contains("does not exist"))
        );
    }

    #[test]
    fn sizes_and_row_errors_read_well() {
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(12_345_678), "12.3 MB");
        let e = RowError {
            line: 3,
            column: "email".into(),
            code: "invalid-email".into(),
            message: "bad".into(),
        };
        assert_eq!(row_error(&e), "line 3, column email: bad");
        let e = RowError {
            line: 1,
            column: String::new(),
            code: "empty-file".into(),
            message: "empty".into(),
        };
        assert_eq!(row_error(&e), "line 1: empty");
    }
}
