//! Which data keys a database's sealed values need, checked at every start,
//! and re-sealing: values from before place binding (at start) and every
//! value not under the sealing key (`server rotate-key`).

use super::{
    database::{on_pool, Database, RepoError},
    sealed_columns::{self, Stored},
};
use crate::server::crypto::{
    CryptoError, FieldCipher, SealedColumn, BOUND_PREFIX, SEALED_PREFIX_LEN,
};

const MARKER: SealedColumn = SealedColumn::new("data_keys", "marker_sealed");
const MARKER_TEXT: &str = "reverie data key";
/// The row that marks values sealed before place binding.
const UNBOUND_CHECK: SealedColumn = SealedColumn::new("data_key_check", "sealed");
/// Values read per statement while re-sealing: small batches keep every
/// statement short, so the app keeps serving meanwhile.
const BATCH: u32 = 200;

/// Why a server must not start with the keys it was given.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataKeyRefusal {
    #[error("the data key with id {0} is not the key this database was written with (it does not open its marker); start the server with the original key")]
    WrongKey(String),
    #[error("this database holds values sealed with data key {0}, which this server was not given; give the server every key the database needs (the sealing key first), and remove an old key only after `server rotate-key` has finished")]
    MissingKey(String),
    #[error("this database holds sealed values (the first in {0}) but no record of its data keys, and the given keys cannot open them; start the server with the original key")]
    UnrecordedKey(String),
}

/// What the start-up check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCheck {
    /// The database holds values sealed before place binding: they must be
    /// re-sealed ([`Database::reseal_unbound`]) before the app serves.
    pub has_unbound_values: bool,
}

