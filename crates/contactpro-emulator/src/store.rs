//! SQLite storage: one connection behind a mutex, used from `spawn_blocking`.
//! A single writer makes uniqueness checks race-free; every write runs in one transaction.

use std::sync::{Arc, Mutex};

use rusqlite::{Connection, Transaction};

use super::error::{ApiError, EmulatorError};
use super::schema;

/// Shared handle to the database.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the database and applies pending migrations.
    pub fn open(data: &str) -> Result<Store, EmulatorError> {
        let conn = if data == ":memory:" {
            Connection::open_in_memory()?
        } else {
            let conn = Connection::open(data)?;
            // WAL keeps readers and the writer apart and survives crashes.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection off the async threads.
    pub async fn read<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, ApiError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let guard = conn.lock().map_err(|_| ApiError::internal())?;
            f(&guard)
        })
        .await
        .map_err(|_| ApiError::internal())?
    }

    /// Runs `f` in one transaction; commits only when `f` succeeds.
    pub async fn write<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&Transaction) -> Result<R, ApiError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| ApiError::internal())?;
            let tx = guard.transaction()?;
            let result = f(&tx)?;
            tx.commit()?;
            Ok(result)
        })
        .await
        .map_err(|_| ApiError::internal())?
    }

    /// Synchronous access for start-up work (migrations, seeding).
    pub fn blocking_write<R>(
        &self,
        f: impl FnOnce(&Transaction) -> Result<R, rusqlite::Error>,
    ) -> Result<R, rusqlite::Error> {
        let mut guard = self.conn.lock().expect("store mutex poisoned");
        let tx = guard.transaction()?;
        let result = f(&tx)?;
        tx.commit()?;
        Ok(result)
    }
}

/// A new random ID: 32 upper-case hex characters.
pub fn new_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