impl Database {
    /// Checks, in one locked transaction, that `cipher` holds every key the
    /// database's values need and that each is the right key, then records
    /// the sealing key. Two servers racing to start on a new database with
    /// different keys: the second finds the first's key and is refused. A
    /// database with sealed values but no key record (lost, or from before
    /// the record) is accepted only if the given keys open its values.
    pub async fn check_data_keys(
        &self,
        cipher: &FieldCipher,
        now: i64,
    ) -> Result<KeyCheck, RepoError> {
        let lock = match self {
            Database::Sqlite(_) => "DELETE FROM data_keys WHERE key_id = ''",
            Database::Postgres(_) => "LOCK TABLE data_keys IN EXCLUSIVE MODE",
        };
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // SQLite takes its write lock at the first writing statement.
            sqlx::query(lock).execute(&mut *tx).await?;
            let recorded: Vec<(String, String)> =
                sqlx::query_as("SELECT key_id, marker_sealed FROM data_keys ORDER BY added_at")
                    .fetch_all(&mut *tx)
                    .await?;
            let unbound_check: Option<(String,)> =
                sqlx::query_as("SELECT sealed FROM data_key_check WHERE id = 1")
                    .fetch_optional(&mut *tx)
                    .await?;
            let mut has_unbound_values = unbound_check.is_some();
            if let Some((sealed,)) = &unbound_check {
                cipher
                    .open_unbound(UNBOUND_CHECK.at(1, 0), sealed)
                    .map_err(|_| DataKeyRefusal::WrongKey(cipher.sealing_key_id().to_string()))?;
            }
            if recorded.is_empty() && unbound_check.is_none() {
                for stored in sealed_columns::ALL {
                    // Every sealed value is longer than the empty prefix: the first of each column.
                    let sql = stored.select_not_starting_with(SEALED_PREFIX_LEN, 1);
                    let first: Option<(i64, i64, i64, String)> = sqlx::query_as(&sql)
                        .bind("")
                        .bind(i64::MIN)
                        .bind(i64::MIN)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some(value) = first {
                        has_unbound_values |= opens_unrecorded(cipher, stored, value)?;
                    }
                }
            }
            for (key_id, marker) in &recorded {
                if !cipher.key_ids().any(|held| held == key_id) {
                    return Err(DataKeyRefusal::MissingKey(key_id.clone()).into());
                }
                let opens = FieldCipher::key_id_of(marker) == Some(key_id.as_str())
                    && cipher.open(MARKER.at(0, 0), marker).as_deref() == Ok(MARKER_TEXT);
                if !opens {
                    return Err(DataKeyRefusal::WrongKey(key_id.clone()).into());
                }
            }
            if !recorded
                .iter()
                .any(|(key_id, _)| key_id == cipher.sealing_key_id())
            {
                sqlx::query(
                    "INSERT INTO data_keys (key_id, marker_sealed, added_at) VALUES ($1, $2, $3)",
                )
                .bind(cipher.sealing_key_id())
                .bind(cipher.seal(MARKER.at(0, 0), MARKER_TEXT))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(KeyCheck { has_unbound_values })
        })
    }

    /// The step at start after an upgrade: re-seals every value sealed
    /// before place binding, bound to its place, then removes the row that
    /// marked them. Returns how many values were re-sealed.
    pub async fn reseal_unbound(&self, cipher: &FieldCipher) -> Result<u64, RepoError> {
        let resealed = self
            .reseal_where_not_starting_with(cipher, BOUND_PREFIX, BOUND_PREFIX.len())
            .await?;
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM data_key_check WHERE id = 1"
        )
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(resealed)
    }

    /// `server rotate-key`: re-seals every value not sealed with the
    /// sealing key, in small batches while the app serves (a value written
    /// meanwhile is already under the sealing key and is left alone), then
    /// forgets every other key: servers may then run without them. Returns
    /// how many values were re-sealed.
    pub async fn rotate_data_key(&self, cipher: &FieldCipher, now: i64) -> Result<u64, RepoError> {
        self.check_data_keys(cipher, now).await?;
        let prefix = cipher.sealing_prefix();
        let resealed = self
            .reseal_where_not_starting_with(cipher, &prefix, SEALED_PREFIX_LEN)
            .await?;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM data_keys WHERE key_id <> $1")
                .bind(cipher.sealing_key_id())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM data_key_check WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(resealed)
    }

    async fn reseal_where_not_starting_with(
        &self,
        cipher: &FieldCipher,
        prefix: &str,
        prefix_len: usize,
    ) -> Result<u64, RepoError> {
        let mut resealed = 0;
        for stored in sealed_columns::ALL {
            let select = stored.select_not_starting_with(prefix_len, BATCH);
            let replace = stored.replace_value();
            let mut after = (i64::MIN, i64::MIN);
            loop {
                let batch: Vec<(i64, i64, i64, String)> = on_pool!(self, |pool| {
                    sqlx::query_as(&select)
                        .bind(prefix)
                        .bind(after.0)
                        .bind(after.1)
                        .fetch_all(pool)
                        .await
                })?;
                let Some(&(first, second, _, _)) = batch.last() else {
                    break;
                };
                after = (first, second);
                for (first, second, owner, sealed) in batch {
                    let place = stored.column.at((first, second), owner);
                    let Some(new) = cipher.reseal(place, &sealed)? else {
                        continue;
                    };
                    let replaced = on_pool!(self, |pool| sqlx::query(&replace)
                        .bind(&new)
                        .bind(first)
                        .bind(second)
                        .bind(&sealed)
                        .execute(pool)
                        .await
                        .map(|done| done.rows_affected()))?;
                    resealed += replaced;
                }
            }
        }
        Ok(resealed)
    }
}

/// Whether the first value found in a database with no key record opens
/// with `cipher` (else the refusal); `true` if it predates place binding.
fn opens_unrecorded(
    cipher: &FieldCipher,
    stored: &Stored,
    (first, second, owner, sealed): (i64, i64, i64, String),
) -> Result<bool, RepoError> {
    let place = stored.column.at((first, second), owner);
    let unbound = FieldCipher::is_unbound(&sealed);
    let opened = if unbound {
        cipher.open_unbound(place, &sealed)
    } else {
        cipher.open(place, &sealed)
    };
    match opened {
        Ok(_) => Ok(unbound),
        Err(CryptoError::UnknownKey { key_id, .. }) => {
            Err(DataKeyRefusal::MissingKey(key_id).into())
        }
        Err(_) => Err(DataKeyRefusal::UnrecordedKey(place.to_string()).into()),
    }
}
